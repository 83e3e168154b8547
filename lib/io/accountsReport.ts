/**
 * The accounts section of the HTML report: a sortable status table (equity, margin, usage,
 * liquidation prices, liquidation cost, plan, fees per account) and a chart of every account's
 * liquidation prices on one price axis around spot. Server-side ECharts SVG, like `charts.ts`; the
 * section is an HTML string that `renderReport` appends (its `sections` option).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Account } from '../domain/account.js'
import type { AccountAssessment } from '../domain/assessment.js'
import type { Mark } from '../domain/mark.js'
import type { VolSurface } from '../domain/surface.js'
import { assessAccount } from '../liquidation/assess.js'
import { type DepthMap, type MarginPreset, liquidationConfig } from '../liquidation/presets.js'
import { svgChart } from './charts.js'
import { escapeHtml } from './report.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What the accounts section shows.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountsSectionInput {
  /** Underlying symbol. */
  readonly underlying: string
  /** Spot (index) the assessments were made at. */
  readonly spot: number
  /** Assessments, in the order to show (full assessments carry liquidation prices). */
  readonly assessments: readonly AccountAssessment[]
  /** Accounts that could not be assessed: id and one-line reason. */
  readonly failed?: readonly { readonly account: string; readonly error: string }[]
  /** Accounts file name shown in the heading. */
  readonly source?: string
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * Colours of the four account statuses.
 *
 * @category constants
 * @since 0.1.0
 */
export const STATUS_COLOURS = {
  healthy: '#2e7d32',
  'margin-call': '#e0a800',
  liquidatable: '#e65100',
  insolvent: '#b71c1c',
} as const

/**
 * The CSS of the accounts and risk sections (figures are `figure.rchart`, so the marking report's
 * `figure.chart` counts stay per expiry).
 *
 * @category constants
 * @since 0.1.0
 */
export const SECTION_STYLE = `<style>
.rchart{border:1px solid #e4e7eb;margin:0}.status{font-weight:600}section.accounts th,section.risk th{position:static}
${Object.entries(STATUS_COLOURS)
  .map(([k, v]) => `.status-${k}{color:${v}}`)
  .join('')}
</style>`

const money = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(0)
const price = (x: number | 'none' | undefined): string =>
  x === undefined ? '' : x === 'none' ? 'none' : x.toFixed(0)
const pct = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '' : (100 * x).toFixed(1)

// -------------------------------------------------------------------------------------
// charts
// -------------------------------------------------------------------------------------

/**
 * Every account's liquidation prices on one logarithmic price axis (one row per account): the
 * nearest price below and above spot as filled markers coloured by the account's status, any
 * further crossings as hollow markers, spot as a vertical line. The axis spans the prices found
 * and spot with a margin, within the search range [S/10, 10·S].
 *
 * Verified by spec/io/riskReport.spec.ts (rendered in headless Chromium).
 *
 * @category charts
 * @since 0.1.0
 */
export const liquidationPriceChartSvg = (input: AccountsSectionInput, width = 1000): string => {
  const rows = input.assessments
  const S = input.spot
  const ids = rows.map((a) => a.account)
  const nearest: { value: [number, number]; itemStyle: { color: string } }[] = []
  const others: [number, number][] = []
  let lo = S
  let hi = S
  rows.forEach((a, i) => {
    const lp = a.liquidationPrices
    if (lp === null) return
    for (const p of [lp.below, lp.above])
      if (p !== 'none') {
        nearest.push({ value: [p, i], itemStyle: { color: STATUS_COLOURS[a.status] } })
        lo = Math.min(lo, p)
        hi = Math.max(hi, p)
      }
    for (const p of lp.all)
      if (p !== lp.below && p !== lp.above) {
        others.push([p, i])
        lo = Math.min(lo, p)
        hi = Math.max(hi, p)
      }
  })
  const min = Math.max(S / 10, lo / 1.15)
  const max = Math.min(10 * S, hi * 1.15)
  const height = 90 + 26 * Math.max(rows.length, 1)
  return svgChart(width, height, {
    animation: false,
    title: {
      text: `${input.underlying} liquidation prices around spot ${S.toFixed(0)} (log scale)`,
      left: 10,
      top: 6,
      textStyle: { fontSize: 13 },
    },
    legend: { top: 28, left: 10, itemHeight: 9, textStyle: { fontSize: 11 } },
    grid: { left: 190, right: 30, top: 60, bottom: 40 },
    xAxis: {
      type: 'log',
      min,
      max,
      name: 'underlying price',
      nameLocation: 'middle',
      nameGap: 24,
      axisLabel: { fontSize: 10, formatter: (v: number) => v.toFixed(0) },
    },
    yAxis: { type: 'category', data: ids, inverse: true, axisLabel: { fontSize: 11 } },
    series: [
      {
        name: 'nearest liquidation price (colour = status now)',
        type: 'scatter',
        data: nearest,
        symbol: 'diamond',
        symbolSize: 11,
        z: 3,
      },
      {
        name: 'further crossings',
        type: 'scatter',
        data: others,
        symbol: 'emptyCircle',
        symbolSize: 8,
        itemStyle: { color: '#616e7c' },
        z: 2,
      },
      {
        name: 'spot',
        type: 'line',
        data: [],
        itemStyle: { color: '#1f2933' },
        lineStyle: { color: '#1f2933', type: 'dashed' },
        markLine: {
          symbol: 'none',
          silent: true,
          label: { formatter: `spot ${S.toFixed(0)}`, fontSize: 10 },
          lineStyle: { color: '#1f2933', type: 'dashed' },
          data: [{ xAxis: S }],
        },
      },
    ],
  })
}

// -------------------------------------------------------------------------------------
// sections
// -------------------------------------------------------------------------------------

/**
 * The accounts section: status counts, the liquidation-price chart and a sortable table with one
 * row per account (status, equity, IM, MM, MM usage, liquidation prices, liquidation cost, plan,
 * socialised loss, the rule that decided the status). Accounts that failed are listed.
 *
 * Verified by spec/io/riskReport.spec.ts.
 *
 * @category sections
 * @since 0.1.0
 */
export const accountsSectionHtml = (input: AccountsSectionInput): string => {
  const counts = new Map<string, number>()
  for (const a of input.assessments) counts.set(a.status, (counts.get(a.status) ?? 0) + 1)
  const preset = input.assessments[0]?.preset
  const head = [
    'account',
    'status',
    'equity USD',
    'IM USD',
    'MM USD',
    'MM usage %',
    'liq. below',
    'liq. above',
    'liq. cost USD',
    'plan',
    'socialised USD',
    'decided by',
  ]
  const rows = input.assessments.map((a) => {
    const lp = a.liquidationPrices
    const plan =
      a.plan === null ? '' : `${String(a.plan.steps.length)} steps${a.plan.achieved ? '' : ' (not achieved)'}`
    return (
      `<tr><td class="l">${escapeHtml(a.account)}</td><td class="l status status-${a.status}">${a.status}</td>` +
      `<td>${money(a.equityUsd)}</td><td>${money(a.initialMarginUsd)}</td><td>${money(a.maintenanceMarginUsd)}</td>` +
      `<td>${pct(a.marginUsage.maintenance)}</td><td>${price(lp?.below)}</td><td>${price(lp?.above)}</td>` +
      `<td>${money(a.liquidationCost?.totalUsd)}</td><td class="l">${plan}</td><td>${money(a.fees?.socialisedLossUsd)}</td>` +
      `<td class="l">${escapeHtml(a.decidedBy.rule)}</td></tr>`
    )
  })
  const failed = input.failed ?? []
  return `<section class="accounts" id="accounts-${escapeHtml(input.underlying)}">${SECTION_STYLE}
<h2>Accounts — ${escapeHtml(input.underlying)}${input.source === undefined ? '' : ` (${escapeHtml(input.source)})`}</h2>
<p>${String(input.assessments.length)} accounts assessed with <code>${escapeHtml(preset === undefined ? '' : `${preset.name}@${String(preset.version)}`)}</code> at spot ${input.spot.toFixed(2)}: ${(
    ['healthy', 'margin-call', 'liquidatable', 'insolvent'] as const
  )
    .map((s) => `<span class="status status-${s}">${String(counts.get(s) ?? 0)} ${s}</span>`)
    .join(', ')}${failed.length > 0 ? `; ${String(failed.length)} failed` : ''}.</p>
<h3>Liquidation prices</h3>
<p class="muted">Every underlying price in [S/10, 10·S] at which the account's equity crosses its maintenance margin (revalued through the surface, sticky moneyness); diamonds are the nearest below and above spot, coloured by the account's status now; hollow circles further crossings; an account with no marker has none in the range.</p>
<figure class="rchart liquidation-prices">${liquidationPriceChartSvg(input)}</figure>
<h3>Status — click a header to sort</h3>
<table class="sortable accounts-status"><thead><tr>${head.map((h, i) => `<th class="${i === 0 || i === 1 || i >= 9 ? 'l' : ''}">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
${failed.length === 0 ? '' : `<ul>${failed.map((f) => `<li>${escapeHtml(f.account)}: ${escapeHtml(f.error)}</li>`).join('')}</ul>`}
</section>`
}

/**
 * Assesses accounts (full: liquidation prices, cost, plan, fees) and renders
 * {@link accountsSectionHtml}. Accounts whose assessment fails are listed with their error.
 *
 * @category sections
 * @since 0.1.0
 */
export const accountsSection = (
  accounts: readonly Account[],
  market: {
    readonly underlying: string
    readonly marks: readonly Mark[]
    readonly surface: VolSurface
    readonly depth?: DepthMap | undefined
  },
  options: { readonly preset?: MarginPreset; readonly source?: string } = {},
): string => {
  const assessments: AccountAssessment[] = []
  const failed: { account: string; error: string }[] = []
  const config = liquidationConfig({
    ...(options.preset === undefined ? {} : { preset: options.preset }),
    full: true,
    depth: market.depth !== undefined && market.depth.size > 0 ? market.depth : undefined,
  })
  for (const a of accounts) {
    const r = assessAccount(a, market.marks, market.surface, config)
    if (E.isLeft(r)) failed.push({ account: a.id, error: r.left.message })
    else assessments.push(r.right)
  }
  return accountsSectionHtml({
    underlying: market.underlying,
    spot: assessments[0]?.spot ?? market.surface.spot,
    assessments,
    failed,
    ...(options.source === undefined ? {} : { source: options.source }),
  })
}
