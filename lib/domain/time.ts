/**
 * Time conventions: UTC ISO-8601 timestamps and ACT/365 year fractions.
 *
 * Time to expiry is `(expiry − asOf) / (365 · 86 400 000 ms)`: ACT/365 Fixed on UTC instants,
 * the convention of Deribit's own mark IVs (its CSV column `time_to_maturity` uses 365.25 and is
 * therefore not used).
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'

/**
 * Milliseconds in one ACT/365 year.
 *
 * @category constants
 * @since 0.1.0
 */
export const MS_PER_YEAR = 365 * 86_400_000

/**
 * ACT/365 year fraction between two UTC instants given as ISO strings or epoch milliseconds.
 * Negative when `to` is before `from`.
 *
 * @example
 * yearFraction('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z') // 1
 *
 * @category time
 * @since 0.1.0
 */
export const yearFraction = (from: string | number, to: string | number): number => {
  const a = typeof from === 'number' ? from : Date.parse(from)
  const b = typeof to === 'number' ? to : Date.parse(to)
  return (b - a) / MS_PER_YEAR
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Normalises a timestamp with an explicit zone to `YYYY-MM-DDTHH:mm:ss.sssZ`; `undefined` when
 * the string is not ISO-8601 with a zone (a local time is ambiguous and rejected).
 *
 * @category time
 * @since 0.1.0
 */
export const normaliseUtc = (s: string): string | undefined => {
  if (!ISO_WITH_ZONE.test(s)) return undefined
  const ms = Date.parse(s)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

/**
 * Brand for a UTC timestamp string: ISO-8601 with an explicit zone (`Z` or `±hh:mm`).
 *
 * @category model
 * @since 0.1.0
 */
export interface UtcTimestampBrand {
  /** Brand marker. */
  readonly UtcTimestamp: unique symbol
}

/**
 * Codec for an ISO-8601 timestamp with an explicit zone.
 *
 * @category codecs
 * @since 0.1.0
 */
export const UtcTimestamp = t.brand(
  t.string,
  (s): s is t.Branded<string, UtcTimestampBrand> => normaliseUtc(s) !== undefined,
  'UtcTimestamp',
)
/**
 * An ISO-8601 timestamp with an explicit zone.
 *
 * @category model
 * @since 0.1.0
 */
export type UtcTimestamp = t.TypeOf<typeof UtcTimestamp>
