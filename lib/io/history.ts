/**
 * Reader for daily price histories (the layout of `spec/fixtures/data/history`: `timestamp,open,
 * close,volume,unix_timestamp,high,low`, one row per UTC day).
 *
 * @module
 * @since 0.1.0
 */
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidInput, invalidInput } from '../domain/errors.js'
import type { PriceHistory } from '../domain/history.js'

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

/**
 * Parses a daily history CSV with columns `timestamp` and `close`. Fails with
 * {@link InvalidInput} naming the row and field on a missing column, an unparseable or
 * non-positive close, or dates not strictly ascending.
 *
 * Verified by spec/risk/backtest.spec.ts (reads the BTC history fixture).
 *
 * @category reading
 * @since 0.1.0
 */
export const readPriceHistory = (csvText: string): E.Either<InvalidInput, PriceHistory> => {
  let rows: Record<string, string>[]
  try {
    rows = parse(csvText, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]
  } catch (e) {
    return E.left(invalidInput('(file)', null, `must be CSV: ${(e as Error).message}`))
  }
  if (rows.length === 0)
    return E.left(invalidInput('(file)', null, 'must have a header and at least one row'))
  const first = rows[0] as Record<string, string>
  for (const col of ['timestamp', 'close'])
    if (!(col in first)) return E.left(invalidInput(col, null, 'must be a column of the header'))
  const dates: string[] = []
  const closes = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, string>
    const date = (r['timestamp'] ?? '').slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      return E.left(invalidInput(`row ${i + 1}.timestamp`, r['timestamp'], 'must start with YYYY-MM-DD'))
    if (i > 0 && date <= (dates[i - 1] as string))
      return E.left(
        invalidInput(
          `row ${i + 1}.timestamp`,
          date,
          "must be after the previous row's date (dates strictly ascending)",
        ),
      )
    const c = Number(r['close'])
    if (!(Number.isFinite(c) && c > 0))
      return E.left(invalidInput(`row ${i + 1}.close`, r['close'], 'must be a finite number in (0, ∞)'))
    dates.push(date)
    closes[i] = c
  }
  return E.right({ dates, closes })
}
