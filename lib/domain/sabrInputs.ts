/**
 * The io-ts codec of a SABR volatility request (`sabrVolChecked`), built from the branded units of
 * units.ts so that the rule in every error message is printed from the same `Bounds` entry the
 * check applies.
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'
import type * as E from 'fp-ts/lib/Either.js'
import { mapLeft } from 'fp-ts/lib/Either.js'
import { type InvalidInput, boundRule, fromValidationErrors } from './errors.js'
import { Bounds, Correlation, NonNegative, Positive, SabrBeta, Years } from './units.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * A SABR vol request: forward and strike `Positive`, expiry `Years` (≥ 0), alpha `Positive`,
 * beta `SabrBeta` ∈ [0, 1], rho `Correlation` ∈ (−1, 1), nu `NonNegative`, and an optional
 * `formula` (`'hagan2002'` | `'obloj2008'` | `'normal'`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const SabrVolInput = t.intersection(
  [
    t.type({
      forward: Positive,
      strike: Positive,
      expiry: Years,
      alpha: Positive,
      beta: SabrBeta,
      rho: Correlation,
      nu: NonNegative,
    }),
    t.partial({ formula: t.keyof({ hagan2002: null, obloj2008: null, normal: null }) }),
  ],
  'SabrVolInput',
)
/**
 * A decoded SABR vol request.
 *
 * @category model
 * @since 0.1.0
 */
export type SabrVolInput = t.TypeOf<typeof SabrVolInput>

/**
 * Rule texts of the branded codecs used above, keyed by codec name, each printed from the same
 * `Bounds` entry as the codec's check.
 *
 * @category decoding
 * @since 0.1.0
 */
export const sabrInputRules: Readonly<Record<string, string>> = {
  Positive: boundRule(Bounds.positive),
  Years: boundRule(Bounds.nonNegative),
  NonNegative: boundRule(Bounds.nonNegative),
  SabrBeta: boundRule(Bounds.beta),
  Correlation: boundRule(Bounds.correlation),
  '"hagan2002" | "obloj2008" | "normal"': "must be one of 'hagan2002', 'obloj2008', 'normal'",
  SabrVolInput: 'must be an object { forward, strike, expiry, alpha, beta, rho, nu, formula? }',
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Decodes an unknown value as a {@link SabrVolInput}; on failure one `InvalidInput` per
 * offending field, e.g. `field rho = 1: must be a finite number in (-1, 1)`.
 *
 * Verified by spec/pricing/sabr.spec.ts.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeSabrVolInput = (input: unknown): E.Either<readonly InvalidInput[], SabrVolInput> =>
  mapLeft((errors: t.Errors): readonly InvalidInput[] => {
    const all = fromValidationErrors(errors.map(withoutIntersectionIndex), sabrInputRules)
    // both intersection members report a non-object root: keep one error per message
    return all.filter((e, i) => all.findIndex((f) => f.message === e.message) === i)
  })(SabrVolInput.decode(input))

// An intersection adds its member index ('0', '1') to the path; the field name is what callers
// need, so those entries are dropped.
const withoutIntersectionIndex = (e: t.ValidationError): t.ValidationError => ({
  ...e,
  context: e.context.filter((_c, i) => i === 0 || !(e.context[i - 1]?.type instanceof t.IntersectionType)),
})
