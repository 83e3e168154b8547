/**
 * Errors of the pricing stage (implied volatility): a closed, tagged union of plain data, each
 * with a one-line `message`. Prices in the errors are as quoted (discounted, in the currency of
 * forward and strike).
 *
 * @module
 * @since 0.1.0
 */
import type { InvalidInput } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The price is below the discounted intrinsic value D·max(q(F − K), 0): no volatility
 * reproduces it (Black-76 values are never below intrinsic).
 *
 * @category model
 * @since 0.1.0
 */
export interface PriceBelowIntrinsic {
  /** Tag. */
  readonly _tag: 'PriceBelowIntrinsic'
  /** The quoted price. */
  readonly price: number
  /** The discounted intrinsic value it fell below. */
  readonly intrinsic: number
  /** One-line message. */
  readonly message: string
}

/**
 * The price is at or above the supremum of Black-76 values, D·F for a call and D·K for a put
 * (reached only as σ → ∞).
 *
 * @category model
 * @since 0.1.0
 */
export interface PriceAboveMaximum {
  /** Tag. */
  readonly _tag: 'PriceAboveMaximum'
  /** The quoted price. */
  readonly price: number
  /** D·F (call) or D·K (put). */
  readonly maximum: number
  /** One-line message. */
  readonly message: string
}

/**
 * The time value (price − intrinsic) is positive but too small, relative to the price, for a
 * double to carry volatility information: below `resolution`·price (the time value would have
 * fewer than about six significant bits), or a time value (absolute or normalised) below the
 * smallest normal double (≈ 2.2e-308), where doubles lose significant bits.
 *
 * @category model
 * @since 0.1.0
 */
export interface TimeValueBelowResolution {
  /** Tag. */
  readonly _tag: 'TimeValueBelowResolution'
  /** The quoted price. */
  readonly price: number
  /** Price minus discounted intrinsic value. */
  readonly timeValue: number
  /** The relative threshold applied (time value / price). */
  readonly resolution: number
  /** One-line message. */
  readonly message: string
}

/**
 * Everything implied-volatility inversion can fail with.
 *
 * @category model
 * @since 0.1.0
 */
export type PricingError = PriceBelowIntrinsic | PriceAboveMaximum | TimeValueBelowResolution | InvalidInput

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a {@link PriceBelowIntrinsic}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const priceBelowIntrinsic = (price: number, intrinsic: number): PriceBelowIntrinsic => ({
  _tag: 'PriceBelowIntrinsic',
  price,
  intrinsic,
  message: `price ${price} is below the discounted intrinsic value ${intrinsic}`,
})

/**
 * Builds a {@link PriceAboveMaximum}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const priceAboveMaximum = (price: number, maximum: number): PriceAboveMaximum => ({
  _tag: 'PriceAboveMaximum',
  price,
  maximum,
  message: `price ${price} is not below the maximum Black-76 value ${maximum} (D·F for a call, D·K for a put)`,
})

/**
 * Builds a {@link TimeValueBelowResolution}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const timeValueBelowResolution = (
  price: number,
  timeValue: number,
  resolution: number,
): TimeValueBelowResolution => ({
  _tag: 'TimeValueBelowResolution',
  price,
  timeValue,
  resolution,
  message: `time value ${timeValue} of price ${price} is below the resolution ${resolution}·price (or subnormal): the price carries no volatility information`,
})
