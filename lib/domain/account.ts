/**
 * Accounts: collateral per currency and positions named as on Deribit. JSON with an io-ts codec.
 *
 * ```json
 * { "id": "a1", "collateral": { "BTC": 1.5, "USD": 2000 },
 *   "positions": [ { "instrument": "BTC-25SEP26-120000-P", "size": -2 },
 *                  { "instrument": "BTC-PERPETUAL", "size": 0.5 } ] }
 * ```
 * Sizes in units of the underlying, negative = short. Collateral is valued at the index.
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * A position: instrument name and signed size in units of the underlying. `entryPrice` (the
 * futures entry price in USD) is needed to value a future's unrealised P&L; options are valued
 * at their mark.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Position = t.intersection(
  [t.type({ instrument: t.string, size: t.number }), t.partial({ entryPrice: t.number })],
  'Position',
)
/**
 * A position.
 *
 * @category model
 * @since 0.1.0
 */
export type Position = t.TypeOf<typeof Position>

/**
 * An account.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Account = t.type(
  { id: t.string, collateral: t.record(t.string, t.number), positions: t.array(Position) },
  'Account',
)
/**
 * An account.
 *
 * @category model
 * @since 0.1.0
 */
export type Account = t.TypeOf<typeof Account>
