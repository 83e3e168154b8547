/**
 * Implied volatility (Let's Be Rational).
 *
 * Golden values: spec/fixtures/impliedvol/impliedvol.json (`options`, 6000 rows over issue 2's
 * domain; `normalised`, 3000 rows down to b = 1e-300), from the seeded generator
 * spec/fixtures/impliedvol/generate.py (mpmath 1.2.1, 100 digits). `volExact` is the exact implied
 * vol of the *double* price in the file, so the tests measure the inversion, not the rounding of
 * the price. `elasticity` E = σ·vega/price: one ulp of price moves σ by ≈ 1.1e-16/E relative,
 * which is the information the price carries about σ.
 *
 * Published examples: py_vollib (vollib/py_vollib, py_vollib/black/implied_volatility.py
 * doctests, tolerance 1e-5 there; prices quoted to 10–12 digits).
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import {
  TIME_VALUE_RESOLUTION,
  impliedVol,
  impliedVolBatch,
  impliedVolChecked,
  impliedVolUnsafe,
  normalisedImpliedVolatility,
} from '../../lib/pricing/impliedVol.js'
import { normalisedBlackCall, normalisedVega } from '../../lib/pricing/normalisedBlack.js'

interface OptionRow {
  readonly kind: 'call' | 'put'
  readonly forward: number
  readonly strike: number
  readonly expiry: number
  readonly discount: number
  readonly vol: number
  readonly price: number
  readonly volExact: number | null
  readonly elasticity: number | null
}
interface NormalisedRow {
  readonly x: number
  readonly s: number
  readonly b: number
  readonly vega: number
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/impliedvol/impliedvol.json', import.meta.url), 'utf8'),
) as { readonly options: readonly OptionRow[]; readonly normalised: readonly NormalisedRow[] }

const EPS = Number.EPSILON
const rel = (a: number, b: number): number => Math.abs(a / b - 1)
const q = (kind: 'call' | 'put'): 1 | -1 => (kind === 'call' ? 1 : -1)
const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!

describe('impliedVol against the 100-digit reference (generate.py, 6000 options)', () => {
  const rows = fixture.options.filter((r) => r.volExact !== null)
  const results = rows.map((r) => ({
    r,
    v: impliedVol({
      kind: r.kind,
      forward: r.forward,
      strike: r.strike,
      expiry: r.expiry,
      price: r.price,
      discount: r.discount,
    }),
  }))
  it('inverts every admissible price except those without resolvable time value', () => {
    const lefts = results.filter(({ v }) => E.isLeft(v))
    // Measured: 5 rows, all with elasticity < 4e-13 (time value below 64 ulp of the price) or a
    // price equal to D·F after rounding.
    expect(lefts.length).toBeLessThanOrEqual(6)
    for (const { r, v } of lefts) {
      expect(r.elasticity as number).toBeLessThan(1e-12)
      if (E.isLeft(v)) expect(['TimeValueBelowResolution', 'PriceAboveMaximum']).toContain(v.left._tag)
    }
  })
  it('relative vol error ≤ 1e-13 where the price carries the information (E ≥ 1e-3); measured max 8.6e-14, p99 2.7e-14', () => {
    const errs = results
      .filter(({ r }) => (r.elasticity as number) >= 1e-3)
      .map(({ r, v }) => (E.isRight(v) ? rel(v.right, r.volExact as number) : Infinity))
    expect(errs.length).toBeGreaterThan(4400)
    expect(Math.max(...errs)).toBeLessThanOrEqual(1e-13)
    expect(percentile(errs, 0.99)).toBeLessThanOrEqual(3e-14)
  })
  it('at the conditioning limit everywhere: relative vol error ≤ 4ε(1 + 1/E) for every Right (measured 1.93ε(1 + 1/E))', () => {
    for (const { r, v } of results) {
      if (E.isRight(v) && v.right > 0)
        expect(rel(v.right, r.volExact as number)).toBeLessThanOrEqual(
          4 * EPS * (1 + 1 / (r.elasticity as number)),
        )
    }
  })
  it('impliedVolUnsafe and impliedVolBatch agree with impliedVol bit for bit (NaN for Left)', () => {
    const n = rows.length
    const cols = {
      kinds: Int8Array.from(rows, (r) => q(r.kind)),
      prices: Float64Array.from(rows, (r) => r.price),
      forwards: Float64Array.from(rows, (r) => r.forward),
      strikes: Float64Array.from(rows, (r) => r.strike),
      expiries: Float64Array.from(rows, (r) => r.expiry),
      discounts: Float64Array.from(rows, (r) => r.discount),
    }
    const out = impliedVolBatch(cols, new Float64Array(n))
    results.forEach(({ r, v }, i) => {
      const u = impliedVolUnsafe(q(r.kind), r.price, r.forward, r.strike, r.expiry, r.discount)
      if (E.isRight(v)) {
        expect(u).toBe(v.right)
        expect(out[i]).toBe(v.right)
      } else {
        expect(u).toBeNaN()
        expect(out[i]).toBeNaN()
      }
    })
  })
})

/**
 * Round trip s → b(x, s) → s at the conditioning limit, 4ε(1 + 1/E) with E = s·b′/b (b from the
 * kernel is the exact input of the inversion). False, without a check, where b is below 1e-300 or
 * within 1e-15 of its maximum e^{x/2}.
 */
const roundTripAtConditioningLimit = (x: number, s: number): boolean => {
  const b = normalisedBlackCall(x, s)
  if (!(b > 1e-300) || b >= Math.exp(0.5 * x) * (1 - 1e-15)) return false
  const e = (s * normalisedVega(x, s)) / b
  expect(rel(normalisedImpliedVolatility(b, x), s)).toBeLessThanOrEqual(4 * EPS * (1 + 1 / e))
  return true
}

describe('normalisedImpliedVolatility against the reference (3000 rows, b down to 1e-300)', () => {
  it('relative error of s ≤ 4ε(1 + 1/E), E = s·b′/b (measured 1.12ε(1 + 1/E)), on every out-of-the-money row', () => {
    let n = 0
    for (const r of fixture.normalised) {
      if (r.x > 0) continue
      n++
      const s = normalisedImpliedVolatility(r.b, r.x)
      expect(rel(s, r.s)).toBeLessThanOrEqual(4 * EPS * (1 + r.b / (r.s * r.vega)))
    }
    expect(n).toBeGreaterThan(2800)
  })
  it('sweep x ∈ [−700, −1e-12], s ∈ [1e-6, 100] (b > 1e-300): error ≤ 4ε(1 + 1/E) (measured 1.9); includes x = −300, s = 31.6, where two Householder steps alone left 200ε(1 + 1/E)', () => {
    let n = 0
    for (const x of [-1e-12, -1e-8, -1e-5, -1e-3, -0.1, -1, -5, -20, -100, -300, -600, -700])
      for (let ls = -6; ls <= 2; ls += 0.05) {
        if (roundTripAtConditioningLimit(x, 10 ** ls)) n++
      }
    expect(n).toBeGreaterThan(700)
  })
  it('lowest branch from the x-only table: every node and midpoint of s_c = √(2|x|) ∈ (0, 32.5], across its end |x| = 512, error ≤ 4ε(1 + 1/E)', () => {
    let n = 0
    for (let k = 1; k <= 1040; k++) {
      const sC = k / 32 // nodes (even k) and midpoints (odd k) of the 1/16 grid
      for (const x of [-0.5 * sC * sC, -0.5 * sC * sC * (1 + 1e-9)])
        for (const fraction of [1e-3, 0.05, 0.2, 0.45])
          if (roundTripAtConditioningLimit(x, fraction * sC)) n++
    }
    expect(n).toBeGreaterThan(3000)
  })
  it('accurate lowest-branch guess (grid, |h| ≤ 10, s_c < 16) and one step: s_c on a 1/32 grid to 17.5, |h| = 1…12 (across h = −10), error ≤ 4ε(1 + 1/E)', () => {
    let n = 0
    for (let k = 1; k <= 560; k++) {
      const sC = k / 32
      const x = -0.5 * sC * sC
      for (const h of [1, 2, 4, 6, 9.99, 10.01, 12]) if (roundTripAtConditioningLimit(x, -x / h)) n++
    }
    expect(n).toBeGreaterThan(3000)
  })
  it('accurate lowest-branch guess near its first node (s_c → 0, where the guess is least accurate, 1.6e-6): s_c log-spaced in [1e-5, 1/16], error ≤ 4ε(1 + 1/E) (measured 0.99 at 2026-12-04)', () => {
    let n = 0
    for (let k = 0; k <= 200; k++) {
      const sC = 1e-5 * 6250 ** (k / 200)
      const x = -0.5 * sC * sC
      for (const h of [0.5, 1, 2, 4, 6, 9.99, 10.01, 12]) if (roundTripAtConditioningLimit(x, -x / h)) n++
    }
    expect(n).toBeGreaterThan(1200)
  })
  it("grid guesses of branches (ii) and (iii) and one step: s_c on a 1/32 grid to 17.5 (across s_c = 16 and the upper grid's first row 5/16), s = s_c·{0.1 … 0.999} and s_c + {0.001 … 3} (into branch (iv)), error ≤ 4ε(1 + 1/E) (measured 1.95)", () => {
    let n = 0
    for (let k = 1; k <= 560; k++) {
      const sC = k / 32
      const x = -0.5 * sC * sC
      for (const f of [0.1, 0.3, 0.6, 0.9, 0.999]) if (roundTripAtConditioningLimit(x, f * sC)) n++
      for (const d of [0.001, 0.1, 0.5, 1, 2, 3]) if (roundTripAtConditioningLimit(x, sC + d)) n++
    }
    expect(n).toBeGreaterThan(5500)
  })
  it("near the money (s_c log-spaced in [1e-5, 5/16], where the middle grid's first node stands in for s_c → 0 and the upper grid does not apply): s = s_c·{0.01 … 10} and s ∈ {0.5, 1, 1.5, 2.5}, error ≤ 4ε(1 + 1/E) (measured 1.98)", () => {
    let n = 0
    for (let k = 0; k <= 200; k++) {
      const sC = 1e-5 * 31250 ** (k / 200)
      const x = -0.5 * sC * sC
      for (const f of [0.01, 0.1, 0.3, 0.6, 0.9, 0.999, 1.001, 1.5, 3, 10])
        if (roundTripAtConditioningLimit(x, f * sC)) n++
      for (const s of [0.5, 1, 1.5, 2.5]) if (roundTripAtConditioningLimit(x, s)) n++
    }
    expect(n).toBeGreaterThan(2700)
  })
  it('near grid (branch (iii) below s_c = 5/16) and top grid (branch (iv), β > b_h): s_c log-spaced in [1e-4, 17.5], s = s_c + f·(s_h − s_c), f ∈ {0.001 … 0.9999}, and s = s_h + {0.001 … 9}, error ≤ 4ε(1 + 1/E) (measured 2.44; 1.86 on Jäckel’s path before)', () => {
    let n = 0
    for (let k = 0; k <= 300; k++) {
      const sC = 1e-4 * 175000 ** (k / 300)
      const x = -0.5 * sC * sC
      const sH = sC + (Math.exp(0.5 * x) - normalisedBlackCall(x, sC)) / normalisedVega(x, sC)
      for (const f of [0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9999])
        if (roundTripAtConditioningLimit(x, sC + f * (sH - sC))) n++
      for (const d of [0.001, 0.01, 0.1, 0.3, 1, 2, 3, 5, 7, 9])
        if (roundTripAtConditioningLimit(x, sH + d)) n++
    }
    expect(n).toBeGreaterThan(5500)
  })
  it('results do not depend on the order of calls (the tables fill on first use): fresh module, sorted vs shuffled, through all four grids and the near grid', async () => {
    const cases: [number, number][] = []
    for (let k = 1; k < 1000; k++) {
      const sC = (k * 32.5) / 1000
      const x = -0.5 * sC * sC
      const b = normalisedBlackCall(x, (-x / (1 + (k % 11))) * (1 + 0.01 * (k % 7)))
      if (b > 1e-300 && b < Math.exp(0.5 * x) * (1 - 1e-15)) cases.push([b, x])
    }
    // branches (iii) and (iv): the near grid (s_c < 5/16, rows in log₂ s_c) and the top grid
    for (let k = 0; k < 300; k++) {
      const sC = 1e-4 * 175000 ** (k / 300)
      const x = -0.5 * sC * sC
      const sH = sC + (Math.exp(0.5 * x) - normalisedBlackCall(x, sC)) / normalisedVega(x, sC)
      for (const s of [sC + (0.1 + 0.1 * (k % 9)) * (sH - sC), sH + 0.01 + 0.5 * (k % 13)]) {
        const b = normalisedBlackCall(x, s)
        if (b < Math.exp(0.5 * x) * (1 - 1e-15)) cases.push([b, x])
      }
    }
    expect(cases.length).toBeGreaterThan(1000)
    vi.resetModules()
    const sorted = await import('../../lib/pricing/impliedVol.js')
    const inOrder = cases.map(([b, x]) => sorted.normalisedImpliedVolatility(b, x))
    vi.resetModules()
    const shuffled = await import('../../lib/pricing/impliedVol.js')
    const order = cases.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7919 + 13) % (i + 1) // a fixed permutation
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const outOfOrder = new Array<number>(cases.length)
    for (const i of order) outOfOrder[i] = shuffled.normalisedImpliedVolatility(cases[i]![0], cases[i]![1])
    expect(outOfOrder).toEqual(inOrder)
    expect(inOrder.every((v) => v > 0)).toBe(true)
  })
  it('domain edges: 0 for β = 0, NaN for β ≥ e^{x/2}, β < 0 or x > 0', () => {
    expect(normalisedImpliedVolatility(0, -1)).toBe(0)
    expect(normalisedImpliedVolatility(Math.exp(-0.5), -1)).toBeNaN()
    expect(normalisedImpliedVolatility(-1e-3, -1)).toBeNaN()
    expect(normalisedImpliedVolatility(0.1, 1)).toBeNaN()
  })
})

describe('py_vollib examples (vollib/py_vollib py_vollib/black/implied_volatility.py doctests)', () => {
  it('F = K = 100, σ = 0.2, t = 0.5, r = 0.02 call: discounted price 5.5811067246 → σ = 0.2', () => {
    const D = Math.exp(-0.02 * 0.5)
    const price = black76PriceUnsafe(1, 100, 100, 0.5, 0.2, D)
    expect(Math.abs(price - 5.5811067246)).toBeLessThan(1e-10)
    expect(rel(impliedVolUnsafe(1, price, 100, 100, 0.5, D), 0.2)).toBeLessThan(1e-15)
    // the published 11-digit price itself: error ≈ 5e-11 / (vega ≈ 28) in vol
    expect(Math.abs(impliedVolUnsafe(1, 5.5811067246, 100, 100, 0.5, D) - 0.2)).toBeLessThan(1e-11)
  })
  it('undiscounted F = K = 100, t = 0.5: σ = 0.2 ↔ 5.6371977797, σ = 0.232323232 ↔ 6.54635543387', () => {
    expect(Math.abs(impliedVolUnsafe(1, 5.6371977797, 100, 100, 0.5, 1) - 0.2)).toBeLessThan(1e-11)
    expect(Math.abs(impliedVolUnsafe(1, 6.54635543387, 100, 100, 0.5, 1) - 0.232323232)).toBeLessThan(1e-11)
  })
  it('normalised: b(0, 0.2) = 0.0796556745541 → 0.2; put b(−0.1, 0.23232323888) = 0.0509710222785 → 0.23232323888', () => {
    const bc = normalisedBlackCall(0, 0.2)
    expect(Math.abs(bc - 0.0796556745541)).toBeLessThan(1e-13)
    expect(rel(normalisedImpliedVolatility(bc, 0), 0.2)).toBeLessThan(1e-15)
    const bp = normalisedBlackCall(-0.1, 0.23232323888) // put at x = 0.1 is the call at −x
    expect(Math.abs(bp - 0.0509710222785)).toBeLessThan(1e-13)
    expect(rel(normalisedImpliedVolatility(bp, -0.1), 0.23232323888)).toBeLessThan(1e-15)
  })
})

describe('doc-comment examples', () => {
  it('impliedVol, impliedVolUnsafe, impliedVolBatch, impliedVolChecked, normalisedImpliedVolatility', () => {
    // #region impliedVol
    // py_vollib's example: F = K = 100, t = 0.5, r = 2%, σ = 0.2 call priced at 5.5811067246…
    const price = black76PriceUnsafe(1, 100, 100, 0.5, 0.2, Math.exp(-0.01))
    const vol = impliedVol({
      kind: 'call',
      forward: 100,
      strike: 100,
      expiry: 0.5,
      price,
      discount: Math.exp(-0.01),
    })
    // right(0.2) (to 1 ulp)
    const below = impliedVol({ kind: 'call', forward: 100, strike: 90, expiry: 1, price: 9 })
    // left({ _tag: 'PriceBelowIntrinsic', price: 9, intrinsic: 10, message: 'price 9 is below the discounted intrinsic value 10' })
    // #endregion impliedVol
    expect(E.isRight(vol) && rel(vol.right, 0.2)).toBeLessThan(2.3e-16)
    expect(below).toEqual(
      E.left({
        _tag: 'PriceBelowIntrinsic',
        price: 9,
        intrinsic: 10,
        message: 'price 9 is below the discounted intrinsic value 10',
      }),
    )
    // #region impliedVolUnsafe
    const v = impliedVolUnsafe(-1, 1.5, 100, 95, 0.25, 1) // 0.2395… (a 95 put on a 100 forward)
    const nan = impliedVolUnsafe(-1, 200, 100, 95, 0.25, 1) // NaN: above the maximum K
    // #endregion impliedVolUnsafe
    expect(rel(black76PriceUnsafe(-1, 100, 95, 0.25, v, 1), 1.5)).toBeLessThan(1e-15)
    expect(nan).toBeNaN()
    // #region impliedVolBatch
    const columns = {
      kinds: Int8Array.of(1, -1),
      prices: Float64Array.of(5.637197779701664, 1.5),
      forwards: Float64Array.of(100, 100),
      strikes: Float64Array.of(100, 95),
      expiries: Float64Array.of(0.5, 0.25),
    }
    const out = impliedVolBatch(columns, new Float64Array(2)) // [0.2…, 0.2395…], written in place
    // #endregion impliedVolBatch
    expect(rel(out[0]!, 0.2)).toBeLessThan(1e-14)
    expect(out[1]).toBe(v)
    // #region impliedVolChecked
    const checked = impliedVolChecked({ kind: 'call', forward: -1, strike: 100, expiry: 1, price: 5 })
    // left([{ _tag: 'InvalidInput', field: 'forward', value: -1, rule: 'must be a finite number in (0, ∞)', ... }])
    // #endregion impliedVolChecked
    expect(checked).toEqual(
      E.left([
        expect.objectContaining({
          _tag: 'InvalidInput',
          field: 'forward',
          rule: 'must be a finite number in (0, ∞)',
        }),
      ]),
    )
    // #region normalisedImpliedVolatility
    const s = normalisedImpliedVolatility(normalisedBlackCall(-0.5, 0.3), -0.5) // 0.3 (to 1 ulp)
    // #endregion normalisedImpliedVolatility
    expect(rel(s, 0.3)).toBeLessThan(2.3e-16)
  })
})

describe('errors', () => {
  const base = { kind: 'call' as const, forward: 100, strike: 90, expiry: 1, discount: 0.9 }
  it('PriceBelowIntrinsic below D·(F − K), with the discounted intrinsic value', () => {
    const r = impliedVol({ ...base, price: 8.99 })
    expect(r).toEqual(
      E.left(expect.objectContaining({ _tag: 'PriceBelowIntrinsic', price: 8.99, intrinsic: 9 })),
    )
  })
  it('PriceAboveMaximum at or above D·F (call) / D·K (put)', () => {
    expect(impliedVol({ ...base, price: 90 })).toEqual(
      E.left(expect.objectContaining({ _tag: 'PriceAboveMaximum', maximum: 90 })),
    )
    expect(impliedVol({ ...base, kind: 'put', price: 81 })).toEqual(
      E.left(expect.objectContaining({ _tag: 'PriceAboveMaximum', maximum: 81 })),
    )
  })
  it('TimeValueBelowResolution when the time value is below 64 ulp of the price', () => {
    const price = 0.9 * 10 * (1 + 8 * EPS)
    const r = impliedVol({ ...base, price })
    expect(E.isLeft(r) && r.left._tag).toBe('TimeValueBelowResolution')
    if (E.isLeft(r) && r.left._tag === 'TimeValueBelowResolution')
      expect(r.left.resolution).toBe(TIME_VALUE_RESOLUTION)
  })
  it('a price equal to the intrinsic value gives 0 (σ = 0 reproduces it)', () => {
    expect(impliedVol({ ...base, price: black76PriceUnsafe(1, 100, 90, 1, 0, 0.9) })).toEqual(E.right(0))
    expect(impliedVol({ ...base, strike: 110, price: 0 })).toEqual(E.right(0))
  })
  it('InvalidInput names the field and prints the bound from Bounds', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ forward: 0 }, 'forward', 'must be a finite number in (0, ∞)'],
      [{ strike: NaN }, 'strike', 'must be a finite number in (0, ∞)'],
      [{ expiry: 0 }, 'expiry', 'must be a finite number in (0, ∞)'],
      [{ price: -1 }, 'price', 'must be a finite number in [0, ∞)'],
      [{ discount: Infinity }, 'discount', 'must be a finite number in (0, ∞)'],
    ]
    for (const [patch, field, rule] of cases) {
      const r = impliedVol({ ...base, price: 12, ...patch } as never)
      expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidInput', field, rule })))
      expect(
        impliedVolUnsafe(
          1,
          (patch.price as number) ?? 12,
          (patch.forward as number) ?? 100,
          (patch.strike as number) ?? 90,
          (patch.expiry as number) ?? 1,
          (patch.discount as number) ?? 0.9,
        ),
      ).toBeNaN()
    }
  })
  it('impliedVolChecked decodes unknown input and reports every bad field', () => {
    const r = impliedVolChecked({ kind: 'straddle', forward: -1, strike: 100, expiry: 0, price: 5 })
    expect(E.isLeft(r)).toBe(true)
    if (E.isLeft(r))
      expect(r.left.map((e) => (e._tag === 'InvalidInput' ? e.field : e._tag)).sort()).toEqual([
        'expiry',
        'forward',
        'kind',
      ])
    expect(
      impliedVolChecked({ kind: 'call', forward: 100, strike: 100, expiry: 0.5, price: 5.6371977797 }),
    ).toEqual(E.right(impliedVolUnsafe(1, 5.6371977797, 100, 100, 0.5, 1)))
    expect(impliedVolChecked({ kind: 'call', forward: 100, strike: 90, expiry: 1, price: 1 })).toEqual(
      E.left([expect.objectContaining({ _tag: 'PriceBelowIntrinsic' })]),
    )
  })
})

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

/** Issue 2's domain: F log-uniform [0.01, 2e5], T from 15 min to 5 y, σ in [2%, 500%], |z| ≤ 6. */
const optionArb = fc.record({
  call: fc.boolean(),
  lf: fc.double({ min: Math.log(0.01), max: Math.log(2e5), noNaN: true }),
  lt: fc.double({ min: Math.log(15 / (365 * 24 * 60)), max: Math.log(5), noNaN: true }),
  lv: fc.double({ min: Math.log(0.02), max: Math.log(5), noNaN: true }),
  z: fc.double({ min: -6, max: 6, noNaN: true }),
  discount: fc.double({ min: 0.5, max: 1.2, noNaN: true }),
})

describe('properties (fast-check, seed 42)', () => {
  it('shrunk counterexample: deep ITM call F = 1, K = e^{-29.8}, σ = 4.97, D = 1.0975 — the Black-76 price (time value lost in rounding) is not "below intrinsic"', () => {
    const [F, T, vol, z, D] = [1, 1, Math.exp(1.603172771891467), -5.996088027954091, 1.0974903474903477]
    const K = F * Math.exp(z * vol * Math.sqrt(T))
    const price = black76PriceUnsafe(1, F, K, T, vol, D)
    const r = impliedVol({ kind: 'call', forward: F, strike: K, expiry: T, price, discount: D })
    expect(E.isRight(r) || r.left._tag === 'TimeValueBelowResolution').toBe(true)
  })
  it('round trip σ → black76 → impliedVol over the whole domain (numRuns 20000)', () => {
    fc.assert(
      fc.property(optionArb, ({ call, lf, lt, lv, z, discount }) => {
        const F = Math.exp(lf)
        const T = Math.exp(lt)
        const vol = Math.exp(lv)
        const s = vol * Math.sqrt(T)
        const K = F * Math.exp(z * s)
        const qq = call ? 1 : -1
        const price = black76PriceUnsafe(qq, F, K, T, vol, discount)
        const r = impliedVol({
          kind: call ? 'call' : 'put',
          forward: F,
          strike: K,
          expiry: T,
          price,
          discount,
        })
        // elasticity of the price in σ, from the normalised vega
        const vega = discount * Math.sqrt(F * K) * normalisedVega(Math.log(F / K), s) * s
        const elasticity = vega / price
        if (E.isLeft(r)) {
          // only prices whose time value is lost in rounding may fail
          expect(r.left._tag).toBe('TimeValueBelowResolution')
          expect(elasticity).toBeLessThan(1e-12)
          return
        }
        expect(r.right).toBeGreaterThanOrEqual(0)
        // the black76 price has its own error (≤ ~1e-14 relative); both map to σ through 1/E
        if (r.right > 0) expect(rel(r.right, vol)).toBeLessThanOrEqual(256 * EPS * (1 + 1 / elasticity))
      }),
      { seed: 42, numRuns: 20000 },
    )
  })
  it('never NaN or negative for an admissible price (intrinsic ≤ price < maximum) (numRuns 20000)', () => {
    fc.assert(
      fc.property(
        optionArb,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ({ call, lf, lt, lv, z, discount }, u) => {
          const F = Math.exp(lf)
          const K = F * Math.exp(z * Math.exp(lv) * Math.sqrt(Math.exp(lt)))
          const intrinsic = Math.max((call ? 1 : -1) * (F - K), 0)
          const maximum = call ? F : K
          const undiscounted = intrinsic + u * (maximum - intrinsic)
          if (!(undiscounted < maximum)) return
          const price = discount * undiscounted
          const r = impliedVol({
            kind: call ? 'call' : 'put',
            forward: F,
            strike: K,
            expiry: Math.exp(lt),
            price,
            discount,
          })
          if (E.isRight(r)) {
            expect(r.right).toBeGreaterThanOrEqual(0)
            expect(Number.isFinite(r.right)).toBe(true)
          } else
            expect(['TimeValueBelowResolution', 'PriceBelowIntrinsic', 'PriceAboveMaximum']).toContain(
              r.left._tag,
            )
        },
      ),
      { seed: 42, numRuns: 20000 },
    )
  })
  it("far outside issue 2's domain (K/F up to e^±400, T in [5e-5, 2e4], σ in [1e-3, 1e3]) the result is a vol ≥ 0 or a typed Left, never NaN (numRuns 20000)", () => {
    fc.assert(
      fc.property(
        fc.record({
          call: fc.boolean(),
          lf: fc.double({ min: -20, max: 20, noNaN: true }),
          lk: fc.double({ min: -400, max: 400, noNaN: true }),
          lt: fc.double({ min: -10, max: 10, noNaN: true }),
          lv: fc.double({ min: -7, max: 7, noNaN: true }),
          u: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fromVol: fc.boolean(),
          discount: fc.double({ min: 0.3, max: 1.3, noNaN: true }),
        }),
        ({ call, lf, lk, lt, lv, u, fromVol, discount }) => {
          const F = Math.exp(lf)
          const K = F * Math.exp(lk)
          const T = Math.exp(lt)
          const intrinsic = Math.max((call ? 1 : -1) * (F - K), 0)
          const maximum = call ? F : K
          const price = fromVol
            ? black76PriceUnsafe(call ? 1 : -1, F, K, T, Math.exp(lv), discount)
            : discount * (intrinsic + u * (maximum - intrinsic))
          const r = impliedVol({
            kind: call ? 'call' : 'put',
            forward: F,
            strike: K,
            expiry: T,
            price,
            discount,
          })
          if (E.isRight(r)) {
            expect(r.right).toBeGreaterThanOrEqual(0)
            expect(Number.isFinite(r.right)).toBe(true)
          } else expect(['TimeValueBelowResolution', 'PriceAboveMaximum']).toContain(r.left._tag)
        },
      ),
      { seed: 42, numRuns: 20000 },
    )
  })
  it('PriceBelowIntrinsic below intrinsic and PriceAboveMaximum at or above the maximum (numRuns 5000)', () => {
    fc.assert(
      fc.property(
        optionArb,
        fc.double({ min: 1e-12, max: 1, noNaN: true }),
        ({ call, lf, lv, lt, z, discount }, u) => {
          const F = Math.exp(lf)
          const K = F * Math.exp(z * Math.exp(lv) * Math.sqrt(Math.exp(lt)))
          const kind = call ? 'call' : 'put'
          const intrinsic = Math.max((call ? 1 : -1) * (F - K), 0)
          const maximum = call ? F : K
          const params = { kind, forward: F, strike: K, expiry: Math.exp(lt), discount } as const
          if (intrinsic > 0) {
            const below = impliedVol({ ...params, price: discount * intrinsic * (1 - u) })
            expect(E.isLeft(below) && below.left._tag).toBe('PriceBelowIntrinsic')
          }
          const above = impliedVol({ ...params, price: discount * maximum * (1 + u) })
          expect(E.isLeft(above) && above.left._tag).toBe('PriceAboveMaximum')
        },
      ),
      { seed: 42, numRuns: 5000 },
    )
  })
})
