/**
 * The risk section of the HTML report: VaR / ES of the book and its accounts, the rolling VaR
 * backtest of the underlying with its exceptions marked (Kupiec's test beside it), and a
 * liquidation cascade for a default shock (price path and liquidations per round). Server-side
 * ECharts SVG, like `charts.ts`; the section is an HTML string that `renderReport` appends (its
 * `sections` option).
 *
 * @module
 * @since 0.1.0
 */
import type { PriceHistory } from '../domain/history.js'
import { type BacktestResult, rollingVarBacktest } from '../risk/backtest.js'
import { type CascadeResult, type DepthCurve, simulateCascade } from '../risk/cascade.js'
import { logReturns } from '../risk/ewma.js'
import { type Portfolio, type PortfolioRisk, valueAtRisk } from '../risk/portfolio.js'
import { historicalScenarios } from '../risk/scenarios.js'
import { SECTION_STYLE } from './accountsReport.js'
import { svgChart } from './charts.js'
import { escapeHtml } from './report.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What the risk section shows.
 *
 * @category model
 * @since 0.1.0
 */
export interface RiskSectionInput {
  /** Underlying symbol. */
  readonly underlying: string
  /** Spot of the snapshot. */
  readonly spot: number
  /** History name shown in the text. */
  readonly historySource: string
  /** Book VaR / ES (optional). */
  readonly risk?: PortfolioRisk
  /** Scenario method and horizon of `risk`. */
  readonly riskMethod?: string
  /** Rolling backtest of the underlying. */
  readonly backtest: BacktestResult
  /** Dates of the history the backtest ran on (returns i ↔ dates[i + 1]). */
  readonly dates: readonly string[]
  /** Cascade for the default shock. */
  readonly cascade: CascadeResult
  /** The cascade's shock and depth curve. */
  readonly cascadeConfig: { readonly shock: number; readonly depth: DepthCurve }
}

/**
 * Options of {@link riskSection}.
 *
 * @category model
 * @since 0.1.0
 */
export interface RiskSectionOptions {
  /** History name shown in the text. */
  readonly historySource: string
  /** Scenario count for VaR (default 1000, the last days of the history). */
  readonly scenarios?: number
  /** Scenario method (default `fhs`). */
  readonly method?: 'hs' | 'fhs'
  /** Cascade shock (default {@link DEFAULT_REPORT_SHOCK}). */
  readonly shock?: number
  /** Cascade depth curve (default {@link DEFAULT_REPORT_DEPTH}). */
  readonly depth?: DepthCurve
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The report's default cascade shock: −15 %.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_REPORT_SHOCK = -0.15

/**
 * The report's default depth curve: linear, 1e-9 per USD (0.1 % per $1M traded; the
 * `mtm cascade` default).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_REPORT_DEPTH: DepthCurve = { model: 'linear', coefficient: 1e-9, referenceUsd: 1 }

/**
 * Colours of the risk charts, by meaning.
 *
 * @category constants
 * @since 0.1.0
 */
export const RISK_COLOURS = {
  realised: '#9aa5b1',
  var: '#1769aa',
  exception: '#c62828',
  price: '#1f2933',
  bars: '#e07a00',
  noFeedback: '#616e7c',
} as const

const money = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '')
const pct2 = (x: number): string => (Number.isFinite(x) ? (100 * x).toFixed(2) : '')

const kv = (rows: readonly [string, string][]): string =>
  `<table class="kv">${rows.map(([k, v]) => `<tr><th class="l">${escapeHtml(k)}</th><td class="l">${v}</td></tr>`).join('')}</table>`

// -------------------------------------------------------------------------------------
// charts
// -------------------------------------------------------------------------------------

/**
 * The rolling VaR backtest as an SVG: realised daily P&L of a unit long position (% of notional,
 * grey line), the negated VaR forecast (blue line), and every exception — a loss beyond the
 * forecast — as a red cross at its realised P&L. The title carries the exception count against
 * the expected count and Kupiec's p-value.
 *
 * Verified by spec/io/riskReport.spec.ts (rendered in headless Chromium; one cross per exception).
 *
 * @category charts
 * @since 0.1.0
 */
export const varBacktestChartSvg = (input: {
  readonly title: string
  readonly backtest: BacktestResult
  readonly dates: readonly string[]
  readonly width?: number
  readonly height?: number
}): string => {
  const bt = input.backtest
  const day = (i: number): string => input.dates[bt.start + i + 1] ?? String(i)
  const realised: [string, number][] = []
  const forecast: [string, number][] = []
  const exceptions: [string, number][] = []
  for (let i = 0; i < bt.var.length; i++) {
    const d = day(i)
    const r = Math.round((bt.realised[i] as number) * 1e5) / 1e3
    realised.push([d, r])
    forecast.push([d, -Math.round((bt.var[i] as number) * 1e5) / 1e3])
    if (bt.exception[i] === 1) exceptions.push([d, r])
  }
  const k = bt.kupiec
  return svgChart(input.width ?? 1000, input.height ?? 380, {
    animation: false,
    title: {
      text: input.title,
      subtext: `${String(k.exceptions)} exceptions in ${String(k.observations)} days (expected ${(k.observations * k.expectedRate).toFixed(1)}); Kupiec LR ${k.statistic.toFixed(2)}, p = ${k.pValue.toPrecision(3)} → ${k.rejected ? 'rejected' : 'not rejected'} at ${String(100 * k.significance)}%`,
      left: 10,
      top: 4,
      textStyle: { fontSize: 13 },
      subtextStyle: { fontSize: 11 },
    },
    legend: { top: 8, right: 20, itemHeight: 9, textStyle: { fontSize: 11 } },
    grid: { left: 56, right: 20, top: 80, bottom: 40 },
    xAxis: { type: 'time', axisLabel: { fontSize: 10 } },
    yAxis: {
      type: 'value',
      name: 'P&L (% of notional)',
      nameTextStyle: { fontSize: 10 },
      axisLabel: { fontSize: 10 },
    },
    series: [
      {
        name: 'realised P&L',
        type: 'line',
        data: realised,
        showSymbol: false,
        lineStyle: { color: RISK_COLOURS.realised, width: 0.8 },
        itemStyle: { color: RISK_COLOURS.realised },
        z: 1,
      },
      {
        name: `−VaR ${String(100 * bt.config.confidence)}% (${bt.config.method})`,
        type: 'line',
        data: forecast,
        showSymbol: false,
        lineStyle: { color: RISK_COLOURS.var, width: 1.2 },
        itemStyle: { color: RISK_COLOURS.var },
        z: 2,
      },
      {
        name: `exception (${String(exceptions.length)})`,
        type: 'scatter',
        data: exceptions,
        symbol: 'path://M0,0L10,10M10,0L0,10',
        symbolSize: 7,
        itemStyle: { color: RISK_COLOURS.exception, borderColor: RISK_COLOURS.exception, borderWidth: 1.5 },
        z: 3,
      },
    ],
  })
}

/**
 * A cascade as an SVG: spot along the cascade (start, the spot at which each round found its
 * liquidations, the end) as a line, the number of accounts liquidated per round as bars on a
 * second axis, and the spot the shock alone gives (no feedback) as a dashed line.
 *
 * Verified by spec/io/riskReport.spec.ts (rendered in headless Chromium).
 *
 * @category charts
 * @since 0.1.0
 */
export const cascadeChartSvg = (input: {
  readonly title: string
  readonly cascade: CascadeResult
  readonly shock: number
  readonly width?: number
  readonly height?: number
}): string => {
  const c = input.cascade
  const R = c.rounds.length
  const labels = c.pricePath.map((_, i) => (i === 0 ? 'start' : i <= R ? `round ${String(i)}` : 'end'))
  const bars = labels.map((_, i) => (i >= 1 && i <= R ? (c.rounds[i - 1]?.liquidated.length ?? 0) : null))
  const S0 = c.pricePath[0] as number
  return svgChart(input.width ?? 640, input.height ?? 360, {
    animation: false,
    title: { text: input.title, left: 10, top: 4, textStyle: { fontSize: 13 } },
    legend: { top: 28, left: 10, itemHeight: 9, textStyle: { fontSize: 11 } },
    grid: { left: 70, right: 56, top: 70, bottom: 36 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
    yAxis: [
      {
        type: 'value',
        name: 'spot',
        scale: true,
        nameTextStyle: { fontSize: 10 },
        axisLabel: { fontSize: 10 },
      },
      {
        type: 'value',
        name: 'accounts',
        minInterval: 1,
        nameTextStyle: { fontSize: 10 },
        axisLabel: { fontSize: 10 },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'liquidated accounts',
        type: 'bar',
        yAxisIndex: 1,
        data: bars,
        barWidth: '40%',
        itemStyle: { color: RISK_COLOURS.bars },
        z: 1,
      },
      {
        name: 'spot',
        type: 'line',
        data: c.pricePath.map((p) => Math.round(p * 100) / 100),
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { color: RISK_COLOURS.price, width: 1.5 },
        itemStyle: { color: RISK_COLOURS.price },
        z: 2,
      },
      {
        name: 'spot after the shock alone',
        type: 'line',
        data: [],
        itemStyle: { color: RISK_COLOURS.noFeedback },
        lineStyle: { color: RISK_COLOURS.noFeedback, type: 'dashed' },
        markLine: {
          symbol: 'none',
          silent: true,
          label: {
            formatter: `shock alone ${(100 * input.shock).toFixed(1)}%`,
            fontSize: 10,
            position: 'insideEndTop',
          },
          lineStyle: { color: RISK_COLOURS.noFeedback, type: 'dashed' },
          data: [{ yAxis: Math.round(S0 * (1 + input.shock) * 100) / 100 }],
        },
      },
    ],
  })
}

// -------------------------------------------------------------------------------------
// sections
// -------------------------------------------------------------------------------------

/**
 * The risk section: book VaR / ES (and per account, sortable), the backtest chart with Kupiec's
 * verdict, the cascade chart and its summary (rounds, liquidated accounts and notional, insurance
 * fund drawn, socialised loss, amplification against the shock alone).
 *
 * Verified by spec/io/riskReport.spec.ts.
 *
 * @category sections
 * @since 0.1.0
 */
export const riskSectionHtml = (input: RiskSectionInput): string => {
  const c = input.cascade
  const r = input.risk
  const varTable =
    r === undefined
      ? ''
      : `<h3>Value at risk — ${escapeHtml(input.riskMethod ?? '')}</h3>
${kv([
  [`book VaR ${String(100 * r.varConfidence)}%`, `${money(r.var)} USD`],
  [`book ES ${String(100 * r.esConfidence)}%`, `${money(r.es)} USD`],
  [
    'scenarios',
    `${String(r.scenarios)} from ${escapeHtml(input.historySource)}; full revaluation through the surface (sticky moneyness, vols × e^(−r) per spot log return r)`,
  ],
])}
<table class="sortable risk-accounts"><thead><tr><th class="l">account</th><th>VaR ${String(100 * r.varConfidence)}% USD</th><th>ES ${String(100 * r.esConfidence)}% USD</th></tr></thead><tbody>${r.ids
          .map(
            (id, a) =>
              `<tr><td class="l">${escapeHtml(id)}</td><td>${money(r.accountVar[a] as number)}</td><td>${money(r.accountEs[a] as number)}</td></tr>`,
          )
          .join('')}</tbody></table>`
  const bt = input.backtest
  const depth = input.cascadeConfig.depth
  const depthText =
    depth.model === 'linear'
      ? `linear, ${String(depth.coefficient)} per USD`
      : `square-root, ${String(depth.coefficient)} at ${String(depth.referenceUsd)} USD`
  return `<section class="risk" id="risk-${escapeHtml(input.underlying)}">${SECTION_STYLE}
<h2>Risk — ${escapeHtml(input.underlying)}</h2>
${varTable}
<h3>VaR backtest of the underlying</h3>
<p class="muted">One-day VaR of a unit long ${escapeHtml(input.underlying)} position forecast each day from the previous ${String(bt.config.window)} daily returns of ${escapeHtml(input.historySource)} (${bt.config.method === 'fhs' ? 'filtered historical simulation, EWMA λ = ' + String(bt.config.lambda) : 'historical simulation'}); red crosses mark the days whose loss exceeded the forecast.</p>
<figure class="rchart var-backtest" data-exceptions="${String(bt.kupiec.exceptions)}">${varBacktestChartSvg({ title: `${input.underlying} rolling ${String(100 * bt.config.confidence)}% VaR backtest`, backtest: bt, dates: input.dates })}</figure>
<h3>Liquidation cascade: spot ${(100 * input.cascadeConfig.shock).toFixed(1)}%</h3>
<p class="muted">Depth curve ${escapeHtml(depthText)}; the liquidator hedges each liquidated account's delta against it, spot moves, the surface moves with spot, until no new account is liquidatable.</p>
<div class="charts"><figure class="rchart cascade" data-rounds="${String(c.rounds.length)}">${cascadeChartSvg({ title: `${input.underlying} cascade from ${(100 * input.cascadeConfig.shock).toFixed(1)}%`, cascade: c, shock: input.cascadeConfig.shock })}</figure>
${kv([
  ['rounds', `${String(c.rounds.length)}${c.truncated ? ' (stopped at the round limit)' : ''}`],
  [
    'liquidated accounts',
    `${String(c.liquidatedAccounts)} (shock alone: ${String(c.noFeedback.liquidatedAccounts)})`,
  ],
  ['liquidated notional', `${money(c.liquidatedNotionalUsd)} USD`],
  [
    'spot move',
    `${pct2(c.totalMove)}% (shock alone ${pct2(c.noFeedback.move)}%); amplification ${c.amplification.toFixed(4)}`,
  ],
  [
    'insurance fund',
    `${money(c.insuranceFundStartUsd)} → ${money(c.insuranceFundEndUsd)} USD; drawn ${money(c.insuranceDrawnUsd)} USD`,
  ],
  ['socialised loss', `${money(c.socialisedLossUsd)} USD`],
])}</div>
</section>`
}

/**
 * Computes and renders the risk section of a book: VaR / ES on the last `scenarios` days of the
 * history (FHS by default), the rolling one-day backtest of the underlying at the VaR confidence,
 * and the cascade for the default shock and depth curve (preset and fees: the liquidation
 * defaults).
 *
 * @category sections
 * @since 0.1.0
 */
export const riskSection = (
  portfolio: Portfolio,
  history: PriceHistory,
  options: RiskSectionOptions,
): string => {
  const method = options.method ?? 'fhs'
  const scenarios = historicalScenarios(history, { method, count: options.scenarios ?? 1000 })
  const risk = scenarios.length > 0 ? valueAtRisk(portfolio, scenarios) : undefined
  const backtest = rollingVarBacktest(logReturns(history.closes), { method })
  const shock = options.shock ?? DEFAULT_REPORT_SHOCK
  const depth = options.depth ?? DEFAULT_REPORT_DEPTH
  const cascade = simulateCascade(portfolio.book, portfolio.market, { initialShock: shock, depth })
  return riskSectionHtml({
    underlying: portfolio.market.underlying,
    spot: portfolio.market.spot,
    historySource: options.historySource,
    ...(risk === undefined
      ? {}
      : { risk, riskMethod: `${method}, 1 day, last ${String(scenarios.length)} days` }),
    backtest,
    dates: history.dates,
    cascade,
    cascadeConfig: { shock, depth },
  })
}
