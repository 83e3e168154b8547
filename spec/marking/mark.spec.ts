// markInstrument / markInstrumentChecked on a stub surface (spec/marking/stubSurface.ts), so the
// expected values follow from Black-76 on a known smile: model price = B76(F, K, T, σ(K, T)) / F.
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { MarkRecord } from '../../lib/domain/mark.js'
import { yearFraction } from '../../lib/domain/time.js'
import { DERIBIT_V1 } from '../../lib/marking/config.js'
import { markInstrument, markInstrumentChecked } from '../../lib/marking/mark.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import { stubCoinPrice, stubSurface } from './stubSurface.js'

const asOf = '2026-08-22T15:33:51.683Z'
const expiry = '2026-09-25T08:00:00.000Z'
const skew = { a: 0.2, b: 0.3, rho: -0.3, m: 0.05, sigma: 0.2 }
const surface = stubSurface({ asOf, forward: 80_000, svi: skew, expiries: [expiry], residualVol: 0.004 })
const T = yearFraction(asOf, expiry)
const call = { instrument: 'BTC-25SEP26-90000-C', kind: 'call' as const, strike: 90_000, expiry }

describe('markInstrument', () => {
  it('without a book: a model mark at the surface vol, in coin', () => {
    const m = markInstrument(surface, call)
    const vol = surface.vol(90_000, T)
    const usd = black76PriceUnsafe(1, 80_000, 90_000, T, vol, 1)
    expect(m.source).toBe('model')
    expect(m.liquidity.verdict).toBe('no-market')
    expect(m.modelIv).toBe(vol)
    expect(m.markIv).toBe(vol)
    expect(m.modelPrice).toBe(usd / 80_000)
    expect(m.markPrice).toBe(m.modelPrice)
    expect(m.model).toBe('black76/svi')
    expect(m.parameterSet).toBe('deribit-v2')
    expect(m.bound).toBe('none')
    expect(m.lower).toBeLessThan(m.markPrice)
    expect(m.upper).toBeGreaterThan(m.markPrice)
    expect(m.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(E.isRight(MarkRecord.decode(m))).toBe(true)
  })

  it('band: ±2·max(floor, √(residual² + half-spread²)) in vol around the mark', () => {
    const m = markInstrument(surface, call)
    const vol = m.markIv
    const h = 2 * Math.max(0.0025, 0.004) // no book: half-spread 0
    expect(m.lower).toBeCloseTo(black76PriceUnsafe(1, 80_000, 90_000, T, vol - h, 1) / 80_000, 14)
    expect(m.upper).toBeCloseTo(black76PriceUnsafe(1, 80_000, 90_000, T, vol + h, 1) / 80_000, 14)
    const wider = markInstrument(surface, call, undefined, { localHalfSpreadVol: 0.03 })
    expect(wider.upper - wider.lower).toBeGreaterThan(m.upper - m.lower)
  })

  it('a liquid book gives the market mid, never outside [bid, ask]', () => {
    const p = stubCoinPrice(surface, 'call', 90_000, expiry)
    const book = { bid: p * 0.99, ask: p * 1.03 }
    const m = markInstrument(surface, call, book)
    expect(m.liquidity.verdict).toBe('liquid')
    expect(m.source).toBe('market')
    expect(m.markPrice).toBe((book.bid + book.ask) / 2)
    expect(m.modelPrice).toBeCloseTo(p, 15)
    expect(m.bid).toBe(book.bid)
    expect(m.ask).toBe(book.ask)
  })

  it('a firm one-sided bid above the model raises the model mark to it', () => {
    const p = stubCoinPrice(surface, 'call', 90_000, expiry)
    const m = markInstrument(surface, call, { bid: p * 1.2, ask: null })
    expect(m.source).toBe('model')
    expect(m.bound).toBe('bid')
    expect(m.markPrice).toBe(p * 1.2)
    expect(m.markIv).toBeGreaterThan(m.modelIv)
    expect(m.lower).toBeLessThanOrEqual(m.markPrice)
  })

  it('a firm one-sided ask below the model lowers the model mark to it', () => {
    const p = stubCoinPrice(surface, 'call', 90_000, expiry)
    const m = markInstrument(surface, call, { bid: null, ask: p * 0.8 })
    expect(m.bound).toBe('ask')
    expect(m.markPrice).toBe(p * 0.8)
  })

  it('a crossed book bounds nothing: the model price stands', () => {
    const p = stubCoinPrice(surface, 'call', 90_000, expiry)
    const m = markInstrument(surface, call, { bid: p * 1.5, ask: p * 1.4 })
    expect(m.liquidity.metrics.crossed).toBe(true)
    expect(m.source).toBe('model')
    expect(m.bound).toBe('none')
    expect(m.markPrice).toBe(m.modelPrice)
  })

  it('marks an unlisted (strike, expiry) and builds its name', () => {
    const m = markInstrument(surface, { kind: 'put', strike: 61_234.5, expiry: '2026-10-30T08:00:00.000Z' })
    expect(m.instrument).toBe('BTC-30OCT26-61234d5-P')
    expect(m.model).toBe('black76/svi/interpolated')
    expect(Number.isFinite(m.markPrice)).toBe(true)
  })

  it('the parameter set and the book enter the fingerprint; repeated calls are identical', () => {
    const a = markInstrument(surface, call, { bid: 0.01, ask: null })
    const b = markInstrument(surface, call, { bid: 0.01, ask: null })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(markInstrument(surface, call, { bid: 0.011, ask: null }).fingerprint).not.toBe(a.fingerprint)
    const other = {
      ...DERIBIT_V1,
      name: 'x-v1',
      liquidity: { ...DERIBIT_V1.liquidity, maxRelativeSpread: 0.2 },
    }
    expect(
      markInstrument(surface, call, { bid: 0.01, ask: null }, { parameters: other }).fingerprint,
    ).not.toBe(a.fingerprint)
  })

  it('property: a liquid mark lies in [bid, ask]; a model mark respects every firm side (seed 42, 400 runs)', () => {
    const p0 = stubCoinPrice(surface, 'call', 90_000, expiry)
    fc.assert(
      fc.property(
        fc.option(fc.double({ min: 0.2, max: 3, noNaN: true }), { nil: null }),
        fc.option(fc.double({ min: 0.2, max: 3, noNaN: true }), { nil: null }),
        (b, a) => {
          const bid = b === null ? null : b * p0
          const ask = a === null ? null : a * p0
          const m = markInstrument(surface, call, { bid, ask })
          expect(Number.isFinite(m.markPrice)).toBe(true)
          if (m.source === 'market') {
            expect(m.markPrice).toBeGreaterThanOrEqual(bid as number)
            expect(m.markPrice).toBeLessThanOrEqual(ask as number)
          } else if (!m.liquidity.metrics.crossed) {
            if (bid !== null) expect(m.markPrice).toBeGreaterThanOrEqual(bid)
            if (ask !== null && (bid === null || bid <= ask)) expect(m.markPrice).toBeLessThanOrEqual(ask)
          }
          expect(m.lower).toBeLessThanOrEqual(m.markPrice)
          expect(m.upper).toBeGreaterThanOrEqual(m.markPrice)
        },
      ),
      { seed: 42, numRuns: 400 },
    )
  })
})

describe('markInstrumentChecked', () => {
  it('typed errors: bad strike, bad expiry, expired, negative price, surface without a value', () => {
    const bad = (r: E.Either<{ _tag: string; message: string }, unknown>): string =>
      E.isLeft(r) ? r.left._tag : 'right'
    expect(bad(markInstrumentChecked(surface, { ...call, strike: -5 }))).toBe('InvalidInput')
    expect(bad(markInstrumentChecked(surface, { ...call, strike: Number.NaN }))).toBe('InvalidInput')
    expect(bad(markInstrumentChecked(surface, { ...call, expiry: '25SEP26' }))).toBe('InvalidInput')
    expect(bad(markInstrumentChecked(surface, { ...call, expiry: '2026-08-01T08:00:00.000Z' }))).toBe(
      'ExpiredOption',
    )
    expect(bad(markInstrumentChecked(surface, call, { bid: -1, ask: null }))).toBe('InvalidInput')
    const broken = { ...surface, vol: () => Number.NaN }
    expect(bad(markInstrumentChecked(broken, call))).toBe('ModelNotEvaluable')
    const r = markInstrumentChecked(surface, { ...call, strike: -5 })
    expect(E.isLeft(r) && r.left.message).toBe(
      'field BTC-25SEP26-90000-C.strike = -5: must be a finite number in (0, ∞)',
    )
    expect(E.isRight(markInstrumentChecked(surface, call))).toBe(true)
  })

  it("an unknown kind is InvalidInput in the codecs' grammar (`field <path> = <value>: <rule>`)", () => {
    const r = markInstrumentChecked(surface, { ...call, kind: 'straddle' as 'call' })
    expect(E.isLeft(r) && r.left.message).toBe(
      `field BTC-25SEP26-90000-C.kind = "straddle": must be 'call' or 'put'`,
    )
  })
})
