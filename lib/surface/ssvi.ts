/**
 * Surface SVI (SSVI) of Gatheral & Jacquier (2014): evaluation, the exact static-arbitrage
 * conditions for the power-law and Heston-like `φ`, and a calibration across expiries.
 *
 * ```ts
 * type SsviPhi = { kind: 'powerLaw'; eta; gamma } | { kind: 'heston'; lambda }
 * interface SsviParams { rho: number; phi: SsviPhi }
 * ssviPhi(phi, theta): number;  ssviTotalVariance(params, theta, k): number
 * ssviToSvi(theta, phiTheta, rho): SviParams           // the raw SVI slice
 * ssviArbitrageMargins(params): { butterflyLinear, butterflyQuadratic, calendarFree }
 * fitSsvi({ slices: [{ expiry, k, w, weights? }], options? }): Either<SsviFitError, SsviFit>
 * ssviFitTotalVariance(fit, k, expiry): number          // θ(T) linear in T between expiries
 * ```
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { nelderMead } from '../core/nelderMead.js'
import { type InvalidInput, invalidInput } from '../domain/errors.js'
import { fitSviSlice, type SviParams, sviTotalVariance } from './svi.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The SSVI curvature function `φ(θ)`: power law `η / (θ^γ (1 + θ)^{1−γ})` (Gatheral & Jacquier
 * 2014, eq. (4.5); `η > 0`, `γ ∈ (0, 1/2]`) or Heston-like
 * `(1/(λθ)) (1 − (1 − e^{−λθ})/(λθ))` (eq. (4.4); `λ > 0`).
 *
 * @category model
 * @since 0.1.0
 */
export type SsviPhi =
  | { readonly kind: 'powerLaw'; readonly eta: number; readonly gamma: number }
  | { readonly kind: 'heston'; readonly lambda: number }

/**
 * Global SSVI parameters: the correlation `ρ ∈ (−1, 1)` and the curvature function.
 *
 * @category model
 * @since 0.1.0
 */
export interface SsviParams {
  /** Skew parameter ρ ∈ (−1, 1). */
  readonly rho: number
  /** Curvature function φ(θ). */
  readonly phi: SsviPhi
}

/**
 * One expiry of market data for {@link fitSsvi}: log-moneyness `k = ln(K/F)`, total variance
 * `w = σ²T`, optional non-negative weights (0 = left out).
 *
 * @category model
 * @since 0.1.0
 */
export interface SsviSliceInput {
  /** Time to expiry, years (> 0). */
  readonly expiry: number
  /** Log-moneyness. */
  readonly k: Float64Array
  /** Total implied variance. */
  readonly w: Float64Array
  /** Weights of the squared total-variance residuals (default 1). */
  readonly weights?: Float64Array
}

/**
 * Options of {@link fitSsvi}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SsviFitOptions {
  /** Which φ family to fit. Default `'powerLaw'`. */
  readonly phi: 'powerLaw' | 'heston'
  /** Alternations of (global parameters ↔ per-expiry θ). Default 3. */
  readonly rounds: number
}

/**
 * Errors of {@link fitSsvi}: malformed input ({@link InvalidInput}).
 *
 * @category model
 * @since 0.1.0
 */
export type SsviFitError = InvalidInput

/**
 * Result of {@link fitSsvi}. `expiries`/`thetas` are sorted by expiry; `thetas` is
 * non-decreasing (calendar condition of Theorem 4.1).
 *
 * @category model
 * @since 0.1.0
 */
export interface SsviFit {
  /** Fitted global parameters. */
  readonly params: SsviParams
  /** Expiries, ascending (years). */
  readonly expiries: Float64Array
  /** ATM total variance θ_t per expiry, non-decreasing. */
  readonly thetas: Float64Array
  /** Per-slice diagnostics, in `expiries` order; `input` is the index in the input array. */
  readonly slices: readonly {
    readonly input: number
    readonly expiry: number
    readonly theta: number
    readonly rmseVol: number
    readonly quotes: number
  }[]
  /** RMSE in vol (decimal) over all quotes with positive weight. */
  readonly rmseVol: number
  /** RMSE in total variance over all quotes with positive weight. */
  readonly rmseTotalVariance: number
  /** Arbitrage margins of the fitted parameters (see {@link ssviArbitrageMargins}). */
  readonly margins: SsviArbitrageMargins
  /** Whether the raw θ estimates had to be made monotone. */
  readonly thetaAdjusted: boolean
  /** Free-text notes. */
  readonly notes: readonly string[]
}

/**
 * Static-arbitrage margins of SSVI parameters over all `θ > 0`:
 * `butterflyLinear = sup θφ(θ)(1 + |ρ|)` (must be ≤ 4), `butterflyQuadratic = sup θφ(θ)²(1 + |ρ|)`
 * (must be ≤ 4), and `calendarFree` (Theorem 4.1's φ conditions, true for both families).
 *
 * @category model
 * @since 0.1.0
 */
export interface SsviArbitrageMargins {
  /** sup over θ > 0 of θφ(θ)(1 + |ρ|); ≤ 4 required (Theorem 4.2). */
  readonly butterflyLinear: number
  /** sup over θ > 0 of θφ(θ)²(1 + |ρ|); ≤ 4 required (Theorem 4.2). */
  readonly butterflyQuadratic: number
  /** Whether 0 ≤ ∂θ(θφ) ≤ φ(1 + √(1 − ρ²))/ρ² holds for all θ (Theorem 4.1). */
  readonly calendarFree: boolean
  /** Whether all conditions hold: the surface is free of static arbitrage for non-decreasing θ. */
  readonly arbitrageFree: boolean
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

const INV_FACT = (() => {
  const f = [1]
  for (let i = 1; i <= 12; i++) f.push(f[i - 1] / i)
  return f
})()

/** (x + expm1(−x)) / x² without cancellation: = (1 − (1 − e^{−x})/x)/x. */
const hestonCore = (x: number): number => {
  if (x < 0.1) {
    // Σ_{n≥0} (−x)ⁿ/(n + 2)!, truncated after n = 9 (remainder < x¹⁰/12! < 3e-19 relative)
    let s = 0
    for (let n = 9; n >= 0; n--) s = INV_FACT[n + 2] - x * s
    return s
  }
  return (x + Math.expm1(-x)) / (x * x)
}

/**
 * The SSVI curvature `φ(θ)` (see {@link SsviPhi}). `θ > 0`; the Heston form is evaluated
 * without cancellation for small `λθ` (series below 0.1, else `expm1`, ≤ 20 ulp).
 * NaN for `θ ≤ 0`.
 *
 * Reference: Gatheral & Jacquier (2014), eqs. (4.4)–(4.5).
 * Verified by spec/surface/ssvi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ssviPhi = (phi: SsviPhi, theta: number): number => {
  if (!(theta > 0)) return NaN
  if (phi.kind === 'powerLaw')
    return phi.eta / (Math.pow(theta, phi.gamma) * Math.pow(1 + theta, 1 - phi.gamma))
  return hestonCore(phi.lambda * theta)
}

/**
 * SSVI total variance, positional kernel (Gatheral & Jacquier 2014, eq. (4.1)):
 * `w(k) = θ/2 (1 + ρφk + √((φk + ρ)² + 1 − ρ²))` with `φ = φ(θ)` already evaluated.
 *
 * Verified by spec/surface/ssvi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ssviTotalVarianceUnsafe = (theta: number, phiTheta: number, rho: number, k: number): number => {
  const x = phiTheta * k
  return 0.5 * theta * (1 + rho * x + Math.sqrt((x + rho) * (x + rho) + 1 - rho * rho))
}

/**
 * SSVI total variance `w(k, θ)` for global parameters `params` at ATM total variance `θ`.
 *
 * Verified by spec/surface/ssvi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ssviTotalVariance = (params: SsviParams, theta: number, k: number): number =>
  ssviTotalVarianceUnsafe(theta, ssviPhi(params.phi, theta), params.rho, k)

/**
 * The raw SVI parameters of one SSVI slice (Gatheral & Jacquier 2014, Lemma 3.1 / §4):
 * `a = θ(1 − ρ²)/2`, `b = θφ/2`, `ρ`, `m = −ρ/φ`, `σ = √(1 − ρ²)/φ`.
 *
 * Verified by spec/surface/ssvi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ssviToSvi = (theta: number, phiTheta: number, rho: number): SviParams => ({
  a: 0.5 * theta * (1 - rho * rho),
  b: 0.5 * theta * phiTheta,
  rho,
  m: -rho / phiTheta,
  sigma: Math.sqrt(1 - rho * rho) / phiTheta,
})

// -------------------------------------------------------------------------------------
// arbitrage conditions
// -------------------------------------------------------------------------------------

/** sup_{x>0} (1 − (1 − e^{−x})/x)² / x, by golden section (unimodal); ≈ 0.1625. */
const HESTON_H_MAX = (() => {
  const h = (x: number): number => (x * hestonCore(x) * x * hestonCore(x)) / x
  let lo = 0.5
  let hi = 10
  const r = (Math.sqrt(5) - 1) / 2
  for (let i = 0; i < 100; i++) {
    const x1 = hi - r * (hi - lo)
    const x2 = lo + r * (hi - lo)
    if (h(x1) > h(x2)) hi = x2
    else lo = x1
  }
  return h(0.5 * (lo + hi))
})()

/**
 * Exact static-arbitrage margins of SSVI parameters over all `θ > 0` (so they also cover the
 * extrapolated expiries). Power law (γ ∈ (0, 1/2]): `sup θφ = η`, `sup θφ² = η² u_max^{1−2γ}(1 − u_max)`
 * with `u_max = (1 − 2γ)/(2 − 2γ)` (`= η²` at γ = 1/2). Heston-like: `sup θφ = 1/λ`,
 * `sup θφ² = H_max/λ` with `H_max = sup_x (1 − (1 − e^{−x})/x)²/x ≈ 0.1625`.
 * Calendar (Theorem 4.1): power law `∂θ(θφ) = φ(1 − γ)/(1 + θ) ∈ [0, φ]` and Heston-like
 * `∂θ(θφ)/φ = (1 − e^{−x} − xe^{−x})/(x − 1 + e^{−x}) ∈ [0, 1]`, both below
 * `(1 + √(1 − ρ²))/ρ² ≥ 1`: calendar-free whenever γ ∈ [0, 1] resp. λ > 0.
 * The surface is free of static arbitrage iff additionally θ_t is non-decreasing (Theorem 4.1)
 * and both butterfly sups are ≤ 4 (Theorem 4.2; the linear one is strict but not attained).
 *
 * Reference: Gatheral & Jacquier (2014), Theorems 4.1–4.2, Corollary 4.1, Remark 4.4.
 * Verified by spec/surface/ssvi.spec.ts (against dense θ grids).
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const ssviArbitrageMargins = (params: SsviParams): SsviArbitrageMargins => {
  const r1 = 1 + Math.abs(params.rho)
  const phi = params.phi
  let lin: number
  let quad: number
  let calendarFree: boolean
  if (phi.kind === 'powerLaw') {
    const g = phi.gamma
    lin = phi.eta * r1
    if (!(g > 0 && g <= 0.5)) quad = Infinity
    else if (g === 0.5) quad = phi.eta * phi.eta * r1
    else {
      const u = (1 - 2 * g) / (2 - 2 * g)
      quad = phi.eta * phi.eta * Math.pow(u, 1 - 2 * g) * (1 - u) * r1
    }
    calendarFree = g >= 0 && g <= 1 && phi.eta > 0
  } else {
    lin = r1 / phi.lambda
    quad = (HESTON_H_MAX * r1) / phi.lambda
    calendarFree = phi.lambda > 0
  }
  const okRho = Math.abs(params.rho) < 1
  return {
    butterflyLinear: lin,
    butterflyQuadratic: quad,
    calendarFree,
    arbitrageFree: okRho && calendarFree && lin <= 4 && quad <= 4,
  }
}

// -------------------------------------------------------------------------------------
// calibration
// -------------------------------------------------------------------------------------

/** Weighted pool-adjacent-violators: the non-decreasing sequence closest in weighted L2. */
const isotonic = (y: Float64Array, wt: Float64Array): Float64Array => {
  const n = y.length
  const val: number[] = []
  const wsum: number[] = []
  const len: number[] = []
  for (let i = 0; i < n; i++) {
    val.push(y[i])
    wsum.push(Math.max(wt[i], 1e-9))
    len.push(1)
    while (val.length > 1 && val[val.length - 2] > val[val.length - 1]) {
      const w2 = wsum.pop() as number
      const v2 = val.pop() as number
      const l2 = len.pop() as number
      const j = val.length - 1
      const wt1 = wsum[j] + w2
      val[j] = (val[j] * wsum[j] + v2 * w2) / wt1
      wsum[j] = wt1
      len[j] += l2
    }
  }
  const out = new Float64Array(n)
  let p = 0
  for (let b = 0; b < val.length; b++) for (let q = 0; q < len[b]; q++) out[p++] = val[b]
  return out
}

/** ATM total variance estimate of one slice: SVI fit at k = 0, else interpolation of the nearest quotes. */
const atmTotalVariance = (
  k: Float64Array,
  w: Float64Array,
  weights: Float64Array,
  T: number,
  rejected: number[],
): number => {
  const fit = fitSviSlice({ k, w, weights, expiry: T, options: { enforceButterfly: false } })
  if (E.isRight(fit)) {
    for (const e of fit.right.excluded) if (weights[e.index] > 0) rejected.push(e.index)
    return sviTotalVariance(fit.right.params, 0)
  }
  let lo = -1
  let hi = -1
  for (let i = 0; i < k.length; i++) {
    if (!(weights[i] > 0)) continue
    if (k[i] <= 0 && (lo < 0 || k[i] > k[lo])) lo = i
    if (k[i] >= 0 && (hi < 0 || k[i] < k[hi])) hi = i
  }
  if (lo >= 0 && hi >= 0)
    return k[hi] === k[lo] ? w[lo] : w[lo] + ((w[hi] - w[lo]) * -k[lo]) / (k[hi] - k[lo])
  return lo >= 0 ? w[lo] : hi >= 0 ? w[hi] : NaN
}

interface Prepared {
  readonly T: number
  readonly k: Float64Array
  readonly w: Float64Array
  readonly o: Float64Array
  readonly input: number
  readonly count: number
}

const decodePhi = (kind: 'powerLaw' | 'heston', x: Float64Array): SsviParams => {
  const rho = Math.tanh(x[0])
  if (kind === 'powerLaw') {
    // γ = 0.5 · logistic(x₂) ∈ (0, 1/2)
    return { rho, phi: { kind, eta: Math.exp(x[1]), gamma: 0.5 / (1 + Math.exp(-x[2])) } }
  }
  return { rho, phi: { kind, lambda: Math.exp(x[1]) } }
}

const sliceSse = (s: Prepared, theta: number, phiT: number, rho: number): number => {
  let sse = 0
  for (let i = 0; i < s.k.length; i++) {
    const o = s.o[i]
    if (o === 0) continue
    const r = ssviTotalVarianceUnsafe(theta, phiT, rho, s.k[i]) - s.w[i]
    sse += o * r * r
  }
  return sse
}

/**
 * Calibrates an SSVI surface to slices of total variance, free of static arbitrage by
 * construction.
 *
 * **Method.** (1) Per expiry, the ATM total variance θ_t is estimated by a raw SVI fit evaluated
 * at k = 0 ({@link fitSviSlice}; linear interpolation of the nearest quotes for slices with fewer
 * than 5 quotes), then made non-decreasing by weighted isotonic regression (PAVA; weights = quote
 * counts) — Theorem 4.1's condition on θ. (2) The global parameters (ρ, η, γ) or (ρ, λ) minimise
 * the weighted total-variance SSE over all quotes by Nelder–Mead from a fixed set of starts, in
 * coordinates `ρ = tanh x₀`, `η = e^{x₁}`, `γ = ½·logistic(x₂)` (so γ ∈ (0, 1/2)), with the
 * butterfly conditions of {@link ssviArbitrageMargins} (sup θφ(1+|ρ|) ≤ 4 and
 * sup θφ²(1+|ρ|) ≤ 4 over all θ > 0) as a barrier. (3) θ_t are refitted one-dimensionally per
 * slice given the global parameters (golden section on [θ/4, 4θ]), made monotone again, and (2)–(3)
 * alternate `rounds` times. Deterministic.
 *
 * Robustness: quotes that the per-slice robust SVI fit of step (1) rejects ({@link fitSviSlice}'s
 * `excluded`) get weight 0 in the SSVI fit and are listed in `notes`. The Heston-like φ is bounded
 * (φ → 1/2 as θ → 0) and fits short-dated, strongly curved smiles poorly; prefer the power law.
 *
 * **Edges.** Slices need `expiry > 0` (distinct), equal-length `k`/`w`/`weights`, finite `k`,
 * `w > 0`; otherwise `InvalidInput`. A slice without any positive-weight quote keeps θ from its
 * neighbours (isotonic fill) and is reported in `notes`.
 *
 * Reference: Gatheral & Jacquier (2014), "Arbitrage-free SVI volatility surfaces",
 * *Quantitative Finance* 14(1):59–71, eqs. (4.1), (4.4), (4.5), Theorems 4.1–4.2, Corollary 4.1.
 * Verified by spec/surface/ssvi.spec.ts (exact recovery of SSVI-generated surfaces).
 *
 * Example, from spec/surface/ssvi.spec.ts (`PL` and `surface` defined there):
 * {@includeCode ../../spec/surface/ssvi.spec.ts#fitSsvi}
 *
 * @category calibration
 * @since 0.1.0
 */
export const fitSsvi = (input: {
  readonly slices: readonly SsviSliceInput[]
  readonly options?: Partial<SsviFitOptions>
}): E.Either<SsviFitError, SsviFit> => {
  const kind = input.options?.phi ?? 'powerLaw'
  const rounds = input.options?.rounds ?? 3
  const notes: string[] = []
  if (input.slices.length === 0) return E.left(invalidInput('slices', [], 'must contain at least one slice'))
  const prepared: Prepared[] = []
  for (let s = 0; s < input.slices.length; s++) {
    const sl = input.slices[s]
    const n = sl.k.length
    if (!(Number.isFinite(sl.expiry) && sl.expiry > 0))
      return E.left(invalidInput(`slices.${s}.expiry`, sl.expiry, 'must be a finite number in (0, ∞)'))
    if (sl.w.length !== n)
      return E.left(
        invalidInput(`slices.${s}.w`, `length ${sl.w.length}`, `must have the length of k (${n})`),
      )
    if (sl.weights !== undefined && sl.weights.length !== n)
      return E.left(
        invalidInput(
          `slices.${s}.weights`,
          `length ${sl.weights.length}`,
          `must have the length of k (${n})`,
        ),
      )
    const o = new Float64Array(n)
    let count = 0
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(sl.k[i]))
        return E.left(invalidInput(`slices.${s}.k.${i}`, sl.k[i], 'must be a finite number'))
      if (!(Number.isFinite(sl.w[i]) && sl.w[i] > 0))
        return E.left(invalidInput(`slices.${s}.w.${i}`, sl.w[i], 'must be a finite number in (0, ∞)'))
      const oi = sl.weights === undefined ? 1 : sl.weights[i]
      if (!(Number.isFinite(oi) && oi >= 0))
        return E.left(invalidInput(`slices.${s}.weights.${i}`, oi, 'must be a finite number in [0, ∞)'))
      o[i] = oi
      if (oi > 0) count++
    }
    prepared.push({ T: sl.expiry, k: sl.k, w: sl.w, o, input: s, count })
  }
  prepared.sort((p, q) => p.T - q.T || p.input - q.input)
  for (let s = 1; s < prepared.length; s++) {
    if (prepared[s].T === prepared[s - 1].T)
      return E.left(
        invalidInput(`slices.${prepared[s].input}.expiry`, prepared[s].T, 'expiries must be distinct'),
      )
  }
  const N = prepared.length
  // normalise weights so that every quote's weight has mean 1 over the surface
  let oTot = 0
  let nTot = 0
  for (const p of prepared) {
    for (let i = 0; i < p.o.length; i++) {
      if (p.o[i] > 0) {
        oTot += p.o[i]
        nTot++
      }
    }
  }
  if (nTot === 0)
    return E.left(
      invalidInput('slices', 'no positive weight', 'must hold at least one quote with positive weight'),
    )
  for (const p of prepared) for (let i = 0; i < p.o.length; i++) p.o[i] *= nTot / oTot
  // (1) θ estimates, monotone
  const raw = new Float64Array(N)
  const cw = new Float64Array(N)
  for (let s = 0; s < N; s++) {
    const p = prepared[s]
    const rejected: number[] = []
    raw[s] = p.count > 0 ? atmTotalVariance(p.k, p.w, p.o, p.T, rejected) : NaN
    // quotes the robust slice fit rejected leave the SSVI fit too
    for (const i of rejected) {
      p.o[i] = 0
      notes.push(
        `expiry ${p.T}: quote ${i} (k = ${p.k[i].toPrecision(4)}) left out, rejected by the robust SVI slice fit`,
      )
    }
    cw[s] = p.count > 0 && Number.isFinite(raw[s]) && raw[s] > 0 ? p.count : 0
    if (cw[s] === 0) notes.push(`expiry ${p.T}: no usable ATM estimate; θ taken from its neighbours`)
  }
  fillMissing(raw, cw)
  let thetas = isotonic(raw, cw)
  let adjusted = false
  for (let s = 0; s < N; s++) if (Math.abs(thetas[s] - raw[s]) > 1e-14 * raw[s]) adjusted = true
  if (adjusted) notes.push('raw ATM total variances were not monotone in expiry: isotonic regression applied')
  for (let s = 0; s < N; s++) thetas[s] = Math.max(thetas[s], 1e-12)
  // (2) global parameters
  const dim = kind === 'powerLaw' ? 3 : 2
  const objective = (x: Float64Array): number => {
    const prm = decodePhi(kind, x)
    if (!ssviArbitrageMargins(prm).arbitrageFree) return Infinity
    let sse = 0
    for (let s = 0; s < N; s++) sse += sliceSse(prepared[s], thetas[s], ssviPhi(prm.phi, thetas[s]), prm.rho)
    return sse
  }
  const starts: Float64Array[] = []
  for (const r0 of [-0.6, -0.2, 0.2]) {
    if (kind === 'powerLaw')
      for (const e0 of [0.3, 1.2]) starts.push(Float64Array.of(Math.atanh(r0), Math.log(e0), 0))
    else for (const l0 of [1, 10]) starts.push(Float64Array.of(Math.atanh(r0), Math.log(l0)))
  }
  let best = starts[0]
  let bestF = Infinity
  for (const x0 of starts) {
    const f0 = objective(x0)
    if (f0 < bestF) {
      bestF = f0
      best = x0
    }
  }
  // refine the best start and one restart
  const step = dim === 3 ? Float64Array.of(0.3, 0.3, 0.5) : Float64Array.of(0.3, 0.5)
  for (let round = 0; round < rounds; round++) {
    let r = nelderMead(objective, best, { step, xTolerance: 1e-10, maxEvaluations: 600 })
    r = nelderMead(objective, r.x, {
      step: step.map((v) => 0.05 * v),
      xTolerance: 1e-12,
      maxEvaluations: 400,
    })
    best = r.x
    // (3) per-slice θ given the global parameters, then monotone again
    const prm = decodePhi(kind, best)
    const next = new Float64Array(N)
    for (let s = 0; s < N; s++) {
      const p = prepared[s]
      if (cw[s] === 0) {
        next[s] = thetas[s]
        continue
      }
      let lo = Math.log(thetas[s] / 4)
      let hi = Math.log(thetas[s] * 4)
      const f = (lt: number): number => {
        const th = Math.exp(lt)
        return sliceSse(p, th, ssviPhi(prm.phi, th), prm.rho)
      }
      const g = (Math.sqrt(5) - 1) / 2
      let x1 = hi - g * (hi - lo)
      let x2 = lo + g * (hi - lo)
      let f1 = f(x1)
      let f2 = f(x2)
      for (let it = 0; it < 80; it++) {
        if (f1 <= f2) {
          hi = x2
          x2 = x1
          f2 = f1
          x1 = hi - g * (hi - lo)
          f1 = f(x1)
        } else {
          lo = x1
          x1 = x2
          f1 = f2
          x2 = lo + g * (hi - lo)
          f2 = f(x2)
        }
      }
      // keep the estimate if the 1-D search did not improve on it
      const cand = Math.exp(f1 <= f2 ? x1 : x2)
      next[s] = f(Math.log(cand)) < f(Math.log(thetas[s])) ? cand : thetas[s]
    }
    thetas = isotonic(next, cw)
  }
  // final global polish at the final θ
  const rf = nelderMead(objective, best, {
    step: step.map((v) => 0.05 * v),
    xTolerance: 1e-12,
    maxEvaluations: 400,
  })
  best = rf.x
  const params = decodePhi(kind, best)
  // diagnostics
  let sv = 0
  let sw = 0
  let cnt = 0
  const slices = prepared.map((p, s) => {
    const phiT = ssviPhi(params.phi, thetas[s])
    let v = 0
    let c = 0
    for (let i = 0; i < p.k.length; i++) {
      if (p.o[i] === 0) continue
      const wf = ssviTotalVarianceUnsafe(thetas[s], phiT, params.rho, p.k[i])
      const dv = Math.sqrt(wf / p.T) - Math.sqrt(p.w[i] / p.T)
      v += dv * dv
      sw += (wf - p.w[i]) * (wf - p.w[i])
      c++
    }
    sv += v
    cnt += c
    return {
      input: p.input,
      expiry: p.T,
      theta: thetas[s],
      rmseVol: c > 0 ? Math.sqrt(v / c) : NaN,
      quotes: c,
    }
  })
  return E.right({
    params,
    expiries: Float64Array.from(prepared, (p) => p.T),
    thetas,
    slices,
    rmseVol: Math.sqrt(sv / cnt),
    rmseTotalVariance: Math.sqrt(sw / cnt),
    margins: ssviArbitrageMargins(params),
    thetaAdjusted: adjusted,
    notes,
  })
}

/** Fills NaN / zero-weight entries from the nearest valid neighbour (weight stays 0). */
const fillMissing = (y: Float64Array, wt: Float64Array): void => {
  const n = y.length
  for (let i = 0; i < n; i++) {
    if (wt[i] > 0) continue
    let j = -1
    for (let d = 1; d < n && j < 0; d++) {
      if (i - d >= 0 && wt[i - d] > 0) j = i - d
      else if (i + d < n && wt[i + d] > 0) j = i + d
    }
    y[i] = j >= 0 ? y[j] : 1e-4
  }
}

/**
 * Total variance of a fitted SSVI surface at log-moneyness `k` and any expiry `T > 0`:
 * θ(T) is linear in T between fitted expiries, `θ_1·T/T_1` before the first (θ(0) = 0) and
 * `θ_N·T/T_N` after the last (constant ATM forward variance), so θ stays non-decreasing and the
 * surface free of calendar arbitrage (Theorem 4.1). NaN for `T ≤ 0`.
 *
 * Verified by spec/surface/ssvi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ssviFitTotalVariance = (fit: SsviFit, k: number, T: number): number => {
  if (!(T > 0)) return NaN
  const ex = fit.expiries
  const th = fit.thetas
  const n = ex.length
  let theta: number
  if (T <= ex[0]) theta = (th[0] * T) / ex[0]
  else if (T >= ex[n - 1]) theta = (th[n - 1] * T) / ex[n - 1]
  else {
    let j = 1
    while (ex[j] < T) j++
    theta = th[j - 1] + ((th[j] - th[j - 1]) * (T - ex[j - 1])) / (ex[j] - ex[j - 1])
  }
  return ssviTotalVariance(fit.params, theta, k)
}
