/**
 * Forwards and discount factors per expiry: taken from the snapshot when it gives them (Deribit:
 * a listed future or a synthetic forward per expiry), otherwise implied from put-call parity by
 * a robust regression that yields both the forward and the discount factor (SPX); and the
 * curve that interpolates both between expiries.
 *
 * Conventions: forwards in the quote currency (USD), times in ACT/365 years, prices in USD.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Result of a put-call-parity regression on one expiry.
 *
 * @category model
 * @since 0.1.0
 */
export interface ParityFit {
  /** Forward F (USD). */
  readonly forward: number
  /** Discount factor D = P(0, T). */
  readonly discount: number
  /** Strikes used, ascending. */
  readonly strikes: readonly number[]
  /** Residuals (C − P) − D(F − K) at those strikes, USD. */
  readonly residuals: readonly number[]
  /** Final Huber weights in [0, 1] at those strikes (1 = inlier). */
  readonly robustWeights: readonly number[]
  /** Root-mean-square residual, USD. */
  readonly rmse: number
  /** How the result was obtained. */
  readonly method: 'huber-regression' | 'single-strike'
}

/**
 * Mid quotes at one strike where both the call and the put are two-sided, USD.
 *
 * @category model
 * @since 0.1.0
 */
export interface ParityPoint {
  /** Strike (USD). */
  readonly strike: number
  /** Call mid (USD). */
  readonly callMid: number
  /** Put mid (USD). */
  readonly putMid: number
  /** Call spread + put spread (USD), > 0. */
  readonly spread: number
}

/**
 * Forward and discount nodes per expiry, with the spot as the T = 0 anchor of the forward.
 *
 * @category model
 * @since 0.1.0
 */
export interface ForwardCurve {
  /** Spot / index (USD): F(0). */
  readonly spot: number
  /** Node times, strictly increasing, years. */
  readonly times: readonly number[]
  /** Forwards at the nodes (USD). */
  readonly forwards: readonly number[]
  /** Discount factors at the nodes. */
  readonly discounts: readonly number[]
}

// -------------------------------------------------------------------------------------
// parity
// -------------------------------------------------------------------------------------

const MAX_IRLS = 50

/**
 * Forward and discount factor of one expiry from put-call parity, `C − P = D (F − K)`, by a
 * Huber-weighted linear regression of `y = C − P` on `K`: `y = α + β K`, `D = −β`, `F = α / D`.
 *
 * Selection: the `strikes` points nearest the crossing `C = P` in |ln K| (all points when
 * `strikes ≤ 0`, the default: the slope D is pinned by the widest strike range, and the deep
 * in-the-money quotes must be consistent with it). Prior weights 1/spread² (spread = call + put
 * spread), so the tightest, most liquid strikes dominate.
 * Method: iteratively reweighted least squares with Huber weights `min(1, c / |r/s|)`, the scale
 * `s` being 1.4826 × the median absolute standardised residual (Huber 1964; Holland & Welsch
 * 1977), at most 50 iterations, stopping when the parameters change by < 1e-13 relatively.
 * Deterministic: fixed ordering, no randomness.
 *
 * Edges: with one usable strike, `D` is `fallbackDiscount` and `F = K + (C − P)/D`
 * (`method: 'single-strike'`); with none, or a regression giving `D ∉ (0.5, 1.5)` or `F ≤ 0`,
 * the regression result is replaced by the weighted median of `K + (C − P)/D₀` with
 * `D₀ = fallbackDiscount`. Returns `undefined` only when `points` is empty.
 *
 * Reference: Huber, P. J. (1964), Robust estimation of a location parameter, Ann. Math. Stat.
 * 35(1). Verified by spec/surface/forwards.spec.ts.
 *
 * @example
 * ```ts
 * // spec/surface/forwards.spec.ts
 * parityForward([{ strike: 100, callMid: 7, putMid: 2, spread: 0.2 }], 12, 1.345, 0.99)
 * // { forward: 100 + 5 / 0.99, discount: 0.99, method: 'single-strike', … }
 * ```
 *
 * @category parity
 * @since 0.1.0
 */
export const parityForward = (
  points: readonly ParityPoint[],
  strikes = 0,
  huber = 1.345,
  fallbackDiscount = 1,
): ParityFit | undefined => {
  if (points.length === 0) return undefined
  // crossing: the strike with the smallest |C − P| relative to the strike
  let best = 0
  for (let i = 1; i < points.length; i++) {
    const p = points[i] as ParityPoint
    const b = points[best] as ParityPoint
    if (Math.abs(p.callMid - p.putMid) < Math.abs(b.callMid - b.putMid)) best = i
  }
  const pb = points[best] as ParityPoint
  const f0 = pb.strike + (pb.callMid - pb.putMid) / fallbackDiscount
  const anchor = f0 > 0 ? f0 : pb.strike
  const order = points
    .map((p, i) => ({ i, d: Math.abs(Math.log(p.strike / anchor)) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, strikes > 0 ? strikes : points.length)
    .map((o) => points[o.i] as ParityPoint)
    .sort((a, b) => a.strike - b.strike)
  const n = order.length
  const K = new Float64Array(n)
  const y = new Float64Array(n)
  const prior = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = order[i] as ParityPoint
    K[i] = p.strike
    y[i] = p.callMid - p.putMid
    const s = p.spread > 0 ? p.spread : 1e-12
    prior[i] = 1 / (s * s)
  }
  const robust = new Float64Array(n).fill(1)
  const residuals = new Float64Array(n)
  let alpha = NaN
  let beta = NaN
  let method: ParityFit['method'] = 'huber-regression'
  if (n >= 2 && K[0] !== K[n - 1]) {
    const w = new Float64Array(n)
    const absStd = new Float64Array(n)
    for (let it = 0; it < MAX_IRLS; it++) {
      for (let i = 0; i < n; i++) w[i] = (prior[i] as number) * (robust[i] as number)
      const [a1, b1] = weightedLine(K, y, w)
      const converged =
        it > 0 && Math.abs(a1 - alpha) <= 1e-13 * Math.abs(a1) && Math.abs(b1 - beta) <= 1e-13 * Math.abs(b1)
      alpha = a1
      beta = b1
      if (converged) break
      for (let i = 0; i < n; i++) {
        residuals[i] = (y[i] as number) - alpha - beta * (K[i] as number)
        absStd[i] = Math.abs(residuals[i] as number) * Math.sqrt(prior[i] as number)
      }
      const scale = 1.4826 * median(absStd)
      if (!(scale > 0)) break
      for (let i = 0; i < n; i++) {
        const u = (absStd[i] as number) / scale
        robust[i] = u <= huber ? 1 : huber / u
      }
    }
  }
  let D = -beta
  let F = alpha / D
  if (!(D > 0.5 && D < 1.5 && F > 0 && Number.isFinite(F))) {
    D = fallbackDiscount
    method = n === 1 ? 'single-strike' : 'huber-regression'
    const est = new Float64Array(n)
    for (let i = 0; i < n; i++) est[i] = (K[i] as number) + (y[i] as number) / D
    F = weightedMedian(est, prior)
    robust.fill(1)
  }
  let ss = 0
  for (let i = 0; i < n; i++) {
    residuals[i] = (y[i] as number) - D * (F - (K[i] as number))
    ss += (residuals[i] as number) ** 2
  }
  return {
    forward: F,
    discount: D,
    strikes: Array.from(K),
    residuals: Array.from(residuals),
    robustWeights: Array.from(robust),
    rmse: Math.sqrt(ss / n),
    method,
  }
}

/** Weighted least-squares line y = a + b x, centred for conditioning. */
const weightedLine = (x: Float64Array, y: Float64Array, w: Float64Array): [number, number] => {
  let sw = 0
  let sx = 0
  let sy = 0
  for (let i = 0; i < x.length; i++) {
    const wi = w[i] as number
    sw += wi
    sx += wi * (x[i] as number)
    sy += wi * (y[i] as number)
  }
  const mx = sx / sw
  const my = sy / sw
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < x.length; i++) {
    const wi = w[i] as number
    const dx = (x[i] as number) - mx
    sxx += wi * dx * dx
    sxy += wi * dx * ((y[i] as number) - my)
  }
  const b = sxy / sxx
  return [my - b * mx, b]
}

const median = (v: Float64Array): number => {
  const s = Float64Array.from(v).sort()
  const n = s.length
  return n % 2 === 1 ? (s[(n - 1) / 2] as number) : 0.5 * ((s[n / 2 - 1] as number) + (s[n / 2] as number))
}

const weightedMedian = (v: Float64Array, w: Float64Array): number => {
  const idx = Array.from(v.keys()).sort((a, b) => (v[a] as number) - (v[b] as number) || a - b)
  let total = 0
  for (let i = 0; i < w.length; i++) total += w[i] as number
  let acc = 0
  for (const i of idx) {
    acc += w[i] as number
    if (acc >= total / 2) return v[i] as number
  }
  return v[idx[idx.length - 1] as number] as number
}

// -------------------------------------------------------------------------------------
// curve
// -------------------------------------------------------------------------------------

/**
 * Forward F(T) from a {@link ForwardCurve}: log-linear in T between nodes, through
 * `(0, ln spot)` before the first node, and at the constant average carry of the last node
 * beyond it, `ln F(T) = ln S + ln(F_n / S) · T / T_n`. At a node it returns the node's forward
 * exactly. Domain: T ≥ 0 (T ≤ 0 returns the spot); NaN for a non-finite T.
 *
 * Verified by spec/surface/forwards.spec.ts.
 *
 * @category curve
 * @since 0.1.0
 */
export const forwardAt = (curve: ForwardCurve, expiry: number): number =>
  logLinear(curve.times, curve.forwards, curve.spot, expiry)

/**
 * Discount factor P(0, T) from a {@link ForwardCurve}: log-linear in T between nodes, through
 * `(0, 0)` (P(0,0) = 1) before the first node, constant average rate of the last node beyond
 * it, `ln P(T) = ln P_n · T / T_n`. T ≤ 0 returns 1; NaN for a non-finite T.
 *
 * Verified by spec/surface/forwards.spec.ts.
 *
 * @category curve
 * @since 0.1.0
 */
export const discountAt = (curve: ForwardCurve, expiry: number): number =>
  logLinear(curve.times, curve.discounts, 1, expiry)

const logLinear = (
  times: readonly number[],
  values: readonly number[],
  value0: number,
  T: number,
): number => {
  if (!Number.isFinite(T)) return NaN
  const n = times.length
  if (n === 0 || T <= 0) return value0
  const log0 = Math.log(value0)
  const tn = times[n - 1] as number
  if (T === tn) return values[n - 1] as number
  if (T > tn) return Math.exp(log0 + (Math.log(values[n - 1] as number) - log0) * (T / tn))
  let t0 = 0
  let l0 = log0
  for (let i = 0; i < n; i++) {
    const t1 = times[i] as number
    if (T === t1) return values[i] as number
    const l1 = Math.log(values[i] as number)
    if (T < t1) return Math.exp(l0 + ((l1 - l0) * (T - t0)) / (t1 - t0))
    t0 = t1
    l0 = l1
  }
  return Math.exp(l0)
}
