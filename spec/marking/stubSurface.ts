// A tiny VolSurface for marking specs that must not depend on the real fitter: a raw-SVI smile
// in total variance per unit time (w(k, T) = T·v(k)) on a flat forward curve, discount 1.
// Shared by spec/marking/*.spec.ts and spec/cli/*.spec.ts.
import * as E from 'fp-ts/lib/Either.js'
import type { MarketSnapshot, OptionQuote } from '../../lib/domain/snapshot.js'
import type { SliceFit, VolSurface } from '../../lib/domain/surface.js'
import { yearFraction } from '../../lib/domain/time.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'

export interface StubSpec {
  readonly asOf: string
  readonly underlying?: string
  readonly forward: number
  /** Annualised variance smile v(k) = a + b(ρ(k − m) + √((k − m)² + σ²)); default flat 60%. */
  readonly svi?: { a: number; b: number; rho: number; m: number; sigma: number }
  readonly expiries?: readonly string[]
  readonly residualVol?: number
}

export const FLAT_60 = { a: 0.36, b: 0, rho: 0, m: 0, sigma: 0.1 }

export const stubSurface = (spec: StubSpec): VolSurface => {
  const p = spec.svi ?? FLAT_60
  const v = (k: number): number => p.a + p.b * (p.rho * (k - p.m) + Math.sqrt((k - p.m) ** 2 + p.sigma ** 2))
  const F = spec.forward
  const slices: SliceFit[] = (spec.expiries ?? []).map((e) => ({
    expiry: e,
    expiryYears: yearFraction(spec.asOf, e),
    forward: F,
    discount: 1,
    parameters: { model: 'svi', a: p.a, b: p.b, rho: p.rho, m: p.m, sigma: p.sigma },
    diagnostics: {
      quotesUsed: 0,
      rmseVolPoints: 0,
      insideSpreadShare: 1,
      minDurrlemanG: 1,
      excluded: [],
      notes: ['stub'],
    },
    residualVol: spec.residualVol ?? 0.005,
  }))
  return {
    asOf: spec.asOf,
    underlying: spec.underlying ?? 'BTC',
    spot: F,
    model: 'svi',
    vol: (K, T) => (T > 0 && K > 0 ? Math.sqrt(v(Math.log(K / F))) : Number.NaN),
    totalVariance: (k, T) => T * v(k),
    forward: () => F,
    discount: () => 1,
    slices,
    diagnostics: {
      rmseVolPoints: 0,
      insideSpreadShare: 1,
      minDurrlemanG: 1,
      calendarArbitrageFree: true,
      excluded: [],
      notes: ['stub surface'],
    },
  }
}

/** Coin premium of an option on the stub smile. */
export const stubCoinPrice = (s: VolSurface, kind: 'call' | 'put', K: number, expiry: string): number => {
  const T = yearFraction(s.asOf, expiry)
  const F = s.forward(T)
  return black76PriceUnsafe(kind === 'call' ? 1 : -1, F, K, T, s.vol(K, T), 1) / F
}

/** A fitter that ignores the quotes and returns the stub (for markSnapshot / leaveOneOut specs). */
export const stubFit =
  (spec: Omit<StubSpec, 'asOf' | 'expiries'>) =>
  (snap: MarketSnapshot): E.Either<never, VolSurface> =>
    E.right(
      stubSurface({
        ...spec,
        asOf: snap.timestamp,
        underlying: snap.underlying,
        expiries: [...new Set(snap.options.map((o) => o.expiry))].sort(),
      }),
    )

/** A small synthetic coin-premium chain around the stub smile: quotes at model ± half-spread. */
export const stubSnapshot = (
  surfaceSpec: Omit<StubSpec, 'asOf' | 'expiries'>,
  asOf: string,
  expiries: readonly string[],
  strikes: readonly number[],
  relHalfSpread = 0.02,
): MarketSnapshot => {
  const s = stubSurface({ ...surfaceSpec, asOf, expiries })
  const options: OptionQuote[] = []
  for (const e of expiries)
    for (const K of strikes)
      for (const kind of ['call', 'put'] as const) {
        const p = stubCoinPrice(s, kind, K, e)
        const d = new Date(e)
        const code = `${d.getUTCDate()}${['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][d.getUTCMonth()]}${String(d.getUTCFullYear() % 100)}`
        options.push({
          instrument: `BTC-${code}-${K}-${kind === 'call' ? 'C' : 'P'}`,
          kind,
          strike: K,
          expiry: e,
          bid: p * (1 - relHalfSpread),
          ask: p * (1 + relHalfSpread),
          exchangeMark: { price: p, iv: s.vol(K, yearFraction(asOf, e)) },
        } as OptionQuote)
      }
  return {
    schema: 'mark-to-model/snapshot@1',
    timestamp: asOf,
    underlying: 'BTC',
    premium: 'coin',
    spot: surfaceSpec.forward,
    forwards: expiries.map((e) => ({ expiry: e, forward: surfaceSpec.forward })),
    options,
  } as MarketSnapshot
}
