import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calendarGrid, calendarViolations, repairCalendarSvi } from '../../lib/surface/arbitrage.js'
import {
  refitSviConstrained,
  sviButterflyGrid,
  sviEvaluate,
  sviMinDurrlemanG,
  sviTotalVariance,
} from '../../lib/surface/svi.js'

const A = { a: 0.01, b: 0.2, rho: -0.6, m: 0.05, sigma: 0.15 } // T = 0.25
const B = { a: 0.04, b: 0.1, rho: -0.3, m: 0, sigma: 0.3 } // T = 0.5: higher ATM, flatter wings → crosses A in the wings

describe('calendarViolations', () => {
  it('finds the wing crossing of a flatter later slice and no violation against itself raised', () => {
    // #region calendarViolations
    const grid = calendarGrid(-1, 1) // 401 nodes on [−3, 3]
    const c = calendarViolations(A, B, grid) // A: T = 0.25, B: T = 0.5
    // c.count > 0, c.minGap < 0 at the left end of the grid: B's flatter wing dips below A's
    // #endregion calendarViolations
    expect(c.count).toBeGreaterThan(0)
    expect(c.minGap).toBeLessThan(0)
    expect(c.kAtMinGap).toBe(grid[0]) // the left wing (A steeper there: b(1−ρ) = 0.32 vs 0.13)
    for (const i of c.indices) expect(sviTotalVariance(B, grid[i])).toBeLessThan(sviTotalVariance(A, grid[i]))
    expect(sviTotalVariance(B, 0)).toBeGreaterThan(sviTotalVariance(A, 0)) // ATM is fine
    const none = calendarViolations(A, { ...A, a: A.a + 1e-6 }, grid)
    expect(none.count).toBe(0)
    expect(none.minGap).toBeCloseTo(1e-6, 12)
  })
  it('calendarGrid spans the quoted range and as much again each side', () => {
    const g = calendarGrid(-0.4, 0.6, 11)
    expect(g.length).toBe(11)
    expect(g[0]).toBeCloseTo(-1.4, 14)
    expect(g[10]).toBeCloseTo(1.6, 14)
  })
})

describe('repairCalendarSvi', () => {
  it('repairs a crossing by a constrained refit: no violation on the grid, butterfly-free, ATM moves < 2 vol points (the wings out to k = ±3 must steepen)', () => {
    // #region repairCalendarSvi
    const grid = calendarGrid(-1, 1)
    const k = Float64Array.from({ length: 25 }, (_, i) => -1 + i / 12)
    const r = repairCalendarSvi(
      [
        { expiry: 0.5, params: B, k, w: sviEvaluate(B, k) },
        { expiry: 0.25, params: A },
      ],
      grid,
    )
    // r.expiries = [0.25, 0.5], r.repaired = [false, true], r.minGap ≥ 0, r.arbitrageFree
    // #endregion repairCalendarSvi
    expect(r.expiries).toEqual([0.25, 0.5])
    expect(r.repaired).toEqual([false, true])
    expect(r.params[0]).toEqual(A)
    expect(r.minGap).toBeGreaterThanOrEqual(0)
    expect(r.arbitrageFree).toBe(true)
    expect(calendarViolations(r.params[0], r.params[1], grid).count).toBe(0)
    const p = r.params[1]
    expect(sviMinDurrlemanG(p, sviButterflyGrid(p, -1, 1)).minG).toBeGreaterThanOrEqual(0)
    expect(
      Math.abs(Math.sqrt(sviTotalVariance(p, 0) / 0.5) - Math.sqrt(sviTotalVariance(B, 0) / 0.5)),
    ).toBeLessThan(0.02)
    expect(r.notes[1]).toMatch(/repaired/)
  })
  it('leaves calendar-free slices untouched', () => {
    const grid = calendarGrid(-1, 1)
    const later = { ...A, a: A.a + 0.02, b: A.b * 1.2 }
    const r = repairCalendarSvi(
      [
        { expiry: 0.25, params: A },
        { expiry: 1, params: later },
      ],
      grid,
    )
    expect(r.repaired).toEqual([false, false])
    expect(r.params[1]).toEqual(later)
    expect(r.arbitrageFree).toBe(true)
  })
  it('any three random butterfly-free slices come out calendar-free on the grid (seed 42, 8 runs)', () => {
    const slice = fc
      .record({
        a: fc.double({ min: 0, max: 0.05, noNaN: true }),
        b: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        rho: fc.double({ min: -0.8, max: 0.8, noNaN: true }),
        m: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        sigma: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
      })
      .filter(
        (p) => p.b * (1 + Math.abs(p.rho)) < 1.9 && sviMinDurrlemanG(p, sviButterflyGrid(p, -1, 1)).minG > 0,
      )
    fc.assert(
      fc.property(fc.array(slice, { minLength: 3, maxLength: 3 }), (ps) => {
        const grid = calendarGrid(-1, 1, 201)
        const r = repairCalendarSvi(
          ps.map((params, j) => ({ expiry: 0.1 * (j + 1), params })),
          grid,
        )
        expect(r.minGap).toBeGreaterThanOrEqual(0)
        for (let j = 1; j < 3; j++)
          expect(calendarViolations(r.params[j - 1], r.params[j], grid).count).toBe(0)
        expect(r.arbitrageFree).toBe(true)
      }),
      { seed: 42, numRuns: 8 },
    )
  })
})

describe('refitSviConstrained', () => {
  it('without a floor always returns a butterfly-free slice (Vogt start)', () => {
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }
    const k = Float64Array.from({ length: 31 }, (_, i) => -1.5 + 0.1 * i)
    const r = refitSviConstrained({ start: vogt, k, w: sviEvaluate(vogt, k), kMin: -1.5, kMax: 1.5 })
    expect(r.feasible).toBe(true)
    expect(sviMinDurrlemanG(r.params, sviButterflyGrid(r.params, -1.5, 1.5)).minG).toBeGreaterThanOrEqual(0)
  })
})
