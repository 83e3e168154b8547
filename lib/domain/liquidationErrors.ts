/**
 * Errors of the liquidation stage: a closed, tagged union of plain data. Only "cannot compute" is
 * an error; a breached threshold, an insolvent account or a plan that cannot restore the buffer
 * are results (see `lib/liquidation/assess.ts`).
 *
 * Every error carries a one-line `message` naming the account and the field at fault.
 *
 * @module
 * @since 0.1.0
 */
import type { InvalidInput } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An option position whose instrument has no mark in the mark set passed in.
 *
 * @category model
 * @since 0.1.0
 */
export interface MissingMark {
  /** Tag. */
  readonly _tag: 'MissingMark'
  /** Account id. */
  readonly account: string
  /** Instrument name. */
  readonly instrument: string
  /** One-line message. */
  readonly message: string
}

/**
 * A position (or mark) whose expiry is not after the surface's `asOf`.
 *
 * @category model
 * @since 0.1.0
 */
export interface InstrumentExpired {
  /** Tag. */
  readonly _tag: 'InstrumentExpired'
  /** Account id (empty when raised while preparing the market). */
  readonly account: string
  /** Instrument name. */
  readonly instrument: string
  /** Expiry (UTC ISO). */
  readonly expiry: string
  /** Surface instant (UTC ISO). */
  readonly asOf: string
  /** One-line message. */
  readonly message: string
}

/**
 * A position on an underlying other than the surface's.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnderlyingMismatch {
  /** Tag. */
  readonly _tag: 'UnderlyingMismatch'
  /** Account id. */
  readonly account: string
  /** Instrument name. */
  readonly instrument: string
  /** Underlying of the instrument. */
  readonly underlying: string
  /** Underlying of the surface. */
  readonly expected: string
  /** One-line message. */
  readonly message: string
}

/**
 * A collateral currency that is neither the surface's underlying nor a USD stable (`USD`, `USDC`,
 * `USDT`), or a non-finite collateral amount.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnsupportedCollateral {
  /** Tag. */
  readonly _tag: 'UnsupportedCollateral'
  /** Account id. */
  readonly account: string
  /** Currency code. */
  readonly currency: string
  /** Amount found. */
  readonly amount: number
  /** One-line message. */
  readonly message: string
}

/**
 * A value the engine needs came out non-finite (e.g. the surface returned NaN total variance for
 * an instrument).
 *
 * @category model
 * @since 0.1.0
 */
export interface NonFiniteValue {
  /** Tag. */
  readonly _tag: 'NonFiniteValue'
  /** Account id (empty when raised while preparing the market). */
  readonly account: string
  /** What was computed (e.g. `model price of BTC-25SEP26-120000-P`). */
  readonly what: string
  /** One-line message. */
  readonly message: string
}

/**
 * Every error of the liquidation stage.
 *
 * @category model
 * @since 0.1.0
 */
export type LiquidationError =
  InvalidInput | MissingMark | InstrumentExpired | UnderlyingMismatch | UnsupportedCollateral | NonFiniteValue

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a {@link MissingMark}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const missingMark = (account: string, instrument: string): MissingMark => ({
  _tag: 'MissingMark',
  account,
  instrument,
  message: `account ${account}: no mark for ${instrument}`,
})

/**
 * Builds an {@link InstrumentExpired}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const instrumentExpired = (
  account: string,
  instrument: string,
  expiry: string,
  asOf: string,
): InstrumentExpired => ({
  _tag: 'InstrumentExpired',
  account,
  instrument,
  expiry,
  asOf,
  message: `account ${account}: ${instrument} expired at ${expiry}, not after the surface instant ${asOf}`,
})

/**
 * Builds an {@link UnderlyingMismatch}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const underlyingMismatch = (
  account: string,
  instrument: string,
  underlying: string,
  expected: string,
): UnderlyingMismatch => ({
  _tag: 'UnderlyingMismatch',
  account,
  instrument,
  underlying,
  expected,
  message: `account ${account}: ${instrument} is on ${underlying}, the surface is on ${expected}`,
})

/**
 * Builds an {@link UnsupportedCollateral}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unsupportedCollateral = (
  account: string,
  currency: string,
  amount: number,
): UnsupportedCollateral => ({
  _tag: 'UnsupportedCollateral',
  account,
  currency,
  amount,
  message: `account ${account}: collateral ${currency} = ${String(amount)} must be a finite amount of the underlying or of USD, USDC, USDT`,
})

/**
 * Builds a {@link NonFiniteValue}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const nonFiniteValue = (account: string, what: string): NonFiniteValue => ({
  _tag: 'NonFiniteValue',
  account,
  what,
  message: `account ${account}: ${what} is not finite`,
})
