// Forwards and discount factors: parity regression and the forward curve.
// Expected values are constructed exactly (C − P = D(F − K) by construction), so the regression
// must return them to rounding; the outlier test states its tolerance.
import { describe, expect, it } from 'vitest'
import { type ParityPoint, discountAt, forwardAt, parityForward } from '../../lib/surface/forwards.js'

const exactPoints = (F: number, D: number, strikes: number[]): ParityPoint[] =>
  strikes.map((K) => {
    const put = 5 + 0.01 * Math.abs(K - F)
    return { strike: K, callMid: put + D * (F - K), putMid: put, spread: 0.5 + 0.001 * Math.abs(K - F) }
  })

describe('parityForward', () => {
  it('recovers F and D exactly from exact parity quotes', () => {
    const strikes = Array.from({ length: 30 }, (_, i) => 2500 + 25 * i)
    const fit = parityForward(exactPoints(2890.5, 0.9931, strikes)) as NonNullable<
      ReturnType<typeof parityForward>
    >
    expect(fit.forward).toBeCloseTo(2890.5, 8)
    expect(fit.discount).toBeCloseTo(0.9931, 12)
    expect(fit.strikes.length).toBe(30)
    expect(fit.rmse).toBeLessThan(1e-9)
    expect(fit.method).toBe('huber-regression')
  })

  it('uses the N strikes nearest the crossing when asked', () => {
    const strikes = Array.from({ length: 30 }, (_, i) => 2500 + 25 * i)
    const fit = parityForward(exactPoints(2890.5, 0.9931, strikes), 12) as NonNullable<
      ReturnType<typeof parityForward>
    >
    expect(fit.strikes.length).toBe(12)
    expect(Math.min(...fit.strikes)).toBeGreaterThanOrEqual(2725)
    expect(Math.max(...fit.strikes)).toBeLessThanOrEqual(3050)
    expect(fit.forward).toBeCloseTo(2890.5, 8)
  })

  it('down-weights a single bad quote (Huber): F within 0.05 and D within 1e-4', () => {
    const strikes = Array.from({ length: 30 }, (_, i) => 2500 + 25 * i)
    const pts = exactPoints(2890.5, 0.9931, strikes).map((p, i) =>
      p.strike === 2900
        ? { ...p, callMid: p.callMid + 8 }
        : { ...p, callMid: p.callMid + 0.05 * Math.sin(i) },
    )
    const fit = parityForward(pts) as NonNullable<ReturnType<typeof parityForward>>
    expect(Math.abs(fit.forward - 2890.5)).toBeLessThan(0.05)
    expect(Math.abs(fit.discount - 0.9931)).toBeLessThan(1e-4)
    const bad = fit.strikes.indexOf(2900)
    expect(fit.robustWeights[bad]).toBeLessThan(0.2)
    expect(Math.abs(fit.residuals[bad] as number)).toBeGreaterThan(7)
  })

  it('uses the fallback discount with a single strike', () => {
    const fit = parityForward(
      [{ strike: 100, callMid: 7, putMid: 2, spread: 0.2 }],
      12,
      1.345,
      0.99,
    ) as NonNullable<ReturnType<typeof parityForward>>
    expect(fit.discount).toBe(0.99)
    expect(fit.forward).toBeCloseTo(100 + 5 / 0.99, 12)
    expect(fit.method).toBe('single-strike')
  })

  it('returns undefined without points and is deterministic', () => {
    expect(parityForward([])).toBeUndefined()
    const strikes = Array.from({ length: 20 }, (_, i) => 80 + 2 * i)
    const pts = exactPoints(101.3, 0.97, strikes).map((p, i) => ({
      ...p,
      putMid: p.putMid + 0.01 * Math.cos(i),
    }))
    expect(parityForward(pts)).toEqual(parityForward(pts))
  })
})

describe('forward curve', () => {
  const curve = { spot: 100, times: [0.1, 0.5, 1], forwards: [101, 104, 110], discounts: [0.999, 0.99, 0.97] }

  it('is exact at the nodes', () => {
    expect(forwardAt(curve, 0.5)).toBeCloseTo(104, 12)
    expect(discountAt(curve, 1)).toBeCloseTo(0.97, 14)
  })

  it('is log-linear between nodes and from the spot before the first', () => {
    expect(forwardAt(curve, 0.3)).toBeCloseTo(Math.sqrt(101 * 104), 10)
    expect(forwardAt(curve, 0.05)).toBeCloseTo(Math.sqrt(100 * 101), 10)
    expect(discountAt(curve, 0.05)).toBeCloseTo(Math.sqrt(0.999), 14)
    expect(forwardAt(curve, 0)).toBe(100)
    expect(discountAt(curve, -1)).toBe(1)
  })

  it('extrapolates at the last node’s average carry', () => {
    expect(forwardAt(curve, 2)).toBeCloseTo(100 * (110 / 100) ** 2, 9)
    expect(discountAt(curve, 3)).toBeCloseTo(0.97 ** 3, 14)
    expect(forwardAt(curve, NaN)).toBeNaN()
  })
})
