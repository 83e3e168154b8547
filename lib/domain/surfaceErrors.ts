/**
 * Errors of the surface stage (`fitSurface`): a closed, tagged union of plain data. Only
 * "cannot compute a surface at all" is an error; a sparse slice, a fallback or a repair is a
 * result and is reported in the surface's diagnostics notes instead.
 *
 * @module
 * @since 0.1.0
 */
import type { InvalidInput } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * No quote of the snapshot could be turned into an implied vol on a live expiry, so there is
 * nothing to fit and no ATM vol to fall back on. `excluded` counts the quotes that were kept
 * with a reason (zero bid, below intrinsic, expired, ...).
 *
 * @category model
 * @since 0.1.0
 */
export interface NoUsableQuotes {
  /** Tag. */
  readonly _tag: 'NoUsableQuotes'
  /** Underlying of the snapshot. */
  readonly underlying: string
  /** Number of quotes kept with a reason. */
  readonly excluded: number
  /** One-line message. */
  readonly message: string
}

/**
 * A calibration produced no finite parameters for a slice (or for the SSVI surface) and no
 * fallback applied. `expiry` is the UTC ISO expiry, or `'surface'` for a surface-wide fit.
 *
 * @category model
 * @since 0.1.0
 */
export interface FitNotConverged {
  /** Tag. */
  readonly _tag: 'FitNotConverged'
  /** Expiry (UTC ISO) or `'surface'`. */
  readonly expiry: string
  /** Model that failed. */
  readonly model: string
  /** One-line message. */
  readonly message: string
}

/**
 * Every error `fitSurface` can return: {@link NoUsableQuotes}, {@link FitNotConverged}, or an
 * {@link InvalidInput} (snapshot or configuration field out of its domain, e.g. a non-finite
 * spot or a SABR beta outside [0, 1]).
 *
 * @category model
 * @since 0.1.0
 */
export type SurfaceError = NoUsableQuotes | FitNotConverged | InvalidInput

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a {@link NoUsableQuotes}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const noUsableQuotes = (underlying: string, excluded: number): NoUsableQuotes => ({
  _tag: 'NoUsableQuotes',
  underlying,
  excluded,
  message: `${underlying}: no quote on a live expiry could be inverted to an implied vol (${excluded} kept with a reason)`,
})

/**
 * Builds a {@link FitNotConverged}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fitNotConverged = (expiry: string, model: string, detail: string): FitNotConverged => ({
  _tag: 'FitNotConverged',
  expiry,
  model,
  message: `${model} fit for ${expiry} did not converge: ${detail}`,
})
