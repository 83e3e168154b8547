// The accounts and risk sections of the HTML report (lib/io/accountsReport.ts, lib/io/riskReport.ts):
// - on hand-built inputs, the SVGs carry exactly one exception marker per backtest exception and
//   one bar per cascade round (counted from ECharts' SSR metadata attributes);
// - end to end, `mtm report <example chain> --accounts examples/accounts.json` opened in headless
//   Chromium (Debian's /usr/bin/chromium via playwright-core): the three new charts rendered, the
//   exceptions and bars drawn inside their charts, the status table has every account, and the
//   marking report's own per-expiry charts are unchanged.
import { mkdirSync, readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { accountsSectionHtml } from '../../lib/io/accountsReport.js'
import { rollingVarBacktest } from '../../lib/risk/backtest.js'
import type { CascadeResult } from '../../lib/risk/cascade.js'
import {
  DEFAULT_REPORT_DEPTH,
  cascadeChartSvg,
  riskSectionHtml,
  varBacktestChartSvg,
} from '../../lib/io/riskReport.js'
import { mtm } from '../cli/run.js'
import { CHROMIUM_ARGS, RUN_BROWSER_SPECS } from './reportBrowser.js'

const TMP = '/tmp/mtm-spec-riskreport'
mkdirSync(TMP, { recursive: true })

/** Data points ECharts drew for series `s` of a chart (legend icons are `ecmeta_ssr_type="legend"`). */
const drawn = (svg: string, s: number): number =>
  (
    svg.match(
      new RegExp(`ecmeta_series_index="${String(s)}" ecmeta_data_index="\\d+" ecmeta_ssr_type="chart"`, 'g'),
    ) ?? []
  ).length

// 12 days of returns, window 4, HS at 75 %: each forecast is minus the 2nd-smallest P&L e^r − 1
// of the window (w = ⌊4·0.25⌋ = 1). Worked by hand for days 4…11: forecasts 0.00995 (days 4–8,
// = 1 − e^{−0.01}) and 0.0296 (days 9–11, = 1 − e^{−0.03}); day 5's −0.01 equals its forecast (not
// an exception: strictly larger only); days 6 (−0.10), 8 (−0.03) and 10 (−0.20) are exceptions.
const RETURNS = Float64Array.from([
  0.01, -0.02, 0.01, -0.01, 0.01, -0.01, -0.1, 0.01, -0.03, 0.02, -0.2, 0.01,
])
const DATES = Array.from(
  { length: RETURNS.length + 1 },
  (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`,
)

const CASCADE: CascadeResult = {
  rounds: [
    {
      round: 1,
      spot: 85,
      liquidated: ['a', 'b', 'c'],
      notionalUsd: 1e6,
      hedgeUnits: -10,
      impact: -0.02,
      insuranceDrawUsd: 0,
      socialisedLossUsd: 0,
    },
    {
      round: 2,
      spot: 83.3,
      liquidated: ['d'],
      notionalUsd: 2e5,
      hedgeUnits: -2,
      impact: -0.004,
      insuranceDrawUsd: 100,
      socialisedLossUsd: 5,
    },
  ],
  pricePath: [100, 85, 83.3, 82.9668],
  liquidatedAccounts: 4,
  liquidatedNotionalUsd: 1.2e6,
  insuranceFundStartUsd: 1000,
  insuranceFundEndUsd: 900,
  insuranceDrawnUsd: 100,
  socialisedLossUsd: 5,
  totalMove: -0.170332,
  noFeedback: { liquidatedAccounts: 3, liquidatedNotionalUsd: 1e6, move: -0.15 },
  amplification: 0.170332 / 0.15,
  truncated: false,
}

describe('risk and accounts sections (hand-built inputs)', () => {
  it('one exception marker per backtest exception, at the exception days', () => {
    const bt = rollingVarBacktest(RETURNS, { window: 4, confidence: 0.75, method: 'hs' })
    expect(Array.from(bt.exception)).toEqual([0, 0, 1, 0, 1, 0, 1, 0])
    const svg = varBacktestChartSvg({ title: 't', backtest: bt, dates: DATES })
    expect(drawn(svg, 2)).toBe(3)
    expect(svg).toContain('3 exceptions in 8 days (expected 2.0)')
  })

  it('one bar per cascade round; the section lists the summary figures', () => {
    const svg = cascadeChartSvg({ title: 't', cascade: CASCADE, shock: -0.15 })
    expect(drawn(svg, 0)).toBe(2) // bars: rounds 1 and 2
    expect(drawn(svg, 1)).toBe(4) // price path: start, round 1, round 2, end
    const bt = rollingVarBacktest(RETURNS, { window: 4, confidence: 0.75, method: 'hs' })
    const html = riskSectionHtml({
      underlying: 'BTC',
      spot: 100,
      historySource: 'hand <built>',
      backtest: bt,
      dates: DATES,
      cascade: CASCADE,
      cascadeConfig: { shock: -0.15, depth: DEFAULT_REPORT_DEPTH },
    })
    expect(html).toContain('data-exceptions="3"')
    expect(html).toContain('data-rounds="2"')
    expect(html).toContain('4 (shock alone: 3)')
    expect(html).toContain('hand &lt;built&gt;')
    expect(html).not.toContain('<built>')
  })

  it('an empty accounts section still renders (no markers, counts zero)', () => {
    const html = accountsSectionHtml({
      underlying: 'BTC',
      spot: 100,
      assessments: [],
      failed: [{ account: 'x<y', error: 'bad' }],
    })
    expect(html).toContain('0 healthy')
    expect(html).toContain('x&lt;y: bad')
  })
})

describe('mtm demo', () => {
  it('the demo report has the accounts and risk sections of examples/accounts.json', async () => {
    mkdirSync(`${TMP}/demo`, { recursive: true })
    const r = await mtm(['demo'], { cwd: `${TMP}/demo` })
    expect(r.code, r.stderr).toBe(0)
    const html = readFileSync(`${TMP}/demo/report.html`, 'utf8')
    expect(html).toContain('<section class="accounts" id="accounts-BTC">')
    expect(html).toContain('<section class="risk" id="risk-BTC">')
    expect((html.match(/<figure class="rchart /g) ?? []).length).toBe(3)
    expect((html.match(/<tr><td class="l">[^<]+<\/td><td class="l status status-/g) ?? []).length).toBe(15)
  }, 180_000)
})

describe('mtm report --accounts in headless Chromium', () => {
  it.runIf(RUN_BROWSER_SPECS)(
    'the accounts and risk charts render; exceptions, bars and liquidation prices are drawn',
    async () => {
      const out = `${TMP}/report-accounts.html`
      const r = await mtm([
        'report',
        'examples/deribit_options_snapshot_20260822T153351Z.csv',
        '-o',
        out,
        '--accounts',
        'examples/accounts.json',
      ])
      expect(r.code, r.stderr).toBe(0)
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
      try {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
        await page.goto('file://' + out)
        // evaluated in the page (a string, so this spec needs no DOM typings)
        const c = (await page.evaluate(`(() => {
          const fig = (sel) => document.querySelector('figure.rchart.' + sel)
          const inside = (f, s) => {
            const box = f.querySelector('svg').getBoundingClientRect()
            const pts = Array.from(f.querySelectorAll('path[ecmeta_series_index="' + s + '"][ecmeta_ssr_type="chart"]'))
            return { n: pts.length, inside: pts.filter((p) => { const b = p.getBoundingClientRect(); return b.width > 0 && b.left >= box.left && b.right <= box.right && b.top >= box.top && b.bottom <= box.bottom }).length }
          }
          const svgs = Array.from(document.querySelectorAll('figure.rchart svg'))
          const cells = Array.from(document.querySelectorAll('table.accounts-status tbody tr')).flatMap((tr) => [tr.cells[6].textContent, tr.cells[7].textContent])
          return {
            rcharts: document.querySelectorAll('figure.rchart').length,
            rendered: svgs.filter((s) => s.querySelectorAll('path').length > 5 && s.getBoundingClientRect().width > 300).length,
            marking: document.querySelectorAll('figure.chart').length,
            expiries: document.querySelectorAll('table.slices tbody tr').length,
            exceptionsDeclared: Number(fig('var-backtest').dataset.exceptions),
            exceptions: inside(fig('var-backtest'), 2),
            roundsDeclared: Number(fig('cascade').dataset.rounds),
            bars: inside(fig('cascade'), 0),
            liqPrices: cells.filter((t) => /^[0-9]+$/.test(t)).length,
            diamonds: inside(fig('liquidation-prices'), 0),
            statusRows: document.querySelectorAll('table.accounts-status tbody tr').length,
            riskRows: document.querySelectorAll('table.risk-accounts tbody tr').length,
          }
        })()`)) as Record<string, number | { n: number; inside: number }>
        console.log('accounts/risk report:', JSON.stringify(c))
        await page.locator('section.accounts').screenshot({ path: `${TMP}/accounts.png` })
        await page.locator('section.risk').screenshot({ path: `${TMP}/risk.png` })
        expect(c['rcharts']).toBe(3)
        expect(c['rendered']).toBe(3)
        expect(c['marking']).toBe(c['expiries']) // one smile chart per expiry, as without --accounts
        expect(c['exceptionsDeclared']).toBeGreaterThan(0)
        expect(c['exceptions']).toEqual({ n: c['exceptionsDeclared'], inside: c['exceptionsDeclared'] })
        expect(c['roundsDeclared']).toBeGreaterThan(0)
        expect(c['bars']).toEqual({ n: c['roundsDeclared'], inside: c['roundsDeclared'] })
        expect(c['liqPrices']).toBeGreaterThan(0)
        expect(c['diamonds']).toEqual({ n: c['liqPrices'], inside: c['liqPrices'] })
        expect(c['statusRows']).toBe(15)
        expect(c['riskRows']).toBe(15)
      } finally {
        await browser.close()
      }
    },
    180_000,
  )
})
