/**
 * The project's market snapshot schema (`mark-to-model/snapshot@1`) and its io-ts codec: what
 * every reader produces and every later stage consumes.
 *
 * Units: strikes, forwards and spot in the quote currency (USD); option premiums in the
 * snapshot's `premium` convention: `'coin'` (inverse, as on Deribit: USD premium = coin premium ×
 * forward) or `'quote'` (linear, USD). Sizes in units of the underlying. Timestamps UTC.
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { NonNegative, OptionKind, Positive } from './units.js'
import { UtcTimestamp } from './time.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * One price level of an order book: price in the premium convention, amount in units of the
 * underlying.
 *
 * @category codecs
 * @since 0.1.0
 */
export const BookLevel = t.type({ price: NonNegative, amount: NonNegative }, 'BookLevel')
/**
 * One price level of an order book.
 *
 * @category model
 * @since 0.1.0
 */
export type BookLevel = t.TypeOf<typeof BookLevel>

/**
 * The exchange's own mark for an option, kept only for comparison (`mtm validate`); never an
 * input to a mark.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ExchangeMark = t.type({ price: NonNegative, iv: NonNegative }, 'ExchangeMark')
/**
 * The exchange's own mark (comparison only).
 *
 * @category model
 * @since 0.1.0
 */
export type ExchangeMark = t.TypeOf<typeof ExchangeMark>

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null])

/**
 * A quoted option. `bid`/`ask` are `null` when that side is empty. `bids`/`asks` (full depth,
 * best first) supersede the top-of-book sizes when present. `forward` is the per-row forward the
 * source gives for this option's expiry, if any.
 *
 * @category codecs
 * @since 0.1.0
 */
export const OptionQuote = t.intersection(
  [
    t.type({
      instrument: t.string,
      kind: OptionKind,
      strike: Positive,
      expiry: UtcTimestamp,
      bid: nullable(NonNegative),
      ask: nullable(NonNegative),
    }),
    t.partial({
      bidSize: nullable(NonNegative),
      askSize: nullable(NonNegative),
      bids: t.array(BookLevel),
      asks: t.array(BookLevel),
      quoteTime: nullable(UtcTimestamp),
      forward: nullable(Positive),
      openInterest: nullable(NonNegative),
      exchangeMark: nullable(ExchangeMark),
    }),
  ],
  'OptionQuote',
)
/**
 * A quoted option.
 *
 * @category model
 * @since 0.1.0
 */
export type OptionQuote = t.TypeOf<typeof OptionQuote>

/**
 * A forward for one expiry: from a listed future, a synthetic forward or the index.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ForwardQuote = t.intersection(
  [
    t.type({ expiry: UtcTimestamp, forward: Positive }),
    t.partial({
      source: t.keyof({ future: null, synthetic: null, index: null, parity: null }),
      instrument: t.string,
    }),
  ],
  'ForwardQuote',
)
/**
 * A forward for one expiry.
 *
 * @category model
 * @since 0.1.0
 */
export type ForwardQuote = t.TypeOf<typeof ForwardQuote>

/**
 * A listed future or perpetual (`expiry: null`), prices in USD.
 *
 * @category codecs
 * @since 0.1.0
 */
export const FutureQuote = t.intersection(
  [
    t.type({ instrument: t.string, expiry: nullable(UtcTimestamp) }),
    t.partial({ bid: nullable(Positive), ask: nullable(Positive), mark: nullable(Positive) }),
  ],
  'FutureQuote',
)
/**
 * A listed future or perpetual.
 *
 * @category model
 * @since 0.1.0
 */
export type FutureQuote = t.TypeOf<typeof FutureQuote>

/**
 * An input row a reader could not turn into a quote, with the reason. Readers never drop a row
 * silently: every skipped row is one of these.
 *
 * @category codecs
 * @since 0.1.0
 */
export const RejectedRow = t.intersection(
  [
    t.type({ row: t.number, field: t.string, reason: t.string }),
    t.partial({ instrument: t.string, value: t.unknown }),
  ],
  'RejectedRow',
)
/**
 * A rejected input row (1-based data row number, field, reason). A snapshot's `rejected` rows are
 * not in `options`; its `warnings` rows are kept but flagged (e.g. a crossed book, which the
 * marking stage then marks by model).
 *
 * @category model
 * @since 0.1.0
 */
export type RejectedRow = t.TypeOf<typeof RejectedRow>

/**
 * Premium convention: `'coin'` = inverse (premium in units of the underlying, USD value =
 * premium × forward), `'quote'` = linear (premium in the quote currency).
 *
 * @category codecs
 * @since 0.1.0
 */
export const PremiumConvention = t.keyof({ coin: null, quote: null })
/**
 * Premium convention.
 *
 * @category model
 * @since 0.1.0
 */
export type PremiumConvention = t.TypeOf<typeof PremiumConvention>

/**
 * Schema identifier written in every snapshot JSON.
 *
 * @category constants
 * @since 0.1.0
 */
export const SNAPSHOT_SCHEMA = 'mark-to-model/snapshot@1'

/**
 * A market snapshot for one underlying at one instant.
 *
 * @category codecs
 * @since 0.1.0
 */
export const MarketSnapshot = t.intersection(
  [
    t.type({
      schema: t.literal(SNAPSHOT_SCHEMA),
      timestamp: UtcTimestamp,
      underlying: t.string,
      premium: PremiumConvention,
      spot: Positive,
      forwards: t.array(ForwardQuote),
      options: t.array(OptionQuote),
    }),
    t.partial({
      futures: t.array(FutureQuote),
      rejected: t.array(RejectedRow),
      warnings: t.array(RejectedRow),
      source: t.intersection([
        t.type({ format: t.string }),
        t.partial({ file: t.string, attribution: t.string }),
      ]),
    }),
  ],
  'MarketSnapshot',
)
/**
 * A market snapshot for one underlying at one instant.
 *
 * @category model
 * @since 0.1.0
 */
export type MarketSnapshot = t.TypeOf<typeof MarketSnapshot>
