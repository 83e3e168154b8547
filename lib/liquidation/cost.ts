/**
 * Liquidation cost: what closing positions costs against the marks, per position and in total,
 * in the premium currency and in USD.
 *
 * With depth for the instrument, closing walks the book: a long sells into the bids, a short buys
 * from the asks, each fill costing `|fill − mark|`-signed `(mark − bid)` or `(ask − mark)` per
 * unit; what the book cannot absorb is priced at the last level's distance plus the model impact
 * below. Without depth, the documented model ({@link CostModel}): per unit
 * `halfSpread + vega·impactVol·(|n| / q)^impactExponent`, `halfSpread = max(½·relativeSpread·p,
 * minHalfSpread)`, q the quoted top size — so a wider spread or a smaller quoted size (a thinner
 * book) never costs less (spec/liquidation/properties.spec.ts). Futures: `F·(futureHalfSpread +
 * futureImpact·(|n| / futureReferenceSize)^impactExponent)` per unit.
 *
 * @module
 * @since 0.1.0
 */
import { InstrumentType, type MarketContext } from './market.js'
import type { CostModel, Depth, DepthMap } from './presets.js'

/**
 * Cost of closing one position.
 *
 * @category model
 * @since 0.1.0
 */
export interface PositionCost {
  /** Instrument name. */
  readonly instrument: string
  /** Size closed (signed, underlying units). */
  readonly size: number
  /** Cost in the premium currency (coin for Deribit options; USD for futures). */
  readonly costPremium: number
  /** Premium currency: `coin` or `quote`. */
  readonly premiumCurrency: 'coin' | 'quote'
  /** Cost in USD. */
  readonly costUsd: number
  /** `book` (walked the depth, possibly with a model remainder) or `model`. */
  readonly method: 'book' | 'model'
  /** Units the book could not absorb (priced by the model), 0 without depth. */
  readonly unfilled: number
}

/**
 * Cost of closing a set of positions.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationCost {
  /** Per position. */
  readonly positions: readonly PositionCost[]
  /** Total, USD. */
  readonly totalUsd: number
  /** Total, in coin (USD / S). */
  readonly totalCoin: number
}

const modelUnitCost = (ctx: MarketContext, i: number, amount: number, cm: CostModel): number => {
  const tb = ctx.table
  if (tb.type[i] !== InstrumentType.option) {
    const f = tb.forward[i] as number
    return (
      f *
      (cm.futureHalfSpread + cm.futureImpact * Math.pow(amount / cm.futureReferenceSize, cm.impactExponent))
    )
  }
  const mark = tb.mark[i]
  const p = mark === undefined ? (tb.modelBase[i] as number) : mark.markPrice
  const rs = mark?.liquidity.metrics.relativeSpread ?? null
  const rel = rs !== null && Number.isFinite(rs) && rs > 0 ? rs : cm.defaultRelativeSpread
  const hs = 0.5 * rel * p
  const half = hs > cm.minHalfSpread ? hs : cm.minHalfSpread
  const top = mark?.liquidity.metrics.topSize ?? null
  const q = top !== null && Number.isFinite(top) && top > 0 ? top : cm.referenceSize
  return half + (tb.vega[i] as number) * cm.impactVol * Math.pow(amount / q, cm.impactExponent)
}

const walk = (
  levels: readonly { price: number; amount: number }[],
  amount: number,
  mark: number,
  buy: boolean,
) => {
  let left = amount
  let cost = 0
  let last = 0
  for (const l of levels) {
    if (left <= 0) break
    if (!(l.amount > 0)) continue
    const take = l.amount < left ? l.amount : left
    last = buy ? l.price - mark : mark - l.price
    cost += take * last
    left -= take
  }
  return { cost, left, last }
}

/**
 * Cost of closing `size` (signed: the position held) of instrument `i`, premium currency; see the
 * module comment. `depth` for the instrument walks the book.
 *
 * Verified by spec/liquidation/cost.spec.ts (worked by hand) and the thinner-book properties in properties.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const closeCostPremium = (
  ctx: MarketContext,
  i: number,
  size: number,
  cm: CostModel,
  depth?: Depth,
): { readonly cost: number; readonly unfilled: number; readonly method: 'book' | 'model' } => {
  const amount = size < 0 ? -size : size
  if (amount === 0) return { cost: 0, unfilled: 0, method: depth === undefined ? 'model' : 'book' }
  if (depth === undefined)
    return { cost: amount * modelUnitCost(ctx, i, amount, cm), unfilled: 0, method: 'model' }
  const tb = ctx.table
  const mark =
    tb.mark[i]?.markPrice ??
    (tb.type[i] === InstrumentType.option ? (tb.modelBase[i] as number) : (tb.forward[i] as number))
  const w = walk(size > 0 ? depth.bids : depth.asks, amount, mark, size < 0)
  let cost = w.cost
  if (w.left > 0) {
    const lastDistance = w.last > 0 ? w.last : 0
    cost += w.left * (lastDistance + modelUnitCost(ctx, i, w.left, cm))
  }
  return { cost, unfilled: w.left, method: 'book' }
}

/**
 * Cost of closing every listed position: per position and in total, premium currency and USD
 * (coin costs × S). `rows` are matrix rows of `ctx.table` (instrument index × 2 + side, as in a
 * compiled account) and `sizes` the signed sizes in units of the underlying, same length; `depth`
 * is looked up by instrument name, and instruments without it use the cost model (module
 * comment). Model costs are ≥ 0; a book walk measures each fill against the mark, so it can be
 * negative where the book is through the mark (a bid above a model mark). No positions cost 0.
 * No error tags: the market is already prepared, so every row has a price.
 *
 * Verified by spec/liquidation/cost.spec.ts.
 *
 * @example
 * liquidationCost(ctx, compiled.rows, compiled.sizes, DEFAULT_LIQUIDATION_CONFIG.cost).totalUsd
 *
 * @category liquidation
 * @since 0.1.0
 */
export const liquidationCost = (
  ctx: MarketContext,
  rows: ArrayLike<number>,
  sizes: ArrayLike<number>,
  cm: CostModel,
  depth?: DepthMap,
): LiquidationCost => {
  const positions: PositionCost[] = []
  let total = 0
  for (let j = 0; j < rows.length; j++) {
    const i = (rows[j] as number) >> 1
    const name = ctx.table.names[i] as string
    const size = sizes[j] as number
    const r = closeCostPremium(ctx, i, size, cm, depth?.get(name))
    const coin = ctx.table.type[i] === InstrumentType.option && ctx.table.coin[i] === 1
    const usd = coin ? r.cost * ctx.spot : r.cost
    total += usd
    positions.push({
      instrument: name,
      size,
      costPremium: r.cost,
      premiumCurrency: coin ? 'coin' : 'quote',
      costUsd: usd,
      method: r.method,
      unfilled: r.unfilled,
    })
  }
  return { positions, totalUsd: total, totalCoin: total / ctx.spot }
}
