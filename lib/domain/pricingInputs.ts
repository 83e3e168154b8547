/**
 * The io-ts codecs of pricing requests (`black76PriceChecked`, `black76GreeksChecked`,
 * `impliedVolChecked`, `sabrVolChecked`), built
 * from the branded units of units.ts so that the rule in every error message is printed from
 * the same `Bounds` entry the check applies.
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'
import type * as E from 'fp-ts/lib/Either.js'
import { mapLeft } from 'fp-ts/lib/Either.js'
import { type InvalidInput, boundRule, fromValidationErrors } from './errors.js'
import {
  AnnualVol,
  Bounds,
  Correlation,
  DiscountFactor,
  NonNegative,
  OptionKind,
  Positive,
  SabrBeta,
  Years,
} from './units.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * An optional field: `undefined` passes, anything else must pass `codec`. Unlike
 * `t.partial` inside `t.intersection`, the failing context ends with this codec (named after
 * `codec`), so the error path is the bare field name and the rule lookup by name works.
 */
const optionalField = <C extends t.Mixed>(
  codec: C,
): t.Type<t.TypeOf<C> | undefined, t.OutputOf<C> | undefined, unknown> =>
  new t.Type<t.TypeOf<C> | undefined, t.OutputOf<C> | undefined, unknown>(
    codec.name,
    (u): u is t.TypeOf<C> | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  )

/** Decodes with `codec`; on failure one `InvalidInput` per offending field, rules from `rules`. */
const decodeWith = <C extends t.Mixed>(
  codec: C,
  rules: Readonly<Record<string, string>>,
  input: unknown,
): E.Either<readonly InvalidInput[], t.TypeOf<C>> =>
  mapLeft((errors: t.Errors): readonly InvalidInput[] => fromValidationErrors(errors, rules))(
    codec.decode(input),
  )

/**
 * A Black-76 request: `kind` (`'call'` | `'put'`), forward and strike `Positive` (in (0, ∞)),
 * expiry `Years` (≥ 0, ACT/365), vol `AnnualVol` (≥ 0, decimal), optional discount
 * `DiscountFactor` (in (0, ∞), default 1).
 *
 * @category codecs
 * @since 0.1.0
 */
export const Black76Input = t.type(
  {
    kind: OptionKind,
    forward: Positive,
    strike: Positive,
    expiry: Years,
    vol: AnnualVol,
    discount: optionalField(DiscountFactor),
  },
  'Black76Input',
)
/**
 * A decoded Black-76 request.
 *
 * @category model
 * @since 0.1.0
 */
export type Black76Input = t.TypeOf<typeof Black76Input>

/**
 * Rule texts of the codecs of pricing requests, keyed by codec name; the bounded ones are
 * printed by `boundRule` from the same `Bounds` entry as the codec's check.
 *
 * @category decoding
 * @since 0.1.0
 */
export const pricingInputRules: Readonly<Record<string, string>> = {
  Positive: boundRule(Bounds.positive),
  Years: boundRule(Bounds.nonNegative),
  AnnualVol: boundRule(Bounds.nonNegative),
  DiscountFactor: boundRule(Bounds.discount),
  '"call" | "put"': "must be 'call' or 'put'",
  Black76Input: 'must be an object { kind, forward, strike, expiry, vol, discount? }',
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Decodes an unknown value as a {@link Black76Input}; on failure one `InvalidInput` per
 * offending field, e.g. `field forward = -1: must be a finite number in (0, ∞)`.
 *
 * Verified by spec/pricing/black76Checked.spec.ts.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeBlack76Input = (input: unknown): E.Either<readonly InvalidInput[], Black76Input> =>
  decodeWith(Black76Input, pricingInputRules, input)

// -------------------------------------------------------------------------------------
// implied volatility
// -------------------------------------------------------------------------------------

/**
 * An implied-volatility request: `kind` (`'call'` | `'put'`), forward, strike and expiry
 * `Positive` (in (0, ∞); an expiry of 0 carries no volatility information), price `NonNegative`
 * (discounted, ≥ 0), optional discount `DiscountFactor` (in (0, ∞), default 1).
 *
 * @category codecs
 * @since 0.1.0
 */
export const ImpliedVolInput = t.type(
  {
    kind: OptionKind,
    forward: Positive,
    strike: Positive,
    expiry: Positive,
    price: NonNegative,
    discount: optionalField(DiscountFactor),
  },
  'ImpliedVolInput',
)
/**
 * A decoded implied-volatility request.
 *
 * @category model
 * @since 0.1.0
 */
export type ImpliedVolInput = t.TypeOf<typeof ImpliedVolInput>

const impliedVolInputRules: Readonly<Record<string, string>> = {
  ...pricingInputRules,
  NonNegative: boundRule(Bounds.nonNegative),
  ImpliedVolInput: 'must be an object { kind, forward, strike, expiry, price, discount? }',
}

/**
 * Decodes an unknown value as an {@link ImpliedVolInput}; on failure one `InvalidInput` per
 * offending field, e.g. `field expiry = 0: must be a finite number in (0, ∞)`.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeImpliedVolInput = (input: unknown): E.Either<readonly InvalidInput[], ImpliedVolInput> =>
  decodeWith(ImpliedVolInput, impliedVolInputRules, input)

// -------------------------------------------------------------------------------------
// SABR volatility
// -------------------------------------------------------------------------------------

/**
 * A SABR vol request: forward and strike `Positive`, expiry `Years` (≥ 0), alpha `Positive`,
 * beta `SabrBeta` ∈ [0, 1], rho `Correlation` ∈ (−1, 1), nu `NonNegative`, and an optional
 * `formula` (`'hagan2002'` | `'obloj2008'` | `'normal'`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const SabrVolInput = t.type(
  {
    forward: Positive,
    strike: Positive,
    expiry: Years,
    alpha: Positive,
    beta: SabrBeta,
    rho: Correlation,
    nu: NonNegative,
    formula: optionalField(t.keyof({ hagan2002: null, obloj2008: null, normal: null })),
  },
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
 * Rule texts of the codecs of a SABR vol request, keyed by codec name, each bounded one printed
 * from the same `Bounds` entry as the codec's check.
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
  decodeWith(SabrVolInput, sabrInputRules, input)
