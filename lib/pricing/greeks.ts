/**
 * Analytic Black-76 Greeks, linear (quote currency) and inverse (coin, Deribit), written in the
 * forms that stay accurate in relative terms in the wings: the Gaussian factor comes from
 * Jäckel's normalised vega (F·φ(d₁) = K·φ(d₂) = √(FK)·∂b/∂s, no φ(d₁) from a rounded d₁) and
 * the coin delta uses K·Φ(q d₂), which has no cancellation.
 *
 * Symbols: F forward, K strike, T expiry in years, σ vol, D discount factor, q = ±1,
 * x = ln(F/K), s = σ√T, d₁,₂ = x/s ± s/2, r = −ln(D)/T the continuously compounded rate implied
 * by D, φ and Φ the standard normal density and CDF, V the Black-76 value.
 *
 * @module
 * @since 0.1.0
 */
import { normCdf } from '../core/normal.js'
import {
  black76PriceUnsafe,
  logMoneyness,
  sqrtProduct,
  type Black76Columns,
  type Black76Params,
} from './black76.js'
import { normalisedVega } from './normalisedBlack.js'
import type * as E from 'fp-ts/lib/Either.js'
import { map } from 'fp-ts/lib/Either.js'
import type { InvalidInput } from '../domain/errors.js'
import { decodeBlack76Input } from '../domain/pricingInputs.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Black-76 value and its partial derivatives (linear convention: values in the quote currency).
 * Every derivative holds the other inputs of {@link Black76Params} fixed, except where stated.
 *
 * @category model
 * @since 0.1.0
 */
export interface Black76Greeks {
  /** V, quote currency. */
  readonly price: number
  /** ∂V/∂F = q·D·Φ(q d₁), quote currency per unit of F (dimensionless). */
  readonly delta: number
  /** ∂²V/∂F² = D·φ(d₁)/(F s), per unit of F. */
  readonly gamma: number
  /** ∂V/∂σ = D·F·φ(d₁)·√T, quote currency per 1.00 of vol (divide by 100 for "per vol point"). */
  readonly vega: number
  /**
   * ∂V/∂t per year of calendar time = −∂V/∂T at fixed F, σ and r = −ln(D)/T (so D = e^{−rT}
   * moves with T): −D·F·φ(d₁)·σ/(2√T) + r·V. Divide by 365 for "per day".
   */
  readonly theta: number
  /** ∂V/∂r at fixed F with D = e^{−rT}: −T·V, quote currency per 1.00 of rate. */
  readonly rho: number
  /** ∂²V/∂F∂σ = −D·φ(d₁)·d₂/σ, per unit of F per 1.00 of vol. */
  readonly vanna: number
  /** ∂²V/∂σ² = vega·d₁·d₂/σ, quote currency per (1.00 of vol)². */
  readonly volga: number
}

/**
 * Inverse (coin-margined) premium P = V/F and its partial derivatives, units in coin.
 *
 * @category model
 * @since 0.1.0
 */
export interface Black76InverseGreeks {
  /** P = V/F, coin per option on one coin. */
  readonly price: number
  /**
   * ∂P/∂F = q·D·K·Φ(q d₂)/F², coin per unit of F (e.g. BTC per USD). This is *not* the delta
   * Deribit displays, which is the linear Black delta ∂V/∂F (`black76Greeks(...).delta`).
   */
  readonly delta: number
  /**
   * F·∂P/∂F = ∂V/∂F − P, coin: the premium-adjusted delta. This is what Deribit adds to an
   * account's `DeltaTotal` for an option ("a call with delta 0.50 bought for 0.10 BTC raises
   * DeltaTotal by 0.40", Deribit FAQ), while its option tables show the Black delta ∂V/∂F.
   */
  readonly premiumAdjustedDelta: number
  /** ∂²P/∂F² = D·(F φ(d₁)/s − 2q K Φ(q d₂))/F³, coin per unit of F². */
  readonly gamma: number
  /** ∂P/∂σ = vega/F, coin per 1.00 of vol. */
  readonly vega: number
  /** −∂P/∂T at fixed F, σ, r = theta/F, coin per year. */
  readonly theta: number
  /** ∂P/∂r at fixed F = −T·P, coin per 1.00 of rate. */
  readonly rho: number
  /** ∂²P/∂F∂σ = −(vega/F)·d₁/(F s), coin per unit of F per 1.00 of vol. */
  readonly vanna: number
  /** ∂²P/∂σ² = volga/F, coin per (1.00 of vol)². */
  readonly volga: number
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327 // 1/√(2π)

const inDomain = (F: number, K: number, T: number, v: number, D: number): boolean =>
  F > 0 &&
  F < Infinity &&
  K > 0 &&
  K < Infinity &&
  T >= 0 &&
  T < Infinity &&
  v >= 0 &&
  v < Infinity &&
  D > 0 &&
  D < Infinity

// Slots of the 8-value Greeks record written by greeksInto.
const PRICE = 0
const DELTA = 1
const GAMMA = 2
const VEGA = 3
const THETA = 4
const RHO = 5
const VANNA = 6
const VOLGA = 7
const scratch = new Float64Array(8)

/**
 * Writes [price, delta, gamma, vega, theta, rho, vanna, volga] into out[o..o+7]: the single
 * implementation behind black76GreeksUnsafe and black76GreeksBatch (no allocation).
 */
const greeksInto = (
  q: 1 | -1,
  F: number,
  K: number,
  T: number,
  vol: number,
  D: number,
  out: Float64Array,
  o: number,
): void => {
  if (!inDomain(F, K, T, vol, D)) {
    out.fill(NaN, o, o + 8)
    return
  }
  const price = black76PriceUnsafe(q, F, K, T, vol, D)
  const r = T > 0 ? -Math.log(D) / T : 0
  const sqrtT = Math.sqrt(T)
  const s = vol * sqrtT
  const x = logMoneyness(F, K)
  out[o + PRICE] = price
  out[o + RHO] = -T * price
  if (s === 0 || !Number.isFinite(x)) {
    // limits σ√T → 0 (T = 0 or σ = 0), see black76GreeksUnsafe
    const atm = F === K
    out[o + DELTA] = D * q * (q * (F - K) > 0 ? 1 : atm ? 0.5 : 0)
    out[o + GAMMA] = atm ? Infinity : 0
    out[o + VEGA] = atm ? D * F * ONE_OVER_SQRT_TWO_PI * sqrtT : 0
    out[o + THETA] = atm && T === 0 && vol > 0 ? -Infinity : r * price
    out[o + VANNA] = atm ? 0.5 * D * ONE_OVER_SQRT_TWO_PI * sqrtT : 0
    out[o + VOLGA] = 0
    return
  }
  const h = x / s
  const d1 = h + 0.5 * s
  const d2 = h - 0.5 * s
  const A = sqrtProduct(F, K) * normalisedVega(x, s) // F·φ(d₁) = K·φ(d₂)
  const vega = D * A * sqrtT
  out[o + DELTA] = q * D * normCdf(q * d1)
  out[o + GAMMA] = (D * A) / F / (F * s) // divisions in turn: F² may overflow
  out[o + VEGA] = vega
  out[o + THETA] = (-D * A * s) / (2 * T) + r * price
  out[o + VANNA] = (-vega * d2) / (F * s)
  out[o + VOLGA] = (vega * d1 * d2) / vol
}

// -------------------------------------------------------------------------------------
// Greeks
// -------------------------------------------------------------------------------------

/**
 * Black-76 value and Greeks, positional kernel (one object allocated for the result).
 *
 * With A = F·φ(d₁) = √(FK)·∂b/∂s (Jäckel's normalised vega, no cancellation):
 *
 * $$\Delta = qD\Phi(qd_1),\ \Gamma = \frac{DA}{F^2 s},\ \mathcal V = DA\sqrt T,\
 * \Theta = -\frac{DAs}{2T} + rV,\ \rho = -TV,\ \text{vanna} = -\frac{\mathcal V d_2}{F s},\
 * \text{volga} = \frac{\mathcal V d_1 d_2}{\sigma}$$
 *
 * Units and definitions: see {@link Black76Greeks} (vega per 1.00 of vol, theta per year of
 * calendar time with the rate term r = −ln(D)/T, rho with respect to that rate at fixed F).
 *
 * Domain: as {@link black76PriceUnsafe}; all fields NaN outside. Edges at σ√T = 0 (the limits
 * σ → 0): away from the money gamma = vega = vanna = volga = 0, delta = qD·1{q(F−K) > 0},
 * theta = r·V, rho = −T·V; at F = K delta = qD/2, gamma = +∞, vega = D·F·√T/√(2π),
 * vanna = D·√T/(2√(2π)), volga = 0, theta = −∞ if T = 0 < σ. At T = 0 the rate is undefined
 * and taken as 0 (theta has no rate term, rho = 0).
 *
 * Accuracy: measured against numerical derivatives (mpmath.diff, 100 digits) of the 50-digit
 * value in spec/pricing/greeks.spec.ts; figures in docs/methodology/pricing.md.
 *
 * References: F. Black (1976), doi:10.1016/0304-405X(76)90024-6; E. G. Haug (2007), The
 * Complete Guide to Option Pricing Formulas, 2nd ed., §1.1.4 and §2.2 (Black-76 Greeks);
 * P. Jäckel (2015), doi:10.1002/wilm.10395, eq. (2.5) (normalised vega).
 *
 * Verified by spec/pricing/greeks.spec.ts.
 *
 * @example
 * black76GreeksUnsafe(1, 49, 50, 0.3846, 0.2, Math.exp(-0.05 * 0.3846)).gamma // 0.06406467058824912 (py_vollib: 0.0640646705882)
 *
 * @category Greeks
 * @since 0.1.0
 */
export const black76GreeksUnsafe = (
  q: 1 | -1,
  F: number,
  K: number,
  T: number,
  vol: number,
  D: number,
): Black76Greeks => {
  greeksInto(q, F, K, T, vol, D, scratch, 0)
  return {
    price: scratch[PRICE] as number,
    delta: scratch[DELTA] as number,
    gamma: scratch[GAMMA] as number,
    vega: scratch[VEGA] as number,
    theta: scratch[THETA] as number,
    rho: scratch[RHO] as number,
    vanna: scratch[VANNA] as number,
    volga: scratch[VOLGA] as number,
  }
}

/**
 * Black-76 value and Greeks, named fields: {@link black76GreeksUnsafe} with `kind` mapped to
 * q = ±1 and `discount` defaulting to 1. Definitions and units in {@link Black76Greeks}.
 *
 * Verified by spec/pricing/greeks.spec.ts.
 *
 * @example
 * black76Greeks({ kind: 'call', forward: 100, strike: 100, expiry: 1, vol: 0.2 }).delta // 0.539827837277029
 *
 * @category Greeks
 * @since 0.1.0
 */
export const black76Greeks = (params: Black76Params): Black76Greeks =>
  black76GreeksUnsafe(
    params.kind === 'call' ? 1 : -1,
    params.forward,
    params.strike,
    params.expiry,
    params.vol,
    params.discount ?? 1,
  )

/**
 * Inverse (coin) premium P = V/F and its Greeks; definitions and units in
 * {@link Black76InverseGreeks}.
 *
 * $$\frac{\partial P}{\partial F} = \frac{qDK\,\Phi(qd_2)}{F^2},\quad
 * \frac{\partial^2 P}{\partial F^2} = \frac{D\,(A/s - 2qK\Phi(qd_2))}{F^3},\quad
 * \frac{\partial^2 P}{\partial F\partial\sigma} = -\frac{\mathcal V}{F}\,\frac{d_1}{F s}$$
 *
 * with A = F φ(d₁). The first needs no subtraction (the φ terms of ∂(V/F)/∂F cancel
 * analytically); the second is a difference of two positive terms for calls (a genuine zero
 * crossing), a sum for puts. Vega, theta, rho and volga are the linear ones divided by F.
 * Edges at σ√T = 0: limits as in {@link black76GreeksUnsafe} (gamma +∞ at F = K). NaN outside
 * the domain.
 *
 * Deribit convention: the option delta Deribit shows per option is the linear Black-76 ∂V/∂F
 * (`black76Greeks(...).delta`, coin per coin of underlying); its account `DeltaTotal` counts an
 * option at ∂V/∂F − P, which is `premiumAdjustedDelta` = F·∂P/∂F here; `delta` here is ∂P/∂F
 * itself (coin per unit of quote currency).
 *
 * Verified by spec/pricing/greeks.spec.ts.
 *
 * @example
 * black76InverseGreeks({ kind: 'call', forward: 100, strike: 100, expiry: 1, vol: 0.2 }).premiumAdjustedDelta
 * // 0.46017216272297096 (= 0.539827837277029 − 0.07965567455405796)
 *
 * @category Greeks
 * @since 0.1.0
 */
export const black76InverseGreeks = (params: Black76Params): Black76InverseGreeks => {
  const q = params.kind === 'call' ? 1 : -1
  const F = params.forward
  const K = params.strike
  const T = params.expiry
  const vol = params.vol
  const D = params.discount ?? 1
  const g = black76GreeksUnsafe(q, F, K, T, vol, D)
  const price = g.price / F
  const s = vol * Math.sqrt(T)
  const x = logMoneyness(F, K)
  let delta: number
  let gamma: number
  let vanna: number
  if (!inDomain(F, K, T, vol, D)) {
    delta = gamma = vanna = NaN
  } else if (s === 0 || !Number.isFinite(x)) {
    // limits σ√T → 0: P = D·max(q(1 − K/F), 0)
    const itm = q * (F - K) > 0
    delta = itm ? (q * D * K) / F / F : F === K ? (q * D * K) / F / (2 * F) : 0
    gamma = F === K ? Infinity : itm ? (-2 * q * D * K) / F / F / F : 0
    vanna = F === K ? -g.vanna / F : 0
  } else {
    const h = x / s
    const d1 = h + 0.5 * s
    const d2 = h - 0.5 * s
    const KPhi = K * normCdf(q * d2)
    const A = sqrtProduct(F, K) * normalisedVega(x, s)
    delta = (q * D * KPhi) / F / F // divisions in turn: F², F³ may overflow
    gamma = (D * (A / s - 2 * q * KPhi)) / F / F / F
    vanna = (-(g.vega / F) * d1) / (F * s)
  }
  return {
    price,
    delta,
    premiumAdjustedDelta: F * delta,
    gamma,
    vega: g.vega / F,
    theta: g.theta / F,
    rho: g.rho / F,
    vanna,
    volga: g.volga / F,
  }
}

/**
 * Output columns of {@link black76GreeksBatch}: any subset; only the columns present are written.
 *
 * @category model
 * @since 0.1.0
 */
export type Black76GreeksColumns = { readonly [K in keyof Black76Greeks]?: Float64Array }

/**
 * Black-76 value and Greeks for a column batch, written into the caller's `out` columns (any
 * subset of price, delta, gamma, vega, theta, rho, vanna, volga); returns `out`.
 *
 * For each i < n, with n the length of the first output column: the same numbers as
 * {@link black76GreeksUnsafe}(q[i], F[i], K[i], T[i], σ[i], D[i]) (D = 1 when `discount` is
 * absent), NaN for a row outside the domain or with q ∉ {+1, −1}. No allocation. Throws a
 * RangeError if an input column or another output column is shorter than n.
 *
 * Verified by spec/pricing/greeks.spec.ts.
 *
 * @example
 * const delta = new Float64Array(1)
 * black76GreeksBatch({ q: [1], forward: Float64Array.of(100), strike: Float64Array.of(100),
 *   expiry: Float64Array.of(1), vol: Float64Array.of(0.2) }, { delta }) // delta[0] = 0.539827837277029
 *
 * @category Greeks
 * @since 0.1.0
 */
export const black76GreeksBatch = (
  columns: Black76Columns,
  out: Black76GreeksColumns,
): Black76GreeksColumns => {
  const cols = [out.price, out.delta, out.gamma, out.vega, out.theta, out.rho, out.vanna, out.volga]
  const n = cols.find((c) => c !== undefined)?.length ?? 0
  const { q, forward, strike, expiry, vol, discount } = columns
  if (
    cols.some((c) => c !== undefined && c.length < n) ||
    q.length < n ||
    forward.length < n ||
    strike.length < n ||
    expiry.length < n ||
    vol.length < n ||
    (discount !== undefined && discount.length < n)
  )
    throw new RangeError(`black76GreeksBatch: every column needs at least ${n} entries`)
  for (let i = 0; i < n; i++) {
    const qi = q[i]
    if (qi === 1 || qi === -1)
      greeksInto(
        qi,
        forward[i] as number,
        strike[i] as number,
        expiry[i] as number,
        vol[i] as number,
        discount === undefined ? 1 : (discount[i] as number),
        scratch,
        0,
      )
    else scratch.fill(NaN)
    for (let k = 0; k < 8; k++) {
      const c = cols[k]
      if (c !== undefined) c[i] = scratch[k] as number
    }
  }
  return out
}

// -------------------------------------------------------------------------------------
// checked
// -------------------------------------------------------------------------------------

/**
 * Black-76 Greeks of an unknown input, decoded at the boundary with the same codec and error
 * messages as `black76PriceChecked` (one `InvalidInput` per offending field naming the field
 * and the bound).
 *
 * Verified by spec/pricing/black76Checked.spec.ts.
 *
 * @example
 * black76GreeksChecked({ kind: 'put', forward: 100, strike: 90, expiry: 0.5, vol: 0.3 }) // right({ price: 3.9898332972120496, delta: -0.27334075004235975, ... })
 *
 * @category checked
 * @since 0.1.0
 */
export const black76GreeksChecked = (input: unknown): E.Either<readonly InvalidInput[], Black76Greeks> =>
  map(black76Greeks)(decodeBlack76Input(input))
