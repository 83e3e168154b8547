/**
 * Branded units and the io-ts codecs that produce them at the boundary.
 *
 * Every bound is declared once, in {@link Bounds}; the codec's check and the message of the
 * error it returns both read that definition, so a message can never state a bound the check
 * does not apply (the counter-example of QuantLib's SABR `beta` message).
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'

// -------------------------------------------------------------------------------------
// bounds
// -------------------------------------------------------------------------------------

/**
 * A closed or open interval on the real line. `lower`/`upper` may be infinite.
 *
 * @category bounds
 * @since 0.1.0
 */
export interface Bound {
  /** Lower end of the interval. */
  readonly lower: number
  /** Upper end of the interval. */
  readonly upper: number
  /** Whether `lower` itself is allowed. */
  readonly lowerInclusive: boolean
  /** Whether `upper` itself is allowed. */
  readonly upperInclusive: boolean
}

/**
 * Whether `x` is a finite number inside `b` (NaN and ±∞ are never inside).
 *
 * @category bounds
 * @since 0.1.0
 */
export const inBound = (b: Bound, x: number): boolean =>
  Number.isFinite(x) &&
  (b.lowerInclusive ? x >= b.lower : x > b.lower) &&
  (b.upperInclusive ? x <= b.upper : x < b.upper)

/**
 * The interval written the way the error messages print it, e.g. `(0, ∞)` or `[0, 1]`.
 *
 * @category bounds
 * @since 0.1.0
 */
export const showBound = (b: Bound): string => {
  const fmt = (x: number): string => (x === Infinity ? '∞' : x === -Infinity ? '-∞' : String(x))
  return `${b.lowerInclusive ? '[' : '('}${fmt(b.lower)}, ${fmt(b.upper)}${b.upperInclusive ? ']' : ')'}`
}

const interval = (lower: number, upper: number, lowerInclusive: boolean, upperInclusive: boolean): Bound => ({
  lower,
  upper,
  lowerInclusive,
  upperInclusive,
})

/**
 * The single definition of every domain bound used by the codecs below.
 *
 * @category bounds
 * @since 0.1.0
 */
export const Bounds = {
  /** Strictly positive and finite: forwards, strikes, spot. */
  positive: interval(0, Infinity, false, false),
  /** Zero or positive and finite: expiries, vols, prices, sizes. */
  nonNegative: interval(0, Infinity, true, false),
  /** A discount factor: (0, ∞); values above 1 (negative rates) are allowed. */
  discount: interval(0, Infinity, false, false),
  /** SABR beta: [0, 1]. */
  beta: interval(0, 1, true, true),
  /** A correlation strictly inside (−1, 1). */
  correlation: interval(-1, 1, false, false),
  /** A probability / confidence level strictly inside (0, 1). */
  probability: interval(0, 1, false, false),
} as const

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * Builds a branded number codec whose check is `inBound(bound, x)`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const boundedNumber = <B extends string>(
  name: B,
  bound: Bound,
): t.BrandC<t.NumberC, { readonly [K in B]: symbol }> =>
  t.brand(t.number, (n): n is t.Branded<number, { readonly [K in B]: symbol }> => inBound(bound, n), name)

/**
 * A strictly positive finite number (forward, strike, spot).
 *
 * @category codecs
 * @since 0.1.0
 */
export const Positive = boundedNumber('Positive', Bounds.positive)
/**
 * A strictly positive finite number.
 *
 * @category model
 * @since 0.1.0
 */
export type Positive = t.TypeOf<typeof Positive>

/**
 * A finite number ≥ 0.
 *
 * @category codecs
 * @since 0.1.0
 */
export const NonNegative = boundedNumber('NonNegative', Bounds.nonNegative)
/**
 * A finite number ≥ 0.
 *
 * @category model
 * @since 0.1.0
 */
export type NonNegative = t.TypeOf<typeof NonNegative>

/**
 * Time to expiry in years, ACT/365 (calendar days / 365 from UTC timestamps), ≥ 0.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Years = boundedNumber('Years', Bounds.nonNegative)
/**
 * Time to expiry in years, ACT/365.
 *
 * @category model
 * @since 0.1.0
 */
export type Years = t.TypeOf<typeof Years>

/**
 * Annualised volatility as a decimal (0.5 = 50%), ≥ 0.
 *
 * @category codecs
 * @since 0.1.0
 */
export const AnnualVol = boundedNumber('AnnualVol', Bounds.nonNegative)
/**
 * Annualised volatility as a decimal.
 *
 * @category model
 * @since 0.1.0
 */
export type AnnualVol = t.TypeOf<typeof AnnualVol>

/**
 * A discount factor P(0,T) in (0, ∞).
 *
 * @category codecs
 * @since 0.1.0
 */
export const DiscountFactor = boundedNumber('DiscountFactor', Bounds.discount)
/**
 * A discount factor.
 *
 * @category model
 * @since 0.1.0
 */
export type DiscountFactor = t.TypeOf<typeof DiscountFactor>

/**
 * A correlation in (−1, 1).
 *
 * @category codecs
 * @since 0.1.0
 */
export const Correlation = boundedNumber('Correlation', Bounds.correlation)
/**
 * A correlation in (−1, 1).
 *
 * @category model
 * @since 0.1.0
 */
export type Correlation = t.TypeOf<typeof Correlation>

/**
 * SABR beta in [0, 1].
 *
 * @category codecs
 * @since 0.1.0
 */
export const SabrBeta = boundedNumber('SabrBeta', Bounds.beta)
/**
 * SABR beta in [0, 1].
 *
 * @category model
 * @since 0.1.0
 */
export type SabrBeta = t.TypeOf<typeof SabrBeta>

/**
 * Option kind.
 *
 * @category codecs
 * @since 0.1.0
 */
export const OptionKind = t.keyof({ call: null, put: null })
/**
 * Option kind: `'call'` or `'put'`.
 *
 * @category model
 * @since 0.1.0
 */
export type OptionKind = t.TypeOf<typeof OptionKind>
