/**
 * Raw SVI slices: evaluation kernels, Durrleman's butterfly function g(k) and the robust,
 * butterfly-enforced quasi-explicit calibration of one expiry.
 *
 * ## API summary (for callers such as `fitSurface`)
 *
 * ```ts
 * interface SviParams { a: number; b: number; rho: number; m: number; sigma: number } // total-variance form
 * sviTotalVariance(p: SviParams, k: number): number              // w(k) = a + b(ρ(k−m) + √((k−m)²+σ²))
 * sviTotalVarianceUnsafe(a, b, rho, m, sigma, k): number          // positional kernel
 * sviEvaluate(p, k: Float64Array, out?: Float64Array): Float64Array
 * sviDerivatives(p, k, out: Float64Array /* length ≥ 3 *\/): out  // [w, w', w'']
 * durrlemanG(p: SviParams, k: number): number                     // g(k); ≥ 0 ⇔ no butterfly at k
 * durrlemanGFromDerivatives(k, w, dw, d2w): number
 * sviButterflyGrid(p, kMin, kMax): Float64Array                   // the documented check grid
 * sviMinDurrlemanG(p, grid?: Float64Array): { minG: number; kAtMin: number }
 * fitSviSlice({ k, w?, vols?, expiry, weights?, options? }): Either<SviFitError, SviSliceFit>
 *   // k = ln(K/F); w = σ²T (or vols + expiry); weights ≥ 0 (vega/spread, from the caller)
 *   // SviSliceFit: { params, minDurrlemanG, kAtMinG, butterflyRepaired, leeSlope,
 *   //   rmseVol, rmseTotalVariance, fittedTotalVariance, robustWeights,
 *   //   excluded: { index, reason }[], evaluations, notes }
 *   // SviFitError: InvalidInput | TooFewQuotes
 * ```
 *
 * SSVI lives in `ssvi.ts` (`fitSsvi`, `ssviTotalVariance`, `ssviToSvi`), calendar checks and
 * repair in `arbitrage.ts` (`calendarViolations`, `repairCalendarSvi`).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createQpWorkspace, solveSmallQp } from '../core/leastSquares.js'
import { nelderMead } from '../core/nelderMead.js'
import { type InvalidInput, invalidInput } from '../domain/errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Raw SVI parameters of one slice in total-variance form (Gatheral 2004):
 * `w(k) = a + b (ρ (k − m) + √((k − m)² + σ²))`, with `w = σ_BS² T` and `k = ln(K/F)`.
 * Domain: `b ≥ 0`, `|ρ| ≤ 1`, `σ > 0`, `a + bσ√(1 − ρ²) ≥ 0` (non-negative minimum).
 *
 * @category model
 * @since 0.1.0
 */
export interface SviParams {
  /** Level `a` (total variance). */
  readonly a: number
  /** Wing angle `b ≥ 0` (total variance per unit log-moneyness). */
  readonly b: number
  /** Rotation `ρ ∈ [−1, 1]`. */
  readonly rho: number
  /** Translation `m` (log-moneyness). */
  readonly m: number
  /** ATM curvature `σ > 0` (log-moneyness). */
  readonly sigma: number
}

/**
 * Not enough usable quotes to determine the five SVI parameters: `needed` quotes with positive
 * weight and finite data, `got` present.
 *
 * @category model
 * @since 0.1.0
 */
export interface TooFewQuotes {
  /** Tag. */
  readonly _tag: 'TooFewQuotes'
  /** Minimum number of quotes. */
  readonly needed: number
  /** Usable quotes found. */
  readonly got: number
  /** One-line message. */
  readonly message: string
}

/**
 * Errors of {@link fitSviSlice}: malformed input arrays ({@link InvalidInput}) or
 * {@link TooFewQuotes}. A fit that needed a butterfly repair or excluded quotes is a result.
 *
 * @category model
 * @since 0.1.0
 */
export type SviFitError = InvalidInput | TooFewQuotes

/**
 * Options of {@link fitSviSlice}; every field has the default shown in
 * {@link defaultSviFitOptions}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SviFitOptions {
  /** Upper bound `S` on both wing slopes `b(1 ± ρ)` of total variance (Lee 2004: 2). */
  readonly maxWingSlope: number
  /** Use the robust loop (Huber IRLS + outlier rejection). */
  readonly robust: boolean
  /** Huber tuning constant `c` (in robust-scale units). */
  readonly huberC: number
  /** Reject a quote whose standardised residual exceeds this many robust scales. */
  readonly rejectThreshold: number
  /** Floor of the robust residual scale, in vol (decimal; 0.002 = 0.2 vol points). */
  readonly scaleFloorVol: number
  /** At most this share of the usable quotes may be rejected. */
  readonly maxExcludedShare: number
  /** Fewest quotes to fit (and to keep after rejections). */
  readonly minQuotes: number
  /** Maximum robust re-weighting rounds. */
  readonly maxRobustIterations: number
  /** Grid nodes in `m` for the outer search. */
  readonly gridM: number
  /** Grid nodes in `σ` (log-spaced) for the outer search. */
  readonly gridSigma: number
  /** Enforce Durrleman's `g ≥ 0` on the check grid ({@link sviButterflyGrid}). */
  readonly enforceButterfly: boolean
}

/**
 * Default {@link SviFitOptions}: Lee slope 2, Huber `c = 1.345`, rejection at 5 robust scales,
 * scale floor 0.2 vol points, at most 20% rejected, 5 quotes minimum, 6 robust rounds,
 * a 15 × 10 outer grid, butterfly enforced.
 *
 * @category model
 * @since 0.1.0
 */
export const defaultSviFitOptions: SviFitOptions = {
  maxWingSlope: 2,
  robust: true,
  huberC: 1.345,
  rejectThreshold: 5,
  scaleFloorVol: 0.002,
  maxExcludedShare: 0.2,
  minQuotes: 5,
  maxRobustIterations: 6,
  gridM: 15,
  gridSigma: 10,
  enforceButterfly: true,
}

/**
 * Input of {@link fitSviSlice}: one expiry as plain arrays. Give either `w` (total variance
 * `σ²T`) or `vols` (decimal); `weights` (default all 1) are the caller's vega/spread weights of
 * the squared total-variance residuals; a zero weight leaves the quote out of the fit.
 *
 * @category model
 * @since 0.1.0
 */
export interface SviSliceInput {
  /** Log-moneyness `k = ln(K/F)`. */
  readonly k: Float64Array
  /** Total implied variance `σ²T` (or give `vols`). */
  readonly w?: Float64Array
  /** Implied vols, decimal (used when `w` is absent). */
  readonly vols?: Float64Array
  /** Time to expiry, years (> 0). */
  readonly expiry: number
  /** Non-negative weights of the squared total-variance residuals. */
  readonly weights?: Float64Array
  /** Overrides of {@link defaultSviFitOptions}. */
  readonly options?: Partial<SviFitOptions>
}

/**
 * Result of {@link fitSviSlice}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SviSliceFit {
  /** Fitted raw SVI parameters. */
  readonly params: SviParams
  /** Minimum of Durrleman's g over the check grid (≥ 0 when butterfly is enforced). */
  readonly minDurrlemanG: number
  /** Where that minimum is. */
  readonly kAtMinG: number
  /** Whether the unconstrained optimum violated g ≥ 0 and was repaired. */
  readonly butterflyRepaired: boolean
  /** `b(1 + |ρ|)`, the steeper wing slope (≤ `maxWingSlope`). */
  readonly leeSlope: number
  /** RMSE of fitted vs input vol over the quotes kept in the fit, decimal. */
  readonly rmseVol: number
  /** RMSE in total variance over the quotes kept in the fit. */
  readonly rmseTotalVariance: number
  /** Fitted total variance at every input `k`. */
  readonly fittedTotalVariance: Float64Array
  /** Final robust multiplier of each quote's weight (0 = excluded, 1 = full weight). */
  readonly robustWeights: Float64Array
  /** Quotes left out of the fit (zero weight or rejected), with the reason. */
  readonly excluded: readonly { readonly index: number; readonly reason: string }[]
  /** Inner least-squares solves used. */
  readonly evaluations: number
  /** Free-text notes (repairs, rejections). */
  readonly notes: readonly string[]
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/**
 * Raw SVI total variance, positional kernel: `a + b(ρ(k − m) + √((k − m)² + σ²))`.
 * No checks: NaN in, NaN out. Exact to a few ulps (one `sqrt`, no cancellation for `|ρ| < 1`).
 *
 * Reference: Gatheral (2004), "A parsimonious arbitrage-free implied volatility
 * parameterization", eq. (1); Gatheral & Jacquier (2014), eq. (3.1).
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviTotalVarianceUnsafe = (a: number, b: number, rho: number, m: number, sigma: number, k: number): number => {
  const x = k - m
  return a + b * (rho * x + Math.sqrt(x * x + sigma * sigma))
}

/**
 * Raw SVI total variance `w(k)` for parameters `p` (see {@link SviParams}).
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviTotalVariance = (p: SviParams, k: number): number => sviTotalVarianceUnsafe(p.a, p.b, p.rho, p.m, p.sigma, k)

/**
 * Evaluates `w(k_i)` for every `k_i` into `out` (allocated when absent) and returns `out`.
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviEvaluate = (p: SviParams, k: Float64Array, out: Float64Array = new Float64Array(k.length)): Float64Array => {
  const { a, b, rho, m, sigma } = p
  const s2 = sigma * sigma
  for (let i = 0; i < k.length; i++) {
    const x = k[i] - m
    out[i] = a + b * (rho * x + Math.sqrt(x * x + s2))
  }
  return out
}

/**
 * Writes `[w(k), w'(k), w''(k)]` into `out[0..2]` and returns `out`:
 * `w' = b(ρ + x/R)`, `w'' = bσ²/R³` with `x = k − m`, `R = √(x² + σ²)`.
 *
 * Verified by spec/surface/svi.spec.ts (against central finite differences).
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviDerivatives = (p: SviParams, k: number, out: Float64Array): Float64Array => {
  const x = k - p.m
  const s2 = p.sigma * p.sigma
  const R = Math.sqrt(x * x + s2)
  out[0] = p.a + p.b * (p.rho * x + R)
  out[1] = p.b * (p.rho + x / R)
  out[2] = (p.b * s2) / (R * R * R)
  return out
}

/**
 * Durrleman's function from a slice's total variance and its first two k-derivatives:
 *
 * `g(k) = (1 − k w'/(2w))² − (w'²/4)(1/w + 1/4) + w''/2`.
 *
 * The risk-neutral density of the slice is `p(k) = g(k)/√(2πw) · exp(−d₋²/2)`, so `g ≥ 0`
 * everywhere ⇔ no butterfly arbitrage (given `w > 0` and `d₊ → −∞` as `k → ∞`).
 * Returns NaN when `w ≤ 0`.
 *
 * Reference: Gatheral & Jacquier (2014), "Arbitrage-free SVI volatility surfaces",
 * *Quantitative Finance* 14(1), Lemma 2.1 / eq. (2.1).
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const durrlemanGFromDerivatives = (k: number, w: number, dw: number, d2w: number): number => {
  if (!(w > 0)) return NaN
  const t = 1 - (k * dw) / (2 * w)
  return t * t - ((dw * dw) / 4) * (1 / w + 0.25) + d2w / 2
}

/**
 * Durrleman's `g(k)` of a raw SVI slice (see {@link durrlemanGFromDerivatives}); NaN when
 * `w(k) ≤ 0`.
 *
 * Verified by spec/surface/svi.spec.ts (Gatheral–Jacquier's Axel Vogt example has min g < 0).
 *
 * @category kernels
 * @since 0.1.0
 */
export const durrlemanG = (p: SviParams, k: number): number => {
  const x = k - p.m
  const s2 = p.sigma * p.sigma
  const R = Math.sqrt(x * x + s2)
  const w = p.a + p.b * (p.rho * x + R)
  return durrlemanGFromDerivatives(k, w, p.b * (p.rho + x / R), (p.b * s2) / (R * R * R))
}

const GRID_SIZE = 801

/**
 * The grid on which butterfly freedom is checked and enforced, for a slice fitted on
 * `[kMin, kMax]`: with `R = 64 · max(kMax − kMin, 1)`, 801 nodes `k = m + σ sinh(u)` with `u`
 * uniform between `asinh((min(kMin, m) − R − m)/σ)` and `asinh((max(kMax, m) + R − m)/σ)`,
 * sorted. The spacing is ≈ σ/12 near `m` (where `w''` lives) and grows in proportion to
 * `|k − m|` in the wings (where every SVI quantity varies on that scale), out to `|k| ≈ 64`
 * (strikes beyond `e^{±64} F` are ignored). Beyond that, `g → 1/4 − s²/16 > 0` for wing slopes
 * `s = b(1 ± ρ) < 2`.
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const sviButterflyGrid = (p: SviParams, kMin: number, kMax: number): Float64Array =>
  fillButterflyGrid(p.m, p.sigma, kMin, kMax, new Float64Array(GRID_SIZE))

const fillButterflyGrid = (m: number, sigma: number, kMin: number, kMax: number, out: Float64Array): Float64Array => {
  const R = 64 * Math.max(kMax - kMin, 1)
  const uLo = Math.asinh((Math.min(kMin, m) - R - m) / sigma)
  const uHi = Math.asinh((Math.max(kMax, m) + R - m) / sigma)
  const N = out.length - 1
  for (let i = 0; i <= N; i++) out[i] = m + sigma * Math.sinh(uLo + ((uHi - uLo) * i) / N)
  return out
}

/** g at k for raw parameters; −∞ where w ≤ 0 or the result is NaN. */
const gAt = (a: number, b: number, rho: number, m: number, s2: number, k: number): number => {
  const x = k - m
  const R = Math.sqrt(x * x + s2)
  const w = a + b * (rho * x + R)
  if (!(w > 0)) return -Infinity
  const dw = b * (rho + x / R)
  const t = 1 - (k * dw) / (2 * w)
  const g = t * t - ((dw * dw) / 4) * (1 / w + 0.25) + (b * s2) / (2 * R * R * R)
  return g === g ? g : -Infinity
}

const INV_PHI = (Math.sqrt(5) - 1) / 2

/**
 * Min of g over a sorted grid; with `refine`, every grid-local minimum below 0.05 is refined by
 * golden-section search on its two neighbouring intervals, so dips between nodes are found.
 */
const minGOnGrid = (p: SviParams, grid: Float64Array, refine: boolean, at?: { k: number }): number => {
  const { a, b, rho, m } = p
  const s2 = p.sigma * p.sigma
  const n = grid.length
  let minG = Infinity
  let kAt = NaN
  let gPrev = -Infinity
  let gCur = gAt(a, b, rho, m, s2, grid[0])
  for (let i = 0; i < n; i++) {
    const gNext = i + 1 < n ? gAt(a, b, rho, m, s2, grid[i + 1]) : Infinity
    if (gCur === -Infinity) {
      if (at !== undefined) at.k = grid[i]
      return -Infinity
    }
    if (gCur < minG) {
      minG = gCur
      kAt = grid[i]
    }
    if (refine && gCur < 0.05 && gCur <= gPrev && gCur <= gNext && i > 0 && i + 1 < n) {
      // golden section on [k_{i-1}, k_{i+1}]
      let lo = grid[i - 1]
      let hi = grid[i + 1]
      let x1 = hi - INV_PHI * (hi - lo)
      let x2 = lo + INV_PHI * (hi - lo)
      let f1 = gAt(a, b, rho, m, s2, x1)
      let f2 = gAt(a, b, rho, m, s2, x2)
      for (let it = 0; it < 40; it++) {
        if (f1 < f2) {
          hi = x2
          x2 = x1
          f2 = f1
          x1 = hi - INV_PHI * (hi - lo)
          f1 = gAt(a, b, rho, m, s2, x1)
        } else {
          lo = x1
          x1 = x2
          f1 = f2
          x2 = lo + INV_PHI * (hi - lo)
          f2 = gAt(a, b, rho, m, s2, x2)
        }
      }
      const fm = Math.min(f1, f2)
      if (fm < minG) {
        minG = fm
        kAt = f1 < f2 ? x1 : x2
      }
    }
    gPrev = gCur
    gCur = gNext
  }
  if (at !== undefined) at.k = kAt
  return minG
}

/**
 * Minimum of Durrleman's `g` over the sorted `grid` (default: {@link sviButterflyGrid} over
 * `[−1, 1]`) and where it occurs; every grid-local minimum below 0.05 is refined by
 * golden-section search between its neighbours (40 steps), so a dip narrower than the grid
 * spacing is still found. A non-positive `w` gives `−∞`.
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const sviMinDurrlemanG = (p: SviParams, grid?: Float64Array): { readonly minG: number; readonly kAtMin: number } => {
  const at = { k: NaN }
  const minG = minGOnGrid(p, grid ?? sviButterflyGrid(p, -1, 1), true, at)
  return { minG, kAtMin: at.k }
}

// -------------------------------------------------------------------------------------
// calibration
// -------------------------------------------------------------------------------------

// Inner problem in p = (a, d, c): rows of C p ≤ h are −a ≤ 0, a ≤ a_max, d − c ≤ 0, −d − c ≤ 0,
// d + c ≤ Sσ, −d + c ≤ Sσ (Zeliade 2009, §3, with the wing-slope bound S in total variance).
const QP_WS = createQpWorkspace(3, 6)
const QP_C = Float64Array.of(-1, 0, 0, 1, 0, 0, 0, 1, -1, 0, -1, -1, 0, 1, 1, 0, -1, 1)
const QP_G = new Float64Array(9)
const QP_R = new Float64Array(3)
const QP_H = new Float64Array(6)
const QP_X = new Float64Array(3)

interface Work {
  readonly n: number
  readonly k: Float64Array
  readonly w: Float64Array
  /** Fit weight of each quote (0 = not in the fit). */
  readonly fw: Float64Array
  readonly y: Float64Array
  readonly z: Float64Array
  amax: number
  readonly slope: number
  evals: number
  a: number
  d: number
  c: number
}

/** Quasi-explicit inner step: exact constrained weighted LS in (a, d, c) for fixed (m, σ); returns the SSE. */
const innerSolve = (work: Work, m: number, sigma: number): number => {
  work.evals++
  const { n, k, w, fw, y, z } = work
  let s1 = 0
  let sy = 0
  let sz = 0
  let syy = 0
  let syz = 0
  let szz = 0
  let sw = 0
  let syw = 0
  let szw = 0
  const inv = 1 / sigma
  for (let i = 0; i < n; i++) {
    const o = fw[i]
    if (o === 0) continue
    const yi = (k[i] - m) * inv
    const zi = Math.sqrt(yi * yi + 1)
    y[i] = yi
    z[i] = zi
    const oy = o * yi
    const oz = o * zi
    const wi = w[i]
    s1 += o
    sy += oy
    sz += oz
    syy += oy * yi
    syz += oy * zi
    szz += oz * zi
    sw += o * wi
    syw += oy * wi
    szw += oz * wi
  }
  QP_G[0] = s1
  QP_G[1] = sy
  QP_G[2] = sz
  QP_G[3] = sy
  QP_G[4] = syy
  QP_G[5] = syz
  QP_G[6] = sz
  QP_G[7] = syz
  QP_G[8] = szz
  QP_R[0] = sw
  QP_R[1] = syw
  QP_R[2] = szw
  QP_H[0] = 0
  QP_H[1] = work.amax
  QP_H[2] = 0
  QP_H[3] = 0
  QP_H[4] = work.slope * sigma
  QP_H[5] = work.slope * sigma
  if (!unconstrained3(sigma, work.amax, work.slope)) {
    const f = solveSmallQp(QP_WS, QP_G, QP_R, QP_C, QP_H, QP_X)
    if (Number.isNaN(f)) return Infinity
  }
  const a = QP_X[0]
  const d = QP_X[1]
  const c = QP_X[2]
  work.a = a
  work.d = d
  work.c = c
  let sse = 0
  for (let i = 0; i < n; i++) {
    const o = fw[i]
    if (o === 0) continue
    const r = a + d * y[i] + c * z[i] - w[i]
    sse += o * r * r
  }
  return sse
}

/**
 * Fast path: the unconstrained 3 × 3 normal equations by Cholesky; writes QP_X and returns true
 * when the solution lies strictly inside the domain (then it is the constrained optimum too).
 */
const unconstrained3 = (sigma: number, amax: number, slope: number): boolean => {
  const g00 = QP_G[0]
  const g01 = QP_G[1]
  const g02 = QP_G[2]
  const g11 = QP_G[4]
  const g12 = QP_G[5]
  const g22 = QP_G[8]
  if (!(g00 > 0)) return false
  const l00 = Math.sqrt(g00)
  const l10 = g01 / l00
  const l20 = g02 / l00
  const t11 = g11 - l10 * l10
  if (!(t11 > 1e-13 * g11)) return false
  const l11 = Math.sqrt(t11)
  const l21 = (g12 - l20 * l10) / l11
  const t22 = g22 - l20 * l20 - l21 * l21
  if (!(t22 > 1e-13 * g22)) return false
  const l22 = Math.sqrt(t22)
  const z0 = QP_R[0] / l00
  const z1 = (QP_R[1] - l10 * z0) / l11
  const z2 = (QP_R[2] - l20 * z0 - l21 * z1) / l22
  const c = z2 / l22
  const d = (z1 - l21 * c) / l11
  const a = (z0 - l10 * d - l20 * c) / l00
  const lim = slope * sigma
  if (!(a > 0 && a < amax && Math.abs(d) < c && Math.abs(d) < lim - c)) return false
  QP_X[0] = a
  QP_X[1] = d
  QP_X[2] = c
  return true
}

/** (a, d, c) at (m, σ) → raw SVI, with |ρ| ≤ 1 and b(1 + |ρ|) ≤ S made exact. */
const toRaw = (a: number, d: number, c: number, m: number, sigma: number, slope: number): SviParams => {
  let cc = Math.max(c, 0)
  let dd = Math.max(-cc, Math.min(cc, d))
  const excess = (cc + Math.abs(dd)) / (slope * sigma)
  if (excess > 1) {
    cc /= excess
    dd /= excess
  }
  const b = cc / sigma
  const rho = cc > 0 ? Math.max(-1, Math.min(1, dd / cc)) : 0
  return { a: Math.max(a, 0), b, rho, m, sigma }
}

interface OuterResult {
  m: number
  sigma: number
  sse: number
}

/**
 * Outer search over (m, ln σ): optionally a deterministic grid (its two best nodes seed
 * Nelder–Mead), optionally a warm start; `tight` runs to 1e-12 with a restart, else to 1e-7.
 */
const outerSearch = (work: Work, kMin: number, kMax: number, opts: SviFitOptions, grid: boolean, warm: OuterResult | undefined, tight: boolean): OuterResult => {
  const span = Math.max(kMax - kMin, 1e-3)
  const mLo = kMin - 2 * span
  const mHi = kMax + 2 * span
  const lsLo = Math.log(span * 1e-4)
  const lsHi = Math.log(span * 20)
  const objective = (x: Float64Array): number => {
    if (!(x[0] >= mLo && x[0] <= mHi && x[1] >= lsLo && x[1] <= lsHi)) return Infinity
    return innerSolve(work, x[0], Math.exp(x[1]))
  }
  const seeds: OuterResult[] = []
  const gm = opts.gridM
  const gs = opts.gridSigma
  const gLo = Math.log(span * 0.003)
  const gHi = Math.log(span * 1.5)
  const dm = Math.max(gm > 1 ? (kMax - kMin) / (gm - 1) : span, 1e-3)
  const dls = gs > 1 ? (gHi - gLo) / (gs - 1) : 1
  if (warm !== undefined) seeds.push({ m: warm.m, sigma: warm.sigma, sse: innerSolve(work, warm.m, warm.sigma) })
  if (grid) {
    let b1: OuterResult = { m: NaN, sigma: NaN, sse: Infinity }
    let b2: OuterResult = { m: NaN, sigma: NaN, sse: Infinity }
    for (let i = 0; i < gm; i++) {
      const m = gm > 1 ? kMin + ((kMax - kMin) * i) / (gm - 1) : 0.5 * (kMin + kMax)
      for (let j = 0; j < gs; j++) {
        const sigma = Math.exp(gs > 1 ? gLo + dls * j : Math.log(span * 0.1))
        const sse = innerSolve(work, m, sigma)
        if (sse < b1.sse) {
          b2 = b1
          b1 = { m, sigma, sse }
        } else if (sse < b2.sse) b2 = { m, sigma, sse }
      }
    }
    seeds.push(b1)
    if (Number.isFinite(b2.sse)) seeds.push(b2)
  }
  const stepM = grid ? 0.5 * dm : 0.1 * dm
  const stepS = grid ? 0.5 * dls : 0.1 * dls
  let best: OuterResult = { m: NaN, sigma: NaN, sse: Infinity }
  for (const s of seeds) {
    if (!Number.isFinite(s.sse)) continue
    const x0 = Float64Array.of(s.m, Math.log(s.sigma))
    let r = nelderMead(objective, x0, { step: Float64Array.of(stepM, stepS), xTolerance: tight ? 1e-11 : 1e-7, maxEvaluations: tight ? 400 : 200 })
    if (tight) {
      // restart from the optimum: guards against a collapsed simplex
      r = nelderMead(objective, r.x, { step: Float64Array.of(0.1 * stepM, 0.1 * stepS), xTolerance: 1e-12, maxEvaluations: 300 })
    }
    if (r.f < best.sse) best = { m: r.x[0], sigma: Math.exp(r.x[1]), sse: r.f }
  }
  if (!Number.isFinite(best.sse) && seeds.length > 0) best = seeds[0]
  return best
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((p, q) => p - q)
  const h = s.length >> 1
  return s.length % 2 === 1 ? s[h] : 0.5 * (s[h - 1] + s[h])
}

const weightedSse = (p: SviParams, work: Work): number => {
  let sse = 0
  for (let i = 0; i < work.n; i++) {
    const o = work.fw[i]
    if (o === 0) continue
    const r = sviTotalVarianceUnsafe(p.a, p.b, p.rho, p.m, p.sigma, work.k[i]) - work.w[i]
    sse += o * r * r
  }
  return sse
}

/**
 * Butterfly repair: bisection towards a flat smile with the same total variance at k₀ (g ≡ 1
 * there), then a 5-parameter Nelder–Mead polish of the weighted SSE with g ≥ 0 on the check
 * grid as a barrier, then a bisection back towards the safe point if the refined check fails.
 * The returned parameters always pass the refined check on their own grid.
 */
const repairButterfly = (p: SviParams, work: Work, kMin: number, kMax: number, slope: number): SviParams => {
  const grid = new Float64Array(GRID_SIZE)
  fillButterflyGrid(p.m, p.sigma, kMin, kMax, grid)
  const k0 = Math.min(Math.max(0, kMin), kMax)
  const w0 = sviTotalVariance(p, k0)
  const x0 = k0 - p.m
  const q0 = p.rho * x0 + Math.sqrt(x0 * x0 + p.sigma * p.sigma)
  const shrink = (lambda: number): SviParams => {
    const b = (1 - lambda) * p.b
    return { a: w0 - b * q0, b, rho: p.rho, m: p.m, sigma: p.sigma }
  }
  let lo = 0
  let hi = 1
  for (let it = 0; it < 50 && hi - lo > 1e-12; it++) {
    const mid = 0.5 * (lo + hi)
    if (minGOnGrid(shrink(mid), grid, true) >= 0) hi = mid
    else lo = mid
  }
  const safe = shrink(hi)
  const span = Math.max(kMax - kMin, 1e-3)
  const own = new Float64Array(GRID_SIZE)
  const objective = (x: Float64Array): number => {
    const b = x[1]
    const rho = x[2]
    const sigma = Math.exp(x[4])
    if (!(b >= 0 && rho >= -1 && rho <= 1 && b * (1 + Math.abs(rho)) <= slope)) return Infinity
    if (!(x[0] + b * sigma * Math.sqrt(1 - rho * rho) > 0)) return Infinity
    const q: SviParams = { a: x[0], b, rho, m: x[3], sigma }
    fillButterflyGrid(q.m, q.sigma, kMin, kMax, own)
    if (!(minGOnGrid(q, own, false) >= 0)) return Infinity
    return weightedSse(q, work)
  }
  const start = Float64Array.of(safe.a, safe.b, safe.rho, safe.m, Math.log(safe.sigma))
  const step = Float64Array.of(0.05 * Math.max(w0, 1e-6), 0.05 * Math.max(safe.b, 1e-3), 0.02, 0.05 * span, 0.1)
  let r = nelderMead(objective, start, { step, xTolerance: 1e-9, maxEvaluations: 700 })
  work.evals += r.evaluations
  r = nelderMead(objective, r.x, { step: step.map((v) => 0.1 * v), xTolerance: 1e-10, maxEvaluations: 300 })
  work.evals += r.evaluations
  if (!Number.isFinite(r.f)) return safe
  const polished: SviParams = { a: r.x[0], b: r.x[1], rho: r.x[2], m: r.x[3], sigma: Math.exp(r.x[4]) }
  if (minGOnGrid(polished, sviButterflyGrid(polished, kMin, kMax), true) >= 0) return polished
  // a dip between grid nodes: move back towards the verified safe point until it is gone
  const mix = (t: number): SviParams => ({
    a: polished.a + t * (safe.a - polished.a),
    b: polished.b + t * (safe.b - polished.b),
    rho: polished.rho + t * (safe.rho - polished.rho),
    m: polished.m + t * (safe.m - polished.m),
    sigma: polished.sigma + t * (safe.sigma - polished.sigma),
  })
  lo = 0
  hi = 1
  for (let it = 0; it < 40; it++) {
    const mid = 0.5 * (lo + hi)
    const q = mix(mid)
    if (minGOnGrid(q, sviButterflyGrid(q, kMin, kMax), true) >= 0) hi = mid
    else lo = mid
  }
  const out = mix(hi)
  return minGOnGrid(out, sviButterflyGrid(out, kMin, kMax), true) >= 0 ? out : safe
}

const resolveOptions = (o: Partial<SviFitOptions> | undefined): SviFitOptions => ({ ...defaultSviFitOptions, ...o })

const checkArray = (name: string, a: Float64Array | undefined, n: number): InvalidInput | undefined => {
  if (a === undefined) return undefined
  if (a.length !== n) return invalidInput(name, `length ${a.length}`, `must have the length of k (${n})`)
  return undefined
}

/**
 * Calibrates one raw SVI slice to total variances by the quasi-explicit method, robustly and
 * free of butterfly arbitrage.
 *
 * **Method.** With `y = (k − m)/σ` the slice is `w = a + d·y + c·√(y² + 1)` where `c = bσ`,
 * `d = ρbσ` (Zeliade 2009, eq. (3.1)). For fixed `(m, σ)` the weighted least-squares problem in
 * `(a, d, c)` is a convex QP over the polytope `0 ≤ a ≤ max wᵢ`, `|d| ≤ c`, `|d| ≤ Sσ − c`
 * (Zeliade's domain D, eq. (3.3), with the wing-slope bound `S` = `maxWingSlope`, default 2:
 * `b(1 + |ρ|) ≤ 2`, Lee's moment bound in total-variance form), solved exactly by active-set
 * enumeration ({@link solveSmallQp}). The outer problem in `(m, σ)` is searched on a
 * deterministic `gridM × gridSigma` grid (m on the data range, σ log-spaced over
 * `[0.003, 1.5] × (k_max − k_min)`) and refined by Nelder–Mead from the two best nodes
 * (De Marco & Martini 2009).
 *
 * **Robustness.** Residuals are measured in vol, `eᵢ = √(w_fit/T) − volᵢ`, standardised by the
 * normalised weight, `uᵢ = eᵢ √ωᵢ`; the robust scale is `s = max(1.4826·median|u|, scaleFloorVol)`.
 * Each round re-weights by Huber's `min(1, c·s/|uᵢ|)` and rejects the single worst quote when
 * `|uᵢ| > rejectThreshold · s` (at most `maxExcludedShare` of the quotes, never below
 * `minQuotes`); rejected quotes are listed in `excluded` with the reason.
 *
 * **Butterfly.** If min g < 0 on {@link sviButterflyGrid}, the slice is bisected towards a flat
 * smile with the same total variance at k = 0 (g ≡ 1) until g ≥ 0, then polished by a
 * 5-parameter Nelder–Mead with g ≥ 0 on the grid as a barrier; the result always has
 * `minDurrlemanG ≥ 0` on its own check grid.
 *
 * **Edges.** Needs `minQuotes` quotes with positive weight; `k` finite, `w` (or vol) finite and
 * > 0, `expiry` > 0, weights finite and ≥ 0, else `InvalidInput`. Deterministic: no randomness,
 * fixed iteration orders, so equal inputs give bit-identical parameters.
 *
 * References: Zeliade Systems (2009), "Quasi-explicit calibration of Gatheral's SVI model",
 * §3; De Marco & Martini (2009); Lee (2004), "The moment formula for implied volatility at
 * extreme strikes", Thm 3.2; Gatheral & Jacquier (2014), eq. (2.1); Huber (1964).
 * Verified by spec/surface/svi.spec.ts and spec/surface/sviProperties.spec.ts.
 *
 * @category calibration
 * @since 0.1.0
 */
export const fitSviSlice = (input: SviSliceInput): E.Either<SviFitError, SviSliceFit> => {
  const opts = resolveOptions(input.options)
  const { k, expiry: T } = input
  const n = k.length
  if (!(Number.isFinite(T) && T > 0)) return E.left(invalidInput('expiry', T, 'must be a finite number in (0, ∞)'))
  const bad = checkArray('w', input.w, n) ?? checkArray('vols', input.vols, n) ?? checkArray('weights', input.weights, n)
  if (bad !== undefined) return E.left(bad)
  if (input.w === undefined && input.vols === undefined) return E.left(invalidInput('w', undefined, 'give w or vols'))
  const w = new Float64Array(n)
  const vol = new Float64Array(n)
  const omega = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(k[i])) return E.left(invalidInput(`k.${i}`, k[i], 'must be a finite number'))
    const wi = input.w !== undefined ? input.w[i] : input.vols![i] * input.vols![i] * T
    if (!(Number.isFinite(wi) && wi > 0)) {
      return E.left(invalidInput(input.w !== undefined ? `w.${i}` : `vols.${i}`, input.w !== undefined ? input.w[i] : input.vols![i], 'must be a finite number in (0, ∞)'))
    }
    w[i] = wi
    vol[i] = Math.sqrt(wi / T)
    const oi = input.weights === undefined ? 1 : input.weights[i]
    if (!(Number.isFinite(oi) && oi >= 0)) return E.left(invalidInput(`weights.${i}`, oi, 'must be a finite number in [0, ∞)'))
    omega[i] = oi
  }
  const excluded: { index: number; reason: string }[] = []
  let usable = 0
  let oSum = 0
  for (let i = 0; i < n; i++) {
    if (omega[i] > 0) {
      usable++
      oSum += omega[i]
    } else excluded.push({ index: i, reason: 'zero weight' })
  }
  const minQ = Math.max(3, opts.minQuotes)
  if (usable < minQ) return E.left({ _tag: 'TooFewQuotes', needed: minQ, got: usable, message: `SVI slice needs ${minQ} quotes with positive weight, got ${usable}` })
  for (let i = 0; i < n; i++) omega[i] = (omega[i] * usable) / oSum
  const notes: string[] = []
  const rw = new Float64Array(n) // robust multiplier
  const fw = new Float64Array(n)
  let kMin = Infinity
  let kMax = -Infinity
  let amax = 0
  for (let i = 0; i < n; i++) {
    if (omega[i] === 0) continue
    rw[i] = 1
    fw[i] = omega[i]
    kMin = Math.min(kMin, k[i])
    kMax = Math.max(kMax, k[i])
    amax = Math.max(amax, w[i])
  }
  const work: Work = {
    n,
    k,
    w,
    fw,
    y: new Float64Array(n),
    z: new Float64Array(n),
    amax,
    slope: opts.maxWingSlope,
    evals: 0,
    a: 0,
    d: 0,
    c: 0,
  }
  let best = outerSearch(work, kMin, kMax, opts, true, undefined, !opts.robust)
  const rawAt = (r: OuterResult): SviParams => {
    innerSolve(work, r.m, r.sigma)
    return toRaw(work.a, work.d, work.c, r.m, r.sigma, opts.maxWingSlope)
  }
  let params = rawAt(best)
  if (opts.robust) {
    const maxRejected = Math.min(Math.floor(opts.maxExcludedShare * usable), usable - minQ)
    let rejected = 0
    const absU: number[] = []
    const fitted = new Float64Array(n)
    const rounds = opts.maxRobustIterations + Math.max(maxRejected, 0)
    for (let round = 0; round < rounds; round++) {
      sviEvaluate(params, k, fitted)
      absU.length = 0
      const u = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        if (rw[i] === 0 && omega[i] === 0) continue
        if (rw[i] === 0) continue
        u[i] = (Math.sqrt(Math.max(fitted[i], 0) / T) - vol[i]) * Math.sqrt(omega[i])
        absU.push(Math.abs(u[i]))
      }
      const s = Math.max(1.4826 * median(absU), opts.scaleFloorVol)
      let worst = -1
      let worstU = opts.rejectThreshold * s
      if (rejected < maxRejected) {
        for (let i = 0; i < n; i++) {
          if (rw[i] !== 0 && Math.abs(u[i]) > worstU) {
            worstU = Math.abs(u[i])
            worst = i
          }
        }
      }
      let change = 0
      for (let i = 0; i < n; i++) {
        if (rw[i] === 0) continue
        const h = i === worst ? 0 : Math.min(1, (opts.huberC * s) / Math.abs(u[i]))
        change = Math.max(change, Math.abs(h - rw[i]))
        rw[i] = h
        fw[i] = omega[i] * h
      }
      if (worst >= 0) {
        rejected++
        const e = u[worst] / Math.sqrt(omega[worst])
        excluded.push({
          index: worst,
          reason: `residual ${(100 * e).toFixed(2)} vol points is ${(Math.abs(u[worst]) / s).toFixed(1)} robust scales (limit ${opts.rejectThreshold})`,
        })
        notes.push(`rejected quote ${worst} (k = ${k[worst].toPrecision(6)})`)
        work.amax = 0
        for (let i = 0; i < n; i++) if (rw[i] !== 0) work.amax = Math.max(work.amax, w[i])
      }
      if (worst < 0 && change < 1e-6) break
      best = outerSearch(work, kMin, kMax, opts, worst >= 0, best, false)
      params = rawAt(best)
    }
    best = outerSearch(work, kMin, kMax, opts, false, best, true)
    params = rawAt(best)
  }
  let gmin = sviMinDurrlemanG(params, sviButterflyGrid(params, kMin, kMax))
  let repaired = false
  if (opts.enforceButterfly && !(gmin.minG >= 0)) {
    notes.push(`butterfly repair: unconstrained min g = ${gmin.minG.toExponential(3)} at k = ${gmin.kAtMin.toPrecision(4)}`)
    params = repairButterfly(params, work, kMin, kMax, opts.maxWingSlope)
    gmin = sviMinDurrlemanG(params, sviButterflyGrid(params, kMin, kMax))
    repaired = true
  }
  const fittedTotalVariance = sviEvaluate(params, k)
  let sv = 0
  let sw2 = 0
  let cnt = 0
  for (let i = 0; i < n; i++) {
    if (rw[i] === 0) continue
    const dv = Math.sqrt(Math.max(fittedTotalVariance[i], 0) / T) - vol[i]
    const dwv = fittedTotalVariance[i] - w[i]
    sv += dv * dv
    sw2 += dwv * dwv
    cnt++
  }
  excluded.sort((p, q) => p.index - q.index)
  return E.right({
    params,
    minDurrlemanG: gmin.minG,
    kAtMinG: gmin.kAtMin,
    butterflyRepaired: repaired,
    leeSlope: params.b * (1 + Math.abs(params.rho)),
    rmseVol: Math.sqrt(sv / cnt),
    rmseTotalVariance: Math.sqrt(sw2 / cnt),
    fittedTotalVariance,
    robustWeights: rw,
    excluded,
    evaluations: work.evals,
    notes,
  })
}
