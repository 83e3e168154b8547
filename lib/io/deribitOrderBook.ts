/**
 * Reader for the Deribit order-book CSV layout (one `get_order_book` response per row, full depth
 * as Python literals; see spec/fixtures/data/README.md, `deribit-orderbook/`).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { InputError } from '../domain/inputErrors.js'
import type { BookLevel, MarketSnapshot, OptionQuote, RejectedRow } from '../domain/snapshot.js'
import type { UtcTimestamp } from '../domain/time.js'
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
  memoisedInstrumentParser,
  optionalNonNegative,
  pricesAndDuplicate,
  raggedRow,
  rejectedRow,
} from './deribitRows.js'
import { parsePythonLiteral } from './pythonLiteral.js'
import { type ForwardObservation, cellAt, numberCell, readCsvTable } from './tabular.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link readDeribitOrderBook}.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeribitOrderBookOptions {
  /** File name recorded in each snapshot's `source.file`. */
  readonly fileName?: string
}

/**
 * Columns {@link readDeribitOrderBook} requires; a file without one of them is a `MissingColumn`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DERIBIT_ORDERBOOK_COLUMNS = [
  'expiration_timestamp',
  'option_type',
  'instrument_name',
  'strike',
  'underlying_price',
  'underlying_index',
  'timestamp',
  'index_price',
  'best_bid_price',
  'best_bid_amount',
  'best_ask_price',
  'best_ask_amount',
  'bids',
  'asks',
] as const

const OPTIONAL = ['mark_price', 'mark_iv', 'open_interest', 'state'] as const

const FORMAT = 'deribit-orderbook'

type Cols = Record<(typeof DERIBIT_ORDERBOOK_COLUMNS)[number] | (typeof OPTIONAL)[number], number>

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

const epochMs = (s: string): number | undefined => {
  const v = numberCell(s)
  return v !== null && Number.isInteger(v) && v >= 0 && v <= 8.64e15 ? v : undefined
}

/**
 * Reads a Deribit order-book CSV into one {@link MarketSnapshot} per underlying (the instrument
 * name's prefix), sorted by underlying.
 *
 * Per snapshot: `premium: 'coin'`; `timestamp` = the latest quote time (`timestamp`, epoch ms) of
 * that underlying, since the collector calls the API once per instrument over a few minutes and
 * no single run time is written; `spot` = the median `index_price`; `forwards` = one per expiry,
 * the median `underlying_price` (source from `underlying_index`: `future` or `synthetic`), with a
 * warning when rows disagree; `futures` = the listed futures named in `underlying_index`, mark =
 * their median `underlying_price`.
 *
 * Per option: instrument, kind, strike, expiry (`expiration_timestamp`, ms, cross-checked against
 * the name), `bid`/`ask` = `best_bid_price`/`best_ask_price` (0 = no quote → null),
 * `bidSize`/`askSize` = `best_bid_amount`/`best_ask_amount` (null when that side is empty),
 * `bids`/`asks` = the full depth parsed from the Python literals `[[price, amount], ...]`, best
 * first (sorted if the file is not, with a warning), `quoteTime` = `timestamp`, `forward` =
 * `underlying_price`, `openInterest`, `exchangeMark` = `{ price: mark_price, iv: mark_iv / 100 }`
 * (comparison only). `bid_iv`/`ask_iv` are not read: they are Deribit's IVs of the best quotes in
 * percent with 0 meaning "no bid" and 500 the cap ("no ask"), irrelevant to prices; `greeks` and
 * `stats` are not read either.
 *
 * Rejected rows (`row` = 1-based data row): as for {@link readDeribitChain} (strike, expiry,
 * name, kind, expired, duplicate, negative price, ragged row), plus an unparseable quote
 * `timestamp` and a `bids`/`asks` cell that is not a list of `[price ≥ 0, amount ≥ 0]` pairs.
 * Warnings: crossed or locked book (field `best_bid_price`), best price differing from the first
 * depth level, unsorted depth, a `state` other than `open`, forward disagreement, an unusable
 * optional cell set to null. Rows whose name is not a valid option name are grouped by its prefix
 * and, when that prefix has no valid row, rejected into the first snapshot on `instrument_name`.
 *
 * Errors (Left): `EmptyInput` (no text, no data row, no row naming a valid option with a valid
 * timestamp and index price), `MalformedInput` (CSV syntax), `MissingColumn` (one of
 * {@link DERIBIT_ORDERBOOK_COLUMNS}).
 *
 * Method: csv-parse, the safe literal parser of lib/io/pythonLiteral.ts for depth, linear passes
 * plus per-expiry medians. Deterministic.
 *
 * Verified by spec/io/deribitOrderBook.spec.ts (the real 310-option file: counts, depth against
 * the best-price columns, codec round-trip).
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#readDeribitOrderBook}
 *
 * @category readers
 * @since 0.1.0
 */
export const readDeribitOrderBook = (
  csvText: string,
  options: DeribitOrderBookOptions = {},
): E.Either<InputError, MarketSnapshot[]> =>
  pipe(
    readCsvTable(FORMAT, csvText, DERIBIT_ORDERBOOK_COLUMNS, OPTIONAL),
    E.chain(({ table, cols }) => {
      const rows = table.rows
      const width = table.header.length
      const name = (r: ReadonlyArray<string>): string => (r[cols.instrument_name] ?? '').trim()
      const parse = memoisedInstrumentParser()
      return pipe(
        groupByUnderlying(FORMAT, rows, width, {
          key: (r) => {
            const p = parse(name(r))
            return E.isRight(p) && p.right.type === 'option'
              ? { key: p.right.underlying, trusted: true }
              : { key: name(r).split('-')[0] ?? '', trusted: false }
          },
          timeMs: (r) => epochMs(r[cols.timestamp] ?? ''),
          index: (r) => numberCell(r[cols.index_price]),
          name,
          keyField: 'instrument_name',
        }),
        E.map(({ groups, orphans }) =>
          attachOrphans(
            groups.map((g) => readGroup(g, rows, width, cols, parse, options)),
            orphans,
          ),
        ),
      )
    }),
  )

/** Parses a depth cell into levels; Left with the reason. `descending` for bids. */
const depthCell = (
  cell: string,
  descending: boolean,
): E.Either<string, { levels: BookLevel[]; sorted: boolean }> => {
  const text = cell.trim()
  if (text === '') return E.right({ levels: [], sorted: true })
  const v = parsePythonLiteral(text)
  if (E.isLeft(v))
    return E.left(
      `not a Python literal list of [price, amount] pairs (${v.left.rule.replace(/^must be a Python literal: /, '')})`,
    )
  if (!Array.isArray(v.right)) return E.left('not a list of [price, amount] pairs')
  const levels: BookLevel[] = []
  let sorted = true
  for (let j = 0; j < v.right.length; j++) {
    const lvl = v.right[j]
    if (!Array.isArray(lvl) || lvl.length !== 2) return E.left(`level ${j} is not a [price, amount] pair`)
    const [price, amount] = lvl
    if (typeof price !== 'number' || !(price >= 0) || typeof amount !== 'number' || !(amount >= 0))
      return E.left(`level ${j} is not a pair of numbers ≥ 0`)
    const prev = levels[j - 1]
    if (prev !== undefined && (descending ? price > prev.price : price < prev.price)) sorted = false
    levels.push({ price: price as NonNegative, amount: amount as NonNegative })
  }
  if (!sorted) levels.sort((a, b) => (descending ? b.price - a.price : a.price - b.price))
  return E.right({ levels, sorted })
}

const readGroup = (
  g: UnderlyingGroup,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  width: number,
  cols: Cols,
  parse: InstrumentParser,
  options: DeribitOrderBookOptions,
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
    const quoteMs = epochMs(cell(r, cols.timestamp))
    if (quoteMs === undefined) {
      rejected.push(
        rejectedRow(
          row,
          'timestamp',
          `unparseable timestamp ${JSON.stringify(cell(r, cols.timestamp))} (epoch ms)`,
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
        expiry: cell(r, cols.expiration_timestamp),
      },
      FIELDS,
      epochMs,
      g.latestMs,
      snapshotIso,
      parse,
    )
    if (E.isLeft(core)) {
      rejected.push(core.left)
      continue
    }
    const c = core.right
    const bids = depthCell(cell(r, cols.bids), true)
    if (E.isLeft(bids)) {
      rejected.push(rejectedRow(row, 'bids', bids.left, undefined, name))
      continue
    }
    const asks = depthCell(cell(r, cols.asks), false)
    if (E.isLeft(asks)) {
      rejected.push(rejectedRow(row, 'asks', asks.left, undefined, name))
      continue
    }
    const px = pricesAndDuplicate(
      row,
      name,
      cell(r, cols.best_bid_price),
      cell(r, cols.best_ask_price),
      PRICE_FIELDS,
      true,
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
      bidSize:
        bid === null
          ? null
          : optionalNonNegative(cell(r, cols.best_bid_amount), 'best_bid_amount', row, name, warnings),
      askSize:
        ask === null
          ? null
          : optionalNonNegative(cell(r, cols.best_ask_amount), 'best_ask_amount', row, name, warnings),
      bids: bids.right.levels,
      asks: asks.right.levels,
      quoteTime: new Date(quoteMs).toISOString() as UtcTimestamp,
    }
    const crossed = crossedWarning(row, 'best_bid_price', name, bid, ask)
    if (crossed !== undefined) warnings.push(crossed)
    for (const [side, depth, best] of [
      ['bids', bids.right, bid],
      ['asks', asks.right, ask],
    ] as const) {
      if (!depth.sorted)
        warnings.push(rejectedRow(row, side, `${side} levels were not best first (sorted)`, undefined, name))
      const top = depth.levels[0]?.price ?? null
      if (top !== best)
        warnings.push(
          rejectedRow(
            row,
            side === 'bids' ? 'best_bid_price' : 'best_ask_price',
            `best price ${best ?? 'none'} differs from the first ${side} level (${top ?? 'none'})`,
            { best, top },
            name,
          ),
        )
    }
    const state = cols.state < 0 ? '' : cell(r, cols.state).trim()
    if (state !== '' && state !== 'open')
      warnings.push(rejectedRow(row, 'state', `book state ${state} (not open)`, state, name))

    const fwd = numberCell(cell(r, cols.underlying_price))
    const fwdName = cell(r, cols.underlying_index).trim()
    if (fwd !== null && fwd > 0) {
      q.forward = fwd as Positive
      forwards.push({ row, expiry: c.expiry, expiryMs: c.expiryMs, forward: fwd, name: fwdName })
      futures.add(fwdName, fwd)
    } else {
      q.forward = null
      warnings.push(
        rejectedRow(
          row,
          'underlying_price',
          `forward ${JSON.stringify(cell(r, cols.underlying_price))} is not a positive number (set to null)`,
          cell(r, cols.underlying_price),
          name,
        ),
      )
    }
    q.openInterest = optionalNonNegative(cell(r, cols.open_interest), 'open_interest', row, name, warnings)
    const mark = optionalNonNegative(cell(r, cols.mark_price), 'mark_price', row, name, warnings)
    const ivPercent = optionalNonNegative(cell(r, cols.mark_iv), 'mark_iv', row, name, warnings)
    q.exchangeMark =
      mark !== null && ivPercent !== null ? { price: mark, iv: (ivPercent / 100) as NonNegative } : null
    out.push(q)
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

const FIELDS = {
  instrument: 'instrument_name',
  optionType: 'option_type',
  strike: 'strike',
  expiry: 'expiration_timestamp',
}
const PRICE_FIELDS = { bid: 'best_bid_price', ask: 'best_ask_price' }
