import { readFileSync } from 'node:fs'
import { SABRInterpolation } from '@quantlib/ql'
import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { impliedVolUnsafe } from '../../lib/pricing/impliedVol.js'
import { sabrAlphaFromAtmVol, sabrVol } from '../../lib/pricing/sabr.js'
import { type SabrSliceFit, fitSabrSlice } from '../../lib/surface/sabrFit.js'

/** A SABR-generated smile on a strike grid of ±2.5 ATM standard deviations (includes K = F when `withAtm`). */
const smile = (
  p: { forward: number; expiry: number; atmVol: number; beta: number; rho: number; nu: number },
  n: number,
  withAtm: boolean,
) => {
  const alpha = sabrAlphaFromAtmVol(p)
  const sd = p.atmVol * Math.sqrt(p.expiry)
  const strikes = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const m = -2.5 + (5 * i) / (n - 1) + (withAtm ? 0 : 0.37 / (n - 1))
    strikes[i] = p.forward * Math.exp(m * Math.min(sd, 0.8))
  }
  const vols = strikes.map((strike) => sabrVol({ ...p, strike, alpha }))
  return { alpha, strikes, vols, weights: new Float64Array(n).fill(1) }
}

const params = fc.record({
  forward: fc.double({ min: 0.05, max: 1e5, noNaN: true }),
  expiry: fc.double({ min: 0.02, max: 2, noNaN: true }),
  atmVol: fc.double({ min: 0.15, max: 1.2, noNaN: true }),
  beta: fc.constantFrom(0, 0.5, 0.7, 1),
  rho: fc.double({ min: -0.8, max: 0.8, noNaN: true }),
  nu: fc.double({ min: 0.2, max: 2.5, noNaN: true }),
})

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('fitSabrSlice', () => {
  it('recovers SABR-generated smiles exactly, ATM vol given (fast-check, seed 42, 150 runs)', () => {
    fc.assert(
      fc.property(params, (p) => {
        const s = smile(p, 15, false)
        const fit = right(
          fitSabrSlice({
            forward: p.forward,
            expiry: p.expiry,
            strikes: s.strikes,
            vols: s.vols,
            weights: s.weights,
            beta: p.beta,
            atmVol: p.atmVol,
          }),
        )
        return recovered(fit, p, s)
      }),
      { seed: 42, numRuns: 150 },
    )
  })

  it('recovers SABR-generated smiles exactly with the ATM vol fitted from quotes only (fast-check, seed 42, 150 runs)', () => {
    fc.assert(
      fc.property(params, (p) => {
        const s = smile(p, 15, false) // no strike at F: the interpolated ATM vol is only a start
        const fit = right(
          fitSabrSlice({
            forward: p.forward,
            expiry: p.expiry,
            strikes: s.strikes,
            vols: s.vols,
            weights: s.weights,
            beta: p.beta,
          }),
        )
        return (
          fit.atmVolSource === 'fitted' && recovered(fit, p, s) && Math.abs(fit.atmVol / p.atmVol - 1) < 1e-11
        )
      }),
      { seed: 42, numRuns: 150 },
    )
  })

  it('documentation example: a 5-quote slice, ATM vol fitted', () => {
    // #region fitSabrSlice
    const strikes = Float64Array.of(80, 90, 100, 110, 120)
    const vols = Float64Array.of(0.62, 0.55, 0.5, 0.48, 0.49)
    const weights = Float64Array.of(1, 1, 1, 1, 1)
    const fit = fitSabrSlice({ forward: 101, expiry: 0.25, strikes, vols, weights, beta: 1 })
    // fit = right({ alpha, beta: 1, rho, nu, atmVol, atmVolSource: 'fitted', rmseVolPoints, converged: true, ... })
    // #endregion fitSabrSlice
    const f = right(fit)
    expect(f.converged).toBe(true)
    expect(f.atmVolSource).toBe('fitted')
    expect(f.rho).toBeLessThan(0) // put skew
    expect(f.rmseVolPoints).toBeLessThan(1)
  })

  it('is deterministic: the same slice gives bit-identical parameters', () => {
    const p = { forward: 95000, expiry: 0.1, atmVol: 0.55, beta: 1, rho: -0.25, nu: 1.8 }
    const s = smile(p, 21, true)
    const noisy = s.vols.map((x, i) => x + 0.004 * Math.sin(7 * i))
    const a = fitSabrSlice({
      forward: p.forward,
      expiry: p.expiry,
      strikes: s.strikes,
      vols: noisy,
      weights: s.weights,
      beta: 1,
    })
    const b = fitSabrSlice({
      forward: p.forward,
      expiry: p.expiry,
      strikes: s.strikes,
      vols: noisy,
      weights: s.weights,
      beta: 1,
    })
    expect(a).toEqual(b)
    const f = right(a)
    expect(f.converged).toBe(true)
    expect(f.rmseVolPoints).toBeGreaterThan(0)
    expect(f.rmseVolPoints).toBeLessThan(0.4) // noise amplitude 0.4 vol points
  })

  it('pins the ATM vol when asked: the fitted smile passes through it at K = F', () => {
    const p = { forward: 3000, expiry: 0.25, atmVol: 0.7, beta: 0.5, rho: 0.1, nu: 1.2 }
    const s = smile(p, 11, false)
    const noisy = s.vols.map((x, i) => x * (1 + 0.01 * Math.cos(3 * i)))
    const fit = right(
      fitSabrSlice({
        forward: p.forward,
        expiry: p.expiry,
        strikes: s.strikes,
        vols: noisy,
        weights: s.weights,
        beta: 0.5,
        atmVol: 0.69,
      }),
    )
    expect(fit.atmVolSource).toBe('given')
    expect(
      sabrVol({
        forward: p.forward,
        strike: p.forward,
        expiry: p.expiry,
        alpha: fit.alpha,
        beta: 0.5,
        rho: fit.rho,
        nu: fit.nu,
      }),
    ).toBeCloseTo(0.69, 12)
  })

  it('skips unusable points and rejects bad input with the field and the rule', () => {
    const p = { forward: 100, expiry: 0.5, atmVol: 0.4, beta: 0.5, rho: -0.3, nu: 0.8 }
    const s = smile(p, 9, true)
    const vols = Float64Array.from(s.vols)
    vols[0] = NaN
    const weights = Float64Array.from(s.weights)
    weights[8] = 0
    const fit = right(
      fitSabrSlice({ forward: 100, expiry: 0.5, strikes: s.strikes, vols, weights, beta: 0.5 }),
    )
    expect(fit.pointsUsed).toBe(7)
    expect(Math.abs(fit.rho - p.rho)).toBeLessThan(1e-7)

    const bad = (patch: object) =>
      fitSabrSlice({
        forward: 100,
        expiry: 0.5,
        strikes: s.strikes,
        vols: s.vols,
        weights: s.weights,
        beta: 0.5,
        ...patch,
      })
    const field = (r: ReturnType<typeof bad>) =>
      E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.field : undefined
    expect(field(bad({ beta: 1.2 }))).toBe('beta')
    expect(field(bad({ forward: 0 }))).toBe('forward')
    expect(field(bad({ expiry: 0 }))).toBe('expiry')
    expect(field(bad({ atmVol: -1 }))).toBe('atmVol')
    expect(field(bad({ vols: new Float64Array(3) }))).toBe('vols')
    const short = bad({ vols: new Float64Array(3) })
    expect(E.isLeft(short) && short.left.message).toMatch(
      /^field vols = 3: must have the length of strikes, as must weights \(strikes \d+, vols 3, weights \d+\)$/,
    )
    expect(
      field(bad({ strikes: Float64Array.of(100), vols: Float64Array.of(0.4), weights: Float64Array.of(1) })),
    ).toBe('vols')
  })
})

function recovered(
  fit: SabrSliceFit,
  p: { forward: number; expiry: number; atmVol: number; beta: number; rho: number; nu: number },
  s: { alpha: number; strikes: Float64Array; vols: Float64Array },
): boolean {
  // measured with seed 42: ≤ 8e-14 in ρ, ≤ 3e-13 relative in ν, ≤ 5e-14 in α, ≤ 1.2e-13 in vol
  if (!fit.converged) return false
  if (!(
    Math.abs(fit.rho - p.rho) < 1e-11 &&
    Math.abs(fit.nu / p.nu - 1) < 1e-11 &&
    Math.abs(fit.alpha / s.alpha - 1) < 1e-11
  ))
    return false
  for (let i = 0; i < s.strikes.length; i++) {
    const v = sabrVol({
      forward: p.forward,
      strike: s.strikes[i] as number,
      expiry: p.expiry,
      alpha: fit.alpha,
      beta: p.beta,
      rho: fit.rho,
      nu: fit.nu,
    })
    if (!(Math.abs(v - (s.vols[i] as number)) < 1e-12)) return false
  }
  return fit.rmseVolPoints < 1e-10
}

describe('fitSabrSlice on real Deribit chains (spec/fixtures/data/deribit-chains)', () => {
  // OTM mid implied vols per expiry: puts below the forward, calls at and above, mid of a
  // two-sided quote in coin × forward (inverse options), inverted with impliedVolUnsafe.
  const slices = (file: string) => {
    const lines = readFileSync(new URL(`../fixtures/data/deribit-chains/${file}`, import.meta.url), 'utf8')
      .trim()
      .split('\n')
    const head = (lines[0] ?? '').split(',')
    const at = (name: string): number => head.indexOf(name)
    const groups = new Map<string, { F: number; T: number; K: number[]; v: number[] }>()
    for (const line of lines.slice(1)) {
      const f = line.split(',')
      const K = Number(f[at('strike')])
      const T = Number(f[at('time_to_maturity')])
      const F = Number(f[at('futures_price')])
      const bid = Number(f[at('bid_price')])
      const ask = Number(f[at('ask_price')])
      const isCall = f[at('option_type')] === 'call'
      if (!(K > 0 && T > 0 && F > 0 && bid > 0 && ask > 0) || isCall !== K >= F) continue
      const vol = impliedVolUnsafe(isCall ? 1 : -1, 0.5 * (bid + ask) * F, F, K, T, 1)
      if (!(vol > 0)) continue
      const key = `${(f[at('instrument_name')] ?? '').split('-')[0]} ${f[at('expiry_datetime')]}`
      const g = groups.get(key) ?? { F, T, K: [], v: [] }
      g.K.push(K)
      g.v.push(vol)
      groups.set(key, g)
    }
    return [...groups.entries()].filter(([, g]) => g.K.length >= 6)
  }

  it.each([
    'deribit_options_snapshot_20251230T173115Z.csv',
    'deribit_options_snapshot_20260205T155132Z.csv',
    'deribit_options_snapshot_20260822T153351Z.csv',
  ])('%s: every slice with ≥ 6 quotes fits (beta = 1), converges, and matches QuantLib.js RMSE', (file) => {
    const all = slices(file)
    expect(all.length).toBeGreaterThan(10)
    for (const [name, g] of all) {
      const strikes = Float64Array.from(g.K)
      const vols = Float64Array.from(g.v)
      const weights = new Float64Array(strikes.length).fill(1)
      const fit = right(
        fitSabrSlice({ forward: g.F, expiry: g.T, strikes, vols, weights, beta: 1, label: name }),
      )
      expect(fit.converged, name).toBe(true)
      // reference: QuantLib.js SABRInterpolation (alpha, nu, rho free, beta fixed) on the same points
      const ql = new SABRInterpolation().sabrInit(
        g.K,
        0,
        g.K.length,
        g.v,
        0,
        g.T,
        g.F,
        0.5,
        1,
        0.5,
        0,
        false,
        true,
        false,
        false,
        false,
      )
      ql.update()
      let sse = 0
      for (let i = 0; i < strikes.length; i++) {
        const d =
          sabrVol({
            forward: g.F,
            strike: g.K[i]!,
            expiry: g.T,
            alpha: ql.alpha(),
            beta: 1,
            rho: ql.rho(),
            nu: ql.nu(),
          }) - g.v[i]!
        sse += Number.isFinite(d) ? d * d : 1
      }
      const qlRmse = 100 * Math.sqrt(sse / strikes.length)
      expect(fit.rmseVolPoints, name).toBeLessThanOrEqual(qlRmse * (1 + 1e-6) + 1e-9)
    }
  })
})
