/**
 * Server-side charts: Apache ECharts rendered to SVG strings (`renderer: 'svg', ssr: true`), so
 * a report is one self-contained HTML file with no script needed to draw it.
 *
 * @module
 * @since 0.1.0
 */
import * as echarts from 'echarts'
import type { MarkRecord } from '../domain/mark.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The data of one smile plot: the marks of one expiry and the instruments excluded from its fit.
 *
 * @category model
 * @since 0.1.0
 */
export interface SmileChartInput {
  /** Chart title. */
  readonly title: string
  /** Marks of the expiry (any order). */
  readonly marks: readonly MarkRecord[]
  /** Names of instruments the surface fit excluded. */
  readonly excluded: ReadonlySet<string>
  /** Pixel width (default 760). */
  readonly width?: number
  /** Pixel height (default 400). */
  readonly height?: number
}

/**
 * Colours of the series, by meaning.
 *
 * @category constants
 * @since 0.1.0
 */
export const CHART_COLOURS = {
  spread: '#9aa5b1',
  fitted: '#1f2933',
  market: '#1769aa',
  model: '#e07a00',
  excluded: '#c62828',
} as const

/**
 * Renders one ECharts option server-side to an SVG string (no animation state kept: the chart is
 * disposed after rendering). The one place the report charts create and dispose an instance.
 */
export const svgChart = (
  width: number,
  height: number,
  option: Parameters<echarts.ECharts['setOption']>[0],
): string => {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption(option)
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}

const vp = (x: number | null): number | null =>
  x === null || !Number.isFinite(x) ? null : Math.round(x * 1e4) / 100

// -------------------------------------------------------------------------------------
// charts
// -------------------------------------------------------------------------------------

/**
 * One expiry's smile as an SVG string: IV (vol points) against strike, with
 * - grey vertical bars from bid IV to ask IV for every two-sided quote (a one-sided quote shows
 *   its one IV as a small grey dash),
 * - the fitted curve: the surface vol at every listed strike (`modelIv`), a dark line,
 * - the marks coloured by source: market (blue circles), model (orange diamonds),
 * - quotes excluded from the fit: red crosses at their mark IV.
 *
 * Out-of-the-money side only (calls above the forward, puts below), where the IVs carry the
 * information; both kinds share one strike axis.
 *
 * Verified by spec/io/report.spec.ts (rendered in headless Chromium).
 *
 * @category charts
 * @since 0.1.0
 */
export const smileChartSvg = (input: SmileChartInput): string => {
  const width = input.width ?? 760
  const height = input.height ?? 400
  const otm = input.marks.filter((m) => (m.kind === 'call' ? m.strike >= m.forward : m.strike < m.forward))
  const sorted = [...otm].sort((a, b) => a.strike - b.strike)
  const bars = sorted
    .filter((m) => m.bidIv !== null || m.askIv !== null)
    .map((m) => [m.strike, vp(m.bidIv ?? m.askIv), vp(m.askIv ?? m.bidIv)])
  const curve = sorted.filter((m) => Number.isFinite(m.modelIv)).map((m) => [m.strike, vp(m.modelIv)])
  const pts = (src: 'market' | 'model'): (number | null)[][] =>
    sorted
      .filter((m) => m.source === src && !input.excluded.has(m.instrument))
      .map((m) => [m.strike, vp(m.markIv)])
  const excluded = sorted.filter((m) => input.excluded.has(m.instrument)).map((m) => [m.strike, vp(m.markIv)])
  const ivs = sorted
    .flatMap((m) => [vp(m.markIv), vp(m.modelIv), vp(m.bidIv), vp(m.askIv)])
    .filter((x): x is number => x !== null)
  const lo = ivs.length > 0 ? Math.max(0, Math.floor(Math.min(...ivs) / 5) * 5 - 5) : 0
  const hi = ivs.length > 0 ? Math.ceil(Math.max(...ivs) / 5) * 5 + 5 : 100

  return svgChart(width, height, {
    animation: false,
    title: { text: input.title, left: 10, top: 6, textStyle: { fontSize: 13 } },
    legend: { top: 28, left: 10, itemHeight: 9, textStyle: { fontSize: 11 } },
    grid: { left: 56, right: 20, top: 72, bottom: 44 },
    xAxis: { type: 'value', name: 'strike', nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: 'IV (%)', min: lo, max: Math.min(hi, lo + 300) },
    series: [
      {
        name: 'bid-ask IV',
        type: 'custom',
        itemStyle: { color: CHART_COLOURS.spread },
        renderItem: (
          _params: unknown,
          api: { value: (i: number) => number; coord: (p: number[]) => number[] },
        ) => {
          const a = api.coord([api.value(0), api.value(1)])
          const b = api.coord([api.value(0), api.value(2)])
          const x = a[0] as number
          const y1 = a[1] as number
          const y2 = b[1] as number
          return {
            type: 'group',
            children: [
              {
                type: 'line',
                shape: { x1: x, y1, x2: x, y2 },
                style: { stroke: CHART_COLOURS.spread, lineWidth: 3 },
              },
              {
                type: 'line',
                shape: { x1: x - 3, y1, x2: x + 3, y2: y1 },
                style: { stroke: CHART_COLOURS.spread, lineWidth: 1 },
              },
              {
                type: 'line',
                shape: { x1: x - 3, y1: y2, x2: x + 3, y2 },
                style: { stroke: CHART_COLOURS.spread, lineWidth: 1 },
              },
            ],
          }
        },
        data: bars,
        z: 1,
      },
      {
        name: 'fitted',
        type: 'line',
        data: curve,
        showSymbol: false,
        lineStyle: { color: CHART_COLOURS.fitted, width: 1.5 },
        itemStyle: { color: CHART_COLOURS.fitted },
        z: 2,
      },
      {
        name: 'market mark',
        type: 'scatter',
        data: pts('market'),
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: CHART_COLOURS.market },
        z: 3,
      },
      {
        name: 'model mark',
        type: 'scatter',
        data: pts('model'),
        symbol: 'diamond',
        symbolSize: 7,
        itemStyle: { color: CHART_COLOURS.model },
        z: 3,
      },
      {
        name: 'excluded from fit',
        type: 'scatter',
        data: excluded,
        symbol: 'path://M0,0L10,10M10,0L0,10',
        symbolSize: 8,
        itemStyle: { color: CHART_COLOURS.excluded, borderColor: CHART_COLOURS.excluded, borderWidth: 2 },
        z: 4,
      },
    ],
  })
}
