import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createQpWorkspace,
  solveLinearInPlace,
  solveSmallQp,
  weightedLeastSquares,
} from '../../lib/core/leastSquares.js'
import { nelderMead } from '../../lib/core/nelderMead.js'

describe('solveLinearInPlace', () => {
  it('solves a pivot-requiring 3 × 3 system exactly (hand-checked: x = (1, 2, 3))', () => {
    const A = Float64Array.of(0, 2, 1, 1, 1, 1, 2, 0, 3)
    const b = Float64Array.of(7, 6, 11)
    const x = new Float64Array(3)
    expect(solveLinearInPlace(A, b, 3, x)).toBe(true)
    expect(x[0]).toBeCloseTo(1, 14)
    expect(x[1]).toBeCloseTo(2, 14)
    expect(x[2]).toBeCloseTo(3, 14)
  })
  it('reports a singular matrix', () => {
    const A = Float64Array.of(1, 2, 2, 4)
    expect(solveLinearInPlace(A, Float64Array.of(1, 2), 2, new Float64Array(2))).toBe(false)
  })
})

describe('weightedLeastSquares', () => {
  it('recovers exact linear data to 1e-12 (property, seed 42, 200 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (beta) => {
          const n = 12
          const X = new Float64Array(n * 3)
          const y = new Float64Array(n)
          const wt = new Float64Array(n)
          for (let i = 0; i < n; i++) {
            const t = -1 + (2 * i) / (n - 1)
            X[i * 3] = 1
            X[i * 3 + 1] = t
            X[i * 3 + 2] = Math.sqrt(t * t + 1)
            y[i] = beta[0] + beta[1] * t + beta[2] * X[i * 3 + 2]
            wt[i] = 1 + (i % 3)
          }
          const out = new Float64Array(3)
          expect(weightedLeastSquares(X, y, wt, n, 3, out)).toBe(true)
          for (let j = 0; j < 3; j++)
            expect(Math.abs(out[j] - beta[j])).toBeLessThan(1e-10 * (1 + Math.abs(beta[j])))
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })
})

describe('solveSmallQp', () => {
  // min ½ pᵀGp − rᵀp over the SVI-like polytope; oracle: dense brute-force grid over the polytope
  const C = Float64Array.of(-1, 0, 0, 1, 0, 0, 0, 1, -1, 0, -1, -1, 0, 1, 1, 0, -1, 1)
  const h = Float64Array.of(0, 1, 0, 0, 1, 1)
  const ws = createQpWorkspace(3, 6)
  const objective = (G: Float64Array, r: Float64Array, p: number[]): number => {
    let f = 0
    for (let i = 0; i < 3; i++) {
      let gi = 0
      for (let j = 0; j < 3; j++) gi += G[i * 3 + j] * p[j]
      f += p[i] * (0.5 * gi - r[i])
    }
    return f
  }
  it('is never beaten by a brute-force grid over the polytope and is feasible (seed 42, 100 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (Lv, rv) => {
          // G = LᵀL + 0.1 I (positive definite)
          const G = new Float64Array(9)
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 3; j++) {
              let s = i === j ? 0.1 : 0
              for (let q = 0; q < 3; q++) s += Lv[q * 3 + i] * Lv[q * 3 + j]
              G[i * 3 + j] = s
            }
          const r = Float64Array.from(rv)
          const out = new Float64Array(3)
          const f = solveSmallQp(ws, G, r, C, h, out)
          expect(Number.isFinite(f)).toBe(true)
          for (let j = 0; j < 6; j++)
            expect(C[j * 3] * out[0] + C[j * 3 + 1] * out[1] + C[j * 3 + 2] * out[2]).toBeLessThanOrEqual(
              h[j] + 1e-9,
            )
          let best = Infinity
          const N = 20
          for (let ia = 0; ia <= N; ia++)
            for (let ic = 0; ic <= N; ic++)
              for (let id = -N; id <= N; id++) {
                const p = [ia / N, id / N, ic / N]
                if (Math.abs(p[1]) > p[2] + 1e-12 || Math.abs(p[1]) > 1 - p[2] + 1e-12) continue
                best = Math.min(best, objective(G, r, p))
              }
          expect(f).toBeLessThanOrEqual(best + 1e-9)
          expect(f).toBeCloseTo(objective(G, r, Array.from(out)), 10)
        },
      ),
      { seed: 42, numRuns: 100 },
    )
  })
  it('returns NaN on an empty feasible set', () => {
    const G = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1)
    const hBad = Float64Array.of(-1, -2, 0, 0, 1, 1) // a ≥ 1 and a ≤ −2
    expect(solveSmallQp(ws, G, Float64Array.of(0, 0, 0), C, hBad, new Float64Array(3))).toBeNaN()
  })
})

describe('nelderMead', () => {
  const rosen = (x: Float64Array): number => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2
  it('minimises Rosenbrock to 1e-7 from (−1.2, 1) (Nelder & Mead 1965 test problem)', () => {
    const r = nelderMead(rosen, Float64Array.of(-1.2, 1), { maxEvaluations: 2000, xTolerance: 1e-10 })
    expect(r.x[0]).toBeCloseTo(1, 7)
    expect(r.x[1]).toBeCloseTo(1, 7)
    expect(r.converged).toBe(true)
  })
  it('respects an infinite barrier and is bit-for-bit deterministic', () => {
    const f = (x: Float64Array): number => (x[0] < 0.5 ? Infinity : (x[0] - 0.2) ** 2 + (x[1] - 1) ** 2)
    const a = nelderMead(f, Float64Array.of(2, 2), { maxEvaluations: 1000 })
    const b = nelderMead(f, Float64Array.of(2, 2), { maxEvaluations: 1000 })
    expect(a.x[0]).toBeGreaterThanOrEqual(0.5)
    expect(a.x[0]).toBeCloseTo(0.5, 6)
    expect(Array.from(a.x)).toEqual(Array.from(b.x))
    expect(a.evaluations).toBe(b.evaluations)
  })
})
