import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  fitSsvi,
  ssviArbitrageMargins,
  ssviFitTotalVariance,
  type SsviParams,
  ssviPhi,
  ssviToSvi,
  ssviTotalVariance,
  ssviTotalVarianceUnsafe,
} from '../../lib/surface/ssvi.js'
import { sviButterflyGrid, sviMinDurrlemanG, sviTotalVariance } from '../../lib/surface/svi.js'

const PL: SsviParams = { rho: -0.4, phi: { kind: 'powerLaw', eta: 0.8, gamma: 0.35 } }
const HS: SsviParams = { rho: -0.6, phi: { kind: 'heston', lambda: 2.5 } }

describe('SSVI kernels', () => {
  it('φ matches mpmath (40 digits) to 1e-15 relative, including the small-λθ series branch', () => {
    // mpmath 1.2.1: (1/x)(1 − (1 − e^{−x})/x) with x = λθ; η/(θ^γ (1+θ)^{1−γ})
    const rows: [SsviParams['phi'], number, string][] = [
      [{ kind: 'heston', lambda: 2 }, 0.01, '0.49668326688825555204'], // series branch
      [{ kind: 'heston', lambda: 2 }, 0.5, '0.3678794411714423216'],
      [{ kind: 'heston', lambda: 0.7 }, 3, '0.27720100413899816558'],
      [{ kind: 'powerLaw', eta: 0.8, gamma: 0.35 }, 0.01, '3.9836492601147401441'],
      [{ kind: 'powerLaw', eta: 0.8, gamma: 0.35 }, 0.5, '0.78341370912003932889'],
    ]
    for (const [phi, theta, want] of rows) {
      const expected = Number(want)
      expect(Math.abs(ssviPhi(phi, theta) - expected) / expected).toBeLessThan(2e-15)
    }
    expect(ssviPhi(PL.phi, 0)).toBeNaN()
  })
  it('both Heston branches are accurate at the switch λθ = 0.1 (mpmath 1.2.1, 1e-15 relative)', () => {
    const below = ssviPhi({ kind: 'heston', lambda: 1 }, 0.09999999999999999) // series branch
    const at = ssviPhi({ kind: 'heston', lambda: 1 }, 0.1) // expm1 branch
    expect(Math.abs(below - Number('0.48374180359595731775')) / below).toBeLessThan(1e-15)
    expect(Math.abs(at - Number('0.48374180359595731554')) / at).toBeLessThan(1e-15)
  })
  it('an SSVI slice is the raw SVI slice of ssviToSvi (GJ 2014 §4), and w(0) = θ', () => {
    for (const p of [PL, HS]) {
      for (const theta of [0.001, 0.04, 0.5]) {
        const phiT = ssviPhi(p.phi, theta)
        const raw = ssviToSvi(theta, phiT, p.rho)
        expect(ssviTotalVariance(p, theta, 0)).toBeCloseTo(theta, 15)
        for (const k of [-2, -0.3, 0, 0.2, 1.5]) {
          expect(sviTotalVariance(raw, k)).toBeCloseTo(ssviTotalVarianceUnsafe(theta, phiT, p.rho, k), 14)
        }
      }
    }
  })
})

describe('ssviArbitrageMargins', () => {
  const thetas = Array.from({ length: 4001 }, (_, i) => Math.exp(-12 + (24 * i) / 4000))
  it('the sups over θ > 0 bound a dense θ grid (e^−12 … e^12) and are attained to 1e-3', () => {
    for (const p of [PL, HS, { rho: 0.3, phi: { kind: 'powerLaw', eta: 1.5, gamma: 0.5 } } as SsviParams]) {
      const m = ssviArbitrageMargins(p)
      let lin = 0
      let quad = 0
      for (const t of thetas) {
        const f = ssviPhi(p.phi, t)
        lin = Math.max(lin, t * f * (1 + Math.abs(p.rho)))
        quad = Math.max(quad, t * f * f * (1 + Math.abs(p.rho)))
      }
      expect(lin).toBeLessThanOrEqual(m.butterflyLinear * (1 + 1e-12))
      expect(quad).toBeLessThanOrEqual(m.butterflyQuadratic * (1 + 1e-12))
      expect(lin).toBeGreaterThan(m.butterflyLinear * (1 - 1e-3))
      expect(quad).toBeGreaterThan(m.butterflyQuadratic * (1 - 1e-3))
    }
  })
  it('Theorem 4.1 calendar condition 0 ≤ ∂θ(θφ) ≤ φ(1+√(1−ρ²))/ρ² holds on the grid (finite differences)', () => {
    for (const p of [PL, HS, { rho: -0.95, phi: { kind: 'heston', lambda: 0.6 } } as SsviParams]) {
      expect(ssviArbitrageMargins(p).calendarFree).toBe(true)
      const bound = (1 + Math.sqrt(1 - p.rho * p.rho)) / (p.rho * p.rho)
      for (const t of thetas) {
        const h = 1e-6 * t
        const d = ((t + h) * ssviPhi(p.phi, t + h) - (t - h) * ssviPhi(p.phi, t - h)) / (2 * h)
        expect(d).toBeGreaterThanOrEqual(-1e-9)
        expect(d).toBeLessThanOrEqual(ssviPhi(p.phi, t) * bound * (1 + 1e-6))
      }
    }
  })
  it('arbitrage-free parameters give butterfly-free slices (min g ≥ 0) at every θ', () => {
    for (const p of [PL, HS]) {
      expect(ssviArbitrageMargins(p).arbitrageFree).toBe(true)
      for (const theta of [1e-4, 0.01, 0.1, 1, 5]) {
        const raw = ssviToSvi(theta, ssviPhi(p.phi, theta), p.rho)
        expect(sviMinDurrlemanG(raw, sviButterflyGrid(raw, -1, 1)).minG).toBeGreaterThanOrEqual(0)
      }
    }
  })
  it('flags violations: η(1+|ρ|) > 4, γ > 1/2, |ρ| ≥ 1, λ < (1+|ρ|)/4', () => {
    expect(
      ssviArbitrageMargins({ rho: 0, phi: { kind: 'powerLaw', eta: 4.5, gamma: 0.3 } }).arbitrageFree,
    ).toBe(false)
    expect(
      ssviArbitrageMargins({ rho: 0, phi: { kind: 'powerLaw', eta: 0.5, gamma: 0.7 } }).arbitrageFree,
    ).toBe(false)
    expect(
      ssviArbitrageMargins({ rho: 1, phi: { kind: 'powerLaw', eta: 0.5, gamma: 0.3 } }).arbitrageFree,
    ).toBe(false)
    expect(ssviArbitrageMargins({ rho: 0.5, phi: { kind: 'heston', lambda: 0.3 } }).arbitrageFree).toBe(false)
  })
})

const surface = (p: SsviParams, Ts: number[], thetas: number[], n: number) =>
  Ts.map((T, j) => {
    const k = Float64Array.from({ length: n }, (_, i) => (-1 + (2 * i) / (n - 1)) * 3 * Math.sqrt(thetas[j]))
    return { expiry: T, k, w: k.map((x) => ssviTotalVariance(p, thetas[j], x)) }
  })

describe('fitSsvi', () => {
  it('recovers SSVI-generated surfaces exactly: θ to 1e-10 relative, parameters to 1e-6, vols to 1e-8 (seed 42, 12 runs)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.8, max: 0.5, noNaN: true }),
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        fc.double({ min: 0.1, max: 0.5, noNaN: true }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.boolean(),
        (rho, eta, gamma, level, heston) => {
          const p: SsviParams = heston
            ? { rho, phi: { kind: 'heston', lambda: 0.5 + 3 * gamma } }
            : { rho, phi: { kind: 'powerLaw', eta, gamma } }
          fc.pre(ssviArbitrageMargins(p).arbitrageFree)
          const Ts = [0.02, 0.1, 0.3, 1, 2]
          const thetas = Ts.map((T) => level * (0.3 * T + 0.05 * T * T))
          const fit = fitSsvi({ slices: surface(p, Ts, thetas, 13), options: { phi: p.phi.kind } })
          expect(E.isRight(fit)).toBe(true)
          if (E.isLeft(fit)) return
          const f = fit.right
          for (let j = 0; j < Ts.length; j++)
            expect(Math.abs(f.thetas[j] - thetas[j]) / thetas[j]).toBeLessThan(1e-10)
          expect(Math.abs(f.params.rho - rho)).toBeLessThan(1e-6)
          if (p.phi.kind === 'powerLaw' && f.params.phi.kind === 'powerLaw') {
            expect(Math.abs(f.params.phi.eta - p.phi.eta)).toBeLessThan(1e-6)
            expect(Math.abs(f.params.phi.gamma - p.phi.gamma)).toBeLessThan(1e-6)
          }
          if (p.phi.kind === 'heston' && f.params.phi.kind === 'heston')
            expect(Math.abs(f.params.phi.lambda - p.phi.lambda)).toBeLessThan(1e-6 * p.phi.lambda)
          expect(f.rmseVol).toBeLessThan(1e-8)
          expect(f.margins.arbitrageFree).toBe(true)
        },
      ),
      { seed: 42, numRuns: 12 },
    )
  })
  it('on noisy, non-monotone ATM levels returns non-decreasing θ and arbitrage-free parameters (seed 42, 10 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 1.5, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        (vols, s0) => {
          let s = s0
          const rnd = (): number => {
            s = (s * 1103515245 + 12345) % 2147483648
            return s / 2147483648
          }
          const Ts = [0.01, 0.05, 0.1, 0.25, 0.5, 1]
          const slices = Ts.map((T, j) => {
            const k = Float64Array.from({ length: 9 }, (_, i) => -0.5 + i / 8)
            return { expiry: T, k, w: k.map((x) => (vols[j] * (1 + 0.3 * x * x) + 0.05 * rnd()) ** 2 * T) }
          })
          const fit = fitSsvi({ slices })
          expect(E.isRight(fit)).toBe(true)
          if (E.isLeft(fit)) return
          for (let j = 1; j < Ts.length; j++)
            expect(fit.right.thetas[j]).toBeGreaterThanOrEqual(fit.right.thetas[j - 1])
          expect(fit.right.margins.arbitrageFree).toBe(true)
          // calendar: total variance non-decreasing in T at fixed k, also between and beyond expiries
          for (const k of [-1, -0.2, 0, 0.3, 1]) {
            let prev = 0
            for (let T = 0.002; T < 3; T *= 1.1) {
              const w = ssviFitTotalVariance(fit.right, k, T)
              expect(w).toBeGreaterThanOrEqual(prev)
              prev = w
            }
          }
        },
      ),
      { seed: 42, numRuns: 10 },
    )
  })
  it('fits a power-law SSVI surface from five expiries (example)', () => {
    // #region fitSsvi
    const Ts = [0.02, 0.1, 0.3, 1, 2]
    const thetas = Ts.map((T) => 0.04 * T + 0.01 * T * T) // ATM total variances
    const slices = surface(PL, Ts, thetas, 13) // [{ expiry, k, w }] generated from PL
    const fit = fitSsvi({ slices, options: { phi: 'powerLaw' } })
    // Right: params ≈ PL, thetas ≈ thetas (non-decreasing), margins.arbitrageFree
    // #endregion fitSsvi
    expect(E.isRight(fit) && fit.right.margins.arbitrageFree).toBe(true)
    if (E.isRight(fit)) expect(fit.right.params.rho).toBeCloseTo(PL.rho, 6)
  })
  it('leaves out a wild quote that the robust slice fit rejects, and still recovers the surface', () => {
    const Ts = [0.02, 0.1, 0.3, 1, 2]
    const thetas = Ts.map((T) => 0.04 * T + 0.01 * T * T)
    const slices = surface(PL, Ts, thetas, 13)
    const w2 = slices[2].w.slice()
    w2[4] *= 4 // vol × 2 on one quote of the 0.3-year slice
    slices[2] = { ...slices[2], w: w2 }
    const fit = fitSsvi({ slices })
    expect(E.isRight(fit)).toBe(true)
    if (E.isLeft(fit)) return
    expect(fit.right.notes.join(' ')).toMatch(/quote 4 .* rejected by the robust SVI slice fit/)
    expect(fit.right.params.rho).toBeCloseTo(PL.rho, 6)
    expect(fit.right.rmseVol).toBeLessThan(1e-8)
  })
  it('returns InvalidInput for bad slices', () => {
    const k = Float64Array.of(0, 0.1)
    expect(E.isLeft(fitSsvi({ slices: [] }))).toBe(true)
    const bad = fitSsvi({ slices: [{ expiry: -1, k, w: Float64Array.of(0.1, 0.1) }] })
    expect(E.isLeft(bad) && bad.left.field).toBe('slices.0.expiry')
    const dup = fitSsvi({
      slices: [
        { expiry: 1, k, w: Float64Array.of(0.1, 0.1) },
        { expiry: 1, k, w: Float64Array.of(0.1, 0.1) },
      ],
    })
    expect(E.isLeft(dup) && dup.left.rule).toBe('expiries must be distinct')
  })
})
