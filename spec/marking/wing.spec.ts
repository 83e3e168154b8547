// Far-wing rule `flat-beyond-last-two-sided` (deribit-v2): which strikes bound the wings, what a
// model mark is beyond them, and that the flat wing adds neither butterfly nor calendar arbitrage.
// Expected values come from the stub smile (spec/marking/stubSurface.ts) evaluated directly.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { MarketSnapshot, OptionQuote } from '../../lib/domain/snapshot.js'
import { yearFraction } from '../../lib/domain/time.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import { DERIBIT_V1, DERIBIT_V2 } from '../../lib/marking/config.js'
import type { PricingContext } from '../../lib/marking/liquidity.js'
import { markInstrument, markSnapshot, wingStrikes } from '../../lib/marking/mark.js'
import { stubFit, stubSnapshot, stubSurface } from './stubSurface.js'

const asOf = '2026-08-22T15:33:51.683Z'
const day = '2026-08-23T08:00:00.000Z' // 0.68 days, like the next-day expiries of the real chains
const F = 80_000
// steep next-day smile (annualised variance): 51% ATM, 117% at k = 0.3
const svi = { a: 0.2, b: 3, rho: 0.3, m: 0, sigma: 0.02 }
const surface = stubSurface({ asOf, forward: F, svi, expiries: [day] })
const T = yearFraction(asOf, day)
const strikes = [70_000, 72_000, 74_000, 76_000, 78_000, 80_000, 82_000, 84_000, 86_000, 88_000, 90_000]
const rule = { mode: 'flat-beyond-last-two-sided' } as const
const ctxOf = (o: OptionQuote): PricingContext => ({
  q: o.kind === 'call' ? 1 : -1,
  forward: F,
  strike: o.strike,
  expiryYears: T,
  discount: 1,
  premiumToQuote: F,
  asOf,
})
/** The stub chain with the out-of-the-money books beyond (lower, upper) made one-sided (ask only). */
const chain = (lower: number, upper: number): OptionQuote[] =>
  stubSnapshot({ forward: F, svi }, asOf, [day], strikes).options.map((o) => {
    const otm = o.kind === 'call' ? o.strike >= F : o.strike < F
    return otm && (o.strike < lower || o.strike > upper) ? ({ ...o, bid: null } as OptionQuote) : o
  })
const callUsd = (K: number, vol: number): number => black76PriceUnsafe(1, F, K, T, vol, 1)

describe('wingStrikes', () => {
  it('is the outermost strike whose out-of-the-money option is two-sided, per side', () => {
    expect(wingStrikes(chain(74_000, 84_000), ctxOf, rule)).toEqual({ lower: 74_000, upper: 84_000 })
    expect(wingStrikes(chain(0, Infinity), ctxOf, rule)).toEqual({ lower: 70_000, upper: 90_000 })
  })
  it('ignores in-the-money books and sides without a two-sided quote', () => {
    // every call above F and put below F one-sided: the two-sided ITM books do not count
    expect(wingStrikes(chain(F, F - 1), ctxOf, rule)).toEqual({ lower: null, upper: null })
    // a bid that cannot be inverted to a vol (above the no-arbitrage maximum) is not two-sided
    const bad = chain(0, Infinity).map((o) =>
      o.kind === 'call' && o.strike === 90_000 ? ({ ...o, bid: 2, ask: 3 } as OptionQuote) : o,
    )
    expect(wingStrikes(bad, ctxOf, rule).upper).toBe(88_000)
  })
})

describe('model marks beyond a wing strike', () => {
  const wing = { lower: 74_000, upper: 84_000 }
  const mark = (K: number, w = true) =>
    markInstrument(surface, { kind: 'call', strike: K, expiry: day }, undefined, {
      wingStrikes: w ? wing : undefined,
    })
  it('inside the wing strikes: the surface vol, unchanged', () => {
    for (const K of [74_000, 79_000, 84_000]) expect(mark(K).modelIv).toBe(mark(K, false).modelIv)
  })
  it('far beyond: exactly the surface vol at the wing strike (flat in strike)', () => {
    const flat = surface.vol(84_000, T)
    expect(mark(120_000).modelIv).toBe(flat)
    expect(surface.vol(120_000, T)).toBeGreaterThan(flat + 0.5) // the fitted wing it replaces
    expect(mark(40_000).modelIv).toBe(surface.vol(74_000, T))
  })
  it('call prices stay convex and decreasing across the wing strike (a plain flat vol does not)', () => {
    const grid: number[] = []
    for (let K = 82_000; K <= 96_000; K += 50) grid.push(K)
    const ours = grid.map((K) => mark(K).modelPrice * F)
    const plain = grid.map((K) => callUsd(K, K > wing.upper ? surface.vol(wing.upper, T) : surface.vol(K, T)))
    const worstConvexity = (p: readonly number[]): number => {
      let worst = Number.POSITIVE_INFINITY
      for (let i = 1; i + 1 < p.length; i++)
        worst = Math.min(worst, (p[i - 1] as number) - 2 * (p[i] as number) + (p[i + 1] as number))
      return worst
    }
    // tolerance: Black-76 values are accurate to ~1e-15 F; a butterfly of three of them to ~1e-10 USD
    expect(worstConvexity(ours)).toBeGreaterThan(-1e-9)
    for (let i = 1; i < ours.length; i++) expect(ours[i] as number).toBeLessThanOrEqual(ours[i - 1] as number)
    expect(worstConvexity(plain)).toBeLessThan(-1e-3) // the kink the tangent removes
  })
})

describe('markSnapshot with deribit-v2', () => {
  const later = '2026-08-23T09:00:00.000Z' // one hour after `day`
  const base = stubSnapshot({ forward: F, svi }, asOf, [day, later], strikes)
  // the earlier expiry is two-sided out to 90 000; the later one only to 82 000
  const snap: MarketSnapshot = {
    ...base,
    options: base.options.map((o) =>
      o.expiry !== later
        ? o
        : ({
            ...o,
            instrument: `${o.instrument}-H09`, // both expiries fall on 23 Aug: keep the names unique
            bid: o.kind === 'call' && o.strike > 82_000 ? null : o.bid,
          } as OptionQuote),
    ),
  }
  const fit = stubFit({ forward: F, svi })
  it('is a named preset, echoed into the mark set', () => {
    const r = markSnapshot(snap, { fit, parameters: 'deribit-v2' })
    expect(E.isRight(r) && r.right.parameters).toEqual(DERIBIT_V2)
  })
  it('a flat wing never leaves total variance below the previous expiry at the same strike', () => {
    const v2 = markSnapshot(snap, { fit, parameters: DERIBIT_V2 })
    const v1 = markSnapshot(snap, { fit, parameters: DERIBIT_V1 })
    if (E.isLeft(v2) || E.isLeft(v1)) throw new Error('markSnapshot failed')
    const w = (set: typeof v2.right, e: string, K: number): number => {
      const m = set.marks.find((x) => x.expiry === e && x.strike === K && x.kind === 'call')
      if (m === undefined) throw new Error(`no mark ${e} ${K}`)
      return m.modelIv ** 2 * m.expiryYears
    }
    const Tl = yearFraction(asOf, later)
    for (const K of [86_000, 88_000, 90_000]) {
      // without the floor the later expiry's flat wing, σ(82 000), would sit below the earlier
      // expiry's fitted (still quoted) wing at K: a calendar arbitrage
      expect(surface.vol(82_000, Tl) ** 2 * Tl).toBeLessThan(w(v2.right, day, K))
      expect(w(v2.right, later, K)).toBeGreaterThanOrEqual(w(v2.right, day, K))
      expect(w(v2.right, day, K)).toBe(w(v1.right, day, K)) // the earlier expiry keeps its wing
    }
  })
})
