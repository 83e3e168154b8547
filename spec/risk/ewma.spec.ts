import { describe, expect, it } from 'vitest'
import { ewmaVariance, filteredReturns, horizonReturns, logReturns } from '../../lib/risk/ewma.js'

describe('return scenarios', () => {
  it('log returns of 100 → 110 → 99', () => {
    const r = logReturns(Float64Array.from([100, 110, 99]))
    expect(r[0]).toBeCloseTo(Math.log(1.1), 15)
    expect(r[1]).toBeCloseTo(Math.log(0.9), 15)
  })
  it('EWMA recursion worked by hand: seed on 2 returns, λ = 0.9', () => {
    const r = Float64Array.from([0.1, -0.1, 0.2])
    const v = ewmaVariance(r, 0.9, 2)
    // σ²₀ = (0.01 + 0.01)/2 = 0.01; σ²₁ = 0.9·0.01 + 0.1·0.01 = 0.01;
    // σ²₂ = 0.9·0.01 + 0.1·0.01 = 0.01; σ²₃ = 0.9·0.01 + 0.1·0.04 = 0.013
    expect(Array.from(v).map((x) => +x.toFixed(12))).toEqual([0.01, 0.01, 0.01, 0.013])
  })
  it('filtered returns rescale each return by σ̂_today / σ̂_t', () => {
    const r = Float64Array.from([0.1, -0.1, 0.2])
    const f = filteredReturns(r, 0.9, 2)
    const k = Math.sqrt(0.013) / Math.sqrt(0.01)
    expect(f[0]).toBeCloseTo(0.1 * k, 14)
    expect(f[2]).toBeCloseTo(0.2 * k, 14)
  })
  it('overlapping 2-day returns are sums of consecutive pairs; sqrt-time scales by √h', () => {
    const d = Float64Array.from([0.01, 0.02, -0.03, 0.04])
    expect(Array.from(horizonReturns(d, 2)).map((x) => +x.toFixed(12))).toEqual([0.03, -0.01, 0.01])
    expect(horizonReturns(d, 4, 'sqrt-time')[1]).toBeCloseTo(0.04, 15)
  })
})
