// Test fixtures for the liquidation specs: a stand-in VolSurface (flat or smile) and marks built
// from it, so nothing waits for lib/surface or lib/marking. Black-76 here is written out again
// (textbook form) so the kernel in lib/liquidation/market.ts is checked against a second copy.
import * as E from 'fp-ts/lib/Either.js'
import { normCdf } from '../../lib/core/normal.js'
import { parseInstrument } from '../../lib/domain/instrument.js'
import type { Mark } from '../../lib/domain/mark.js'
import type { VolSurface } from '../../lib/domain/surface.js'
import { yearFraction } from '../../lib/domain/time.js'

export const AS_OF = '2026-08-22T15:33:51.000Z'
export const SPOT = 77000

export interface SurfaceOptions {
  readonly spot?: number
  /** σ(k, T) */
  readonly vol?: (k: number, t: number) => number
  /** continuous carry: F(T) = S·e^{carry·T} */
  readonly carry?: number
}

export const flatVol = (v: number) => (): number => v
export const smileVol = (k: number, t: number): number => 0.45 + 0.1 * k * k - 0.05 * k + 0.02 * Math.sqrt(t)

export const testSurface = (o: SurfaceOptions = {}): VolSurface => {
  const spot = o.spot ?? SPOT
  const vol = o.vol ?? flatVol(0.5)
  const carry = o.carry ?? 0
  const forward = (t: number): number => spot * Math.exp(carry * t)
  const totalVariance = (k: number, t: number): number => {
    const s = vol(k, t)
    return s * s * t
  }
  return {
    asOf: AS_OF,
    underlying: 'BTC',
    spot,
    model: 'svi',
    vol: (strike, t) => Math.sqrt(totalVariance(Math.log(strike / forward(t)), t) / t),
    totalVariance,
    forward,
    discount: () => 1,
    slices: [],
    diagnostics: {
      rmseVolPoints: 0,
      insideSpreadShare: 1,
      minDurrlemanG: 0,
      calendarArbitrageFree: true,
      excluded: [],
      notes: ['test stand-in surface'],
    },
  }
}

export const b76 = (q: number, f: number, k: number, t: number, v: number): number => {
  const s = v * Math.sqrt(t)
  const d1 = Math.log(f / k) / s + s / 2
  return q * (f * normCdf(q * d1) - k * normCdf(q * (d1 - s)))
}

export interface MarkOptions {
  readonly source?: 'market' | 'model'
  /** coin mark price; default the surface's model price */
  readonly price?: number
  /** band half-width as a fraction of the price (model marks), default 0.05 */
  readonly band?: number
  readonly relativeSpread?: number | null
  readonly topSize?: number | null
}

export const markFor = (surface: VolSurface, name: string, o: MarkOptions = {}): Mark => {
  const p = parseInstrument(name)
  if (E.isLeft(p) || p.right.type !== 'option') throw new Error(`not an option: ${name}`)
  const ins = p.right
  const t = yearFraction(surface.asOf, ins.expiry)
  const f = surface.forward(t)
  const iv = surface.vol(ins.strike, t)
  const model = b76(ins.kind === 'call' ? 1 : -1, f, ins.strike, t, iv) / f
  const price = o.price ?? model
  const source = o.source ?? 'market'
  const band = source === 'model' ? (o.band ?? 0.05) : 0
  return {
    instrument: name,
    underlying: ins.underlying,
    kind: ins.kind,
    strike: ins.strike,
    expiry: ins.expiry,
    expiryYears: t,
    forward: f,
    premium: 'coin',
    markPrice: price,
    markIv: iv,
    source,
    model: 'test',
    modelPrice: model,
    modelIv: iv,
    lower: price * (1 - band),
    upper: price * (1 + band),
    liquidity: {
      verdict: source === 'market' ? 'liquid' : 'thin',
      reasons: [],
      metrics: {
        twoSided: true,
        relativeSpread: o.relativeSpread === undefined ? 0.04 : o.relativeSpread,
        spreadVolPoints: null,
        topSize: o.topSize === undefined ? 5 : o.topSize,
        depthInBand: null,
        quoteAgeSeconds: null,
        crossed: false,
        locked: false,
      },
    },
    fingerprint: 'test',
  }
}

/** A small chain on the 25SEP26 and 25DEC26 expiries. */
export const CHAIN: readonly string[] = [
  'BTC-25SEP26-60000-P',
  'BTC-25SEP26-70000-P',
  'BTC-25SEP26-75000-P',
  'BTC-25SEP26-80000-C',
  'BTC-25SEP26-90000-C',
  'BTC-25SEP26-100000-C',
  'BTC-25DEC26-65000-P',
  'BTC-25DEC26-90000-C',
  'BTC-28AUG26-72000-P',
  'BTC-28AUG26-82000-C',
]

export const chainMarks = (surface: VolSurface): Mark[] =>
  CHAIN.map((n, i) => markFor(surface, n, { source: i % 3 === 0 ? 'model' : 'market' }))

export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
