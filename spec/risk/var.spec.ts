import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectedShortfallOfSample, tailRisk, valueAtRiskOfSample } from '../../lib/risk/var.js'

describe('historical VaR and ES (Acerbi & Tasche 2002 estimators), worked by hand', () => {
  // Sample of 10 P&Ls; sorted: -9 -7 -4 -2 -1 0 1 3 5 8
  const pnl = Float64Array.from([3, -7, 0, 5, -1, -9, 8, -2, 1, -4])

  it('VaR at 80%: p = 0.2, w = ⌊10·0.2⌋ = 2 → −x₍₃₎ = 4', () => {
    expect(valueAtRiskOfSample(pnl, 0.8)).toBe(4)
  })
  it('ES at 80%: (−9 −7)/2 = 8 (np = 2 is an integer, no fractional term)', () => {
    expect(expectedShortfallOfSample(pnl, 0.8)).toBe(8)
  })
  it('ES at 75%: np = 2.5, w = 2 → −(−9 −7 + 0.5·(−4))/2.5 = 7.2', () => {
    expect(expectedShortfallOfSample(pnl, 0.75)).toBeCloseTo(7.2, 14)
  })
  it('VaR at 99% of 100 scenarios is the 2nd worst (w = 1), ES the worst', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i - 50) // -50 … 49
    expect(valueAtRiskOfSample(x, 0.99)).toBe(49)
    expect(expectedShortfallOfSample(x, 0.99)).toBe(50)
  })
  it('NaN for an empty sample or a confidence outside (0, 1)', () => {
    expect(valueAtRiskOfSample(new Float64Array(0), 0.99)).toBeNaN()
    expect(expectedShortfallOfSample(pnl, 1)).toBeNaN()
  })
  it('ES ≥ VaR at the same confidence, and ES(97.5%) beside VaR(99%) is reported (seed 7, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (xs, c) => {
          const s = Float64Array.from(xs)
          expect(expectedShortfallOfSample(s, c)).toBeGreaterThanOrEqual(
            valueAtRiskOfSample(s, c) - 1e-9 * (1 + Math.abs(valueAtRiskOfSample(s, c))),
          )
          const r = tailRisk(s)
          expect(r.varConfidence).toBe(0.99)
          expect(r.esConfidence).toBe(0.975)
        },
      ),
      { seed: 7, numRuns: 300 },
    )
  })
})
