/**
 * From quoted option prices to implied quotes: bid, ask and mid Black-76 implied vols on the
 * out-of-the-money side of one expiry, the fit weights, and a reason for every quote that cannot
 * be inverted (kept, never dropped).
 *
 * Conventions: prices converted to USD first (`'coin'` premium × the forward the snapshot gives
 * for that option: the row's own `forward` when present, else the expiry's); k = ln(K/F) against
 * that same forward; vols decimal; T in ACT/365 years.
 *
 * @module
 * @since 0.1.0
 */
import { normPdf } from '../core/normal.js'
import type { OptionQuote, PremiumConvention } from '../domain/snapshot.js'
import { impliedVolUnsafe } from '../pricing/impliedVol.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Why a quote did not enter the fit.
 *
 * - `NoBid` / `ZeroBid`: bid side empty or 0 (one-sided: an upper bound only);
 * - `NoAsk`: ask side empty;
 * - `Crossed`: bid > ask (a locked book, bid = ask, is kept);
 * - `BelowIntrinsic`: an ITM quote converted by parity whose bid is at or below the discounted
 *   intrinsic value (its OTM-equivalent bid is ≤ 0: one-sided);
 * - `NotInvertible`: the implied-vol solver returned no vol (above the no-arbitrage maximum or
 *   time value below resolution);
 * - `ItmSide`: an in-the-money quote at a strike whose OTM quote was used (not an error; it is
 *   still priced in the inside-spread check).
 *
 * @category model
 * @since 0.1.0
 */
export type QuoteIssue =
  'NoBid' | 'ZeroBid' | 'NoAsk' | 'Crossed' | 'BelowIntrinsic' | 'NotInvertible' | 'ItmSide'

/**
 * One quoted option after conversion to USD and inversion. Vols are NaN where not defined.
 *
 * @category model
 * @since 0.1.0
 */
export interface ImpliedQuote {
  /** Instrument name. */
  readonly instrument: string
  /** Call or put. */
  readonly kind: 'call' | 'put'
  /** Strike (USD). */
  readonly strike: number
  /** Forward used for this quote (USD): the row's forward or the expiry's. */
  readonly forward: number
  /** Log-moneyness ln(K/F) against that forward. */
  readonly k: number
  /** Bid (USD) or null. */
  readonly bid: number | null
  /** Ask (USD) or null. */
  readonly ask: number | null
  /** Whether bid > 0 and ask ≥ bid. */
  readonly twoSided: boolean
  /** Issue, or undefined when the quote is a fit point. */
  readonly issue: QuoteIssue | undefined
}

/**
 * One fit point per strike (OTM side, or the ITM side converted by parity), in parallel columns.
 *
 * @category model
 * @since 0.1.0
 */
export interface FitPoints {
  /** Number of points. */
  readonly n: number
  /** Instrument whose quote gave the point. */
  readonly instruments: readonly string[]
  /** Strikes (USD). */
  readonly strikes: Float64Array
  /** Forward used per point (USD). */
  readonly forwards: Float64Array
  /** Log-moneyness ln(K/F). */
  readonly k: Float64Array
  /** Mid implied vol. */
  readonly midVol: Float64Array
  /** Bid implied vol (0 when the bid is below the solver's resolution). */
  readonly bidVol: Float64Array
  /** Ask implied vol (+∞ when above the no-arbitrage maximum). */
  readonly askVol: Float64Array
  /** Black-76 vega at the mid vol, USD per unit vol. */
  readonly vega: Float64Array
  /** Fit weight 1/clamp(askVol − bidVol, min, max), per unit vol. */
  readonly weight: Float64Array
  /** Whether the point came from the ITM quote converted by parity. */
  readonly fromParity: readonly boolean[]
}

/**
 * All quotes of one expiry after inversion.
 *
 * @category model
 * @since 0.1.0
 */
export interface ExpiryQuotes {
  /** Every option row of the expiry, with its issue if any. */
  readonly quotes: readonly ImpliedQuote[]
  /** The fit points. */
  readonly points: FitPoints
}

/**
 * Inputs of {@link impliedQuotes} for one expiry.
 *
 * @category model
 * @since 0.1.0
 */
export interface ExpiryQuoteInput {
  /** The option rows of this expiry. */
  readonly options: readonly OptionQuote[]
  /** Time to expiry, ACT/365 years, > 0. */
  readonly expiry: number
  /** Expiry forward (USD); rows without their own forward use it. */
  readonly forward: number
  /** Discount factor P(0, T). */
  readonly discount: number
  /** Premium convention of the snapshot. */
  readonly premium: PremiumConvention
  /** Spread floor in vol for the weights (decimal). */
  readonly minSpreadVol: number
  /** Spread cap in vol for the weights (decimal). */
  readonly maxSpreadVol: number
}

// -------------------------------------------------------------------------------------
// inversion
// -------------------------------------------------------------------------------------

/**
 * Converts one expiry's quotes to USD and inverts them to bid, ask and mid implied vols on the
 * OTM side: the put for K < F, the call for K ≥ F (F the quote's forward).
 *
 * Steps per option: USD price = coin price × F_row for `'coin'` snapshots (F_row = the row's
 * `forward`, else the expiry forward; Deribit quotes coin premiums against the forward of the
 * moment the row was read), unchanged for `'quote'`. A two-sided quote has bid > 0 and
 * ask ≥ bid. Per strike, the OTM quote is the fit point when it is two-sided and its mid inverts;
 * otherwise the ITM quote of the same strike, when two-sided, is converted by put-call parity
 * `P = C − D(F − K)` (or `C = P + D(F − K)`) and inverted (`fromParity`) when its converted bid
 * is still > 0; otherwise the strike
 * gives no point and each row keeps its {@link QuoteIssue}.
 *
 * Weights: `w = 1 / clamp(σ_ask − σ_bid, minSpreadVol, maxSpreadVol)`, i.e. vega/spread in price
 * units (`σ_ask − σ_bid ≈ (ask − bid)/vega`), capped through the floor. The bid vol is 0 when the
 * bid is below the solver's resolution, the ask vol +∞ when the ask is above the no-arbitrage
 * maximum: the weight then hits the cap.
 *
 * Edges: T ≤ 0 or F ≤ 0 gives no points (every row `NotInvertible`). Inversion by
 * `impliedVolUnsafe` (Jäckel 2015, Let's Be Rational: machine accuracy); vega
 * `D·F·φ(d₁)·√T` at the mid vol.
 *
 * Verified by spec/surface/quotes.spec.ts.
 *
 * @example
 * ```ts
 * // spec/surface/quotes.spec.ts
 * impliedQuotes({ options, expiry: 0.25, forward: 100, discount: 0.99, premium: 'quote', minSpreadVol: 0.0025, maxSpreadVol: 0.5 })
 * // { quotes: [... with issue], points: { n, k, midVol, bidVol, askVol, weight, ... } }
 * ```
 *
 * @category inversion
 * @since 0.1.0
 */
export const impliedQuotes = (input: ExpiryQuoteInput): ExpiryQuotes => {
  const { options, expiry: T, discount: D } = input
  const coin = input.premium === 'coin'
  const rows: ImpliedQuote[] = []
  const issueOf = new Array<QuoteIssue | undefined>(options.length)
  const byStrike = new Map<number, { call?: number; put?: number }>()
  for (let i = 0; i < options.length; i++) {
    const o = options[i] as OptionQuote
    const F = o.forward !== undefined && o.forward !== null ? o.forward : input.forward
    const bid = o.bid === null ? null : coin ? o.bid * F : o.bid
    const ask = o.ask === null ? null : coin ? o.ask * F : o.ask
    let issue: QuoteIssue | undefined
    if (bid === null) issue = 'NoBid'
    else if (bid === 0) issue = 'ZeroBid'
    else if (ask === null) issue = 'NoAsk'
    else if (bid > ask) issue = 'Crossed'
    issueOf[i] = issue
    rows.push({
      instrument: o.instrument,
      kind: o.kind,
      strike: o.strike,
      forward: F,
      k: Math.log(o.strike / F),
      bid,
      ask,
      twoSided: issue === undefined,
      issue,
    })
    const s = byStrike.get(o.strike) ?? {}
    if (o.kind === 'call' && s.call === undefined) s.call = i
    else if (o.kind === 'put' && s.put === undefined) s.put = i
    byStrike.set(o.strike, s)
  }

  const strikes = [...byStrike.keys()].sort((a, b) => a - b)
  const cap = strikes.length
  const P = {
    instruments: [] as string[],
    strikes: new Float64Array(cap),
    forwards: new Float64Array(cap),
    k: new Float64Array(cap),
    midVol: new Float64Array(cap),
    bidVol: new Float64Array(cap),
    askVol: new Float64Array(cap),
    vega: new Float64Array(cap),
    weight: new Float64Array(cap),
    fromParity: [] as boolean[],
  }
  let n = 0
  const sqrtT = Math.sqrt(T)
  const live = T > 0 && input.forward > 0 && D > 0
  for (const K of strikes) {
    const s = byStrike.get(K) as { call?: number; put?: number }
    const callRow = s.call === undefined ? undefined : (rows[s.call] as ImpliedQuote)
    const putRow = s.put === undefined ? undefined : (rows[s.put] as ImpliedQuote)
    const ref = callRow ?? putRow
    if (ref === undefined) continue
    const F = ref.forward
    const otmIsCall = K >= F
    const otmIdx = otmIsCall ? s.call : s.put
    const itmIdx = otmIsCall ? s.put : s.call
    const q: 1 | -1 = otmIsCall ? 1 : -1
    let used: number | undefined
    let bid = NaN
    let ask = NaN
    let parity = false
    if (!live) {
      if (otmIdx !== undefined && issueOf[otmIdx] === undefined) issueOf[otmIdx] = 'NotInvertible'
      if (itmIdx !== undefined && issueOf[itmIdx] === undefined) issueOf[itmIdx] = 'NotInvertible'
      continue
    }
    if (otmIdx !== undefined && issueOf[otmIdx] === undefined) {
      const r = rows[otmIdx] as ImpliedQuote
      bid = r.bid as number
      ask = r.ask as number
      used = otmIdx
    } else if (itmIdx !== undefined && issueOf[itmIdx] === undefined) {
      const r = rows[itmIdx] as ImpliedQuote
      // ITM call → OTM put: P = C − D(F − K); ITM put → OTM call: C = P + D(F − K)
      const shift = D * (r.forward - K) * (otmIsCall ? 1 : -1)
      bid = (r.bid as number) + shift
      ask = (r.ask as number) + shift
      used = itmIdx
      parity = true
    }
    if (used === undefined) continue
    const Fu = (rows[used] as ImpliedQuote).forward
    const mid = 0.5 * (bid + ask)
    // a converted ITM bid at or below intrinsic leaves a one-sided OTM equivalent
    if (!(bid > 0)) {
      issueOf[used] = 'BelowIntrinsic'
      continue
    }
    const midVol = impliedVolUnsafe(q, mid, Fu, K, T, D)
    if (!(midVol > 0)) {
      issueOf[used] = 'NotInvertible'
      continue
    }
    const bv = bid > 0 ? impliedVolUnsafe(q, bid, Fu, K, T, D) : NaN
    const av = impliedVolUnsafe(q, ask, Fu, K, T, D)
    const bidVol = bv > 0 ? bv : 0
    const askVol = av > 0 ? av : Infinity
    const spread = Math.min(Math.max(askVol - bidVol, input.minSpreadVol), input.maxSpreadVol)
    const kk = Math.log(K / Fu)
    const d1 = -kk / (midVol * sqrtT) + 0.5 * midVol * sqrtT
    P.instruments.push((rows[used] as ImpliedQuote).instrument)
    P.fromParity.push(parity)
    P.strikes[n] = K
    P.forwards[n] = Fu
    P.k[n] = kk
    P.midVol[n] = midVol
    P.bidVol[n] = bidVol
    P.askVol[n] = askVol
    P.vega[n] = D * Fu * normPdf(d1) * sqrtT
    P.weight[n] = 1 / spread
    n++
    // the other side of a used strike is priced in checks but is not a fit point
    const other = used === otmIdx ? itmIdx : otmIdx
    if (other !== undefined && issueOf[other] === undefined) issueOf[other] = 'ItmSide'
  }
  const quotes = rows.map((r, i) => (issueOf[i] === r.issue ? r : { ...r, issue: issueOf[i] }))
  return {
    quotes,
    points: {
      n,
      instruments: P.instruments,
      strikes: P.strikes.subarray(0, n),
      forwards: P.forwards.subarray(0, n),
      k: P.k.subarray(0, n),
      midVol: P.midVol.subarray(0, n),
      bidVol: P.bidVol.subarray(0, n),
      askVol: P.askVol.subarray(0, n),
      vega: P.vega.subarray(0, n),
      weight: P.weight.subarray(0, n),
      fromParity: P.fromParity,
    },
  }
}
