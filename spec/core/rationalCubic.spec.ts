/**
 * Rational cubic interpolation (Delbourgo & Gregory 1985). Expected values are exact by
 * construction (interpolation conditions, the r = 3 cubic Hermite case, the linear limit).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  convexControlParameterLeft,
  convexControlParameterRight,
  rationalCubicInterpolation,
} from '../../lib/core/rationalCubic.js'

describe('doc-comment examples', () => {
  it('rationalCubicInterpolation and the convex control parameters', () => {
    // #region rationalCubicInterpolation
    // r = 3 is the cubic Hermite interpolant: x³ on [0, 1] from y(0) = 0, y(1) = 1, y'(0) = 0, y'(1) = 3
    const y = rationalCubicInterpolation(0.5, 0, 1, 0, 1, 0, 3, 3) // 0.125
    // #endregion rationalCubicInterpolation
    expect(y).toBeCloseTo(0.125, 15)
    // #region convexControlParameterLeft
    // y = x² + x on [0, 1]: slopes 1 and 3, curvature 2 at the left end
    const rLeft = convexControlParameterLeft(0, 1, 0, 2, 1, 3, 2, false) // 3: the cubic reproduces the parabola
    // #endregion convexControlParameterLeft
    expect(rLeft).toBeCloseTo(3, 12)
    // #region convexControlParameterRight
    const rRight = convexControlParameterRight(0, 1, 0, 2, 1, 3, 2, false) // 3
    // #endregion convexControlParameterRight
    expect(rRight).toBeCloseTo(3, 12)
  })
})

describe('rationalCubicInterpolation', () => {
  it('interpolates the end values and is the line for consistent data', () => {
    expect(rationalCubicInterpolation(0, 0, 1, 2, 5, 1, 1, 3)).toBe(2)
    expect(rationalCubicInterpolation(1, 0, 1, 2, 5, 1, 1, 3)).toBe(5)
    expect(rationalCubicInterpolation(0.5, 0, 1, 0, 1, 1, 1, 3)).toBe(0.5)
    expect(rationalCubicInterpolation(0.25, 0, 1, 0, 1, 7, -3, 1e40)).toBe(0.25) // r ≥ 2/ε²: linear
  })
  it('r = 3 is the cubic Hermite interpolant (x³ on [0, 1] with slopes 0 and 3)', () => {
    for (const x of [0.1, 0.3, 0.7])
      expect(rationalCubicInterpolation(x, 0, 1, 0, 1, 0, 3, 3)).toBeCloseTo(x ** 3, 15)
  })
  it('degenerate interval gives the mean', () => {
    expect(rationalCubicInterpolation(1, 1, 1, 2, 4, 0, 0, 3)).toBe(3)
  })
})

describe('convex control parameters', () => {
  it('fit the requested end curvature when that is shape preserving (y = x² + x on [0, 1])', () => {
    // y' = 2x + 1, y'' = 2; r from the left/right formula, checked by a finite difference
    const rl = convexControlParameterLeft(0, 1, 0, 2, 1, 3, 2, false)
    const rr = convexControlParameterRight(0, 1, 0, 2, 1, 3, 2, false)
    const h = 1e-4
    const f = (r: number, x: number): number => rationalCubicInterpolation(x, 0, 1, 0, 2, 1, 3, r)
    expect((f(rl, 2 * h) - 2 * f(rl, h) + f(rl, 0)) / (h * h)).toBeCloseTo(2, 3)
    expect((f(rr, 1) - 2 * f(rr, 1 - h) + f(rr, 1 - 2 * h)) / (h * h)).toBeCloseTo(2, 3)
  })
  it('keep convex monotone data convex and monotone (fast-check, seed 42, numRuns 2000)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 5, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (dl, dr, d2) => {
          // secant slope 1 between slopes dl < 1 < dr: convex, increasing data on [0, 1]
          const r = convexControlParameterLeft(0, 1, 0, 1, dl, dr, d2, true)
          let prev = -Infinity
          let prevSlope = -Infinity
          for (let i = 1; i <= 50; i++) {
            const x = i / 50
            const y = rationalCubicInterpolation(x, 0, 1, 0, 1, dl, dr, r)
            const slope = (y - rationalCubicInterpolation(x - 0.02, 0, 1, 0, 1, dl, dr, r)) / 0.02
            expect(y).toBeGreaterThanOrEqual(prev - 1e-12)
            expect(slope).toBeGreaterThanOrEqual(prevSlope - 1e-9)
            prev = y
            prevSlope = slope
          }
        },
      ),
      { seed: 42, numRuns: 2000 },
    )
  })
})
