/**
 * Offline validation of marks: a leave-one-out backtest of the model marks and a comparison with
 * the exchange's own marks. Pure functions: same snapshot and configuration, same report.
 *
 * Leave-one-out: every quote the marking stage finds `liquid` is hidden in turn, the slice of its
 * expiry is refitted without it (only that slice: the other expiries do not move the hidden
 * strike's fitted vol in a per-slice fit), and the hidden instrument is marked by the model on the
 * refitted slice. The question answered: when a liquid book disappears, does the model mark land
 * where the market was?
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MarkError } from '../domain/markErrors.js'
import type { MarketSnapshot, OptionQuote } from '../domain/snapshot.js'
import { fitSurface } from '../surface/fitSurface.js'
import {
  type MarkConfig,
  type MarkSet,
  type SurfaceFitter,
  markInstrument,
  markSnapshot,
  screenOptions,
} from './mark.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One hidden quote and how the model marked it. Prices in the premium convention.
 *
 * @category model
 * @since 0.1.0
 */
export interface HiddenQuote {
  /** Instrument name. */
  readonly instrument: string
  /** Expiry (UTC ISO). */
  readonly expiry: string
  /** Strike. */
  readonly strike: number
  /** Best bid. */
  readonly bid: number
  /** Best ask. */
  readonly ask: number
  /** The market mark it had (mid or depth-weighted mid). */
  readonly marketPrice: number
  /** Implied vol of the market mark. */
  readonly marketIv: number
  /** Model price on the slice refitted without this quote (NaN if the refit failed). */
  readonly modelPrice: number
  /** Model vol on the refitted slice. */
  readonly modelIv: number
  /** bid ≤ modelPrice ≤ ask. */
  readonly inside: boolean
  /** 100·(modelIv − marketIv), vol points. */
  readonly errorVolPoints: number
  /** (modelPrice − marketPrice) / ((ask − bid) / 2): error in half-spreads. */
  readonly errorHalfSpreads: number
}

/**
 * Median, 95th percentile and maximum of absolute values.
 *
 * @category model
 * @since 0.1.0
 */
export interface AbsStats {
  /** Number of values. */
  readonly n: number
  /** Median of |x| (mean of the two middle values when n is even). */
  readonly median: number
  /** 95th percentile of |x| by nearest rank: the ⌈0.95·n⌉-th smallest. */
  readonly p95: number
  /** Largest |x|. */
  readonly max: number
}

/**
 * Comparison of our marks with the exchange's marks, in vol points.
 *
 * @category model
 * @since 0.1.0
 */
export interface ExchangeComparison {
  /** |our markIv − exchange mark IV|·100 over every instrument marked by both. */
  readonly absVolPoints: AbsStats
  /** The same, over market marks only. */
  readonly marketMarks: AbsStats
  /** The same, over model marks only. */
  readonly modelMarks: AbsStats
  /** The instrument with the largest difference. */
  readonly worst: { readonly instrument: string; readonly ours: number; readonly exchange: number } | null
}

/**
 * The validation report of one snapshot.
 *
 * @category model
 * @since 0.1.0
 */
export interface ValidationReport {
  /** Underlying. */
  readonly underlying: string
  /** Snapshot instant. */
  readonly asOf: string
  /** Marking parameter set. */
  readonly parameterSet: string
  /** Counts from the full marking run. */
  readonly counts: MarkSet['counts']
  /** Leave-one-out results. */
  readonly leaveOneOut: {
    /** Liquid two-sided quotes hidden. */
    readonly hidden: number
    /** Share of hidden quotes whose model mark is inside [bid, ask] (refit failures count as outside). */
    readonly insideShare: number
    /** |model IV − market IV| in vol points. */
    readonly errorVolPoints: AbsStats
    /** |model − market| in half-spreads. */
    readonly errorHalfSpreads: AbsStats
    /** Hidden quotes whose slice could not be refitted, with the reason. */
    readonly refitFailures: readonly { readonly instrument: string; readonly reason: string }[]
    /** Every hidden quote. */
    readonly quotes: readonly HiddenQuote[]
  }
  /** Comparison with the exchange's marks; `null` when the snapshot has none. */
  readonly exchange: ExchangeComparison | null
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Median, nearest-rank 95th percentile and maximum of |x| over the finite values; NaN fields
 * when there are none.
 *
 * Verified by spec/marking/validate.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const absStats = (values: readonly number[]): AbsStats => {
  const a = values.filter(Number.isFinite).map(Math.abs)
  a.sort((x, y) => x - y)
  const n = a.length
  if (n === 0) return { n, median: Number.NaN, p95: Number.NaN, max: Number.NaN }
  const median =
    n % 2 === 1 ? (a[(n - 1) / 2] as number) : 0.5 * ((a[n / 2 - 1] as number) + (a[n / 2] as number))
  const p95 = a[Math.max(0, Math.ceil(0.95 * n) - 1)] as number
  return { n, median, p95, max: a[n - 1] as number }
}

/**
 * Compares a mark set with the exchange marks kept in the snapshot (`OptionQuote.exchangeMark`);
 * `null` when no listed option has one. Exchange IVs are decimals.
 *
 * Verified by spec/marking/validate.spec.ts.
 *
 * @category validation
 * @since 0.1.0
 */
export const compareWithExchange = (snapshot: MarketSnapshot, marks: MarkSet): ExchangeComparison | null => {
  const exchange = new Map<string, number>()
  for (const o of snapshot.options)
    if (o.exchangeMark !== undefined && o.exchangeMark !== null && !exchange.has(o.instrument))
      exchange.set(o.instrument, o.exchangeMark.iv)
  if (exchange.size === 0) return null
  const all: number[] = []
  const market: number[] = []
  const model: number[] = []
  let worst: ExchangeComparison['worst'] = null
  for (const m of marks.marks) {
    const x = exchange.get(m.instrument)
    if (x === undefined || !(x > 0) || !Number.isFinite(m.markIv)) continue
    const d = 100 * (m.markIv - x)
    all.push(d)
    ;(m.source === 'market' ? market : model).push(d)
    if (worst === null || Math.abs(d) > Math.abs(100 * (worst.ours - worst.exchange)))
      worst = { instrument: m.instrument, ours: m.markIv, exchange: x }
  }
  return { absVolPoints: absStats(all), marketMarks: absStats(market), modelMarks: absStats(model), worst }
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Leave-one-out backtest plus exchange comparison for one snapshot.
 *
 * 1. `markSnapshot(snapshot, config)` gives every instrument's verdict and mark.
 * 2. For every `liquid` (hence two-sided) instrument: the snapshot restricted to the options of
 *    its expiry, minus that option, is refitted (`config.fit` or `fitSurface(·, config.surface)`),
 *    and the instrument is marked with no book (`markInstrument`: a pure model mark).
 * 3. Inside share = #(bid ≤ model ≤ ask) / #hidden; errors in vol points against the market mark's
 *    IV and in half-spreads against the market mark.
 * 4. `compareWithExchange` over all marks.
 *
 * Errors: those of `markSnapshot`. A failed slice refit is not an error: it is listed in
 * `refitFailures` and counted as outside the spread.
 *
 * Method: cross-validation by leaving one observation out (M. Stone, 1974, "Cross-validatory
 * choice and assessment of statistical predictions", J. Royal Statistical Society B 36, 111–147);
 * cost: one slice fit per liquid quote.
 *
 * Verified by spec/marking/validate.spec.ts and spec/marking/deribit.spec.ts.
 *
 * @category validation
 * @since 0.1.0
 */
export const leaveOneOut = (
  snapshot: MarketSnapshot,
  config?: MarkConfig,
): E.Either<MarkError, ValidationReport> => {
  const full = markSnapshot(snapshot, config)
  if (E.isLeft(full)) return full
  const set = full.right
  const fit: SurfaceFitter = config?.fit ?? ((s) => fitSurface(s, config?.surface))
  const { kept } = screenOptions(snapshot)
  const byExpiry = new Map<string, OptionQuote[]>()
  for (const { quote } of kept) {
    const l = byExpiry.get(quote.expiry) ?? []
    l.push(quote)
    byExpiry.set(quote.expiry, l)
  }
  const quotes: HiddenQuote[] = []
  const refitFailures: { instrument: string; reason: string }[] = []
  for (const m of set.marks) {
    if (m.liquidity.verdict !== 'liquid' || m.bid === null || m.ask === null) continue
    const slice = (byExpiry.get(m.expiry) ?? []).filter((o) => o.instrument !== m.instrument)
    const forwards = snapshot.forwards.filter((f) => f.expiry === m.expiry)
    const sub: MarketSnapshot = { ...snapshot, forwards, options: slice, rejected: [], warnings: [] }
    const refit = fit(sub)
    let modelPrice = Number.NaN
    let modelIv = Number.NaN
    if (E.isLeft(refit))
      refitFailures.push({ instrument: m.instrument, reason: refit.left.message ?? refit.left._tag })
    else {
      const r = markInstrument(refit.right, m, undefined, {
        parameters: set.parameters,
        premium: set.premium,
      })
      modelPrice = r.modelPrice
      modelIv = r.modelIv
    }
    const halfSpread = 0.5 * (m.ask - m.bid)
    quotes.push({
      instrument: m.instrument,
      expiry: m.expiry,
      strike: m.strike,
      bid: m.bid,
      ask: m.ask,
      marketPrice: m.markPrice,
      marketIv: m.markIv,
      modelPrice,
      modelIv,
      inside: modelPrice >= m.bid && modelPrice <= m.ask,
      errorVolPoints: 100 * (modelIv - m.markIv),
      errorHalfSpreads: halfSpread > 0 ? (modelPrice - m.markPrice) / halfSpread : Number.NaN,
    })
  }
  const inside = quotes.filter((q) => q.inside).length
  return E.right({
    underlying: set.underlying,
    asOf: set.asOf,
    parameterSet: set.parameters.name,
    counts: set.counts,
    leaveOneOut: {
      hidden: quotes.length,
      insideShare: quotes.length === 0 ? Number.NaN : inside / quotes.length,
      errorVolPoints: absStats(quotes.map((q) => q.errorVolPoints)),
      errorHalfSpreads: absStats(quotes.map((q) => q.errorHalfSpreads)),
      refitFailures,
      quotes,
    },
    exchange: compareWithExchange(snapshot, set),
  })
}
