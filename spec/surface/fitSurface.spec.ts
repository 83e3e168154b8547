// fitSurface on synthetic snapshots generated from a known calendar-free SVI surface
// (Black-76 prices at the model vol ± a half-spread), so recovery, fallbacks and errors have
// known answers. fast-check properties run with seed 42 and the budgets stated below.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { MarketSnapshot, OptionQuote } from '../../lib/domain/snapshot.js'
import type { VolSurface } from '../../lib/domain/surface.js'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import { DEFAULT_SURFACE_CONFIG, SURFACE_PRESETS } from '../../lib/surface/config.js'
import { checkStrikeGrid, createSurfaceFitter, fitSurface } from '../../lib/surface/fitSurface.js'

const ASOF = '2026-01-01T00:00:00.000Z'
const DAY = 86_400_000
// w(k, T) = T · SVI(k): a constant-in-T SVI variance rate, so calendar-free (w ∝ T at every k) and
// butterfly-free for these parameters (b(1 + |ρ|)T ≤ 2, checked by the fit's own g ≥ 0)
const trueW = (k: number, T: number): number =>
  T * (0.2 + 0.5 * (-0.4 * (k - 0.02) + Math.sqrt((k - 0.02) ** 2 + 0.04)))
const trueVol = (k: number, T: number): number => Math.sqrt(trueW(k, T) / T)

interface Build {
  readonly days: readonly number[]
  readonly strikes?: (day: number) => readonly number[]
  readonly premium?: 'coin' | 'quote'
  readonly discountRate?: number
  readonly halfSpreadVol?: number
  readonly withForwards?: boolean
}

const build = (b: Build): MarketSnapshot => {
  const spot = 100
  const options: OptionQuote[] = []
  const forwards = []
  for (const d of b.days) {
    const T = d / 365
    const F = spot * Math.exp(0.03 * T)
    const D = Math.exp(-(b.discountRate ?? 0) * T)
    const expiry = new Date(Date.parse(ASOF) + d * DAY).toISOString()
    forwards.push({ expiry, forward: F })
    const strikes =
      b.strikes?.(d) ??
      Array.from({ length: 21 }, (_, i) => F * Math.exp((i - 10) * 0.3 * 0.45 * Math.sqrt(T)))
    for (const K of strikes) {
      const v = trueVol(Math.log(K / F), T)
      const h = b.halfSpreadVol ?? 0.005
      for (const kind of ['call', 'put'] as const) {
        const q = kind === 'call' ? 1 : -1
        let bid = black76PriceUnsafe(q, F, K, T, v - h, D)
        let ask = black76PriceUnsafe(q, F, K, T, v + h, D)
        if (b.premium === 'coin') {
          bid /= F
          ask /= F
        }
        options.push({
          instrument: `S-${d}-${K.toFixed(4)}-${kind}`,
          kind,
          strike: K,
          expiry,
          bid,
          ask,
        } as OptionQuote)
      }
    }
  }
  return {
    schema: 'mark-to-model/snapshot@1',
    timestamp: ASOF,
    underlying: 'SYN',
    premium: b.premium ?? 'quote',
    spot,
    forwards: b.withForwards === false ? [] : forwards,
    options,
  } as MarketSnapshot
}

const right = (s: MarketSnapshot, c = DEFAULT_SURFACE_CONFIG): VolSurface => {
  const r = fitSurface(s, c)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('fitSurface on a synthetic SVI surface', () => {
  const snap = build({ days: [7, 30, 90, 180] })
  const s = right(snap)

  it('recovers the generating vols inside the quoted band and reports diagnostics', () => {
    expect(s.model).toBe('svi')
    expect(s.slices.length).toBe(4)
    expect(s.diagnostics.insideSpreadShare).toBe(1)
    expect(s.diagnostics.rmseVolPoints).toBeLessThan(0.1)
    expect(s.diagnostics.calendarArbitrageFree).toBe(true)
    expect(s.diagnostics.minDurrlemanG).toBeGreaterThanOrEqual(0)
    expect(s.diagnostics.notes[0]).toBe('config default@1')
    for (const sl of s.slices) {
      expect(sl.parameters.model).toBe('svi')
      expect(sl.residualVol).toBeLessThan(0.002)
      for (const k of [-0.2, 0, 0.2])
        expect(
          Math.abs(
            Math.sqrt(s.totalVariance(k, sl.expiryYears) / sl.expiryYears) - trueVol(k, sl.expiryYears),
          ),
        ).toBeLessThan(0.003)
    }
  })

  it('is deterministic: bit-identical parameters on a refit', () => {
    const again = right(snap)
    expect(again.slices.map((x) => x.parameters)).toEqual(s.slices.map((x) => x.parameters))
  })

  it('is defined for every K > 0, T > 0 (property, seed 42, 500 runs) and butterfly-free on a strike grid', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
        fc.double({ min: 1e-5, max: 10, noNaN: true }),
        (K, T) => {
          const v = s.vol(K, T)
          return Number.isFinite(v) && v > 0
        },
      ),
      { seed: 42, numRuns: 500 },
    )
    for (const T of [3 / 365, 7 / 365, 60 / 365, 1]) {
      const c = checkStrikeGrid(s, T)
      expect(c.convexityViolations).toBe(0)
      expect(c.monotonicityViolations).toBe(0)
    }
    expect(s.vol(-1, 1)).toBeNaN()
    expect(s.vol(100, 0)).toBeNaN()
  })
})

describe('fitSurface: forwards, premiums, fallbacks and errors', () => {
  it('implies F and D by parity when the snapshot gives no forward', () => {
    const s = right(build({ days: [30, 90], discountRate: 0.05, withForwards: false }))
    const T = 90 / 365
    expect(s.slices[1]?.forward).toBeCloseTo(100 * Math.exp(0.03 * T), 6)
    expect(s.slices[1]?.discount).toBeCloseTo(Math.exp(-0.05 * T), 8)
    expect(s.diagnostics.insideSpreadShare).toBe(1)
  })

  it('fits coin premiums like their USD equivalents', () => {
    const usd = right(build({ days: [30, 90] }))
    const coin = right(build({ days: [30, 90], premium: 'coin' }))
    expect(coin.vol(110, 60 / 365)).toBeCloseTo(usd.vol(110, 60 / 365), 6)
  })

  it('falls back to the neighbours for a sparse expiry and says so', () => {
    const s = right(
      build({
        days: [30, 60, 90],
        strikes: (d) => (d === 60 ? [95, 105] : Array.from({ length: 21 }, (_, i) => 70 + 3 * i)),
      }),
    )
    const mid = s.slices[1]
    expect(mid?.parameters.model).toBe('flat')
    expect(mid?.diagnostics.notes.some((n) => n.startsWith('fallback'))).toBe(true)
    // between the neighbours in total variance
    const w = s.totalVariance(0, 60 / 365)
    expect(w).toBeGreaterThan(s.totalVariance(0, 30 / 365))
    expect(w).toBeLessThan(s.totalVariance(0, 90 / 365))
  })

  it('chooses SSVI when most slices are sparse, flat smiles when nothing can be fitted', () => {
    const sparse = build({ days: [30, 60, 90], strikes: () => [90, 100, 110, 120] })
    const s = right(sparse)
    expect(s.model).toBe('ssvi')
    expect(s.diagnostics.notes.some((n) => n.startsWith('model auto → ssvi'))).toBe(true)
    expect(s.slices.every((x) => x.parameters.model === 'ssvi')).toBe(true)
    expect(s.diagnostics.calendarArbitrageFree).toBe(true)
    expect(s.diagnostics.minDurrlemanG).toBeGreaterThanOrEqual(0)
    const flat = right(build({ days: [30, 90], strikes: () => [100] }), {
      ...DEFAULT_SURFACE_CONFIG,
      model: 'svi',
    })
    expect(flat.slices.every((x) => x.parameters.model === 'flat')).toBe(true)
    expect(flat.diagnostics.notes.some((n) => n.includes('flat smiles'))).toBe(true)
  })

  it('repairs a calendar crossing and says where', () => {
    // the 60-day expiry is quoted at far lower prices than the 30-day one: w would fall with T
    const snap = build({ days: [30, 60] })
    const later = Date.parse(ASOF) + 60 * DAY
    const cheap = {
      ...snap,
      options: snap.options.map((o) =>
        Date.parse(o.expiry) === later
          ? { ...o, bid: (o.bid as number) * 0.3, ask: (o.ask as number) * 0.3 }
          : o,
      ),
    } as MarketSnapshot
    const s = right(cheap)
    expect(s.diagnostics.calendarArbitrageFree).toBe(true)
    expect(s.slices[1]?.diagnostics.notes.some((n) => n.startsWith('calendar repair'))).toBe(true)
    for (const k of [-0.2, 0, 0.2])
      expect(s.totalVariance(k, 60 / 365)).toBeGreaterThanOrEqual(s.totalVariance(k, 30 / 365))
  })

  it('fits SABR slices with the configured beta', () => {
    const s = right(build({ days: [30, 90] }), SURFACE_PRESETS.sabr)
    expect(s.model).toBe('sabr')
    for (const sl of s.slices) expect(sl.parameters).toMatchObject({ model: 'sabr', beta: 1 })
    expect(s.diagnostics.rmseVolPoints).toBeLessThan(1)
  })

  it('returns NoUsableQuotes and InvalidInput as values', () => {
    const empty = build({ days: [30], strikes: () => [] })
    const r = fitSurface(empty)
    expect(E.isLeft(r) && r.left._tag).toBe('NoUsableQuotes')
    const bad = fitSurface(build({ days: [30] }), { ...DEFAULT_SURFACE_CONFIG, sabrBeta: 2 })
    expect(E.isLeft(bad) && bad.left._tag).toBe('InvalidInput')
    const broken = build({ days: [30] })
    const withBad = {
      ...broken,
      options: [
        ...broken.options,
        { ...(broken.options[0] as OptionQuote), instrument: 'BAD', expiry: 'soon' },
      ],
    } as MarketSnapshot
    const wb = right(withBad)
    expect(wb.diagnostics.excluded).toContainEqual({
      instrument: 'BAD',
      reason: 'InvalidExpiry: soon is not a timestamp',
    })
    const expired = build({ days: [0] })
    const e = fitSurface(expired)
    expect(E.isLeft(e) && e.left._tag).toBe('NoUsableQuotes')
  })
})

describe('fitSurface properties (fast-check, seed 42)', () => {
  // random SVI-shaped surfaces with quote noise: the fitted surface must be free of calendar and
  // butterfly arbitrage (grid checks) and refit bit-identically. Budget: 25 runs (~1 s).
  it('fits arbitrage-free, deterministic surfaces to noisy SVI chains', () => {
    const arb = fc.record({
      a: fc.double({ min: 0.02, max: 0.1, noNaN: true }),
      b: fc.double({ min: 0.05, max: 0.4, noNaN: true }),
      rho: fc.double({ min: -0.7, max: 0.3, noNaN: true }),
      m: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
      sigma: fc.double({ min: 0.05, max: 0.4, noNaN: true }),
      noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 84, maxLength: 84 }),
      half: fc.double({ min: 0.002, max: 0.02, noNaN: true }),
    })
    fc.assert(
      fc.property(arb, ({ a, b, rho, m, sigma, noise, half }) => {
        const w = (k: number, T: number) =>
          T * (a + b * (rho * (k - m) + Math.sqrt((k - m) ** 2 + sigma * sigma)))
        const options: OptionQuote[] = []
        const forwards = []
        let j = 0
        for (const d of [14, 45, 120, 300]) {
          const T = d / 365
          const expiry = new Date(Date.parse(ASOF) + d * DAY).toISOString()
          forwards.push({ expiry, forward: 100 })
          for (let i = 0; i < 21; i++) {
            const K = 100 * Math.exp((i - 10) * 0.08)
            const v = Math.sqrt(w(Math.log(K / 100), T) / T) * (1 + 0.01 * (noise[j++ % 84] as number))
            const kind = K < 100 ? 'put' : 'call'
            const q = kind === 'call' ? 1 : -1
            options.push({
              instrument: `P-${d}-${i}`,
              kind,
              strike: K,
              expiry,
              bid: black76PriceUnsafe(q, 100, K, T, v - half, 1),
              ask: black76PriceUnsafe(q, 100, K, T, v + half, 1),
            } as OptionQuote)
          }
        }
        const snap = {
          schema: 'mark-to-model/snapshot@1',
          timestamp: ASOF,
          underlying: 'P',
          premium: 'quote',
          spot: 100,
          forwards,
          options,
        } as MarketSnapshot
        const s = right(snap)
        if (!s.diagnostics.calendarArbitrageFree || !(s.diagnostics.minDurrlemanG >= 0)) return false
        for (const sl of s.slices) {
          const c = checkStrikeGrid(s, sl.expiryYears)
          if (c.convexityViolations + c.monotonicityViolations > 0) return false
        }
        const again = right(snap)
        return (
          JSON.stringify(again.slices.map((x) => [x.parameters, x.correction])) ===
          JSON.stringify(s.slices.map((x) => [x.parameters, x.correction]))
        )
      }),
      { seed: 42, numRuns: 25 },
    )
  })
})

describe('fitSurface robustness to one bad quote (fast-check, seed 42)', () => {
  // one OTM quote of the synthetic 4-expiry chain (half-spread 0.5 vol point) moved to any price
  // (bid and ask × a factor in [1e-3, 1e3]): no other strike's fitted vol moves by more than the
  // half-spread (0.5 vol point). Budget: 40 runs (~2 s); measured worst case 0.28 vol point.
  const snap = build({ days: [7, 30, 90, 180] })
  const base = right(snap)
  const otm = snap.options
    .map((o, i) => ({ o, i }))
    .filter(
      ({ o }) =>
        (o.kind === 'call') ===
        o.strike >= 100 * Math.exp((0.03 * (Date.parse(o.expiry) - Date.parse(ASOF))) / (365 * DAY)),
    )
  it('moves no other strike by more than 0.5 vol point', () => {
    fc.assert(
      fc.property(fc.nat({ max: otm.length - 1 }), fc.double({ min: -3, max: 3, noNaN: true }), (j, e10) => {
        const { i: idx } = otm[j] as { i: number }
        const factor = 10 ** e10
        const moved = {
          ...snap,
          options: snap.options.map((o, i) =>
            i === idx ? { ...o, bid: (o.bid as number) * factor, ask: (o.ask as number) * factor } : o,
          ),
        } as MarketSnapshot
        const s = right(moved)
        const target = snap.options[idx] as OptionQuote
        for (const o of snap.options) {
          if (o.strike === target.strike && o.expiry === target.expiry) continue
          const T = (Date.parse(o.expiry) - Date.parse(ASOF)) / (365 * DAY)
          if (Math.abs(s.vol(o.strike, T) - base.vol(o.strike, T)) > 0.005) return false
        }
        return true
      }),
      { seed: 42, numRuns: 40 },
    )
  })
})

describe('createSurfaceFitter', () => {
  it('refits only the touched expiry and returns exactly the full fit', () => {
    const snap = build({ days: [7, 30, 90, 180] })
    const fit = createSurfaceFitter()
    const first = fit(snap)
    expect(fit.stats).toEqual({ reused: 0, computed: 4 })
    // one quote of the 30-day expiry moves by 2%
    const idx = 21 * 2 + 30
    const moved = {
      ...snap,
      options: snap.options.map((o, i) =>
        i === idx ? { ...o, bid: (o.bid as number) * 1.02, ask: (o.ask as number) * 1.02 } : o,
      ),
    } as MarketSnapshot
    const second = fit(moved)
    expect(fit.stats).toEqual({ reused: 3, computed: 5 })
    const full = fitSurface(moved)
    const view = (r: typeof full) =>
      E.isRight(r) ? JSON.stringify({ slices: r.right.slices, d: r.right.diagnostics }) : r.left._tag
    expect(view(second)).toBe(view(full))
    expect(view(first)).toBe(view(fitSurface(snap)))
  })
})
