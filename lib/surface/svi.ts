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
 *   // options (defaultSviFitOptions): maxWingSlope 2, robust, huberC 1.345, rejectThreshold 5,
 *   //   scaleFloorVol 0.002, maxExcludedShare 0.2, minQuotes 5, gridM 11, gridSigma 8,
 *   //   enforceButterfly, levelBound 'positiveMinimum' | 'zero'
 * refitSviConstrained({ start, k, w, weights?, kMin, kMax, floor?, maxWingSlope? })
 *   : { params, feasible, evaluations }                          // g ≥ 0 (+ optional floor w ≥ floor)
 * solveSviInnerQp(G, r, aMax, S, out): number                     // exact inner step, Zeliade domain
 * ```
 *
 * SSVI lives in `ssvi.ts` (`fitSsvi`, `ssviTotalVariance`, `ssviToSvi`, `ssviArbitrageMargins`,
 * `ssviFitTotalVariance`), calendar checks and repair in `arbitrage.ts` (`calendarViolations`,
 * `calendarGrid`, `repairCalendarSvi`). Methodology: docs/methodology/surface.md.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createQpWorkspace, solveSmallQp } from '../core/leastSquares.js'
import { levenbergMarquardt } from '../core/levenbergMarquardt.js'
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
  /**
   * Lower bound of the level `a`: `'zero'` is Zeliade's domain `a ≥ 0`; `'positiveMinimum'`
   * (default) allows `a < 0` subject to `a + c·L(d/c) ≥ 0` with `L` the piecewise-linear
   * interpolant of `√(1 − t²)` at `t ∈ {0, ±0.5, ±0.8, ±1}` (6 linear rows), which implies
   * `min_k w = a + √(c² − d²) ≥ 0`. Real smiles often need `a < 0`.
   */
  readonly levelBound: 'zero' | 'positiveMinimum'
}

/**
 * Default {@link SviFitOptions}: Lee slope 2, Huber `c = 1.345`, rejection at 5 robust scales,
 * scale floor 0.2 vol points, at most 20% rejected, 5 quotes minimum, 6 robust rounds,
 * an 11 × 8 outer grid, butterfly enforced, level bound `'positiveMinimum'` (non-negative minimum).
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
  gridM: 11,
  gridSigma: 8,
  enforceButterfly: true,
  levelBound: 'positiveMinimum',
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
export const sviTotalVarianceUnsafe = (
  a: number,
  b: number,
  rho: number,
  m: number,
  sigma: number,
  k: number,
): number => {
  const x = k - m
  return a + b * (rho * x + Math.sqrt(x * x + sigma * sigma))
}

/**
 * Raw SVI total variance `w(k) = a + b(ρ(k − m) + √((k − m)² + σ²))` (Gatheral 2004; Gatheral &
 * Jacquier 2014, eq. 3.1) for parameters `p` (see {@link SviParams}) at log-moneyness
 * `k = ln(K/F)`; `w = σ_implied²·T` (dimensionless). No domain check: parameters outside the SVI
 * constraints can give `w < 0`, and NaN in gives NaN out; the fitters guarantee their outputs.
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviTotalVariance = (p: SviParams, k: number): number =>
  sviTotalVarianceUnsafe(p.a, p.b, p.rho, p.m, p.sigma, k)

/**
 * Evaluates `w(k_i)` for every `k_i` into `out` (allocated when absent) and returns `out`.
 *
 * Verified by spec/surface/svi.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const sviEvaluate = (
  p: SviParams,
  k: Float64Array,
  out: Float64Array = new Float64Array(k.length),
): Float64Array => {
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

const fillButterflyGrid = (
  m: number,
  sigma: number,
  kMin: number,
  kMax: number,
  out: Float64Array,
): Float64Array => {
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
 * Example (Gatheral & Jacquier 2014, Example 3.1), from spec/surface/svi.spec.ts:
 * {@includeCode ../../spec/surface/svi.spec.ts#sviMinDurrlemanG}
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const sviMinDurrlemanG = (
  p: SviParams,
  grid?: Float64Array,
): { readonly minG: number; readonly kAtMin: number } => {
  const at = { k: NaN }
  const minG = minGOnGrid(p, grid ?? sviButterflyGrid(p, -1, 1), true, at)
  return { minG, kAtMin: at.k }
}

// -------------------------------------------------------------------------------------
// calibration
// -------------------------------------------------------------------------------------

// Face enumeration scratch: p = p0 + P v with up to 3 columns.
const F_P0 = new Float64Array(3)
const F_P = new Float64Array(9) // column j at [3j, 3j + 3)
const F_H = new Float64Array(9)
const F_B = new Float64Array(3)
const F_V = new Float64Array(3)
const F_GP0 = new Float64Array(3)
const F_X = new Float64Array(3)

// Outward normals (d, c) of the diamond's edges 1..4 (d − c ≤ 0, −d − c ≤ 0, d + c ≤ S, −d + c ≤ S)
const EDGE_N = Float64Array.of(0, 0, 1, -1, -1, -1, 1, 1, -1, 1)
// Edges meeting at vertices 5..8: (0, 0), (S/2, S/2), (S, 0), (S/2, −S/2) in (c, d)
const VERTEX_EDGES = Int32Array.of(1, 2, 1, 3, 3, 4, 2, 4)

/** Cholesky solve of the nv × nv system in F_H, F_B into F_V (nv ≤ 3); false if not positive definite. */
const chol3 = (nv: number): boolean => {
  const h = F_H
  if (nv === 0) return true
  const l00 = h[0] > 0 ? Math.sqrt(h[0]) : NaN
  if (!(l00 > 0)) return false
  if (nv === 1) {
    F_V[0] = F_B[0] / h[0]
    return true
  }
  const l10 = h[3] / l00
  const t11 = h[4] - l10 * l10
  if (!(t11 > 1e-14 * h[4])) return false
  const l11 = Math.sqrt(t11)
  const z0 = F_B[0] / l00
  const z1 = (F_B[1] - l10 * z0) / l11
  if (nv === 2) {
    F_V[1] = z1 / l11
    F_V[0] = (z0 - l10 * F_V[1]) / l00
    return true
  }
  const l20 = h[6] / l00
  const l21 = (h[7] - l20 * l10) / l11
  const t22 = h[8] - l20 * l20 - l21 * l21
  if (!(t22 > 1e-14 * h[8])) return false
  const l22 = Math.sqrt(t22)
  const z2 = (F_B[2] - l20 * z0 - l21 * z1) / l22
  F_V[2] = z2 / l22
  F_V[1] = (z1 - l21 * F_V[2]) / l11
  F_V[0] = (z0 - l10 * F_V[1] - l20 * F_V[2]) / l00
  return true
}

/**
 * Exact minimiser of the quasi-explicit inner problem
 * `min ½ pᵀGp − rᵀp` over `p = (a, d, c)` with `0 ≤ a ≤ aMax`, `|d| ≤ c`, `|d| ≤ S − c`
 * (Zeliade 2009, domain D of §3, `S = slope · σ`), with `G` (3 × 3, row-major) positive
 * definite. The domain is an interval times a square ("diamond") in `(c, d)`; the minimiser is
 * the feasible face-restricted minimiser of least objective over the 3 × 9 faces (interior,
 * 4 edges and 4 vertices of the diamond, times a free / at 0 / at aMax), each solved in closed
 * form by a ≤ 3 × 3 Cholesky; the interior candidate returns at once when it is strictly
 * feasible. Writes `p` into `out`, returns the objective, NaN when no face is solvable.
 *
 * Equivalent to the generic {@link solveSmallQp} (the test oracle), about 10× faster.
 * Verified by spec/surface/svi.spec.ts (against `solveSmallQp` on random problems).
 *
 * @category calibration
 * @since 0.1.0
 */
export const solveSviInnerQp = (
  G: Float64Array,
  r: Float64Array,
  aMax: number,
  S: number,
  out: Float64Array,
): number => {
  let best = Infinity
  const tolA = 1e-12 * (1 + aMax)
  const tolS = 1e-12 * (1 + S)
  for (let face = 0; face < 27; face++) {
    const aState = face % 3 // 0 free, 1 at 0, 2 at aMax
    const cd = (face - aState) / 3 // 0 interior, 1..4 edges, 5..8 vertices
    let nv = 0
    F_P0[0] = aState === 2 ? aMax : 0
    F_P0[1] = 0
    F_P0[2] = 0
    F_P.fill(0)
    if (aState === 0) F_P[3 * nv++] = 1
    if (cd === 0) {
      F_P[3 * nv + 1] = 1
      nv++
      F_P[3 * nv + 2] = 1
      nv++
    } else if (cd <= 4) {
      const alpha = cd === 3 ? S : cd === 4 ? -S : 0
      const beta = cd === 1 || cd === 4 ? 1 : -1
      F_P0[1] = alpha
      F_P[3 * nv + 1] = beta
      F_P[3 * nv + 2] = 1
      nv++
    } else {
      F_P0[1] = cd === 6 ? 0.5 * S : cd === 8 ? -0.5 * S : 0
      F_P0[2] = cd === 5 ? 0 : cd === 7 ? S : 0.5 * S
    }
    // reduced system H v = Pᵀ(r − G p0)
    for (let i = 0; i < 3; i++)
      F_GP0[i] = G[3 * i] * F_P0[0] + G[3 * i + 1] * F_P0[1] + G[3 * i + 2] * F_P0[2]
    for (let j = 0; j < nv; j++) {
      const pj0 = F_P[3 * j]
      const pj1 = F_P[3 * j + 1]
      const pj2 = F_P[3 * j + 2]
      F_B[j] = pj0 * (r[0] - F_GP0[0]) + pj1 * (r[1] - F_GP0[1]) + pj2 * (r[2] - F_GP0[2])
      for (let l = 0; l < nv; l++) {
        const pl0 = F_P[3 * l]
        const pl1 = F_P[3 * l + 1]
        const pl2 = F_P[3 * l + 2]
        F_H[3 * j + l] =
          pj0 * (G[0] * pl0 + G[1] * pl1 + G[2] * pl2) +
          pj1 * (G[3] * pl0 + G[4] * pl1 + G[5] * pl2) +
          pj2 * (G[6] * pl0 + G[7] * pl1 + G[8] * pl2)
      }
    }
    // the 3 × 3 layout of chol3 uses stride 3
    if (!chol3(nv)) continue
    const a =
      F_P0[0] +
      F_P[0] * (nv > 0 ? F_V[0] : 0) +
      F_P[3] * (nv > 1 ? F_V[1] : 0) +
      F_P[6] * (nv > 2 ? F_V[2] : 0)
    const d =
      F_P0[1] +
      F_P[1] * (nv > 0 ? F_V[0] : 0) +
      F_P[4] * (nv > 1 ? F_V[1] : 0) +
      F_P[7] * (nv > 2 ? F_V[2] : 0)
    const c =
      F_P0[2] +
      F_P[2] * (nv > 0 ? F_V[0] : 0) +
      F_P[5] * (nv > 1 ? F_V[1] : 0) +
      F_P[8] * (nv > 2 ? F_V[2] : 0)
    if (face === 0 && a > 0 && a < aMax && Math.abs(d) < c && Math.abs(d) < S - c) {
      out[0] = a
      out[1] = d
      out[2] = c
      return (
        0.5 *
          (a * (G[0] * a + G[1] * d + G[2] * c) +
            d * (G[3] * a + G[4] * d + G[5] * c) +
            c * (G[6] * a + G[7] * d + G[8] * c)) -
        (r[0] * a + r[1] * d + r[2] * c)
      )
    }
    if (a < -tolA || a > aMax + tolA || Math.abs(d) > c + tolS || Math.abs(d) > S - c + tolS) continue
    // KKT: a feasible face minimiser whose active-constraint multipliers are ≥ 0 is the optimum
    const ga = G[0] * a + G[1] * d + G[2] * c - r[0]
    const gd = G[3] * a + G[4] * d + G[5] * c - r[1]
    const gc = G[6] * a + G[7] * d + G[8] * c - r[2]
    const tolM =
      1e-10 * (Math.abs(r[0]) + Math.abs(r[1]) + Math.abs(r[2]) + Math.abs(ga) + Math.abs(gd) + Math.abs(gc))
    let kkt = aState === 0 || (aState === 1 ? ga >= -tolM : -ga >= -tolM)
    if (kkt && cd >= 1 && cd <= 4) kkt = -(gd * EDGE_N[2 * cd] + gc * EDGE_N[2 * cd + 1]) >= -tolM
    else if (kkt && cd >= 5) {
      const i = VERTEX_EDGES[2 * (cd - 5)]
      const j = VERTEX_EDGES[2 * (cd - 5) + 1]
      const n1d = EDGE_N[2 * i]
      const n1c = EDGE_N[2 * i + 1]
      const n2d = EDGE_N[2 * j]
      const n2c = EDGE_N[2 * j + 1]
      const det = n1d * n2c - n2d * n1c
      const mu1 = (-gd * n2c + n2d * gc) / det
      const mu2 = (-n1d * gc + gd * n1c) / det
      kkt = mu1 >= -tolM && mu2 >= -tolM
    }
    const f =
      0.5 *
        (a * (G[0] * a + G[1] * d + G[2] * c) +
          d * (G[3] * a + G[4] * d + G[5] * c) +
          c * (G[6] * a + G[7] * d + G[8] * c)) -
      (r[0] * a + r[1] * d + r[2] * c)
    if (kkt) {
      out[0] = a
      out[1] = d
      out[2] = c
      return f
    }
    if (f < best) {
      best = f
      F_X[0] = a
      F_X[1] = d
      F_X[2] = c
    }
  }
  if (best === Infinity) return NaN
  out[0] = F_X[0]
  out[1] = F_X[1]
  out[2] = F_X[2]
  return best
}

const QP_G = new Float64Array(9)
const QP_R = new Float64Array(3)
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
  readonly levelZero: boolean
  /** Sum the residuals explicitly (tight search) instead of the quadratic form. */
  exactSse: boolean
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
  let sww = 0
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
    sww += o * wi * wi
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
  const S = work.slope * sigma
  if (work.levelZero) {
    if (Number.isNaN(solveSviInnerQp(QP_G, QP_R, work.amax, S, QP_X))) return Infinity
  } else if (!shiftedLevelSolve(work.amax, S)) {
    QP_H7[0] = work.amax
    QP_H7[QP_M - 2] = S
    QP_H7[QP_M - 1] = S
    if (Number.isNaN(solveSmallQp(QP_WS7, QP_G, QP_R, QP_C7, QP_H7, QP_X))) return Infinity
  }
  const a = QP_X[0]
  const d = QP_X[1]
  const c = QP_X[2]
  work.a = a
  work.d = d
  work.c = c
  if (!work.exactSse) {
    // Σω(Xp − w)² = pᵀGp − 2rᵀp + Σωw²: no second pass; loses ~1e-16·Σωw² to cancellation, so
    // the tight final search uses the explicit residual sum below
    const gp0 = s1 * a + sy * d + sz * c
    const gp1 = sy * a + syy * d + syz * c
    const gp2 = sz * a + syz * d + szz * c
    return a * gp0 + d * gp1 + c * gp2 - 2 * (sw * a + syw * d + szw * c) + sww
  }
  let sse = 0
  for (let i = 0; i < n; i++) {
    const o = fw[i]
    if (o === 0) continue
    const r = a + d * y[i] + c * z[i] - w[i]
    sse += o * r * r
  }
  return sse
}

/** (a, d, c) at (m, σ) → raw SVI, with |ρ| ≤ 1 and b(1 + |ρ|) ≤ S made exact. */
// Domain with the non-negative-minimum level bound, rows of C p ≤ h in p = (a, d, c):
// a ≤ aMax; −a − α_i c − β_i d ≤ 0 for the chords c(α_i + β_i t) of c√(1 − t²), t = d/c, through
// t ∈ {−1, −0.8, −0.5, 0, 0.5, 0.8, 1} (a concave function lies above its chords, so these imply
// a + √(c² − d²) ≥ 0, i.e. min_k w ≥ 0); the diamond d − c ≤ 0, −d − c ≤ 0, d + c ≤ S, −d + c ≤ S.
const CHORD_T = [-1, -0.8, -0.5, 0, 0.5, 0.8, 1]
const CHORDS = (() => {
  const out: number[] = []
  for (let i = 0; i + 1 < CHORD_T.length; i++) {
    const t0 = CHORD_T[i]
    const t1 = CHORD_T[i + 1]
    const f0 = Math.sqrt(1 - t0 * t0)
    const f1 = Math.sqrt(1 - t1 * t1)
    const beta = (f1 - f0) / (t1 - t0)
    out.push(f0 - beta * t0, beta)
  }
  return Float64Array.from(out)
})()
const N_CHORDS = CHORDS.length / 2
const QP_M = 1 + N_CHORDS + 4
const QP_WS7 = createQpWorkspace(3, QP_M)
const QP_C7 = (() => {
  const c = new Float64Array(3 * QP_M)
  c[0] = 1
  for (let i = 0; i < N_CHORDS; i++) {
    c[3 * (1 + i)] = -1
    c[3 * (1 + i) + 1] = -CHORDS[2 * i + 1]
    c[3 * (1 + i) + 2] = -CHORDS[2 * i]
  }
  const diamond = [1, -1, -1, -1, 1, 1, -1, 1]
  for (let j = 0; j < 4; j++) {
    c[3 * (1 + N_CHORDS + j) + 1] = diamond[2 * j]
    c[3 * (1 + N_CHORDS + j) + 2] = diamond[2 * j + 1]
  }
  return c
})()
const QP_H7 = new Float64Array(QP_M)

/** Lowest admissible level for (d, c) under the chord bound: max_i −(α_i c + β_i d). */
const levelFloor = (d: number, c: number): number => {
  let lo = -Infinity
  for (let i = 0; i < N_CHORDS; i++) lo = Math.max(lo, -(CHORDS[2 * i] * c + CHORDS[2 * i + 1] * d))
  return lo
}

const KAPPA = 0.8
const QP_G2 = new Float64Array(9)
const QP_R2 = new Float64Array(3)

/**
 * Fast path of the default level bound: in `a′ = a + κc` (κ = 0.8) the domain `a′ ≥ 0`,
 * `a′ ≤ aMax + κS`, diamond in (c, d) is a product, solved exactly by {@link solveSviInnerQp}
 * with the column `z − κ`. Accepted (true, result in QP_X as (a, d, c)) when it also satisfies
 * the chord bound; otherwise the caller solves the chord-bounded QP.
 */
const shiftedLevelSolve = (aMax: number, S: number): boolean => {
  const k = KAPPA
  QP_G2[0] = QP_G[0]
  QP_G2[1] = QP_G[1]
  QP_G2[2] = QP_G[2] - k * QP_G[0]
  QP_G2[3] = QP_G[3]
  QP_G2[4] = QP_G[4]
  QP_G2[5] = QP_G[5] - k * QP_G[1]
  QP_G2[6] = QP_G2[2]
  QP_G2[7] = QP_G2[5]
  QP_G2[8] = QP_G[8] - 2 * k * QP_G[2] + k * k * QP_G[0]
  QP_R2[0] = QP_R[0]
  QP_R2[1] = QP_R[1]
  QP_R2[2] = QP_R[2] - k * QP_R[0]
  if (Number.isNaN(solveSviInnerQp(QP_G2, QP_R2, aMax + k * S, S, QP_X))) return false
  const d = QP_X[1]
  const c = QP_X[2]
  const a = QP_X[0] - k * c
  if (!(a >= levelFloor(d, c))) return false
  QP_X[0] = a
  return true
}

const toRaw = (
  a: number,
  d: number,
  c: number,
  m: number,
  sigma: number,
  slope: number,
  levelZero: boolean,
): SviParams => {
  let cc = Math.max(c, 0)
  let dd = Math.max(-cc, Math.min(cc, d))
  const excess = (cc + Math.abs(dd)) / (slope * sigma)
  if (excess > 1) {
    cc /= excess
    dd /= excess
  }
  const b = cc / sigma
  const rho = cc > 0 ? Math.max(-1, Math.min(1, dd / cc)) : 0
  return { a: levelZero ? Math.max(a, 0) : Math.max(a, levelFloor(dd, cc)), b, rho, m, sigma }
}

interface OuterResult {
  m: number
  sigma: number
  sse: number
}

/**
 * Outer search over (m, ln σ): optionally a deterministic grid (its two best nodes seed
 * Nelder–Mead), optionally a warm start; `tight` runs to 1e-11 (with a restart after a grid), else to 1e-5.
 */
const outerSearch = (
  work: Work,
  kMin: number,
  kMax: number,
  opts: SviFitOptions,
  grid: boolean,
  warm: OuterResult | undefined,
  tight: boolean,
): OuterResult => {
  const span = Math.max(kMax - kMin, 1e-3)
  const mLo = kMin - 2 * span
  const mHi = kMax + 2 * span
  const lsLo = Math.log(span * 1e-4)
  const lsHi = Math.log(span * 20)
  const objective = (x: Float64Array): number => {
    if (!(x[0] >= mLo && x[0] <= mHi && x[1] >= lsLo && x[1] <= lsHi)) return Infinity
    return innerSolve(work, x[0], Math.exp(x[1]))
  }
  work.exactSse = tight
  const seeds: OuterResult[] = []
  const gm = opts.gridM
  const gs = opts.gridSigma
  const gLo = Math.log(span * 0.003)
  const gHi = Math.log(span * 1.5)
  const dm = Math.max(gm > 1 ? (kMax - kMin) / (gm - 1) : span, 1e-3)
  const dls = gs > 1 ? (gHi - gLo) / (gs - 1) : 1
  if (warm !== undefined)
    seeds.push({ m: warm.m, sigma: warm.sigma, sse: innerSolve(work, warm.m, warm.sigma) })
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
    const r = nelderMead(objective, x0, {
      step: Float64Array.of(stepM, stepS),
      xTolerance: tight ? 1e-7 : 1e-5,
      maxEvaluations: 200,
    })
    if (r.f < best.sse) best = { m: r.x[0], sigma: Math.exp(r.x[1]), sse: r.f }
  }
  if (!Number.isFinite(best.sse) && seeds.length > 0) best = seeds[0]
  if (tight && Number.isFinite(best.sse)) best = polishOuter(work, best, mLo, mHi, lsLo, lsHi)
  return best
}

/**
 * Final polish of (m, ln σ) by Levenberg–Marquardt on the variable-projection residuals
 * `√ωᵢ (a* + d* yᵢ + c* zᵢ − wᵢ)` with (a*, d*, c*) the exact inner solution (Golub & Pereyra
 * 1973): quadratic convergence where Nelder–Mead is linear. Kept only if it lowers the SSE.
 */
const polishOuter = (
  work: Work,
  start: OuterResult,
  mLo: number,
  mHi: number,
  lsLo: number,
  lsHi: number,
): OuterResult => {
  const { n, fw, w, y, z } = work
  const x = Float64Array.of(start.m, Math.log(start.sigma))
  const r = levenbergMarquardt(
    {
      nParams: 2,
      nResiduals: n,
      residuals: (xx: Float64Array, out: Float64Array): void => {
        if (
          !(xx[0] >= mLo && xx[0] <= mHi && xx[1] >= lsLo && xx[1] <= lsHi) ||
          !Number.isFinite(innerSolve(work, xx[0], Math.exp(xx[1])))
        ) {
          out.fill(NaN)
          return
        }
        for (let i = 0; i < n; i++)
          out[i] = fw[i] === 0 ? 0 : Math.sqrt(fw[i]) * (work.a + work.d * y[i] + work.c * z[i] - w[i])
      },
    },
    x,
    { maxIterations: 30, gradientTolerance: 1e-12, stepTolerance: 1e-14, centralDifferences: true },
  )
  const sse = innerSolve(work, x[0], Math.exp(x[1]))
  return r.evaluations >= 0 && sse <= start.sse ? { m: x[0], sigma: Math.exp(x[1]), sse } : start
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((p, q) => p - q)
  const h = s.length >> 1
  return s.length % 2 === 1 ? s[h] : 0.5 * (s[h - 1] + s[h])
}

const FAST_GRID = 201

/** Bisects λ ∈ [0, 1] towards the flat smile with the same w(k₀) (safe at λ = 1: g ≡ 1). */
const shrinkToSafe = (p: SviParams, kMin: number, kMax: number): SviParams => {
  const grid = sviButterflyGrid(p, kMin, kMax)
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
  return shrink(hi)
}

const isButterflyFree = (p: SviParams, kMin: number, kMax: number): boolean =>
  minGOnGrid(p, sviButterflyGrid(p, kMin, kMax), true) >= 0

/**
 * Input of {@link refitSviConstrained}.
 *
 * @category calibration
 * @since 0.1.0
 */
export interface SviConstrainedRefitInput {
  /** Starting parameters (need not satisfy the constraints). */
  readonly start: SviParams
  /** Data log-moneyness. */
  readonly k: Float64Array
  /** Data total variance. */
  readonly w: Float64Array
  /** Data weights (default 1; 0 leaves a point out). */
  readonly weights?: Float64Array
  /** Range of the data, for the butterfly check grid ({@link sviButterflyGrid}). */
  readonly kMin: number
  /** Range of the data, for the butterfly check grid. */
  readonly kMax: number
  /** Optional floor: the slice must satisfy `w(floor.k[j]) ≥ floor.w[j]` (calendar constraint). */
  readonly floor?: { readonly k: Float64Array; readonly w: Float64Array }
  /** Wing-slope bound `S` (default 2). */
  readonly maxWingSlope?: number
}

/**
 * Weighted least-squares refit of a raw SVI slice under butterfly (`g ≥ 0`) and, optionally,
 * floor constraints, by an exterior penalty: Levenberg–Marquardt on `(a, b, ρ, m, ln σ)`
 * minimising the normalised total-variance residuals plus
 * `μ Σ_j max(0, 10⁻³ − g(k_j))² + μ Σ_j max(0, floor_j + 10⁻⁹ − w(k_j))²` (201-node sinh check
 * grid, see {@link sviButterflyGrid}), for μ = 1, 10², …, 10⁸ until the refined butterfly check
 * and the floor both pass; the Lee bound `b(1 + |ρ|) ≤ S`, `|ρ| < 1` and `min w > 0` are barriers.
 * Without a floor, a failure ends in a bisection towards a flat smile, which always passes, so
 * `feasible` is true; with a floor `feasible` reports whether both constraints hold.
 *
 * Reference: Nocedal & Wright (2006), *Numerical Optimization*, §17.1 (quadratic penalty);
 * Gatheral & Jacquier (2014), eq. (2.1).
 * Verified by spec/surface/svi.spec.ts and spec/surface/arbitrage.spec.ts.
 *
 * @category calibration
 * @since 0.1.0
 */
export const refitSviConstrained = (
  input: SviConstrainedRefitInput,
): { readonly params: SviParams; readonly feasible: boolean; readonly evaluations: number } => {
  const { start: p, k, w, kMin, kMax, floor } = input
  const slope = input.maxWingSlope ?? 2
  const n = k.length
  let nData = 0
  let wSum = 0
  let oSum = 0
  for (let i = 0; i < n; i++) {
    const o = input.weights === undefined ? 1 : input.weights[i]
    if (!(o > 0)) continue
    nData++
    wSum += w[i]
    oSum += o
  }
  const wBar = nData > 0 ? wSum / nData : 1
  const grid = new Float64Array(FAST_GRID)
  const nFloor = floor === undefined ? 0 : floor.k.length
  const eps = 1e-3
  let mu = 1
  let evals = 0
  const x = Float64Array.of(p.a, p.b, p.rho, p.m, Math.log(p.sigma))
  const problem = {
    nParams: 5,
    nResiduals: nData + FAST_GRID + nFloor,
    residuals: (xx: Float64Array, out: Float64Array): void => {
      const a = xx[0]
      const b = xx[1]
      const rho = xx[2]
      const m = xx[3]
      const s2 = Math.exp(2 * xx[4])
      const bad = !(
        s2 > 0 &&
        b >= 0 &&
        rho > -1 &&
        rho < 1 &&
        b * (1 + Math.abs(rho)) <= slope &&
        a + b * Math.sqrt(s2 * (1 - rho * rho)) > 0
      )
      let q = 0
      for (let i = 0; i < n; i++) {
        const o = input.weights === undefined ? 1 : input.weights[i]
        if (!(o > 0)) continue
        const kk = k[i] - m
        out[q++] = bad
          ? NaN
          : (Math.sqrt(o / oSum) * (a + b * (rho * kk + Math.sqrt(kk * kk + s2)) - w[i])) / wBar
      }
      const sc = Math.sqrt(mu / FAST_GRID)
      for (let j = 0; j < FAST_GRID; j++) {
        const g = gAt(a, b, rho, m, s2, grid[j])
        out[q++] = g >= eps ? 0 : sc * (eps - g)
      }
      if (floor !== undefined) {
        const sf = Math.sqrt(mu / nFloor) / wBar
        for (let j = 0; j < nFloor; j++) {
          const kk = floor.k[j] - m
          const gap = a + b * (rho * kk + Math.sqrt(kk * kk + s2)) - floor.w[j] - 1e-9 * wBar
          out[q++] = gap >= 0 ? 0 : -sf * gap
        }
      }
    },
  }
  const floorOk = (q: SviParams): boolean => {
    if (floor === undefined) return true
    for (let j = 0; j < nFloor; j++) if (!(sviTotalVariance(q, floor.k[j]) >= floor.w[j])) return false
    return true
  }
  let last: SviParams = p
  for (let round = 0; round < 5; round++, mu *= 100) {
    fillButterflyGrid(x[3], Math.exp(x[4]), kMin, kMax, grid)
    const r = levenbergMarquardt(problem, x, { maxIterations: 60, gradientTolerance: 1e-12 })
    evals += r.evaluations
    last = { a: x[0], b: x[1], rho: x[2], m: x[3], sigma: Math.exp(x[4]) }
    if (floor !== undefined) {
      // the exterior penalty ends marginally below the floor: lift the level by the deficit
      let deficit = 0
      for (let j = 0; j < nFloor; j++)
        deficit = Math.max(deficit, floor.w[j] - sviTotalVariance(last, floor.k[j]))
      if (deficit > 0 && deficit < 1e-3 * wBar) last = { ...last, a: last.a + deficit * (1 + 1e-9) + 1e-15 }
    }
    if (isButterflyFree(last, kMin, kMax) && floorOk(last))
      return { params: last, feasible: true, evaluations: evals }
  }
  if (floor === undefined)
    return { params: shrinkToSafe(last, kMin, kMax), feasible: true, evaluations: evals }
  return { params: last, feasible: false, evaluations: evals }
}

/**
 * Neighbour screen before the first fit: each vol is compared with the median of the straight-line
 * predictions through pairs of its ≤ 3 neighbours on each side (in k order); quotes whose
 * standardised deviation exceeds `rejectThreshold` robust scales are held out of the first fit
 * (at most `maxFlag`, largest first) and re-admitted if the fit then explains them.
 */
const neighbourScreen = (
  k: Float64Array,
  vol: Float64Array,
  omega: Float64Array,
  opts: SviFitOptions,
  maxFlag: number,
): number[] => {
  // omega: total-variance weights; carried to vol space with the neighbours' predicted vol (dw = 2σT dσ)
  const idx: number[] = []
  for (let i = 0; i < k.length; i++) if (omega[i] > 0) idx.push(i)
  idx.sort((p, q) => k[p] - k[q] || p - q)
  const n = idx.length
  const dev = new Float64Array(n)
  const refW = new Float64Array(n)
  let refSum = 0
  const preds: number[] = []
  const absD: number[] = []
  for (let t = 0; t < n; t++) {
    preds.length = 0
    const lo = Math.max(0, t - 3)
    const hi = Math.min(n - 1, t + 3)
    const kt = k[idx[t]]
    for (let j = lo; j <= hi; j++) {
      if (j === t) continue
      for (let l = j + 1; l <= hi; l++) {
        if (l === t) continue
        const kj = k[idx[j]]
        const kl = k[idx[l]]
        if (!(kl - kj > 1e-12)) continue
        const vj = vol[idx[j]]
        preds.push(vj + ((vol[idx[l]] - vj) * (kt - kj)) / (kl - kj))
      }
    }
    const pred = preds.length > 0 ? median(preds) : vol[idx[t]]
    const ref = Math.max(pred, 1e-4)
    refW[t] = omega[idx[t]] * ref * ref
    refSum += refW[t]
    dev[t] = vol[idx[t]] - pred
  }
  for (let t = 0; t < n; t++) {
    dev[t] *= Math.sqrt((refW[t] * n) / refSum)
    absD.push(Math.abs(dev[t]))
  }
  const sc = Math.max(1.4826 * median(absD), opts.scaleFloorVol)
  const cand: number[] = []
  for (let t = 0; t < n; t++) if (Math.abs(dev[t]) > opts.rejectThreshold * sc) cand.push(t)
  cand.sort((p, q) => Math.abs(dev[q]) - Math.abs(dev[p]) || p - q)
  return cand.slice(0, maxFlag).map((t) => idx[t])
}

const resolveOptions = (o: Partial<SviFitOptions> | undefined): SviFitOptions => ({
  ...defaultSviFitOptions,
  ...o,
})

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
 * enumeration of the faces of the domain ({@link solveSviInnerQp}). The outer problem in `(m, σ)` is searched on a
 * deterministic `gridM × gridSigma` grid (m on the data range, σ log-spaced over
 * `[0.003, 1.5] × (k_max − k_min)`) and refined by Nelder–Mead from the two best nodes
 * (De Marco & Martini 2009).
 *
 * **Robustness.** Residuals are measured in vol, `eᵢ = √(w_fit/T) − volᵢ`, standardised by the
 * weight carried over to vol space and normalised to mean 1, `uᵢ = eᵢ √ω̃ᵢ`,
 * `ω̃ᵢ ∝ ωᵢ (2 σ_fit,ᵢ T)²` (since `dw = 2σT dσ`; the fitted vol, so that a quote cannot hide
 * by moving to a low vol); the robust scale is `s = max(1.4826·median|u|, scaleFloorVol)`.
 * Each round re-weights by Huber's `min(1, c·s/|uᵢ|)` and rejects the single worst quote when
 * `|uᵢ| > rejectThreshold · s` (at most `maxExcludedShare` of the quotes, never below
 * `minQuotes`); rejected quotes are listed in `excluded` with the reason.
 *
 * **Butterfly.** If min g < 0 on {@link sviButterflyGrid} (refined check, see
 * {@link sviMinDurrlemanG}), the slice is refitted by {@link refitSviConstrained} (penalty
 * Levenberg–Marquardt on all five parameters, with a bisection towards a flat smile as the last
 * resort); the result always has `minDurrlemanG ≥ 0` on its own check grid.
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
 * Example, from spec/surface/svi.spec.ts (`k`, `T`, `P` defined there):
 * {@includeCode ../../spec/surface/svi.spec.ts#fitSviSlice}
 *
 * @category calibration
 * @since 0.1.0
 */
export const fitSviSlice = (input: SviSliceInput): E.Either<SviFitError, SviSliceFit> => {
  const opts = resolveOptions(input.options)
  const { k, expiry: T } = input
  const n = k.length
  if (!(Number.isFinite(T) && T > 0))
    return E.left(invalidInput('expiry', T, 'must be a finite number in (0, ∞)'))
  const bad =
    checkArray('w', input.w, n) ??
    checkArray('vols', input.vols, n) ??
    checkArray('weights', input.weights, n)
  if (bad !== undefined) return E.left(bad)
  if (input.w === undefined && input.vols === undefined)
    return E.left(invalidInput('w', undefined, 'must be given when vols is not'))
  const w = new Float64Array(n)
  const vol = new Float64Array(n)
  const omega = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(k[i])) return E.left(invalidInput(`k.${i}`, k[i], 'must be a finite number'))
    const wi = input.w !== undefined ? input.w[i] : input.vols![i] * input.vols![i] * T
    if (!(Number.isFinite(wi) && wi > 0)) {
      return E.left(
        invalidInput(
          input.w !== undefined ? `w.${i}` : `vols.${i}`,
          input.w !== undefined ? input.w[i] : input.vols![i],
          'must be a finite number in (0, ∞)',
        ),
      )
    }
    w[i] = wi
    vol[i] = Math.sqrt(wi / T)
    const oi = input.weights === undefined ? 1 : input.weights[i]
    if (!(Number.isFinite(oi) && oi >= 0))
      return E.left(invalidInput(`weights.${i}`, oi, 'must be a finite number in [0, ∞)'))
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
  if (usable < minQ)
    return E.left({
      _tag: 'TooFewQuotes',
      needed: minQ,
      got: usable,
      message: `SVI slice needs ${minQ} quotes with positive weight, got ${usable}`,
    })
  for (let i = 0; i < n; i++) omega[i] = (omega[i] * usable) / oSum
  // vol-space weights ω (2 σ_ref T)² (dw = 2σT dσ), mean 1 over the quotes in play; σ_ref is the
  // fitted (or, in the screen, the neighbours' predicted) vol, never the quote's own, so a quote
  // cannot hide by moving to a low vol
  const omegaVol = new Float64Array(n)
  const notes: string[] = []
  const rw = new Float64Array(n) // robust multiplier of each weight
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
  QP_WS7.lastMask = -1 // the warm-start hint must not carry state between calls (bit-identical results)
  const work: Work = {
    n,
    k,
    w,
    fw,
    y: new Float64Array(n),
    z: new Float64Array(n),
    amax,
    slope: opts.maxWingSlope,
    levelZero: opts.levelBound === 'zero',
    exactSse: true,
    evals: 0,
    a: 0,
    d: 0,
    c: 0,
  }
  const maxRejected = Math.max(0, Math.min(Math.floor(opts.maxExcludedShare * usable), usable - minQ))
  // status: 0 unusable (zero weight), 1 in the fit, 2 pending (flagged by the neighbour screen), 3 rejected
  const status = new Uint8Array(n)
  for (let i = 0; i < n; i++) status[i] = omega[i] > 0 ? 1 : 0
  const setAmax = (): void => {
    work.amax = 0
    for (let i = 0; i < n; i++) if (status[i] === 1) work.amax = Math.max(work.amax, w[i])
  }
  if (opts.robust && maxRejected > 0) {
    const flagged = neighbourScreen(k, vol, omega, opts, maxRejected)
    for (const i of flagged) {
      status[i] = 2
      rw[i] = 0
      fw[i] = 0
    }
    if (flagged.length > 0) setAmax()
  }
  const rawAt = (r: OuterResult): SviParams => {
    innerSolve(work, r.m, r.sigma)
    return toRaw(work.a, work.d, work.c, r.m, r.sigma, opts.maxWingSlope, work.levelZero)
  }
  let best = outerSearch(work, kMin, kMax, opts, true, undefined, !opts.robust)
  let params = rawAt(best)
  if (opts.robust) {
    let rejected = 0
    const absU: number[] = []
    const fitted = new Float64Array(n)
    const u = new Float64Array(n)
    const reason = (i: number, sc: number, how: string): string =>
      `residual ${((100 * u[i]) / Math.sqrt(omegaVol[i])).toFixed(2)} vol points is ${(Math.abs(u[i]) / sc).toFixed(1)} robust scales (limit ${opts.rejectThreshold})${how}`
    const rounds = opts.maxRobustIterations + 2 * maxRejected
    let reweights = 0
    for (let round = 0; round < rounds; round++) {
      sviEvaluate(params, k, fitted)
      absU.length = 0
      let ovSum = 0
      let ovCount = 0
      for (let i = 0; i < n; i++) {
        if (status[i] !== 1 && status[i] !== 2) continue
        const vf = Math.max(Math.sqrt(Math.max(fitted[i], 0) / T), 1e-4)
        omegaVol[i] = omega[i] * vf * vf
        ovSum += omegaVol[i]
        ovCount++
      }
      for (let i = 0; i < n; i++) omegaVol[i] = (omegaVol[i] * ovCount) / ovSum
      for (let i = 0; i < n; i++) {
        if (status[i] !== 1 && status[i] !== 2) continue
        u[i] = (Math.sqrt(Math.max(fitted[i], 0) / T) - vol[i]) * Math.sqrt(omegaVol[i])
        if (status[i] === 1) absU.push(Math.abs(u[i]))
      }
      const sc = Math.max(1.4826 * median(absU), opts.scaleFloorVol)
      const limit = opts.rejectThreshold * sc
      let structural = false
      let pending = 0
      for (let i = 0; i < n; i++) {
        if (status[i] !== 2) continue
        structural = true
        if (Math.abs(u[i]) <= limit) {
          status[i] = 1
          rw[i] = 1
          notes.push(`re-admitted quote ${i} flagged by the neighbour screen`)
        } else {
          status[i] = 3
          rejected++
          excluded.push({ index: i, reason: reason(i, sc, ', flagged by the neighbour screen') })
          notes.push(`rejected quote ${i} (k = ${k[i].toPrecision(6)})`)
        }
      }
      for (let i = 0; i < n; i++) if (status[i] === 2) pending++
      let worst = -1
      let worstU = limit
      if (rejected + pending < maxRejected) {
        for (let i = 0; i < n; i++) {
          if (status[i] === 1 && Math.abs(u[i]) > worstU) {
            worstU = Math.abs(u[i])
            worst = i
          }
        }
      }
      if (worst >= 0) {
        status[worst] = 3
        rejected++
        structural = true
        excluded.push({ index: worst, reason: reason(worst, sc, '') })
        notes.push(`rejected quote ${worst} (k = ${k[worst].toPrecision(6)})`)
      }
      let change = 0
      for (let i = 0; i < n; i++) {
        const h = status[i] === 1 ? Math.min(1, (opts.huberC * sc) / Math.abs(u[i])) : 0
        change = Math.max(change, Math.abs(h - rw[i]))
        rw[i] = h
        fw[i] = omega[i] * h
      }
      if (structural) setAmax()
      if (!structural && (change < 0.01 || ++reweights > opts.maxRobustIterations)) break
      best = outerSearch(work, kMin, kMax, opts, structural, best, false)
      params = rawAt(best)
    }
    best = outerSearch(work, kMin, kMax, opts, false, best, true)
    params = rawAt(best)
  }
  let gmin = sviMinDurrlemanG(params, sviButterflyGrid(params, kMin, kMax))
  let repaired = false
  if (opts.enforceButterfly && !(gmin.minG >= 0)) {
    notes.push(
      `butterfly repair: unconstrained min g = ${gmin.minG.toExponential(3)} at k = ${gmin.kAtMin.toPrecision(4)}`,
    )
    const fwUsed = Float64Array.from(fw)
    const rep = refitSviConstrained({
      start: params,
      k,
      w,
      weights: fwUsed,
      kMin,
      kMax,
      maxWingSlope: opts.maxWingSlope,
    })
    work.evals += rep.evaluations
    params = rep.params
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
