/**
 * Liquidation prices: every underlying price in `[S·lowerFactor, S·upperFactor]` at which
 * `equity − MM` changes sign, revaluing the whole account through the surface at each trial price
 * (sticky moneyness: forwards move with spot, vol at each log-moneyness unchanged; for the risk
 * matrix the scenarios are re-centred on the trial price).
 *
 * Method: `g(x) = equity(x) − MM(x)` on a log-spaced grid of `gridPoints` prices brackets every
 * sign change between neighbours; each bracket is refined by bisection on ln x until its width is
 * below `logTolerance` (1e-12 by default, so the price is exact to ~1e-12 relative). g is
 * continuous (every margin term is a max/min of continuous functions), so each bracket holds a
 * root; two crossings closer than one grid step (ln(100)/240 ≈ 1.9 %) can be missed — a stated
 * limitation. Re-assessing at a returned price gives |equity − MM| ≤ 1e-6·(|equity| + MM + 1) USD
 * (spec/liquidation/liquidationPrice.spec.ts).
 *
 * @module
 * @since 0.1.0
 */
import type { MarketContext } from './market.js'
import { type PortfolioColumns, evaluateAccount, presetScenarios } from './margin.js'
import type { LiquidationPriceSettings, MarginPreset } from './presets.js'

/**
 * Liquidation prices of one account: all crossings in increasing order and the nearest below and
 * above the current spot (`'none'` where there is none).
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationPrices {
  /** Nearest crossing below spot, or `'none'`. */
  readonly below: number | 'none'
  /** Nearest crossing above spot, or `'none'`. */
  readonly above: number | 'none'
  /** Every crossing found in the search range, increasing. */
  readonly all: readonly number[]
  /** The search range [low, high], quote currency. */
  readonly range: readonly [number, number]
}

/**
 * Finds the liquidation prices of an account (see the module comment for method and accuracy):
 * underlying prices in the quote currency (USD), searched in `[S·lowerFactor, S·upperFactor]`
 * (defaults S/10 and 10·S). `below` / `above` are the nearest crossings on each side of spot,
 * `'none'` when the account does not cross there (e.g. no positions, or long options paid in
 * full). No error tags: the account is compiled and the market prepared.
 *
 * Verified by spec/liquidation/liquidationPrice.spec.ts, golden.spec.ts (risk-matrix price by hand) and properties.spec.ts.
 *
 * @example
 * const lp = liquidationPrices(ctx, compiled, DERIBIT_STANDARD, DEFAULT_LIQUIDATION_CONFIG.liquidationPrice)
 * lp.below // e.g. 61234.5
 *
 * @category liquidation
 * @since 0.1.0
 */
export const liquidationPrices = (
  ctx: MarketContext,
  acct: PortfolioColumns,
  preset: MarginPreset,
  settings: LiquidationPriceSettings,
): LiquidationPrices => {
  const scenarios = presetScenarios(preset)
  // sign of g with a dead band: |g| ≤ 1e-12·(|equity| + MM + 1) counts as 0, so an account that
  // sits on the threshold over a range (e.g. long options and no collateral: equity = MM) has no
  // spurious crossings from rounding
  const sign = (lnm: number): number => {
    const st = evaluateAccount(ctx, acct, preset, Math.exp(lnm), scenarios)
    const g = st.equityUsd - st.mmUsd
    const tol = 1e-12 * (Math.abs(st.equityUsd) + Math.abs(st.mmUsd) + 1)
    return g > tol ? 1 : g < -tol ? -1 : 0
  }
  const lo = Math.log(settings.lowerFactor)
  const hi = Math.log(settings.upperFactor)
  const n = Math.max(2, settings.gridPoints)
  const roots: number[] = []
  let xLast = lo
  let sLast = sign(lo)
  for (let j = 1; j < n; j++) {
    const x = lo + ((hi - lo) * j) / (n - 1)
    const sx = sign(x)
    if (sx === 0) continue
    if (sLast !== 0 && sx !== sLast) {
      let a = xLast
      let b = x
      while (b - a > settings.logTolerance) {
        const c = 0.5 * (a + b)
        const sc = sign(c)
        if (sc === 0) {
          a = b = c
          break
        }
        if (sc === sLast) a = c
        else b = c
      }
      roots.push(0.5 * (a + b))
    }
    xLast = x
    sLast = sx
  }
  const all = roots.map((r) => ctx.spot * Math.exp(r))
  let below: number | 'none' = 'none'
  let above: number | 'none' = 'none'
  for (const p of all) {
    if (p < ctx.spot) below = p
    else if (p > ctx.spot && above === 'none') above = p
  }
  return { below, above, all, range: [ctx.spot * settings.lowerFactor, ctx.spot * settings.upperFactor] }
}
