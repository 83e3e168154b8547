// Interpolation in total variance at constant log-moneyness: exactness at the nodes, the
// documented rules before/between/beyond, calendar repair; fast-check (seed 42, 200 runs).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SliceParameters } from '../../lib/domain/surface.js'
import { sabrVolUnsafe } from '../../lib/pricing/sabr.js'
import {
  type TotalVarianceNode,
  calendarRepair,
  correctionDerivatives,
  correctionValue,
  forwardVarianceRate,
  interpolateTotalVariance,
  sliceTotalVariance,
} from '../../lib/surface/interpolation.js'

const svi = (a: number, b: number, rho: number, m: number, sigma: number): SliceParameters => ({
  model: 'svi',
  a,
  b,
  rho,
  m,
  sigma,
})
const node = (T: number, p: SliceParameters, F = 100): TotalVarianceNode => ({
  expiry: T,
  w: (k) => sliceTotalVariance(p, k, T, F),
})

describe('sliceTotalVariance', () => {
  it('evaluates each model by its formula', () => {
    // SVI at k = m: a + bσ
    expect(sliceTotalVariance(svi(0.01, 0.1, -0.3, 0.05, 0.2), 0.05, 1, 100)).toBeCloseTo(
      0.01 + 0.1 * 0.2,
      15,
    )
    // SSVI at k = 0: θ
    expect(sliceTotalVariance({ model: 'ssvi', theta: 0.04, phi: 2, rho: -0.5 }, 0, 1, 100)).toBeCloseTo(
      0.04,
      15,
    )
    expect(sliceTotalVariance({ model: 'flat', vol: 0.5 }, 0.3, 0.25, 100)).toBeCloseTo(0.0625, 15)
    const v = sabrVolUnsafe(100, 100 * Math.exp(0.1), 0.5, 0.6, 1, -0.2, 0.8, 0)
    expect(
      sliceTotalVariance({ model: 'sabr', alpha: 0.6, beta: 1, rho: -0.2, nu: 0.8 }, 0.1, 0.5, 100),
    ).toBeCloseTo(v * v * 0.5, 15)
  })
})

describe('interpolateTotalVariance', () => {
  const n1 = node(0.1, svi(0.004, 0.02, -0.2, 0, 0.1))
  const n2 = node(0.5, svi(0.02, 0.05, -0.3, 0.02, 0.15))
  const n3 = node(1, svi(0.045, 0.07, -0.3, 0.03, 0.2))
  const nodes = [n1, n2, n3]

  it('is exact at the nodes and linear in T between them', () => {
    for (const k of [-0.5, 0, 0.3]) {
      expect(interpolateTotalVariance(nodes, k, 0.5)).toBe(n2.w(k))
      const t = 0.2
      const lin = n1.w(k) + ((t - 0.1) / 0.4) * (n2.w(k) - n1.w(k))
      expect(interpolateTotalVariance(nodes, k, t)).toBeCloseTo(lin, 15)
    }
  })

  it('scales the first slice by T/T1 before the first expiry', () => {
    expect(interpolateTotalVariance(nodes, 0.2, 0.05)).toBeCloseTo(n1.w(0.2) / 2, 15)
    expect(interpolateTotalVariance(nodes, 0.2, 0)).toBe(0)
  })

  it('adds the last interval’s ATM forward variance beyond the last expiry', () => {
    const rate = (n3.w(0) - n2.w(0)) / 0.5
    expect(forwardVarianceRate(nodes)).toBeCloseTo(rate, 15)
    expect(interpolateTotalVariance(nodes, -0.4, 3)).toBeCloseTo(n3.w(-0.4) + 2 * rate, 14)
    // one node: the ATM average variance
    expect(forwardVarianceRate([n2])).toBeCloseTo(n2.w(0) / 0.5, 15)
  })

  it('returns NaN without nodes or for non-finite input', () => {
    expect(interpolateTotalVariance([], 0, 1)).toBeNaN()
    expect(interpolateTotalVariance(nodes, NaN, 1)).toBeNaN()
  })
})

describe('calendarRepair', () => {
  it('removes a calendar crossing and leaves a dominated-free node unchanged', () => {
    // the later slice is lower in the wings: a calendar arbitrage
    const a = node(0.2, svi(0.01, 0.1, 0, 0, 0.1))
    const b = node(0.3, svi(0.02, 0.02, 0, 0, 0.1))
    expect(b.w(1)).toBeLessThan(a.w(1))
    const [ra, rb] = calendarRepair([a, b]) as [TotalVarianceNode, TotalVarianceNode]
    expect(ra.w(1)).toBe(a.w(1))
    expect(rb.w(1)).toBe(a.w(1))
    expect(rb.w(0)).toBe(b.w(0))
  })

  it('property: repaired nodes give w non-decreasing in T at every k (seed 42, 200 runs)', () => {
    const param = fc.record({
      a: fc.double({ min: 0, max: 0.05, noNaN: true }),
      b: fc.double({ min: 0.001, max: 0.3, noNaN: true }),
      rho: fc.double({ min: -0.9, max: 0.9, noNaN: true }),
      m: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      sigma: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(param, { minLength: 1, maxLength: 6 }), (ps) => {
        const nodes = calendarRepair(
          ps.map((p, i) => node(0.1 * (i + 1), svi(p.a, p.b, p.rho, p.m, p.sigma))),
        )
        for (let j = 0; j <= 40; j++) {
          const k = -2 + 0.1 * j
          let prev = 0
          for (let t = 0.01; t < 1.5; t += 0.02) {
            const w = interpolateTotalVariance(nodes, k, t)
            if (w < prev - 1e-15) return false
            prev = w
          }
        }
        return true
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})

describe('spline correction', () => {
  const c = {
    kind: 'cubic-bspline' as const,
    kMin: -0.6,
    spacing: 0.1,
    coefficients: [0.001, -0.002, 0.003, 0.0005, -0.001, 0.002, 0.001, -0.0005, 0.0015],
    lower: -0.3,
    upper: 0.3,
  }
  const out = new Float64Array(3)

  it('matches central finite differences inside the range (h = 1e-5, rel. 1e-6)', () => {
    for (let j = 0; j <= 24; j++) {
      const k = -0.29 + (0.58 * j) / 24
      correctionDerivatives(c, k, out)
      const h = 1e-5
      const d1 = (correctionValue(c, k + h) - correctionValue(c, k - h)) / (2 * h)
      const d2 = (correctionValue(c, k + h) - 2 * correctionValue(c, k) + correctionValue(c, k - h)) / (h * h)
      expect(out[1]).toBeCloseTo(d1, 6)
      expect(Math.abs((out[2] as number) - d2)).toBeLessThan(1e-4)
    }
  })

  it('is the cardinal B-spline: one coefficient gives 2/3 at its centre and 1/6 one knot away', () => {
    const one = {
      kind: 'cubic-bspline' as const,
      kMin: 0,
      spacing: 1,
      coefficients: [1],
      lower: -10,
      upper: 10,
    }
    expect(correctionValue(one, 2)).toBeCloseTo(2 / 3, 15)
    expect(correctionValue(one, 1)).toBeCloseTo(1 / 6, 15)
    expect(correctionValue(one, 4.5)).toBe(0)
  })

  it('continues linearly outside [lower, upper]', () => {
    correctionDerivatives(c, 0.3, out)
    const [v, s] = [out[0] as number, out[1] as number]
    expect(correctionValue(c, 1.3)).toBeCloseTo(v + s, 14)
    correctionDerivatives(c, 2, out)
    expect(out[2]).toBe(0)
  })
})
