/**
 * SABR implied volatility: the Hagan et al. (2002) lognormal expansion, Obłój's (2008) corrected
 * leading term, Hagan's normal-volatility expansion, and West's (2005) cubic for alpha from an
 * at-the-money vol.
 *
 * Symbols (the papers'): `f` forward, `K` strike, `T` expiry in years, `α` (alpha) initial vol of
 * the forward's CEV diffusion `dF = α̂ F^β dW₁`, `β` (beta) CEV exponent, `ρ` (rho) correlation of
 * `dW₁` and `dW₂`, `ν` (nu) vol of vol in `dα̂ = ν α̂ dW₂`; `ℓ = ln(f/K)`, `u = (1 − β) ℓ`.
 *
 * Every formula is continuous through `K = f`: `ℓ = ln(f/K)` is accurate to ~1 ulp of 1 in absolute
 * terms (all a vol that is smooth in ℓ needs), and `z/x(z)` comes from a form of `x(z)` whose sums
 * all have terms of one sign, with the limit 1 at `z = 0`. Methodology and references:
 * `docs/methodology/sabr.md`.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { log1pFast, powFast } from '../core/fastMath.js'
import { type InvalidInput, invalidInput } from '../domain/errors.js'
import { decodeSabrVolInput } from '../domain/pricingInputs.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Which SABR expansion to evaluate:
 * - `'hagan2002'`: Hagan, Kumar, Lesniewski, Woodward (2002) eq. (2.17a), lognormal (Black) vol;
 * - `'obloj2008'`: Obłój (2008) corrected zero-order term (arXiv:0708.0998v3, eq. 3) with Hagan's
 *   first-order term, lognormal vol;
 * - `'normal'`: Hagan et al. (2002) Appendix B normal-vol expansion; returns the **normal
 *   (Bachelier) vol** in price units per √year, not a Black vol.
 *
 * @category model
 * @since 0.1.0
 */
export type SabrFormula = 'hagan2002' | 'obloj2008' | 'normal'

/**
 * Positional code of a {@link SabrFormula} for {@link sabrVolUnsafe}: 0 = `'hagan2002'`,
 * 1 = `'obloj2008'`, 2 = `'normal'`.
 *
 * @category model
 * @since 0.1.0
 */
export type SabrFormulaCode = 0 | 1 | 2

/**
 * The codes of {@link SabrFormula} used by {@link sabrVolUnsafe}.
 *
 * @category model
 * @since 0.1.0
 */
export const SabrFormulaCodes: { readonly [F in SabrFormula]: SabrFormulaCode } = {
  hagan2002: 0,
  obloj2008: 1,
  normal: 2,
}

/**
 * SABR parameters and the option they are evaluated for.
 *
 * @category model
 * @since 0.1.0
 */
export interface SabrVolParams {
  /** Forward f > 0 (quote currency). */
  readonly forward: number
  /** Strike K > 0 (quote currency). */
  readonly strike: number
  /** Time to expiry T ≥ 0 in years (ACT/365). */
  readonly expiry: number
  /** α > 0: initial vol of F^β (units price^(1−β) per √year). */
  readonly alpha: number
  /** β ∈ [0, 1]: CEV exponent. */
  readonly beta: number
  /** ρ ∈ (−1, 1): correlation between forward and vol. */
  readonly rho: number
  /** ν ≥ 0: vol of vol, per √year. */
  readonly nu: number
}

/**
 * Inputs of West's ATM cubic {@link sabrAlphaFromAtmVol}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SabrAtmParams {
  /** Forward f > 0. */
  readonly forward: number
  /** Time to expiry T ≥ 0 in years. */
  readonly expiry: number
  /** At-the-money (K = f) Black vol, > 0, annualised decimal. */
  readonly atmVol: number
  /** β ∈ [0, 1]. */
  readonly beta: number
  /** ρ ∈ (−1, 1). */
  readonly rho: number
  /** ν ≥ 0. */
  readonly nu: number
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/** Below this |h| the series of sinh(h)/h is used (truncation O(h⁶)/5040 < 1e-22). */
const H_SERIES = 1e-3

/**
 * z / x(z) with x(z) = ln((√(1 − 2ρz + z²) + z − ρ)/(1 − ρ)) (Hagan 2002 eq. 2.17c), without
 * cancellation for any z and ρ ∈ (−1, 1). By x(z; ρ) = −x(−z; −ρ), z/x(z) = a/x(a; q) with
 * a = |z|, q = ρ·sign(z). With d = a − 1 and s = √(1 − 2qa + a²) = √(d² + 2a(1 − q)) (a sum of
 * non-negative terms), x = log1p(y) where y = (s + d)/(1 − q) for a > 1, and for a ≤ 1 the same
 * y = 2a/(s − d) (multiply through by s − d: (s + d)(s − d) = 2a(1 − q)); every sum has terms of
 * one sign. At z = 0 the limit is 1; for subnormal a, y = a and log1p(a) = a exactly.
 */
const zOverX = (z: number, rho: number): number => {
  const a = Math.abs(z)
  const w = 1 - (z > 0 ? rho : -rho) // 1 − q
  const d = a - 1
  const s = Math.sqrt(d * d + a * 2 * w)
  return a > 0 ? a / Math.log1p(d > 0 ? (s + d) / w : (a * 2) / (s - d)) : 1
}

/** (fK)^((1−β)/2) by Math.pow of each factor, for the rare fK that over- or underflows. */
const backbonePow = (forward: number, strike: number, omb: number): number =>
  Math.pow(forward, 0.5 * omb) * Math.pow(strike, 0.5 * omb)

/**
 * (fK)^((1−β)/2) for `omb` = 1 − β ∈ {0.5, 1} (β = 0.5 and β = 0, the usual fixed choices): square
 * roots, correctly rounded; pow of each factor where fK is not a normal double (a subnormal fK has
 * lost significant bits, up to 1e-4 relative at fK ≈ 1e-320).
 */
const backboneSqrt = (forward: number, strike: number, omb: number): number => {
  const fk = forward * strike
  if (!(fk >= 2.2250738585072014e-308 && fk < Infinity)) return backbonePow(forward, strike, omb)
  return omb === 0.5 ? Math.sqrt(Math.sqrt(fk)) : Math.sqrt(fk)
}

/**
 * (fK)^((1−β)/2) for a general β < 1 (`omb` = 1 − β): {@link powFast} (within 2 ulp of Math.pow,
 * and inlined by V8), or pow where fK is not a normal double.
 */
const backboneGeneral = (forward: number, strike: number, omb: number): number => {
  const fk = forward * strike
  return fk >= 2.2250738585072014e-308 && fk < Infinity
    ? powFast(fk, 0.5 * omb)
    : backbonePow(forward, strike, omb)
}

/** (fK)^((1−β)/2) for any β < 1: {@link backboneSqrt} for β ∈ {0, 0.5}, else {@link backboneGeneral}. */
const backboneFactor = (forward: number, strike: number, omb: number): number =>
  omb === 0.5 || omb === 1 ? backboneSqrt(forward, strike, omb) : backboneGeneral(forward, strike, omb)

/**
 * Columns of a batch SABR evaluation ({@link sabrVolBatch}); each of length ≥ `out.length`. Row i
 * is one option with its own parameters (a book across expiries and underlyings).
 *
 * @category model
 * @since 0.1.0
 */
export interface SabrColumns {
  /** Forwards f > 0 (quote currency). */
  readonly forward: Float64Array
  /** Strikes K > 0 (quote currency). */
  readonly strike: Float64Array
  /** Expiries T ≥ 0 in years (ACT/365). */
  readonly expiry: Float64Array
  /** α > 0. */
  readonly alpha: Float64Array
  /** β ∈ [0, 1]. */
  readonly beta: Float64Array
  /** ρ ∈ (−1, 1). */
  readonly rho: Float64Array
  /** ν ≥ 0. */
  readonly nu: Float64Array
}

/**
 * Inputs and result of {@link generalVol}: f, K, T, α, β, ρ, ν in slots 0–6, the vol out in slot
 * 0. A typed array instead of arguments because generalVol is a call V8 never inlines, and such a
 * call boxes every double argument (a heap allocation each).
 */
const GENERAL = new Float64Array(7)

/**
 * Eq. (2.17a) at a general β (not 0, 0.5 or 1) through {@link GENERAL}, validation included (NaN
 * outside the domain of sabrVolAt, β included): the general-β path of {@link sabrVolAt}. The
 * arithmetic of sabrVolAt, except that (fK)^((1−β)/2) is {@link powFast} instead of
 * exp(½(1−β)·Math.log(fK)), ℓ = ln(f/K) is ±log1pFast(|f − K|/min(f, K)) instead of
 * Math.log(f/K), and z/x(z) takes {@link log1pFast} instead of Math.log1p, with the leading
 * term's and z/x(z)'s quotients taken as one division. In V8, Math.log, Math.exp and Math.log1p
 * are calls into C, here a chain of dependent ones; the inlined arithmetic overlaps with the rest
 * of the kernel (bench/sabr.bench.ts: a general-β vol in about 80% of the time with powFast and
 * log1pFast for z/x(z); ℓ through log1pFast as well since 2026-12-04: `npx tsx bench/ab.ts <checkout
 * of 51ffb0d> sabr` 0.95–0.96 of the time at β = 0.7). Both logarithms go through one call site of
 * log1pFast, in a two-pass loop, because the inlining budget below holds only one.
 *
 * Out of line on purpose and never inlined: its bytecode (653 bytes, V8 11.3) is over V8's
 * 460-byte limit for an inlined function, with the validation written out here for both reasons
 * (each path validates once). Its callees take 822 bytes of bytecode (backboneGeneral 63, powFast
 * 367, binomialSeries 126, log1pFast 266; --trace-turbo-inlining), more than a caller's loop can
 * inline besides sabrVolAt (TurboFan's cumulative budget is 920); and V8's
 * feedback for this function comes from general-β calls only, so when it is optimised its callees
 * are always hot enough to be inlined into it. (Inside sabrVolAt they were left as calls, boxing
 * every argument, when the caller's loop was re-optimised just after a switch from β = 1 or 0.5.)
 */
const generalVol = (): void => {
  const io = GENERAL
  const forward = io[0] as number
  const strike = io[1] as number
  const expiry = io[2] as number
  const alpha = io[3] as number
  const beta = io[4] as number
  const rho = io[5] as number
  const nu = io[6] as number
  // sabrVolAt's test, written out again (see above)
  if (!(
    forward > 0 &&
    strike > 0 &&
    expiry >= 0 &&
    alpha > 0 &&
    nu >= 0 &&
    beta >= 0 &&
    beta <= 1 &&
    rho * rho < 1 &&
    forward + strike + expiry + alpha + nu < Infinity
  )) {
    io[0] = NaN
    return
  }
  const omb = 1 - beta
  const sqrtA = backboneGeneral(forward, strike, omb)
  const aA = alpha / sqrtA
  const oa = omb * aA
  // The kernel's two logarithms, ℓ = ln(f/K) = ±log1p(|f − K|/min(f, K)) (to ~1 ulp of 1 absolute,
  // as in sabrVolAt) and x(z) = log1p(y) (z/x(z) = a/x as in zOverX; x = 1 stands for the limit at
  // z = 0), through one call site of log1pFast in a two-pass loop: TurboFan inlines up to 920 bytes
  // of bytecode into this function, which holds powFast and one log1pFast but not a second, and
  // Math.log would be a call into C on the dependency chain.
  const up = forward >= strike
  let arg = up ? (forward - strike) / strike : (strike - forward) / forward
  let logM = 0
  let a = 0
  let x = 1
  for (let pass = 0; ; pass++) {
    const l = log1pFast(arg)
    if (pass > 0) {
      x = l
      break
    }
    // K/f beyond the double range (above 1.8e308) overflows the quotient: ℓ from Math.log(f/K) there,
    // whose subnormal f/K still carries it, as in sabrVolAt
    logM = arg < Infinity ? (up ? l : -l) : Math.log(forward / strike)
    const z = (nu / alpha) * sqrtA * logM
    a = Math.abs(z)
    if (!(a > 0)) break
    const w = 1 - (z > 0 ? rho : -rho)
    const d = a - 1
    const s = Math.sqrt(d * d + a * 2 * w)
    arg = d > 0 ? (s + d) / w : (a * 2) / (s - d)
  }
  const u2 = omb * logM * (omb * logM)
  // aA/(1 + u²/24 + u⁴/1920) · (a/x) · (1 + I₁T) with a single division
  const vol =
    (aA *
      (a > 0 ? a : 1) *
      ((oa * oa + (rho * beta * aA * 6 + (2 - rho * rho * 3) * nu) * nu) * (expiry / 24) + 1)) /
    ((u2 * (u2 * (1 / 1920) + 1 / 24) + 1) * x)
  io[0] = vol > 0 && vol < Infinity ? vol : NaN
}

/**
 * {@link generalVol} for rows start … end − 1 of `c` (each of general β: the caller splits the
 * rows into runs) into `out`: the general-β kernel of {@link sabrVolBatch}, with the same
 * arithmetic, operation for operation, as generalVol, so that the batch and sabrVolUnsafe give
 * the same bits (spec/pricing/sabr.spec.ts checks it on seeded random books of mixed β). A
 * second copy of generalVol's arithmetic rather than a shared function, on purpose: the kernel is
 * fast only as the text of the function that runs the loop, with powFast and log1pFast inlined
 * into it, and V8 inlines neither a function of its size (over the 460-byte limit) nor, into a
 * caller, its callees as well (TurboFan's cumulative budget of 920 bytes). The two other ways
 * to have one copy were measured slower per call (`npx tsx bench/ab.ts <checkout> sabr`, 2026-12-04):
 * the scalar path through this loop as one-row columns took 1.06–1.15× the time of generalVol;
 * with each input chosen per row between the columns and {@link GENERAL}, 1.04–1.12×, and one
 * such variant ran 9× slower in one of its processes. Against one generalVol call per row, one
 * call per run saves the call and the typed-array round trip: at β = 0.7 about 1.5× the floor
 * instead of 1.95× in the same runs (bench/sabr.bench.ts, plain loops). powFast is called here directly (backboneGeneral's
 * test written out): through backboneGeneral, the optimised code of this loop was left without
 * powFast inlined (V8 had no feedback vector for backboneGeneral by then) and ran ≈ 1.4× slower.
 */
const generalRun = (c: SabrColumns, out: Float64Array, start: number, end: number): void => {
  const { forward: fs, strike: ks, expiry: ts, alpha: as, beta: bs, rho: rs, nu: ns } = c
  for (let i = start; i < end; i++) {
    const beta = bs[i] as number
    const omb = 1 - beta
    const forward = fs[i] as number
    const strike = ks[i] as number
    const expiry = ts[i] as number
    const alpha = as[i] as number
    const rho = rs[i] as number
    const nu = ns[i] as number
    // sabrVolAt's test, written out again (see above)
    if (!(
      forward > 0 &&
      strike > 0 &&
      expiry >= 0 &&
      alpha > 0 &&
      nu >= 0 &&
      beta >= 0 &&
      beta <= 1 &&
      rho * rho < 1 &&
      forward + strike + expiry + alpha + nu < Infinity
    )) {
      out[i] = NaN
      continue
    }
    const fk = forward * strike
    const sqrtA =
      fk >= 2.2250738585072014e-308 && fk < Infinity
        ? powFast(fk, 0.5 * omb)
        : backbonePow(forward, strike, omb)
    const aA = alpha / sqrtA
    const oa = omb * aA
    // The kernel's two logarithms, ℓ = ln(f/K) = ±log1p(|f − K|/min(f, K)) (to ~1 ulp of 1 absolute,
    // as in sabrVolAt) and x(z) = log1p(y) (z/x(z) = a/x as in zOverX; x = 1 stands for the limit at
    // z = 0), through one call site of log1pFast in a two-pass loop: TurboFan inlines up to 920 bytes
    // of bytecode into this function, which holds powFast and one log1pFast but not a second, and
    // Math.log would be a call into C on the dependency chain.
    const up = forward >= strike
    let arg = up ? (forward - strike) / strike : (strike - forward) / forward
    let logM = 0
    let a = 0
    let x = 1
    for (let pass = 0; ; pass++) {
      const l = log1pFast(arg)
      if (pass > 0) {
        x = l
        break
      }
      // K/f beyond the double range (above 1.8e308) overflows the quotient: ℓ from Math.log(f/K) there,
      // whose subnormal f/K still carries it, as in sabrVolAt
      logM = arg < Infinity ? (up ? l : -l) : Math.log(forward / strike)
      const z = (nu / alpha) * sqrtA * logM
      a = Math.abs(z)
      if (!(a > 0)) break
      const w = 1 - (z > 0 ? rho : -rho)
      const d = a - 1
      const s = Math.sqrt(d * d + a * 2 * w)
      arg = d > 0 ? (s + d) / w : (a * 2) / (s - d)
    }
    const u2 = omb * logM * (omb * logM)
    // aA/(1 + u²/24 + u⁴/1920) · (a/x) · (1 + I₁T) with a single division
    const vol =
      (aA *
        (a > 0 ? a : 1) *
        ((oa * oa + (rho * beta * aA * 6 + (2 - rho * rho * 3) * nu) * nu) * (expiry / 24) + 1)) /
      ((u2 * (u2 * (1 / 1920) + 1 / 24) + 1) * x)
    out[i] = vol > 0 && vol < Infinity ? vol : NaN
  }
}

/**
 * The Hagan 2002 eq. (2.17a) vol at one strike, validation included: the default formula of
 * {@link sabrVolUnsafe} and {@link sabrVolSliceUnsafe}. β ∈ {0, 0.5, 1} (square roots or nothing
 * for the backbone) is evaluated here; any other β goes to {@link generalRun}. Small on purpose:
 * V8 inlines a call only while the callee's bytecode, plus what its optimised code already
 * inlines, fits TurboFan's cumulative budget (920 bytes, with a 1.2 reserve factor), and a call
 * that is not inlined boxes every double argument (a heap allocation each) — about a third of the
 * cost of a vol. With sabrVolUnsafe, zOverX and backboneSqrt this is about 720 bytes (V8 11.3,
 * node 20), which fits a caller that has inlined little else; generalRun and the other formulas
 * are over the per-function limit (460) and never inlined. Constants sit on the right of
 * operators where the arithmetic allows (`x * 6` is one bytecode, `6 * x` three).
 */
const sabrVolAt = (
  forward: number,
  strike: number,
  expiry: number,
  alpha: number,
  beta: number,
  rho: number,
  nu: number,
): number => {
  const omb = 1 - beta
  if (omb !== 0 && omb !== 0.5 && omb !== 1) {
    // general β (or a β outside [0, 1]): out of line, validation included (see generalVol)
    const io = GENERAL
    io[0] = forward
    io[1] = strike
    io[2] = expiry
    io[3] = alpha
    io[4] = beta
    io[5] = rho
    io[6] = nu
    generalVol()
    return io[0] as number
  }
  // written so that NaN fails every test; one finiteness test for the five non-negative inputs
  // (their sum overflows only if one of them exceeds 3.6e307)
  if (!(
    forward > 0 &&
    strike > 0 &&
    expiry >= 0 &&
    alpha > 0 &&
    nu >= 0 &&
    beta >= 0 &&
    beta <= 1 &&
    rho * rho < 1 &&
    forward + strike + expiry + alpha + nu < Infinity
  )) {
    return NaN
  }
  // ℓ = ln(f/K) to within ~1 ulp of 1 absolute, which is all the vol needs: it is smooth in ℓ
  const logM = Math.log(forward / strike)
  const sqrtA = omb === 0 ? 1 : backboneSqrt(forward, strike, omb)
  const aA = alpha / sqrtA
  const oa = omb * aA
  const u2 = omb * logM * (omb * logM)
  // leading term · z/x(z) · (1 + I₁T), I₁ the first-order braces of eq. (2.17a) (constants on
  // the right: shorter bytecode, see above)
  const vol =
    (aA / (u2 * (u2 * (1 / 1920) + 1 / 24) + 1)) *
    zOverX((nu / alpha) * sqrtA * logM, rho) *
    ((oa * oa + (rho * beta * aA * 6 + (2 - rho * rho * 3) * nu) * nu) * (expiry / 24) + 1)
  return vol > 0 && vol < Infinity ? vol : NaN
}

/**
 * Obłój 2008 (`formula` 1) and the normal expansion (2) at one strike; NaN for any other code.
 * Validates its inputs with the same test as {@link sabrVolAt}, written out again on purpose:
 * sabrVolAt must stay within V8's inlining budget, so it cannot share a predicate function
 * without measuring again, and this function is never inlined anyway.
 */
const otherVolAt = (
  forward: number,
  strike: number,
  expiry: number,
  alpha: number,
  beta: number,
  rho: number,
  nu: number,
  formula: number,
): number => {
  if (!(
    forward > 0 &&
    strike > 0 &&
    expiry >= 0 &&
    alpha > 0 &&
    nu >= 0 &&
    beta >= 0 &&
    beta <= 1 &&
    rho * rho < 1 &&
    forward + strike + expiry + alpha + nu < Infinity
  )) {
    return NaN
  }
  const logM = Math.log(forward / strike)
  const omb = 1 - beta
  const sqrtA = omb === 0 ? 1 : backboneFactor(forward, strike, omb)
  const u = omb * logM
  const u2 = u * u
  const va = nu / alpha
  const aA = alpha / sqrtA
  // I₁ without its first term, written as in sabrVolAt (so Obłój equals Hagan bit for bit at β = 1)
  const common = (rho * beta * aA * 6 + (2 - rho * rho * 3) * nu) * nu
  let vol: number
  if (formula === 1) {
    // sinh(h)/h, h = u/2, exact where Hagan truncates 1 + u²/24 + u⁴/1920
    const h = Math.abs(0.5 * u)
    let s: number
    if (h < H_SERIES) {
      const h2 = h * h
      s = 1 + h2 / 6 + (h2 * h2) / 120
    } else {
      const e = Math.expm1(h)
      s = (e * (e + 2)) / (2 * (e + 1) * h)
    }
    const d = sqrtA * s
    const z = va * d * logM
    const oa = omb * aA
    vol = (alpha / d) * zOverX(z, rho) * ((oa * oa + common) * (expiry / 24) + 1)
  } else if (formula === 2) {
    const l2 = logM * logM
    const ratio = (1 + l2 / 24 + (l2 * l2) / 1920) / (1 + u2 / 24 + (u2 * u2) / 1920)
    const z = va * sqrtA * logM
    // (fK)^(β/2) = √(fK) / (fK)^((1−β)/2)
    const fkBeta = beta === 0 ? 1 : (Math.sqrt(forward) * Math.sqrt(strike)) / sqrtA
    vol =
      alpha * fkBeta * ratio * zOverX(z, rho) * ((common - beta * (2 - beta) * aA * aA) * (expiry / 24) + 1)
  } else {
    return NaN
  }
  return vol > 0 && vol < Infinity ? vol : NaN
}

/**
 * Positional, allocation-free SABR vol kernel; see {@link sabrVol} for the formulas.
 *
 * Argument order: `(forward, strike, expiry, alpha, beta, rho, nu, formula)` — note QuantLib's
 * `sabrVolatility(strike, forward, expiry, alpha, beta, nu, rho)` order differs.
 *
 * Returns NaN outside the domain (f ≤ 0, K ≤ 0, T < 0, α ≤ 0, β ∉ [0, 1], |ρ| ≥ 1, ν < 0, any
 * non-finite input, unknown formula code; finiteness is one test on f + K + T + α + ν, so an input
 * above ≈ 3.6e307 also gives NaN) and when the expansion itself breaks down (a result that is not
 * a positive finite number, e.g. `1 + I₁T < 0` for extreme ν²T).
 *
 * Speed: the default formula is written so that V8 inlines it whole into a caller's loop for
 * β ∈ {0, 0.5, 1}, and for any other β makes one call (no boxing) to a kernel whose logarithms and
 * powers are inlined arithmetic (lib/core/fastMath.ts; see the comments on `sabrVolAt` and
 * `generalRun` in the source); the other two formulas are one call further away.
 *
 * Verified by spec/pricing/sabr.spec.ts (QuantLib 1.29 and mpmath goldens) and
 * spec/pricing/sabr.properties.spec.ts.
 *
 * @example
 * ```ts
 * sabrVolUnsafe(100, 110, 1, 0.3, 0.7, -0.3, 0.4, 0) // Hagan 2002 Black vol
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const sabrVolUnsafe = (
  forward: number,
  strike: number,
  expiry: number,
  alpha: number,
  beta: number,
  rho: number,
  nu: number,
  formula?: number,
): number =>
  formula === undefined || formula === 0
    ? sabrVolAt(forward, strike, expiry, alpha, beta, rho, nu)
    : otherVolAt(forward, strike, expiry, alpha, beta, rho, nu, formula)

/**
 * Slice form of {@link sabrVolUnsafe}: the vols of every strike of one expiry, written into the
 * caller's `out` (same length as `strikes`; no allocation), each bit-identical to
 * `sabrVolUnsafe` at that strike.
 *
 * Edges: NaN in every slot when a scalar parameter is outside the domain of {@link sabrVol}; NaN
 * in the slots of strikes that are not positive finite numbers, and where the expansion breaks
 * down.
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * @example
 * ```ts
 * const strikes = Float64Array.of(80, 90, 100, 110, 120)
 * const out = new Float64Array(strikes.length)
 * sabrVolSliceUnsafe(out, 100, strikes, 0.5, 0.4, 1, -0.3, 1.2, 0)
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const sabrVolSliceUnsafe = (
  out: Float64Array,
  forward: number,
  strikes: Float64Array,
  expiry: number,
  alpha: number,
  beta: number,
  rho: number,
  nu: number,
  formula: number = 0,
): void => {
  const n = strikes.length
  if (
    !(forward > 0 && forward < Infinity) ||
    !(expiry >= 0 && expiry < Infinity) ||
    !(alpha > 0 && alpha < Infinity) ||
    !(beta >= 0 && beta <= 1) ||
    !(rho > -1 && rho < 1) ||
    !(nu >= 0 && nu < Infinity) ||
    !(formula === 0 || formula === 1 || formula === 2)
  ) {
    out.fill(NaN, 0, n)
    return
  }
  for (let i = 0; i < n; i++) {
    const strike = strikes[i] as number
    out[i] =
      formula === 0
        ? sabrVolAt(forward, strike, expiry, alpha, beta, rho, nu)
        : otherVolAt(forward, strike, expiry, alpha, beta, rho, nu, formula)
  }
}

/**
 * Batch form of {@link sabrVolUnsafe} over columns, one option with its own parameters per row,
 * written into caller-allocated `out`; returns `out`. For each i < out.length,
 * out[i] = sabrVolUnsafe(f[i], K[i], T[i], α[i], β[i], ρ[i], ν[i], formula), bit for bit; NaN where
 * a row is outside the domain of {@link sabrVol} or the expansion breaks down, and in every row
 * for a formula code other than 0, 1, 2. No allocation. Throws a RangeError if a column is shorter
 * than `out` (a programming error, not a data error).
 *
 * Units, domain and formulas: as {@link sabrVol} (Hagan et al. 2002 eq. 2.17a by default; Obłój
 * 2008 and the normal expansion for codes 1 and 2, see {@link SabrFormulaCode}), row by row.
 *
 * Speed: for the default formula the general-β kernel runs as one call per run of consecutive
 * general-β rows (β other than 0, 0.5, 1), not one call per row as in a loop over sabrVolUnsafe;
 * rows with β ∈ {0, 0.5, 1} are evaluated inline. Sharding a book is a loop over chunks of rows
 * (`subarray` views of every column and of `out`).
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * @example
 * ```ts
 * const col = (...v: number[]) => Float64Array.from(v)
 * const out = sabrVolBatch(
 *   { forward: col(100, 100), strike: col(90, 110), expiry: col(1, 1), alpha: col(0.3, 0.3),
 *     beta: col(0.7, 1), rho: col(-0.3, -0.3), nu: col(0.4, 0.4) },
 *   new Float64Array(2),
 * )
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const sabrVolBatch = (columns: SabrColumns, out: Float64Array, formula: number = 0): Float64Array => {
  const n = out.length
  const { forward, strike, expiry, alpha, beta, rho, nu } = columns
  if (
    forward.length < n ||
    strike.length < n ||
    expiry.length < n ||
    alpha.length < n ||
    beta.length < n ||
    rho.length < n ||
    nu.length < n
  )
    throw new RangeError(`sabrVolBatch: every column needs at least out.length = ${n} entries`)
  if (formula !== 0) {
    for (let i = 0; i < n; i++)
      out[i] = otherVolAt(
        forward[i] as number,
        strike[i] as number,
        expiry[i] as number,
        alpha[i] as number,
        beta[i] as number,
        rho[i] as number,
        nu[i] as number,
        formula,
      )
    return out
  }
  let i = 0
  while (i < n) {
    const b = beta[i] as number
    const omb = 1 - b
    if (omb === 0 || omb === 0.5 || omb === 1) {
      out[i] = sabrVolAt(
        forward[i] as number,
        strike[i] as number,
        expiry[i] as number,
        alpha[i] as number,
        b,
        rho[i] as number,
        nu[i] as number,
      )
      i++
    } else {
      // the run's end first, then the run: β is tested twice per general row, but a generalRun
      // that stops at the first β ∈ {0, 0.5, 1} itself measured ≈ 3% slower (2026-12-04)
      let j = i + 1
      for (; j < n; j++) {
        const o = 1 - (beta[j] as number)
        if (o === 0 || o === 0.5 || o === 1) break
      }
      generalRun(columns, out, i, j)
      i = j
    }
  }
  return out
}

/**
 * SABR implied volatility of a European option.
 *
 * Hagan et al. (2002) eq. (2.17a) (`formula = 'hagan2002'`, the default):
 * ```
 * σ_B = α / { (fK)^((1−β)/2) [1 + u²/24 + u⁴/1920] } · z/x(z)
 *       · { 1 + [ (1−β)²α²/(24 (fK)^(1−β)) + ρβνα/(4 (fK)^((1−β)/2)) + (2 − 3ρ²)ν²/24 ] T }
 * z = (ν/α)(fK)^((1−β)/2) ℓ,   x(z) = ln( (√(1 − 2ρz + z²) + z − ρ) / (1 − ρ) )   (2.17b, c)
 * ```
 * with ℓ = ln(f/K), u = (1 − β)ℓ. Obłój (2008) (`'obloj2008'`) replaces the leading term by
 * `ν ℓ / x(z)` with `z = ν (f^(1−β) − K^(1−β)) / (α(1 − β))` (`z = νℓ/α` for β = 1), i.e. the
 * bracket `1 + u²/24 + u⁴/1920` by its exact value `sinh(u/2)/(u/2)` inside both the prefactor and
 * z; the first-order term is Hagan's. `'normal'` is Hagan's normal-vol expansion
 * ```
 * σ_N = α (fK)^(β/2) (1 + ℓ²/24 + ℓ⁴/1920)/(1 + u²/24 + u⁴/1920) · z/x(z)
 *       · { 1 + [ −β(2−β)α²/(24 (fK)^(1−β)) + ρβνα/(4 (fK)^((1−β)/2)) + (2 − 3ρ²)ν²/24 ] T }
 * ```
 * and returns a **normal (Bachelier) vol** in quote currency per √year.
 *
 * Units and domain: f, K > 0 in the quote currency; T ≥ 0 in years; α > 0; β ∈ [0, 1];
 * ρ ∈ (−1, 1); ν ≥ 0. Returns NaN outside the domain and where the expansion yields a
 * non-positive vol (large ν²T with |ρ| > √(2/3), or far wings).
 *
 * Edges: at K = f, z = 0 and the value is the ATM formula α/f^(1−β) · (1 + I₁T) exactly
 * (Hagan eq. 2.18); the function is smooth through K = f (a cancellation-free z/x(z) with the limit 1 at
 * z = 0). ν = 0 gives the CEV expansion; ν = 0, β = 1 gives exactly α for every strike.
 * T = 0 gives the leading term. Hagan's expansion is an asymptotic formula: it can imply negative
 * densities in the low-strike wing, already at T = 1 for crypto-like ν (see
 * docs/methodology/sabr.md).
 *
 * Accuracy: every formula is within 4e-15 relative of a 50-digit mpmath evaluation of itself (max
 * seen 1.2e-15); `'hagan2002'` and `'normal'` agree with QuantLib 1.29 `sabrVolatility` to ≤ 1e-12
 * relative away from the money (max seen 8.0e-13, all of it QuantLib's own error); near the
 * money QuantLib's `ln(tmp)` loses digits (1.2e-9 at K = F(1 ± 10⁻⁷)) and ours does not
 * (spec/pricing/sabr.spec.ts).
 *
 * References: P. S. Hagan, D. Kumar, A. S. Lesniewski, D. E. Woodward (2002), "Managing smile
 * risk", Wilmott Magazine, Sept., 84–108, eqs. (2.17a–c), (2.18), App. B; J. Obłój (2008),
 * "Fine-tune your smile: correction to Hagan et al.", Wilmott Magazine, arXiv:0708.0998.
 *
 * Verified by spec/pricing/sabr.spec.ts and spec/pricing/sabr.properties.spec.ts.
 *
 * Example, from spec/pricing/sabr.spec.ts (value checked against QuantLib 1.29 there):
 * {@includeCode ../../spec/pricing/sabr.spec.ts#sabrVol}
 *
 * @category pricing
 * @since 0.1.0
 */
export const sabrVol = (params: SabrVolParams, formula: SabrFormula = 'hagan2002'): number =>
  sabrVolUnsafe(
    params.forward,
    params.strike,
    params.expiry,
    params.alpha,
    params.beta,
    params.rho,
    params.nu,
    SabrFormulaCodes[formula] ?? -1,
  )

/**
 * Checked SABR vol: decodes `unknown` input with the io-ts codec `SabrVolInput`
 * (lib/domain/pricingInputs.ts: forward, strike `Positive`; expiry `Years`; alpha `Positive`;
 * beta `SabrBeta` ∈ [0, 1]; rho `Correlation` ∈ (−1, 1); nu `NonNegative`; optional `formula`).
 *
 * Errors: `Left` with one `InvalidInput` per offending field, its message naming the field and
 * the bound from the same definition the check uses (`Bounds` in lib/domain/units.ts), e.g.
 * `field beta = 1.5: must be a finite number in [0, 1]`; and a `Left` with field `(result)`
 * when the expansion breaks down (non-positive vol) for valid parameters.
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * Example, from spec/pricing/sabr.spec.ts:
 * {@includeCode ../../spec/pricing/sabr.spec.ts#sabrVolChecked}
 *
 * @category pricing
 * @since 0.1.0
 */
export const sabrVolChecked = (input: unknown): E.Either<readonly InvalidInput[], number> => {
  const decoded = decodeSabrVolInput(input)
  if (E.isLeft(decoded)) return decoded
  const p = decoded.right
  const v = sabrVol(p, p.formula ?? 'hagan2002')
  if (Number.isNaN(v)) {
    return E.left([
      invalidInput(
        '(result)',
        v,
        'must be a positive vol: the SABR expansion gives none for these parameters',
      ),
    ])
  }
  return E.right(v)
}

// -------------------------------------------------------------------------------------
// calibration helpers
// -------------------------------------------------------------------------------------

/** c3 x³ + c2 x² + c1 x + c0 by Horner's rule. */
const cubicAt = (x: number, c3: number, c2: number, c1: number, c0: number): number =>
  ((c3 * x + c2) * x + c1) * x + c0

/**
 * The smallest positive real root of c3 x³ + c2 x² + c1 x + c0 with c0 < 0, or NaN if there is
 * none. The positive stationary points (roots of the derivative, a stably solved quadratic) split
 * (0, ∞) into intervals on which the cubic is monotone; the first interval whose right end is
 * ≥ 0 brackets the root, which safeguarded Newton (bisection when a step leaves the bracket)
 * finds to full precision. Closed-form (Cardano) roots are avoided: they lose the small root to
 * cancellation when c3 is tiny (β → 1 or T → 0).
 */
const smallestPositiveRoot = (c3: number, c2: number, c1: number, c0: number): number => {
  // stationary points: 3c3 x² + 2c2 x + c1 = 0
  let s1 = Infinity
  let s2 = Infinity
  const qa = 3 * c3
  const qb = 2 * c2
  if (qa === 0) {
    if (qb !== 0) s1 = -c1 / qb
  } else {
    const disc = qb * qb - 4 * qa * c1
    if (disc >= 0) {
      const q = -0.5 * (qb + (qb >= 0 ? 1 : -1) * Math.sqrt(disc))
      s1 = q / qa
      s2 = q === 0 ? 0 : c1 / q
    }
  }
  if (!(s1 > 0)) s1 = Infinity
  if (!(s2 > 0)) s2 = Infinity
  const first = Math.min(s1, s2)
  const second = Math.max(s1, s2)
  let lo = 0
  let hi = NaN
  for (const edge of [first, second]) {
    if (edge === Infinity) break
    if (cubicAt(edge, c3, c2, c1, c0) >= 0) {
      hi = edge
      break
    }
    lo = edge
  }
  if (Number.isNaN(hi)) {
    // last monotone piece, unbounded (or bounded by a stationary point that overflowed, e.g.
    // −c1/(2c2) for a denormal c2): double until the cubic turns non-negative or hi overflows
    hi = Math.max(2 * lo, c1 > 0 ? -c0 / c1 : 1, Number.MIN_VALUE)
    for (let i = 0; i < 2100 && cubicAt(hi, c3, c2, c1, c0) < 0; i++) {
      lo = hi
      hi *= 2
    }
    if (!(cubicAt(hi, c3, c2, c1, c0) >= 0)) return NaN
  }
  // safeguarded Newton on [lo, hi] with p(lo) < 0 ≤ p(hi)
  let x = c1 > 0 && -c0 / c1 > lo && -c0 / c1 < hi ? -c0 / c1 : 0.5 * (lo + hi)
  for (let i = 0; i < 200; i++) {
    const p = cubicAt(x, c3, c2, c1, c0)
    if (p === 0) return x
    if (p < 0) lo = x
    else hi = x
    const dp = (3 * c3 * x + 2 * c2) * x + c1
    let next = x - p / dp
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi)
    if (Math.abs(next - x) <= 2e-16 * Math.abs(x) || next === lo || next === hi) return next
    x = next
  }
  return x
}

/**
 * Alpha that reproduces a given at-the-money Black vol (West 2005): at K = f, Hagan's eq. (2.18)
 * reads σ_ATM f^(1−β) = α (1 + I₁(α) T), the cubic
 * ```
 * (1−β)² T / (24 f^(2−2β)) α³ + ρβνT / (4 f^(1−β)) α² + (1 + (2 − 3ρ²)ν²T/24) α − σ_ATM f^(1−β) = 0
 * ```
 * whose smallest positive root is taken (West 2005, §2). The same α serves `'obloj2008'`, whose
 * ATM value equals Hagan's.
 *
 * Units/domain: as {@link sabrVol}, with atmVol > 0 (Black vol, annualised decimal). Returns NaN
 * outside the domain or when the cubic has no positive root (possible only for
 * (2 − 3ρ²)ν²T < −24, i.e. extreme vol of vol and |ρ| near 1).
 *
 * Method and accuracy: the stationary points of the cubic bracket its smallest positive root,
 * which safeguarded Newton finds to full precision (closed-form Cardano roots lose the small
 * root to cancellation when the cubic coefficient is tiny, β → 1 or T → 0); then
 * `sabrVol` at K = f reproduces atmVol to ≤ 1e-12 relative (spec/pricing/sabr.spec.ts).
 *
 * Reference: G. West (2005), "Calibration of the SABR model in illiquid markets", Applied
 * Mathematical Finance 12(4), 371–385.
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * Example, from spec/pricing/sabr.spec.ts:
 * {@includeCode ../../spec/pricing/sabr.spec.ts#sabrAlphaFromAtmVol}
 *
 * @category calibration
 * @since 0.1.0
 */
export const sabrAlphaFromAtmVol = (params: SabrAtmParams): number =>
  sabrAlphaFromAtmVolUnsafe(params.forward, params.expiry, params.atmVol, params.beta, params.rho, params.nu)

/**
 * Positional form of {@link sabrAlphaFromAtmVol}: `(forward, expiry, atmVol, beta, rho, nu)`.
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * @category calibration
 * @since 0.1.0
 */
export const sabrAlphaFromAtmVolUnsafe = (
  forward: number,
  expiry: number,
  atmVol: number,
  beta: number,
  rho: number,
  nu: number,
): number => {
  if (
    !(forward > 0 && forward < Infinity) ||
    !(expiry >= 0 && expiry < Infinity) ||
    !(atmVol > 0 && atmVol < Infinity) ||
    !(beta >= 0 && beta <= 1) ||
    !(rho > -1 && rho < 1) ||
    !(nu >= 0 && nu < Infinity)
  ) {
    return NaN
  }
  const omb = 1 - beta
  const fPow = omb === 0 ? 1 : Math.pow(forward, omb)
  const c3 = (omb * omb * expiry) / (24 * fPow * fPow)
  const c2 = (rho * beta * nu * expiry) / (4 * fPow)
  const c1 = 1 + ((2 - 3 * rho * rho) * nu * nu * expiry) / 24
  const c0 = -atmVol * fPow
  return smallestPositiveRoot(c3, c2, c1, c0)
}
