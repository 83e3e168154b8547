/**
 * Reader for the Deribit option-chain CSV layout (`get_book_summary_by_currency` + `ticker`, one
 * row per option, BTC and ETH in one file; see spec/fixtures/data/README.md).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type InputError, emptyInput } from '../domain/inputErrors.js'
import { parseInstrument } from '../domain/instrument.js'
import {
  type FutureQuote,
  type MarketSnapshot,
  type OptionQuote,
  type RejectedRow,
  SNAPSHOT_SCHEMA,
} from '../domain/snapshot.js'
import { type UtcTimestamp, normaliseUtc } from '../domain/time.js'
import type { NonNegative, Positive } from '../domain/units.js'
import { checkOptionCore, crossedWarning, optionalNonNegative, priceCell, rejectedRow } from './deribitRows.js'
import { type ForwardObservation, byRow, forwardTable, locateColumns, median, numberCell, toTable, tokenise } from './tabular.js'

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

const OPTIONAL = ['mark_price', 'implied_volatility', 'open_interest', 'futures_price', 'futures_instrument_name'] as const

const FORMAT = 'deribit-chain'

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

interface Group {
  key: string
  rows: number[]
  latestMs: number
  index: number[]
}

const parseIsoMs = (s: string): number | undefined => {
  const n = normaliseUtc(s)
  return n === undefined ? undefined : Date.parse(n)
}

/** Memoises a string → value parser for one read (timestamps and expiries repeat on every row). */
const memo = <A>(f: (s: string) => A): ((s: string) => A) => {
  const cache = new Map<string, A>()
  return (s) => {
    if (cache.has(s)) return cache.get(s) as A
    const v = f(s)
    cache.set(s, v)
    return v
  }
}

/**
 * Reads a Deribit option-chain CSV into one {@link MarketSnapshot} per underlying (the
 * `currency` column, e.g. BTC and ETH), sorted by underlying.
 *
 * Per snapshot: `premium: 'coin'` (inverse options: USD value = coin premium × forward);
 * `timestamp` = the latest valid `timestamp` cell of that underlying (the collector writes one
 * run-start time on every row), normalised to UTC; `spot` = the median `index_price` of that
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
 * is in exactly one of `options` or `rejected` of exactly one snapshot. Rows whose underlying has
 * no usable `timestamp`/`index_price` at all are rejected into the first snapshot.
 *
 * Errors (Left, whole file unusable): `EmptyInput` (no text, no data row, no underlying with a
 * valid timestamp and index price), `MalformedInput` (CSV syntax), `MissingColumn` (one of
 * {@link DERIBIT_CHAIN_COLUMNS}).
 *
 * Method: csv-parse, then two linear passes (groups, then rows) and one sort per expiry for the
 * medians: O(n log n). Deterministic: the same text gives the same snapshots.
 *
 * Verified by spec/io/deribitChain.spec.ts (the three real chains: counts against an independent
 * line split, codec round-trip; bad-input fixtures in spec/fixtures/io/).
 *
 * @example
 * readDeribitChain(readFileSync('spec/fixtures/data/deribit-chains/deribit_options_snapshot_20260822T153351Z.csv', 'utf8'))
 * // right([{ underlying: 'BTC', options: [...1038], ... }, { underlying: 'ETH', options: [...932], ... }])
 *
 * @category readers
 * @since 0.1.0
 */
export const readDeribitChain = (
  csvText: string,
  options: DeribitChainOptions = {},
): E.Either<InputError, MarketSnapshot[]> =>
  pipe(
    tokenise(csvText, FORMAT),
    E.chain((records) => toTable(FORMAT, records)),
    E.bindTo('table'),
    E.bind('cols', ({ table }) => locateColumns(FORMAT, table.header, DERIBIT_CHAIN_COLUMNS, OPTIONAL)),
    E.chain(({ table, cols }) => {
      const rows = table.rows
      const isoMs = memo(parseIsoMs)
      const width = table.header.length
      const cell = (r: ReadonlyArray<string>, i: number): string => (i < 0 ? '' : (r[i] ?? ''))

      // pass 1: group rows by underlying; latest timestamp and index prices per group
      const groups = new Map<string, Group>()
      const rowGroup: string[] = new Array<string>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as ReadonlyArray<string>
        let key = cell(r, cols.currency).trim()
        if (key === '') key = cell(r, cols.instrument_name).trim().split('-')[0] ?? ''
        rowGroup[i] = key
        let g = groups.get(key)
        if (g === undefined) {
          g = { key, rows: [], latestMs: -Infinity, index: [] }
          groups.set(key, g)
        }
        g.rows.push(i)
        if (r.length !== width) continue
        const ms = isoMs(cell(r, cols.timestamp).trim())
        if (ms !== undefined && ms > g.latestMs) g.latestMs = ms
        const ix = numberCell(cell(r, cols.index_price))
        if (ix !== null && ix > 0) g.index.push(ix)
      }
      const usable = [...groups.values()].filter((g) => g.key !== '' && Number.isFinite(g.latestMs) && g.index.length > 0)
      usable.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      if (usable.length === 0) return E.left(emptyInput(FORMAT, 'no underlying has a row with a valid timestamp and index_price'))

      const orphans: RejectedRow[] = []
      for (const g of groups.values()) {
        if (usable.includes(g)) continue
        const why =
          g.key === ''
            ? 'row has neither a currency nor an instrument name'
            : `no row of underlying ${g.key} has a valid timestamp and index_price, so it has no snapshot`
        for (const i of g.rows) orphans.push(rejectedRow(i + 1, g.key === '' ? 'currency' : 'index_price', why, undefined, cell(rows[i] as ReadonlyArray<string>, cols.instrument_name).trim()))
      }

      const snapshots = usable.map((g) => readGroup(g, rows, width, cols, cell, isoMs, options))
      const first = snapshots[0] as MarketSnapshot
      if (orphans.length > 0) first.rejected = byRow([...(first.rejected ?? []), ...orphans])
      return E.right(snapshots)
    }),
  )

type Cols = Record<(typeof DERIBIT_CHAIN_COLUMNS)[number] | (typeof OPTIONAL)[number], number>

const readGroup = (
  g: Group,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  width: number,
  cols: Cols,
  cell: (r: ReadonlyArray<string>, i: number) => string,
  isoMs: (s: string) => number | undefined,
  options: DeribitChainOptions,
): MarketSnapshot => {
  const snapshotMs = g.latestMs
  const snapshotIso = new Date(snapshotMs).toISOString()
  const options_: OptionQuote[] = []
  const rejected: RejectedRow[] = []
  const warnings: RejectedRow[] = []
  const kept = new Map<string, number>()
  const forwardObs: ForwardObservation[] = []
  const futurePrices = new Map<string, { expiry: string; prices: number[] }>()
  const fields = {
    instrument: 'instrument_name',
    optionType: 'option_type',
    strike: 'strike',
    expiry: 'expiry_datetime',
    currency: 'currency',
  }

  for (const i of g.rows) {
    const r = rows[i] as ReadonlyArray<string>
    const row = i + 1
    const name = cell(r, cols.instrument_name).trim()
    if (r.length !== width) {
      rejected.push(rejectedRow(row, '(row)', `row has ${r.length} fields, the header has ${width}`, r.length, name))
      continue
    }
    if (isoMs(cell(r, cols.timestamp).trim()) === undefined) {
      rejected.push(rejectedRow(row, 'timestamp', `unparseable timestamp ${JSON.stringify(cell(r, cols.timestamp))}`, cell(r, cols.timestamp), name))
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
      fields,
      isoMs,
      snapshotMs,
      snapshotIso,
    )
    if (E.isLeft(core)) {
      rejected.push(core.left)
      continue
    }
    const c = core.right
    const bid = priceCell(cell(r, cols.bid_price), false)
    if (E.isLeft(bid)) {
      rejected.push(rejectedRow(row, 'bid_price', bid.left, cell(r, cols.bid_price), name))
      continue
    }
    const ask = priceCell(cell(r, cols.ask_price), false)
    if (E.isLeft(ask)) {
      rejected.push(rejectedRow(row, 'ask_price', ask.left, cell(r, cols.ask_price), name))
      continue
    }
    const dup = kept.get(name)
    if (dup !== undefined) {
      rejected.push(rejectedRow(row, 'instrument_name', `duplicate instrument ${name} (first kept at row ${dup})`, name, name))
      continue
    }
    kept.set(name, row)

    const q: OptionQuote = {
      instrument: name,
      kind: c.kind,
      strike: c.strike as Positive,
      expiry: c.expiry as UtcTimestamp,
      bid: bid.right as NonNegative | null,
      ask: ask.right as NonNegative | null,
    }
    const crossed = crossedWarning(row, 'bid_price', name, bid.right, ask.right)
    if (crossed !== undefined) warnings.push(crossed)

    const fwd = numberCell(cell(r, cols.underlying))
    if (fwd !== null && fwd > 0) {
      q.forward = fwd as Positive
      forwardObs.push({ row, expiry: c.expiry, expiryMs: c.expiryMs, forward: fwd, name: cell(r, cols.underlying_name).trim() })
    } else {
      q.forward = null
      warnings.push(rejectedRow(row, 'underlying', `forward ${JSON.stringify(cell(r, cols.underlying))} is not a positive number (set to null)`, cell(r, cols.underlying), name))
    }
    q.openInterest = optionalNonNegative(cell(r, cols.open_interest), 'open_interest', row, name, warnings)
    const mark = optionalNonNegative(cell(r, cols.mark_price), 'mark_price', row, name, warnings)
    const iv = optionalNonNegative(cell(r, cols.implied_volatility), 'implied_volatility', row, name, warnings)
    q.exchangeMark = mark !== null && iv !== null ? { price: mark, iv } : null
    options_.push(q)

    const futName = cell(r, cols.futures_instrument_name).trim()
    const futPrice = numberCell(cell(r, cols.futures_price))
    if (futName !== '' && futPrice !== null && futPrice > 0) {
      const f = futurePrices.get(futName)
      if (f !== undefined) f.prices.push(futPrice)
      else {
        const p = parseInstrument(futName)
        if (E.isRight(p) && p.right.type === 'future' && p.right.underlying === g.key)
          futurePrices.set(futName, { expiry: p.right.expiry, prices: [futPrice] })
      }
    }
  }

  const table = forwardTable(forwardObs)
  const futures: FutureQuote[] = [...futurePrices.entries()]
    .map(([instrument, f]) => ({ instrument, expiry: f.expiry as UtcTimestamp, mark: median(f.prices) as Positive }))
    .sort((a, b) => Date.parse(a.expiry) - Date.parse(b.expiry) || (a.instrument < b.instrument ? -1 : 1))

  const snapshot: MarketSnapshot = {
    schema: SNAPSHOT_SCHEMA,
    timestamp: snapshotIso as UtcTimestamp,
    underlying: g.key,
    premium: 'coin',
    spot: median(g.index) as Positive,
    forwards: table.forwards,
    options: options_,
    futures,
    rejected: byRow(rejected),
    warnings: byRow([...warnings, ...table.warnings]),
    source: options.fileName === undefined ? { format: FORMAT } : { format: FORMAT, file: options.fileName },
  }
  return snapshot
}
