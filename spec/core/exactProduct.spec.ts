import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { productError } from '../../lib/core/exactProduct.js'

/** Exact rational value of a double as BigInt numerator over 2^1100 (enough for the range tested). */
const SCALE = 1100n
const exact = (x: number): bigint => {
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const bits = buf.getBigUint64(0)
  const sign = bits >> 63n ? -1n : 1n
  const expBits = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  const mant = expBits === 0 ? frac : frac | (1n << 52n)
  const e = (expBits === 0 ? 1 : expBits) - 1075 // x = mant · 2^e
  return sign * (e >= 0 ? (mant << BigInt(e)) << SCALE : (mant << SCALE) >> BigInt(-e))
}

describe('productError (Dekker TwoProduct)', () => {
  it('worked example: 0.1 × 0.3', () => {
    // #region example
    const a = 0.1
    const b = 0.3
    const p = a * b
    const e = productError(a, b, p)
    // #endregion example
    // Python: float(Fraction(0.1) * Fraction(0.3) - Fraction(0.1 * 0.3)) = 1.6653345369377347e-18
    expect(e).toBe(1.6653345369377347e-18)
    expect(p + e).toBe(p) // e is below half an ulp of p
  })
  it('a·b = p + e exactly, checked in BigInt arithmetic (fast-check seed 42, 5000 runs)', () => {
    const num = fc.double({ min: 2 ** -200, max: 2 ** 200, noNaN: true, noDefaultInfinity: true })
    fc.assert(
      fc.property(num, num, fc.boolean(), (a0, b0, neg) => {
        const a = neg ? -a0 : a0
        const b = b0
        const p = a * b
        const e = productError(a, b, p)
        // exact(a)·exact(b) carries SCALE twice; compare at the same scale
        expect(exact(a) * exact(b)).toBe((exact(p) + exact(e)) << SCALE)
      }),
      { seed: 42, numRuns: 5000 },
    )
  })
  it('NaN in gives NaN out', () => {
    expect(productError(NaN, 1, NaN)).toBeNaN()
  })
})
