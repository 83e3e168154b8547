/**
 * Reader for the Deribit option-chain CSV layout (`get_book_summary_by_currency` + `ticker`, one
 * row per option, BTC and ETH in one file; see spec/fixtures/data/README.md).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { InputError } from '../domain/inputErrors.js'
import type { MarketSnapshot, OptionQuote, RejectedRow } from '../domain/snapshot.js'
import { type UtcTimestamp, normaliseUtc } from '../domain/time.js'
import type { NonNegative, Positive } from '../domain/units.js'
import {
  type InstrumentParser,
  type UnderlyingGroup,
  attachOrphans,
  checkOptionCore,
  crossedWarning,
  deribitSnapshot,
  futureMarks,
  groupByUnderlying,
  memoise,
  memoisedInstrumentParser,
  optionalNonNegative,
  pricesAndDuplicate,
  raggedRow,
  rejectedRow,
} from './deribitRows.js'
import { type ForwardObservation, cellAt, numberCell, readCsvTable } from './tabular.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link readDeribitChain}.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeribitChainOptions {
  /** File name recorded in each snapshot's `source.file`. */
  readonly fileName?: string
}

/**
 * Columns {@link readDeribitChain} requires; a file without one of them is a `MissingColumn`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DERIBIT_CHAIN_COLUMNS = [
  'timestamp',
  'instrument_name',
  'underlying',
  'underlying_name',
  'option_type',
  'strike',
  'expiry_datetime',
  'bid_price',
  'ask_price',
  'currency',
  'index_price',
] as const

const OPTIONAL = [
  'mark_price',
  'implied_volatility',
  'open_interest',
  'futures_price',
  'futures_instrument_name',
] as const

const FORMAT = 'deribit-chain'

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

const parseIsoMs = (s: string): number | undefined => {
  const n = normaliseUtc(s)
  return n === undefined ? undefined : Date.parse(n)
}

/**
 * Reads a Deribit option-chain CSV into one {@link MarketSnapshot} per underlying (the
 * `currency` column, e.g. BTC and ETH), sorted by underlying.
 *
 * Per snapshot: `premium: 'coin'` (inverse options: USD value = coin premium × forward);
 * `timestamp` = the latest valid `timestamp` cell of that underlying (the collector writes one
 * run-start time on every row), normalised to UTC at millisecond precision (the file's
 * microseconds are dropped); `spot` = the median `index_price` of that
 * underlying (the column drifts over the minutes the collector runs); `forwards` = one per expiry,
 * the median of the rows' `underlying` (source `future` for a listed future name such as
 * `BTC-27MAR26`, `synthetic` for `SYN.…`, `index` for `index_price`), with a warning on the
 * expiry's first row giving the spread when rows disagree; `futures` = the listed futures named in
 * `futures_instrument_name`, mark = median `futures_price`.
 *
 * Per option: instrument, kind, strike and expiry (`expiry_datetime`, cross-checked against the
 * instrument name), `bid`/`ask` (`bid_price`/`ask_price`, empty → null, in coin), `forward` (the
 * row's `underlying`), `openInterest`, `exchangeMark` `{ price: mark_price, iv:
 * implied_volatility }` (comparison only; null when either is missing). No sizes (the layout
 * has none). Options keep file order.
 *
 * Rejected rows (not in `options`; `row` is the 1-based data row, header excluded): missing,
 * negative, zero or unparseable strike; missing or unparseable expiry; unparseable or non-option
 * instrument name; unknown `option_type`; underlying, kind, strike or expiry disagreeing with the
 * instrument name; expired option (expiry ≤ snapshot time); unparseable `timestamp`; negative or
 * unparseable price; duplicate instrument (the first kept row wins); a row whose field count
 * differs from the header's. Warnings (kept, flagged): crossed (bid > ask) or locked (bid = ask)
 * book, field `bid_price`; forward disagreement, field `underlying`; an unusable optional cell
 * (`underlying`, `open_interest`, `mark_price`, `implied_volatility`) set to null. Every data row
 * is in exactly one of `options` or `rejected` of exactly one snapshot. An underlying gets a
 * snapshot only if some row of it names a valid option of that underlying (name and `currency`
 * agreeing) with a valid `timestamp` and `index_price`; the rows of any other underlying (a
 * corrupted `currency` cell, say) are rejected into the first snapshot on field `currency`, so a
 * single bad cell cannot create a phantom snapshot.
 *
 * Errors (Left, whole file unusable): `EmptyInput` (no text, no data row, no row naming a valid
 * option with a valid timestamp and index price), `MalformedInput` (CSV syntax), `MissingColumn`
 * (one of {@link DERIBIT_CHAIN_COLUMNS}).
 *
 * Method: csv-parse, then two linear passes (groups, then rows) and one sort per expiry for the
 * medians: O(n log n). Deterministic: the same text gives the same snapshots.
 *
 * Verified by spec/io/deribitChain.spec.ts (the three real chains: counts against an independent
 * line split, codec round-trip; bad-input fixtures in spec/fixtures/io/).
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#readDeribitChain}
 *
 * @category readers
 * @since 0.1.0
 */
export const readDeribitChain = (
  csvText: string,
  options: DeribitChainOptions = {},
): E.Either<InputError, MarketSnapshot[]> =>
  pipe(
    readCsvTable(FORMAT, csvText, DERIBIT_CHAIN_COLUMNS, OPTIONAL),
    E.chain(({ table, cols }) => {
      const rows = table.rows
      const isoMs = memoise(parseIsoMs)
      const parse = memoisedInstrumentParser()
      const width = table.header.length
      const cell = cellAt
      return pipe(
        groupByUnderlying(FORMAT, rows, width, {
          key: (r) => chainKey(cell(r, cols.currency).trim(), cell(r, cols.instrument_name).trim(), parse),
          timeMs: (r) => isoMs(cell(r, cols.timestamp).trim()),
          index: (r) => numberCell(cell(r, cols.index_price)),
          name: (r) => cell(r, cols.instrument_name).trim(),
          keyField: 'currency',
        }),
        E.map(({ groups, orphans }) =>
          attachOrphans(
            groups.map((g) => readGroup(g, rows, width, cols, isoMs, parse, options)),
            orphans,
          ),
        ),
      )
    }),
  )

type Cols = Record<(typeof DERIBIT_CHAIN_COLUMNS)[number] | (typeof OPTIONAL)[number], number>

const readGroup = (
  g: UnderlyingGroup,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  width: number,
  cols: Cols,
  isoMs: (s: string) => number | undefined,
  parse: InstrumentParser,
  options: DeribitChainOptions,
): MarketSnapshot => {
  const snapshotIso = new Date(g.latestMs).toISOString()
  const out: OptionQuote[] = []
  const rejected: RejectedRow[] = []
  const warnings: RejectedRow[] = []
  const kept = new Map<string, number>()
  const forwards: ForwardObservation[] = []
  const futures = futureMarks(g.key)
  const cell = cellAt

  for (const i of g.rows) {
    const r = rows[i] as ReadonlyArray<string>
    const row = i + 1
    const name = cell(r, cols.instrument_name).trim()
    const ragged = raggedRow(row, r, width, name)
    if (ragged !== undefined) {
      rejected.push(ragged)
      continue
    }
    if (isoMs(cell(r, cols.timestamp).trim()) === undefined) {
      rejected.push(
        rejectedRow(
          row,
          'timestamp',
          `unparseable timestamp ${JSON.stringify(cell(r, cols.timestamp))}`,
          cell(r, cols.timestamp),
          name,
        ),
      )
      continue
    }
    const core = checkOptionCore(
      row,
      {
        instrument: name,
        optionType: cell(r, cols.option_type),
        strike: cell(r, cols.strike),
        expiry: cell(r, cols.expiry_datetime),
        currency: cell(r, cols.currency),
      },
      FIELDS,
      isoMs,
      g.latestMs,
      snapshotIso,
      parse,
    )
    if (E.isLeft(core)) {
      rejected.push(core.left)
      continue
    }
    const c = core.right
    const px = pricesAndDuplicate(
      row,
      name,
      cell(r, cols.bid_price),
      cell(r, cols.ask_price),
      PRICE_FIELDS,
      false,
      kept,
    )
    if (E.isLeft(px)) {
      rejected.push(px.left)
      continue
    }
    const { bid, ask } = px.right
    const q: OptionQuote = {
      instrument: name,
      kind: c.kind,
      strike: c.strike as Positive,
      expiry: c.expiry as UtcTimestamp,
      bid: bid as NonNegative | null,
      ask: ask as NonNegative | null,
    }
    const crossed = crossedWarning(row, 'bid_price', name, bid, ask)
    if (crossed !== undefined) warnings.push(crossed)

    const fwd = numberCell(cell(r, cols.underlying))
    if (fwd !== null && fwd > 0) {
      q.forward = fwd as Positive
      forwards.push({
        row,
        expiry: c.expiry,
        expiryMs: c.expiryMs,
        forward: fwd,
        name: cell(r, cols.underlying_name).trim(),
      })
    } else {
      q.forward = null
      warnings.push(
        rejectedRow(
          row,
          'underlying',
          `forward ${JSON.stringify(cell(r, cols.underlying))} is not a positive number (set to null)`,
          cell(r, cols.underlying),
          name,
        ),
      )
    }
    q.openInterest = optionalNonNegative(cell(r, cols.open_interest), 'open_interest', row, name, warnings)
    const mark = optionalNonNegative(cell(r, cols.mark_price), 'mark_price', row, name, warnings)
    const iv = optionalNonNegative(
      cell(r, cols.implied_volatility),
      'implied_volatility',
      row,
      name,
      warnings,
    )
    q.exchangeMark = mark !== null && iv !== null ? { price: mark, iv } : null
    out.push(q)
    futures.add(cell(r, cols.futures_instrument_name).trim(), numberCell(cell(r, cols.futures_price)))
  }
  return deribitSnapshot(FORMAT, g, {
    options: out,
    rejected,
    warnings,
    forwards,
    futures: futures.list(),
    fileName: options.fileName,
  })
}

/**
 * A chain row's underlying: the `currency` cell (the instrument-name prefix when it is empty),
 * trusted when the name parses as an option of that same underlying.
 */
const chainKey = (
  currency: string,
  name: string,
  parse: InstrumentParser,
): { key: string; trusted: boolean } => {
  const p = parse(name)
  const fromName = E.isRight(p) && p.right.type === 'option' ? p.right.underlying : undefined
  const key = currency !== '' ? currency : (fromName ?? name.split('-')[0] ?? '')
  return { key, trusted: fromName !== undefined && fromName === key }
}

const FIELDS = {
  instrument: 'instrument_name',
  optionType: 'option_type',
  strike: 'strike',
  expiry: 'expiry_datetime',
  currency: 'currency',
}
const PRICE_FIELDS = { bid: 'bid_price', ask: 'ask_price' }
