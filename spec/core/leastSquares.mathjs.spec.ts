// Cross-checks of the hand-written small dense solvers against mathjs (the design card's place for
// mathjs: tests and set-up, never a per-option loop): the same systems solved by mathjs' LU
// (`lusolve`) and normal equations built with mathjs matrix algebra.
import fc from 'fast-check'
import { lusolve, multiply, transpose } from 'mathjs'
import { describe, expect, it } from 'vitest'
import { solveLinearInPlace, weightedLeastSquares } from '../../lib/core/leastSquares.js'

const coef = fc.double({ min: -10, max: 10, noNaN: true })

describe('small dense solvers agree with mathjs', () => {
  it('solveLinearInPlace = mathjs lusolve on diagonally dominant n×n systems, n ≤ 6 (seed 42, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(coef, { minLength: n * n, maxLength: n * n }),
              fc.array(coef, { minLength: n, maxLength: n }),
            ),
          ),
        ([n, a, b]) => {
          const rows = Array.from({ length: n }, (_, i) => a.slice(i * n, i * n + n))
          rows.forEach((r, i) => (r[i] = (r[i] as number) + 100)) // well conditioned
          const A = Float64Array.from(rows.flat())
          const x = new Float64Array(n)
          expect(solveLinearInPlace(A, Float64Array.from(b), n, x)).toBe(true)
          const ref = (lusolve(rows, b) as number[][]).map((r) => r[0] as number)
          for (let i = 0; i < n; i++)
            expect(Math.abs((x[i] as number) - (ref[i] as number))).toBeLessThan(
              1e-12 * (1 + Math.abs(ref[i] as number)),
            )
        },
      ),
      { seed: 42, numRuns: 300 },
    )
  })

  it('weightedLeastSquares = (XᵀWX)⁻¹XᵀWy computed with mathjs (seed 42, 200 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc
              .integer({ min: p + 3, max: 30 })
              .chain((n) =>
                fc.tuple(
                  fc.array(coef, { minLength: n * p, maxLength: n * p }),
                  fc.array(coef, { minLength: n, maxLength: n }),
                  fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
                ),
              ),
          ),
        ),
        ([p, [xs, y, w]]) => {
          const n = y.length
          const X = Array.from({ length: n }, (_, i) =>
            xs.slice(i * p, i * p + p).map((v, j) => (j === 0 ? 1 : v)),
          )
          const beta = new Float64Array(p)
          const ok = weightedLeastSquares(
            Float64Array.from(X.flat()),
            Float64Array.from(y),
            Float64Array.from(w),
            n,
            p,
            beta,
          )
          const XtW = (transpose(X) as number[][]).map((row) => row.map((v, i) => v * (w[i] as number)))
          const G = multiply(XtW, X) as number[][]
          const r = multiply(XtW, y) as number[]
          let ref: number[]
          try {
            ref = (lusolve(G, r) as number[][]).map((q) => q[0] as number)
          } catch {
            return // singular for mathjs too: nothing to compare
          }
          if (!ok) return
          for (let i = 0; i < p; i++)
            expect(Math.abs((beta[i] as number) - (ref[i] as number))).toBeLessThan(
              1e-8 * (1 + Math.abs(ref[i] as number)),
            )
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })
})
