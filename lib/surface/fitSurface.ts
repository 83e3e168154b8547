/**
 * `fitSurface`: the assembly of the surface stage. Quotes → forwards → implied vols → slice
 * fits (SVI / SSVI / SABR) → calendar repair → interpolation → a {@link VolSurface} with
 * diagnostics, plus the strike-grid arbitrage check used by the specs and the marking stage.
 *
 * Deterministic: no randomness, fixed iteration orders; the same snapshot and configuration give
 * bit-identical parameters.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidInput } from '../domain/errors.js'
import type { MarketSnapshot, OptionQuote } from '../domain/snapshot.js'
import type {
  SliceCorrection,
  SliceDiagnostics,
  SliceFit,
  SliceParameters,
  SurfaceDiagnostics,
  VolSurface,
} from '../domain/surface.js'
import { type SurfaceError, fitNotConverged, noUsableQuotes } from '../domain/surfaceErrors.js'
import { yearFraction } from '../domain/time.js'
import { black76PriceUnsafe } from '../pricing/black76.js'
import { DEFAULT_SURFACE_CONFIG, type SurfaceConfig, surfaceConfigLabel } from './config.js'
import { type ForwardCurve, type ParityPoint, discountAt, forwardAt, parityForward } from './forwards.js'
import {
  type TotalVarianceNode,
  calendarRepair,
  correctionDerivatives,
  correctionValue,
  forwardVarianceRate,
  interpolateTotalVariance,
  sliceTotalVariance,
} from './interpolation.js'
import { type ExpiryQuotes, type FitPoints, type ImpliedQuote, impliedQuotes } from './quotes.js'
import {
  durrlemanGFromDerivatives,
  fitSviSlice,
  sviButterflyGrid,
  sviDerivatives,
  sviMinDurrlemanG,
  sviTotalVariance,
} from './svi.js'
import { solveLinearInPlace } from '../core/leastSquares.js'
import { fitSsvi, ssviPhi } from './ssvi.js'
import { fitSabrSlice } from './sabrFit.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Result of {@link checkStrikeGrid}: butterfly checks on call prices over a strike grid.
 *
 * @category model
 * @since 0.1.0
 */
export interface StrikeGridCheck {
  /** Strikes checked (USD), ascending. */
  readonly strikes: Float64Array
  /** Undiscounted call prices C(K)/D (USD) at those strikes. */
  readonly calls: Float64Array
  /** Count of i with C(K_{i+1}) > C(K_i) + tolerance (price increasing in strike). */
  readonly monotonicityViolations: number
  /** Count of i with a negative second divided difference below −tolerance (non-convex). */
  readonly convexityViolations: number
  /** Smallest second divided difference (USD per USD²); ≥ −tolerance when convex. */
  readonly minSecondDifference: number
}

/** One live expiry while the surface is being built. */
interface Expiry {
  readonly iso: string
  readonly T: number
  readonly forward: number
  readonly discount: number
  readonly forwardNote: string
  readonly options: OptionQuote[]
  quotes: ExpiryQuotes
  params: SliceParameters | undefined
  correction: SliceCorrection | undefined
  fitWeight: Float64Array | undefined
  excluded: { instrument: string; reason: string }[]
  notes: string[]
}

// -------------------------------------------------------------------------------------
// fitting
// -------------------------------------------------------------------------------------

const ISSUE_TEXT: Readonly<Record<string, string>> = {
  NoBid: 'NoBid: no bid (one-sided quote)',
  ZeroBid: 'ZeroBid: bid is 0 (one-sided quote)',
  NoAsk: 'NoAsk: no ask (one-sided quote)',
  Crossed: 'Crossed: bid above ask',
  BelowIntrinsic: 'BelowIntrinsic: mid at or below discounted intrinsic value',
  NotInvertible: 'NotInvertible: no Black-76 vol reproduces the mid',
}

/**
 * Fits a volatility surface to one market snapshot.
 *
 * Pipeline (docs/methodology/surface.md):
 * 1. Time to expiry ACT/365 from the snapshot timestamp (`yearFraction`); expiries closer than
 *    `config.minExpiryYears` are skipped (their quotes listed as `Expired`).
 * 2. Forward per expiry: the snapshot's `ForwardQuote`, else the median of the rows' `forward`,
 *    else put-call parity ({@link parityForward}: Huber regression yielding F and D). Discount 1
 *    when the forward comes from the snapshot (Deribit: r = 0 convention of its marks).
 * 3. Implied quotes on the OTM side ({@link impliedQuotes}), weights 1/spread in vol.
 * 4. Model per `config.model`; `'auto'` = SVI when ≥ `sparseShare` of the live expiries have
 *    ≥ `minQuotesSvi` fit points, else one SSVI surface. Each SVI/SABR slice is fitted by
 *    {@link fitSmile}: SVI with a shifted refit when the fit ends at `a = 0`, and a penalised
 *    cubic B-spline correction when fewer than `correctBelowShare` of its points are inside their
 *    [bid, ask] vol band (butterfly-checked); optional reweighting passes (`spreadIterations`).
 * 5. Slices with too few points or a failed fit fall back to interpolation between their fitted
 *    neighbours; when no slice could be fitted, every expiry with points gets a flat smile at its
 *    ATM vol (interpolated in k to k = 0). Each fallback is in the slice's notes.
 * 6. Calendar repair across fitted slices (running maximum, {@link calendarRepair}),
 *    interpolation in total variance at constant k ({@link interpolateTotalVariance}).
 *
 * Errors: `InvalidInput` (spot or timestamp unusable, configuration out of range),
 * `NoUsableQuotes` (nothing invertible on a live expiry), `FitNotConverged` (`config.model` is
 * `'ssvi'` and the SSVI surface fit failed; under `'auto'` it falls back to SVI per slice, and a
 * failed SVI/SABR slice falls back to its neighbours, both noted).
 *
 * `SliceFit.residualVol` (for marking's bands) is the spread-weighted RMS of model − mid vol over
 * the points kept by the fit (weights 1/spread², so a wide one-sided-looking quote whose mid vol
 * means little does not dominate it); `rmseVolPoints` is the unweighted RMS, in vol points.
 *
 * Diagnostics per slice and surface: RMSE (vol points) of model vs mid vol over fit points,
 * share of two-sided quotes (calls and puts, ITM included) whose model price (Black-76 at the
 * quote's forward, in the premium convention) lies in [bid, ask], min Durrleman g on the check
 * grid of the repaired slice (central differences), calendar check on a (k, T) grid, excluded
 * quotes with reasons, notes (preset label, model rule, fallbacks, repairs).
 *
 * Verified by spec/surface/fitSurface.spec.ts and spec/surface/realChains.spec.ts.
 *
 * @example
 * ```ts
 * // spec/surface/realChains.spec.ts
 * const r = fitSurface(snapshot) // Either<SurfaceError, VolSurface>
 * if (E.isRight(r)) r.right.vol(100_000, 0.25) // Black-76 vol at K = 100 000 USD, T = 0.25 y
 * ```
 *
 * @category fitting
 * @since 0.1.0
 */
export const fitSurface = (
  snapshot: MarketSnapshot,
  config: SurfaceConfig = DEFAULT_SURFACE_CONFIG,
): E.Either<SurfaceError, VolSurface> => fitWith(snapshot, config, undefined)

/**
 * A refitting function with a per-slice memo, for refitting on every quote update: see
 * {@link createSurfaceFitter}.
 *
 * @category model
 * @since 0.1.0
 */
export interface IncrementalSurfaceFitter {
  /** Fits `snapshot`; the result is identical to `fitSurface(snapshot, config)`. */
  (snapshot: MarketSnapshot): E.Either<SurfaceError, VolSurface>
  /** Slice fits reused from the memo / computed, over the fitter's life. */
  readonly stats: { readonly reused: number; readonly computed: number }
}

/**
 * A surface fitter that remembers each SVI/SABR slice fit by its exact inputs (expiry, forward,
 * discount, model and every fit point's k, vols, weight and forward) and reuses it when a later
 * snapshot presents the same inputs: after a quote update only the touched expiry is refitted.
 * The result is identical to {@link fitSurface} with the same configuration (a slice fit is a
 * pure function of those inputs; SSVI surfaces, which couple all expiries, are always refitted).
 * The memo keeps only the slices of the latest call.
 *
 * Verified by spec/surface/fitSurface.spec.ts (identical to a full fit after a quote update);
 * timed by bench/surface.bench.ts.
 *
 * @example
 * ```ts
 * const fit = createSurfaceFitter()
 * fit(snapshot) // full fit
 * fit(updated)  // refits only the expiries whose quotes changed
 * ```
 *
 * @category fitting
 * @since 0.1.0
 */
export const createSurfaceFitter = (
  config: SurfaceConfig = DEFAULT_SURFACE_CONFIG,
): IncrementalSurfaceFitter => {
  let memo = new Map<string, MemoEntry>()
  const stats = { reused: 0, computed: 0 }
  const fitter = (snapshot: MarketSnapshot): E.Either<SurfaceError, VolSurface> => {
    const cache: SliceCache = { previous: memo, next: new Map(), stats }
    const r = fitWith(snapshot, config, cache)
    memo = cache.next
    return r
  }
  return Object.assign(fitter, { stats })
}

interface MemoEntry {
  readonly fit: SmileFit | undefined
  readonly notes: readonly string[]
}

interface SliceCache {
  readonly previous: Map<string, MemoEntry>
  readonly next: Map<string, MemoEntry>
  readonly stats: { reused: number; computed: number }
}

const fitWith = (
  snapshot: MarketSnapshot,
  config: SurfaceConfig,
  cache: SliceCache | undefined,
): E.Either<SurfaceError, VolSurface> => {
  const bad = validate(snapshot, config)
  if (bad !== undefined) return E.left(bad)
  const notes: string[] = [`config ${surfaceConfigLabel(config)}`]
  const globalExcluded: { instrument: string; reason: string }[] = []

  // 1–3: group by expiry, forwards, implied quotes
  const groups = new Map<number, OptionQuote[]>()
  for (const o of snapshot.options) {
    const ms = Date.parse(o.expiry)
    const list = groups.get(ms)
    if (list === undefined) groups.set(ms, [o])
    else list.push(o)
  }
  const fwdByMs = new Map<number, number>()
  for (const f of snapshot.forwards) fwdByMs.set(Date.parse(f.expiry), f.forward)
  const asOfMs = Date.parse(snapshot.timestamp)
  const expiries: Expiry[] = []
  let lastDiscount = 1
  for (const ms of [...groups.keys()].sort((a, b) => a - b)) {
    const options = groups.get(ms) as OptionQuote[]
    const T = yearFraction(asOfMs, ms)
    if (!Number.isFinite(ms)) {
      for (const o of options)
        globalExcluded.push({
          instrument: o.instrument,
          reason: `InvalidExpiry: ${String(o.expiry)} is not a timestamp`,
        })
      continue
    }
    const iso = new Date(ms).toISOString()
    if (!(T >= config.minExpiryYears)) {
      for (const o of options)
        globalExcluded.push({
          instrument: o.instrument,
          reason: `Expired: ${iso} is ${fmt(T * 8760)} h from the snapshot (< minExpiryYears)`,
        })
      continue
    }
    const fd = expiryForward(snapshot, options, fwdByMs.get(ms), lastDiscount, config)
    lastDiscount = fd.discount
    const quotes = impliedQuotes({
      options,
      expiry: T,
      forward: fd.forward,
      discount: fd.discount,
      premium: snapshot.premium,
      minSpreadVol: config.minSpreadVol,
      maxSpreadVol: config.maxSpreadVol,
    })
    const excluded: { instrument: string; reason: string }[] = []
    for (const q of quotes.quotes) {
      if (q.issue !== undefined && q.issue !== 'ItmSide')
        excluded.push({ instrument: q.instrument, reason: ISSUE_TEXT[q.issue] ?? q.issue })
    }
    expiries.push({
      iso,
      T,
      forward: fd.forward,
      discount: fd.discount,
      forwardNote: fd.note,
      options,
      quotes,
      params: undefined,
      correction: undefined,
      fitWeight: undefined,
      excluded,
      notes: [fd.note],
    })
  }
  const totalPoints = expiries.reduce((s, e) => s + e.quotes.points.n, 0)
  if (totalPoints === 0) {
    const count = globalExcluded.length + expiries.reduce((s, e) => s + e.excluded.length, 0)
    return E.left(noUsableQuotes(snapshot.underlying, count))
  }

  // 4: model choice
  let model: 'svi' | 'ssvi' | 'sabr'
  if (config.model === 'auto') {
    const rich = expiries.filter((e) => e.quotes.points.n >= config.minQuotesSvi).length
    model = rich >= config.sparseShare * expiries.length ? 'svi' : 'ssvi'
    notes.push(
      `model auto → ${model}: ${rich} of ${expiries.length} expiries have ≥ ${config.minQuotesSvi} usable quotes (SVI needs ≥ ${fmt(100 * config.sparseShare)}%)`,
    )
  } else model = config.model

  if (model === 'ssvi') {
    const err = fitSsviSurface(expiries, config)
    if (err !== undefined) {
      // an explicitly requested SSVI surface that cannot be fitted is an error; under 'auto' the
      // slices with enough quotes are fitted by SVI instead
      if (config.model === 'ssvi') return E.left(err)
      notes.push(`${err.message}; SVI per slice instead`)
      model = 'svi'
      for (const e of expiries) fitSlice(e, 'svi', config, cache)
    }
  } else {
    for (const e of expiries) fitSlice(e, model, config, cache)
  }

  // 5: fallbacks
  let fitted = expiries.filter((e) => e.params !== undefined)
  if (fitted.length === 0) {
    notes.push('no slice could be fitted: flat smiles at each expiry’s ATM vol (Black-76)')
    for (const e of expiries) {
      const atm = atmVol(e.quotes.points)
      if (Number.isFinite(atm)) {
        e.params = { model: 'flat', vol: atm }
        e.notes.push(
          `flat smile at the ATM vol ${fmt(100 * atm)}% interpolated from ${e.quotes.points.n} quote(s)`,
        )
      }
    }
    fitted = expiries.filter((e) => e.params !== undefined)
  }

  // 6: nodes, repair, interpolation
  const rawNodes: TotalVarianceNode[] = fitted.map((e) => {
    const p = e.params as SliceParameters
    const T = e.T
    const F = e.forward
    const c = e.correction
    if (c === undefined) return { expiry: T, w: (k: number) => sliceTotalVariance(p, k, T, F) }
    return { expiry: T, w: (k: number) => sliceTotalVariance(p, k, T, F) + correctionValue(c, k) }
  })
  const nodes = calendarRepair(rawNodes)
  repairNotes(fitted, rawNodes, nodes)
  const curve: ForwardCurve = {
    spot: snapshot.spot,
    times: expiries.map((e) => e.T),
    forwards: expiries.map((e) => e.forward),
    discounts: expiries.map((e) => e.discount),
  }
  const totalVariance = (k: number, T: number): number => interpolateTotalVariance(nodes, k, T)
  const forward = (T: number): number => forwardAt(curve, T)
  const discount = (T: number): number => discountAt(curve, T)
  const vol = (K: number, T: number): number => {
    if (!(K > 0) || !(T > 0) || !Number.isFinite(K) || !Number.isFinite(T)) return NaN
    const w = totalVariance(Math.log(K / forward(T)), T)
    return Math.sqrt(w / T)
  }
  if (nodes.length > 0)
    notes.push(
      `beyond the last expiry: flat forward variance ${fmt(forwardVarianceRate(nodes))} per year (ATM)`,
    )

  // diagnostics per slice
  const slices: SliceFit[] = []
  let sq = 0
  let nSq = 0
  let inside = 0
  let twoSided = 0
  let minG = Infinity
  const allExcluded = [...globalExcluded]
  for (const e of expiries) {
    const isNode = e.params !== undefined
    if (!isNode) {
      const atm = vol(e.forward, e.T)
      e.params = { model: 'flat', vol: atm }
      e.notes.push(
        `fallback: ${e.quotes.points.n} usable quote(s); smile interpolated from the neighbouring fitted expiries in total variance at constant k (parameters show its ATM vol ${fmt(100 * atm)}%)`,
      )
    }
    const d = sliceDiagnostics(e, totalVariance, snapshot.premium, config)
    sq += d.sumSq
    nSq += d.used
    inside += d.inside
    twoSided += d.twoSided
    if (d.minG < minG) minG = d.minG
    for (const x of e.excluded) allExcluded.push(x)
    const diagnostics: SliceDiagnostics = {
      quotesUsed: d.used,
      rmseVolPoints: d.used > 0 ? 100 * Math.sqrt(d.sumSq / d.used) : NaN,
      insideSpreadShare: d.twoSided > 0 ? d.inside / d.twoSided : NaN,
      minDurrlemanG: d.minG,
      excluded: e.excluded,
      notes: e.notes,
    }
    slices.push({
      expiry: e.iso,
      expiryYears: e.T,
      forward: e.forward,
      discount: e.discount,
      parameters: e.params as SliceParameters,
      diagnostics,
      residualVol: d.residualVol,
      ...(e.correction === undefined ? {} : { correction: e.correction }),
    })
  }
  const calendar = calendarCheck(nodes, expiries)
  if (!calendar) notes.push('calendar check failed on the (k, T) grid')
  const diagnostics: SurfaceDiagnostics = {
    rmseVolPoints: nSq > 0 ? 100 * Math.sqrt(sq / nSq) : NaN,
    insideSpreadShare: twoSided > 0 ? inside / twoSided : NaN,
    minDurrlemanG: minG,
    calendarArbitrageFree: calendar,
    excluded: allExcluded,
    notes,
  }
  return E.right({
    asOf: new Date(asOfMs).toISOString(),
    underlying: snapshot.underlying,
    spot: snapshot.spot,
    model,
    vol,
    totalVariance,
    forward,
    discount,
    slices,
    diagnostics,
  })
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/**
 * Butterfly check in price space on a strike grid: undiscounted Black-76 call prices
 * `C(K) = F Φ(d₁) − K Φ(d₂)` at the surface's vol for `points` strikes uniformly spaced in
 * `k = ln(K/F)` over `[−n·σ_ATM√T, +n·σ_ATM√T]` (`n = stdDevs`); counts where the price
 * increases with strike or the second divided difference is negative (non-convex), with a
 * tolerance of `tolerance × F` in price (default 1e-9 F, i.e. float noise).
 *
 * Verified by spec/surface/realChains.spec.ts.
 *
 * @example
 * ```ts
 * checkStrikeGrid(surface, slice.expiryYears, 801, 8) // { monotonicityViolations: 0, convexityViolations: 0, … }
 * ```
 *
 * @category checks
 * @since 0.1.0
 */
export const checkStrikeGrid = (
  surface: VolSurface,
  expiry: number,
  points = 401,
  stdDevs = 6,
  tolerance = 1e-9,
): StrikeGridCheck => {
  const F = surface.forward(expiry)
  const atm = Math.sqrt(surface.totalVariance(0, expiry))
  const half = stdDevs * Math.max(atm, 1e-4)
  const K = new Float64Array(points)
  const C = new Float64Array(points)
  for (let i = 0; i < points; i++) {
    const k = -half + (2 * half * i) / (points - 1)
    K[i] = F * Math.exp(k)
    C[i] = black76PriceUnsafe(1, F, K[i] as number, expiry, surface.vol(K[i] as number, expiry), 1)
  }
  const tol = tolerance * F
  let mono = 0
  let conv = 0
  let minD2 = Infinity
  for (let i = 0; i + 1 < points; i++) {
    if ((C[i + 1] as number) > (C[i] as number) + tol) mono++
    if (i + 2 < points) {
      const k0 = K[i] as number
      const k1 = K[i + 1] as number
      const k2 = K[i + 2] as number
      const s1 = ((C[i + 1] as number) - (C[i] as number)) / (k1 - k0)
      const s2 = ((C[i + 2] as number) - (C[i + 1] as number)) / (k2 - k1)
      const d2 = (s2 - s1) / (0.5 * (k2 - k0))
      if (d2 < minD2) minD2 = d2
      // slope difference below −tol/ΔK means a kink of more than tol in price
      if ((s2 - s1) * (k2 - k1) < -tol) conv++
    }
  }
  return {
    strikes: K,
    calls: C,
    monotonicityViolations: mono,
    convexityViolations: conv,
    minSecondDifference: minD2,
  }
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const fmt = (x: number): string => String(Number(x.toPrecision(4)))

const validate = (s: MarketSnapshot, c: SurfaceConfig): SurfaceError | undefined => {
  if (!(s.spot > 0 && Number.isFinite(s.spot)))
    return invalidInput('spot', s.spot, 'must be a finite number in (0, ∞)')
  if (!Number.isFinite(Date.parse(s.timestamp)))
    return invalidInput('timestamp', s.timestamp, 'must be a UTC ISO-8601 timestamp')
  if (!(c.sabrBeta >= 0 && c.sabrBeta <= 1))
    return invalidInput('config.sabrBeta', c.sabrBeta, 'must be a finite number in [0, 1]')
  for (const key of [
    'minQuotesSvi',
    'minQuotesSabr',
    'minQuotesSsvi',
    'spreadIterations',
    'parityStrikes',
    'checkPoints',
  ] as const) {
    const v = c[key]
    if (!(Number.isInteger(v) && v >= 0))
      return invalidInput(`config.${key}`, v, 'must be a non-negative integer')
  }
  for (const key of ['minSpreadVol', 'maxSpreadVol', 'spreadBoost', 'parityHuber', 'checkStdDevs'] as const) {
    const v = c[key]
    if (!(v > 0 && Number.isFinite(v)))
      return invalidInput(`config.${key}`, v, 'must be a finite number in (0, ∞)')
  }
  if (!(c.maxSpreadVol >= c.minSpreadVol))
    return invalidInput('config.maxSpreadVol', c.maxSpreadVol, 'must be ≥ config.minSpreadVol')
  if (!(c.sparseShare >= 0 && c.sparseShare <= 1))
    return invalidInput('config.sparseShare', c.sparseShare, 'must be a finite number in [0, 1]')
  if (!(c.minExpiryYears >= 0 && Number.isFinite(c.minExpiryYears)))
    return invalidInput('config.minExpiryYears', c.minExpiryYears, 'must be a finite number in [0, ∞)')
  return undefined
}

const usd = (x: number | null, F: number, coin: boolean): number | null =>
  x === null ? null : coin ? x * F : x

/** Forward and discount of one expiry, with a note saying where they came from. */
const expiryForward = (
  s: MarketSnapshot,
  options: readonly OptionQuote[],
  given: number | undefined,
  fallbackDiscount: number,
  config: SurfaceConfig,
): { forward: number; discount: number; note: string } => {
  if (given !== undefined)
    return { forward: given, discount: 1, note: `forward ${fmt(given)} from the snapshot; discount 1` }
  const rowF: number[] = []
  for (const o of options) if (o.forward !== undefined && o.forward !== null) rowF.push(o.forward)
  if (rowF.length > 0) {
    rowF.sort((a, b) => a - b)
    const h = rowF.length >> 1
    const f =
      rowF.length % 2 === 1 ? (rowF[h] as number) : 0.5 * ((rowF[h - 1] as number) + (rowF[h] as number))
    return {
      forward: f,
      discount: 1,
      note: `forward ${fmt(f)} = median of ${rowF.length} option rows' forwards; discount 1`,
    }
  }
  const coin = s.premium === 'coin'
  if (coin)
    return {
      forward: s.spot,
      discount: 1,
      note: `no forward given for a coin-premium expiry: spot ${fmt(s.spot)} used; discount 1`,
    }
  const byStrike = new Map<number, { c?: OptionQuote; p?: OptionQuote }>()
  for (const o of options) {
    const e = byStrike.get(o.strike) ?? {}
    if (o.kind === 'call') e.c ??= o
    else e.p ??= o
    byStrike.set(o.strike, e)
  }
  const pts: ParityPoint[] = []
  for (const K of [...byStrike.keys()].sort((a, b) => a - b)) {
    const { c, p } = byStrike.get(K) as { c?: OptionQuote; p?: OptionQuote }
    if (c === undefined || p === undefined) continue
    const cb = usd(c.bid, 1, false)
    const ca = usd(c.ask, 1, false)
    const pb = usd(p.bid, 1, false)
    const pa = usd(p.ask, 1, false)
    if (cb === null || ca === null || pb === null || pa === null) continue
    if (!(cb > 0 && pb > 0 && ca >= cb && pa >= pb)) continue
    pts.push({ strike: K, callMid: 0.5 * (cb + ca), putMid: 0.5 * (pb + pa), spread: ca - cb + (pa - pb) })
  }
  const fit = parityForward(pts, config.parityStrikes, config.parityHuber, fallbackDiscount)
  if (fit === undefined)
    return {
      forward: s.spot,
      discount: fallbackDiscount,
      note: `no strike with both sides quoted: forward = spot ${fmt(s.spot)}, discount ${fmt(fallbackDiscount)}`,
    }
  const maxRes = fit.residuals.reduce((m, r) => Math.max(m, Math.abs(r)), 0)
  return {
    forward: fit.forward,
    discount: fit.discount,
    note: `forward ${fmt(fit.forward)}, discount ${fmt(fit.discount)} from put-call parity (${fit.method}, ${fit.strikes.length} strikes, residual RMS ${fmt(fit.rmse)}, max ${fmt(maxRes)} USD)`,
  }
}

/** Mid vol interpolated linearly in k to k = 0 (nearest point when 0 is outside the range). */
const atmVol = (p: FitPoints): number => {
  if (p.n === 0) return NaN
  let below = -1
  let above = -1
  for (let i = 0; i < p.n; i++) {
    const k = p.k[i] as number
    if (k <= 0 && (below < 0 || k > (p.k[below] as number))) below = i
    if (k >= 0 && (above < 0 || k < (p.k[above] as number))) above = i
  }
  if (below < 0) return p.midVol[above] as number
  if (above < 0 || above === below) return p.midVol[below] as number
  const k0 = p.k[below] as number
  const k1 = p.k[above] as number
  const t = -k0 / (k1 - k0)
  return (p.midVol[below] as number) * (1 - t) + (p.midVol[above] as number) * t
}

/** Total-variance weights for the SVI fit from vol weights: ω = (λ / (2σT))², λ = 1/spread. */
const wWeights = (p: FitPoints, T: number, volWeight: Float64Array): Float64Array => {
  const out = new Float64Array(p.n)
  for (let i = 0; i < p.n; i++) {
    const s = 2 * (p.midVol[i] as number) * T
    const l = (volWeight[i] as number) / s
    out[i] = l * l
  }
  return out
}

/**
 * A fitted smile of one expiry: the result of {@link fitSmile}.
 *
 * @category model
 * @since 0.1.0
 */
export interface SmileFit {
  /** Fitted parameters (`svi` or `sabr`). */
  readonly params: SliceParameters
  /** Spline correction of an SVI smile, when one was needed and butterfly-free. */
  readonly correction: SliceCorrection | undefined
  /** Robust multiplier per point (0 = excluded by the robust fit). */
  readonly robust: Float64Array
  /** Points excluded by the robust fit: index into the points and reason. */
  readonly excluded: readonly { readonly index: number; readonly reason: string }[]
  /** Notes: shifts, corrections, iteration caps. */
  readonly notes: readonly string[]
}

/** What the slice fitters need to know about the expiry; `notes` collects their remarks. */
interface SmileContext {
  readonly iso: string
  readonly T: number
  readonly forward: number
  readonly notes: string[]
}

/**
 * Fits one expiry's smile to its implied quotes exactly as {@link fitSurface} does per slice:
 * SVI (quasi-explicit fit of `svi.ts` on `w` and on `w + max w`, the better butterfly-free one
 * kept, then the spline correction when needed) or SABR (`sabrFit.ts`, beta from the config),
 * with `config.spreadIterations` reweighting passes toward the bid-ask band. `undefined` when
 * there are fewer points than the model needs or the fit fails (the reason is in `notes`).
 *
 * Units: `expiry` in years, `forward` in USD; weights are the points' 1/spread-in-vol weights.
 *
 * Verified by spec/surface/fitSurface.spec.ts; timed by bench/surface.bench.ts.
 *
 * @category fitting
 * @since 0.1.0
 */
export const fitSmile = (
  points: FitPoints,
  slice: { readonly expiry: number; readonly forward: number; readonly label?: string },
  model: 'svi' | 'sabr',
  config: SurfaceConfig = DEFAULT_SURFACE_CONFIG,
  notes: string[] = [],
): SmileFit | undefined =>
  smileFit(
    { iso: slice.label ?? `T=${slice.expiry}`, T: slice.expiry, forward: slice.forward, notes },
    points,
    model,
    config,
  )

const smileFit = (
  e: SmileContext,
  p: FitPoints,
  model: 'svi' | 'sabr',
  config: SurfaceConfig,
): SmileFit | undefined => {
  const need = model === 'svi' ? config.minQuotesSvi : config.minQuotesSabr
  if (p.n < need) return undefined
  const volWeight = Float64Array.from(p.weight)
  const w = new Float64Array(p.n)
  for (let i = 0; i < p.n; i++) w[i] = (p.midVol[i] as number) ** 2 * e.T
  let result: SlicePass | undefined
  for (let pass = 0; pass <= config.spreadIterations; pass++) {
    const r = model === 'svi' ? sviPass(e, p, w, volWeight, need) : sabrPass(e, p, volWeight, config)
    if (r === undefined) break
    result = r
    let outside = 0
    for (let i = 0; i < p.n; i++) {
      if (!((r.robust[i] as number) > 0)) continue
      const v = Math.sqrt(
        Math.max(sliceTotalVariance(r.params, p.k[i] as number, e.T, p.forwards[i] as number), 0) / e.T,
      )
      if (v < (p.bidVol[i] as number) || v > (p.askVol[i] as number)) {
        volWeight[i] = (volWeight[i] as number) * config.spreadBoost
        outside++
      }
    }
    if (outside === 0 || pass === config.spreadIterations) break
  }
  if (result === undefined) {
    e.notes.push(`${model} fit failed; falls back to its neighbours`)
    return undefined
  }
  const params = result.params
  const correction =
    params.model === 'svi' && config.correctBelowShare > 0
      ? splineCorrection(e, p, params, result.robust, wWeights(p, e.T, p.weight), config)
      : undefined
  return { params, correction, robust: result.robust, excluded: result.excluded, notes: result.notes }
}

/** Fits one SVI or SABR slice of the surface in place. */
const fitSlice = (
  e: Expiry,
  model: 'svi' | 'sabr',
  config: SurfaceConfig,
  cache: SliceCache | undefined,
): void => {
  const p = e.quotes.points
  let entry: MemoEntry | undefined
  const key = cache === undefined ? '' : sliceKey(e, p, model)
  if (cache !== undefined) {
    entry = cache.previous.get(key) ?? cache.next.get(key)
    if (entry !== undefined) cache.stats.reused++
  }
  if (entry === undefined) {
    const notes: string[] = []
    entry = { fit: smileFit({ iso: e.iso, T: e.T, forward: e.forward, notes }, p, model, config), notes }
    if (cache !== undefined) cache.stats.computed++
  }
  if (cache !== undefined) cache.next.set(key, entry)
  for (const n of entry.notes) e.notes.push(n)
  const r = entry.fit
  if (r === undefined) return
  e.params = r.params
  e.correction = r.correction
  e.fitWeight = r.robust
  for (const x of r.excluded)
    e.excluded.push({ instrument: p.instruments[x.index] as string, reason: `robust: ${x.reason}` })
  for (const n of r.notes) e.notes.push(n)
}

/**
 * Penalised cubic B-spline correction (Eilers & Marx 1996, P-splines) of an SVI slice in total
 * variance, fitted to the weighted residuals of the points kept by the robust fit, when fewer
 * than `correctBelowShare` of them have the SVI vol inside their [bid, ask] band (raw SVI is too
 * stiff for a deep equity-index skew quoted with 0.2-vol-point spreads).
 *
 * Knots: `M = clamp(⌊n/4⌋, 5, correctionKnots)` equal intervals on the quoted range
 * `[k_min, k_max]`, `M + 3` basis functions; beyond the range the correction continues linearly
 * (value and slope at the end), so each wing is SVI plus a line. Penalty `λ Σ (Δ²β)²`,
 * `λ = correctionSmoothing ×` the mean diagonal of the data term, raised ×10 (at most 6 times)
 * until the corrected slice is butterfly-free, then halved in amplitude (at most 8 times), else
 * dropped. A basis function with fewer than 4 points in its support is held at 0.
 *
 * Butterfly check: both wing slopes of SVI + line in [0, 2] (Lee 2004: then
 * g → 1/4 − s²/16 ≥ 0 in the far wings) and Durrleman's g ≥ 0 (analytic derivatives) on 801
 * points of `[k_min − 2L, k_max + 2L]` and at `k_max + jL`, `k_min − jL`, j ∈ {4, 8, 16, 32, 64},
 * `L = max(k_max − k_min, 0.05)`.
 */
const D2 = [1, -2, 1]
const FAR = [4, 8, 16, 32, 64]

const splineCorrection = (
  e: SmileContext,
  p: FitPoints,
  base: {
    readonly a: number
    readonly b: number
    readonly rho: number
    readonly m: number
    readonly sigma: number
  },
  robust: Float64Array,
  omega: Float64Array,
  config: SurfaceConfig,
): SliceCorrection | undefined => {
  const T = e.T
  let n = 0
  let inside = 0
  let kLo = Infinity
  let kHi = -Infinity
  for (let i = 0; i < p.n; i++) {
    if (!((robust[i] as number) > 0)) continue
    n++
    const k = p.k[i] as number
    if (k < kLo) kLo = k
    if (k > kHi) kHi = k
    const v = Math.sqrt(Math.max(sviTotalVariance(base, k), 0) / T)
    if (v >= (p.bidVol[i] as number) && v <= (p.askVol[i] as number)) inside++
  }
  if (n < 8 || inside >= config.correctBelowShare * n || !(kHi > kLo)) return undefined
  const M = Math.min(config.correctionKnots, Math.max(5, Math.floor(n / 4)))
  const h = (kHi - kLo) / M
  // M + 3 basis functions: every data interval is covered by four of them
  const nb = M + 3
  const kMin = kLo - 3 * h
  const A = new Float64Array(nb * nb)
  const rhs = new Float64Array(nb)
  const basis = new Float64Array(nb)
  const count = new Int32Array(nb)
  const unit: SliceCorrection = {
    kind: 'cubic-bspline',
    kMin,
    spacing: h,
    coefficients: [],
    lower: kLo,
    upper: kHi,
  }
  const one = new Array<number>(nb).fill(0)
  for (let i = 0; i < p.n; i++) {
    const wi = (robust[i] as number) * (omega[i] as number)
    if (!(wi > 0)) continue
    const k = p.k[i] as number
    for (let j = 0; j < nb; j++) {
      one[j] = 1
      basis[j] = correctionValue({ ...unit, coefficients: one }, k)
      one[j] = 0
    }
    const r = (p.midVol[i] as number) ** 2 * T - sviTotalVariance(base, k)
    for (let a = 0; a < nb; a++) if ((basis[a] as number) > 0) count[a] = (count[a] as number) + 1
    for (let a = 0; a < nb; a++) {
      const ba = basis[a] as number
      if (ba === 0) continue
      rhs[a] = (rhs[a] as number) + wi * ba * r
      for (let b = 0; b < nb; b++) A[a * nb + b] = (A[a * nb + b] as number) + wi * ba * (basis[b] as number)
    }
  }
  let scale = 0
  for (let a = 0; a < nb; a++) scale += (A[a * nb + a] as number) / nb
  if (!(scale > 0)) return undefined
  const d0 = new Float64Array(3)
  const d1 = new Float64Array(3)
  const sys = new Float64Array(nb * nb)
  const b = new Float64Array(nb)
  const beta = new Float64Array(nb)
  const L = Math.max(kHi - kLo, 0.05)
  const wingSlopeLeft = base.b * (1 - base.rho)
  const wingSlopeRight = base.b * (1 + base.rho)
  const butterflyFree = (c: SliceCorrection): boolean => {
    // wings: SVI + a line must keep slopes in [0, 2] (Lee 2004), so g → 1/4 − s²/16 ≥ 0
    correctionDerivatives(c, kLo, d1)
    const sl = wingSlopeLeft - (d1[1] as number)
    correctionDerivatives(c, kHi, d1)
    const sr = wingSlopeRight + (d1[1] as number)
    if (!(sl >= 0 && sl <= 2 && sr >= 0 && sr <= 2)) return false
    for (let j = 0; j <= 800 + 2 * FAR.length; j++) {
      const k =
        j <= 800
          ? kLo - 2 * L + ((kHi - kLo + 4 * L) * j) / 800
          : j % 2 === 0
            ? kHi + (FAR[(j - 801) >> 1] as number) * L
            : kLo - (FAR[(j - 801) >> 1] as number) * L
      sviDerivatives(base, k, d0)
      correctionDerivatives(c, k, d1)
      const g = durrlemanGFromDerivatives(
        k,
        (d0[0] as number) + (d1[0] as number),
        (d0[1] as number) + (d1[1] as number),
        (d0[2] as number) + (d1[2] as number),
      )
      if (!(g >= 0)) return false
    }
    return true
  }
  // smoothing raised ×10 until the corrected slice is butterfly-free (at most 6 steps), then
  // the smoothest correction halved (at most 8 times)
  let last: SliceCorrection | undefined
  for (let step = 0; step <= 6; step++) {
    const lambda = config.correctionSmoothing * 10 ** step * scale
    sys.set(A)
    b.set(rhs)
    for (let j = 0; j + 2 < nb; j++) {
      for (let u = 0; u < 3; u++) {
        for (let v = 0; v < 3; v++) {
          const ia = j + u
          const ib = j + v
          sys[ia * nb + ib] = (sys[ia * nb + ib] as number) + lambda * (D2[u] as number) * (D2[v] as number)
        }
      }
    }
    for (let a = 0; a < nb; a++) {
      sys[a * nb + a] = (sys[a * nb + a] as number) + 1e-10 * scale
      // a basis function with fewer than 4 points in its support is held at 0 (strong ridge)
      if ((count[a] as number) < 4) sys[a * nb + a] = (sys[a * nb + a] as number) + 1e6 * scale
    }
    if (!solveLinearInPlace(sys, b, nb, beta)) return undefined
    last = { kind: 'cubic-bspline', kMin, spacing: h, coefficients: Array.from(beta), lower: kLo, upper: kHi }
    if (butterflyFree(last)) {
      e.notes.push(
        `spline correction: SVI alone priced ${inside} of ${n} fit points inside their band; ${nb} cubic B-splines on k ∈ [${fmt(kLo)}, ${fmt(kHi)}], smoothing ${fmt(lambda / scale)}`,
      )
      return last
    }
  }
  for (let halvings = 1; halvings <= 8 && last !== undefined; halvings++) {
    const f = 0.5 ** halvings
    const c: SliceCorrection = { ...last, coefficients: last.coefficients.map((x) => x * f) }
    if (butterflyFree(c)) {
      e.notes.push(
        `spline correction: SVI alone priced ${inside} of ${n} fit points inside their band; ${nb} cubic B-splines, scaled by ${f} for g ≥ 0`,
      )
      return c
    }
  }
  e.notes.push('spline correction dropped: no scaling kept g ≥ 0')
  return undefined
}

/** Exact inputs of one slice fit, as text (numbers in shortest round-trip form). */
const sliceKey = (e: Expiry, p: FitPoints, model: string): string => {
  const parts: string[] = [model, e.iso, String(e.T), String(e.forward), String(e.discount), String(p.n)]
  for (let i = 0; i < p.n; i++) {
    parts.push(
      `${p.k[i]},${p.midVol[i]},${p.bidVol[i]},${p.askVol[i]},${p.weight[i]},${p.forwards[i]},${p.instruments[i]}`,
    )
  }
  return parts.join(';')
}

interface SlicePass {
  readonly params: SliceParameters
  readonly robust: Float64Array
  readonly excluded: readonly { readonly index: number; readonly reason: string }[]
  readonly notes: readonly string[]
}

/**
 * One SVI pass. Zeliade's inner problem bounds `a ≥ 0`, which is tighter than the arbitrage
 * condition `min w = a + bσ√(1 − ρ²) ≥ 0` and binds on strongly curved crypto smiles (the SVI
 * fitter's default level bound is now the non-negative minimum, so this is a guard). Raw SVI is
 * closed under `w ↦ w + c` (only `a` moves), so when the plain fit ends at `a = 0`
 * (`|a| ≤ 1e-9 · max w`) the slice is also fitted to `w + c` with `c = max w` and shifted back
 * (`a − c`); of the candidates whose shifted-back smile keeps
 * `min w > 0` and Durrleman's `g ≥ 0` on the fit's check grid, the one with the lower weighted
 * squared vol error is kept. Deterministic: a fixed candidate list.
 */
const sviPass = (
  e: SmileContext,
  p: FitPoints,
  w: Float64Array,
  volWeight: Float64Array,
  minQuotes: number,
): SlicePass | undefined => {
  const T = e.T
  const omega = wWeights(p, T, volWeight)
  let maxW = 0
  let kMin = Infinity
  let kMax = -Infinity
  for (let i = 0; i < p.n; i++) {
    if ((w[i] as number) > maxW) maxW = w[i] as number
    if ((p.k[i] as number) < kMin) kMin = p.k[i] as number
    if ((p.k[i] as number) > kMax) kMax = p.k[i] as number
  }
  let best: SlicePass | undefined
  let bestErr = Infinity
  const shifted = new Float64Array(p.n)
  for (const c of [0, maxW]) {
    // the shifted fit only matters when the bound a ≥ 0 is active in the plain one
    if (c !== 0 && best !== undefined && best.params.model === 'svi' && Math.abs(best.params.a) > 1e-9 * maxW)
      break
    for (let i = 0; i < p.n; i++) shifted[i] = (w[i] as number) + c
    const r = fitSviSlice({
      k: p.k,
      w: shifted,
      expiry: T,
      weights: omega,
      options: { minQuotes: Math.min(minQuotes, 5) },
    })
    if (E.isLeft(r)) {
      if (c === 0) e.notes.push(`svi fit: ${r.left.message}`)
      continue
    }
    const f = r.right
    const params = {
      a: f.params.a - c,
      b: f.params.b,
      rho: f.params.rho,
      m: f.params.m,
      sigma: f.params.sigma,
    }
    if (![params.a, params.b, params.rho, params.m, params.sigma].every(Number.isFinite)) continue
    if (c !== 0) {
      if (!(params.a + params.b * params.sigma * Math.sqrt(1 - params.rho * params.rho) > 0)) continue
      if (!(sviMinDurrlemanG(params, sviButterflyGrid(params, kMin, kMax)).minG >= 0)) continue
    }
    let err = 0
    for (let i = 0; i < p.n; i++) {
      if (!((f.robustWeights[i] as number) > 0)) continue
      const v = Math.sqrt(Math.max(sviTotalVariance(params, p.k[i] as number), 0) / T)
      err += ((volWeight[i] as number) * (v - (p.midVol[i] as number))) ** 2
    }
    if (err < bestErr) {
      bestErr = err
      const notes =
        c === 0
          ? f.notes
          : [...f.notes, `fitted to w + ${fmt(c)} and shifted back (a < 0 allowed; min w > 0, g ≥ 0 checked)`]
      best = { params: { model: 'svi', ...params }, robust: f.robustWeights, excluded: f.excluded, notes }
    }
  }
  return best
}

/** One SABR pass: strikes re-expressed against the expiry forward at each point's own k. */
const sabrPass = (
  e: SmileContext,
  p: FitPoints,
  volWeight: Float64Array,
  config: SurfaceConfig,
): SlicePass | undefined => {
  const strikes = new Float64Array(p.n)
  const weights = new Float64Array(p.n)
  for (let i = 0; i < p.n; i++) {
    strikes[i] = e.forward * Math.exp(p.k[i] as number)
    weights[i] = (volWeight[i] as number) ** 2
  }
  const r = fitSabrSlice({
    forward: e.forward,
    expiry: e.T,
    strikes,
    vols: p.midVol,
    weights,
    beta: config.sabrBeta,
    label: e.iso,
  })
  if (E.isLeft(r)) {
    e.notes.push(`sabr fit: ${r.left.message}`)
    return undefined
  }
  const f = r.right
  const robust = new Float64Array(p.n).fill(1)
  const notes = f.converged
    ? []
    : [`sabr: Levenberg–Marquardt stopped at the iteration cap (${f.iterations} iterations)`]
  return {
    params: { model: 'sabr', alpha: f.alpha, beta: f.beta, rho: f.rho, nu: f.nu },
    robust,
    excluded: [],
    notes,
  }
}

/** One SSVI surface over every expiry with ≥ minQuotesSsvi points; undefined on success. */
const fitSsviSurface = (expiries: Expiry[], config: SurfaceConfig): SurfaceError | undefined => {
  const used = expiries.filter((e) => e.quotes.points.n >= config.minQuotesSsvi)
  if (used.length === 0) return undefined
  const r = fitSsvi({
    slices: used.map((e) => {
      const p = e.quotes.points
      const w = new Float64Array(p.n)
      for (let i = 0; i < p.n; i++) w[i] = (p.midVol[i] as number) ** 2 * e.T
      return { expiry: e.T, k: p.k, w, weights: wWeights(p, e.T, p.weight) }
    }),
  })
  if (E.isLeft(r)) return fitNotConverged('surface', 'ssvi', r.left.message)
  const f = r.right
  const rho = f.params.rho
  for (const s of f.slices) {
    const e = used[s.input]
    if (e === undefined || !(s.theta > 0)) continue
    const phi = ssviPhi(f.params.phi, s.theta)
    if (!Number.isFinite(phi)) continue
    e.params = { model: 'ssvi', theta: s.theta, phi, rho }
    e.fitWeight = new Float64Array(e.quotes.points.n).fill(1)
    e.notes.push(
      `ssvi: θ = ${fmt(s.theta)}, φ(θ) = ${fmt(phi)}, ρ = ${fmt(rho)} (${f.params.phi.kind} φ, surface RMSE ${fmt(100 * f.rmseVol)} vol pts)`,
    )
  }
  return undefined
}

interface SliceNumbers {
  used: number
  sumSq: number
  residualVol: number
  inside: number
  twoSided: number
  minG: number
}

/** Diagnostics of one expiry against the repaired, interpolated surface. */
const sliceDiagnostics = (
  e: Expiry,
  totalVariance: (k: number, T: number) => number,
  premium: MarketSnapshot['premium'],
  config: SurfaceConfig,
): SliceNumbers => {
  const p = e.quotes.points
  const T = e.T
  let used = 0
  let sumSq = 0
  let wSq = 0
  let wSum = 0
  let kMin = 0
  let kMax = 0
  for (let i = 0; i < p.n; i++) {
    const k = p.k[i] as number
    if (k < kMin) kMin = k
    if (k > kMax) kMax = k
    if (e.fitWeight !== undefined && !((e.fitWeight[i] as number) > 0)) continue
    const v = Math.sqrt(totalVariance(k, T) / T)
    const r = v - (p.midVol[i] as number)
    sumSq += r * r
    const o = (p.weight[i] as number) ** 2
    wSq += o * r * r
    wSum += o
    used++
  }
  let inside = 0
  let twoSided = 0
  for (const q of e.quotes.quotes) {
    if (!q.twoSided) continue
    twoSided++
    if (insideSpread(q, T, e.discount, totalVariance, premium)) inside++
  }
  // min g on the check grid: the quoted range widened by ±checkStdDevs ATM std devs
  const atm = Math.sqrt(Math.max(totalVariance(0, T), 1e-12))
  const lo = Math.min(kMin, -config.checkStdDevs * atm)
  const hi = Math.max(kMax, config.checkStdDevs * atm)
  let minG = Infinity
  const h = 1e-4
  for (let j = 0; j < config.checkPoints; j++) {
    const k = lo + ((hi - lo) * j) / Math.max(config.checkPoints - 1, 1)
    const w0 = totalVariance(k, T)
    const wp = totalVariance(k + h, T)
    const wm = totalVariance(k - h, T)
    let g = durrlemanGFromDerivatives(k, w0, (wp - wm) / (2 * h), (wp - 2 * w0 + wm) / (h * h))
    if (Number.isNaN(g)) g = -Infinity
    if (g < minG) minG = g
  }
  return { used, sumSq, residualVol: wSum > 0 ? Math.sqrt(wSq / wSum) : NaN, inside, twoSided, minG }
}

const insideSpread = (
  q: ImpliedQuote,
  T: number,
  D: number,
  totalVariance: (k: number, T: number) => number,
  premium: MarketSnapshot['premium'],
): boolean => {
  const v = Math.sqrt(totalVariance(q.k, T) / T)
  const usdPrice = black76PriceUnsafe(q.kind === 'call' ? 1 : -1, q.forward, q.strike, T, v, D)
  const bid = q.bid as number
  const ask = q.ask as number
  // compare in the premium convention's own units; relative slack for the coin→USD product
  const slack = 1e-12 * Math.max(ask, 1) * (premium === 'coin' ? 1 : 1)
  return usdPrice >= bid - slack && usdPrice <= ask + slack
}

/**
 * Says where the running-maximum calendar repair lifted a slice above its own fit: on 201 points
 * of the slice's quoted k-range widened by 0.5, the range where `W_i > w_i` and the largest lift in
 * vol points at the slice's expiry, inside and beyond the quoted range. The slice's parameters are its own fit; the surface evaluates
 * the repaired `W_i`.
 */
const repairNotes = (
  fitted: readonly Expiry[],
  raw: readonly TotalVarianceNode[],
  repaired: readonly TotalVarianceNode[],
): void => {
  for (let i = 1; i < fitted.length; i++) {
    const e = fitted[i] as Expiry
    const own = raw[i] as TotalVarianceNode
    const rep = repaired[i] as TotalVarianceNode
    const p = e.quotes.points
    let kLo = Infinity
    let kHi = -Infinity
    for (let j = 0; j < p.n; j++) {
      kLo = Math.min(kLo, p.k[j] as number)
      kHi = Math.max(kHi, p.k[j] as number)
    }
    if (!(kHi >= kLo)) continue
    const lo = kLo - 0.5
    const hi = kHi + 0.5
    let from = NaN
    let to = NaN
    let liftIn = 0
    let liftOut = 0
    for (let j = 0; j <= 200; j++) {
      const k = lo + ((hi - lo) * j) / 200
      const a = own.w(k)
      const b = rep.w(k)
      if (b > a) {
        if (Number.isNaN(from)) from = k
        to = k
        const d = Math.sqrt(Math.max(b, 0) / e.T) - Math.sqrt(Math.max(a, 0) / e.T)
        if (k >= kLo && k <= kHi) liftIn = Math.max(liftIn, d)
        else liftOut = Math.max(liftOut, d)
      }
    }
    if (!Number.isNaN(from)) {
      e.notes.push(
        `calendar repair: total variance raised to the earlier expiry's on k ∈ [${fmt(from)}, ${fmt(to)}]; largest lift ${fmt(100 * liftIn)} vol pts inside the quoted range, ${fmt(100 * liftOut)} beyond it; parameters are the slice's own fit`,
      )
    }
  }
}

/** W non-decreasing in T at every k of a grid over the quoted range, T over nodes, midpoints, 2·T_n. */
const calendarCheck = (nodes: readonly TotalVarianceNode[], expiries: readonly Expiry[]): boolean => {
  if (nodes.length === 0) return true
  let kMin = -0.5
  let kMax = 0.5
  for (const e of expiries) {
    const p = e.quotes.points
    for (let i = 0; i < p.n; i++) {
      const k = p.k[i] as number
      if (k < kMin) kMin = k
      if (k > kMax) kMax = k
    }
  }
  const times: number[] = []
  const first = (nodes[0] as TotalVarianceNode).expiry
  times.push(0.5 * first)
  for (let i = 0; i < nodes.length; i++) {
    const t = (nodes[i] as TotalVarianceNode).expiry
    times.push(t)
    const next = nodes[i + 1]
    if (next !== undefined) times.push(0.5 * (t + next.expiry))
  }
  times.push(2 * (nodes[nodes.length - 1] as TotalVarianceNode).expiry)
  for (let j = 0; j <= 100; j++) {
    const k = kMin + ((kMax - kMin) * j) / 100
    let prev = -Infinity
    for (const t of times) {
      const w = interpolateTotalVariance(nodes, k, t)
      if (!(w >= prev - 1e-14 * Math.abs(prev))) return false
      prev = w
    }
  }
  return true
}
