import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import {
  black76Greeks,
  black76GreeksBatch,
  black76GreeksUnsafe,
  black76InverseGreeks,
  type Black76Greeks,
} from '../../lib/pricing/greeks.js'

// Golden data: spec/fixtures/black76/generate.py. Its Greeks are *numerical* derivatives
// (mpmath.diff at 100 digits) of the 50-digit value, independent of the analytic forms tested.
interface Table {
  readonly columns: readonly string[]
  readonly rows: readonly (readonly number[])[]
}
const golden = JSON.parse(
  readFileSync(new URL('../fixtures/black76/black76.json', import.meta.url), 'utf8'),
) as {
  readonly reference: Table
}
const col = (name: string): number => golden.reference.columns.indexOf(name)

type Key = Exclude<keyof Black76Greeks, 'price'> | 'coinDelta' | 'coinGamma' | 'coinVanna'
const greekOf = (r: readonly number[], key: Key): number => {
  const [q, F, K, T, v, D] = r as [1 | -1, number, number, number, number, number]
  if (key === 'coinDelta' || key === 'coinGamma' || key === 'coinVanna') {
    const g = black76InverseGreeks({
      kind: q === 1 ? 'call' : 'put',
      forward: F,
      strike: K,
      expiry: T,
      vol: v,
      discount: D,
    })
    return key === 'coinDelta' ? g.delta : key === 'coinGamma' ? g.gamma : g.vanna
  }
  return black76GreeksUnsafe(q, F, K, T, v, D)[key]
}

describe('black76Greeks: accuracy against mpmath numerical derivatives', () => {
  // Tolerances per Greek (relative): p99 ≤ 1e-14 for all; max ≤ 1e-13 except theta and coin
  // gamma (≤ 1e-12), which are differences of two terms with a genuine zero crossing.
  // Measured 2026-11-24 (p99 / max): delta 5.6e-15/1.1e-14, gamma 5.5e-15/9.9e-15,
  // vega 5.6e-15/1.0e-14, theta 5.9e-15/1.4e-13, rho 5.0e-15/9.0e-15, vanna 5.4e-15/9.5e-15,
  // volga 5.3e-15/1.6e-14, coin delta 6.2e-15/1.2e-14, coin gamma 5.8e-15/1.6e-13,
  // coin vanna 5.4e-15/1.6e-14.
  const maxTol: Record<Key, number> = {
    delta: 1e-13,
    gamma: 1e-13,
    vega: 1e-13,
    theta: 1e-12,
    rho: 1e-13,
    vanna: 1e-13,
    volga: 1e-13,
    coinDelta: 1e-13,
    coinGamma: 1e-12,
    coinVanna: 1e-13,
  }
  for (const key of Object.keys(maxTol) as Key[]) {
    it(`${key}: p99 ≤ 1e-14, max ≤ ${maxTol[key]} over ${golden.reference.rows.length} options`, () => {
      const e = golden.reference.rows
        .map((r) => {
          const ref = r[col(key)] as number
          return Math.abs(greekOf(r, key) - ref) / Math.abs(ref)
        })
        .sort((a, b) => a - b)
      expect(e[Math.floor(0.99 * e.length)]).toBeLessThanOrEqual(1e-14)
      expect(e[e.length - 1]).toBeLessThanOrEqual(maxTol[key])
    })
  }
})

describe('black76Greeks: domain and edges', () => {
  it('is NaN outside the domain', () => {
    const g = black76Greeks({ kind: 'call', forward: -1, strike: 100, expiry: 1, vol: 0.2 })
    for (const v of Object.values(g)) expect(v).toBeNaN()
    for (const v of Object.values(
      black76InverseGreeks({ kind: 'put', forward: 100, strike: 100, expiry: 1, vol: -0.2 }),
    ))
      expect(v).toBeNaN()
  })
  it('takes the σ√T → 0 limits away from the money', () => {
    const D = Math.exp(-0.05)
    const g = black76GreeksUnsafe(1, 110, 100, 1, 0, D)
    expect(g).toEqual({
      price: D * 10,
      delta: D,
      gamma: 0,
      vega: 0,
      theta: g.theta,
      rho: -D * 10,
      vanna: 0,
      volga: 0,
    })
    expect(g.theta).toBeCloseTo(0.05 * D * 10, 15)
    const p = black76GreeksUnsafe(-1, 110, 100, 0, 0.3, 1)
    expect(p).toEqual({ price: 0, delta: -0, gamma: 0, vega: 0, theta: 0, rho: -0, vanna: 0, volga: 0 })
    // the limits agree with the analytic Greeks at a tiny σ
    const tiny = black76GreeksUnsafe(1, 110, 100, 1, 1e-6, D)
    expect(tiny.delta).toBe(D)
    expect(tiny.gamma).toBe(0)
  })
  it('takes the σ√T → 0 limits at the money (gamma +∞, vega D·F·√T/√(2π))', () => {
    const g = black76GreeksUnsafe(1, 100, 100, 0.25, 0, 1)
    expect(g.delta).toBe(0.5)
    expect(g.gamma).toBe(Infinity)
    expect(g.vega).toBeCloseTo((100 * 0.5) / Math.sqrt(2 * Math.PI), 14)
    expect(g.vanna).toBeCloseTo(black76GreeksUnsafe(1, 100, 100, 0.25, 1e-9, 1).vanna, 9)
    expect(black76GreeksUnsafe(1, 100, 100, 0, 0.5, 1).theta).toBe(-Infinity)
  })
})

describe('black76GreeksBatch', () => {
  const cols = {
    q: Int8Array.of(1, -1, 1, 2),
    forward: Float64Array.of(100, 60000, 100, 100),
    strike: Float64Array.of(90, 70000, 100, 100),
    expiry: Float64Array.of(0.5, 0.1, 0, 1),
    vol: Float64Array.of(0.3, 0.8, 0.2, 0.2),
    discount: Float64Array.of(0.99, 1, 1, 1),
  }
  it('writes exactly the numbers of the scalar kernel into the columns present; NaN for q ∉ {±1}', () => {
    const delta = new Float64Array(4)
    const volga = new Float64Array(4)
    const price = new Float64Array(4)
    black76GreeksBatch(cols, { delta, volga, price })
    for (let i = 0; i < 3; i++) {
      const g = black76GreeksUnsafe(
        cols.q[i] as 1 | -1,
        cols.forward[i]!,
        cols.strike[i]!,
        cols.expiry[i]!,
        cols.vol[i]!,
        cols.discount[i]!,
      )
      expect([price[i], delta[i], volga[i]]).toEqual([g.price, g.delta, g.volga])
    }
    expect([price[3], delta[3], volga[3]]).toEqual([NaN, NaN, NaN])
  })
  it('throws a RangeError when a column is shorter than the output', () => {
    expect(() => black76GreeksBatch(cols, { delta: new Float64Array(5) })).toThrow(RangeError)
    expect(() =>
      black76GreeksBatch(cols, { delta: new Float64Array(2), gamma: new Float64Array(1) }),
    ).toThrow(RangeError)
  })
})

describe('black76InverseGreeks', () => {
  it('premiumAdjustedDelta = linear delta − coin premium; vega, theta, rho, volga are linear / F', () => {
    const p = { kind: 'call', forward: 60000, strike: 70000, expiry: 0.25, vol: 0.6, discount: 0.99 } as const
    const lin = black76Greeks(p)
    const inv = black76InverseGreeks(p)
    expect(inv.price).toBe(lin.price / 60000)
    expect(inv.premiumAdjustedDelta).toBeCloseTo(lin.delta - inv.price, 14)
    expect(inv.vega).toBe(lin.vega / 60000)
    expect(inv.theta).toBe(lin.theta / 60000)
    expect(inv.rho).toBe(lin.rho / 60000)
    expect(inv.volga).toBe(lin.volga / 60000)
  })
  it('takes the σ√T → 0 limits of P = D·max(q(1 − K/F), 0)', () => {
    const g = black76InverseGreeks({ kind: 'call', forward: 110, strike: 100, expiry: 1, vol: 0 })
    expect(g.delta).toBe(100 / (110 * 110))
    expect(g.gamma).toBe(-200 / (110 * 110 * 110))
    expect(black76InverseGreeks({ kind: 'put', forward: 110, strike: 100, expiry: 1, vol: 0 }).delta).toBe(0)
  })
})

// ---------------------------------------------------------------------------------------
// Greeks = finite differences of the value (fast-check, seed 42, 500 runs per property).
// Central differences with Richardson extrapolation, steps 1e-3 of the natural scale
// (F·s for F, σ, T, 1e-3 for r); second derivatives as differences of first derivatives; tolerance |analytic − FD| ≤ 1e-6·|analytic| + 1e-8·scale,
// where scale is the Greek's at-the-money magnitude (covers the zero crossings of vanna,
// volga, theta and coin gamma).
// ---------------------------------------------------------------------------------------
const logUniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map(Math.exp)
const MINUTE = 1 / (365 * 24 * 60)
const option = fc
  .record({
    q: fc.constantFrom(1 as const, -1 as const),
    F: logUniform(0.01, 2e5),
    T: logUniform(15 * MINUTE, 5),
    v: logUniform(0.02, 5),
    z: fc.double({ min: -4, max: 4, noNaN: true }),
    D: fc.double({ min: 0.7, max: 1.1, noNaN: true }),
  })
  .map(({ q, F, T, v, z, D }) => ({ q, F, K: F * Math.exp(z * v * Math.sqrt(T)), T, v, D }))

const d1 = (f: (u: number) => number, x: number, h: number): number => {
  const c = (k: number): number => (f(x + k) - f(x - k)) / (2 * k)
  return (4 * c(h / 2) - c(h)) / 3
}
const close = (analytic: number, fd: number, scale: number): boolean =>
  Math.abs(analytic - fd) <= 1e-6 * Math.abs(analytic) + 1e-8 * Math.abs(scale)
const RUNS = { seed: 42, numRuns: 500 }
const PHI0 = 1 / Math.sqrt(2 * Math.PI)

// Second derivatives are checked as differences of the (separately checked) first derivatives:
// a second difference of V has rounding ε·V/h², which swamps gamma deep in the money.
const checkFirstAndSecond = (q: 1 | -1, F: number, K: number, T: number, v: number, D: number): boolean => {
  const g = black76GreeksUnsafe(q, F, K, T, v, D)
  const s = v * Math.sqrt(T)
  const hF = 1e-3 * F * s
  const hv = 1e-3 * v
  const V = (f: number, vol: number): number => black76PriceUnsafe(q, f, K, T, vol, D)
  const G = (f: number, vol: number): Black76Greeks => black76GreeksUnsafe(q, f, K, T, vol, D)
  const vegaScale = D * F * Math.sqrt(T) * PHI0
  return (
    close(
      g.delta,
      d1((f) => V(f, v), F, hF),
      D,
    ) &&
    close(
      g.gamma,
      d1((f) => G(f, v).delta, F, hF),
      (D * PHI0) / (F * s),
    ) &&
    close(
      g.vega,
      d1((w) => V(F, w), v, hv),
      vegaScale,
    ) &&
    close(
      g.vanna,
      d1((w) => G(F, w).delta, v, hv),
      vegaScale / (F * s),
    ) &&
    close(
      g.volga,
      d1((w) => G(F, w).vega, v, hv),
      vegaScale / v,
    )
  )
}

describe('black76Greeks: signs (properties, seed 42, 2000 runs)', () => {
  it('gamma ≥ 0 and vega ≥ 0; call delta in [0, D], put delta in [−D, 0]', () => {
    fc.assert(
      fc.property(option, ({ q, F, K, T, v, D }) => {
        const g = black76GreeksUnsafe(q, F, K, T, v, D)
        const deltaOk = q === 1 ? g.delta >= 0 && g.delta <= D : g.delta <= 0 && g.delta >= -D
        return g.gamma >= 0 && g.vega >= 0 && deltaOk
      }),
      { seed: 42, numRuns: 2000 },
    )
  })
})

describe('black76Greeks: equal finite differences of black76PriceUnsafe (properties)', () => {
  it('delta, vega = ∂V; gamma, vanna = ∂delta; volga = ∂vega', () => {
    fc.assert(
      fc.property(option, ({ q, F, K, T, v, D }) => checkFirstAndSecond(q, F, K, T, v, D)),
      RUNS,
    )
  })
  it('shrunk counterexample (a second difference of V for gamma was rounding-limited): deep ITM put', () => {
    expect(checkFirstAndSecond(-1, 1, 19.600503641006828, 1, 1, 0.7)).toBe(true)
  })
  it('theta = −∂V/∂T at fixed F, σ and r = −ln(D)/T; rho = ∂V/∂r at fixed F', () => {
    fc.assert(
      fc.property(option, ({ q, F, K, T, v, D }) => {
        const g = black76GreeksUnsafe(q, F, K, T, v, D)
        const r = -Math.log(D) / T
        const byT = (t: number): number => black76PriceUnsafe(q, F, K, t, v, Math.exp(-r * t))
        const byR = (rr: number): number => black76PriceUnsafe(q, F, K, T, v, Math.exp(-rr * T))
        const thetaScale = (D * F * PHI0 * v) / Math.sqrt(T) + Math.abs(r) * g.price
        return (
          close(g.theta, -d1(byT, T, 1e-3 * T), thetaScale) &&
          close(g.rho, d1(byR, r, 1e-3), T * g.price + 1e-300)
        )
      }),
      RUNS,
    )
  })
  it('inverse: delta, gamma, vanna of P = V/F', () => {
    fc.assert(
      fc.property(option, ({ q, F, K, T, v, D }) => {
        const kind = q === 1 ? 'call' : 'put'
        const g = black76InverseGreeks({ kind, forward: F, strike: K, expiry: T, vol: v, discount: D })
        const s = v * Math.sqrt(T)
        const P = (f: number, vol: number): number => black76PriceUnsafe(q, f, K, T, vol, D) / f
        const hF = 1e-3 * F * s
        const vegaScale = D * Math.sqrt(T) * PHI0
        return (
          close(
            g.delta,
            d1((f) => P(f, v), F, hF),
            D / F,
          ) &&
          close(
            g.gamma,
            d1(
              (f) =>
                black76InverseGreeks({ kind, forward: f, strike: K, expiry: T, vol: v, discount: D }).delta,
              F,
              hF,
            ),
            (D * PHI0) / (F * F * s),
          ) &&
          close(
            g.vanna,
            d1(
              (w) =>
                black76InverseGreeks({ kind, forward: F, strike: K, expiry: T, vol: w, discount: D }).delta,
              v,
              1e-3 * v,
            ),
            vegaScale / (F * s),
          )
        )
      }),
      RUNS,
    )
  })
})

describe('extreme scales', () => {
  it('keeps Greeks finite and scale-consistent for F = K = 1e±200 (gamma·F, coin delta·F scale-free)', () => {
    const at = (F: number): readonly number[] => {
      const g = black76GreeksUnsafe(1, F, F, 1, 0.2, 1)
      const c = black76InverseGreeks({ kind: 'call', forward: F, strike: F, expiry: 1, vol: 0.2 })
      return [g.price / F, g.delta, g.gamma * F, g.vega / F, g.vanna, c.delta * F]
    }
    const ref = at(1)
    for (const F of [1e-200, 1e200]) {
      at(F).forEach((x, i) => expect(Math.abs(x - ref[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(ref[i]!)))
    }
  })
  it('coin gamma ∝ 1/F² stays finite while 1/F² is a double (F = 1e±150)', () => {
    const cg = (F: number): number =>
      black76InverseGreeks({ kind: 'put', forward: F, strike: F, expiry: 1, vol: 0.2 }).gamma
    const ref = cg(1)
    for (const F of [1e-150, 1e150]) expect(Math.abs(cg(F) * F * F - ref)).toBeLessThanOrEqual(1e-15 * ref)
  })
})
