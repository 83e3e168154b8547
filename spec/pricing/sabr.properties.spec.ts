// fast-check properties of the SABR formulas. Seed 42 throughout; budget per property stated
// in its title (numRuns). Each property says why it must hold.
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type SabrFormula, sabrVol } from '../../lib/pricing/sabr.js'

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b)
const formulas: readonly SabrFormula[] = ['hagan2002', 'obloj2008', 'normal']

/** A realistic parameter set: alpha set from an ATM-level vol so F^(1−β) scaling is sane. */
const params = fc
  .record({
    forward: fc.double({ min: 0.01, max: 2e5, noNaN: true }),
    expiry: fc.double({ min: 1 / 365, max: 5, noNaN: true }),
    sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
    beta: fc.double({ min: 0, max: 1, noNaN: true }),
    rho: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
    nu: fc.double({ min: 0, max: 3, noNaN: true }),
    m: fc.double({ min: -3, max: 3, noNaN: true }),
  })
  .map(({ forward, expiry, sigma, beta, rho, nu, m }) => ({
    forward,
    expiry,
    beta,
    rho,
    nu,
    alpha: sigma * Math.pow(forward, 1 - beta),
    // strike within ±3 ATM standard deviations (capped so the wings stay where the expansion lives)
    strike: forward * Math.exp(m * Math.min(sigma * Math.sqrt(expiry), 1)),
  }))

describe('SABR limits', () => {
  it('beta = 1, nu → 0 gives a flat smile equal to alpha (numRuns 1000)', () => {
    // β = 1, ν = 0: z = 0, the bracket is 1 and I₁ = 0, so σ_B = α exactly; for small ν the
    // deviation is O(ν): z = νℓ/α and I₁ = ρνα/4 + (2 − 3ρ²)ν²/24.
    fc.assert(
      fc.property(params, (p) => {
        const flat = { ...p, beta: 1, alpha: p.alpha / Math.pow(p.forward, 1 - p.beta) }
        for (const formula of ['hagan2002', 'obloj2008'] as const) {
          if (sabrVol({ ...flat, nu: 0 }, formula) !== flat.alpha) return false
          const dev = rel(sabrVol({ ...flat, nu: 1e-9 }, formula), flat.alpha)
          const ell = Math.abs(Math.log(p.forward / p.strike))
          if (!(dev <= 1e-9 * (ell / flat.alpha + flat.alpha * p.expiry + 1))) return false
        }
        return true
      }),
      { seed: 42, numRuns: 1000 },
    )
  })

  it('is continuous through K = F: vol at F(1 ± ε) → ATM value, linearly in ε (numRuns 1000)', () => {
    // dσ/dK is finite at K = F, so |σ(F(1+ε)) − σ(F)| = O(ε); a 0/0 or a wrong branch near the
    // money would show as a jump that does not shrink with ε.
    fc.assert(
      fc.property(params, fc.constantFrom(...formulas), (p, formula) => {
        const atm = sabrVol({ ...p, strike: p.forward }, formula)
        if (!(atm > 0)) return true // expansion broke down for these parameters (NaN, documented)
        const gap = (eps: number): number =>
          Math.max(
            rel(sabrVol({ ...p, strike: p.forward * (1 + eps) }, formula), atm),
            rel(sabrVol({ ...p, strike: p.forward * (1 - eps) }, formula), atm),
          )
        const g6 = gap(1e-6)
        const g10 = gap(1e-10)
        return gap(2 ** -52) <= 1e-12 && g10 <= g6 * 1e-3 + 1e-13
      }),
      { seed: 42, numRuns: 1000 },
    )
  })
})

describe('Obłój 2008 vs Hagan 2002', () => {
  it('coincide exactly for beta = 1 (numRuns 500)', () => {
    // Obłój's correction replaces 1 + u²/24 + u⁴/1920 by sinh(u/2)/(u/2) with u = (1 − β)ℓ: u = 0 for β = 1.
    fc.assert(
      fc.property(
        params,
        (p) =>
          sabrVol({ ...p, beta: 1 }, 'obloj2008') === sabrVol({ ...p, beta: 1 }, 'hagan2002') ||
          Number.isNaN(sabrVol({ ...p, beta: 1 })),
      ),
      { seed: 42, numRuns: 500 },
    )
  })

  it('agree near the money at short expiry to O(|z|·u²) (numRuns 1000)', () => {
    // Same first-order term; the leading terms differ through z·(sinh(u/2)/(u/2) − 1) ≈ z u²/24
    // (|d ln(z/x)/dz| ≤ 1) and by (u/2)⁶/5040 + O(u⁸) = u⁶/322560 in the bracket. Tested for |ln(K/F)| ≤ 0.05, T ≤ 0.1.
    fc.assert(
      fc.property(
        params,
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: 1 / 365 / 24, max: 0.1, noNaN: true }),
        (p, k, expiry) => {
          const q = { ...p, expiry, strike: p.forward * Math.exp(k) }
          const h = sabrVol(q, 'hagan2002')
          const o = sabrVol(q, 'obloj2008')
          const u = (1 - q.beta) * k
          const z = (q.nu / q.alpha) * Math.pow(q.forward * q.strike, (1 - q.beta) / 2) * Math.abs(k)
          return rel(o, h) <= (z * u * u) / 24 + u ** 6 / 3e5 + 1e-14
        },
      ),
      { seed: 42, numRuns: 1000 },
    )
  })
})

describe('SABR symmetries', () => {
  it('swapping F and K with rho → −rho leaves the vol unchanged when beta·T = 0 (numRuns 1000)', () => {
    // ℓ → −ℓ, z → −z, and x(−z; −ρ) = −x(z; ρ), so z/x(z) is invariant; the brackets are even in ℓ
    // and symmetric in fK. Only the first-order term ρβνα/(4(fK)^((1−β)/2)) is odd in ρ, so the
    // identity holds for β = 0 at any T and for any β at T = 0.
    fc.assert(
      fc.property(params, fc.boolean(), fc.constantFrom(...formulas), (p, zeroBeta, formula) => {
        const q = zeroBeta
          ? { ...p, beta: 0, alpha: p.alpha * Math.pow(p.forward, p.beta) }
          : { ...p, expiry: 0 }
        const a = sabrVol(q, formula)
        const b = sabrVol({ ...q, forward: q.strike, strike: q.forward, rho: -q.rho }, formula)
        return (Number.isNaN(a) && Number.isNaN(b)) || rel(a, b) <= 1e-13
      }),
      { seed: 42, numRuns: 1000 },
    )
  })

  it('is invariant to the price unit: σ_B(λF, λK; αλ^(1−β)) = σ_B(F, K; α), σ_N scales by λ (numRuns 1000)', () => {
    // Re-denominating prices (USD → cents) scales F^β dW by λ^β, i.e. α by λ^(1−β); a Black vol is
    // dimensionless and must not change, a normal vol is in price units and scales by λ.
    fc.assert(
      fc.property(
        params,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.constantFrom(...formulas),
        (p, lambda, formula) => {
          const a = sabrVol(p, formula)
          const scaled = {
            ...p,
            forward: p.forward * lambda,
            strike: p.strike * lambda,
            alpha: p.alpha * Math.pow(lambda, 1 - p.beta),
          }
          const b = sabrVol(scaled, formula)
          const expected = formula === 'normal' ? a * lambda : a
          return (Number.isNaN(a) && Number.isNaN(b)) || rel(b, expected) <= 1e-12
        },
      ),
      { seed: 42, numRuns: 1000 },
    )
  })
})

describe('example from the property budget', () => {
  it('Hagan and Obłój near the money (documented example)', () => {
    const p = {
      forward: 100,
      strike: 101,
      expiry: 0.05,
      alpha: 0.5 * 100 ** 0.5,
      beta: 0.5,
      rho: -0.3,
      nu: 1,
    }
    expect(rel(sabrVol(p, 'obloj2008'), sabrVol(p))).toBeLessThan(1e-6)
  })
  it('nu = 0 differs only through the bracket, by O(u⁶) (shrunk counterexample of a bound without it)', () => {
    const p = {
      forward: 0.01,
      strike: 0.01 * Math.exp(-0.03851821488670829),
      expiry: 0.000114,
      alpha: 0.0005,
      beta: 0,
      rho: 0,
      nu: 0,
    }
    const u = Math.log(p.forward / p.strike)
    expect(rel(sabrVol(p, 'obloj2008'), sabrVol(p))).toBeLessThanOrEqual(u ** 6 / 3e5 + 1e-14)
    expect(rel(sabrVol(p, 'obloj2008'), sabrVol(p))).toBeGreaterThan(0)
  })
})
