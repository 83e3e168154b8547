/**
 * Shared plumbing of the CSV readers: tokenising with csv-parse, locating required columns,
 * strict number cells, medians, and the per-expiry forward table with its disagreement warnings.
 * Internal to `lib/io` (not part of the public index).
 *
 * @module
 * @since 0.1.0
 */
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import {
  type InputError,
  type InputFormat,
  emptyInput,
  malformedInput,
  missingColumn,
} from '../domain/inputErrors.js'
import { parseInstrument } from '../domain/instrument.js'
import type { ForwardQuote, RejectedRow } from '../domain/snapshot.js'
import type { Positive } from '../domain/units.js'
import type { UtcTimestamp } from '../domain/time.js'

/** A tokenised CSV table: header cells and data records (strings, untrimmed). */
export interface CsvTable {
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
}

/**
 * Tokenises CSV text (BOM stripped, empty lines skipped, ragged rows allowed so that a short row
 * becomes a rejected row instead of failing the file). Left on a syntax error or no header.
 */
export const tokenise = (
  text: string,
  format: InputFormat,
): E.Either<InputError, ReadonlyArray<ReadonlyArray<string>>> => {
  if (text.trim() === '') return E.left(emptyInput(format, 'no text'))
  try {
    const records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      relax_quotes: false,
    }) as string[][]
    return E.right(records)
  } catch (e) {
    const err = e as { message?: string; lines?: number }
    return E.left(
      malformedInput(format, typeof err.lines === 'number' ? err.lines : null, String(err.message ?? e)),
    )
  }
}

/** Splits tokenised records into header and data rows; Left when there is no data row. */
const toTable = (
  format: InputFormat,
  records: ReadonlyArray<ReadonlyArray<string>>,
): E.Either<InputError, CsvTable> => {
  const header = records[0]
  if (header === undefined) return E.left(emptyInput(format, 'no header'))
  if (records.length < 2) return E.left(emptyInput(format, 'header but no data row'))
  return E.right({ header: header.map((h) => h.trim()), rows: records.slice(1) })
}

/** Index of every required column (Left naming the first missing one) and of the optional ones (−1 when absent). */
const locateColumns = <R extends string, O extends string>(
  format: InputFormat,
  header: ReadonlyArray<string>,
  required: ReadonlyArray<R>,
  optional: ReadonlyArray<O>,
): E.Either<InputError, Record<R | O, number>> => {
  const out = {} as Record<R | O, number>
  for (const c of required) {
    const i = header.indexOf(c)
    if (i < 0) return E.left(missingColumn(format, c))
    out[c] = i
  }
  for (const c of optional) out[c] = header.indexOf(c)
  return E.right(out)
}

/**
 * The preamble of every header-keyed CSV reader: tokenise, split header and data rows, locate the
 * required and optional columns. Left as for {@link tokenise}, {@link toTable} and
 * {@link locateColumns}.
 */
export const readCsvTable = <R extends string, O extends string>(
  format: InputFormat,
  text: string,
  required: ReadonlyArray<R>,
  optional: ReadonlyArray<O>,
): E.Either<InputError, { readonly table: CsvTable; readonly cols: Record<R | O, number> }> =>
  pipe(
    tokenise(text, format),
    E.chain((records) => toTable(format, records)),
    E.bindTo('table'),
    E.bind('cols', ({ table }) => locateColumns(format, table.header, required, optional)),
  )

/** A row's cell at a column index: `''` for an absent optional column (−1) or a short row. */
export const cellAt = (r: ReadonlyArray<string>, i: number): string => (i < 0 ? '' : (r[i] ?? ''))

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * A strict decimal number cell: `null` when empty (after trimming), `NaN` when not a finite
 * decimal number (hex, `Infinity`, `1e309`, words), the value otherwise.
 */
export const numberCell = (cell: string | undefined): number | null => {
  const s = (cell ?? '').trim()
  if (s === '') return null
  if (!DECIMAL.test(s)) return NaN
  const v = Number(s)
  return Number.isFinite(v) ? v : NaN
}

/** Median of a non-empty list (mean of the two middle values for an even count); NaN when empty. */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return NaN
  const v = Float64Array.from(values).sort()
  const h = v.length >> 1
  return v.length % 2 === 1 ? (v[h] as number) : ((v[h - 1] as number) + (v[h] as number)) / 2
}

/** One row's forward observation for an expiry. */
export interface ForwardObservation {
  readonly row: number
  readonly expiry: string
  readonly expiryMs: number
  readonly forward: number
  /** The source's name for the forward (`BTC-27MAR26`, `SYN.BTC-16JAN26`, `index_price`). */
  readonly name: string
}

/** `future` for a listed future name, `synthetic` for `SYN.…`, `index` for `index_price`. */
const forwardSource = (name: string): ForwardQuote['source'] | undefined => {
  if (name.startsWith('SYN.')) return 'synthetic'
  if (name === 'index_price' || name === 'index') return 'index'
  const p = parseInstrument(name)
  return E.isRight(p) && p.right.type === 'future' ? 'future' : undefined
}

const fmt = (x: number): string => String(Number(x.toPrecision(10)))

/**
 * One forward per expiry (ascending): the median of the rows' observations; when they disagree,
 * a warning on the first row of that expiry names the range, the spread (absolute and relative)
 * and the median used.
 */
export const forwardTable = (
  observations: ReadonlyArray<ForwardObservation>,
): { forwards: ForwardQuote[]; warnings: RejectedRow[] } => {
  const byExpiry = new Map<number, ForwardObservation[]>()
  for (const o of observations) {
    const list = byExpiry.get(o.expiryMs)
    if (list === undefined) byExpiry.set(o.expiryMs, [o])
    else list.push(o)
  }
  const forwards: ForwardQuote[] = []
  const warnings: RejectedRow[] = []
  for (const expiryMs of [...byExpiry.keys()].sort((a, b) => a - b)) {
    const list = byExpiry.get(expiryMs) as ForwardObservation[]
    const first = list[0] as ForwardObservation
    const values = list.map((o) => o.forward)
    const f = median(values)
    let lo = Infinity
    let hi = -Infinity
    for (const v of values) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const source = forwardSource(first.name)
    const q: ForwardQuote = { expiry: first.expiry as UtcTimestamp, forward: f as Positive }
    if (source !== undefined) q.source = source
    if (source === 'future' || source === 'synthetic') q.instrument = first.name
    forwards.push(q)
    if (hi > lo) {
      const names = [...new Set(list.map((o) => o.name))]
      warnings.push({
        row: first.row,
        field: 'underlying',
        instrument: first.name,
        value: hi - lo,
        reason:
          `forward of expiry ${first.expiry} disagrees across ${list.length} rows` +
          `${names.length > 1 ? ` and ${names.length} names (${names.join(', ')})` : ''}: ` +
          `${fmt(lo)} to ${fmt(hi)} (spread ${fmt(hi - lo)}, ${((hi - lo) / f).toExponential(2)} relative); median ${fmt(f)} used`,
      })
    }
  }
  return { forwards, warnings }
}

/** Sorts rejected/warning rows by row number, stable for rows with several entries. */
export const byRow = (rows: RejectedRow[]): RejectedRow[] =>
  rows
    .map((r, i) => [r, i] as const)
    .sort((a, b) => a[0].row - b[0].row || a[1] - b[1])
    .map(([r]) => r)
