/**
 * Surface-fit configuration as data: a versioned, named preset that `fitSurface` echoes into the
 * diagnostics notes of every surface it builds (`config default@1`), so a surface can be
 * reproduced from its snapshot and its preset name months later.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Model choice: `'svi'` raw SVI per slice with calendar repair across expiries, `'ssvi'` one
 * SSVI surface (Gatheral–Jacquier 2014), `'sabr'` Hagan SABR per slice with `sabrBeta`, `'auto'`
 * SVI when at least `sparseShare` of the live expiries have `minQuotesSvi` usable quotes, SSVI
 * otherwise.
 *
 * @category model
 * @since 0.1.0
 */
export type SurfaceModelChoice = 'auto' | 'svi' | 'ssvi' | 'sabr'

/**
 * Every parameter of the surface fit. Units are stated per field; vols are decimals.
 *
 * @category model
 * @since 0.1.0
 */
export interface SurfaceConfig {
  /** Preset name, echoed into diagnostics. */
  readonly name: string
  /** Preset version, echoed into diagnostics; bump on any change of a value. */
  readonly version: number
  /** Model choice. */
  readonly model: SurfaceModelChoice
  /** SABR beta in [0, 1] (used when `model` is `'sabr'`). */
  readonly sabrBeta: number
  /** Fewest usable quotes for an SVI slice (5 parameters; 6 leaves one degree of freedom). */
  readonly minQuotesSvi: number
  /** Fewest usable quotes for a SABR slice (alpha, rho, nu). */
  readonly minQuotesSabr: number
  /** Fewest usable quotes for a slice to enter an SSVI fit. */
  readonly minQuotesSsvi: number
  /** `'auto'`: share of live expiries with ≥ `minQuotesSvi` quotes needed to choose SVI. */
  readonly sparseShare: number
  /** Expiries closer than this (years) are treated as expired and skipped (default 1 hour). */
  readonly minExpiryYears: number
  /** Floor of a quote's bid-ask spread in vol (decimal) when building weights 1/spread. */
  readonly minSpreadVol: number
  /** Cap of a quote's bid-ask spread in vol (decimal); wider counts as this wide. */
  readonly maxSpreadVol: number
  /**
   * Reweighting passes toward the bid-ask band: after each fit, quotes whose fitted vol lies
   * outside [bid IV, ask IV] get their weight multiplied by `spreadBoost` and the slice is refit.
   */
  readonly spreadIterations: number
  /** Weight multiplier per pass for a quote outside its band. */
  readonly spreadBoost: number
  /**
   * Spline correction of SVI slices: when fewer than this share of a slice's fit points have the
   * SVI vol inside their [bid, ask] vol band, a penalised cubic B-spline correction in total
   * variance is fitted to the residuals over the quoted range and continued linearly beyond it
   * (0 disables it).
   */
  readonly correctBelowShare: number
  /** Smoothing of that correction: second-difference penalty relative to the data term. */
  readonly correctionSmoothing: number
  /** Largest number of knot intervals of that correction (it uses `M + 3` basis functions). */
  readonly correctionKnots: number
  /** Put-call parity: number of strikes nearest the forward used by the regression (0 = all). */
  readonly parityStrikes: number
  /** Put-call parity: Huber threshold in robust standard deviations. */
  readonly parityHuber: number
  /** Check grid: strikes per slice for the butterfly and calendar checks. */
  readonly checkPoints: number
  /** Check grid: half-width in ATM standard deviations (k ∈ ±n·σ_ATM·√T, at least the quoted range). */
  readonly checkStdDevs: number
}

// -------------------------------------------------------------------------------------
// presets
// -------------------------------------------------------------------------------------

/**
 * The default preset (`default@1`): model `'auto'`, SABR beta 1 (lognormal, crypto convention),
 * weights 1/spread in vol with the spread clamped to [0.25, 50] vol points, no reweighting pass
 * toward the bid-ask band (measured on the real chains: it lowered the inside-spread share),
 * parity on every strike with both sides quoted, Huber threshold 1.345 (95% efficiency under
 * normal errors; Huber 1964).
 *
 * @category presets
 * @since 0.1.0
 */
export const DEFAULT_SURFACE_CONFIG: SurfaceConfig = {
  name: 'default',
  version: 1,
  model: 'auto',
  sabrBeta: 1,
  minQuotesSvi: 6,
  minQuotesSabr: 4,
  minQuotesSsvi: 3,
  sparseShare: 0.5,
  minExpiryYears: 1 / (365 * 24),
  minSpreadVol: 0.0025,
  maxSpreadVol: 0.5,
  spreadIterations: 0,
  spreadBoost: 4,
  correctBelowShare: 0.97,
  correctionSmoothing: 1e-3,
  correctionKnots: 12,
  parityStrikes: 0,
  parityHuber: 1.345,
  checkPoints: 201,
  checkStdDevs: 6,
}

/**
 * Named presets: `default`, `ssvi` (always one SSVI surface), `sabr` (SABR per slice, beta 1).
 *
 * @category presets
 * @since 0.1.0
 */
export const SURFACE_PRESETS: Readonly<Record<'default' | 'ssvi' | 'sabr', SurfaceConfig>> = {
  default: DEFAULT_SURFACE_CONFIG,
  ssvi: { ...DEFAULT_SURFACE_CONFIG, name: 'ssvi', model: 'ssvi' },
  sabr: { ...DEFAULT_SURFACE_CONFIG, name: 'sabr', model: 'sabr' },
}

/**
 * The preset label echoed into diagnostics, e.g. `default@1`.
 *
 * @category presets
 * @since 0.1.0
 */
export const surfaceConfigLabel = (c: SurfaceConfig): string => `${c.name}@${c.version}`
