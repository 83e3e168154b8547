/**
 * A daily price history (what `readPriceHistory` produces and the risk stage consumes).
 *
 * @module
 * @since 0.1.0
 */

/**
 * A daily close series: `dates[i]` (`YYYY-MM-DD`, UTC) and `closes[i]` (quote currency).
 *
 * @category model
 * @since 0.1.0
 */
export interface PriceHistory {
  /** UTC dates, ascending, `YYYY-MM-DD`. */
  readonly dates: readonly string[]
  /** Close prices. */
  readonly closes: Float64Array
}
