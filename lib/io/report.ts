/**
 * The HTML marking report: one self-contained page (inline CSS, inline SVG charts, a few lines of
 * inline script for table sorting; no external resource) per input file, with a section per
 * underlying: provenance (parameter set, fingerprints), counts, surface diagnostics, a smile plot
 * per expiry, the unmarked / rejected rows and a sortable table of every mark.
 *
 * @module
 * @since 0.1.0
 */
import type { MarkRecord } from '../domain/mark.js'
import type { MarkSet } from '../marking/mark.js'
import { CHART_COLOURS, smileChartSvg } from './charts.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link renderReport}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ReportOptions {
  /** Page title (default `mark-to-model report`). */
  readonly title?: string
  /** Input file name shown in the header. */
  readonly source?: string
  /** Further HTML sections appended after the underlyings' (the accounts and risk sections of lib/io/accountsReport.ts and lib/io/riskReport.ts). */
  readonly sections?: readonly string[]
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @category utils
 * @since 0.1.0
 */
export const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')

const n = (x: number | null, d: number): string => (x === null || !Number.isFinite(x) ? '' : x.toFixed(d))
const sig = (x: number | null): string =>
  x === null || !Number.isFinite(x) ? '' : x === 0 ? '0' : String(Number(x.toPrecision(5)))
const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '' : (100 * x).toFixed(2))

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2933;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d9e2ec}
h3{font-size:15px;margin:18px 0 6px}code{font-size:12px}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #e4e7eb;text-align:right}
th{background:#f0f4f8;position:sticky;top:0}td.l,th.l{text-align:left}
table.sortable th{cursor:pointer}table.sortable th:after{content:' \\2195';color:#9aa5b1}
.kv td{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #e4e7eb;margin:0}
.market{color:${CHART_COLOURS.market}}.model{color:${CHART_COLOURS.model}}.muted{color:#616e7c}
.scroll{max-height:640px;overflow:auto;border:1px solid #e4e7eb}
`

const SORT_SCRIPT = `
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.dataset.dir!=='asc';
      t.querySelectorAll('th').forEach(function(h){delete h.dataset.dir});th.dataset.dir=asc?'asc':'desc';
      rows.sort(function(x,y){
        var a=x.cells[i].dataset.v!==undefined?x.cells[i].dataset.v:x.cells[i].textContent,
            c=y.cells[i].dataset.v!==undefined?y.cells[i].dataset.v:y.cells[i].textContent,
            fa=parseFloat(a),fc=parseFloat(c),r;
        r=(!isNaN(fa)&&!isNaN(fc))?fa-fc:(a<c?-1:a>c?1:0);return asc?r:-r});
      rows.forEach(function(r){b.appendChild(r)})})})});
`

const kv = (rows: readonly [string, string][]): string =>
  `<table class="kv">${rows.map(([k, v]) => `<tr><th class="l">${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</table>`

const marksTable = (marks: readonly MarkRecord[]): string => {
  const head = [
    ['instrument', 'l'],
    ['kind', 'l'],
    ['strike', ''],
    ['expiry', 'l'],
    ['bid', ''],
    ['ask', ''],
    ['mark', ''],
    ['mark IV %', ''],
    ['source', 'l'],
    ['bound', 'l'],
    ['model', ''],
    ['model IV %', ''],
    ['lower', ''],
    ['upper', ''],
    ['verdict', 'l'],
    ['reasons', 'l'],
  ]
  const rows = marks.map((m) => {
    const cells = [
      `<td class="l">${escapeHtml(m.instrument)}</td>`,
      `<td class="l">${m.kind}</td>`,
      `<td>${m.strike}</td>`,
      `<td class="l" data-v="${m.expiryYears}">${escapeHtml(m.expiry.slice(0, 10))}</td>`,
      `<td>${sig(m.bid)}</td>`,
      `<td>${sig(m.ask)}</td>`,
      `<td>${sig(m.markPrice)}</td>`,
      `<td>${pct(m.markIv)}</td>`,
      `<td class="l ${m.source}">${m.source}</td>`,
      `<td class="l">${m.bound}</td>`,
      `<td>${sig(m.modelPrice)}</td>`,
      `<td>${pct(m.modelIv)}</td>`,
      `<td>${sig(m.lower)}</td>`,
      `<td>${sig(m.upper)}</td>`,
      `<td class="l">${m.liquidity.verdict}</td>`,
      `<td class="l">${escapeHtml(m.liquidity.reasons.join('; '))}</td>`,
    ]
    return `<tr>${cells.join('')}</tr>`
  })
  return `<div class="scroll"><table class="sortable marks"><thead><tr>${head
    .map(([h, c]) => `<th class="${c}">${escapeHtml(h as string)}</th>`)
    .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
}

const section = (set: MarkSet): string => {
  const d = set.surface.diagnostics
  const c = set.counts
  const excluded = new Set(d.excluded.map((e) => e.instrument))
  for (const s of set.surface.slices) for (const e of s.excluded) excluded.add(e.instrument)
  const byExpiry = new Map<string, MarkRecord[]>()
  for (const m of set.marks) {
    const l = byExpiry.get(m.expiry) ?? []
    l.push(m)
    byExpiry.set(m.expiry, l)
  }
  const expiries = [...byExpiry.keys()].sort((a, b) => Date.parse(a) - Date.parse(b))
  const charts = expiries.map((e) => {
    const marks = byExpiry.get(e) as MarkRecord[]
    const T = (marks[0] as MarkRecord).expiryYears
    const market = marks.filter((m) => m.source === 'market').length
    const title = `${set.underlying} ${e.slice(0, 10)}  T=${T.toFixed(4)}y  F=${n((marks[0] as MarkRecord).forward, 2)}  ${market}/${marks.length} market`
    return `<figure class="chart" data-expiry="${escapeHtml(e)}">${smileChartSvg({ title, marks, excluded })}</figure>`
  })
  const sliceRows = set.surface.slices.map(
    (s) =>
      `<tr><td class="l">${escapeHtml(s.expiry.slice(0, 16))}</td><td>${s.expiryYears.toFixed(4)}</td><td>${n(s.forward, 2)}</td>` +
      `<td class="l">${escapeHtml(s.model)}</td><td>${s.quotesUsed}</td><td>${n(s.rmseVolPoints, 3)}</td>` +
      `<td>${pct(s.insideSpreadShare)}</td><td>${n(100 * s.residualVol, 3)}</td><td>${s.excluded.length}</td>` +
      `<td class="l">${escapeHtml(s.notes.join('; '))}</td></tr>`,
  )
  const problems = [
    ...set.unmarked.map(
      (u) => `<li>unmarked <code>${escapeHtml(u.instrument)}</code>: ${escapeHtml(u.error.message)}</li>`,
    ),
    ...set.rejected.map(
      (r) =>
        `<li>rejected row ${r.row} field <code>${escapeHtml(r.field)}</code>: ${escapeHtml(r.reason)}${r.instrument === undefined ? '' : ` [${escapeHtml(r.instrument)}]`}</li>`,
    ),
    ...set.warnings.map(
      (r) =>
        `<li class="muted">warning row ${r.row} field <code>${escapeHtml(r.field)}</code>: ${escapeHtml(r.reason)}${r.instrument === undefined ? '' : ` [${escapeHtml(r.instrument)}]`}</li>`,
    ),
  ]
  return `<section class="underlying" id="${escapeHtml(set.underlying)}">
<h2>${escapeHtml(set.underlying)} — ${escapeHtml(set.asOf)}</h2>
${kv([
  [
    'parameter set',
    `<code>${escapeHtml(set.parameters.name)}</code> — ${escapeHtml(set.parameters.description)}`,
  ],
  ['library', `${escapeHtml(set.library.name)} ${escapeHtml(set.library.version)}`],
  ['snapshot fingerprint', `<code>${escapeHtml(set.snapshotFingerprint)}</code>`],
  ['surface fingerprint', `<code>${escapeHtml(set.surfaceFingerprint)}</code>`],
  ['premium', set.premium === 'coin' ? 'coin (inverse: USD value / forward)' : 'quote currency'],
  [
    'counts',
    `${c.listed} listed; ${c.marked} marked: <span class="market">${c.market} market</span>, <span class="model">${c.model} model</span> ` +
      `(${c.liquid} liquid, ${c.thin} thin, ${c.noMarket} no market); ${c.unmarked} unmarked; ${c.rejectedRows} rejected rows; ${c.warningRows} warning rows`,
  ],
  [
    'surface',
    `model <code>${escapeHtml(set.surface.model)}</code>; RMSE ${n(d.rmseVolPoints, 3)} vol pts; inside spread ${pct(d.insideSpreadShare)}%; ` +
      `min g(k) ${n(d.minDurrlemanG, 4)}; calendar-arbitrage free: ${d.calendarArbitrageFree ? 'yes' : 'no'}; ${d.excluded.length} quotes excluded`,
  ],
  ['notes', escapeHtml(d.notes.join('; '))],
])}
<h3>Slices</h3>
<table class="sortable slices"><thead><tr><th class="l">expiry</th><th>T (y)</th><th>forward</th><th class="l">model</th><th>quotes</th><th>RMSE vp</th><th>inside %</th><th>resid vp</th><th>excluded</th><th class="l">notes</th></tr></thead><tbody>${sliceRows.join('')}</tbody></table>
<h3>Smiles</h3>
<p class="muted">IV against strike, out-of-the-money side. Grey bars: bid–ask IV; line: fitted surface; <span class="market">● market marks</span>; <span class="model">◆ model marks</span>; <span style="color:${CHART_COLOURS.excluded}">✕ excluded from the fit</span>.</p>
<div class="charts">${charts.join('\n')}</div>
<h3>Unmarked, rejected and flagged rows (${problems.length})</h3>
${problems.length === 0 ? '<p class="muted">none</p>' : `<ul>${problems.join('')}</ul>`}
<h3>Marks (${set.marks.length}) — click a header to sort</h3>
${marksTable(set.marks)}
</section>`
}

// -------------------------------------------------------------------------------------
// rendering
// -------------------------------------------------------------------------------------

/**
 * Renders the report page of one input file (one section per mark set, i.e. per underlying).
 * Every chart is an inline SVG (one per expiry); the only script sorts tables on a header click.
 *
 * Verified by spec/io/report.spec.ts (opened in headless Chromium: one rendered SVG per expiry).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderReport = (sets: readonly MarkSet[], options: ReportOptions = {}): string => {
  const title = options.title ?? 'mark-to-model report'
  const sub = [options.source, ...sets.map((s) => `${s.underlying} ${s.asOf}`)]
    .filter((x) => x !== undefined)
    .join(' · ')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(sub)}</p>
<nav>${sets.map((s) => `<a href="#${escapeHtml(s.underlying)}">${escapeHtml(s.underlying)}</a>`).join(' · ')}</nav>
${sets.map(section).join('\n')}
${(options.sections ?? []).join('\n')}
<script>${SORT_SCRIPT}</script>
</body></html>
`
}
