/**
 * Liquidity assessment: can an instrument's order book be trusted as its mark?
 *
 * From what the snapshot holds for one option — best bid / ask, optional top sizes, optional
 * full depth, optional quote time — compute the metrics (two-sided, relative spread, spread in
 * vol points, top size, depth inside a price band, quote age, crossed / locked) and a verdict:
 * `no-market` (no bid and no ask), `thin` (every failed test listed as a reason) or `liquid`.
 * A test whose input the snapshot lacks is skipped (its metric is `null`), not failed.
 *
 * @module
 * @since 0.1.0
 */
import type { LiquidityAssessment } from '../domain/mark.js'
import { impliedVolUnsafe } from '../pricing/impliedVol.js'
import type { LiquidityThresholds, MarkSettings } from './config.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One depth level: price in the premium convention, amount in units of the underlying (a
 * snapshot's branded `BookLevel` is one).
 *
 * @category model
 * @since 0.1.0
 */
export interface QuoteLevel {
  /** Price (premium convention). */
  readonly price: number
  /** Amount, units of the underlying. */
  readonly amount: number
}

/**
 * The order book of one instrument as the marking stage sees it: prices in the premium
 * convention, sizes in units of the underlying. `null` / missing / 0 means that side is empty.
 * `bids` / `asks` are full depth, best first.
 *
 * @category model
 * @since 0.1.0
 */
export interface QuoteBook {
  /** Best bid (premium convention), `null` when none. */
  readonly bid: number | null
  /** Best ask (premium convention), `null` when none. */
  readonly ask: number | null
  /** Size at the best bid, units of the underlying. */
  readonly bidSize?: number | null | undefined
  /** Size at the best ask, units of the underlying. */
  readonly askSize?: number | null | undefined
  /** Bid depth, best first. */
  readonly bids?: readonly QuoteLevel[] | undefined
  /** Ask depth, best first. */
  readonly asks?: readonly QuoteLevel[] | undefined
  /** Time of the quote (UTC ISO), when known. */
  readonly quoteTime?: string | null | undefined
}

/**
 * What the liquidity tests need to know about the instrument to turn prices into implied vols:
 * Black-76 inputs and the premium-to-quote-currency factor (the forward for coin premiums, 1 for
 * quote-currency premiums).
 *
 * @category model
 * @since 0.1.0
 */
export interface PricingContext {
  /** +1 call, −1 put. */
  readonly q: 1 | -1
  /** Forward F(T), quote currency. */
  readonly forward: number
  /** Strike K, quote currency. */
  readonly strike: number
  /** Time to expiry T, ACT/365 years. */
  readonly expiryYears: number
  /** Discount factor P(0, T). */
  readonly discount: number
  /** Quote-currency value of one unit of premium: F for coin (inverse) premiums, 1 for linear. */
  readonly premiumToQuote: number
  /** Snapshot instant (UTC ISO), for quote ages. */
  readonly asOf: string
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * A positive finite price or `null`: an empty side, a zero price or garbage all mean "no quote".
 * Unit: whatever the book's premium convention is (coin or quote currency); the value is passed
 * through unchanged. Total: never throws, no error tags.
 *
 * Verified by spec/marking/utils.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const firmPrice = (p: number | null | undefined): number | null =>
  typeof p === 'number' && Number.isFinite(p) && p > 0 ? p : null

/**
 * The best bid and ask of a book, per side: the top-of-book field when it is a firm price
 * ({@link firmPrice}), else the first depth level's price when firm, else `null` (no quote on
 * that side; an `undefined` book has none on either). Prices stay in the book's premium
 * convention. Depth is assumed best first, as the io readers guarantee. Total: no error tags.
 *
 * Verified by spec/marking/utils.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const bestQuotes = (
  book: QuoteBook | undefined,
): { readonly bid: number | null; readonly ask: number | null } => {
  if (book === undefined) return { bid: null, ask: null }
  return {
    bid: firmPrice(book.bid) ?? firmPrice(book.bids?.[0]?.price),
    ask: firmPrice(book.ask) ?? firmPrice(book.asks?.[0]?.price),
  }
}

/**
 * Black-76 implied vol (decimal) of a premium `price` (premium convention) in a context; NaN
 * when the price carries no vol information (below intrinsic, above the maximum, ≤ 0).
 *
 * Verified by spec/marking/liquidity.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const premiumIv = (price: number, ctx: PricingContext): number =>
  price > 0
    ? impliedVolUnsafe(
        ctx.q,
        price * ctx.premiumToQuote,
        ctx.forward,
        ctx.strike,
        ctx.expiryYears,
        ctx.discount,
      )
    : Number.NaN

/** Volume-weighted price of the first `notional` units of a side (all of it when shallower). */
const impactPrice = (levels: readonly QuoteLevel[], notional: number): number => {
  let filled = 0
  let value = 0
  for (let i = 0; i < levels.length && filled < notional; i++) {
    const l = levels[i] as QuoteLevel
    if (!(l.price > 0 && l.amount > 0)) continue
    const take = Math.min(l.amount, notional - filled)
    filled += take
    value += take * l.price
  }
  return filled > 0 ? value / filled : Number.NaN
}

/** Amount on a side priced inside the band (bids ≥ lo, asks ≤ hi). */
const depthWithin = (levels: readonly QuoteLevel[], inside: (p: number) => boolean): number => {
  let d = 0
  for (const l of levels) if (l.amount > 0 && inside(l.price)) d += l.amount
  return d
}

const fmt = (x: number): string => String(Number(x.toPrecision(4)))

// -------------------------------------------------------------------------------------
// marking
// -------------------------------------------------------------------------------------

/**
 * Assesses one instrument's book.
 *
 * Metrics (all at the snapshot instant):
 * - `twoSided`: a positive bid and a positive ask;
 * - `relativeSpread` = (ask − bid) / ((ask + bid) / 2) (two-sided only);
 * - `spreadVolPoints` = 100·(σ(ask) − σ(bid)), Black-76 implied vols of the two quotes (two-sided
 *   and both invertible only);
 * - `topSize` = min(bid size, ask size) over the sides present (when sizes or depth are given);
 * - `depthInBand` = min over both sides of the amount priced inside [mid(1 − δ), mid(1 + δ)]
 *   (when depth is given);
 * - `quoteAgeSeconds` = asOf − quoteTime (when the quote time is given);
 * - `crossed` = bid > ask, `locked` = bid = ask.
 *
 * Verdict: `no-market` when there is no bid and no ask; otherwise `thin` with one reason per
 * failed test (one-sided, crossed, locked, a side whose IV cannot be computed, each threshold
 * exceeded), or `liquid` when no test fails. Reasons are deterministic strings with the measured
 * value and the threshold. `sideIvs` may pass the implied vols of the best bid and ask when the
 * caller has them already (they must equal `premiumIv` of those prices).
 *
 * Thresholds: a {@link LiquidityThresholds} from a named preset (`deribit-v1`, `cboe-v1`); see
 * docs/methodology/marking.md for the values and why.
 *
 * Verified by spec/marking/liquidity.spec.ts and spec/marking/orderbook.spec.ts (real depth).
 *
 * @category marking
 * @since 0.1.0
 */
export const assessLiquidity = (
  book: QuoteBook | undefined,
  ctx: PricingContext,
  limits: LiquidityThresholds,
  sideIvs?: { readonly bid: number; readonly ask: number },
): LiquidityAssessment => {
  const { bid, ask } = bestQuotes(book)
  const reasons: string[] = []
  const twoSided = bid !== null && ask !== null
  const crossed = twoSided && bid > ask
  const locked = twoSided && bid === ask
  let relativeSpread: number | null = null
  let spreadVolPoints: number | null = null
  let topSize: number | null = null
  let depthInBand: number | null = null
  let quoteAgeSeconds: number | null = null

  if (bid === null && ask === null) reasons.push('no bid and no ask')
  else if (bid === null) reasons.push('one-sided: no bid')
  else if (ask === null) reasons.push('one-sided: no ask')

  if (twoSided) {
    if (crossed) reasons.push(`crossed book: bid ${fmt(bid)} > ask ${fmt(ask)}`)
    if (locked) reasons.push(`locked book: bid = ask = ${fmt(bid)}`)
    const mid = 0.5 * (bid + ask)
    relativeSpread = (ask - bid) / mid
    if (!crossed && !locked) {
      if (relativeSpread > limits.maxRelativeSpread)
        reasons.push(`relative spread ${fmt(relativeSpread)} > ${fmt(limits.maxRelativeSpread)}`)
      const bidIv = sideIvs?.bid ?? premiumIv(bid, ctx)
      const askIv = sideIvs?.ask ?? premiumIv(ask, ctx)
      if (Number.isNaN(bidIv))
        reasons.push('bid implied vol not computable (bid at or below intrinsic value)')
      if (Number.isNaN(askIv))
        reasons.push('ask implied vol not computable (ask at or above the no-arbitrage maximum)')
      if (!Number.isNaN(bidIv) && !Number.isNaN(askIv)) {
        spreadVolPoints = 100 * (askIv - bidIv)
        if (spreadVolPoints > limits.maxSpreadVolPoints)
          reasons.push(`spread ${fmt(spreadVolPoints)} vol points > ${fmt(limits.maxSpreadVolPoints)}`)
      }
    }
    if (book?.bids !== undefined && book.asks !== undefined) {
      const lo = mid * (1 - limits.depthPriceBand)
      const hi = mid * (1 + limits.depthPriceBand)
      depthInBand = Math.min(
        depthWithin(book.bids, (p) => p >= lo),
        depthWithin(book.asks, (p) => p <= hi),
      )
      if (depthInBand < limits.minDepthInBand)
        reasons.push(
          `depth within ±${fmt(100 * limits.depthPriceBand)}% of mid ${fmt(depthInBand)} < ${fmt(limits.minDepthInBand)}`,
        )
    }
  }

  if (typeof book?.quoteTime === 'string') {
    const age = (Date.parse(ctx.asOf) - Date.parse(book.quoteTime)) / 1000
    if (Number.isFinite(age)) quoteAgeSeconds = age
  }
  if (book !== undefined && (bid !== null || ask !== null)) {
    const bidSize = book.bidSize ?? book.bids?.[0]?.amount ?? null
    const askSize = book.askSize ?? book.asks?.[0]?.amount ?? null
    const sizes: number[] = []
    if (bid !== null && bidSize !== null) sizes.push(bidSize)
    if (ask !== null && askSize !== null) sizes.push(askSize)
    if (sizes.length > 0) {
      topSize = Math.min(...sizes)
      if (topSize < limits.minTopSize) reasons.push(`top size ${fmt(topSize)} < ${fmt(limits.minTopSize)}`)
    }
    if (quoteAgeSeconds !== null && quoteAgeSeconds > limits.maxQuoteAgeSeconds)
      reasons.push(`quote age ${fmt(quoteAgeSeconds)} s > ${fmt(limits.maxQuoteAgeSeconds)} s`)
  }

  const verdict = bid === null && ask === null ? 'no-market' : reasons.length > 0 ? 'thin' : 'liquid'
  return {
    verdict,
    reasons,
    metrics: {
      twoSided,
      relativeSpread,
      spreadVolPoints,
      topSize,
      depthInBand,
      quoteAgeSeconds,
      crossed,
      locked,
    },
  }
}

/**
 * The market mark of a liquid book: the mid (bid + ask) / 2, or, when depth is given, the mid of
 * the volume-weighted prices of the first N = `depthNotional` units on each side (the "impact"
 * bid and ask); always clamped into [best bid, best ask]. NaN when the book is not two-sided.
 *
 * Verified by spec/marking/liquidity.spec.ts.
 *
 * @category marking
 * @since 0.1.0
 */
export const marketMid = (book: QuoteBook | undefined, settings: MarkSettings): number => {
  const { bid, ask } = bestQuotes(book)
  if (bid === null || ask === null) return Number.NaN
  let mid = 0.5 * (bid + ask)
  if (book?.bids !== undefined && book.asks !== undefined && book.bids.length > 0 && book.asks.length > 0) {
    const ib = impactPrice(book.bids, settings.depthNotional)
    const ia = impactPrice(book.asks, settings.depthNotional)
    if (Number.isFinite(ib) && Number.isFinite(ia)) mid = 0.5 * (ib + ia)
  }
  return Math.min(Math.max(mid, Math.min(bid, ask)), Math.max(bid, ask))
}
