/**
 * Rolling VaR backtest on a return history, scored by Kupiec's POF test.
 *
 * @module
 * @since 0.1.0
 */
import { filteredReturns } from './ewma.js'
import { type KupiecResult, kupiecPof } from './kupiec.js'
import { valueAtRiskOfSample } from './var.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Configuration of a rolling backtest.
 *
 * @category model
 * @since 0.1.0
 */
export interface BacktestConfig {
  /** Look-back window in observations (default 500). */
  readonly window?: number
  /** VaR confidence (default 0.99). */
  readonly confidence?: number
  /** `'hs'` plain historical simulation, `'fhs'` EWMA-filtered (default `'fhs'`). */
  readonly method?: 'hs' | 'fhs'
  /** EWMA decay for `'fhs'` (default 0.94). */
  readonly lambda?: number
  /** Position direction: +1 long the underlying (losses on falls), −1 short (default +1). */
  readonly direction?: 1 | -1
  /** Kupiec test size (default 0.05). */
  readonly significance?: number
}

/**
 * Result of a rolling backtest: per-day forecasts and outcomes, exception count, Kupiec test.
 * `var[i]` (a positive loss, in return units) is forecast from the `window` returns before day
 * `start + i`; `realised[i]` is that day's P&L per unit notional, `exception[i]` whether the loss
 * exceeded the forecast.
 *
 * @category model
 * @since 0.1.0
 */
export interface BacktestResult {
  /** Index of the first backtested return. */
  readonly start: number
  /** VaR forecasts (positive losses per unit notional). */
  readonly var: Float64Array
  /** Realised P&L per unit notional. */
  readonly realised: Float64Array
  /** 1 where the realised loss exceeded the forecast. */
  readonly exception: Uint8Array
  /** Kupiec POF test of the exception count. */
  readonly kupiec: KupiecResult
  /** The configuration used, defaults filled in. */
  readonly config: Required<BacktestConfig>
}

// -------------------------------------------------------------------------------------
// backtest
// -------------------------------------------------------------------------------------

/**
 * Rolling one-day VaR backtest of a unit position in the underlying. For each day t ≥ window, the
 * VaR is forecast from returns t−window … t−1 only (no look-ahead): plain HS uses them as they
 * are; FHS rescales them by EWMA volatility to the forecast for day t (Hull & White 1998). P&L per
 * unit notional is e^{r_t} − 1 (times direction). An exception is a loss strictly larger than
 * the forecast. The exception count is tested with {@link kupiecPof}.
 *
 * Verified by spec/risk/backtest.spec.ts (hand-built histories with known exception counts, and
 * the real BTC history).
 *
 * @category backtest
 * @since 0.1.0
 */
export const rollingVarBacktest = (returns: Float64Array, config: BacktestConfig = {}): BacktestResult => {
  const cfg: Required<BacktestConfig> = {
    window: config.window ?? 500,
    confidence: config.confidence ?? 0.99,
    method: config.method ?? 'fhs',
    lambda: config.lambda ?? 0.94,
    direction: config.direction ?? 1,
    significance: config.significance ?? 0.05,
  }
  const W = cfg.window
  const n = returns.length
  const m = Math.max(n - W, 0)
  const vars = new Float64Array(m)
  const realised = new Float64Array(m)
  const exception = new Uint8Array(m)
  const pnl = new Float64Array(W)
  let count = 0
  for (let i = 0; i < m; i++) {
    const t = W + i
    const hist = returns.subarray(t - W, t)
    // FHS: filter the window including day t's forecast; the last element of the EWMA path is the
    // forecast for day t, which the filter uses as "today".
    const scen = cfg.method === 'fhs' ? filteredReturns(hist, cfg.lambda) : hist
    for (let j = 0; j < W; j++) pnl[j] = cfg.direction * Math.expm1(scen[j] as number)
    const v = valueAtRiskOfSample(pnl, cfg.confidence)
    const r = cfg.direction * Math.expm1(returns[t] as number)
    vars[i] = v
    realised[i] = r
    if (-r > v) {
      exception[i] = 1
      count++
    }
  }
  return {
    start: W,
    var: vars,
    realised,
    exception,
    kupiec: kupiecPof(count, m, 1 - cfg.confidence, cfg.significance),
    config: cfg,
  }
}
