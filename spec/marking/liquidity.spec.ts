// Liquidity assessment and market mid. Expected values are worked by hand from the definitions in
// lib/marking/liquidity.ts (spreads, VWAPs) or follow from Black-76 monotonicity (vol spreads).
import { describe, expect, it } from 'vitest'
import { DERIBIT_V1 } from '../../lib/marking/config.js'
import {
  type PricingContext,
  assessLiquidity,
  bestQuotes,
  marketMid,
  premiumIv,
} from '../../lib/marking/liquidity.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'

const asOf = '2026-01-01T00:00:00.000Z'
// Linear premium (premiumToQuote = 1) so prices are easy to read: ATM call F = K = 100, T = 0.25.
const ctx: PricingContext = {
  q: 1,
  forward: 100,
  strike: 100,
  expiryYears: 0.25,
  discount: 1,
  premiumToQuote: 1,
  asOf,
}
const at = (vol: number): number => black76PriceUnsafe(1, 100, 100, 0.25, vol, 1)
const L = DERIBIT_V1.liquidity

describe('assessLiquidity', () => {
  it('no quotes at all is no-market', () => {
    const a = assessLiquidity({ bid: null, ask: null }, ctx, L)
    expect(a.verdict).toBe('no-market')
    expect(a.reasons).toEqual(['no bid and no ask'])
    expect(a.metrics.twoSided).toBe(false)
    expect(assessLiquidity(undefined, ctx, L).verdict).toBe('no-market')
    // a zero bid is an empty side (Deribit writes 0 for "no bid")
    expect(assessLiquidity({ bid: 0, ask: null }, ctx, L).verdict).toBe('no-market')
  })

  it('a tight two-sided book is liquid, with its metrics', () => {
    const bid = at(0.595)
    const ask = at(0.605)
    const a = assessLiquidity({ bid, ask }, ctx, L)
    expect(a.verdict).toBe('liquid')
    expect(a.reasons).toEqual([])
    expect(a.metrics.relativeSpread).toBeCloseTo((ask - bid) / ((ask + bid) / 2), 14)
    expect(a.metrics.spreadVolPoints).toBeCloseTo(1, 8)
    expect(a.metrics.topSize).toBeNull()
    expect(a.metrics.depthInBand).toBeNull()
    expect(a.metrics.quoteAgeSeconds).toBeNull()
  })

  it('one-sided books are thin with the missing side named', () => {
    expect(assessLiquidity({ bid: 10, ask: null }, ctx, L)).toMatchObject({
      verdict: 'thin',
      reasons: ['one-sided: no ask'],
    })
    expect(assessLiquidity({ bid: null, ask: 10 }, ctx, L)).toMatchObject({
      verdict: 'thin',
      reasons: ['one-sided: no bid'],
    })
  })

  it('crossed and locked books are thin', () => {
    const c = assessLiquidity({ bid: 12, ask: 11.9 }, ctx, L)
    expect(c.verdict).toBe('thin')
    expect(c.metrics.crossed).toBe(true)
    expect(c.reasons).toEqual(['crossed book: bid 12 > ask 11.9'])
    const k = assessLiquidity({ bid: 12, ask: 12 }, ctx, L)
    expect(k.metrics.locked).toBe(true)
    expect(k.reasons).toEqual(['locked book: bid = ask = 12'])
  })

  it('every failed threshold is a reason', () => {
    // 50–70% vol: relative spread ≈ 0.33 > 0.15 and 20 vol points > 4
    const a = assessLiquidity({ bid: at(0.5), ask: at(0.7) }, ctx, L)
    expect(a.verdict).toBe('thin')
    expect(a.reasons).toHaveLength(2)
    expect(a.reasons[0]).toMatch(/^relative spread 0\.3\d+ > 0\.15$/)
    expect(a.reasons[1]).toMatch(/^spread 20(\.0+\d*)? vol points > 4$|^spread 19\.99\d* vol points > 4$/)
  })

  it('a spread narrow in price but wide in vol is thin (deep in-the-money)', () => {
    // K = 50, F = 100: intrinsic 50 dominates; 1 unit of spread is ~2% of mid but many vol points
    const itm: PricingContext = { ...ctx, strike: 50 }
    const p = (v: number): number => black76PriceUnsafe(1, 100, 50, 0.25, v, 1)
    const a = assessLiquidity({ bid: p(0.6), ask: p(0.6) + 1 }, itm, L)
    expect(a.metrics.relativeSpread).toBeLessThan(0.15)
    expect(a.metrics.spreadVolPoints).toBeGreaterThan(4)
    expect(a.verdict).toBe('thin')
  })

  it('a bid below intrinsic is reported, not silently inverted', () => {
    const itm: PricingContext = { ...ctx, strike: 50 }
    const a = assessLiquidity({ bid: 49, ask: 50.5 }, itm, L)
    expect(a.reasons).toContain('bid implied vol not computable (bid at or below intrinsic value)')
    expect(a.metrics.spreadVolPoints).toBeNull()
  })

  it('sizes, depth and quote age when given', () => {
    const bid = at(0.599)
    const ask = at(0.601)
    expect(assessLiquidity({ bid, ask, bidSize: 0.5, askSize: 3 }, ctx, L)).toMatchObject({
      verdict: 'thin',
      reasons: ['top size 0.5 < 1'],
      metrics: { topSize: 0.5 },
    })
    const deep = assessLiquidity(
      {
        bid,
        ask,
        bids: [
          { price: bid, amount: 0.3 },
          { price: bid * 0.5, amount: 50 },
        ],
        asks: [{ price: ask, amount: 5 }],
      },
      ctx,
      L,
    )
    // only 0.3 on the bid side lies within ±5% of mid
    expect(deep.metrics.depthInBand).toBeCloseTo(0.3, 12)
    expect(deep.reasons).toContain('depth within ±5% of mid 0.3 < 1')
    expect(deep.reasons).toContain('top size 0.3 < 1')
    const old = assessLiquidity({ bid, ask, quoteTime: '2025-12-31T23:50:00.000Z' }, ctx, L)
    expect(old.metrics.quoteAgeSeconds).toBe(600)
    expect(old.reasons).toEqual(['quote age 600 s > 300 s'])
    const fresh = assessLiquidity(
      { bid, ask, quoteTime: '2025-12-31T23:59:00.000Z', bidSize: 5, askSize: 5 },
      ctx,
      L,
    )
    expect(fresh.verdict).toBe('liquid')
  })
})

describe('marketMid', () => {
  const S = DERIBIT_V1.mark
  it('is the plain mid without depth', () => {
    expect(marketMid({ bid: 10, ask: 11 }, S)).toBe(10.5)
    expect(marketMid({ bid: 10, ask: null }, S)).toBeNaN()
  })
  it('is the mid of the impact prices over the notional band, clamped into [bid, ask]', () => {
    // N = 10: impact bid = (5·10 + 5·9)/10 = 9.5; impact ask = (2·11 + 8·12)/10 = 11.8; mid 10.65
    const book = {
      bid: 10,
      ask: 11,
      bids: [
        { price: 10, amount: 5 },
        { price: 9, amount: 10 },
      ],
      asks: [
        { price: 11, amount: 2 },
        { price: 12, amount: 20 },
      ],
    }
    expect(marketMid(book, S)).toBeCloseTo(10.65, 12)
    // impact ask (1·11 + 9·20)/10 = 19.1 → mid 14.55, clamped to the best ask 11
    const lopsided = {
      bid: 10,
      ask: 11,
      bids: [{ price: 10, amount: 10 }],
      asks: [
        { price: 11, amount: 1 },
        { price: 20, amount: 100 },
      ],
    }
    expect(marketMid(lopsided, S)).toBe(11)
  })
  it('takes the best quotes from depth when the top fields are missing', () => {
    expect(
      bestQuotes({ bid: null, ask: null, bids: [{ price: 3, amount: 1 }], asks: [{ price: 4, amount: 1 }] }),
    ).toEqual({ bid: 3, ask: 4 })
  })
})

describe('premiumIv', () => {
  it('inverts coin premiums through the forward', () => {
    const coin: PricingContext = { ...ctx, forward: 80_000, strike: 90_000, premiumToQuote: 80_000 }
    const usd = black76PriceUnsafe(1, 80_000, 90_000, 0.25, 0.55, 1)
    expect(premiumIv(usd / 80_000, coin)).toBeCloseTo(0.55, 10)
    expect(premiumIv(0, coin)).toBeNaN()
  })
})
