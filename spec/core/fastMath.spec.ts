import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expFast, log1pFast, logFast, powFast } from '../../lib/core/fastMath.js'

// References: V8's Math.pow, Math.log1p, Math.log and Math.exp (ports of fdlibm, each within 1 ulp of the
// exact value). Errors are in ulps of the reference value (the spacing of doubles at it).
const view = new DataView(new ArrayBuffer(8))
const ulpOf = (v: number): number => {
  view.setFloat64(0, Math.abs(v))
  const biased = (view.getUint32(0) >>> 20) & 0x7ff
  return 2 ** (Math.max(biased, 1) - 1075) // 2^(e − 52); subnormals: 2^−1074
}
const ulps = (got: number, ref: number): number => Math.abs(got - ref) / ulpOf(ref)

/** Largest error over a dense grid: `n` points evenly spaced in [lo, hi] of `t`, x = map(t). */
const worstOnGrid = (n: number, lo: number, hi: number, err: (t: number) => number): number => {
  let worst = 0
  for (let i = 0; i <= n; i++) worst = Math.max(worst, err(lo + ((hi - lo) * i) / n))
  return worst
}

describe('powFast', () => {
  it('is within 2 ulp of Math.pow for x over the normal range and p ∈ [0, 1] (grid, max seen 2)', () => {
    // x = 2^t, t ∈ [−1022, 1023] (2,001 points) × p on 501 points; pairs with |p ln x| > 708 skipped
    let worst = 0
    for (let i = 0; i <= 2000; i++) {
      const x = 2 ** (-1022 + (2045 * i) / 2000)
      for (let k = 0; k <= 500; k++) {
        const p = k / 500
        if (Math.abs(p * Math.log(x)) > 708) continue
        worst = Math.max(worst, ulps(powFast(x, p), Math.pow(x, p)))
      }
    }
    expect(worst).toBeLessThanOrEqual(2)
  })

  it('is within 2 ulp of Math.pow on the SABR backbone range (fast-check, seed 42, 20,000 runs)', () => {
    // fK from 1e-12 to 1e14, p = (1 − β)/2 ∈ [0, 0.5]
    fc.assert(
      fc.property(
        fc.double({ min: -12, max: 14, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (t, p) => {
          const x = 10 ** t
          return ulps(powFast(x, p), Math.pow(x, p)) <= 2
        },
      ),
      { seed: 42, numRuns: 20_000 },
    )
  })

  it('gives exactly 1 for p = 0 and x for p = 1 at powers of two, and NaN for NaN', () => {
    for (const x of [2 ** -1022, 1e-300, 0.5, 1, 3, 6.4e9, 1e300]) expect(powFast(x, 0)).toBe(1)
    for (const x of [2 ** -1000, 0.25, 1, 2, 2 ** 1000]) expect(powFast(x, 1)).toBe(x)
    expect(powFast(NaN, 0.5)).toBeNaN()
    expect(powFast(2, NaN)).toBeNaN()
  })
})

describe('log1pFast', () => {
  it('is within 1 ulp of Math.log1p for y = 2^t, t ∈ [−1074, 996] (dense grid of 2,000,001 points)', () => {
    const worst = worstOnGrid(2_000_000, -1074, 996, (t) => {
      const y = 2 ** t
      return ulps(log1pFast(y), Math.log1p(y))
    })
    expect(worst).toBeLessThanOrEqual(1)
  })

  it('is within 1 ulp of Math.log1p on [0, 4] (dense grid, where z/x(z) evaluates it most)', () => {
    expect(worstOnGrid(1_000_000, 0, 4, (y) => ulps(log1pFast(y), Math.log1p(y)))).toBeLessThanOrEqual(1)
  })

  it('is within 1 ulp of Math.log1p (fast-check, seed 42, 20,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        (y) => ulps(log1pFast(y), Math.log1p(y)) <= 1,
      ),
      { seed: 42, numRuns: 20_000 },
    )
  })

  it('returns y itself below 2⁻⁵³ (1 + y rounds to 1), 0 at 0, and NaN for NaN', () => {
    for (const y of [5e-324, 1e-300, 1e-20, 2 ** -54]) expect(log1pFast(y)).toBe(y)
    expect(log1pFast(0)).toBe(0)
    expect(log1pFast(NaN)).toBeNaN()
  })
})

describe('logFast', () => {
  // c₁₂₈ = 2 is taken as c₀ = 1 one binade up, so x ∈ [1 − 2⁻⁹, 1) is ln(1 + r) alone; on
  // [½, 1 − 2⁻⁹) e·ln 2 + ln c_j cancels and only an absolute bound holds (its one caller, the
  // implied-vol guess, needs far less)
  const lowBand = (x: number): boolean => x >= 0.5 && x < 1 - 2 ** -9
  it('is within 1 ulp of Math.log for x = 2^t, t ∈ [−1022, 1023] outside [½, 1 − 2⁻⁹) (dense grid of 2,000,001 points)', () => {
    const worst = worstOnGrid(2_000_000, -1022, 1023, (t) => {
      const x = 2 ** t
      return lowBand(x) ? 0 : ulps(logFast(x), Math.log(x))
    })
    expect(worst).toBeLessThanOrEqual(1)
  })

  it('is within 1 ulp of Math.log on [1 − 2⁻⁹, 1 + 2⁻⁸] (dense grid, no cancellation at x → 1)', () => {
    const lo = 1 - 2 ** -9
    const hi = 1 + 2 ** -8
    expect(
      worstOnGrid(1_000_000, lo, hi, (x) => (x === 1 ? 0 : ulps(logFast(x), Math.log(x)))),
    ).toBeLessThanOrEqual(1)
    expect(logFast(1)).toBe(0)
  })

  it('is within 2⁻⁵³ absolute of Math.log on [½, 1 − 2⁻⁹) (dense grid; measured max 1.110e-16)', () => {
    const worst = worstOnGrid(1_000_000, 0.5, 1 - 2 ** -9, (x) => Math.abs(logFast(x) - Math.log(x)))
    expect(worst).toBeLessThanOrEqual(2 ** -53)
  })

  it('is within 1 ulp of Math.log outside [½, 1 − 2⁻⁹) (fast-check, seed 42, 20,000 runs)', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -1022, max: 1e308, noNaN: true }), (x) =>
        lowBand(x) ? Math.abs(logFast(x) - Math.log(x)) <= 2 ** -53 : ulps(logFast(x), Math.log(x)) <= 1,
      ),
      { seed: 42, numRuns: 20_000 },
    )
  })

  it('is exact at powers of two up to the rounding of e·ln 2, and NaN for NaN', () => {
    for (const e of [-1022, -1, 1, 10, 1023])
      expect(ulps(logFast(2 ** e), e * Math.LN2)).toBeLessThanOrEqual(1)
    expect(logFast(NaN)).toBeNaN()
  })
})

describe('expFast', () => {
  it('is within 2 ulp of Math.exp on [−708, 708] (dense grid of 2,000,001 points, max seen 2)', () => {
    expect(worstOnGrid(2_000_000, -708, 708, (x) => ulps(expFast(x), Math.exp(x)))).toBeLessThanOrEqual(2)
  })

  it('is within 2 ulp of Math.exp on [−40, 1], where the implied-vol guess evaluates it (fast-check, seed 42, 20,000 runs)', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 1, noNaN: true }), (x) => ulps(expFast(x), Math.exp(x)) <= 2),
      { seed: 42, numRuns: 20_000 },
    )
  })

  it('gives exactly 1 at 0, and NaN for NaN', () => {
    expect(expFast(0)).toBe(1)
    expect(expFast(NaN)).toBeNaN()
  })
})
