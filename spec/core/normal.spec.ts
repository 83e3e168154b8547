/**
 * Golden values: spec/fixtures/impliedvol/impliedvol.json, written by the seeded generator
 * spec/fixtures/impliedvol/generate.py (mpmath 1.2.1, 100 working digits; inputs are the exact
 * doubles in the file). Tolerances are relative errors, stated per test.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  erfc,
  erfcx,
  erfcxPositive,
  inverseNormCdf,
  inverseNormCdfAs241,
  normCdf,
  normPdf,
} from '../../lib/core/normal.js'

interface NormalRow {
  readonly x: number
  readonly erfc: number
  readonly erfcx: number | null
  readonly cdf: number
  readonly pdf: number
}
interface Fixture {
  readonly normal: readonly NormalRow[]
  readonly quantiles: readonly { readonly p: number; readonly z: number }[]
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/impliedvol/impliedvol.json', import.meta.url), 'utf8'),
) as Fixture

const rel = (a: number, b: number): number => (b === 0 ? Math.abs(a) : Math.abs(a / b - 1))
const maxRel = (pairs: readonly (readonly [number, number])[]): number =>
  pairs.reduce((m, [a, b]) => Math.max(m, rel(a, b)), 0)

describe('erfc / erfcx against mpmath (generate.py, 820 points in [-38, 27])', () => {
  it('erfc: relative error ≤ 1e-15 where erfc is a normal double (x < 26.5)', () => {
    const rows = fixture.normal.filter((r) => r.x < 26.5)
    expect(rows.length).toBeGreaterThan(700)
    expect(maxRel(rows.map((r) => [erfc(r.x), r.erfc]))).toBeLessThanOrEqual(1e-15)
  })
  it('erfc underflows to exactly 0 from x = 26.543 (documented edge)', () => {
    expect(erfc(26.6)).toBe(0)
    expect(erfc(-Infinity)).toBe(2)
    expect(erfc(Infinity)).toBe(0)
    expect(erfc(NaN)).toBeNaN()
  })
  it('erfcx: relative error ≤ 1e-15 for x in [-26, 27]', () => {
    const rows = fixture.normal.filter((r) => r.erfcx !== null)
    expect(maxRel(rows.map((r) => [erfcx(r.x), r.erfcx as number]))).toBeLessThanOrEqual(1e-15)
  })
  it('erfcx edges: 1/(x√π) for huge x, +∞ below −26.628', () => {
    expect(rel(erfcx(1e8), 1 / (1e8 * Math.sqrt(Math.PI)))).toBeLessThan(1e-15)
    expect(erfcx(-27)).toBe(Infinity)
    expect(erfcx(1e308)).toBe(0)
  })
})

describe('erfcxPositive (Cody intervals 2 and 3)', () => {
  it('is erfcx itself above 0.46875 (so the mpmath checks of erfcx cover it), doc example included', () => {
    expect(erfcxPositive(1)).toBe(0.42758357615580705) // mpmath: 0.4275835761558070044…
    fc.assert(
      fc.property(fc.double({ min: 0.46875, max: 1e308, noNaN: true, minExcluded: true }), (y) => {
        expect(erfcxPositive(y)).toBe(erfcx(y))
      }),
      { seed: 42, numRuns: 5000 },
    )
  })
})

describe('normCdf / normPdf against mpmath', () => {
  it('normCdf: relative error ≤ 1e-15 down to z = −37.5 (values to 1e-307)', () => {
    const rows = fixture.normal.filter((r) => r.x >= -37.5)
    expect(maxRel(rows.map((r) => [normCdf(r.x), r.cdf]))).toBeLessThanOrEqual(1e-15)
  })
  it('normPdf: relative error ≤ 1e-15 on the whole grid', () => {
    expect(maxRel(fixture.normal.map((r) => [normPdf(r.x), r.pdf]))).toBeLessThanOrEqual(1e-15)
  })
  it('doc-comment examples', () => {
    // #region erfc
    const tail = erfc(1) // 0.15729920705028516 (mpmath: 0.157299207050285131)
    const deep = erfc(10) // 2.0884875837625446e-45, relative error ≈ 1e-16
    // #endregion erfc
    expect(tail).toBe(0.15729920705028516)
    expect(rel(deep, 2.088487583762545e-45)).toBeLessThan(5e-16)
    // #region erfcx
    const scaled = erfcx(10) // 0.05614099274382258 = e^{100}·erfc(10), no overflow
    // #endregion erfcx
    expect(scaled).toBe(0.05614099274382258)
    // #region normCdf
    const p = normCdf(-10) // 7.619853024160525e-24
    const far = normCdf(-35) // 1.1249107064724062e-268, still ≈ 1e-16 relative
    // #endregion normCdf
    expect(p).toBe(7.619853024160525e-24)
    expect(rel(far, 1.1249107064724062e-268)).toBeLessThan(5e-16)
    // #region normPdf
    const density = normPdf(0) // 0.3989422804014327 = 1/√(2π)
    // #endregion normPdf
    expect(density).toBe(0.3989422804014327)
    // #region inverseNormCdf
    const z975 = inverseNormCdf(0.975) // 1.9599639845400536
    const zTail = inverseNormCdf(1e-300) // -37.0470962993612
    // #endregion inverseNormCdf
    expect(z975).toBe(1.9599639845400536)
    expect(zTail).toBe(-37.0470962993612)
  })
})

describe('inverseNormCdf against mpmath', () => {
  it('relative error ≤ 1e-15 for p in [1e-300, 1) (generate.py quantiles)', () => {
    expect(maxRel(fixture.quantiles.map((q) => [inverseNormCdf(q.p), q.z]))).toBeLessThanOrEqual(1e-15)
  })
  it('inverseNormCdfAs241 (no refinement): relative error ≤ 1e-15 (measured 4.4e-16)', () => {
    expect(maxRel(fixture.quantiles.map((q) => [inverseNormCdfAs241(q.p), q.z]))).toBeLessThanOrEqual(1e-15)
    // #region inverseNormCdfAs241
    const guess = inverseNormCdfAs241(0.975) // 1.9599639845400536
    // #endregion inverseNormCdfAs241
    expect(guess).toBe(1.9599639845400536)
    expect(inverseNormCdfAs241(0)).toBe(-Infinity)
    expect(inverseNormCdfAs241(2)).toBeNaN()
  })
  it('edges: ±∞ at 0 and 1, NaN outside [0, 1]', () => {
    expect(inverseNormCdf(0)).toBe(-Infinity)
    expect(inverseNormCdf(1)).toBe(Infinity)
    expect(inverseNormCdf(-0.1)).toBeNaN()
    expect(inverseNormCdf(1.5)).toBeNaN()
    expect(inverseNormCdf(NaN)).toBeNaN()
  })
})

describe('properties (fast-check, seed 42)', () => {
  it('shrunk counterexample: Φ⁻¹(Φ(2.8981898611270136)) within the p > ½ rounding bound', () => {
    const z = 2.8981898611270136
    expect(Math.abs(inverseNormCdf(normCdf(z)) - z)).toBeLessThanOrEqual(2e-15 * z + 2.3e-16 / normPdf(z))
  })
  it('erfc(x) + erfc(−x) = 2 and Φ(z) + Φ(−z) = 1 to 4e-16 absolute (numRuns 2000)', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        expect(Math.abs(erfc(x) + erfc(-x) - 2)).toBeLessThanOrEqual(4.5e-16)
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThanOrEqual(4.5e-16)
      }),
      { seed: 42, numRuns: 2000 },
    )
  })
  it('Φ is non-decreasing (numRuns 2000)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (z, d) => normCdf(z) <= normCdf(z + d),
      ),
      { seed: 42, numRuns: 2000 },
    )
  })
  // Tolerance = 2e-15·|z| plus the conditioning of the round trip: one ulp of p = Φ(z) (≈ 1.1e-16·p
  // below ½, 1.1e-16 absolute above) moves z by that over φ(z). Counterexample kept below.
  it('Φ⁻¹(Φ(z)) = z to 2e-15·|z| + 2.3e-16·Φ/φ for z in [−37, 8] (numRuns 2000)', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 8, noNaN: true }), (z) => {
        const p = normCdf(z)
        const tol = 2e-15 * Math.abs(z) + 2.3e-16 * ((p < 0.5 ? p : 1) / normPdf(z))
        expect(Math.abs(inverseNormCdf(p) - z)).toBeLessThanOrEqual(tol)
      }),
      { seed: 42, numRuns: 2000 },
    )
  })
})
