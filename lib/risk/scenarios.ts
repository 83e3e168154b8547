/**
 * Risk scenarios as surface shocks `{ spotMove, volShock }` (the shape the liquidation stage's
 * scenario kernels take): historical and filtered-historical return scenarios, named historical
 * stress days, and user grids of spot × vol shocks.
 *
 * Spot–vol rule: a spot log return r moves every implied vol by the relative shock
 * `volShock = e^{−β·r} − 1` (β = `spotVolBeta`, default 1), applied with sticky moneyness (the vol at
 * log-moneyness k moves, the smile travels with the forward). A 10% fall (r ≈ −0.105) raises vols by
 * about 11%; a 10% rally lowers them by about 9.5%. β = 0 keeps vols unchanged (pure sticky
 * moneyness).
 *
 * @module
 * @since 0.1.0
 */
import type { PriceHistory } from '../domain/history.js'
import { filteredReturns, horizonReturns, logReturns } from './ewma.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A named risk scenario: relative spot move and relative vol shock (0 = unchanged), with the date
 * it comes from when historical.
 *
 * @category model
 * @since 0.1.0
 */
export interface RiskScenario {
  /** Display name, e.g. `2020-03-12` or `spot -20% vol +50%`. */
  readonly name: string
  /** Relative spot move (e^r − 1), > −1. */
  readonly spotMove: number
  /** Relative vol shock applied to the whole surface (sticky moneyness). */
  readonly volShock: number
  /** Source date (UTC `YYYY-MM-DD`) of a historical scenario, else null. */
  readonly date: string | null
}

/**
 * How historical return scenarios are built.
 *
 * @category model
 * @since 0.1.0
 */
export interface HistoricalScenarioConfig {
  /** `'hs'` plain or `'fhs'` EWMA-filtered returns (default `'fhs'`). */
  readonly method?: 'hs' | 'fhs'
  /** Horizon in days (default 1); overlapping h-day sums. */
  readonly horizonDays?: number
  /** Use the last `count` scenarios of the history (default: all). */
  readonly count?: number
  /** EWMA decay (default 0.94). */
  readonly lambda?: number
  /** Spot–vol beta β of the rule `volShock = e^{−βr} − 1` (default 1). */
  readonly spotVolBeta?: number
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The relative vol shock the spot–vol rule gives for a spot log return: `e^{−β·r} − 1`, so vols
 * are multiplied by `e^{−β·r}` (for β = 1 by S/S′: a 10 % fall, r = ln 0.9, gives +11.1 %, a 10 %
 * rally −9.1 %). `logReturn` is a natural-log return (not a simple return); β ≥ 0 is unitless and
 * 0 means no vol shock. Always > −1 for finite inputs, so shocked vols stay positive; NaN in,
 * NaN out (no error tags). Computed with `expm1` for accuracy at small r.
 *
 * Verified by spec/risk/scenarios.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const spotVolShock = (logReturn: number, spotVolBeta = 1): number =>
  Math.expm1(-spotVolBeta * logReturn)

/**
 * Return scenarios from a daily history: log returns (optionally EWMA-filtered to today's
 * volatility, Hull & White 1998), summed over `horizonDays` overlapping windows, the last `count`
 * kept, each turned into `{ spotMove: e^r − 1, volShock: e^{−βr} − 1 }`. Deterministic; the
 * scenario's date is the last day of its window.
 *
 * Verified by spec/risk/scenarios.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const historicalScenarios = (
  history: PriceHistory,
  config: HistoricalScenarioConfig = {},
): RiskScenario[] => {
  const method = config.method ?? 'fhs'
  const h = Math.max(1, Math.round(config.horizonDays ?? 1))
  const beta = config.spotVolBeta ?? 1
  const daily = logReturns(history.closes)
  const base = method === 'fhs' ? filteredReturns(daily, config.lambda ?? 0.94) : daily
  const r = horizonReturns(base, h, 'overlapping')
  const count = Math.min(config.count ?? r.length, r.length)
  const out: RiskScenario[] = []
  for (let i = r.length - count; i < r.length; i++) {
    const x = r[i] as number
    const date = history.dates[i + h] ?? null
    out.push({
      name: date ?? `scenario ${String(i)}`,
      spotMove: Math.expm1(x),
      volShock: spotVolShock(x, beta),
      date,
    })
  }
  return out
}

/**
 * Named historical stress days: the listed dates (default the 2020-03-12 crash and the
 * 2021-05-19 sell-off) and the `worstDays` largest one-day falls of the history, each as the
 * close-to-close move of that day with the spot–vol rule's vol shock. Dates not in the history are
 * skipped and listed in `missing`.
 *
 * Verified by spec/risk/scenarios.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const historicalStressScenarios = (
  history: PriceHistory,
  options: {
    readonly dates?: readonly string[]
    readonly worstDays?: number
    readonly spotVolBeta?: number
  } = {},
): { readonly scenarios: RiskScenario[]; readonly missing: string[] } => {
  const dates = options.dates ?? ['2020-03-12', '2021-05-19']
  const beta = options.spotVolBeta ?? 1
  const r = logReturns(history.closes)
  const index = new Map(history.dates.map((d, i) => [d, i]))
  const scenarios: RiskScenario[] = []
  const missing: string[] = []
  const seen = new Set<number>()
  const push = (i: number, label: string): void => {
    if (seen.has(i)) return
    seen.add(i)
    const x = r[i - 1] as number
    scenarios.push({
      name: label,
      spotMove: Math.expm1(x),
      volShock: spotVolShock(x, beta),
      date: history.dates[i] as string,
    })
  }
  for (const d of dates) {
    const i = index.get(d)
    if (i === undefined || i === 0) missing.push(d)
    else push(i, `historical ${d}`)
  }
  const order = Array.from({ length: r.length }, (_, j) => j).sort(
    (a, b) => (r[a] as number) - (r[b] as number) || a - b,
  )
  for (const j of order.slice(0, options.worstDays ?? 5))
    push(j + 1, `worst day ${history.dates[j + 1] as string}`)
  return { scenarios, missing }
}

/**
 * A user grid of spot × vol shocks (every pair), named `spot ±x% vol ±y%`.
 *
 * Verified by spec/risk/scenarios.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const stressGrid = (spotMoves: readonly number[], volShocks: readonly number[]): RiskScenario[] => {
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(Math.round(x * 1e4) / 100).toString()}%`
  const out: RiskScenario[] = []
  for (const s of spotMoves)
    for (const v of volShocks)
      out.push({ name: `spot ${pct(s)} vol ${pct(v)}`, spotMove: s, volShock: v, date: null })
  return out
}
