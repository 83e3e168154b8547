/**
 * inverseNormCdfFromLog: AS 241 from ln p. Golden values: the `quantiles` of
 * spec/fixtures/impliedvol/impliedvol.json (mpmath 1.2.1, 100 digits, written by the seeded
 * generate.py), given here as ln p of the double p; and, as an oracle, inverseNormCdfAs241(p) itself.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inverseNormCdfAs241, inverseNormCdfFromLog } from '../../lib/core/normal.js'

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/impliedvol/impliedvol.json', import.meta.url), 'utf8'),
) as { readonly quantiles: readonly { readonly p: number; readonly z: number }[] }

const rel = (a: number, b: number): number => Math.abs(a / b - 1)

describe('inverseNormCdfFromLog', () => {
  it('matches mpmath to 1e-15 relative on the fixture quantiles with p < 0.5 (ln p rounds by ≤ ½ ulp)', () => {
    const rows = fixture.quantiles.filter((q) => q.p < 0.5)
    expect(rows.length).toBeGreaterThan(10)
    for (const q of rows) expect(rel(inverseNormCdfFromLog(Math.log(q.p)), q.z)).toBeLessThanOrEqual(1e-15)
  })
  it('agrees with inverseNormCdfAs241(p) to 4e-16 relative for p ∈ [1e-300, 0.5) (fast-check, seed 42, 5000 runs)', () => {
    fc.assert(
      fc.property(fc.double({ min: -690, max: Math.log(0.4999), noNaN: true }), (lnP) => {
        // the oracle sees p = fl(e^{ln p}); above ln 0.075 the function evaluates exactly that
        const z = inverseNormCdfFromLog(lnP)
        const oracle = inverseNormCdfAs241(Math.exp(lnP))
        return lnP < Math.log(0.075) ? rel(z, oracle) <= 4e-16 : z === oracle
      }),
      { seed: 42, numRuns: 5000 },
    )
  })
  it('edges: −∞ at ln p = −∞, +∞ at ln p = 0, NaN above 0 and for NaN; the lower map of impliedVol', () => {
    // #region inverseNormCdfFromLog
    const z = inverseNormCdfFromLog(Math.log(1e-10) / 3) // Φ⁻¹(∛1e-10) without the cube root
    // #endregion inverseNormCdfFromLog
    expect(rel(z, inverseNormCdfAs241(Math.cbrt(1e-10)))).toBeLessThanOrEqual(4e-16)
    expect(inverseNormCdfFromLog(-Infinity)).toBe(-Infinity)
    expect(inverseNormCdfFromLog(0)).toBe(Infinity)
    expect(inverseNormCdfFromLog(0.1)).toBeNaN()
    expect(inverseNormCdfFromLog(NaN)).toBeNaN()
  })
})
