/**
 * Jäckel's normalised Black function and its vega: the dimensionless core of Black-76 and of
 * implied-volatility inversion, accurate in relative terms across the whole domain (deep
 * out-of-the-money wings down to prices of 1e-300, tiny σ√T, at the money).
 *
 * Symbols: x = ln(F/K) (log-moneyness of the forward), s = σ√T (total standard deviation),
 * h = x/s, t = s/2. Undiscounted call = √(FK)·b(x, s); put via b(−x, s).
 *
 * Provenance. The region structure follows P. Jäckel, "Let's Be Rational" (2015, §3) and the
 * 2024 revision of his reference implementation (LetsBeRational, "freely granted, provided that
 * this notice is preserved"; ported to Python by vollib/py_lets_be_rational). The TypeScript
 * code is a rewrite: the asymptotic and small-t series are re-derived here in loop form (see the
 * comments at each), and the Gaussian factor e^{−(h²+t²)/2} is evaluated with the rounding
 * residual of h = x/s (double-double, or from a tabulated e^{−h₀²/2} in the small-t table branch)
 * so that the rounding of h does not cost |ln b|·2⁻⁵³ in the far wings.
 *
 * @module
 * @since 0.1.0
 */
import { erfc, erfcx } from '../core/normal.js'
import { productError } from '../core/exactProduct.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327
const SQRT_HALF = 0.7071067811865476
const SQRT_HALF_PI = 1.2533141373155003 // √(π/2)
const EPS = Number.EPSILON
/** η: below h = η the asymptotic expansion is used (Jäckel 2015, §3). */
const ETA = -10
/** τ = 2·ε^{1/16} ≈ 0.2102: below t = τ the small-t expansion is used. */
const TAU = 2 * Math.pow(EPS, 1 / 16)
const CODY_THRESHOLD = 0.46875
const SPLITTER = 134217729 // 2^27 + 1 (Veltkamp split)

// Scratch for the small-t derivatives Y⁽ⁿ⁾(h), n = 0..14 (module-level: no per-call allocation).
const DER = new Float64Array(32)
/** Highest odd order of the small-t series. */
const MAX_ORDER = 29

// -------------------------------------------------------------------------------------
// internal kernels
// -------------------------------------------------------------------------------------

/**
 * e^{−(h²+t²)/2} with h = x/s, t = s/2, to ≈ 2 ulp: h is carried as a double-double
 * (h + h_lo with h_lo = (x − h·s)/s from an exact product), the squares as exact products.
 * A plain evaluation loses ½(h²+t²)·2⁻⁵³ relative, i.e. 1.5e-13 when b ≈ 1e-300.
 */
const gaussFactor = (x: number, s: number): number => {
  MEMO[0] = x
  MEMO[1] = s
  const invS = 1 / s
  const h = x * invS // any h ≈ x/s will do: its residual is computed exactly below
  const t = 0.5 * s
  const h2 = h * h
  const t2 = t * t
  const sum = h2 + t2
  if (!(sum < 1500)) return (MEMO[2] = sum === sum ? 0 : NaN)
  // For h² + t² < 1 the rounding of the exponent is below 1.5·2⁻⁵³ absolute: no correction needed.
  if (sum < 1) return (MEMO[2] = Math.exp(-0.5 * sum))
  let a = h * SPLITTER
  const hh = a - (a - h)
  const hl = h - hh
  a = s * SPLITTER
  const sh = a - (a - s)
  const sl = s - sh
  const p = h * s
  const pe = hh * sh - p + hh * sl + hl * sh + hl * sl
  const hlo = (x - p - pe) * invS // x/s = h + hlo to ≈ 2⁻¹⁰⁶ relative
  const h2e = hh * hh - h2 + 2 * hh * hl + hl * hl + 2 * h * hlo
  const th = 0.5 * sh
  const tl = 0.5 * sl
  const t2e = th * th - t2 + 2 * th * tl + tl * tl
  const bb = sum - h2
  const sumE = h2 - (sum - bb) + (t2 - bb)
  return (MEMO[2] = Math.exp(-0.5 * sum) * (1 - 0.5 * (sumE + h2e + t2e)))
}

// Memo of the last gaussFactor evaluation: normalisedVega(x, s) right after
// normalisedBlackCall(x, s) (the implied-vol iteration, Greeks) reuses it instead of recomputing.
// It is used only for identical arguments, but it is not always bit-identical to a recomputation:
// the small-t table branch stores its own Gaussian factor (from the node, ≈ 2 ulp like
// gaussFactor, not the same rounding), so there normalisedVega(x, s) can differ by up to 2.4ε relative
// depending on whether normalisedBlackCall(x, s) came just before (40% of table-branch points;
// spec/pricing/normalisedBlack.spec.ts). The implied-vol iteration always calls b then vega, so
// its results do not depend on what ran before.
// [x, s, value] in a typed array (a module-level `let` double would be boxed on every store).
const MEMO = new Float64Array([NaN, NaN, NaN])

/**
 * Region 1 (h < η, t small against |h|). With Y(z) = Φ(z)/φ(z) ~ −Σₖ cₖ z^{−(2k+1)},
 * cₖ = (−1)ᵏ(2k−1)!! (Abramowitz & Stegun 26.2.12), u = 1/(h−t), v = 1/(h+t):
 * b = φ-factor·[Y(h+t) − Y(h−t)] = φ-factor·(u−v)·Σₖ cₖ Sₙ, where uⁿ − vⁿ = (u−v)Sₙ,
 * Sₙ = Σⱼ uʲvⁿ⁻¹⁻ʲ (n = 2k+1) has only positive terms (S₁ = 1, Sₙ₊₂ = v²Sₙ + uⁿ(u+v)) and
 * u − v = 2t/((h+t)(h−t)): no cancellation. This is Jäckel's expansion in loop form.
 */
const asymptoticExpansion = (x: number, s: number): number => {
  const h = x / s
  const t = 0.5 * s
  const hmt = h - t
  const hpt = h + t
  const u = 1 / hmt
  const v = 1 / hpt
  const v2 = v * v
  const u2 = u * u
  const upv = u + v
  let sn = 1
  let un = u
  let c = 1
  let sum = 1
  let last = Infinity
  for (let k = 1; k < 40; k++) {
    c *= -(2 * k - 1)
    sn = v2 * sn + un * upv
    un *= u2
    const term = c * sn
    const at = Math.abs(term)
    if (at >= last) break // the series is asymptotic: stop at its smallest term
    sum += term
    if (at <= 0.5 * EPS * sum) break
    last = at
  }
  const b = ONE_OVER_SQRT_TWO_PI * gaussFactor(x, s) * ((2 * t) / (hpt * hmt)) * sum
  return b > 0 ? b : 0
}

/** 1/n for n = 0..127 (index 0 unused): the Miller loop multiplies instead of dividing. */
const RECIP = Float64Array.from({ length: 128 }, (_, n) => (n === 0 ? 0 : 1 / n))
/** 1/((n+1)(n+2)) for the odd-order terms of the small-t series. */
const RECIP_PAIR = Float64Array.from({ length: 32 }, (_, n) => 1 / ((n + 1) * (n + 2)))

/**
 * Backward (Miller) recurrence for Dₙ = Y⁽ⁿ⁾(−w) ∝ ∫₀^∞ uⁿe^{−wu−u²/2}du, n = 0..nOut−1, written
 * unnormalised into `out`: D_{n−1} = (D_{n+1} + w·Dₙ)/n has only positive terms. Started at
 * n = nStart from the saddle-point ratio D_{N+1}/D_N ≈ u*, u*² + w·u* = N + ½.
 */
const millerRatios = (w: number, nStart: number, out: Float64Array, nOut: number): void => {
  let dn = 1
  let dn1 = 0.5 * (Math.sqrt(w * w + 4 * nStart + 2) - w)
  for (let n = nStart; n > 0; n--) {
    let dm = (dn1 + w * dn) * (n < 128 ? RECIP[n]! : 1 / n)
    if (dm < 1e-250 && n > nOut) {
      // values shrink like 1/√(n!) going down: rescale (before any output is written)
      dm *= 1e250
      dn *= 1e250
    }
    dn1 = dn
    dn = dm
    if (n <= nOut) out[n - 1] = dm
  }
}

// Taylor table of D₀ and D₁ around h₀ = −w₀, w₀ = i/16 (i = 0..164): entry
// [i][j][k] = D_{j+k}(h₀)/k!, k < TAB_K. Built once: for w₀ ≥ 0.75 from Miller ratios
// (nStart = 1000, converged to ≈ 1e-16) normalised by Y(h₀) = √(π/2)·erfcx(w₀/√2); for w₀ < 0.75,
// where Miller's ratios converge slowly (even and odd orders decouple at w = 0), from Y(h₀),
// a = 1 + h₀Y with an exact product (loss ≤ 1.6×) and the forward recurrence, which is stable
// there (nD_{n−1} dominates w₀D_n). With |Δ| ≤ 1/32 the series converges without cancellation
// (10 terms: measured error ≤ 9e-16; for |h| < 0.75 against 5000 seeded mpmath values with
// t < τ, max 1.0e-15, as the former direct erfcx evaluation at h: 8.9e-16).
const TAB_W0 = 0
const TAB_STEP = 16
const TAB_H = 1 / TAB_STEP
const TAB_N = 165
const TAB_K = 10
const TAB = new Float64Array(TAB_N * 2 * TAB_K)
/** e^{−w₀²/2} at the table nodes (w₀² = k²/256 and its half are exact; one rounding of exp). */
const GAUSS_TAB = Float64Array.from({ length: TAB_N }, (_, i) =>
  Math.exp(-0.5 * (TAB_W0 + i / TAB_STEP) ** 2),
)
{
  const d = new Float64Array(TAB_K + 2)
  for (let i = 0; i < TAB_N; i++) {
    const w0 = TAB_W0 + i / TAB_STEP
    let scale = 1
    if (w0 < 0.75) {
      d[0] = SQRT_HALF_PI * erfcx(SQRT_HALF * w0)
      const p = -w0 * d[0]!
      d[1] = 1 + p + productError(-w0, d[0]!, p)
      for (let n = 1; n <= TAB_K; n++) d[n + 1] = n * d[n - 1]! - w0 * d[n]!
    } else {
      millerRatios(w0, 1000, d, TAB_K + 1)
      scale = (SQRT_HALF_PI * erfcx(SQRT_HALF * w0)) / d[0]!
    }
    let factorial = 1
    for (let k = 0; k < TAB_K; k++) {
      if (k > 0) factorial *= k
      TAB[(i * 2 + 0) * TAB_K + k] = (d[k]! * scale) / factorial
      TAB[(i * 2 + 1) * TAB_K + k] = (d[k + 1]! * scale) / factorial
    }
  }
}

// Region 2 (t < τ, or h ≤ −2 with t < |h|/4) is split into two functions, so that V8 can
// inline the hot table path into its callers (one function: ≈ 8% slower on the issue-2 inputs).
/**
 * Region 2 (t < τ, or h ≤ −2 with t < |h|/4). Taylor expansion in t:
 * Y(h+t) − Y(h−t) = 2Σ_{m odd} Y⁽ᵐ⁾(h)tᵐ/m!, with Y⁽ⁿ⁾(h) = ∫₀^∞ uⁿe^{hu−u²/2}du > 0,
 * Y' = 1 + hY and Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾. Jäckel's closed form uses a = 1 + hY, which cancels
 * (log₁₀h² digits) when h ≪ 0. Here: for |h| ≤ 10.25 and t|h| < 2.5, Y and a from the Taylor
 * table (no cancellation), the higher derivatives from the forward recurrence (its error
 * growth in the m-th term is harmless while t|h| < 2.5: measured ≤ 1e-15 against mpmath on dense
 * samples). Otherwise (large t|h|) all Y⁽ⁿ⁾ from the backward recurrence.
 *
 * Table range: nodes w₀ = i/16 ≤ 10.25; the dispatcher tests −x ≤ 10.25·s, so
 * i ≤ TAB_N − 1 however x/s rounds. t|h| = −x/2, so t|h| < 2.5 is tested as x > −5.
 */
const TAB_W_MAX = TAB_W0 + (TAB_N - 1) / TAB_STEP

/**
 * Σ_{m odd} Y⁽ᵐ⁾(h)tᵐ/m! from Y = d0 and Y' = d1 by the forward recurrence, summing the odd
 * terms as they appear. Both new derivatives come from the previous pair,
 * D_{n+2} = (h² + n + 1)D_n + nh·D_{n−1}, so the loop-carried latency is one multiply-add per
 * two orders.
 */
const forwardSeries = (h: number, t: number, d0: number, d1: number): number => {
  const t2 = t * t
  let sum = d1 * t
  let term = t
  let dPrev = d0
  let dCur = d1
  const h2 = h * h
  // Two odd orders per pass (the same terms, summed in the same order as one order per pass).
  // The first three passes (orders ≤ 13) run without a convergence test: on the issue-2 inputs
  // 92% of the evaluations need at most three passes, and a loop exit that depends on t is
  // mispredicted almost every time (≈ 20% of the kernel's cost). Extra terms are further terms
  // of the same convergent series, each below 2⁻⁵⁵ of the sum once it has converged.
  for (let n = 1; n < MAX_ORDER - 2; n += 4) {
    const dEven = h * dCur + n * dPrev // D_{n+1}
    const dOdd = (h2 + (n + 1)) * dCur + n * h * dPrev // D_{n+2}
    const dEven2 = h * dOdd + (n + 2) * dEven // D_{n+3}
    const dOdd2 = (h2 + (n + 3)) * dOdd + (n + 2) * h * dEven // D_{n+4}
    dPrev = dEven2
    dCur = dOdd2
    const term1 = term * t2 * RECIP_PAIR[n]!
    term = term1 * t2 * RECIP_PAIR[n + 2]!
    sum += dOdd * term1
    const add = dOdd2 * term
    sum += add
    if (n >= 9 && add <= 0.25 * EPS * sum) break
  }
  return sum
}

/** Region 2 for |h| ≤ 10.25 and t|h| < 2.5: Y and a from the Taylor table (the hot path). */
const smallTTable = (x: number, s: number): number => {
  const invS = 1 / s
  const h = x * invS // within 1 ulp of x/s; the residual enters the Gaussian factor below
  const t = 0.5 * s
  const w = -h
  // Nearest node by floor(y + ½) rather than Math.round, whose tie correction is data-dependent:
  // measured ≈ 8% faster for the whole kernel on Node 20 (bench/pricing.bench.ts inputs).
  const i = Math.floor((w - TAB_W0) * TAB_STEP + 0.5)
  const delta = TAB_W0 + i * TAB_H - w // h − h₀, exact
  // Each degree-9 polynomial as lo(δ) + δ⁵·hi(δ): four independent degree-4 Horner chains
  // (half the latency of two degree-9 chains; |δ⁵| ≤ 2⁻²⁵, so the split adds no rounding).
  const r0 = i * 2 * TAB_K
  const r1 = r0 + TAB_K
  const d5 = delta * delta * (delta * delta) * delta
  const lo0 =
    (((TAB[r0 + 4]! * delta + TAB[r0 + 3]!) * delta + TAB[r0 + 2]!) * delta + TAB[r0 + 1]!) * delta + TAB[r0]!
  const hi0 =
    (((TAB[r0 + 9]! * delta + TAB[r0 + 8]!) * delta + TAB[r0 + 7]!) * delta + TAB[r0 + 6]!) * delta +
    TAB[r0 + 5]!
  const lo1 =
    (((TAB[r1 + 4]! * delta + TAB[r1 + 3]!) * delta + TAB[r1 + 2]!) * delta + TAB[r1 + 1]!) * delta + TAB[r1]!
  const hi1 =
    (((TAB[r1 + 9]! * delta + TAB[r1 + 8]!) * delta + TAB[r1 + 7]!) * delta + TAB[r1 + 6]!) * delta +
    TAB[r1 + 5]!
  // Gaussian factor e^{−(x²/s² + t²)/2} from the node: with x/s = h + h_lo (h_lo from an exact
  // product) and h = h₀ + δ, the exponent is −h₀²/2 − (h₀δ + δ²/2 + t²/2 + h·h_lo), where the
  // bracket is below 1 in magnitude, so its rounding costs < 1 ulp (≈ 2 ulp in all, as
  // gaussFactor, without the double-double square of h).
  const g = tableGaussAt(x, s, h, invS, t, i, delta)
  MEMO[0] = x
  MEMO[1] = s
  MEMO[2] = g
  const b = 2 * ONE_OVER_SQRT_TWO_PI * g * forwardSeries(h, t, lo0 + d5 * hi0, lo1 + d5 * hi1)
  return b > 0 ? b : 0
}

/**
 * The small-t table branch's Gaussian factor from its node quantities (h = x·(1/s), t = s/2,
 * node i, δ = h − h₀), shared by {@link smallTTable} and by {@link normalisedVega} in that branch,
 * so that a vega read from the memo right after b equals a fresh vega bit for bit.
 */
const tableGaussAt = (
  x: number,
  s: number,
  h: number,
  invS: number,
  t: number,
  i: number,
  delta: number,
): number => {
  const p = h * s
  const hlo = (x - p - productError(h, s, p)) * invS
  return GAUSS_TAB[i]! * Math.exp(delta * (TAB_W0 + i * TAB_H) - 0.5 * (delta * delta + t * t) - h * hlo)
}

/** The Gaussian factor as the small-t table branch of b computes it (same node, same arithmetic). */
const tableGauss = (x: number, s: number): number => {
  const invS = 1 / s
  const h = x * invS
  const t = 0.5 * s
  const w = -h
  const i = Math.floor((w - TAB_W0) * TAB_STEP + 0.5)
  return tableGaussAt(x, s, h, invS, t, i, TAB_W0 + i * TAB_H - w)
}

/** Region 2 otherwise (large t|h| or |h| > 10.25): all Y⁽ⁿ⁾ from the backward recurrence. */
const smallTMiller = (x: number, s: number): number => {
  const h = x / s
  const t = 0.5 * s
  const w = -h
  const t2 = t * t
  // Start orders of the backward recurrence: ≥ 10 above the highest order summed (29) when
  // t ≥ τ (was 40 more: against 9000 mpmath values of b in this branch, 80 digits, the error is
  // unchanged, max 1.2e-15; a start of 32 gives 5.8e-15), fewer when t < τ needs fewer orders.
  const nStart = w < 2.5 ? 75 : w < 3 ? 50 : w < 4 || !(t < TAU) ? 40 : w < 6 ? 30 : w < 8 ? 20 : 15
  const top = Math.min(MAX_ORDER, nStart - 2)
  millerRatios(w, nStart, DER, top + 1)
  const scale = (SQRT_HALF_PI * erfcx(SQRT_HALF * w)) / DER[0]!
  let term = t
  let sum = DER[1]! * t
  for (let m = 3; m <= top; m += 2) {
    term *= t2 * RECIP[m - 1]! * RECIP[m]!
    const add = DER[m]! * term
    sum += add
    if (add <= 0.25 * EPS * sum) break
  }
  const b = 2 * ONE_OVER_SQRT_TWO_PI * gaussFactor(x, s) * sum * scale
  return b > 0 ? b : 0
}

/**
 * Regions 3–4: b = ½[e^{x/2}erfc(q₁) − e^{−x/2}erfc(q₂)], q₁ = −(h+t)/√2, q₂ = −(h−t)/√2,
 * where each term whose argument exceeds Cody's threshold 0.46875 is written as
 * e^{−(h²+t²)/2}·erfcx(q) (Jäckel 2024, "optimal use of Cody's functions"): one exponential,
 * and a difference of two rational functions in the tail.
 */
const codyRegion = (x: number, s: number): number => {
  const h = x / s
  const t = 0.5 * s
  const q1 = -SQRT_HALF * (h + t)
  const q2 = -SQRT_HALF * (h - t)
  let twoB: number
  if (q1 < CODY_THRESHOLD) {
    if (q2 < CODY_THRESHOLD) twoB = Math.exp(0.5 * x) * erfc(q1) - Math.exp(-0.5 * x) * erfc(q2)
    else if (q1 < -CODY_THRESHOLD) {
      // e^{x/2}erfc(q₁) = 2e^{x/2} − e^{x/2 − q₁²}erfcx(−q₁) and x/2 − q₁² = −(h² + t²)/2 (ht = x/2):
      // the Gaussian factor serves both terms (erfc(q₁) itself would cost two more exponentials).
      const g = gaussFactor(x, s)
      twoB = 2 * Math.exp(0.5 * x) - g * (erfcx(-q1) + erfcx(q2))
    } else twoB = Math.exp(0.5 * x) * erfc(q1) - gaussFactor(x, s) * erfcx(q2)
  } else twoB = gaussFactor(x, s) * (erfcx(q1) - erfcx(q2))
  const b = 0.5 * twoB
  return b > 0 ? b : 0
}

// -------------------------------------------------------------------------------------
// normalised Black
// -------------------------------------------------------------------------------------

/**
 * Normalised intrinsic value of a call, 2 sinh(x/2) for x > 0, else 0.
 *
 * $$\iota(x) = \bigl(e^{x/2} - e^{-x/2}\bigr)^+$$
 *
 * Equals max(F − K, 0)/√(FK). Accurate to ≈ 1 ulp (uses `Math.sinh`, no cancellation at small x).
 *
 * Verified by spec/pricing/normalisedBlack.spec.ts.
 *
 * Example, from spec/pricing/normalisedBlack.spec.ts:
 * {@includeCode ../../spec/pricing/normalisedBlack.spec.ts#normalisedIntrinsicCall}
 *
 * @category normalised Black
 * @since 0.1.0
 */
export const normalisedIntrinsicCall = (x: number): number => (x > 0 ? 2 * Math.sinh(0.5 * x) : 0)

/**
 * Jäckel's normalised Black call value.
 *
 * $$b(x, s) = e^{x/2}\,\Phi\!\left(\frac{x}{s} + \frac{s}{2}\right) - e^{-x/2}\,\Phi\!\left(\frac{x}{s} - \frac{s}{2}\right)$$
 *
 * with x = ln(F/K), s = σ√T. The undiscounted Black-76 call is √(FK)·b(x, s) and the put is
 * √(FK)·b(−x, s) (reciprocal-strike symmetry). Domain: x real, s ≥ 0. Range:
 * ι(x) ≤ b < e^{x/2}.
 *
 * Edges: s = 0 → intrinsic `normalisedIntrinsicCall(x)`; s → ∞ → e^{x/2}; x > 0 is computed as
 * intrinsic + b(−x, s) (in-the-money = intrinsic + out-of-the-money); results that underflow are
 * 0, never negative; NaN in → NaN out.
 *
 * **Method.** With h = x/s, t = s/2 and x ≤ 0 (Jäckel 2015, §3; 2024 revision):
 * (1) h < −10 and t < τ + |h| − 10: asymptotic expansion of the Mills ratio, summed without
 * cancellation; (2) t < τ = 2ε^{1/16} ≈ 0.21, or h ≤ −2 and t < |h|/4: Taylor series in t with
 * cancellation-free derivatives (Taylor table / Miller recurrence instead of Jäckel's 1 + hY);
 * (3) otherwise erfc/erfcx combinations of Cody's functions. The Gaussian factor
 * e^{−(h²+t²)/2} keeps the rounding residual of h = x/s: double-double, or in the small-t table
 * branch e^{−h₀²/2} at the node times e^{−(h₀δ + δ²/2 + t²/2 + h·h_lo)}, δ = h − h₀. Measured
 * relative error against a 100-digit mpmath reference (spec/fixtures/impliedvol, 3000 rows, b
 * from 1e-300 to O(1)): max 2.4e-15, 99th percentile 6.7e-16; see docs/methodology/implied-vol.md.
 * Cost: about 1.6× the floor of one log, one sqrt and two exp on the issue-2 inputs with x and s
 * given (bench/pricing.bench.ts, interleaved paired CPU-time median, 2026-12-04: 1.59–1.62× at
 * load 6.9–8.4 and 1.64× at load 1.9 on 2 cores).
 *
 * **References.** P. Jäckel (2015), "Let's Be Rational", Wilmott 2015(75), 40–53,
 * doi:10.1002/wilm.10395, §3 eqs. (3.1)–(3.6). M. Abramowitz, I. Stegun (1964), Handbook of
 * Mathematical Functions, eq. 26.2.12. W. J. Cody (1969), doi:10.1090/S0025-5718-1969-0247736-4.
 *
 * Verified by spec/pricing/normalisedBlack.spec.ts.
 *
 * Example, from spec/pricing/normalisedBlack.spec.ts:
 * {@includeCode ../../spec/pricing/normalisedBlack.spec.ts#normalisedBlackCall}
 *
 * @category normalised Black
 * @since 0.1.0
 */
export const normalisedBlackCall = (x: number, s: number): number => {
  if (x !== x) return NaN
  if (x > 0) return normalisedIntrinsicCall(x) + normalisedBlackCall(-x, s)
  if (!(s > 0)) return s === 0 ? 0 : NaN
  if (s === Infinity) return Math.exp(0.5 * x)
  // Region 1, tested without division: h < η and t < τ + |h| − |η|.
  if (x < s * ETA && 0.5 * s * s + x < s * (TAU + ETA)) return asymptoticExpansion(x, s)
  // Region 2: t < τ, or (h ≤ −2 and t < |h|/4) where the erfcx difference of region 3 would cancel.
  if (0.5 * s < TAU || (x <= -2 * s && 2 * s * s < -x)) {
    return -x <= TAB_W_MAX * s && x > -5 ? smallTTable(x, s) : smallTMiller(x, s)
  }
  return codyRegion(x, s)
}

/**
 * The normalised vega at (x, s), x ≤ 0, read from the memo that the last {@link normalisedBlackCall}
 * left, or NaN when that call was not at (x, s) or did not compute the Gaussian factor. When it is
 * not NaN it is the same double as `normalisedVega(x, s)`; a caller falls back to that function on
 * NaN. For the implied-vol step, whose budget for inlined code (TurboFan's 920 bytes of bytecode)
 * cannot hold normalisedVega besides normalisedBlackCall: this reads three doubles.
 *
 * @internal
 */
export const memoVega = (x: number, s: number): number =>
  x === MEMO[0] && s === MEMO[1] ? ONE_OVER_SQRT_TWO_PI * MEMO[2]! : NaN

/**
 * Normalised vega: the derivative of {@link normalisedBlackCall} with respect to s = σ√T.
 *
 * $$\frac{\partial b}{\partial s} = \frac{1}{\sqrt{2\pi}}\,e^{-\frac12\left(\frac{x^2}{s^2} + \frac{s^2}{4}\right)}$$
 *
 * Same for calls and puts. Black-76 vega = D·√(FK)·√T·∂b/∂s. Domain: x real, s ≥ 0;
 * at s = 0 it is 1/√(2π) when x = 0 and 0 otherwise. Accurate to ≈ 2 ulp (double-double
 * exponent). It computes the Gaussian factor exactly as {@link normalisedBlackCall} does at the same
 * (x, s) (in the small-t table branch from the table node, elsewhere in double-double), so the
 * value right after b(x, s), read from b's memo, and a fresh value are the same double: the
 * result never depends on what was called before.
 *
 * **References.** P. Jäckel (2015), "Let's Be Rational", doi:10.1002/wilm.10395, eq. (2.5).
 *
 * Verified by spec/pricing/normalisedBlack.spec.ts.
 *
 * Example, from spec/pricing/normalisedBlack.spec.ts:
 * {@includeCode ../../spec/pricing/normalisedBlack.spec.ts#normalisedVega}
 *
 * @category normalised Black
 * @since 0.1.0
 */
export const normalisedVega = (x: number, s: number): number => {
  if (x !== x) return NaN
  if (x === 0) return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.125 * s * s)
  if (!(s > 0)) return s === 0 ? 0 : NaN
  const ax = x > 0 ? -x : x
  if (ax === MEMO[0] && s === MEMO[1]) return ONE_OVER_SQRT_TWO_PI * MEMO[2]!
  // the Gaussian factor as normalisedBlackCall(ax, s) computes it (its region dispatch): the
  // small-t table branch rounds it its own way, every other branch through gaussFactor
  const table =
    !(ax < s * ETA && 0.5 * s * s + ax < s * (TAU + ETA)) &&
    (0.5 * s < TAU || (ax <= -2 * s && 2 * s * s < -ax)) &&
    -ax <= TAB_W_MAX * s &&
    ax > -5
  return ONE_OVER_SQRT_TWO_PI * (table ? tableGauss(ax, s) : gaussFactor(ax, s))
}
