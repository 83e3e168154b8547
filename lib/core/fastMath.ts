/**
 * Table-driven `x^p`, `log1p`, `ln` and `exp` written in plain arithmetic, for kernels whose cost
 * is a chain of transcendental functions.
 *
 * Why: V8 compiles `Math.exp`, `Math.log`, `Math.log1p` and `Math.pow` to calls into C (fdlibm
 * ports in `v8::base::ieee754`). A call ends the optimised code's straight line: every live
 * floating-point register is spilled around it, and a chain of such calls (log → exp → log1p in
 * the SABR backbone and z/x(z)) runs at the latency of each call in turn. The functions here are
 * a few dozen multiply-adds and table loads that TurboFan inlines and schedules with the caller's
 * code. They are not faster than the C functions in isolation; they are faster inside a long
 * dependency chain (spec/core/fastMath.spec.ts checks accuracy; bench/sabr.bench.ts the gain).
 *
 * Method (Tang 1989 and 1990; the same scheme as musl's and ARM's optimized-routines' exp/log):
 * - `x = 2^e · m`, m ∈ [1, 2), from the bits of x; `m = c_j (1 + r)` with `c_j = 1 + j/128` the
 *   table node nearest m (j from the top 7 mantissa bits and the rounding bit), so `|r| ≤ 2⁻⁸`,
 *   and `r = (m − c_j) · (1/c_j)` (the subtraction is exact, one rounding in the product);
 * - `e^y = 2^(n/32) · e^t`, `n = round(32 y / ln 2)`, `|t| ≤ ln 2 / 64`, `2^(n/32)` from a
 *   32-entry table times a power of two, `e^t − 1` by its Taylor polynomial to t⁶;
 * - `ln 2` split into a 32-bit head (`n·ln2_hi` exact for |n| < 2²¹) and a tail (fdlibm's
 *   constants).
 *
 * Errors were measured against `Math.pow`, `Math.log1p`, `Math.log` and `Math.exp` (fdlibm,
 * < 1 ulp) and are asserted in spec/core/fastMath.spec.ts; see each function.
 *
 * References: P. T. P. Tang (1989), "Table-driven implementation of the exponential function in
 * IEEE floating-point arithmetic", ACM TOMS 15(2), 144–157, doi:10.1145/63522.214389; P. T. P.
 * Tang (1990), "Table-driven implementation of the logarithm function in IEEE floating-point
 * arithmetic", ACM TOMS 16(4), 378–400, doi:10.1145/98267.98294.
 *
 * @module
 * @since 0.1.0
 */
// bits of a double: BITS[0] = x, then WORDS[HI] is its sign/exponent/top-mantissa word
const BITS = new Float64Array(1)
const WORDS = new Uint32Array(BITS.buffer)
const HI = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0 // little-endian: word 1

// One table, so that each function reads a single module binding:
// [0, 2099): 2^(i − 1075) (i = 1 is 2⁻¹⁰⁷⁴, i = 2098 is 2¹⁰²³);
// [2099, 2131): 2^(j/32), j = 0..31;
// [2131, 2131 + 3·129): for j = 0..128, c_j = 1 + j/128, 1/c_j and ln c_j, each rounded once.
const POW2 = 1075
const EXP2 = 2099
const LOGC = 2131
const TAB = new Float64Array(LOGC + 3 * 129)
{
  let v = 1
  for (let i = POW2; i < EXP2; i++, v *= 2) TAB[i] = v
  v = 1
  for (let i = POW2; i >= 1; i--, v *= 0.5) TAB[i] = v
  for (let j = 0; j < 32; j++) TAB[EXP2 + j] = Math.pow(2, j / 32)
  for (let j = 0; j <= 128; j++) {
    TAB[LOGC + 3 * j] = 1 + j / 128
    TAB[LOGC + 3 * j + 1] = 1 / (1 + j / 128)
    TAB[LOGC + 3 * j + 2] = Math.log1p(j / 128)
  }
}

/**
 * (1 + r)^p − 1 = Σ C(p, i) rⁱ, i = 1..6, for |r| ≤ 2⁻⁸ and p ∈ [0, 1] (remainder
 * |C(p, 7)|·2⁻⁵⁶ < 2⁻⁶¹). A function of its own only to keep {@link powFast} under V8's 460-byte
 * limit for inlining.
 */
const binomialSeries = (r: number, p: number): number => {
  const b2 = p * (p - 1) * 0.5
  const b3 = b2 * (p - 2) * (1 / 3)
  const b4 = b3 * (p - 3) * 0.25
  const b5 = b4 * (p - 4) * 0.2
  const b6 = b5 * (p - 5) * (1 / 6)
  const r2 = r * r
  return r * p + r2 * (b2 + r * b3 + r2 * (b4 + r * b5 + r2 * b6))
}

/**
 * x^p for a positive normal x, in plain arithmetic (inlined by V8, unlike `Math.pow`).
 *
 * $$x^p = 2^{v}\,(1 + r)^p,\qquad v = p\,(e + \log_2 c_j),\qquad x = 2^e c_j (1 + r),\ |r| \le 2^{-8}$$
 *
 * The exponential's argument does not depend on r, so it is ready after a table load (no
 * logarithm polynomial on the way to the exp); `(1 + r)^p` is a binomial series alongside it.
 * `v` is carried as `ph·e` (exact: `ph` is p rounded to a multiple of 2⁻⁴¹ and |e| < 2¹¹) plus a
 * small rest, and `2^v = 2^(n/32) e^t` with `t = (ph·e − n/32 + rest)·ln 2`, so the result does
 * not lose accuracy as |p ln x| grows (unlike `exp(p · Math.log(x))`, whose relative error is
 * about |p ln x|·ε/2).
 *
 * Domain: x a positive normal double (2⁻¹⁰²² ≤ x < ∞), p ∈ [0, 1] (the binomial series is sized
 * for it), and |p · ln x| ≤ 708. Outside it the result is wrong (not NaN); NaN gives NaN.
 * Accuracy: within 2 ulp of `Math.pow` (spec/core/fastMath.spec.ts: x over the whole normal
 * range with p ∈ [0, 1], and the SABR backbone range fK ∈ [1e-12, 1e14], p ∈ [0, 0.5]).
 *
 * Verified by spec/core/fastMath.spec.ts.
 *
 * @example
 * ```ts
 * powFast(6.4e9, 0.15) // 29.57515273256627 (Math.pow: 29.575152732566274, 1 ulp above)
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const powFast = (x: number, p: number): number => {
  BITS[0] = x
  const hi = WORDS[HI] as number
  const e = (hi >>> 20) - 1023
  const k = LOGC + 3 * (((hi & 0xfffff) + 0x1000) >>> 13) // j = round((m − 1)·128) ∈ [0, 128]
  const r = (x * (TAB[POW2 - e] as number) - (TAB[k] as number)) * (TAB[k + 1] as number)
  // log₂ of the result without r: v = p·e + p·log₂ c_j = vh + vl, vh = ph·e exact (ph = p to a
  // multiple of 2⁻⁴¹, |e| < 2¹¹), |vl| ≤ 1
  const ph = p + 2048 - 2048
  const vh = ph * e
  const vl = (p - ph) * e + p * 1.4426950408889634 * (TAB[k + 2] as number)
  // 2^v = 2^(n/32) · e^t: n = round(32v), t = (vh − n/32 + vl)·ln 2 (vh − n/32 exact), |t| ≤ ln2/64
  const kd = (vh + vl) * 32 + 6755399441055744 - 6755399441055744
  const t = (vh - kd * 0.03125 + vl) * 6.931471805599453e-1
  const n = kd | 0
  const t2 = t * t
  const et = t + t2 * (0.5 + t * (1 / 6) + t2 * (1 / 24 + t * (1 / 120) + t2 * (1 / 720)))
  const q = binomialSeries(r, p)
  const s = (TAB[EXP2 + (n & 31)] as number) * (TAB[POW2 + (n >> 5)] as number)
  // s(1 + et)(1 + q)
  return s + s * (et + q + et * q)
}

/**
 * log1p(y) = ln(1 + y) for y ≥ 0, in plain arithmetic (inlined by V8, unlike `Math.log1p`).
 *
 * $$\ln(1 + y) = e \ln 2 + \ln c_j + \ln(1 + r) + \frac{c}{u},\qquad u = \mathrm{fl}(1 + y) = 2^e c_j (1 + r)$$
 *
 * where c is the rounding error of u (`y − (u − 1)` for u < 2, `1 − (u − y)` above, both exact),
 * so small y keep their full relative accuracy: for y < 2⁻⁵³, u = 1 and the result is y itself.
 * `ln(1 + r)` is its Taylor polynomial to r⁷ (|r| ≤ 2⁻⁸, remainder < 2⁻⁵⁹ relative).
 *
 * Domain: finite y ≥ 0 (the SABR z/x(z) argument); negative y is outside it (wrong result, not
 * NaN); NaN gives NaN. Accuracy: within 1 ulp of `Math.log1p` (spec/core/fastMath.spec.ts, y
 * from 2⁻¹⁰⁷⁴ to 10³⁰⁰).
 *
 * Verified by spec/core/fastMath.spec.ts.
 *
 * @example
 * ```ts
 * log1pFast(1e-10) // 9.999999999500001e-11, as Math.log1p(1e-10)
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const log1pFast = (y: number): number => {
  const u = 1 + y
  BITS[0] = u
  const hi = WORDS[HI] as number
  const e = (hi >>> 20) - 1023
  const k = LOGC + 3 * (((hi & 0xfffff) + 0x1000) >>> 13)
  const r = (u * (TAB[POW2 - e] as number) - (TAB[k] as number)) * (TAB[k + 1] as number)
  const c = (e > 0 ? 1 - (u - y) : y - (u - 1)) / u
  const r2 = r * r
  const lr = r + r2 * (-0.5 + r * (1 / 3) + r2 * (-0.25 + r * 0.2 + r2 * (-1 / 6 + r * (1 / 7))))
  return e * 6.931471803691238e-1 + ((TAB[k + 2] as number) + (lr + (e * 1.9082149292705877e-10 + c)))
}

/**
 * ln(x) for a positive normal x, in plain arithmetic (inlined by V8, unlike `Math.log`).
 *
 * $$\ln x = e \ln 2 + \ln c_j + \ln(1 + r),\qquad x = 2^e c_j (1 + r),\ |r| \le 2^{-8}$$
 *
 * as {@link log1pFast}, with x itself as the argument (no rounding to correct), and with the node
 * c₁₂₈ = 2 taken as c₀ = 1 one binade up, so that for x just below 1 the result is ln(1 + r) alone
 * (no cancellation of −ln 2 against ln c_j).
 *
 * Domain: x a positive normal double (2⁻¹⁰²² ≤ x < ∞); outside it the result is wrong (not
 * NaN); NaN gives NaN. Accuracy: within 1 ulp of `Math.log` for x ≥ 1 − 2⁻⁹ and for x < ½, and
 * within 2⁻⁵³ absolute (≈ 1.1e-16) for x ∈ [½, 1 − 2⁻⁹), where e ln 2 + ln c_j cancels
 * (spec/core/fastMath.spec.ts). The implied-vol guess is its one caller: there 1e-16 absolute is
 * far below what the guess needs.
 *
 * Verified by spec/core/fastMath.spec.ts.
 *
 * @example
 * ```ts
 * logFast(10) // 2.302585092994046, as Math.log(10)
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const logFast = (x: number): number => {
  BITS[0] = x
  const hi = WORDS[HI] as number
  const j = ((hi & 0xfffff) + 0x1000) >>> 13 // round((m − 1)·128) ∈ [0, 128]
  const e = (hi >>> 20) - 1023 + (j >>> 7) // j = 128: c = 2 is c = 1 one binade up
  const k = LOGC + 3 * (j & 127)
  const r = (x * (TAB[POW2 - e] as number) - (TAB[k] as number)) * (TAB[k + 1] as number)
  const r2 = r * r
  const lr = r + r2 * (-0.5 + r * (1 / 3) + r2 * (-0.25 + r * 0.2 + r2 * (-1 / 6 + r * (1 / 7))))
  return e * 6.931471803691238e-1 + ((TAB[k + 2] as number) + (lr + e * 1.9082149292705877e-10))
}

/**
 * e^x in plain arithmetic (inlined by V8, unlike `Math.exp`).
 *
 * $$e^x = 2^{n/32}\,e^{t},\qquad n = \operatorname{round}(32x/\ln 2),\ |t| \le \ln 2/64$$
 *
 * `2^(n/32)` from the 32-entry table times a power of two, `e^t − 1` by its Taylor polynomial to
 * t⁶ (remainder < 2⁻⁵⁸ relative), `ln 2 / 32` split into a head whose product with n is exact and
 * a tail (Tang 1989).
 *
 * Domain: |x| ≤ 708 (the result is a normal double); outside it the result is wrong (not NaN);
 * NaN gives NaN. Accuracy: within 2 ulp of `Math.exp` (spec/core/fastMath.spec.ts). Its caller is
 * the implied-vol guess (branch (ii)), where only ≈ 1e-10 is needed.
 *
 * Verified by spec/core/fastMath.spec.ts.
 *
 * @example
 * ```ts
 * expFast(1) // 2.718281828459045 (Math.E)
 * ```
 *
 * @category kernels
 * @since 0.1.0
 */
export const expFast = (x: number): number => {
  // n = round(x·32/ln 2) by the 1.5·2⁵² shift (exact for |x·32/ln 2| < 2⁵¹)
  const kd = x * 46.16624130844683 + 6755399441055744 - 6755399441055744
  const t = x - kd * 2.166084938653512e-2 - kd * 5.9631716539705866e-12 // ln2_hi/32, ln2/32 − ln2_hi/32
  const n = kd | 0
  const t2 = t * t
  const et = t + t2 * (0.5 + t * (1 / 6) + t2 * (1 / 24 + t * (1 / 120) + t2 * (1 / 720)))
  const s = (TAB[EXP2 + (n & 31)] as number) * (TAB[POW2 + (n >> 5)] as number)
  return s + s * et
}
