/**
 * What the account-level commands (`accounts`, `risk`, `stress`, `cascade`, `report --accounts`)
 * share: reading an accounts file, deciding each account's underlying, and turning a snapshot file
 * into one market per underlying — the mark set, the fitted {@link VolSurface} behind it and the
 * order-book depth when the snapshot has it. Also the price history of `risk` / `stress`.
 *
 * @module
 * @since 0.1.0
 */
import { basename, join, resolve } from 'node:path'
import { InvalidArgumentError } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import type { Account } from '../domain/account.js'
import { decodeAccounts } from '../domain/assessment.js'
import type { PriceHistory } from '../domain/history.js'
import { parseInstrument } from '../domain/instrument.js'
import type { MarketSnapshot } from '../domain/snapshot.js'
import type { VolSurface } from '../domain/surface.js'
import { accountsSection } from '../io/accountsReport.js'
import { readPriceHistory } from '../io/history.js'
import { riskSection } from '../io/riskReport.js'
import type { Depth } from '../liquidation/presets.js'
import { type MarkSet, markSnapshot } from '../marking/mark.js'
import { portfolioOf } from '../risk/portfolio.js'
import { DEFAULT_SURFACE_CONFIG, type SurfaceModelChoice } from '../surface/config.js'
import { fitSurface } from '../surface/fitSurface.js'
import { CliInputError, type CliContext } from './context.js'
import { loadSnapshots, packageRoot, readTextFile, writeTextFile } from './load.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One underlying's market as the account commands use it.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnderlyingMarket {
  /** Underlying symbol, e.g. `BTC`. */
  readonly underlying: string
  /** The snapshot as read. */
  readonly snapshot: MarketSnapshot
  /** The mark set (marks, provenance, surface summary). */
  readonly set: MarkSet
  /** The fitted surface behind the model values. */
  readonly surface: VolSurface
  /** Order-book depth per instrument (empty when the snapshot has none). */
  readonly depth: Map<string, Depth>
}

/**
 * Marking options of {@link loadMarkets} (the `--parameters`, `--model`, `--underlying` flags).
 *
 * @category model
 * @since 0.1.0
 */
export interface MarketLoadOptions {
  /** Marking parameter-set name. */
  readonly parameters?: string | undefined
  /** Surface model choice. */
  readonly model?: SurfaceModelChoice | undefined
  /** Only this underlying. */
  readonly underlying?: string | undefined
  /** Only these underlyings (others are not marked: fitting costs). */
  readonly wanted?: ReadonlySet<string> | undefined
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The default history of `risk` and `stress`, relative to the package root.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_HISTORY_FILE = 'examples/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv'

const STABLE = ['USD', 'USDC', 'USDT']

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

/**
 * Reads and decodes an accounts JSON file (an array; schema in docs/methodology/liquidation.md).
 * An unreadable file, invalid JSON, the first decode error or a duplicate account id is a one-line
 * {@link CliInputError}.
 *
 * Verified by spec/liquidation/accountsCli.spec.ts, spec/cli/risk.spec.ts and spec/cli/qa.spec.ts.
 *
 * @category reading
 * @since 0.1.0
 */
export const readAccounts = (path: string, ctx: CliContext): Account[] => {
  const text = readTextFile(resolve(ctx.cwd, path), path)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new CliInputError(`${path}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  const r = decodeAccounts(raw)
  if (E.isLeft(r)) throw new CliInputError(`${path}: ${r.left[0]?.message ?? 'not an accounts array'}`)
  const first = new Map<string, number>()
  r.right.forEach((a, i) => {
    const j = first.get(a.id)
    if (j !== undefined)
      throw new CliInputError(
        `${path}: field ${String(i)}.id = ${JSON.stringify(a.id)}: duplicate of ${String(j)}.id`,
      )
    first.set(a.id, i)
  })
  return r.right
}

/**
 * The underlying of an account: that of its first position with a parseable instrument name,
 * else its first non-stablecoin collateral currency, else undefined.
 *
 * @category reading
 * @since 0.1.0
 */
export const underlyingOf = (a: Account): string | undefined => {
  for (const p of a.positions) {
    const r = parseInstrument(p.instrument)
    if (E.isRight(r)) return r.right.underlying
  }
  return Object.keys(a.collateral).find((c) => !STABLE.includes(c))
}

/**
 * Why an account has no market: `no market for underlying <U>`, or, when no underlying can be
 * told, that no position is a Deribit-style instrument name and no collateral is a coin.
 *
 * @category reading
 * @since 0.1.0
 */
export const noMarketReason = (a: Account): string => {
  const u = underlyingOf(a)
  return u !== undefined
    ? `no market for underlying ${u}`
    : 'no underlying: no position is a Deribit-style instrument name (e.g. BTC-25SEP26-90000-C) and no collateral is a coin'
}

/**
 * Order-book depth per instrument of a snapshot (only the options that carry bids or asks).
 *
 * @category reading
 * @since 0.1.0
 */
export const depthOf = (s: MarketSnapshot): Map<string, Depth> => {
  const m = new Map<string, Depth>()
  for (const o of s.options)
    if (o.bids !== undefined || o.asks !== undefined)
      m.set(o.instrument, { bids: o.bids ?? [], asks: o.asks ?? [] })
  return m
}

/**
 * Marks every snapshot of a file (optionally only some underlyings) and keeps the fitted surface
 * of each. An underlying whose marking fails is reported as one stderr line and left out; an
 * unreadable file is a {@link CliInputError}.
 *
 * @category reading
 * @since 0.1.0
 */
export const loadMarkets = (
  snapshotFile: string,
  ctx: CliContext,
  opts: MarketLoadOptions = {},
): Map<string, UnderlyingMarket> => {
  const markets = new Map<string, UnderlyingMarket>()
  const surfaceConfig =
    opts.model === undefined ? undefined : { ...DEFAULT_SURFACE_CONFIG, model: opts.model }
  for (const s of loadSnapshots(snapshotFile, ctx, { underlying: opts.underlying, quiet: true })) {
    if (opts.wanted !== undefined && !opts.wanted.has(s.underlying)) continue
    let surface: VolSurface | undefined
    const set = markSnapshot(s, {
      parameters: opts.parameters,
      fit: (clean) => {
        const r = fitSurface(clean, surfaceConfig)
        if (E.isRight(r)) surface = r.right
        return r
      },
    })
    if (E.isLeft(set) || surface === undefined) {
      ctx.stderr.write(
        `${snapshotFile}: ${s.underlying}: ${E.isLeft(set) ? set.left.message : 'no surface'}\n`,
      )
      continue
    }
    markets.set(s.underlying, {
      underlying: s.underlying,
      snapshot: s,
      set: set.right,
      surface,
      depth: depthOf(s),
    })
  }
  return markets
}

/**
 * The accounts of one underlying and its market, for the commands that risk one book:
 * `underlying` is the requested one or, when not given, the single underlying of the accounts
 * (several without a choice is an input error). Accounts of other underlyings are skipped with
 * one stderr line each.
 *
 * @category reading
 * @since 0.1.0
 */
export const loadBook = (
  snapshotFile: string,
  accountsFile: string,
  ctx: CliContext,
  opts: MarketLoadOptions = {},
): { readonly market: UnderlyingMarket; readonly accounts: Account[] } => {
  const all = readAccounts(accountsFile, ctx)
  const found = [...new Set(all.map(underlyingOf).filter((u): u is string => u !== undefined))].sort()
  const u = opts.underlying?.toUpperCase() ?? (found.length === 1 ? found[0] : undefined)
  if (u === undefined)
    throw new CliInputError(
      found.length === 0
        ? `${accountsFile}: no account names an underlying`
        : `${accountsFile}: accounts span ${found.join(', ')}: choose one with --underlying`,
    )
  const accounts: Account[] = []
  for (const a of all) {
    const au = underlyingOf(a)
    if (au === u) accounts.push(a)
    else
      ctx.stderr.write(`${accountsFile}: account ${a.id}: skipped (underlying ${au ?? '(none)'}, not ${u})\n`)
  }
  const market = loadMarkets(snapshotFile, ctx, { ...opts, underlying: undefined, wanted: new Set([u]) }).get(
    u,
  )
  if (market === undefined) throw new CliInputError(`${snapshotFile}: no usable market for underlying ${u}`)
  return { market, accounts }
}

/**
 * Calendar gaps in ascending `YYYY-MM-DD` dates: how many consecutive pairs lie more than one
 * day apart, and the longest (its length in days and the date before it); `undefined` when the
 * dates are consecutive days. Scenario builders treat each consecutive pair as one daily
 * return, so a gap silently turns a multi-day move into a "one-day" one.
 *
 * Verified by spec/cli/qa.spec.ts.
 *
 * @category reading
 * @since 0.1.0
 */
export const historyGaps = (
  dates: readonly string[],
): { readonly count: number; readonly days: number; readonly after: string } | undefined => {
  const DAY = 86_400_000
  let count = 0
  let days = 0
  let after = ''
  for (let i = 1; i < dates.length; i++) {
    const d = Math.round((Date.parse(dates[i] as string) - Date.parse(dates[i - 1] as string)) / DAY)
    if (d > 1) {
      count++
      if (d > days) {
        days = d
        after = dates[i - 1] as string
      }
    }
  }
  return count === 0 ? undefined : { count, days, after }
}

/**
 * Reads a daily price history CSV (`timestamp,close,…`); `undefined` reads
 * {@link DEFAULT_HISTORY_FILE} from the package root. Errors are one-line {@link CliInputError}s;
 * calendar gaps ({@link historyGaps}) are one warning line on stderr.
 *
 * @category reading
 * @since 0.1.0
 */
export const loadHistory = (
  path: string | undefined,
  ctx: CliContext,
): { readonly history: PriceHistory; readonly file: string } => {
  const full = path === undefined ? join(packageRoot(), DEFAULT_HISTORY_FILE) : resolve(ctx.cwd, path)
  const shown = path ?? DEFAULT_HISTORY_FILE
  const r = readPriceHistory(readTextFile(full, shown))
  if (E.isLeft(r)) throw new CliInputError(`${shown}: ${r.left.message}`)
  if (r.right.closes.length < 3) throw new CliInputError(`${shown}: a history needs at least 3 closes`)
  const gap = historyGaps(r.right.dates)
  if (gap !== undefined)
    ctx.stderr.write(
      `${shown}: ${String(gap.count)} gap(s) of more than one day between closes (longest ${String(gap.days)} days after ${gap.after}): a return across a gap counts as one daily return\n`,
    )
  return { history: r.right, file: shown }
}

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

/**
 * A commander argument parser for a number in an interval (`open` excludes the ends); anything
 * else is commander's usage error (exit 2, one line: `option '--x <n>' argument 'y' is invalid.
 * must be a number in (lo, hi)`).
 *
 * @category options
 * @since 0.1.0
 */
export const numberIn =
  (lo: number, hi: number, open: 'open' | 'closed' = 'open') =>
  (value: string): number => {
    const x = Number(value)
    const ok =
      value.trim() !== '' && Number.isFinite(x) && (open === 'open' ? x > lo && x < hi : x >= lo && x <= hi)
    if (!ok) {
      const b = (v: number): string => (v === Infinity ? '∞' : v === -Infinity ? '−∞' : String(v))
      throw new InvalidArgumentError(
        `must be a number in ${open === 'open' ? '(' : '['}${b(lo)}, ${b(hi)}${open === 'open' ? ')' : ']'}`,
      )
    }
    return x
  }

/**
 * A commander argument parser for a positive integer.
 *
 * @category options
 * @since 0.1.0
 */
export const positiveInt = (value: string): number => {
  const x = Number(value)
  if (!(/^\s*\d+\s*$/.test(value) && Number.isSafeInteger(x) && x > 0))
    throw new InvalidArgumentError('must be a positive integer')
  return x
}

/**
 * Writes command output to `--out` or stdout.
 *
 * @category options
 * @since 0.1.0
 */
export const emit = (text: string, out: string | undefined, ctx: CliContext): void => {
  if (out === undefined) ctx.stdout.write(text)
  else writeTextFile(resolve(ctx.cwd, out), out, text)
}

// -------------------------------------------------------------------------------------
// report
// -------------------------------------------------------------------------------------

/**
 * The accounts and risk sections of `mtm report --accounts` (and of the demo): for every
 * underlying of the markets that has accounts, the accounts section (full assessment with the
 * liquidation default preset) and the risk section (VaR / ES, the backtest on the history, the
 * cascade for a −15 % shock). The default history is BTC's, so with it the risk section is made
 * for BTC only (one stderr line for any other underlying). Returns HTML strings for
 * `renderReport`'s `sections` option.
 *
 * @category report
 * @since 0.1.0
 */
export const reportSections = (
  markets: ReadonlyMap<string, UnderlyingMarket>,
  accountsFile: string,
  historyFile: string | undefined,
  ctx: CliContext,
): string[] => {
  const accounts = readAccounts(accountsFile, ctx)
  const { history, file } = loadHistory(historyFile, ctx)
  const out: string[] = []
  for (const [u, m] of markets) {
    const mine = accounts.filter((a) => underlyingOf(a) === u)
    if (mine.length === 0) continue
    out.push(
      accountsSection(
        mine,
        { underlying: u, marks: m.set.marks, surface: m.surface, depth: m.depth },
        { source: basename(accountsFile) },
      ),
    )
    if (historyFile === undefined && u !== 'BTC') {
      ctx.stderr.write(`report: no risk section for ${u}: the default history is BTC's (pass --history)\n`)
      continue
    }
    const pf = portfolioOf(mine, m.set.marks, m.surface)
    if (E.isLeft(pf)) {
      ctx.stderr.write(`report: no risk section for ${u}: ${pf.left.message}\n`)
      continue
    }
    out.push(riskSection(pf.right, history, { historySource: basename(file) }))
  }
  const orphans = accounts.filter((a) => !markets.has(underlyingOf(a) ?? ''))
  for (const a of orphans) ctx.stderr.write(`${accountsFile}: account ${a.id}: ${noMarketReason(a)}\n`)
  return out
}
