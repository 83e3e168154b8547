/**
 * Black-76 values: the undiscounted-forward Black (1976) formula on top of Jäckel's normalised
 * Black function, in the linear (quote-currency) and the inverse (coin, Deribit) convention,
 * as a named-field function, a positional kernel, a column batch and a checked entry point.
 *
 * Symbols: F forward, K strike, T expiry in years (ACT/365), σ annualised vol, D discount
 * factor P(0, T), q = +1 call / −1 put, x = ln(F/K), s = σ√T, d₁,₂ = x/s ± s/2.
 *
 * @module
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import { map } from 'fp-ts/lib/Either.js'
import type { InvalidInput } from '../domain/errors.js'
import { decodeBlack76Input } from '../domain/pricingInputs.js'
import type { OptionKind } from '../domain/units.js'
import { normalisedBlackCall } from './normalisedBlack.js'
import { productError } from '../core/exactProduct.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Inputs of a Black-76 valuation, plain numbers with units in the names' documentation.
 *
 * @category model
 * @since 0.1.0
 */
export interface Black76Params {
  /** `'call'` or `'put'`. */
  readonly kind: OptionKind
  /** Forward F of the underlying for the option's expiry, quote currency, F > 0. */
  readonly forward: number
  /** Strike K, quote currency, K > 0. */
  readonly strike: number
  /** Time to expiry T in years (ACT/365), T ≥ 0. */
  readonly expiry: number
  /** Annualised Black volatility σ as a decimal (0.5 = 50%), σ ≥ 0. */
  readonly vol: number
  /** Discount factor D = P(0, T) to the premium payment date, D > 0; default 1. */
  readonly discount?: number
}

/**
 * Columns of a batch valuation; all of length ≥ `out.length`. `q` holds +1 (call) or −1 (put).
 *
 * @category model
 * @since 0.1.0
 */
export interface Black76Columns {
  /** +1 for a call, −1 for a put. */
  readonly q: ArrayLike<number>
  /** Forwards F > 0. */
  readonly forward: Float64Array
  /** Strikes K > 0. */
  readonly strike: Float64Array
  /** Expiries T ≥ 0 in years. */
  readonly expiry: Float64Array
  /** Vols σ ≥ 0, annualised decimals. */
  readonly vol: Float64Array
  /** Discount factors D > 0; when absent every D is 1. */
  readonly discount?: Float64Array
}

// -------------------------------------------------------------------------------------
// log-moneyness
// -------------------------------------------------------------------------------------

/**
 * ln(F/K) to about one rounding of the result, without the rounding of the quotient F/K.
 *
 * $$x = \ln\frac FK = \ln \hat q + \ln\Bigl(1 + \frac{F - \hat q K}{\hat q K}\Bigr) \approx \ln \hat q + \frac{F - \hat qK}{F}$$
 *
 * where q̂ = fl(F/K) and F − q̂K is computed exactly (Dekker's product). Why: the rounding of
 * F/K is an *absolute* error of up to 1.1e-16 in x, and the Black value's sensitivity to x is
 * ≈ |d|/s; for a 6-standard-deviation option with s = σ√T = 1e-4 that is 6e4·1.1e-16 ≈ 7e-12
 * relative. Domain: F, K > 0 finite; if F/K overflows or underflows the result is ±∞.
 *
 * Verified by spec/pricing/black76.spec.ts.
 *
 * @example
 * logMoneyness(110, 100) // 0.09531017980432485 (ln 1.1 = 0.0953101798043248600…; Math.log(110 / 100) gives 0.09531017980432493)
 *
 * @category log-moneyness
 * @since 0.1.0
 */
export const logMoneyness = (forward: number, strike: number): number => {
  const ratio = forward / strike
  const lr = Math.log(ratio)
  // Dekker's exact product ratio·strike = p + e (valid while neither operand is near overflow).
  const p = ratio * strike
  const e = productError(ratio, strike, p)
  const corr = (forward - p - e) / forward
  return corr === corr && Math.abs(corr) < 1e-15 ? lr + corr : lr
}

/**
 * √(F·K), the scale of the normalised Black function, without overflow or underflow of F·K.
 *
 * $$\sqrt{FK} = \begin{cases}\sqrt{\mathrm{fl}(FK)} & 10^{-300} < FK < 10^{300}\\ \sqrt F\,\sqrt K & \text{otherwise}\end{cases}$$
 *
 * Accuracy ≤ 0.75 ulp in the first case, ≤ 1.5 ulp in the second (e.g. F = K = 1e±200, where
 * the plain product would give 0 or ∞). Domain: F, K ≥ 0 finite.
 *
 * Verified by spec/pricing/black76.spec.ts (extreme scales).
 *
 * @example
 * sqrtProduct(1e200, 4e200) // 2e200
 *
 * @category log-moneyness
 * @since 0.1.0
 */
export const sqrtProduct = (forward: number, strike: number): number => {
  const p = forward * strike
  return p > 1e-300 && p < 1e300 ? Math.sqrt(p) : Math.sqrt(forward) * Math.sqrt(strike)
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

// Steps of the kernel that black76PriceBatch calls too (intrinsicValue, fromNormalised), so that
// both give the same doubles, and the batch's domain test.
/**
 * True unless F, K ∈ (0, ∞), T, σ ∈ [0, ∞) and D ∈ (0, ∞) (NaN and ±∞ are outside). The batch's
 * test; the kernel writes the same expression out, because calling this function there made it
 * 2% slower (bench/ab.ts b76, 4 runs, 2026-12-05): spec/pricing/black76.spec.ts checks that both
 * agree on every edge value.
 */
const outOfDomain = (
  forward: number,
  strike: number,
  expiry: number,
  vol: number,
  discount: number,
): boolean =>
  !(forward > 0 && forward < Infinity && strike > 0 && strike < Infinity) ||
  !(expiry >= 0 && expiry < Infinity && vol >= 0 && vol < Infinity && discount > 0 && discount < Infinity)

/** D·max(q(F − K), 0) as one subtraction: the value at σ√T = 0 or with F/K beyond the double range. */
const intrinsicValue = (q: number, forward: number, strike: number, discount: number): number => {
  const intrinsic = q * (forward - strike)
  return intrinsic > 0 ? discount * intrinsic : 0
}

/**
 * D·(max(q(F − K), 0) + √(FK)·b) from the out-of-the-money normalised value b = b(−|x|, s).
 * In the money: the intrinsic value as one subtraction plus the out-of-the-money time value
 * (both ≥ 0), rather than √(FK)·2sinh(x/2), which costs a few ulp of the intrinsic value.
 * max(q(F − K), 0) as e + |e| with e = ½q(F − K), without a branch: in or out of the money is a
 * coin flip on random books, and a mispredicted branch costs ≈ 5% of the value. Halving first
 * keeps q(F − K) > MAX_VALUE/2 finite (½(d + |d|) overflowed there); e + e is exact, and ½d is,
 * unless |F − K| is subnormal (then within one subnormal ulp).
 */
const fromNormalised = (q: number, forward: number, strike: number, discount: number, b: number): number => {
  const e = 0.5 * q * (forward - strike)
  return discount * (e + Math.abs(e) + sqrtProduct(forward, strike) * b)
}

/**
 * Black-76 value, positional kernel: no allocation, no checks beyond the domain test.
 *
 * $$V = D\,\sqrt{FK}\;b(q\,x,\ s),\qquad x = \ln\frac FK,\ s = \sigma\sqrt T$$
 *
 * where b is `normalisedBlackCall` (lib/pricing/normalisedBlack.ts). The put uses b(−x, s): a put on F struck at K equals a
 * call on K struck at F (Black's reciprocal symmetry), so no parity subtraction is ever made. In
 * the money (q·x > 0) the value is D·(q(F − K) + √(FK)·b(−|x|, s)): the intrinsic value as one
 * correctly rounded subtraction plus the out-of-the-money time value, both ≥ 0.
 *
 * Domain and edges: returns NaN unless F, K ∈ (0, ∞), T, σ ∈ [0, ∞), D ∈ (0, ∞) (NaN and ±∞
 * are outside). σ√T = 0 (T = 0 or σ = 0) gives the discounted intrinsic D·max(q(F − K), 0),
 * computed as one subtraction; F/K beyond the double range also gives the intrinsic value
 * (the time value is below 1e-300 relative there).
 *
 * Method and accuracy: x by {@link logMoneyness}, √(FK) as one square root, then Jäckel's
 * normalised Black (asymptotic, small-s Taylor and erfcx regions). Measured against a 50-digit
 * mpmath reference over F ∈ [0.01, 2e5], T ∈ [15 min, 5 y], σ ∈ [2%, 500%],
 * |ln(K/F)| ≤ 6σ√T: see docs/methodology/pricing.md (relative error ≤ 1e-14 at the 99th
 * percentile, ≤ 1e-12 everywhere; measured 5.0e-15 and 9.0e-15). Cost: about 2.9× the floor of
 * one log, one sqrt and two exp on those inputs (bench/pricing.bench.ts, interleaved paired
 * CPU-time median, 2026-12-04: 2.87–2.91× at load 6.9–8.4 and 2.98× at load 1.9 on 2 cores; the
 * issue's 1.5× is not met, see the methodology page). Over a whole chain, {@link black76PriceBatch}
 * gives the same doubles at 2.55–2.61×.
 *
 * References: F. Black (1976), "The pricing of commodity contracts", J. Financial Economics
 * 3(1–2), 167–179, doi:10.1016/0304-405X(76)90024-6; P. Jäckel (2015), "Let's Be Rational",
 * Wilmott 2015(75), 40–53, doi:10.1002/wilm.10395, eqs. (2.1)–(2.4).
 *
 * Verified by spec/pricing/black76.spec.ts and spec/pricing/golden.spec.ts.
 *
 * @example
 * black76PriceUnsafe(1, 100, 100, 0.5, 0.2, Math.exp(-0.02 * 0.5)) // 5.581106724604812 (py_vollib: 5.5811067246048118)
 *
 * @category kernels
 * @since 0.1.0
 */
export const black76PriceUnsafe = (
  q: 1 | -1,
  forward: number,
  strike: number,
  expiry: number,
  vol: number,
  discount: number,
): number => {
  if (
    !(forward > 0 && forward < Infinity && strike > 0 && strike < Infinity) ||
    !(expiry >= 0 && expiry < Infinity && vol >= 0 && vol < Infinity && discount > 0 && discount < Infinity)
  )
    return NaN
  const s = vol * Math.sqrt(expiry)
  const x = logMoneyness(forward, strike)
  if (s === 0 || x === Infinity || x === -Infinity) return intrinsicValue(q, forward, strike, discount)
  // One call site of normalisedBlackCall (at −|x|) for both sides keeps the kernel inlinable.
  return fromNormalised(q, forward, strike, discount, normalisedBlackCall(-Math.abs(x), s))
}

/**
 * Black-76 value in the quote currency.
 *
 * $$V = D\,\bigl[q F\,\Phi(q d_1) - q K\,\Phi(q d_2)\bigr] = D\sqrt{FK}\,b(qx, s)$$
 *
 * Units: the value is in the currency of F and K, per unit of underlying, discounted with D.
 * Domain: F, K > 0, T ≥ 0, σ ≥ 0, D > 0 (default 1), all finite; NaN outside. Edges, method
 * and accuracy as {@link black76PriceUnsafe}, which it calls.
 *
 * References: F. Black (1976), doi:10.1016/0304-405X(76)90024-6; P. Jäckel (2015),
 * doi:10.1002/wilm.10395.
 *
 * Verified by spec/pricing/black76.spec.ts and spec/pricing/golden.spec.ts.
 *
 * @example
 * black76Price({ kind: 'put', forward: 19, strike: 19, expiry: 0.75, vol: 0.28, discount: Math.exp(-0.1 * 0.75) })
 * // 1.7010507252362672 (Haug 1998: 1.7011)
 *
 * @category valuation
 * @since 0.1.0
 */
export const black76Price = (params: Black76Params): number =>
  black76PriceUnsafe(
    params.kind === 'call' ? 1 : -1,
    params.forward,
    params.strike,
    params.expiry,
    params.vol,
    params.discount ?? 1,
  )

/**
 * Inverse (coin-margined, Deribit) premium: the Black-76 value divided by the forward.
 *
 * $$P = V / F = D\sqrt{K/F}\;b(qx, s)\quad\text{[coin per option on one coin]}$$
 *
 * Example: a BTC option on Deribit quoted at 0.05 BTC is worth 0.05·F USD. Domain, edges and
 * accuracy as {@link black76PriceUnsafe} (one more rounding).
 *
 * Verified by spec/pricing/black76.spec.ts.
 *
 * @example
 * black76InversePrice({ kind: 'call', forward: 100, strike: 100, expiry: 1, vol: 0.2 }) // 0.07965567455405796
 *
 * @category valuation
 * @since 0.1.0
 */
export const black76InversePrice = (params: Black76Params): number => black76Price(params) / params.forward

/**
 * Black-76 values for a column batch, written into caller-allocated `out`; returns `out`.
 *
 * For each i < out.length: out[i] = black76PriceUnsafe(q[i], F[i], K[i], T[i], σ[i], D[i])
 * (D = 1 when `discount` is absent), the same double; NaN for a row outside the domain,
 * including q ∉ {+1, −1}. Units, domain, edges and accuracy as {@link black76PriceUnsafe}.
 * Throws a RangeError if a column is shorter than `out` (a programming error, not a data error).
 *
 * Method: the kernel's arithmetic, in three passes over chunks of 256 rows: (1) s = σ√T and
 * x = −|ln F/K| ({@link logMoneyness}) into scratch columns, (2) the normalised value b(x, s),
 * (3) D·(max(q(F − K), 0) + √(FK)·b). Each pass is a short loop body, so the processor overlaps
 * consecutive rows, which it cannot across the whole kernel. Pass 1 also notes whether every row
 * of the chunk is inside the domain with σ√T > 0 and F/K finite; if one is not, pass 3 makes the
 * kernel's tests row by row (NaN, or the intrinsic value). No allocation: the scratch columns are
 * module-level (3 × 256 doubles), so the function is not re-entrant, which a synchronous
 * function with no callbacks never needs; each worker thread has its own module instance.
 *
 * Cost: 2.55–2.61× the floor of one log, one sqrt and two exp, against 2.90–3.10× for the kernel
 * in a loop, on the issue-2 inputs (bench/pricing.bench.ts, interleaved paired CPU-time median,
 * nine runs on 2026-12-05, the full `npm run bench` among them); 2.75–3.07× against 3.05–3.32× in
 * three runs on the host's slower vCPU state. Where the time goes: bench/black76Layout.ts.
 *
 * Verified by spec/pricing/black76.spec.ts (bit for bit against the kernel on every combination
 * of edge values and on seeded books across chunk boundaries).
 *
 * @example
 * black76PriceBatch({ q: Int8Array.of(1), forward: Float64Array.of(100), strike: Float64Array.of(100),
 *   expiry: Float64Array.of(1), vol: Float64Array.of(0.2) }, new Float64Array(1)) // Float64Array [7.965567455405796]
 *
 * @category kernels
 * @since 0.1.0
 */
export const black76PriceBatch = (columns: Black76Columns, out: Float64Array): Float64Array => {
  const n = out.length
  const { q, forward, strike, expiry, vol, discount } = columns
  if (
    q.length < n ||
    forward.length < n ||
    strike.length < n ||
    expiry.length < n ||
    vol.length < n ||
    (discount !== undefined && discount.length < n)
  )
    throw new RangeError(`black76PriceBatch: every column needs at least out.length = ${n} entries`)
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start)
    // Pass 1: s = σ√T and x = −|ln F/K| for every row, and whether every row of the chunk is
    // inside the domain with s > 0 and x finite (a row that is not gives some number or NaN
    // here, which pass 3 discards).
    let plain = true
    for (let j = 0; j < m; j++) {
      const i = start + j
      const qi = q[i] as number
      const f = forward[i] as number
      const k = strike[i] as number
      const t = expiry[i] as number
      const v = vol[i] as number
      const d = discount === undefined ? 1 : (discount[i] as number)
      const s = v * Math.sqrt(t)
      const x = -Math.abs(logMoneyness(f, k))
      CHUNK_S[j] = s
      CHUNK_X[j] = x
      plain = plain && (qi === 1 || qi === -1) && !outOfDomain(f, k, t, v, d) && s !== 0 && x !== -Infinity
    }
    // Pass 2: the normalised value b(−|x|, s) of every row.
    for (let j = 0; j < m; j++) CHUNK_B[j] = normalisedBlackCall(CHUNK_X[j] as number, CHUNK_S[j] as number)
    // Pass 3: the value, with the kernel's tests in the kernel's order unless pass 1 found them all passed.
    if (plain) {
      for (let j = 0; j < m; j++) {
        const i = start + j
        const d = discount === undefined ? 1 : (discount[i] as number)
        out[i] = fromNormalised(
          q[i] as number,
          forward[i] as number,
          strike[i] as number,
          d,
          CHUNK_B[j] as number,
        )
      }
      continue
    }
    for (let j = 0; j < m; j++) {
      const i = start + j
      const qi = q[i] as number
      const f = forward[i] as number
      const k = strike[i] as number
      const d = discount === undefined ? 1 : (discount[i] as number)
      const s = CHUNK_S[j] as number
      out[i] =
        (qi !== 1 && qi !== -1) || outOfDomain(f, k, expiry[i] as number, vol[i] as number, d)
          ? NaN
          : s === 0 || CHUNK_X[j] === -Infinity
            ? intrinsicValue(qi, f, k, d)
            : fromNormalised(qi, f, k, d, CHUNK_B[j] as number)
    }
  }
  return out
}

/**
 * Rows per pass of {@link black76PriceBatch}: long enough that the loops' overhead is small, short
 * enough that a chunk's columns stay in the first-level cache.
 */
const CHUNK = 256
// Scratch columns of a chunk, module-level (no allocation per call): −|ln F/K|, σ√T and b.
const CHUNK_X = new Float64Array(CHUNK)
const CHUNK_S = new Float64Array(CHUNK)
const CHUNK_B = new Float64Array(CHUNK)

// -------------------------------------------------------------------------------------
// checked
// -------------------------------------------------------------------------------------

/**
 * Black-76 value of an unknown input, decoded at the boundary.
 *
 * Decodes with `Black76Input` (lib/domain/pricingInputs.ts: `Positive` forward and strike,
 * `Years` expiry, `AnnualVol` vol, optional `DiscountFactor`) and prices with
 * {@link black76Price}. Left: one `InvalidInput` per offending field, whose message names the
 * field, the value and the bound, e.g. `field vol = -0.2: must be a finite number in [0, ∞)`;
 * the bound text is printed from the same `Bounds` entry the check uses. A decoded input is
 * always inside the kernel's domain, so Right is never NaN.
 *
 * Verified by spec/pricing/black76Checked.spec.ts.
 *
 * @example
 * black76PriceChecked({ kind: 'call', forward: 100, strike: 100, expiry: 1, vol: 0.2 }) // right(7.965567455405796) (mpmath: 7.9655674554057962931)
 *
 * @category checked
 * @since 0.1.0
 */
export const black76PriceChecked = (input: unknown): E.Either<readonly InvalidInput[], number> =>
  map(black76Price)(decodeBlack76Input(input))
