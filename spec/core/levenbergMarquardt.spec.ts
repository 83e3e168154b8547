import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type LeastSquaresProblem,
  createLevenbergMarquardtWorkspace,
  levenbergMarquardt,
} from '../../lib/core/levenbergMarquardt.js'

const rosenbrock: LeastSquaresProblem = {
  nParams: 2,
  nResiduals: 2,
  residuals: (p, r) => {
    r[0] = 10 * ((p[1] as number) - (p[0] as number) ** 2)
    r[1] = 1 - (p[0] as number)
  },
}

describe('levenbergMarquardt', () => {
  it('solves Rosenbrock from the classic start (-1.2, 1) to (1, 1) (Moré, Garbow, Hillstrom 1981, problem 1)', () => {
    // #region rosenbrock
    // r(x) = (10 (x₂ − x₁²), 1 − x₁); the solution is written into x
    const x = Float64Array.of(-1.2, 1)
    const res = levenbergMarquardt(rosenbrock, x) // forward-difference Jacobian
    // res.converged === true, x ≈ (1, 1)
    // #endregion rosenbrock
    expect(res.converged).toBe(true)
    expect(x[0]).toBeCloseTo(1, 12)
    expect(x[1]).toBeCloseTo(1, 12)
    expect(res.cost).toBeLessThan(1e-24)
  })

  it('uses an analytic Jacobian when given and reaches the same point', () => {
    const withJac: LeastSquaresProblem = {
      ...rosenbrock,
      jacobian: (p, _r, j) => {
        j[0] = -20 * (p[0] as number)
        j[1] = 10
        j[2] = -1
        j[3] = 0
      },
    }
    const x = Float64Array.of(-1.2, 1)
    const res = levenbergMarquardt(withJac, x)
    expect(res.converged).toBe(true)
    expect(res.evaluations).toBeLessThan(levenbergMarquardt(rosenbrock, Float64Array.of(-1.2, 1)).evaluations)
    expect(x[0]).toBeCloseTo(1, 12)
  })

  it('recovers an exponential decay y = a·exp(−b t) + c from exact data (fast-check, seed 42, 200 runs)', () => {
    // zero-residual problem: parameters to 1e-12 (1e-13 already fails for some draws: rounding of y)
    const t = Float64Array.from({ length: 20 }, (_, i) => i / 4)
    const ws = createLevenbergMarquardtWorkspace(3, t.length)
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (a, b, c) => {
          const y = t.map((ti) => a * Math.exp(-b * ti) + c)
          const p: LeastSquaresProblem = {
            nParams: 3,
            nResiduals: t.length,
            residuals: (q, r) => {
              for (let i = 0; i < t.length; i++)
                r[i] =
                  (q[0] as number) * Math.exp(-(q[1] as number) * (t[i] as number)) +
                  (q[2] as number) -
                  (y[i] as number)
            },
          }
          const x = Float64Array.of(1, 1, 0)
          const res = levenbergMarquardt(p, x, {}, ws)
          return (
            res.converged &&
            Math.abs((x[0] as number) - a) < 1e-12 &&
            Math.abs((x[1] as number) - b) < 1e-12 &&
            Math.abs((x[2] as number) - c) < 1e-12
          )
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('solves a linear least-squares problem to the normal-equations solution', () => {
    // LS line through (0,1), (1,6), (2,7), by hand: t̄ = 1, ȳ = 14/3, slope = (11/3 + 7/3)/2 = 3, intercept 5/3
    const ts = [0, 1, 2]
    const ys = [1, 6, 7]
    const p: LeastSquaresProblem = {
      nParams: 2,
      nResiduals: 3,
      residuals: (q, r) => {
        for (let i = 0; i < 3; i++)
          r[i] = (q[0] as number) + (q[1] as number) * (ts[i] as number) - (ys[i] as number)
      },
    }
    // forward differences: J carries ~1e-8 relative error, which moves the stationary point of a
    // nonzero-residual problem by about as much; central differences ~1e-10 (rounding ε·|r|/h)
    const x = Float64Array.of(0, 0)
    expect(levenbergMarquardt(p, x).converged).toBe(true)
    expect(Math.abs((x[0] as number) - 5 / 3)).toBeLessThan(1e-7)
    expect(Math.abs((x[1] as number) - 3)).toBeLessThan(1e-7)
    const y = Float64Array.of(0, 0)
    expect(levenbergMarquardt(p, y, { centralDifferences: true }).converged).toBe(true)
    expect(Math.abs((y[0] as number) - 5 / 3)).toBeLessThan(1e-9)
    expect(Math.abs((y[1] as number) - 3)).toBeLessThan(1e-9)
  })

  it('is deterministic: the same start gives bit-identical output', () => {
    const a = Float64Array.of(-1.2, 1)
    const b = Float64Array.of(-1.2, 1)
    const ra = levenbergMarquardt(rosenbrock, a)
    const rb = levenbergMarquardt(rosenbrock, b, {}, createLevenbergMarquardtWorkspace(2, 2))
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(ra).toEqual(rb)
  })

  it('reports maxIterations as not converged, and a non-finite start as nonFinite', () => {
    const x = Float64Array.of(-1.2, 1)
    const res = levenbergMarquardt(rosenbrock, x, { maxIterations: 2 })
    expect(res.converged).toBe(false)
    expect(res.stop).toBe('maxIterations')
    const bad: LeastSquaresProblem = { nParams: 1, nResiduals: 1, residuals: (_q, r) => void (r[0] = NaN) }
    const y = Float64Array.of(3)
    expect(levenbergMarquardt(bad, y).stop).toBe('nonFinite')
    expect(y[0]).toBe(3)
  })

  it('rejects trial points with non-finite residuals and still converges', () => {
    // r = sqrt(x) − 2 is NaN for x < 0; a wild first step must not poison the iteration
    const p: LeastSquaresProblem = {
      nParams: 1,
      nResiduals: 1,
      residuals: (q, r) => void (r[0] = Math.sqrt(q[0] as number) - 2),
    }
    const x = Float64Array.of(0.01)
    const res = levenbergMarquardt(p, x)
    expect(res.converged).toBe(true)
    expect(x[0]).toBeCloseTo(4, 10)
  })
})
