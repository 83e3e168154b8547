/**
 * Golden values: spec/fixtures/impliedvol/impliedvol.json (`normalised` set, 3000 rows), written by
 * the seeded generator spec/fixtures/impliedvol/generate.py with mpmath 1.2.1 at 100 digits from
 * the exact double inputs (h = x/s uniform in [−40, 2], log10 s uniform in [−5, 1.3], b ≥ 1e-300).
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  memoVega,
  normalisedBlackCall,
  normalisedIntrinsicCall,
  normalisedVega,
} from '../../lib/pricing/normalisedBlack.js'

interface Row {
  readonly x: number
  readonly s: number
  readonly b: number
  readonly vega: number
}
const rows = (
  JSON.parse(readFileSync(new URL('../fixtures/impliedvol/impliedvol.json', import.meta.url), 'utf8')) as {
    readonly normalised: readonly Row[]
  }
).normalised

const rel = (a: number, b: number): number => Math.abs(a / b - 1)

describe('normalisedBlackCall against mpmath', () => {
  const errors = rows.map((r) => rel(normalisedBlackCall(r.x, r.s), r.b)).sort((a, b) => a - b)
  it('covers the wings: prices from 1e-300 to O(1)', () => {
    expect(rows.length).toBe(3000)
    expect(Math.min(...rows.map((r) => r.b))).toBeLessThan(1e-250)
  })
  it('max relative error ≤ 4e-15 (measured 2.4e-15), 99th percentile ≤ 1.5e-15', () => {
    expect(errors[errors.length - 1]).toBeLessThanOrEqual(4e-15)
    expect(errors[Math.floor(0.99 * errors.length)]).toBeLessThanOrEqual(1.5e-15)
  })
  it('normalisedVega: max relative error ≤ 1e-15', () => {
    const worst = rows.reduce((m, r) => Math.max(m, rel(normalisedVega(r.x, r.s), r.vega)), 0)
    expect(worst).toBeLessThanOrEqual(1e-15)
  })
})

describe('normalisedBlackCall in the small-t table at |h| < 0.75 (nodes from the forward recurrence)', () => {
  // mpmath 1.2.1, mp.dps = 60, from the exact doubles, as below; six of 5000 seeded points with
  // |h| < 0.8, t < τ (max error 1.0e-15 over the 5000).
  const golden: readonly (readonly [number, number, string])[] = [
    [-7.92880750700951e-6, 0.10830081634516381, '0.0431807044959144002858129'], // |h| = 0.000, t = 5.4e-2
    [-0.0007801142937584105, 0.005303943062351709, '0.001748753877543486532098873'], // |h| = 0.147, t = 2.7e-3
    [-0.04508740902350594, 0.1484943898593901, '0.03935834280758262459894133'], // |h| = 0.304, t = 7.4e-2
    [-0.09501605468232874, 0.2101308099197665, '0.04462682430364946590993899'], // |h| = 0.452, t = 0.105
    [-1.5148651972088077e-5, 2.5449110594798856e-5, '0.000004325800388304803597893414'], // |h| = 0.595, t = 1.3e-5
    [-0.0583281550644687, 0.07777492206861751, '0.01019772920151585917567017'], // |h| = 0.750, t = 3.9e-2
  ]
  it('relative error ≤ 1.5e-15', () => {
    for (const [x, s, b] of golden)
      expect(rel(normalisedBlackCall(x, s), Number(b))).toBeLessThanOrEqual(1.5e-15)
  })
})

describe('normalisedBlackCall in the backward-recurrence branch (t ≥ τ, h ≤ −2, t < |h|/4, t·|h| ≥ 2.5)', () => {
  // mpmath 1.2.1, mp.dps = 80, from the exact doubles: b = e^{x/2}Φ(x/s + s/2) − e^{−x/2}Φ(x/s − s/2).
  // Eight of 9000 seeded points of this branch against which the recurrence's start order was
  // chosen (max error 1.2e-15 over the 9000).
  const golden: readonly (readonly [number, number, string])[] = [
    [-5.106166246699895, 1.588467110457418, '0.0002115122933860689322510894'], // w = 3.21, t = 0.794
    [-7.055838024833803, 1.3484635820017097, '1.631469714442365409368744e-8'], // w = 5.23, t = 0.674
    [-10.621868870419924, 1.6414480521104367, '8.555606728391539893781894e-12'], // w = 6.47, t = 0.821
    [-21.196417202022698, 2.821457551581091, '4.01978534400094335090877e-15'], // w = 7.51, t = 1.411
    [-21.44803650905892, 2.508557837212304, '8.176611885853532225068861e-19'], // w = 8.55, t = 1.254
    [-17.331046778745748, 1.8288544622368634, '1.650153168473328408237866e-22'], // w = 9.48, t = 0.914
    [-44.795518509529245, 4.258998187116352, '1.532277137718767581299106e-27'], // w = 10.52, t = 2.129
    [-84.52946701415026, 6.4863126072239154, '1.094909106028353536131105e-41'], // w = 13.03, t = 3.243
  ]
  it('relative error ≤ 2e-15', () => {
    for (const [x, s, b] of golden)
      expect(rel(normalisedBlackCall(x, s), Number(b))).toBeLessThanOrEqual(2e-15)
  })
})

describe('normalisedBlackCall in region 3 with q₁ < −0.46875 ≤ q₂ (erfc(q₁) via the Gaussian factor)', () => {
  // mpmath 1.2.1, mp.dps = 60, from the exact doubles, as above; six of 4000 seeded points of this
  // branch (max error 4.4e-16 over the 4000).
  const golden: readonly (readonly [number, number, string])[] = [
    [-576.3979413711018, 48.04738098700166, '6.867162763977275763983966e-126'], // h = −12.00, t = 24.0
    [-255.79174431501806, 23.720067098196537, '2.424152218684989717161493e-56'], // h = −10.78, t = 11.9
    [-155.2422633450625, 32.966794093019125, '1.947918739016484182695865e-34'], // h = −4.71, t = 16.5
    [-80.73012910739072, 14.803849998683713, '2.859671382280334710272345e-18'], // h = −5.45, t = 7.40
    [-27.94321675262279, 11.034361789693598, '0.0000008537760980142801961781541'], // h = −2.53, t = 5.52
    [-0.03114394408659598, 7.284260115537621, '0.9842782550203687311775672'], // h = −0.004, t = 3.64
  ]
  it('relative error ≤ 1e-15', () => {
    for (const [x, s, b] of golden)
      expect(rel(normalisedBlackCall(x, s), Number(b))).toBeLessThanOrEqual(1e-15)
  })
})

describe('edges and examples', () => {
  it('normalisedVega reuses the Gaussian factor of the preceding b only for identical arguments', () => {
    const fresh = normalisedVega(-1.3, 0.7)
    normalisedBlackCall(-1.3, 0.7)
    expect(normalisedVega(-1.3, 0.7)).toBe(fresh)
    expect(normalisedVega(1.3, 0.7)).toBe(fresh) // same for the reflected call
    normalisedBlackCall(-2, 0.5)
    expect(normalisedVega(-1.3, 0.7)).toBe(fresh)
  })
  it('normalisedVega never depends on what was called before: after b(x, s) (memo) it is the same double as fresh, in every region', () => {
    // Grid over the small-t table branch (t < τ, |h| ≤ 10) and a seeded sweep over all regions
    // (asymptotic, table, Miller, Cody). Before 2026-12-04 the memo from the table branch differed
    // from a fresh evaluation on 7,656 of these 20,000 grid points (up to 2.36ε relative).
    const check = (x: number, s: number): void => {
      normalisedBlackCall(-5, 1) // another argument pair in the memo
      const fresh = normalisedVega(x, s)
      normalisedBlackCall(x, s)
      expect(normalisedVega(x, s)).toBe(fresh)
    }
    for (let i = 1; i <= 400; i++)
      for (let j = 1; j <= 50; j++) {
        const s = (0.42 * i) / 400
        check((-10 * j * s) / 50, s)
      }
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 0, noNaN: true }),
        fc.double({ min: 1e-6, max: 20, noNaN: true }),
        (h, s) => check(h * s, s),
      ),
      { seed: 42, numRuns: 20_000 },
    )
  })
  it('doc-comment examples', () => {
    // #region normalisedBlackCall
    const atm = normalisedBlackCall(0, 0.2) // 0.07965567455405796 (py_vollib: 0.0796556745541)
    const wing = normalisedBlackCall(-30, 1) // 1.440593848706351e-199, relative error ≈ 1e-16
    // undiscounted call = √(FK)·b(ln(F/K), σ√T); put = √(FK)·b(−ln(F/K), σ√T)
    // #endregion normalisedBlackCall
    expect(atm).toBe(0.07965567455405796)
    expect(rel(wing, 1.4405938487063513e-199)).toBeLessThan(5e-16)
    // #region normalisedVega
    const vega = normalisedVega(0, 0.2) // 0.3969525474770118 = e^{−s²/8}/√(2π)
    // #endregion normalisedVega
    expect(vega).toBe(0.3969525474770118)
    // #region normalisedIntrinsicCall
    const intrinsic = normalisedIntrinsicCall(0.1) // 0.10004167187531003 = 2 sinh(0.05)
    // #endregion normalisedIntrinsicCall
    expect(intrinsic).toBe(0.10004167187531003)
  })
  it('s = 0 gives the intrinsic value; s = ∞ gives e^{x/2}; NaN propagates', () => {
    expect(normalisedBlackCall(-1, 0)).toBe(0)
    expect(normalisedBlackCall(1, 0)).toBe(2 * Math.sinh(0.5))
    expect(normalisedBlackCall(-1, Infinity)).toBe(Math.exp(-0.5))
    expect(normalisedBlackCall(NaN, 1)).toBeNaN()
    expect(normalisedBlackCall(-1, NaN)).toBeNaN()
    expect(normalisedVega(-1, 0)).toBe(0)
    expect(normalisedVega(0, 0)).toBe(1 / Math.sqrt(2 * Math.PI))
  })
  it('underflow gives 0, never a negative value', () => {
    expect(normalisedBlackCall(-2000, 1)).toBe(0)
    expect(normalisedBlackCall(-1, 1e-3)).toBe(0)
  })
})

describe('properties (fast-check, seed 42)', () => {
  const xArb = fc.double({ min: -50, max: 50, noNaN: true })
  const sArb = fc.double({ min: 1e-6, max: 20, noNaN: true })
  it('no-arbitrage bounds ι(x) ≤ b < e^{x/2} (numRuns 5000)', () => {
    fc.assert(
      fc.property(xArb, sArb, (x, s) => {
        const b = normalisedBlackCall(x, s)
        return b >= normalisedIntrinsicCall(x) * (1 - 1e-15) && b <= Math.exp(0.5 * x)
      }),
      { seed: 42, numRuns: 5000 },
    )
  })
  it('put-call parity b(x,s) − b(−x,s) = 2 sinh(x/2) (numRuns 5000)', () => {
    fc.assert(
      fc.property(xArb, sArb, (x, s) => {
        const lhs = normalisedBlackCall(x, s) - normalisedBlackCall(-x, s)
        const scale = normalisedBlackCall(Math.abs(x), s)
        expect(Math.abs(lhs - 2 * Math.sinh(0.5 * x))).toBeLessThanOrEqual(4e-16 * scale + 1e-300)
      }),
      { seed: 42, numRuns: 5000 },
    )
  })
  it('increasing in s, with slope = normalisedVega (numRuns 3000)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 0, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (x, s) => {
          const ds = 1e-6 * s
          const b0 = normalisedBlackCall(x, s - ds)
          const b1 = normalisedBlackCall(x, s + ds)
          expect(b1).toBeGreaterThanOrEqual(b0)
          const v = normalisedVega(x, s)
          // central-difference truncation ≈ ds²/6·b''' with b'''/b' ≈ (x²/s³)²; rounding ≈ 1e-16·b/ds
          const h = x / s
          const tol = v * (1e-8 + 1e-11 * h ** 4) + (2e-16 * b1) / ds
          if (b0 > 1e-280) expect(Math.abs((b1 - b0) / (2 * ds) - v)).toBeLessThanOrEqual(tol)
        },
      ),
      { seed: 42, numRuns: 3000 },
    )
  })
  it('shrunk counterexample: vega matches the finite difference at (−5.0255, 0.3201), b ≈ 1e-60', () => {
    const [x, s] = [-5.025518263287756, 0.32010420622785596]
    const ds = 1e-6 * s
    const fd = (normalisedBlackCall(x, s + ds) - normalisedBlackCall(x, s - ds)) / (2 * ds)
    expect(rel(fd, normalisedVega(x, s))).toBeLessThan(1e-11 * (x / s) ** 4)
  })
  it('continuous across the region boundaries (h = −10, t = τ, t = |h|/4)', () => {
    const tau = 2 * Math.pow(Number.EPSILON, 1 / 16)
    for (const [x, s] of [
      [-10 * 0.5, 0.5], // h = −10
      [-1, 2 * tau], // t = τ
      [-2 * 1.0 * 1.0, 1.0], // 2s² = −x with h = −2
      [-8, 2], // 2s² = −x with h = −4
    ] as const) {
      const below = normalisedBlackCall(x, s * (1 - 1e-12))
      const above = normalisedBlackCall(x, s * (1 + 1e-12))
      expect(rel(above, below)).toBeLessThan(1e-9)
    }
  })
})

describe('memoVega (internal: the implied-vol step reads b′ from the memo b leaves)', () => {
  it('equals normalisedVega bit for bit right after normalisedBlackCall at the same (x, s), in every region, and is NaN once the memo holds another point or none', () => {
    let hits = 0
    for (const x of [-1e-6, -0.01, -0.3, -1, -3, -8, -30, -200])
      for (const s of [1e-4, 0.01, 0.1, 0.3, 0.6, 1, 2, 5, 20]) {
        normalisedBlackCall(x, s)
        const m = memoVega(x, s)
        if (m === m) {
          hits++
          expect(m).toBe(normalisedVega(x, s))
        }
        // another point, or a b that computes no Gaussian factor (both erfc terms, |q| < 0.47)
        expect(memoVega(x, s * 1.5)).toBeNaN()
      }
    normalisedBlackCall(-0.01, 1) // region 3 with both erfc arguments below 0.46875: no Gaussian factor, no memo
    expect(memoVega(-0.01, 1)).toBeNaN()
    expect(hits).toBeGreaterThan(50)
  })
})
