// Quotes → implied vols: OTM side, parity conversion of the ITM side, reasons for every quote
// that cannot be inverted, coin→USD conversion, weights. Prices are generated with Black-76 at
// known vols, so the recovered vols must match to the inversion's accuracy (1e-10 stated).
import { describe, expect, it } from 'vitest'
import type { OptionQuote } from '../../lib/domain/snapshot.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import { impliedQuotes } from '../../lib/surface/quotes.js'

const T = 0.25
const F = 100
const D = 0.99
const smile = (K: number): number => 0.3 + 0.2 * Math.log(K / F) ** 2

const quote = (
  kind: 'call' | 'put',
  K: number,
  bid: number | null,
  ask: number | null,
  extra: Partial<OptionQuote> = {},
): OptionQuote =>
  ({
    instrument: `X-${K}-${kind === 'call' ? 'C' : 'P'}`,
    kind,
    strike: K,
    expiry: '2026-01-01T08:00:00Z',
    bid,
    ask,
    ...extra,
  }) as OptionQuote

const priced = (kind: 'call' | 'put', K: number, halfSpreadVol = 0.01): OptionQuote => {
  const q = kind === 'call' ? 1 : -1
  const v = smile(K)
  return quote(
    kind,
    K,
    black76PriceUnsafe(q, F, K, T, v - halfSpreadVol, D),
    black76PriceUnsafe(q, F, K, T, v + halfSpreadVol, D),
  )
}

const base = {
  expiry: T,
  forward: F,
  discount: D,
  premium: 'quote' as const,
  minSpreadVol: 0.0025,
  maxSpreadVol: 0.5,
}

describe('impliedQuotes', () => {
  it('uses the OTM side and recovers bid/ask vols (1e-10)', () => {
    const options = [80, 90, 100, 110, 120].flatMap((K) => [priced('call', K), priced('put', K)])
    const r = impliedQuotes({ ...base, options })
    expect(r.points.n).toBe(5)
    expect(r.points.instruments).toEqual(['X-80-P', 'X-90-P', 'X-100-C', 'X-110-C', 'X-120-C'])
    for (let i = 0; i < 5; i++) {
      const K = r.points.strikes[i] as number
      expect(r.points.bidVol[i]).toBeCloseTo(smile(K) - 0.01, 10)
      expect(r.points.askVol[i]).toBeCloseTo(smile(K) + 0.01, 10)
      expect(r.points.weight[i]).toBeCloseTo(1 / 0.02, 6)
      expect(r.points.k[i]).toBeCloseTo(Math.log(K / F), 15)
      expect(r.points.fromParity[i]).toBe(false)
    }
    // ITM rows are kept, flagged as the other side
    expect(r.quotes.find((q) => q.instrument === 'X-80-C')?.issue).toBe('ItmSide')
  })

  it('converts the ITM side by parity when the OTM quote is one-sided', () => {
    const options = [quote('put', 90, 0, 0.5), priced('call', 90)]
    const r = impliedQuotes({ ...base, options })
    expect(r.points.n).toBe(1)
    expect(r.points.fromParity[0]).toBe(true)
    expect(r.points.instruments[0]).toBe('X-90-C')
    // parity is exact, so the put-equivalent vols equal the call's
    expect(r.points.bidVol[0]).toBeCloseTo(smile(90) - 0.01, 9)
    expect(r.quotes.find((q) => q.instrument === 'X-90-P')?.issue).toBe('ZeroBid')
  })

  it('keeps every non-invertible quote with its reason', () => {
    const options = [
      quote('call', 110, null, 1),
      quote('call', 120, 0.5, null),
      quote('call', 130, 0.6, 0.5),
      quote('put', 85, 0, 0.2),
      // ITM call below intrinsic: its put-equivalent is negative
      quote('call', 70, 20, 25),
      quote('put', 70, null, null),
    ]
    const r = impliedQuotes({ ...base, options })
    expect(r.points.n).toBe(0)
    const issue = (name: string) => r.quotes.find((q) => q.instrument === name)?.issue
    expect(issue('X-110-C')).toBe('NoBid')
    expect(issue('X-120-C')).toBe('NoAsk')
    expect(issue('X-130-C')).toBe('Crossed')
    expect(issue('X-85-P')).toBe('ZeroBid')
    expect(issue('X-70-C')).toBe('BelowIntrinsic')
  })

  it('converts coin premiums with the row forward', () => {
    const K = 110
    const Frow = 101
    const usdBid = black76PriceUnsafe(1, Frow, K, T, 0.5, 1)
    const usdAsk = black76PriceUnsafe(1, Frow, K, T, 0.52, 1)
    const o = quote('call', K, usdBid / Frow, usdAsk / Frow, { forward: Frow } as Partial<OptionQuote>)
    const r = impliedQuotes({ ...base, discount: 1, premium: 'coin', options: [o] })
    expect(r.points.forwards[0]).toBe(Frow)
    expect(r.points.bidVol[0]).toBeCloseTo(0.5, 10)
    expect(r.points.askVol[0]).toBeCloseTo(0.52, 10)
  })

  it('gives no points for a non-positive expiry', () => {
    const r = impliedQuotes({ ...base, expiry: 0, options: [priced('call', 110)] })
    expect(r.points.n).toBe(0)
    expect(r.quotes[0]?.issue).toBe('NotInvertible')
  })
})
