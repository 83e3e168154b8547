/**
 * Row checks shared by the Deribit readers (chain CSV and order-book file): the option's identity
 * (name, kind, strike, expiry, all cross-checked against the instrument name), expiry against the
 * snapshot time, and prices. Internal to `lib/io`.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InputError, type InputFormat, emptyInput } from '../domain/inputErrors.js'
import { parseInstrument } from '../domain/instrument.js'
import {
  type FutureQuote,
  type MarketSnapshot,
  type OptionQuote,
  type RejectedRow,
  SNAPSHOT_SCHEMA,
} from '../domain/snapshot.js'
import type { UtcTimestamp } from '../domain/time.js'
import type { NonNegative, OptionKind, Positive } from '../domain/units.js'
import { type ForwardObservation, byRow, forwardTable, median, numberCell } from './tabular.js'

/** The identity of an option row once every check has passed. */
export interface OptionCore {
  readonly instrument: string
  readonly underlying: string
  readonly kind: OptionKind
  readonly strike: number
  readonly expiry: string
  readonly expiryMs: number
}

/** An instrument-name parser ({@link parseInstrument} or a memoised copy of it). */
export type InstrumentParser = (name: string) => ReturnType<typeof parseInstrument>

/**
 * Memoises a string → value function for one read (names, timestamps and expiries repeat on
 * every row); `undefined` results are cached too.
 */
export const memoise = <A>(f: (s: string) => A): ((s: string) => A) => {
  const cache = new Map<string, A>()
  return (s) => {
    const hit = cache.get(s)
    if (hit !== undefined || cache.has(s)) return hit as A
    const v = f(s)
    cache.set(s, v)
    return v
  }
}

/** A memoised {@link parseInstrument} for one read (each name is parsed in pass 1 and again in pass 2). */
export const memoisedInstrumentParser = (): InstrumentParser => memoise(parseInstrument)

/** Raw cells of one row and the column names they came from (for messages). */
export interface CoreCells {
  readonly instrument: string
  readonly optionType: string
  readonly strike: string
  readonly expiry: string
  /** The row's underlying column (`currency`), when the layout has one. */
  readonly currency?: string
}

/** Column names for {@link CoreCells}. */
export interface CoreFields {
  readonly instrument: string
  readonly optionType: string
  readonly strike: string
  readonly expiry: string
  readonly currency?: string
}

/** Builds a rejected (or warning) row, omitting empty optional fields. */
export const rejectedRow = (
  row: number,
  field: string,
  reason: string,
  value?: unknown,
  instrument?: string,
): RejectedRow => {
  const r: RejectedRow = { row, field, reason }
  if (instrument !== undefined && instrument !== '') r.instrument = instrument
  if (value !== undefined) r.value = value
  return r
}

const reject = rejectedRow

/** The rejection of a row whose field count differs from the header's, or undefined when it matches. */
export const raggedRow = (
  row: number,
  r: ReadonlyArray<string>,
  width: number,
  instrument: string,
): RejectedRow | undefined =>
  r.length === width
    ? undefined
    : rejectedRow(row, '(row)', `row has ${r.length} fields, the header has ${width}`, r.length, instrument)

/** Parses a strike cell: Left with the reason (missing, not a number, negative, zero). */
export const strikeCell = (cell: string): E.Either<string, number> => {
  const k = numberCell(cell)
  if (k === null) return E.left('missing strike')
  if (Number.isNaN(k)) return E.left(`strike ${JSON.stringify(cell.trim())} is not a number`)
  if (k < 0) return E.left(`negative strike ${k} (must be > 0)`)
  if (k === 0) return E.left('zero strike (must be > 0)')
  return E.right(k)
}

/**
 * Checks a row's identity. `parseExpiry` turns the expiry cell into epoch ms (undefined when
 * unparseable). Rejections, in order: missing name, unknown option type, strike (missing, not a
 * number, negative, zero), expiry (missing, unparseable), unparseable name or not an option,
 * underlying / kind / strike / expiry disagreeing with the name, expired (expiry ≤ snapshot time).
 */
export const checkOptionCore = (
  row: number,
  cells: CoreCells,
  fields: CoreFields,
  parseExpiry: (cell: string) => number | undefined,
  snapshotMs: number,
  snapshotIso: string,
  parse: InstrumentParser = parseInstrument,
): E.Either<RejectedRow, OptionCore> => {
  const name = cells.instrument.trim()
  if (name === '') return E.left(reject(row, fields.instrument, 'missing instrument name'))
  const type = cells.optionType.trim().toLowerCase()
  if (type !== 'call' && type !== 'put')
    return E.left(
      reject(
        row,
        fields.optionType,
        `unknown option type ${JSON.stringify(cells.optionType)} (must be call or put)`,
        cells.optionType,
        name,
      ),
    )
  const strike = strikeCell(cells.strike)
  if (E.isLeft(strike)) return E.left(reject(row, fields.strike, strike.left, cells.strike, name))
  const expiryText = cells.expiry.trim()
  if (expiryText === '') return E.left(reject(row, fields.expiry, 'missing expiry', cells.expiry, name))
  const expiryMs = parseExpiry(expiryText)
  if (expiryMs === undefined || !Number.isFinite(expiryMs))
    return E.left(
      reject(row, fields.expiry, `unparseable expiry ${JSON.stringify(expiryText)}`, cells.expiry, name),
    )
  const parsed = parse(name)
  if (E.isLeft(parsed))
    return E.left(reject(row, fields.instrument, `instrument name ${parsed.left.rule}`, name, name))
  const inst = parsed.right
  if (inst.type !== 'option')
    return E.left(reject(row, fields.instrument, `not an option instrument (${inst.type})`, name, name))
  if (cells.currency !== undefined && fields.currency !== undefined) {
    const cur = cells.currency.trim()
    if (cur !== '' && cur !== inst.underlying)
      return E.left(
        reject(
          row,
          fields.currency,
          `${fields.currency} ${cur} does not match the instrument name (${inst.underlying})`,
          cur,
          name,
        ),
      )
  }
  if (type !== inst.kind)
    return E.left(
      reject(
        row,
        fields.optionType,
        `${fields.optionType} ${type} does not match the instrument name (${inst.kind})`,
        cells.optionType,
        name,
      ),
    )
  if (Math.abs(strike.right - inst.strike) > 1e-9 * inst.strike)
    return E.left(
      reject(
        row,
        fields.strike,
        `strike ${strike.right} does not match the instrument name (${inst.strike})`,
        strike.right,
        name,
      ),
    )
  const nameMs = Date.parse(inst.expiry)
  if (nameMs !== expiryMs)
    return E.left(
      reject(
        row,
        fields.expiry,
        `expiry ${new Date(expiryMs).toISOString()} does not match the instrument name (${inst.expiry})`,
        cells.expiry,
        name,
      ),
    )
  if (expiryMs <= snapshotMs)
    return E.left(
      reject(
        row,
        fields.expiry,
        `expired option: expiry ${inst.expiry} is not after the snapshot time ${snapshotIso}`,
        cells.expiry,
        name,
      ),
    )
  return E.right({
    instrument: name,
    underlying: inst.underlying,
    kind: inst.kind,
    strike: inst.strike,
    expiry: inst.expiry,
    expiryMs,
  })
}

/**
 * Parses a price cell: `null` when empty (no quote on that side), Left with the reason when not a
 * number or negative. `zeroIsEmpty` maps 0 to `null` (layouts that write 0 for "no quote").
 */
export const priceCell = (
  cell: string | undefined,
  zeroIsEmpty: boolean,
): E.Either<string, number | null> => {
  const p = numberCell(cell)
  if (p === null) return E.right(null)
  if (Number.isNaN(p)) return E.left(`price ${JSON.stringify((cell ?? '').trim())} is not a number`)
  if (p < 0) return E.left(`negative price ${p}`)
  return E.right(zeroIsEmpty && p === 0 ? null : p)
}

/** A crossed (bid > ask) or locked (bid = ask) book as a warning, or undefined. */
export const crossedWarning = (
  row: number,
  field: string,
  instrument: string,
  bid: number | null,
  ask: number | null,
): RejectedRow | undefined => {
  if (bid === null || ask === null || bid < ask) return undefined
  return bid > ask
    ? reject(
        row,
        field,
        `crossed book: bid ${bid} > ask ${ask} (kept; to be marked by model)`,
        { bid, ask },
        instrument,
      )
    : reject(
        row,
        field,
        `locked book: bid ${bid} = ask ${ask} (kept; to be marked by model)`,
        { bid, ask },
        instrument,
      )
}

/**
 * An optional number cell that must be ≥ 0 (open interest, sizes, exchange marks): `null` when
 * empty; when not a number or negative, `null` plus a warning on `field` (the quote is kept).
 */
export const optionalNonNegative = (
  raw: string,
  field: string,
  row: number,
  name: string,
  warnings: RejectedRow[],
): NonNegative | null => {
  const v = numberCell(raw)
  if (v === null) return null
  if (Number.isNaN(v) || v < 0) {
    warnings.push(
      rejectedRow(
        row,
        field,
        `${field} ${JSON.stringify(raw.trim())} is not a number ≥ 0 (set to null)`,
        raw,
        name,
      ),
    )
    return null
  }
  return v as NonNegative
}

// -------------------------------------------------------------------------------------
// the skeleton shared by the two Deribit readers
// -------------------------------------------------------------------------------------

/** The rows of one underlying, its latest valid row time and its index-price observations. */
export interface UnderlyingGroup {
  readonly key: string
  readonly rows: number[]
  latestMs: number
  readonly index: number[]
  /** Whether some row of the group names an option of this underlying consistently. */
  trusted: boolean
}

/** How to read a row's underlying key, time, index price and name. */
export interface GroupingCells {
  /**
   * The row's underlying and whether it is trusted (the instrument name parses as an option of
   * that underlying and agrees with the layout's own underlying column, if any).
   */
  readonly key: (r: ReadonlyArray<string>) => { readonly key: string; readonly trusted: boolean }
  readonly timeMs: (r: ReadonlyArray<string>) => number | undefined
  readonly index: (r: ReadonlyArray<string>) => number | null
  readonly name: (r: ReadonlyArray<string>) => string
  /** Field named when a row's underlying has no snapshot. */
  readonly keyField: string
}

/**
 * Pass 1: groups data rows by underlying. A group gets a snapshot when some well-formed row of it
 * is trusted (so that one corrupted name or currency cell cannot create a phantom underlying) and
 * has a valid time and a positive index price. Rows of the other groups become `orphans`, rejected
 * into the first snapshot. Left when no group gets a snapshot.
 */
export const groupByUnderlying = (
  format: InputFormat,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  width: number,
  cells: GroupingCells,
): E.Either<InputError, { groups: UnderlyingGroup[]; orphans: RejectedRow[] }> => {
  const groups = new Map<string, UnderlyingGroup>()
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as ReadonlyArray<string>
    const { key, trusted } = cells.key(r)
    let g = groups.get(key)
    if (g === undefined) {
      g = { key, rows: [], latestMs: -Infinity, index: [], trusted: false }
      groups.set(key, g)
    }
    g.rows.push(i)
    if (r.length !== width || !trusted) continue
    const ms = cells.timeMs(r)
    const ix = cells.index(r)
    if (ms === undefined || ix === null || !(ix > 0)) continue
    g.trusted = true
    if (ms > g.latestMs) g.latestMs = ms
    g.index.push(ix)
  }
  const usable = [...groups.values()].filter((g) => g.key !== '' && g.trusted)
  usable.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  if (usable.length === 0)
    return E.left(emptyInput(format, 'no row names a valid option and has a valid timestamp and index_price'))
  const orphans: RejectedRow[] = []
  for (const g of groups.values()) {
    if (g.trusted && g.key !== '') continue
    const why =
      g.key === ''
        ? 'row names no underlying'
        : `underlying ${JSON.stringify(g.key)} has no row with a valid option name, timestamp and index_price, so it has no snapshot`
    for (const i of g.rows)
      orphans.push(reject(i + 1, cells.keyField, why, g.key, cells.name(rows[i] as ReadonlyArray<string>)))
  }
  return E.right({ groups: usable, orphans })
}

/** Adds the orphan rows to the first snapshot's `rejected` (in row order). */
export const attachOrphans = (
  snapshots: MarketSnapshot[],
  orphans: ReadonlyArray<RejectedRow>,
): MarketSnapshot[] => {
  const first = snapshots[0]
  if (first !== undefined && orphans.length > 0)
    first.rejected = byRow([...(first.rejected ?? []), ...orphans])
  return snapshots
}

/**
 * Bid and ask cells, then the duplicate check (last, so that only kept rows count as "first"):
 * Left with the rejected row; on success the name is recorded in `kept`.
 */
export const pricesAndDuplicate = (
  row: number,
  name: string,
  bidCell: string,
  askCell: string,
  fields: { readonly bid: string; readonly ask: string },
  zeroIsEmpty: boolean,
  kept: Map<string, number>,
): E.Either<RejectedRow, { bid: number | null; ask: number | null }> => {
  const bid = priceCell(bidCell, zeroIsEmpty)
  if (E.isLeft(bid)) return E.left(reject(row, fields.bid, bid.left, bidCell, name))
  const ask = priceCell(askCell, zeroIsEmpty)
  if (E.isLeft(ask)) return E.left(reject(row, fields.ask, ask.left, askCell, name))
  const dup = kept.get(name)
  if (dup !== undefined)
    return E.left(
      reject(row, 'instrument_name', `duplicate instrument ${name} (first kept at row ${dup})`, name, name),
    )
  kept.set(name, row)
  return E.right({ bid: bid.right, ask: ask.right })
}

/** Collects listed-future prices per name; `list()` gives one FutureQuote per future, mark = median. */
export const futureMarks = (underlying: string) => {
  const prices = new Map<string, { expiry: string; prices: number[] }>()
  return {
    add(name: string, price: number | null): void {
      if (name === '' || price === null || !(price > 0)) return
      const f = prices.get(name)
      if (f !== undefined) {
        f.prices.push(price)
        return
      }
      const p = parseInstrument(name)
      if (E.isRight(p) && p.right.type === 'future' && p.right.underlying === underlying)
        prices.set(name, { expiry: p.right.expiry, prices: [price] })
    },
    list(): FutureQuote[] {
      return [...prices.entries()]
        .map(([instrument, f]) => ({
          instrument,
          expiry: f.expiry as UtcTimestamp,
          mark: median(f.prices) as Positive,
        }))
        .sort((a, b) => Date.parse(a.expiry) - Date.parse(b.expiry) || (a.instrument < b.instrument ? -1 : 1))
    },
  }
}

/** Assembles one coin-premium Deribit snapshot from a group's results. */
export const deribitSnapshot = (
  format: InputFormat,
  g: UnderlyingGroup,
  parts: {
    readonly options: OptionQuote[]
    readonly rejected: RejectedRow[]
    readonly warnings: RejectedRow[]
    readonly forwards: ReadonlyArray<ForwardObservation>
    readonly futures: FutureQuote[]
    readonly fileName: string | undefined
  },
): MarketSnapshot => {
  const table = forwardTable(parts.forwards)
  return {
    schema: SNAPSHOT_SCHEMA,
    timestamp: new Date(g.latestMs).toISOString() as UtcTimestamp,
    underlying: g.key,
    premium: 'coin',
    spot: median(g.index) as Positive,
    forwards: table.forwards,
    options: parts.options,
    futures: parts.futures,
    rejected: byRow(parts.rejected),
    warnings: byRow([...parts.warnings, ...table.warnings]),
    source: parts.fileName === undefined ? { format } : { format, file: parts.fileName },
  }
}
