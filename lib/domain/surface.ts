/**
 * The volatility-surface contract every later stage (marking, liquidation, risk) programs
 * against. `lib/surface` builds values of this type; scenario code wraps them.
 *
 * Conventions: `expiry` in ACT/365 years from the snapshot timestamp; `k = ln(K / F(T))`
 * log-moneyness against the forward of that expiry; total implied variance `w(k, T) = σ²(k, T)·T`.
 *
 * @module
 * @since 0.1.0
 */

/**
 * Parameters of one fitted expiry slice, tagged by model. Raw SVI:
 * `w(k) = a + b (ρ (k − m) + √((k − m)² + σ²))`; SSVI slice: `w(k) = θ/2 (1 + ρφk + √((φk + ρ)² + 1 − ρ²))`;
 * SABR: Hagan 2002 lognormal with the given `beta`; flat: one vol for every strike.
 *
 * @category model
 * @since 0.1.0
 */
export type SliceParameters =
  | {
      readonly model: 'svi'
      readonly a: number
      readonly b: number
      readonly rho: number
      readonly m: number
      readonly sigma: number
    }
  | { readonly model: 'ssvi'; readonly theta: number; readonly phi: number; readonly rho: number }
  | {
      readonly model: 'sabr'
      readonly alpha: number
      readonly beta: number
      readonly rho: number
      readonly nu: number
    }
  | { readonly model: 'flat'; readonly vol: number }

/**
 * Fit diagnostics of one slice.
 *
 * @category model
 * @since 0.1.0
 */
export interface SliceDiagnostics {
  /** Quotes that entered the fit. */
  readonly quotesUsed: number
  /** Root-mean-square error of fitted vs mid implied vol, in vol points (1 = 1%). */
  readonly rmseVolPoints: number
  /** Share of two-sided quotes whose fitted price lies inside [bid, ask]. */
  readonly insideSpreadShare: number
  /** Minimum of Durrleman's g(k) over the check grid (≥ 0 means butterfly-free). */
  readonly minDurrlemanG: number
  /** Quotes excluded from the fit, each with the reason. */
  readonly excluded: readonly { readonly instrument: string; readonly reason: string }[]
  /** Free-text notes: fallbacks taken, repairs applied. */
  readonly notes: readonly string[]
}

/**
 * One fitted expiry.
 *
 * @category model
 * @since 0.1.0
 */
export interface SliceFit {
  /** Expiry timestamp (UTC ISO). */
  readonly expiry: string
  /** Time to expiry, ACT/365 years. */
  readonly expiryYears: number
  /** Forward F(T) in the quote currency. */
  readonly forward: number
  /** Discount factor P(0, T) (1 for Deribit). */
  readonly discount: number
  /** Fitted parameters. */
  readonly parameters: SliceParameters
  /** Diagnostics. */
  readonly diagnostics: SliceDiagnostics
  /** Per-quote residual standard deviation near each strike, in vol (decimal), for bands. */
  readonly residualVol: number
  /** Smooth correction added to the parametric total variance, if any. */
  readonly correction?: SliceCorrection
}

/**
 * A correction added to a slice's parametric total variance: on `[lower, upper]` the cubic
 * B-spline `c(k) = Σ_j β_j B((k − kMin)/h − j − 2)` (`B` the centred cardinal cubic B-spline,
 * support [−2, 2]; basis `j` lives on `[kMin + j·h, kMin + (j + 4)·h]`), continued linearly
 * (value and slope at the end) outside it, so each wing stays the parametric wing plus a
 * straight line.
 *
 * @category model
 * @since 0.1.0
 */
export interface SliceCorrection {
  /** Kind tag. */
  readonly kind: 'cubic-bspline'
  /** Left end of the first basis function's support (log-moneyness). */
  readonly kMin: number
  /** Knot spacing h in log-moneyness, > 0. */
  readonly spacing: number
  /** Coefficients β_j in total-variance units. */
  readonly coefficients: readonly number[]
  /** Below this k the correction continues linearly. */
  readonly lower: number
  /** Above this k the correction continues linearly. */
  readonly upper: number
}

/**
 * A calibrated volatility surface: evaluable at every K > 0 and T > 0.
 *
 * @category model
 * @since 0.1.0
 */
export interface VolSurface {
  /** Snapshot instant (UTC ISO) the surface was fitted at. */
  readonly asOf: string
  /** Underlying symbol, e.g. `BTC`. */
  readonly underlying: string
  /** Spot / index price in the quote currency. */
  readonly spot: number
  /** Which parametrisation the surface uses across expiries. */
  readonly model: 'svi' | 'ssvi' | 'sabr'
  /** Implied Black-76 vol (decimal) at strike K (quote currency) and expiry (years). */
  vol(strike: number, expiry: number): number
  /** Total implied variance w(k, T) = σ²T at log-moneyness k = ln(K/F(T)). */
  totalVariance(k: number, expiry: number): number
  /** Forward F(T) in the quote currency. */
  forward(expiry: number): number
  /** Discount factor P(0, T). */
  discount(expiry: number): number
  /** Fitted slices in increasing expiry. */
  readonly slices: readonly SliceFit[]
  /** Surface-level diagnostics. */
  readonly diagnostics: SurfaceDiagnostics
}

/**
 * Surface-level diagnostics.
 *
 * @category model
 * @since 0.1.0
 */
export interface SurfaceDiagnostics {
  /** RMSE over all slices, vol points. */
  readonly rmseVolPoints: number
  /** Share of two-sided quotes priced inside [bid, ask]. */
  readonly insideSpreadShare: number
  /** Minimum Durrleman g(k) over all slices. */
  readonly minDurrlemanG: number
  /** Whether total variance is non-decreasing in T at every checked k. */
  readonly calendarArbitrageFree: boolean
  /** Quotes that could not be inverted or were excluded, with reasons. */
  readonly excluded: readonly { readonly instrument: string; readonly reason: string }[]
  /** Fallbacks and repairs taken. */
  readonly notes: readonly string[]
}
