/**
 * Shocked views of a prepared market, for stress tests and cascades: the same instrument table
 * (so a compiled account book stays valid) with forwards, spot, the surface and every valuation
 * premium moved to the scenario.
 *
 * @module
 * @since 0.1.0
 */
import type { AccountBook, MarketContext } from '../liquidation/market.js'
import { InstrumentType, optionModelPremium } from '../liquidation/market.js'
import type { PortfolioColumns } from '../liquidation/margin.js'
import type { VolShockRule } from '../liquidation/presets.js'
import { type SurfaceShock, shockSurface } from '../liquidation/scenarios.js'

// -------------------------------------------------------------------------------------
// market
// -------------------------------------------------------------------------------------

/**
 * The market after a shock: spot and forwards × (1 + spotMove), the surface shocked with sticky
 * moneyness and the relative vol shock (liquidation stage's `shockSurface`), and each option's
 * valuation premiums moved by the model's change, `p' = max(0, p + model(shock) − model(base))`
 * (the same rule the scenario kernel `rowValue` applies, so valuing the shocked market at no
 * further shock equals valuing the base market at the shock). The instrument order is unchanged:
 * an {@link AccountBook} compiled on the base market is valid on the shocked one.
 *
 * Verified by spec/risk/stress.spec.ts (shocked equity equals the scenario kernel's).
 *
 * @category market
 * @since 0.1.0
 */
export const shockedMarket = (ctx: MarketContext, shock: SurfaceShock, rule: VolShockRule): MarketContext => {
  const m = 1 + shock.spotMove
  const tb = ctx.table
  const n = tb.names.length
  const forward = tb.forward.map((f) => f * m)
  const premiumLong = tb.premiumLong.slice()
  const premiumShort = tb.premiumShort.slice()
  const modelBase = tb.modelBase.slice()
  for (let i = 0; i < n; i++) {
    if (tb.type[i] !== InstrumentType.option) continue
    const model = optionModelPremium(ctx, i, m, shock.volShock, rule)
    const d = model - (tb.modelBase[i] as number)
    const pl = (tb.premiumLong[i] as number) + d
    const ps = (tb.premiumShort[i] as number) + d
    premiumLong[i] = pl > 0 ? pl : 0
    premiumShort[i] = ps > 0 ? ps : 0
    modelBase[i] = model
  }
  return {
    surface: shockSurface(ctx.surface, shock, rule),
    spot: ctx.spot * m,
    underlying: ctx.underlying,
    marks: ctx.marks,
    table: { ...tb, forward, premiumLong, premiumShort, modelBase },
  }
}

/**
 * The positions and collateral of account `a` of a book, as the liquidation stage's
 * `PortfolioColumns` (views into the book's columns, no copy).
 *
 * Verified by spec/risk/stress.spec.ts.
 *
 * @category market
 * @since 0.1.0
 */
export const accountColumns = (book: AccountBook, a: number): PortfolioColumns => {
  const lo = book.offsets[a] as number
  const hi = book.offsets[a + 1] as number
  return {
    rows: book.rows.subarray(lo, hi),
    sizes: book.sizes.subarray(lo, hi),
    cashUsd: book.cashUsd[a] as number,
    coin: book.coin[a] as number,
    entryUsd: book.entryUsd[a] as number,
  }
}
