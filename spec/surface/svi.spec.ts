import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createQpWorkspace, solveSmallQp } from '../../lib/core/leastSquares.js'
import {
  durrlemanG,
  durrlemanGFromDerivatives,
  fitSviSlice,
  solveSviInnerQp,
  sviButterflyGrid,
  sviDerivatives,
  sviEvaluate,
  sviMinDurrlemanG,
  sviTotalVariance,
  sviTotalVarianceUnsafe,
} from '../../lib/surface/svi.js'

const P = { a: 0.04, b: 0.4, rho: -0.4, m: 0.1, sigma: 0.2 }

describe('SVI kernels', () => {
  // Expected values: mpmath 1.2.1 at 40 digits (w, w', w'' by mpmath.diff), see the table in the test name.
  const table: [number, number, number, number, number][] = [
    [
      '0',
      '0.14544271909999158786',
      '-0.33888543819998317571',
      '1.4310835055998654057',
      '1.5109610029372582371',
    ],
    [
      '0.5',
      '0.15488543819998317571',
      '0.19777087639996635143',
      '0.17888543819998317571',
      '0.48732521786812469627',
    ],
    [
      '-1.3',
      '0.82968542494923801952',
      '-0.55597979746446661366',
      '0.0056568542494923801952',
      '0.20894719638899114994',
    ],
  ].map((row) => row.map(Number) as [number, number, number, number, number])
  it('w, w′, w″ and g match mpmath (40 digits) to 1e-15 relative', () => {
    const out = new Float64Array(3)
    for (const [k, w, w1, w2, g] of table) {
      expect(sviTotalVariance(P, k)).toBeCloseTo(w, 15)
      expect(sviTotalVarianceUnsafe(P.a, P.b, P.rho, P.m, P.sigma, k)).toBe(sviTotalVariance(P, k))
      sviDerivatives(P, k, out)
      expect(Math.abs(out[0] - w) / w).toBeLessThan(1e-15)
      expect(Math.abs(out[1] - w1)).toBeLessThan(1e-15)
      expect(Math.abs(out[2] - w2) / w2).toBeLessThan(1e-14)
      expect(Math.abs(durrlemanG(P, k) - g)).toBeLessThan(1e-14)
      expect(durrlemanGFromDerivatives(k, out[0], out[1], out[2])).toBe(durrlemanG(P, k))
    }
  })
  it('sviEvaluate fills a caller-allocated array', () => {
    const k = Float64Array.of(0, 0.5, -1.3)
    const out = new Float64Array(3)
    expect(sviEvaluate(P, k, out)).toBe(out)
    expect(Array.from(out)).toEqual([0, 0.5, -1.3].map((x) => sviTotalVariance(P, x)))
  })
  it('g is NaN where w ≤ 0', () => {
    expect(durrlemanGFromDerivatives(0, 0, 0.1, 0.1)).toBeNaN()
    expect(durrlemanG({ a: -1, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0)).toBeNaN()
  })
})

describe('butterfly check', () => {
  it("flags Axel Vogt's example (Gatheral & Jacquier 2014, Example 3.1: a=−0.0410, b=0.1331, ρ=0.3060, m=0.3586, σ=0.4153)", () => {
    // #region sviMinDurrlemanG
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }
    const { minG, kAtMin } = sviMinDurrlemanG(vogt, sviButterflyGrid(vogt, -1.5, 1.5))
    // minG < 0 near k ≈ 0.9: butterfly arbitrage
    // #endregion sviMinDurrlemanG
    expect(minG).toBeLessThan(0)
    expect(kAtMin).toBeGreaterThan(0.5) // GJ Fig. 1: g < 0 for k around 0.7–1.0
    expect(kAtMin).toBeLessThan(1.5)
  })
  it('the check grid is sorted, reaches |k| ≥ 64 and resolves σ near m', () => {
    const g = sviButterflyGrid({ ...P, sigma: 1e-3 }, -0.5, 0.5)
    for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1])
    expect(g[0]).toBeLessThanOrEqual(-64)
    expect(g[g.length - 1]).toBeGreaterThanOrEqual(64)
    let near = 0
    for (const x of g) if (Math.abs(x - P.m) < 1e-3) near++
    expect(near).toBeGreaterThanOrEqual(20)
  })
  it('finds a dip narrower than the grid spacing by golden-section refinement', () => {
    const grid = Float64Array.of(-2, -1, 0, 1, 2)
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }
    let fine = Infinity
    for (let i = 0; i <= 40000; i++) fine = Math.min(fine, durrlemanG(vogt, -2 + i / 10000))
    expect(sviMinDurrlemanG(vogt, grid).minG).toBeCloseTo(fine, 7)
  })
})

describe('solveSviInnerQp', () => {
  it('agrees with the generic active-set oracle solveSmallQp on 2000 seeded random problems (objective to 1e-12)', () => {
    let s = 7
    const rnd = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648
      return s / 2147483648
    }
    const ws = createQpWorkspace(3, 6)
    const C = Float64Array.of(-1, 0, 0, 1, 0, 0, 0, 1, -1, 0, -1, -1, 0, 1, 1, 0, -1, 1)
    for (let t = 0; t < 2000; t++) {
      const L = Array.from({ length: 9 }, () => rnd() * 4 - 2)
      const G = new Float64Array(9)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          let v = i === j ? 0.05 : 0
          for (let q = 0; q < 3; q++) v += L[q * 3 + i] * L[q * 3 + j]
          G[i * 3 + j] = v
        }
      const r = Float64Array.of(rnd() * 6 - 3, rnd() * 6 - 3, rnd() * 6 - 3)
      const aMax = rnd() * 2
      const S = rnd() * 2
      const o1 = new Float64Array(3)
      const o2 = new Float64Array(3)
      const f1 = solveSviInnerQp(G, r, aMax, S, o1)
      const f2 = solveSmallQp(ws, G, r, C, Float64Array.of(0, aMax, 0, 0, S, S), o2)
      expect(Math.abs(f1 - f2)).toBeLessThan(1e-12 * (1 + Math.abs(f2)))
    }
  })
})

describe('fitSviSlice: examples and errors', () => {
  const k = Float64Array.from({ length: 21 }, (_, i) => -0.6 + 0.06 * i)
  const T = 0.25
  it('fits vols as well as total variances, identically', () => {
    const w = sviEvaluate(P, k)
    const vols = w.map((x) => Math.sqrt(x / T))
    const a = fitSviSlice({ k, w, expiry: T })
    const b = fitSviSlice({ k, vols, expiry: T })
    expect(E.isRight(a) && E.isRight(b)).toBe(true)
    if (E.isRight(a) && E.isRight(b)) {
      expect(a.right.rmseVol).toBeLessThan(1e-10)
      expect(b.right.params.a).toBeCloseTo(a.right.params.a, 10)
    }
  })
  it('rejects a wild quote and lists it with the reason', () => {
    // #region fitSviSlice
    // 21 quotes of an SVI smile (T = 0.25), one of them replaced by a 250% vol
    const vols = sviEvaluate(P, k).map((x) => Math.sqrt(x / T))
    vols[7] = 2.5
    const r = fitSviSlice({ k, vols, expiry: T })
    // Right: params ≈ P, excluded = [{ index: 7, reason: 'residual … robust scales (limit 5)…' }],
    // rmseVol < 1e-8 over the other quotes, minDurrlemanG ≥ 0
    // #endregion fitSviSlice
    expect(E.isRight(r)).toBe(true)
    if (E.isRight(r)) {
      expect(r.right.excluded.map((e) => e.index)).toEqual([7])
      expect(r.right.excluded[0].reason).toMatch(/robust scales/)
      expect(r.right.rmseVol).toBeLessThan(1e-8)
      expect(r.right.robustWeights[7]).toBe(0)
    }
  })
  it('lists zero-weight quotes as excluded', () => {
    const w = sviEvaluate(P, k)
    const weights = new Float64Array(21).fill(1)
    weights[3] = 0
    const r = fitSviSlice({ k, w, weights, expiry: T })
    expect(E.isRight(r) && r.right.excluded).toEqual([{ index: 3, reason: 'zero weight' }])
  })
  it('repairs a butterfly-violating smile (Vogt) so that min g ≥ 0, and says so', () => {
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }
    const kk = Float64Array.from({ length: 31 }, (_, i) => -1.5 + 0.1 * i)
    const r = fitSviSlice({ k: kk, w: sviEvaluate(vogt, kk), expiry: 1 })
    expect(E.isRight(r)).toBe(true)
    if (E.isRight(r)) {
      expect(r.right.butterflyRepaired).toBe(true)
      expect(r.right.minDurrlemanG).toBeGreaterThanOrEqual(0)
      expect(r.right.notes.join(' ')).toMatch(/butterfly repair/)
      expect(r.right.rmseVol).toBeLessThan(0.01) // repaired fit stays within 1 vol point RMS
    }
  })
  it("levelBound 'zero' (Zeliade's domain a ≥ 0) recovers a ≥ 0 smiles exactly and keeps a ≥ 0 on Vogt's a < 0 data", () => {
    const w = sviEvaluate(P, k)
    const r = fitSviSlice({ k, w, expiry: T, options: { levelBound: 'zero' } })
    expect(E.isRight(r) && r.right.rmseVol).toBeLessThan(1e-10)
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }
    const kk = Float64Array.from({ length: 31 }, (_, i) => -1.5 + 0.1 * i)
    const z = fitSviSlice({
      k: kk,
      w: sviEvaluate(vogt, kk),
      expiry: 1,
      options: { levelBound: 'zero', enforceButterfly: false },
    })
    const d = fitSviSlice({
      k: kk,
      w: sviEvaluate(vogt, kk),
      expiry: 1,
      options: { enforceButterfly: false },
    })
    expect(E.isRight(z) && z.right.params.a).toBeGreaterThanOrEqual(0)
    // the default level bound admits a < 0 and recovers Vogt's slice exactly
    expect(E.isRight(d) && d.right.params.a).toBeCloseTo(-0.041, 10)
    expect(E.isRight(d) && d.right.rmseVol).toBeLessThan(1e-10)
  })
  it('returns TooFewQuotes and InvalidInput as values', () => {
    const r1 = fitSviSlice({
      k: Float64Array.of(0, 0.1, 0.2, 0.3),
      w: Float64Array.of(0.1, 0.1, 0.1, 0.1),
      expiry: 1,
    })
    expect(E.isLeft(r1) && r1.left._tag).toBe('TooFewQuotes')
    const r2 = fitSviSlice({ k, w: new Float64Array(20), expiry: 1 })
    expect(E.isLeft(r2) && r2.left._tag).toBe('InvalidInput')
    const r3 = fitSviSlice({ k, w: sviEvaluate(P, k), expiry: 0 })
    expect(E.isLeft(r3) && r3.left._tag === 'InvalidInput' && r3.left.field).toBe('expiry')
    const bad = sviEvaluate(P, k)
    bad[2] = -1
    const r4 = fitSviSlice({ k, w: bad, expiry: 1 })
    expect(E.isLeft(r4) && r4.left._tag === 'InvalidInput' && r4.left.field).toBe('w.2')
    const r5 = fitSviSlice({ k, expiry: 1 })
    expect(E.isLeft(r5) && r5.left.message).toBe('field w = (missing): must be given when vols is not')
  })
})
