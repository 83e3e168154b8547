import { describe, expect, it } from 'vitest'
import { kupiecPof } from '../../lib/risk/kupiec.js'

// Non-rejection regions of the Kupiec POF test at 95% test confidence, as published in
// P. Jorion, Value at Risk, 3rd ed. (2007), Table 6-3 ("Model backtesting, 95% nonrejection
// test confidence regions"): for each (p, T) the region lo < N < hi.
const jorion: readonly [p: number, T: number, lo: number | null, hi: number][] = [
  [0.01, 255, null, 7],
  [0.01, 510, 1, 11],
  [0.01, 1000, 4, 17],
  [0.025, 255, 2, 12],
  [0.025, 510, 6, 21],
  [0.025, 1000, 15, 36],
  [0.05, 255, 6, 21],
  [0.05, 510, 16, 36],
  [0.05, 1000, 37, 65],
  [0.1, 255, 16, 36],
  [0.1, 1000, 81, 120],
]

describe('Kupiec proportion-of-failures test', () => {
  it.each(jorion)(
    'p = %s, T = %s: rejects exactly outside Jorion Table 6-3 region (%s, %s)',
    (p, T, lo, hi) => {
      expect(kupiecPof(hi - 1, T, p).rejected).toBe(false)
      expect(kupiecPof(hi, T, p).rejected).toBe(true)
      if (lo !== null) {
        expect(kupiecPof(lo + 1, T, p).rejected).toBe(false)
        expect(kupiecPof(lo, T, p).rejected).toBe(true)
      }
    },
  )
  it('statistic is 0 and p-value 1 when the exception rate equals p exactly', () => {
    const r = kupiecPof(10, 1000, 0.01)
    expect(r.statistic).toBeCloseTo(0, 12)
    expect(r.pValue).toBeCloseTo(1, 12)
  })
  it('LR worked by hand: x = 0, T = 255, p = 0.01 → −2·255·ln 0.99 = 5.1256…', () => {
    expect(kupiecPof(0, 255, 0.01).statistic).toBeCloseTo(-2 * 255 * Math.log(0.99), 12)
  })
})
