/**
 * Errors of the marking stage: a closed, tagged union of plain data. Only "cannot compute" is an
 * error; a thin book or a model mark is a result (see `lib/marking/mark.ts`).
 *
 * Every error carries a one-line `message` that names the instrument (or snapshot) and the field
 * at fault, so the CLI can print it as is.
 *
 * @module
 * @since 0.1.0
 */
import type { InvalidInput } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The surface could not be fitted for a snapshot; `cause` is the surface stage's error (its tag
 * and message), kept as plain data.
 *
 * @category model
 * @since 0.1.0
 */
export interface SurfaceFailed {
  /** Tag. */
  readonly _tag: 'SurfaceFailed'
  /** Underlying of the snapshot. */
  readonly underlying: string
  /** The surface stage's error: its tag and one-line message. */
  readonly cause: { readonly _tag: string; readonly message: string }
  /** One-line message. */
  readonly message: string
}

/**
 * A snapshot holds no option that can be marked (none listed, or every one rejected).
 *
 * @category model
 * @since 0.1.0
 */
export interface NoOptions {
  /** Tag. */
  readonly _tag: 'NoOptions'
  /** Underlying of the snapshot. */
  readonly underlying: string
  /** One-line message. */
  readonly message: string
}

/**
 * An option whose expiry is not after the snapshot instant (`expiryYears ≤ 0`).
 *
 * @category model
 * @since 0.1.0
 */
export interface ExpiredOption {
  /** Tag. */
  readonly _tag: 'ExpiredOption'
  /** Instrument name. */
  readonly instrument: string
  /** Field at fault (`expiry`). */
  readonly field: 'expiry'
  /** Expiry (UTC ISO). */
  readonly expiry: string
  /** Snapshot instant (UTC ISO). */
  readonly asOf: string
  /** One-line message. */
  readonly message: string
}

/**
 * The same instrument listed more than once in one snapshot; the first listing is marked, every
 * later one is rejected with this error.
 *
 * @category model
 * @since 0.1.0
 */
export interface DuplicateInstrument {
  /** Tag. */
  readonly _tag: 'DuplicateInstrument'
  /** Instrument name. */
  readonly instrument: string
  /** Field at fault (`instrument`). */
  readonly field: 'instrument'
  /** 0-based index of this listing in `snapshot.options`. */
  readonly index: number
  /** 0-based index of the listing that is kept. */
  readonly firstIndex: number
  /** One-line message. */
  readonly message: string
}

/**
 * The surface returned a non-finite forward, discount or vol at the instrument's (strike,
 * expiry), so no model value exists.
 *
 * @category model
 * @since 0.1.0
 */
export interface ModelNotEvaluable {
  /** Tag. */
  readonly _tag: 'ModelNotEvaluable'
  /** Instrument name. */
  readonly instrument: string
  /** Strike (quote currency). */
  readonly strike: number
  /** Time to expiry, ACT/365 years. */
  readonly expiryYears: number
  /** One-line message. */
  readonly message: string
}

/**
 * A marking parameter-set name that is not one of the presets.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnknownParameterSet {
  /** Tag. */
  readonly _tag: 'UnknownParameterSet'
  /** The name asked for. */
  readonly name: string
  /** The preset names that exist. */
  readonly known: readonly string[]
  /** One-line message. */
  readonly message: string
}

/**
 * Every error the marking stage returns.
 *
 * - `InvalidInput`: an instrument or book field broke a rule (strike not in (0, ∞), expiry not a
 *   UTC timestamp, negative price).
 * - `ExpiredOption`, `DuplicateInstrument`: a listed option that is rejected, the rest is marked.
 * - `ModelNotEvaluable`: the surface has no finite value at that (strike, expiry).
 * - `SurfaceFailed`, `NoOptions`: a whole snapshot cannot be marked.
 * - `UnknownParameterSet`: configuration names a preset that does not exist.
 *
 * @category model
 * @since 0.1.0
 */
export type MarkError =
  | InvalidInput
  | SurfaceFailed
  | NoOptions
  | ExpiredOption
  | DuplicateInstrument
  | ModelNotEvaluable
  | UnknownParameterSet

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a {@link SurfaceFailed} error from the surface stage's error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const surfaceFailed = (
  underlying: string,
  cause: { readonly _tag: string; readonly message?: string },
): SurfaceFailed => {
  const text = cause.message ?? cause._tag
  return {
    _tag: 'SurfaceFailed',
    underlying,
    cause: { _tag: cause._tag, message: text },
    message: `${underlying}: surface fit failed (${cause._tag}): ${text}`,
  }
}

/**
 * Builds a {@link NoOptions} error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const noOptions = (underlying: string): NoOptions => ({
  _tag: 'NoOptions',
  underlying,
  message: `${underlying}: snapshot holds no option that can be marked`,
})

/**
 * Builds an {@link ExpiredOption} error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const expiredOption = (instrument: string, expiry: string, asOf: string): ExpiredOption => ({
  _tag: 'ExpiredOption',
  instrument,
  field: 'expiry',
  expiry,
  asOf,
  message: `${instrument}: field expiry = ${expiry}: option expired (not after the snapshot instant ${asOf})`,
})

/**
 * Builds a {@link DuplicateInstrument} error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const duplicateInstrument = (
  instrument: string,
  index: number,
  firstIndex: number,
): DuplicateInstrument => ({
  _tag: 'DuplicateInstrument',
  instrument,
  field: 'instrument',
  index,
  firstIndex,
  message: `options.${index}: field instrument = ${instrument}: duplicate of options.${firstIndex} (the first listing is marked)`,
})

/**
 * Builds a {@link ModelNotEvaluable} error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const modelNotEvaluable = (
  instrument: string,
  strike: number,
  expiryYears: number,
): ModelNotEvaluable => ({
  _tag: 'ModelNotEvaluable',
  instrument,
  strike,
  expiryYears,
  message: `${instrument}: the surface has no finite value at strike ${strike}, expiry ${expiryYears} years`,
})

/**
 * Builds an {@link UnknownParameterSet} error.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unknownParameterSet = (name: string, known: readonly string[]): UnknownParameterSet => ({
  _tag: 'UnknownParameterSet',
  name,
  known,
  message: `field parameters = ${JSON.stringify(name)}: must be one of ${known.join(', ')}`,
})
