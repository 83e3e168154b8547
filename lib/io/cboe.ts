/**
 * Reader for the CBOE delayed-quote table (`quotedata.dat`: SPX and other index or equity
 * options, calls and puts side by side; see spec/fixtures/data/README.md, `spx/`), and the
 * New York time helper it needs.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidInput } from '../domain/errors.js'
import {
  type InputError,
  emptyInput,
  malformedInput,
  missingColumn,
  unrecognisedFormat,
} from '../domain/inputErrors.js'
import {
  type MarketSnapshot,
  type OptionQuote,
  type RejectedRow,
  SNAPSHOT_SCHEMA,
} from '../domain/snapshot.js'
import { type UtcTimestamp, normaliseUtc } from '../domain/time.js'
import type { NonNegative, OptionKind, Positive } from '../domain/units.js'
import { crossedWarning, optionalNonNegative, priceCell, rejectedRow, strikeCell } from './deribitRows.js'
import { numberCell, tokenise } from './tabular.js'

// -------------------------------------------------------------------------------------
// time
// -------------------------------------------------------------------------------------

const nthSunday = (year: number, month: number, n: number): number => {
  const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay()
  return 1 + ((7 - firstDow) % 7) + 7 * (n - 1)
}
const lastSunday = (year: number, month: number): number => {
  const last = new Date(Date.UTC(year, month + 1, 0))
  return last.getUTCDate() - last.getUTCDay()
}

/**
 * Converts a wall-clock time in New York (US Eastern) to epoch milliseconds UTC.
 *
 * Formula: UTC = local + 5 h (EST) or + 4 h (EDT). EDT applies from 02:00 local on the second
 * Sunday of March to 02:00 local on the first Sunday of November (Energy Policy Act of 2005, rules
 * from 2007); from 1987 to 2006, from the first Sunday of April to the last Sunday of October.
 * Years before 1987 use the 1987 rule.
 *
 * Units and edges: `month` is 1-12; no range check (JavaScript `Date.UTC` arithmetic rolls over).
 * In the repeated hour of the autumn change (01:00-02:00) the EDT reading is returned; in the
 * skipped spring hour (02:00-03:00) the EST reading. Exchange times of interest (09:30, 16:00) are
 * never ambiguous.
 *
 * Verified by spec/io/cboe.spec.ts against `Intl.DateTimeFormat` (`America/New_York`) at 09:30 and
 * 16:00 on every day of 2005-2030.
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#newYorkToUtcMs}
 *
 * @category time
 * @since 0.1.0
 */
export const newYorkToUtcMs = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number => {
  const local = Date.UTC(year, month - 1, day, hour, minute)
  const start =
    year >= 2007 ? Date.UTC(year, 2, nthSunday(year, 2, 2), 2) : Date.UTC(year, 3, nthSunday(year, 3, 1), 2)
  const end =
    year >= 2007 ? Date.UTC(year, 10, nthSunday(year, 10, 1), 1) : Date.UTC(year, 9, lastSunday(year, 9), 1)
  const dst = local >= start && local < end
  return local + (dst ? 4 : 5) * 3_600_000
}

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link readCboeQuotes}.
 *
 * @category model
 * @since 0.1.0
 */
export interface CboeQuotesOptions {
  /**
   * Snapshot time (ISO-8601 with a zone). Default: 16:00 New York time of the last weekday
   * session that closed before the download time on line 2.
   */
  readonly timestamp?: string
  /** File name recorded in the snapshot's `source.file`. */
  readonly fileName?: string
}

/**
 * Option roots whose standard (monthly) options are AM-settled: they expire at 09:30 New York
 * time on the expiration date (Special Opening Quotation). Every other root (SPXW, NDXP, RUTW,
 * equities) expires at 16:00 New York time.
 *
 * @category constants
 * @since 0.1.0
 */
export const AM_SETTLED_ROOTS: ReadonlyArray<string> = ['SPX', 'NDX', 'RUT', 'VIX']

const FORMAT = 'cboe-quotes'
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const SYMBOL = /^([A-Z]+)(\d{6})([CP])(\d{8})$/
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/
const DOWNLOAD = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) @ (\d{1,2}):(\d{2}) ET$/

/** Offset just after the n-th line break (the text length when there are fewer lines). */
const afterLine = (text: string, n: number): number => {
  let at = 0
  for (let k = 0; k < n; k++) {
    const i = text.indexOf('\n', at)
    if (i < 0) return text.length
    at = i + 1
  }
  return at
}

/** Default snapshot time: 16:00 ET of the last weekday whose close is at or before the download time. */
const defaultTimestamp = (line2: string): number | undefined => {
  const m = DOWNLOAD.exec(line2.trim())
  if (m === null) return undefined
  const month = MONTHS.indexOf(m[1] as string) + 1
  if (month === 0) return undefined
  const [y, d, hh, mm] = [Number(m[3]), Number(m[2]), Number(m[4]), Number(m[5])]
  const downloadMs = newYorkToUtcMs(y, month, d, hh, mm)
  const day = new Date(Date.UTC(y, month - 1, d))
  for (let k = 0; k < 8; k++) {
    const dow = day.getUTCDay()
    if (dow !== 0 && dow !== 6) {
      const close = newYorkToUtcMs(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 16, 0)
      if (close <= downloadMs) return close
    }
    day.setUTCDate(day.getUTCDate() - 1)
  }
  return undefined
}

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

interface Side {
  readonly kind: OptionKind
  readonly label: 'calls' | 'puts'
  readonly symbol: number
  readonly bid: number
  readonly ask: number
  readonly openInterest: number
}

/**
 * Reads a CBOE quote table into one {@link MarketSnapshot} (`premium: 'quote'`, USD).
 *
 * Layout: line 1 `^SPX (name),last,change`; line 2 the download time `May 13 2019 @ 04:47 ET,...`;
 * line 3 the header; then one data row per (expiry, strike) with the call columns after `Calls`,
 * then `Strike`, then the put columns after `Puts`. Each data row gives two options (call and put),
 * both reported with the same `row` (1-based data row; file line = row + 3).
 *
 * Snapshot: `underlying` = the symbol on line 1 without `^` (e.g. `SPX`); `spot` = last;
 * `timestamp` = `options.timestamp`, else 16:00 New York time of the last weekday session that
 * closed at or before the download time (the table of the fixture is the close of Friday
 * 2019-05-10, downloaded Monday 04:47 ET; exchange holidays are not known to the reader, so a
 * download on the morning after a holiday needs the override); `forwards` empty (the surface stage
 * derives forwards and discount factors by put-call parity).
 *
 * Per option: `instrument` = the OCC-style symbol (`SPXW190517C02900000`), kind, strike (the
 * `Strike` column, cross-checked against the symbol), expiry = the `Expiration Date` (checked
 * against the symbol's date) at 16:00 New York time, or 09:30 for the AM-settled monthly roots in
 * {@link AM_SETTLED_ROOTS}, converted to UTC with the DST rules of {@link newYorkToUtcMs};
 * `bid`/`ask` in USD with 0 read as "no quote" (null); `openInterest`. No sizes, depth or forward;
 * the table's IV/greeks are not read (no exchange mark price exists to pair them with).
 *
 * Rejected (not in `options`): expired option (expiry ≤ snapshot time, e.g. the 05/10/2019 rows of
 * the fixture), unparseable expiry or symbol, symbol kind/strike/date disagreeing with the row,
 * missing/negative/zero/unparseable strike, negative or unparseable price, duplicate symbol, a
 * ragged row. Warnings: crossed or locked book (field `calls.Bid` / `puts.Bid`), unusable open
 * interest.
 *
 * Errors (Left): `EmptyInput`; `UnrecognisedFormat` (line 3 is not a header with `Calls`,
 * `Strike`, `Puts`); `MissingColumn` (`Expiration Date`, or `Bid`, `Ask`, `Open Int` on either
 * side); `MalformedInput` (CSV syntax, line 1 without a positive last price, line 2 without a
 * download time when no timestamp is given); `InvalidInput` for an unparseable `options.timestamp`.
 *
 * Verified by spec/io/cboe.spec.ts (the real SPX table: counts against a line split, expired rows,
 * settlement times, codec round-trip).
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#readCboeQuotes}
 *
 * @category readers
 * @since 0.1.0
 */
export const readCboeQuotes = (
  text: string,
  options: CboeQuotesOptions = {},
): E.Either<InputError, MarketSnapshot> => {
  // The two preamble lines are tokenised apart from the table: csv-parse slows down several-fold
  // on a whole file once record lengths have varied (3, 9, then 22 fields).
  const body = afterLine(text, 2)
  const pre = tokenise(text.slice(0, body), FORMAT)
  if (E.isLeft(pre)) return pre
  const table =
    body < text.length && text.slice(body).trim() !== '' ? tokenise(text.slice(body), FORMAT) : E.right([])
  if (E.isLeft(table)) return table
  const [line1, line2] = pre.right
  const header = table.right[0]
  if (line1 === undefined) return E.left(emptyInput(FORMAT, 'no text'))
  if (header === undefined || line2 === undefined)
    return E.left(
      unrecognisedFormat(
        FORMAT,
        'expected an underlying line, a download-time line and a header',
        line1.join(','),
      ),
    )
  const underlying = (line1[0] ?? '').trim().replace(/^\^/, '').split(/\s+/)[0] ?? ''
  const last = numberCell(line1[1])
  if (underlying === '' || last === null || !(last > 0))
    return E.left(
      malformedInput(
        FORMAT,
        1,
        `line 1 must be "<symbol> (<name>),<last>,...", with last > 0; found ${JSON.stringify(line1.join(','))}`,
      ),
    )

  let snapshotMs: number
  if (options.timestamp !== undefined) {
    const n = normaliseUtc(options.timestamp)
    if (n === undefined)
      return E.left(
        invalidInput('timestamp', options.timestamp, 'must be ISO-8601 with a zone (Z or ±hh:mm)'),
      )
    snapshotMs = Date.parse(n)
  } else {
    const d = defaultTimestamp(line2[0] ?? '')
    if (d === undefined)
      return E.left(
        malformedInput(
          FORMAT,
          2,
          `line 2 must start with the download time "Mon D YYYY @ HH:MM ET" (or pass options.timestamp); found ${JSON.stringify(line2[0] ?? '')}`,
        ),
      )
    snapshotMs = d
  }
  const snapshotIso = new Date(snapshotMs).toISOString()

  const h = header.map((c) => c.trim())
  const calls = h.indexOf('Calls')
  const strikeCol = h.indexOf('Strike')
  const puts = h.indexOf('Puts')
  if (calls < 0 || strikeCol < calls || puts < strikeCol)
    return E.left(
      unrecognisedFormat(
        FORMAT,
        'line 3 must be a header with Calls, Strike and Puts in that order',
        h.join(','),
      ),
    )
  const expiryCol = h.indexOf('Expiration Date')
  if (expiryCol < 0) return E.left(missingColumn(FORMAT, 'Expiration Date'))
  const sides: Side[] = []
  for (const [label, from, to, kind] of [
    ['calls', calls, strikeCol, 'call'],
    ['puts', puts, h.length, 'put'],
  ] as const) {
    const find = (name: string): number => {
      const i = h.indexOf(name, from)
      return i >= 0 && i < to ? i : -1
    }
    const cols = { bid: find('Bid'), ask: find('Ask'), openInterest: find('Open Int') }
    for (const [k, name] of [
      ['bid', 'Bid'],
      ['ask', 'Ask'],
      ['openInterest', 'Open Int'],
    ] as const)
      if (cols[k] < 0) return E.left(missingColumn(FORMAT, `${name} (${label})`))
    sides.push({ kind, label, symbol: from, ...cols })
  }

  const rows = table.right.slice(1)
  if (rows.length === 0) return E.left(emptyInput(FORMAT, 'header but no data row'))
  const out: OptionQuote[] = []
  const rejected: RejectedRow[] = []
  const warnings: RejectedRow[] = []
  const kept = new Map<string, number>()
  const cache = new Map<string, ExpiryDate | null>()

  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as ReadonlyArray<string>
    const row = i + 1
    for (const side of sides) {
      const name = (r[side.symbol] ?? '').trim()
      const q = readSide(
        r,
        row,
        side,
        name,
        h.length,
        strikeCol,
        expiryCol,
        snapshotMs,
        snapshotIso,
        cache,
        kept,
        warnings,
      )
      if (E.isLeft(q)) rejected.push(q.left)
      else {
        kept.set(name, row)
        out.push(q.right)
      }
    }
  }

  return E.right({
    schema: SNAPSHOT_SCHEMA,
    timestamp: snapshotIso as UtcTimestamp,
    underlying,
    premium: 'quote',
    spot: last as Positive,
    forwards: [],
    options: out,
    rejected,
    warnings,
    source: options.fileName === undefined ? { format: FORMAT } : { format: FORMAT, file: options.fileName },
  })
}

/** An `MM/DD/YYYY` expiration date: its `YYMMDD` code and its AM (09:30) and PM (16:00) New York expiries. */
interface ExpiryDate {
  readonly yymmdd: string
  readonly am: { readonly ms: number; readonly iso: string }
  readonly pm: { readonly ms: number; readonly iso: string }
}

/** Parses and caches an `MM/DD/YYYY` date (null when malformed or not a calendar date). */
const usDate = (text: string, cache: Map<string, ExpiryDate | null>): ExpiryDate | null => {
  const hit = cache.get(text)
  if (hit !== undefined) return hit
  const m = US_DATE.exec(text)
  let out: ExpiryDate | null = null
  if (m !== null) {
    const [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const probe = new Date(Date.UTC(y, mo - 1, d))
    if (probe.getUTCDate() === d && probe.getUTCMonth() === mo - 1) {
      const at = (hh: number, mm: number) => {
        const ms = newYorkToUtcMs(y, mo, d, hh, mm)
        return { ms, iso: new Date(ms).toISOString() }
      }
      out = { yymmdd: `${String(y % 100).padStart(2, '0')}${m[1]}${m[2]}`, am: at(9, 30), pm: at(16, 0) }
    }
  }
  cache.set(text, out)
  return out
}

const readSide = (
  r: ReadonlyArray<string>,
  row: number,
  side: Side,
  name: string,
  width: number,
  strikeCol: number,
  expiryCol: number,
  snapshotMs: number,
  snapshotIso: string,
  cache: Map<string, ExpiryDate | null>,
  kept: Map<string, number>,
  warnings: RejectedRow[],
): E.Either<RejectedRow, OptionQuote> => {
  const symbolField = side.label === 'calls' ? 'Calls' : 'Puts'
  if (r.length !== width)
    return E.left(
      rejectedRow(row, '(row)', `row has ${r.length} fields, the header has ${width}`, r.length, name),
    )
  if (name === '') return E.left(rejectedRow(row, symbolField, 'missing option symbol'))
  const strike = strikeCell(r[strikeCol] ?? '')
  if (E.isLeft(strike)) return E.left(rejectedRow(row, 'Strike', strike.left, r[strikeCol], name))
  const expiryText = (r[expiryCol] ?? '').trim()
  const date = usDate(expiryText, cache)
  if (date === null)
    return E.left(
      rejectedRow(
        row,
        'Expiration Date',
        `unparseable expiry ${JSON.stringify(expiryText)} (must be MM/DD/YYYY)`,
        expiryText,
        name,
      ),
    )
  const sm = SYMBOL.exec(name)
  if (sm === null)
    return E.left(
      rejectedRow(
        row,
        symbolField,
        `unparseable option symbol ${JSON.stringify(name)} (must be ROOT + YYMMDD + C|P + strike × 1000 in 8 digits)`,
        name,
        name,
      ),
    )
  const [root, yymmdd, cp, k8] = sm.slice(1) as [string, string, string, string]
  if ((cp === 'C' ? 'call' : 'put') !== side.kind)
    return E.left(rejectedRow(row, symbolField, `symbol ${name} is not a ${side.kind}`, name, name))
  if (Math.abs(Number(k8) / 1000 - strike.right) > 1e-9 * strike.right)
    return E.left(
      rejectedRow(
        row,
        'Strike',
        `strike ${strike.right} does not match the symbol (${Number(k8) / 1000})`,
        strike.right,
        name,
      ),
    )
  if (yymmdd !== date.yymmdd)
    return E.left(
      rejectedRow(
        row,
        'Expiration Date',
        `expiry ${expiryText} does not match the symbol (20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4)})`,
        expiryText,
        name,
      ),
    )
  const am = AM_SETTLED_ROOTS.includes(root)
  const { ms: expiryMs, iso: expiry } = am ? date.am : date.pm
  if (expiryMs <= snapshotMs)
    return E.left(
      rejectedRow(
        row,
        'Expiration Date',
        `expired option: expiry ${expiry} is not after the snapshot time ${snapshotIso}`,
        expiryText,
        name,
      ),
    )
  const bid = priceCell(r[side.bid], true)
  if (E.isLeft(bid)) return E.left(rejectedRow(row, `${side.label}.Bid`, bid.left, r[side.bid], name))
  const ask = priceCell(r[side.ask], true)
  if (E.isLeft(ask)) return E.left(rejectedRow(row, `${side.label}.Ask`, ask.left, r[side.ask], name))
  const dup = kept.get(name)
  if (dup !== undefined)
    return E.left(
      rejectedRow(row, symbolField, `duplicate instrument ${name} (first kept at row ${dup})`, name, name),
    )
  const crossed = crossedWarning(row, `${side.label}.Bid`, name, bid.right, ask.right)
  if (crossed !== undefined) warnings.push(crossed)
  return E.right({
    instrument: name,
    kind: side.kind,
    strike: strike.right as Positive,
    expiry: expiry as UtcTimestamp,
    bid: bid.right as NonNegative | null,
    ask: ask.right as NonNegative | null,
    openInterest: optionalNonNegative(
      r[side.openInterest] ?? '',
      `${side.label}.Open Int`,
      row,
      name,
      warnings,
    ),
  })
}
