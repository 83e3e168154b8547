/**
 * Marks: the market-or-model decision, with provenance.
 *
 * For each instrument: assess the book (`assessLiquidity`); a `liquid` book is marked at the
 * market (mid, or depth-weighted mid), always inside [bid, ask]; a `thin` or `no-market` book
 * is marked by the model — Black-76 at the surface vol σ(K, T) on the surface forward F(T) —
 * and bounded by the firm side(s) of the book. Every mark carries the model value, a confidence
 * band, the liquidity verdict with its reasons, the parameter-set name and a SHA-256
 * fingerprint of everything that produced it. The exchange's own mark columns are never read.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidInput } from '../domain/errors.js'
import type { MarkRecord, MarkBound, LiquidityAssessment } from '../domain/mark.js'
import {
  type MarkError,
  duplicateInstrument,
  expiredOption,
  modelNotEvaluable,
  noOptions,
  surfaceFailed,
} from '../domain/markErrors.js'
import type { MarketSnapshot, OptionQuote, PremiumConvention, RejectedRow } from '../domain/snapshot.js'
import type { SurfaceDiagnostics, VolSurface } from '../domain/surface.js'
import { normaliseUtc, yearFraction } from '../domain/time.js'
import type { OptionKind } from '../domain/units.js'
import { black76PriceUnsafe } from '../pricing/black76.js'
import { impliedVolUnsafe } from '../pricing/impliedVol.js'
import { fitSurface } from '../surface/fitSurface.js'
import {
  DEFAULT_MARKING_PARAMETERS,
  type MarkingParameters,
  type WingRule,
  markingPreset,
  presetForPremium,
} from './config.js'
import { LIBRARY_VERSION, fingerprint, surfaceIdentity } from './fingerprint.js'
import {
  type PricingContext,
  type QuoteBook,
  assessLiquidity,
  bestQuotes,
  marketMid,
  premiumIv,
} from './liquidity.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a mark is asked for: an option at any (strike, expiry), listed or not.
 *
 * @category model
 * @since 0.1.0
 */
export interface InstrumentSpec {
  /** Instrument name; built as `UNDERLYING-<expiry>-<strike>-C|P` when absent. */
  readonly instrument?: string | undefined
  /** Call or put. */
  readonly kind: OptionKind
  /** Strike K in the quote currency, > 0. */
  readonly strike: number
  /** Expiry as a UTC ISO timestamp, after the surface's `asOf`. */
  readonly expiry: string
}

/**
 * Strikes beyond which a model mark's vol is held flat at its value there (`null`: that side
 * keeps the surface's wing). Built from an expiry's books by {@link wingStrikes}.
 *
 * @category model
 * @since 0.1.0
 */
export interface WingStrikes {
  /** Below this strike the model vol is σ(lower, T). */
  readonly lower: number | null
  /** Above this strike the model vol is σ(upper, T). */
  readonly upper: number | null
}

/**
 * Options of {@link markInstrument}.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkOptions {
  /** Parameter set (default `deribit-v2`). */
  readonly parameters?: MarkingParameters | undefined
  /** Premium convention of book prices and of the mark (default `'coin'`). */
  readonly premium?: PremiumConvention | undefined
  /**
   * Half bid-ask spread in vol (decimal) to use in the band when the instrument's own book has
   * no two-sided invertible quote (`markSnapshot` passes the nearest quoted strike's); default 0.
   */
  readonly localHalfSpreadVol?: number | undefined
  /** Precomputed `fingerprint(surfaceIdentity(surface))`, to save recomputing it per mark. */
  readonly surfaceFingerprint?: string | undefined
  /**
   * Far-wing strikes of the instrument's expiry (`markSnapshot` passes {@link wingStrikes} of the
   * expiry's books when the parameter set has a `wing` rule); absent: the surface's own wing.
   */
  readonly wingStrikes?: WingStrikes | undefined
  /**
   * Lower bound on the model total variance σ²T beyond a wing strike (`markSnapshot` passes the
   * previous expiry's wing-adjusted total variance at the same log-moneyness, so flat wings
   * cannot create calendar arbitrage); ignored inside the wing strikes.
   */
  readonly wingFloorVariance?: number | undefined
}

/**
 * A surface fitter: `fitSurface` by default; injectable for tests and alternative fitters.
 *
 * @category model
 * @since 0.1.0
 */
export type SurfaceFitter = (
  snapshot: MarketSnapshot,
) => E.Either<{ readonly _tag: string; readonly message?: string }, VolSurface>

/**
 * Configuration of {@link markSnapshot}.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkConfig {
  /** Parameter set or preset name (default: `deribit-v2` for coin premiums, `cboe-v1` for linear). */
  readonly parameters?: MarkingParameters | string | undefined
  /** Surface-fit configuration passed to `fitSurface` (SVI / SSVI / SABR choice lives there). */
  readonly surface?: Parameters<typeof fitSurface>[1] | undefined
  /** Replaces `fitSurface` (then `surface` is ignored). */
  readonly fit?: SurfaceFitter | undefined
}

/**
 * A listed option that received no mark, with the typed reason.
 *
 * @category model
 * @since 0.1.0
 */
export interface Unmarked {
  /** Instrument name. */
  readonly instrument: string
  /** 0-based index in `snapshot.options`. */
  readonly index: number
  /** Why. */
  readonly error: MarkError
}

/**
 * Per-slice summary of the surface behind a mark set.
 *
 * @category model
 * @since 0.1.0
 */
export interface SliceSummary {
  /** Expiry (UTC ISO). */
  readonly expiry: string
  /** ACT/365 years. */
  readonly expiryYears: number
  /** Forward, quote currency. */
  readonly forward: number
  /** Slice model tag (`svi`, `ssvi`, `sabr`, `flat`). */
  readonly model: string
  /** Fitted parameters, as the surface reports them. */
  readonly parameters: Readonly<Record<string, number | string>>
  /** Quotes used in the fit. */
  readonly quotesUsed: number
  /** RMSE, vol points. */
  readonly rmseVolPoints: number
  /** Share of two-sided quotes fitted inside [bid, ask]. */
  readonly insideSpreadShare: number
  /** Residual vol (decimal) used in the bands. */
  readonly residualVol: number
  /** Quotes excluded from the fit, with reasons. */
  readonly excluded: readonly { readonly instrument: string; readonly reason: string }[]
  /** Fit notes (fallbacks, repairs). */
  readonly notes: readonly string[]
}

/**
 * The marks of one snapshot with everything needed to audit them.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkSet {
  /** Schema tag. */
  readonly schema: 'mark-to-model/markset@1'
  /** Snapshot instant (UTC ISO). */
  readonly asOf: string
  /** Underlying. */
  readonly underlying: string
  /** Premium convention of every price. */
  readonly premium: PremiumConvention
  /** Library name and version. */
  readonly library: typeof LIBRARY_VERSION
  /** The parameter set used (echoed in full). */
  readonly parameters: MarkingParameters
  /** Fingerprint of the snapshot's content as marked (exchange marks and `source` removed). */
  readonly snapshotFingerprint: string
  /** Fingerprint of the fitted surface's identity. */
  readonly surfaceFingerprint: string
  /** Marks, sorted by expiry, strike, kind (call first), name. */
  readonly marks: readonly MarkRecord[]
  /** Listed options without a mark, each with a typed reason. */
  readonly unmarked: readonly Unmarked[]
  /** Rows the reader rejected (not in `options`). */
  readonly rejected: readonly RejectedRow[]
  /** Rows the reader kept but flagged. */
  readonly warnings: readonly RejectedRow[]
  /** Counts: nothing is silently dropped (`listed = marked + unmarked`). */
  readonly counts: {
    readonly listed: number
    readonly marked: number
    readonly market: number
    readonly model: number
    readonly liquid: number
    readonly thin: number
    readonly noMarket: number
    readonly unmarked: number
    readonly rejectedRows: number
    readonly warningRows: number
  }
  /** The surface behind the model values. */
  readonly surface: {
    readonly model: string
    readonly diagnostics: SurfaceDiagnostics
    readonly slices: readonly SliceSummary[]
  }
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const STRIKE_FMT = (k: number): string => String(k).replace('.', 'd')
const BOOK_SIDES = ['bid', 'ask'] as const
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const DATE_CODE = (iso: string): string => {
  const d = new Date(iso)
  const m = MONTHS[d.getUTCMonth()] ?? '???'
  return `${d.getUTCDate()}${m}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`
}

/**
 * The instrument name of a spec: its own `instrument` when given, else the Deribit form
 * `UNDERLYING-DMMMYY-STRIKE-C|P` built from the fields: the UTC day without a leading zero, the
 * month in capitals, two-digit year (e.g. `BTC-5FEB26-80000-C`), and a decimal point in the
 * strike written `d` (`0.5` → `0d5`). Only the expiry's date is used, not its time. An
 * unparseable expiry gives `NaN???NaN` in the date field rather than an error (names are labels;
 * `markInstrumentChecked` validates the expiry itself).
 *
 * Verified by spec/marking/utils.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const instrumentName = (underlying: string, spec: InstrumentSpec): string =>
  spec.instrument ??
  `${underlying}-${DATE_CODE(spec.expiry)}-${STRIKE_FMT(spec.strike)}-${spec.kind === 'call' ? 'C' : 'P'}`

/** Residual vol of the surface at T: linear in T between neighbouring slices, flat outside. */
const residualVolAt = (surface: VolSurface, T: number): number => {
  const s = surface.slices
  if (s.length === 0) return 0
  const first = s[0] as (typeof s)[number]
  const last = s[s.length - 1] as (typeof s)[number]
  if (T <= first.expiryYears) return first.residualVol
  if (T >= last.expiryYears) return last.residualVol
  for (let i = 1; i < s.length; i++) {
    const b = s[i] as (typeof s)[number]
    if (T <= b.expiryYears) {
      const a = s[i - 1] as (typeof s)[number]
      const w = (T - a.expiryYears) / (b.expiryYears - a.expiryYears)
      return a.residualVol + w * (b.residualVol - a.residualVol)
    }
  }
  return last.residualVol
}

const bookIdentity = (book: QuoteBook | undefined): unknown =>
  book === undefined
    ? null
    : {
        bid: book.bid ?? null,
        ask: book.ask ?? null,
        bidSize: book.bidSize ?? null,
        askSize: book.askSize ?? null,
        bids: book.bids ?? null,
        asks: book.asks ?? null,
        quoteTime: book.quoteTime ?? null,
      }

/**
 * `black76/<slice model>` when T is a fitted expiry (the slice's own model: svi, ssvi, sabr or a
 * flat fallback), `black76/<surface model>/interpolated` between or beyond fitted expiries.
 */
const modelLabel = (surface: VolSurface, T: number): string => {
  for (const s of surface.slices)
    if (Math.abs(s.expiryYears - T) <= 1e-12 * Math.max(1, T)) return `black76/${s.parameters.model}`
  return `black76/${surface.model}/interpolated`
}

/** K lies beyond one of the wing strikes. */
const beyondWing = (K: number, wing: WingStrikes): boolean =>
  (wing.upper !== null && K > wing.upper) || (wing.lower !== null && K < wing.lower)

/** Relative strike step of the central difference for the price slope at a wing strike. */
const WING_SLOPE_STEP = 1e-4

/**
 * The model vol at K under wing strikes: σ(K, T) between them; beyond one, at Kb, the implied vol
 * of the out-of-the-money price max(Black-76(σ(Kb, T), K), P(Kb) + P'(Kb)·(K − Kb)), where P is
 * the surface's own price curve (calls above, puts below) and P' its slope at Kb (central
 * difference). Both terms are convex in K and the join at Kb is C¹, so the prices stay convex and
 * monotone across Kb (a plain flat vol would kink the price down there: a butterfly arbitrage of
 * up to about one tick on the real chains). Past the point where the tangent falls below the
 * flat-vol price the vol is exactly σ(Kb, T).
 */
const wingModelVol = (
  surface: VolSurface,
  K: number,
  T: number,
  F: number,
  D: number,
  wing: WingStrikes,
): number => {
  let Kb: number
  let q: 1 | -1
  if (wing.upper !== null && K > wing.upper) {
    Kb = wing.upper
    q = 1
  } else if (wing.lower !== null && K < wing.lower) {
    Kb = wing.lower
    q = -1
  } else return surface.vol(K, T)
  const sb = surface.vol(Kb, T)
  const h = WING_SLOPE_STEP * Kb
  const slope =
    (black76PriceUnsafe(q, F, Kb + h, T, surface.vol(Kb + h, T), D) -
      black76PriceUnsafe(q, F, Kb - h, T, surface.vol(Kb - h, T), D)) /
    (2 * h)
  const tangent = black76PriceUnsafe(q, F, Kb, T, sb, D) + slope * (K - Kb)
  if (!(tangent > black76PriceUnsafe(q, F, K, T, sb, D))) return sb
  const v = impliedVolUnsafe(q, tangent, F, K, T, D)
  return Number.isFinite(v) ? v : sb
}

const digests = new WeakMap<MarkingParameters, string>()
/** `fingerprint(parameters)`, computed once per parameter-set object. */
const parametersDigest = (p: MarkingParameters): string => {
  let d = digests.get(p)
  if (d === undefined) {
    d = fingerprint(p)
    digests.set(p, d)
  }
  return d
}

interface Core {
  readonly mark: MarkRecord
  readonly finite: boolean
}

const computeMark = (
  surface: VolSurface,
  spec: InstrumentSpec,
  book: QuoteBook | undefined,
  options: MarkOptions | undefined,
): Core => {
  const params = options?.parameters ?? DEFAULT_MARKING_PARAMETERS
  const premium = options?.premium ?? 'coin'
  const T = yearFraction(surface.asOf, spec.expiry)
  const F = surface.forward(T)
  const D = surface.discount(T)
  const K = spec.strike
  const q: 1 | -1 = spec.kind === 'call' ? 1 : -1
  const wing = options?.wingStrikes
  const floor = options?.wingFloorVariance
  let modelIv = wing === undefined ? surface.vol(K, T) : wingModelVol(surface, K, T, F, D, wing)
  if (wing !== undefined && floor !== undefined && beyondWing(K, wing) && floor > modelIv * modelIv * T)
    modelIv = Math.sqrt(floor / T)
  const premiumToQuote = premium === 'coin' ? F : 1
  const ctx: PricingContext = {
    q,
    forward: F,
    strike: K,
    expiryYears: T,
    discount: D,
    premiumToQuote,
    asOf: surface.asOf,
  }
  const toPremium = (vol: number): number => black76PriceUnsafe(q, F, K, T, vol, D) / premiumToQuote
  const modelPrice = toPremium(modelIv)
  const { bid, ask } = bestQuotes(book)
  const bidIv = bid === null ? Number.NaN : premiumIv(bid, ctx)
  const askIv = ask === null ? Number.NaN : premiumIv(ask, ctx)
  const liquidity: LiquidityAssessment = assessLiquidity(book, ctx, params.liquidity, {
    bid: bidIv,
    ask: askIv,
  })

  let markPrice: number
  let markIv: number
  let source: 'market' | 'model'
  let bound: MarkBound = 'none'
  if (liquidity.verdict === 'liquid') {
    source = 'market'
    markPrice = marketMid(book, params.mark)
    markIv = premiumIv(markPrice, ctx)
  } else {
    source = 'model'
    markPrice = modelPrice
    markIv = modelIv
    // A side bounds the model mark only when it is firm: not crossed, not stale, and carrying
    // vol information (a bid above the no-arbitrage maximum or an ask below intrinsic is not).
    const m = liquidity.metrics
    const stale = m.quoteAgeSeconds !== null && m.quoteAgeSeconds > params.liquidity.maxQuoteAgeSeconds
    if (!m.crossed && !stale) {
      if (bid !== null && markPrice < bid && Number.isFinite(bidIv)) {
        markPrice = bid
        bound = 'bid'
      } else if (ask !== null && markPrice > ask && Number.isFinite(askIv)) {
        markPrice = ask
        bound = 'ask'
      }
      if (bound !== 'none') markIv = premiumIv(markPrice, ctx)
    }
  }

  // Band: ±z·σ_u around the mark's vol, σ_u = max(floor, √(residual² + half-spread²)).
  const ownHalfSpread =
    Number.isFinite(bidIv) && Number.isFinite(askIv) && askIv > bidIv ? 0.5 * (askIv - bidIv) : Number.NaN
  const halfSpread = Number.isFinite(ownHalfSpread) ? ownHalfSpread : (options?.localHalfSpreadVol ?? 0)
  const resid = residualVolAt(surface, T)
  const sigmaU = Math.max(params.mark.minBandVol, Math.sqrt(resid * resid + halfSpread * halfSpread))
  const h = params.mark.bandZ * sigmaU
  const centre = Number.isFinite(markIv) ? markIv : modelIv
  const intrinsic = (D * Math.max(q * (F - K), 0)) / premiumToQuote
  const lowVol = Math.max(centre - h, 1e-6)
  const lo = toPremium(lowVol)
  const lower = Math.min(Number.isFinite(lo) ? lo : intrinsic, markPrice)
  const upper = Math.max(toPremium(centre + h), markPrice)

  const underlying = surface.underlying
  const name = instrumentName(underlying, spec)
  const surfaceFp = options?.surfaceFingerprint ?? fingerprint(surfaceIdentity(surface))
  const fp = fingerprint({
    library: LIBRARY_VERSION,
    parameters: parametersDigest(params),
    premium,
    surface: surfaceFp,
    instrument: { instrument: name, kind: spec.kind, strike: K, expiry: spec.expiry },
    book: bookIdentity(book),
    localHalfSpreadVol: options?.localHalfSpreadVol ?? null,
    // absent (undefined) drops out of the canonical JSON, so marks without a wing rule keep
    // their fingerprints
    wingStrikes: wing,
    wingFloorVariance: floor,
  })
  const mark: MarkRecord = {
    instrument: name,
    underlying,
    kind: spec.kind,
    strike: K,
    expiry: spec.expiry,
    expiryYears: T,
    forward: F,
    premium,
    markPrice,
    markIv,
    source,
    model: modelLabel(surface, T),
    modelPrice,
    modelIv,
    lower,
    upper,
    liquidity,
    fingerprint: fp,
    parameterSet: params.name,
    bid,
    ask,
    bidIv: Number.isFinite(bidIv) ? bidIv : null,
    askIv: Number.isFinite(askIv) ? askIv : null,
    bound,
  }
  const finite = [T, F, D, modelIv, modelPrice, markPrice, markIv, lower, upper].every(Number.isFinite)
  return { mark, finite }
}

// -------------------------------------------------------------------------------------
// marking
// -------------------------------------------------------------------------------------

/**
 * Marks one option at any (strike, expiry) on a fitted surface, with an optional book.
 *
 * Decision rule: `assessLiquidity(book)`; `liquid` → market mark `marketMid(book)` ∈ [bid, ask];
 * otherwise model mark P = Black-76(F(T), K, T, σ(K, T), D(T)) / c, with c = F(T) for coin
 * premiums and 1 for linear ones, raised to a firm bid or lowered to a firm ask when it lies
 * outside (`bound`). A side is firm unless the book is crossed, the quote is stale, or the side
 * carries no vol information. `markIv` is the Black-76 implied vol of `markPrice`. `model` is
 * `black76/<slice model>` at a fitted expiry, `black76/<surface model>/interpolated` elsewhere.
 *
 * Far wings: with `options.wingStrikes`, beyond a wing strike Kb (K > upper or K < lower) σ(K, T)
 * is replaced by the implied vol of max(Black-76 at σ(Kb, T), the tangent at Kb of the surface's
 * out-of-the-money price curve): flat vol from Kb outward, except just past Kb, where the tangent
 * keeps the prices convex in strike (no butterfly arbitrage at the join).
 *
 * Band: `[P(σ_m − zσ_u), P(σ_m + zσ_u)]` (widened to contain `markPrice`), with σ_m = markIv,
 * σ_u = max(minBandVol, √(r² + s²)), r = the slice residual vol (`SliceFit.residualVol`, linear in T
 * between slices) and s = half the instrument's bid-ask spread in vol (or `localHalfSpreadVol`).
 *
 * Unchecked: outside the domain (strike ≤ 0, expiry not after `surface.asOf`, a surface without
 * a value there) the numeric fields are NaN; use {@link markInstrumentChecked} for a typed error.
 *
 * Method: one surface evaluation, three Black-76 values (model, band ends) and up to three
 * implied vols (bid, ask, mark) per instrument; accuracy is that of the pricing kernels.
 * References: F. Black (1976), "The pricing of commodity contracts", J. Financial Economics 3,
 * 167–179 (the Black-76 value); Deribit, "Mark price" in its knowledge base (impact bid / ask
 * over a notional, inverse premium = USD value / forward).
 *
 * Verified by spec/marking/mark.spec.ts.
 *
 * @example
 * markInstrument(surface, { kind: 'call', strike: 80_000, expiry: '2026-09-25T08:00:00.000Z' })
 * // { source: 'model', liquidity: { verdict: 'no-market', ... }, markPrice: ..., ... }
 *
 * @category marking
 * @since 0.1.0
 */
export const markInstrument = (
  surface: VolSurface,
  instrument: InstrumentSpec,
  book?: QuoteBook,
  options?: MarkOptions,
): MarkRecord => computeMark(surface, instrument, book, options).mark

/**
 * {@link markInstrument} with input checks and typed errors: `InvalidInput` (strike not a finite
 * number in (0, ∞), expiry not a timestamp, a negative or non-finite book price), `ExpiredOption`
 * (expiry not after `surface.asOf`), `ModelNotEvaluable` (the surface or the mark is not finite
 * there).
 *
 * Verified by spec/marking/mark.spec.ts.
 *
 * @category marking
 * @since 0.1.0
 */
export const markInstrumentChecked = (
  surface: VolSurface,
  instrument: InstrumentSpec,
  book?: QuoteBook,
  options?: MarkOptions,
): E.Either<MarkError, MarkRecord> => {
  const name = instrument.instrument ?? '(unnamed)'
  if (!(typeof instrument.strike === 'number' && Number.isFinite(instrument.strike) && instrument.strike > 0))
    return E.left(invalidInput(`${name}.strike`, instrument.strike, 'must be a finite number in (0, ∞)'))
  if (instrument.kind !== 'call' && instrument.kind !== 'put')
    return E.left(invalidInput(`${name}.kind`, instrument.kind, "must be 'call' or 'put'"))
  if (typeof instrument.expiry !== 'string' || normaliseUtc(instrument.expiry) === undefined)
    return E.left(invalidInput(`${name}.expiry`, instrument.expiry, 'must be a UTC ISO-8601 timestamp'))
  if (!(yearFraction(surface.asOf, instrument.expiry) > 0))
    return E.left(
      expiredOption(instrumentName(surface.underlying, instrument), instrument.expiry, surface.asOf),
    )
  if (book !== undefined)
    for (const side of BOOK_SIDES) {
      const p = book[side]
      if (p !== null && p !== undefined && !(Number.isFinite(p) && p >= 0))
        return E.left(invalidInput(`${name}.${side}`, p, 'must be null or a finite number in [0, ∞)'))
    }
  const { mark, finite } = computeMark(surface, instrument, book, options)
  return finite ? E.right(mark) : E.left(modelNotEvaluable(mark.instrument, mark.strike, mark.expiryYears))
}

const compareMarks = (a: MarkRecord, b: MarkRecord): number =>
  a.expiryYears - b.expiryYears ||
  a.strike - b.strike ||
  (a.kind === b.kind ? 0 : a.kind === 'call' ? -1 : 1) ||
  (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : 0)

/** Nearest-strike half-spread in vol per option, within its expiry; NaN when none in the expiry. */
const localHalfSpreads = (
  options: readonly OptionQuote[],
  ctxOf: (o: OptionQuote) => PricingContext,
): Float64Array => {
  const own = new Float64Array(options.length).fill(Number.NaN)
  const byExpiry = new Map<string, number[]>()
  options.forEach((o, i) => {
    const { bid, ask } = bestQuotes(o)
    if (bid !== null && ask !== null && ask > bid) {
      const ctx = ctxOf(o)
      const b = premiumIv(bid, ctx)
      const a = premiumIv(ask, ctx)
      if (Number.isFinite(a) && Number.isFinite(b) && a > b) own[i] = 0.5 * (a - b)
    }
    const list = byExpiry.get(o.expiry) ?? []
    list.push(i)
    byExpiry.set(o.expiry, list)
  })
  const out = new Float64Array(options.length).fill(Number.NaN)
  for (const idx of byExpiry.values()) {
    for (const i of idx) {
      if (!Number.isNaN(own[i] as number)) {
        out[i] = own[i] as number
        continue
      }
      const K = (options[i] as OptionQuote).strike
      let best = Number.POSITIVE_INFINITY
      for (const j of idx) {
        const s = own[j] as number
        if (Number.isNaN(s)) continue
        const d = Math.abs(Math.log((options[j] as OptionQuote).strike / K))
        if (d < best || (d === best && s > (out[i] as number))) {
          best = d
          out[i] = s
        }
      }
    }
  }
  return out
}

/**
 * The far-wing strikes of one expiry under a {@link WingRule} (`flat-beyond-last-two-sided`),
 * from its books alone.
 *
 * Per side of the forward F (`ctxOf(o).forward`): among the listed strikes, take each one's
 * out-of-the-money option (calls at K ≥ F, puts at K < F); the wing strike is the one farthest
 * from F whose option has a two-sided quote, bid and ask each invertible to a Black-76 vol.
 * `null` on a side without one. Options of other expiries must not be passed (the function does
 * not group them). The exchange's own marks are never read (only bids, asks, strikes, kinds).
 *
 * Why: beyond the last two-sided quote the book holds at most offers, which only bound a value
 * from above, so the fitted wing there is extrapolation; on the Deribit chains of
 * spec/fixtures/data the fitted SVI wings of next-day expiries reach 300–400% there while the
 * exchange holds its vol near the level at the quoted edge (docs/methodology/marking.md, "Far
 * wings").
 *
 * Verified by spec/marking/wing.spec.ts.
 *
 * @example
 * wingStrikes(quotesOfOneExpiry, ctxOf, { mode: 'flat-beyond-last-two-sided' })
 * // { lower: 72_500, upper: 76_000 }
 *
 * @category utils
 * @since 0.1.0
 */
export const wingStrikes = (
  quotes: readonly OptionQuote[],
  ctxOf: (o: OptionQuote) => PricingContext,
  _rule: WingRule,
): WingStrikes => {
  let lower: number | null = null
  let upper: number | null = null
  for (const o of quotes) {
    const ctx = ctxOf(o)
    const above = o.strike >= ctx.forward
    if ((o.kind === 'call') !== above) continue
    if (above ? upper !== null && o.strike <= upper : lower !== null && o.strike >= lower) continue
    const { bid, ask } = bestQuotes(o)
    if (
      bid === null ||
      ask === null ||
      !Number.isFinite(premiumIv(bid, ctx)) ||
      !Number.isFinite(premiumIv(ask, ctx))
    )
      continue
    if (above) upper = o.strike
    else lower = o.strike
  }
  return { lower, upper }
}

/**
 * Calendar floor of flat wings: for an option beyond its expiry's wing strike, the wing-adjusted
 * model total variance of the previous expiry (in time) at the same log-moneyness, itself floored
 * the same way; undefined for the first expiry and inside the wings. Inside its wing strikes an
 * expiry's fitted total variance already dominates the previous expiry's (the fit is calendar
 * arbitrage-free, and a flat wing only lowers it), so only the wings need the floor.
 */
const wingFloors = (
  surface: VolSurface,
  wings: ReadonlyMap<string, WingStrikes>,
): ((o: OptionQuote) => number | undefined) => {
  const expiries = [...wings.keys()]
    .map((e) => ({ e, T: yearFraction(surface.asOf, e) }))
    .sort((a, b) => a.T - b.T)
  const index = new Map(expiries.map((x, i) => [x.e, i]))
  const variance = (i: number, k: number): number => {
    const { e, T } = expiries[i] as (typeof expiries)[number]
    const F = surface.forward(T)
    const K = F * Math.exp(k)
    const wing = wings.get(e) as WingStrikes
    const v = wingModelVol(surface, K, T, F, surface.discount(T), wing)
    const w = v * v * T
    return i > 0 && beyondWing(K, wing) ? Math.max(w, variance(i - 1, k)) : w
  }
  return (o) => {
    const i = index.get(o.expiry)
    const wing = wings.get(o.expiry)
    if (i === undefined || i === 0 || wing === undefined || !beyondWing(o.strike, wing)) return undefined
    const T = (expiries[i] as (typeof expiries)[number]).T
    const w = variance(i - 1, Math.log(o.strike / surface.forward(T)))
    return Number.isFinite(w) ? w : undefined
  }
}

/**
 * Resolves a `MarkConfig.parameters` value for a snapshot: `undefined` gives the preset for the
 * snapshot's premium convention (`presetForPremium`: `deribit-v2` for coin, `cboe-v1` for
 * quote), a string is looked up with `markingPreset`, a parameter object is used as given.
 *
 * Errors: `UnknownParameterSet` (a name that is not a preset; the error lists the known names).
 *
 * Verified by spec/marking/utils.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolveParameters = (
  parameters: MarkingParameters | string | undefined,
  premium: PremiumConvention,
): E.Either<MarkError, MarkingParameters> =>
  parameters === undefined
    ? E.right(presetForPremium(premium))
    : typeof parameters === 'string'
      ? markingPreset(parameters)
      : E.right(parameters)

/**
 * Splits a snapshot's options into those that can be marked and those rejected with a typed
 * reason (strike not in (0, ∞), expiry not a timestamp or not after the snapshot instant, a
 * duplicate listing — the first is kept), and removes the exchange's own marks from the kept
 * ones so no later step can read them.
 *
 * Verified by spec/marking/markSnapshot.spec.ts.
 *
 * @category utils
 * @since 0.1.0
 */
export const screenOptions = (
  snapshot: MarketSnapshot,
): {
  readonly kept: readonly { readonly index: number; readonly quote: OptionQuote }[]
  readonly rejected: readonly Unmarked[]
} => {
  const kept: { index: number; quote: OptionQuote }[] = []
  const rejected: Unmarked[] = []
  const seen = new Map<string, number>()
  const options = snapshot.options
  for (let index = 0; index < options.length; index++) {
    const o = options[index] as OptionQuote
    const name = typeof o.instrument === 'string' ? o.instrument : `options.${index}`
    const error = screenError(o, index, name, snapshot.timestamp, seen)
    if (error !== undefined) {
      rejected.push({ instrument: name, index, error })
      continue
    }
    seen.set(name, index)
    const { exchangeMark: _drop, ...quote } = o
    kept.push({ index, quote: quote as OptionQuote })
  }
  return { kept, rejected }
}

/** Why {@link screenOptions} rejects option `index`, or undefined when it is kept. */
const screenError = (
  o: OptionQuote,
  index: number,
  name: string,
  asOf: string,
  seen: ReadonlyMap<string, number>,
): MarkError | undefined => {
  if (!(typeof o.strike === 'number' && Number.isFinite(o.strike) && o.strike > 0))
    return invalidInput(`options.${index}.strike`, o.strike, 'must be a finite number in (0, ∞)')
  if (typeof o.expiry !== 'string' || normaliseUtc(o.expiry) === undefined)
    return invalidInput(`options.${index}.expiry`, o.expiry, 'must be a UTC ISO-8601 timestamp')
  if (!(yearFraction(asOf, o.expiry) > 0)) return expiredOption(name, o.expiry, asOf)
  for (const side of BOOK_SIDES) {
    const p = o[side]
    if (p !== null && !(typeof p === 'number' && Number.isFinite(p) && p >= 0))
      return invalidInput(`options.${index}.${side}`, p, 'must be null or a finite number in [0, ∞)')
  }
  const first = seen.get(name)
  return first === undefined ? undefined : duplicateInstrument(name, index, first)
}

const sliceSummary = (s: VolSurface['slices'][number]): SliceSummary => ({
  expiry: s.expiry,
  expiryYears: s.expiryYears,
  forward: s.forward,
  model: s.parameters.model,
  parameters: s.parameters as unknown as Readonly<Record<string, number | string>>,
  quotesUsed: s.diagnostics.quotesUsed,
  rmseVolPoints: s.diagnostics.rmseVolPoints,
  insideSpreadShare: s.diagnostics.insideSpreadShare,
  residualVol: s.residualVol,
  excluded: s.diagnostics.excluded,
  notes: s.diagnostics.notes,
})

/**
 * Marks every listed option of a snapshot.
 *
 * Steps: screen the options (`screenOptions`: invalid, expired and duplicate listings become
 * typed `unmarked` entries, exchange marks are removed); fit the surface on the kept options
 * (`fitSurface`, or `config.fit`); mark each kept option with its own book
 * (`markInstrumentChecked`, the band's half-spread taken from the nearest quoted strike of the
 * same expiry when the option has no two-sided book, and, when the parameter set has a `wing`
 * rule, the expiry's {@link wingStrikes} from its books); sort by expiry, strike, kind, name.
 * `listed = marked + unmarked`; the reader's rejected and warning rows are carried through.
 *
 * Errors: `UnknownParameterSet` (bad preset name), `NoOptions` (nothing left to mark),
 * `SurfaceFailed` (the fit failed). Deterministic: the same snapshot and configuration give
 * byte-identical JSON.
 *
 * Verified by spec/marking/markSnapshot.spec.ts and spec/marking/deribit.spec.ts.
 *
 * @category marking
 * @since 0.1.0
 */
export const markSnapshot = (snapshot: MarketSnapshot, config?: MarkConfig): E.Either<MarkError, MarkSet> => {
  const pr = resolveParameters(config?.parameters, snapshot.premium)
  if (E.isLeft(pr)) return pr
  const parameters = pr.right
  const { kept, rejected } = screenOptions(snapshot)
  if (kept.length === 0) return E.left(noOptions(snapshot.underlying))
  const clean: MarketSnapshot = { ...snapshot, options: kept.map((k) => k.quote) }
  const fit: SurfaceFitter = config?.fit ?? ((s) => fitSurface(s, config?.surface))
  const fitted = fit(clean)
  if (E.isLeft(fitted)) return E.left(surfaceFailed(snapshot.underlying, fitted.left))
  const surface = fitted.right
  const surfaceFp = fingerprint(surfaceIdentity(surface))
  const premium = snapshot.premium
  const ctxOf = (o: OptionQuote): PricingContext => {
    const T = yearFraction(surface.asOf, o.expiry)
    const F = surface.forward(T)
    return {
      q: o.kind === 'call' ? 1 : -1,
      forward: F,
      strike: o.strike,
      expiryYears: T,
      discount: surface.discount(T),
      premiumToQuote: premium === 'coin' ? F : 1,
      asOf: surface.asOf,
    }
  }
  const half = localHalfSpreads(clean.options, ctxOf)
  const wingRule = parameters.mark.wing
  const wings = new Map<string, WingStrikes>()
  if (wingRule !== undefined) {
    const byExpiry = new Map<string, OptionQuote[]>()
    for (const o of clean.options) {
      const l = byExpiry.get(o.expiry) ?? []
      l.push(o)
      byExpiry.set(o.expiry, l)
    }
    for (const [expiry, list] of byExpiry) wings.set(expiry, wingStrikes(list, ctxOf, wingRule))
  }
  const floorOf = wingFloors(surface, wings)
  const marks: MarkRecord[] = []
  const unmarked: Unmarked[] = [...rejected]
  kept.forEach(({ index, quote }, i) => {
    const h = half[i] as number
    const r = markInstrumentChecked(surface, quote, quote, {
      parameters,
      premium,
      localHalfSpreadVol: Number.isNaN(h) ? undefined : h,
      surfaceFingerprint: surfaceFp,
      wingStrikes: wings.get(quote.expiry),
      wingFloorVariance: floorOf(quote),
    })
    if (E.isRight(r)) marks.push(r.right)
    else unmarked.push({ instrument: quote.instrument, index, error: r.left })
  })
  marks.sort(compareMarks)
  unmarked.sort((a, b) => a.index - b.index)
  let market = 0
  let liquid = 0
  let thin = 0
  let noMarket = 0
  for (const m of marks) {
    if (m.source === 'market') market++
    if (m.liquidity.verdict === 'liquid') liquid++
    else if (m.liquidity.verdict === 'thin') thin++
    else noMarket++
  }
  const rejectedRows = snapshot.rejected ?? []
  const warningRows = snapshot.warnings ?? []
  return E.right({
    schema: 'mark-to-model/markset@1',
    asOf: snapshot.timestamp,
    underlying: snapshot.underlying,
    premium,
    library: LIBRARY_VERSION,
    parameters,
    snapshotFingerprint: fingerprint({ ...clean, source: undefined }),
    surfaceFingerprint: surfaceFp,
    marks,
    unmarked,
    rejected: rejectedRows,
    warnings: warningRows,
    counts: {
      listed: snapshot.options.length,
      marked: marks.length,
      market,
      model: marks.length - market,
      liquid,
      thin,
      noMarket,
      unmarked: unmarked.length,
      rejectedRows: rejectedRows.length,
      warningRows: warningRows.length,
    },
    surface: {
      model: surface.model,
      diagnostics: surface.diagnostics,
      slices: surface.slices.map(sliceSummary),
    },
  })
}
