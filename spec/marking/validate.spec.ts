// Leave-one-out and exchange comparison on a synthetic chain whose quotes straddle a known smile,
// with the stub fitter: the refitted model is the true smile, so every hidden quote is inside.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { absStats, leaveOneOut } from '../../lib/marking/validate.js'
import { stubFit, stubSnapshot } from './stubSurface.js'

const asOf = '2026-08-22T15:33:51.683Z'
const spec = { forward: 80_000, svi: { a: 0.2, b: 0.3, rho: -0.3, m: 0.05, sigma: 0.2 } }
const snap = stubSnapshot(spec, asOf, ['2026-09-25T08:00:00.000Z'], [70_000, 80_000, 90_000], 0.02)

describe('absStats', () => {
  it('median, nearest-rank p95 and max of |x|, ignoring non-finite values', () => {
    expect(absStats([3, -1, 2, Number.NaN])).toEqual({ n: 3, median: 2, p95: 3, max: 3 })
    expect(absStats([1, 2, 3, 4])).toEqual({ n: 4, median: 2.5, p95: 4, max: 4 })
    const xs = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(absStats(xs).p95).toBe(95)
    expect(absStats([]).median).toBeNaN()
  })
})

describe('leaveOneOut', () => {
  it('hides each liquid quote, refits its slice and scores the model mark', () => {
    const r = leaveOneOut(snap, { fit: stubFit(spec) })
    if (E.isLeft(r)) throw new Error(r.left.message)
    const v = r.right
    expect(v.leaveOneOut.hidden).toBe(v.counts.liquid)
    expect(v.leaveOneOut.hidden).toBeGreaterThan(0)
    expect(v.leaveOneOut.insideShare).toBe(1)
    expect(v.leaveOneOut.errorVolPoints.max).toBeLessThan(1e-6)
    // exchange marks were generated on the same smile: market marks equal them, model marks too
    expect(v.exchange?.absVolPoints.n).toBe(6)
    expect(v.exchange?.absVolPoints.max).toBeLessThan(1e-6)
  })
  it('a failed refit is listed and counted outside the spread', () => {
    let calls = 0
    const fit = stubFit(spec)
    const flaky = (s: Parameters<typeof fit>[0]) =>
      calls++ === 0 ? fit(s) : E.left({ _tag: 'FitNotConverged', message: 'no' })
    const r = leaveOneOut(snap, { fit: flaky })
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.leaveOneOut.refitFailures.length).toBe(r.right.leaveOneOut.hidden)
    expect(r.right.leaveOneOut.insideShare).toBe(0)
  })
})
