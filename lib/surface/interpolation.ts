/**
 * Interpolation of a volatility surface between and beyond its fitted expiries, in total
 * implied variance `w(k, T) = σ²T` at constant log-moneyness `k = ln(K/F(T))`, and the
 * evaluation of one slice's parameters.
 *
 * Rules (docs/methodology/surface.md, "Interpolation and extrapolation in expiry"):
 * - between fitted expiries `T_i < T < T_{i+1}`: linear in T at fixed k,
 *   `w = w_i(k) + (T − T_i)/(T_{i+1} − T_i) · (w_{i+1}(k) − w_i(k))`;
 * - before the first: `w(k, T) = w_1(k) · T / T_1` (constant implied vol per k);
 * - beyond the last: `w(k, T) = w_n(k) + v · (T − T_n)` with `v` the ATM forward variance of the
 *   last interval, `(w_n(0) − w_{n−1}(0)) / (T_n − T_{n−1})`, or the ATM average variance
 *   `w_n(0)/T_n` when there is one node or that difference is ≤ 0 (flat forward variance).
 *
 * Every rule is non-decreasing in T at fixed k once the nodes are (see {@link calendarRepair}),
 * so the surface is calendar-arbitrage free by construction.
 *
 * @module
 * @since 0.1.0
 */
import type { SliceCorrection, SliceParameters } from '../domain/surface.js'
import { sabrVolUnsafe } from '../pricing/sabr.js'
import { sviTotalVarianceUnsafe } from './svi.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One interpolation node: an expiry (years, > 0) and its total-variance smile `w(k)`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TotalVarianceNode {
  /** Expiry, ACT/365 years, > 0. */
  readonly expiry: number
  /** Total variance at log-moneyness k. */
  readonly w: (k: number) => number
}

// -------------------------------------------------------------------------------------
// slices
// -------------------------------------------------------------------------------------

/**
 * Total implied variance of one slice at log-moneyness k.
 *
 * - `svi`: `a + b(ρ(k − m) + √((k − m)² + σ²))` (Gatheral 2004);
 * - `ssvi`: `θ/2 (1 + ρφk + √((φk + ρ)² + 1 − ρ²))` (Gatheral & Jacquier 2014, eq. 4.1);
 * - `sabr`: `σ_B(F, F·e^k)² · T` with Hagan et al. (2002) lognormal `σ_B` and the slice's beta;
 * - `flat`: `vol² · T`.
 *
 * Units: `expiry` in years, `forward` in USD (used by SABR only). NaN when the parameters give
 * none (e.g. SABR outside its domain).
 *
 * Verified by spec/surface/interpolation.spec.ts.
 *
 * @category slices
 * @since 0.1.0
 */
export const sliceTotalVariance = (
  p: SliceParameters,
  k: number,
  expiry: number,
  forward: number,
): number => {
  switch (p.model) {
    case 'svi':
      return sviTotalVarianceUnsafe(p.a, p.b, p.rho, p.m, p.sigma, k)
    case 'ssvi': {
      const pk = p.phi * k
      return 0.5 * p.theta * (1 + p.rho * pk + Math.sqrt((pk + p.rho) * (pk + p.rho) + 1 - p.rho * p.rho))
    }
    case 'sabr': {
      const v = sabrVolUnsafe(forward, forward * Math.exp(k), expiry, p.alpha, p.beta, p.rho, p.nu, 0)
      return v * v * expiry
    }
    case 'flat':
      return p.vol * p.vol * expiry
  }
}

/**
 * A {@link SliceCorrection} and its first two k-derivatives at k, written into `out[0..2]`
 * (`[c, c', c'']`). Centred cubic B-spline `B(u) = (4 − 6u² + 3|u|³)/6` for |u| < 1,
 * `(2 − |u|)³/6` for 1 ≤ |u| < 2 (de Boor 1978) on `[lower, upper]`; outside, the value and
 * slope at the nearer end continued linearly (`c'' = 0`).
 *
 * Verified by spec/surface/interpolation.spec.ts (against finite differences).
 *
 * @category slices
 * @since 0.1.0
 */
export const correctionDerivatives = (c: SliceCorrection, k: number, out: Float64Array): Float64Array => {
  if (k < c.lower || k > c.upper) {
    const end = k < c.lower ? c.lower : c.upper
    splineAt(c, end, out)
    out[0] = (out[0] as number) + (out[1] as number) * (k - end)
    out[2] = 0
    return out
  }
  return splineAt(c, k, out)
}

const splineAt = (c: SliceCorrection, k: number, out: Float64Array): Float64Array => {
  out[0] = 0
  out[1] = 0
  out[2] = 0
  const h = c.spacing
  const t = (k - c.kMin) / h
  const n = c.coefficients.length
  if (!(t > 0 && t < n + 3)) return out
  const j0 = Math.max(0, Math.floor(t) - 3)
  const j1 = Math.min(n - 1, Math.floor(t))
  for (let j = j0; j <= j1; j++) {
    const u = t - j - 2
    const a = Math.abs(u)
    if (a >= 2) continue
    const beta = c.coefficients[j] as number
    if (a < 1) {
      out[0] += (beta * (4 - 6 * u * u + 3 * a * a * a)) / 6
      out[1] += beta * (-2 * u + 1.5 * u * a)
      out[2] += beta * (-2 + 3 * a)
    } else {
      const r = 2 - a
      out[0] += (beta * r * r * r) / 6
      out[1] -= (beta * Math.sign(u) * r * r) / 2
      out[2] += beta * r
    }
  }
  out[1] /= h
  out[2] /= h * h
  return out
}

const CORR = new Float64Array(3)

/**
 * Value of a {@link SliceCorrection} at k: the B-spline on `[lower, upper]` (0 where no basis
 * function reaches k), continued linearly beyond it from the value and slope at the nearer end,
 * exactly as the value term of {@link correctionDerivatives} (bit-identical).
 *
 * Verified by spec/surface/interpolation.spec.ts.
 *
 * @category slices
 * @since 0.1.0
 */
export const correctionValue = (c: SliceCorrection, k: number): number =>
  k < c.lower || k > c.upper ? (correctionDerivatives(c, k, CORR)[0] as number) : splineValue(c, k)

/** The value term of {@link splineAt} alone (same terms, same order: bit-identical), for the hot path. */
const splineValue = (c: SliceCorrection, k: number): number => {
  let v = 0
  const t = (k - c.kMin) / c.spacing
  const n = c.coefficients.length
  if (!(t > 0 && t < n + 3)) return v
  const j0 = Math.max(0, Math.floor(t) - 3)
  const j1 = Math.min(n - 1, Math.floor(t))
  for (let j = j0; j <= j1; j++) {
    const u = t - j - 2
    const a = Math.abs(u)
    if (a >= 2) continue
    const beta = c.coefficients[j] as number
    if (a < 1) v += (beta * (4 - 6 * u * u + 3 * a * a * a)) / 6
    else {
      const r = 2 - a
      v += (beta * r * r * r) / 6
    }
  }
  return v
}

// -------------------------------------------------------------------------------------
// repair
// -------------------------------------------------------------------------------------

/**
 * Calendar repair by running maximum: node i becomes `W_i(k) = max(w_i(k), W_{i−1}(k))`, so
 * `W` is non-decreasing in expiry at every k (no calendar arbitrage, Gatheral & Jacquier 2014,
 * Lemma 2.1).
 *
 * Why it keeps butterfly freedom: where `W_i = w_i` or `W_i = W_{i−1}` the slice is one of two
 * butterfly-free smiles; where they cross, the maximum has a convex kink in k, which adds a
 * non-negative point mass to Durrleman's g (its `w''/2` term) — i.e. to the density — never a
 * negative one. Nodes whose `w_i ≥ W_{i−1}` everywhere are returned unchanged in effect.
 *
 * Input nodes must be in increasing expiry. Cost: evaluating node i costs i slice evaluations.
 *
 * Verified by spec/surface/interpolation.spec.ts.
 *
 * @category repair
 * @since 0.1.0
 */
export const calendarRepair = (nodes: readonly TotalVarianceNode[]): TotalVarianceNode[] => {
  const out: TotalVarianceNode[] = []
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as TotalVarianceNode
    const prev = out[i - 1]
    if (prev === undefined) out.push(node)
    else {
      const own = node.w
      const below = prev.w
      out.push({ expiry: node.expiry, w: (k) => Math.max(own(k), below(k)) })
    }
  }
  return out
}

// -------------------------------------------------------------------------------------
// interpolation
// -------------------------------------------------------------------------------------

/**
 * Total variance `w(k, T)` from nodes in increasing expiry, by the module's rules (linear in T
 * between nodes, `w_1(k)·T/T_1` before the first, flat ATM forward variance beyond the last).
 *
 * Domain: any finite k, T > 0; returns 0 for T ≤ 0 (no variance accrued) and NaN when there
 * are no nodes or k, T are not finite. Negative node values are floored at 0.
 *
 * Verified by spec/surface/interpolation.spec.ts (exactness at nodes, monotonicity in T,
 * the extrapolation rules).
 *
 * @example
 * ```ts
 * // spec/surface/interpolation.spec.ts: before the first node, w₁(k)·T/T₁
 * interpolateTotalVariance(nodes, 0.2, 0.05) // = nodes[0].w(0.2) / 2 when nodes[0].expiry = 0.1
 * ```
 *
 * @category interpolation
 * @since 0.1.0
 */
export const interpolateTotalVariance = (
  nodes: readonly TotalVarianceNode[],
  k: number,
  expiry: number,
): number => {
  const n = nodes.length
  if (n === 0 || !Number.isFinite(k) || !Number.isFinite(expiry)) return NaN
  if (expiry <= 0) return 0
  const first = nodes[0] as TotalVarianceNode
  if (expiry <= first.expiry) return Math.max(first.w(k), 0) * (expiry / first.expiry)
  const last = nodes[n - 1] as TotalVarianceNode
  if (expiry >= last.expiry) {
    const wn = Math.max(last.w(k), 0)
    if (expiry === last.expiry) return wn
    return wn + forwardVarianceRate(nodes) * (expiry - last.expiry)
  }
  // binary search for T_i < T ≤ T_{i+1}
  let lo = 0
  let hi = n - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((nodes[mid] as TotalVarianceNode).expiry < expiry) lo = mid
    else hi = mid
  }
  const a = nodes[lo] as TotalVarianceNode
  const b = nodes[hi] as TotalVarianceNode
  const wb = Math.max(b.w(k), 0)
  if (expiry === b.expiry) return wb
  const wa = Math.max(a.w(k), 0)
  return wa + ((expiry - a.expiry) / (b.expiry - a.expiry)) * (wb - wa)
}

/**
 * The forward-variance rate used beyond the last node: the ATM forward variance of the last
 * interval, `(w_n(0) − w_{n−1}(0)) / (T_n − T_{n−1})`, or `w_n(0)/T_n` when there is one node
 * or that difference is not positive. Units: variance per year. NaN without nodes.
 *
 * Verified by spec/surface/interpolation.spec.ts.
 *
 * @category interpolation
 * @since 0.1.0
 */
export const forwardVarianceRate = (nodes: readonly TotalVarianceNode[]): number => {
  const n = nodes.length
  if (n === 0) return NaN
  const last = nodes[n - 1] as TotalVarianceNode
  const wn = Math.max(last.w(0), 0)
  if (n >= 2) {
    const prev = nodes[n - 2] as TotalVarianceNode
    const rate = (wn - Math.max(prev.w(0), 0)) / (last.expiry - prev.expiry)
    if (rate > 0) return rate
  }
  return wn / last.expiry
}
