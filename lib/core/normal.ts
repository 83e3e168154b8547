/**
 * The standard normal distribution and the complementary error functions it is built on:
 * `erfc`, `erfcx`, `normCdf`, `normPdf`, `inverseNormCdf`.
 *
 * All functions are accurate in *relative* terms deep into the lower tail, which the implied-vol
 * and Black-76 kernels need for far out-of-the-money options (prices down to 1e-300).
 *
 * Provenance. `erfc`/`erfcx` follow the structure of W. J. Cody's CALERF (Argonne, 1969/1990,
 * public domain; also the basis of P. Jäckel's `erf_cody.cpp`, whose notice reads "Permission to
 * use, copy, modify, and distribute this software is freely granted, provided that this notice is
 * preserved"); the coefficients are the published ones of Cody (1969). `inverseNormCdf` uses the
 * published coefficients of Wichura's AS 241 (PPND16). The TypeScript code is a rewrite, not a
 * copy, of those sources.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

const SQRT_PI_INV = 0.5641895835477563 // 1/√π
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327 // 1/√(2π)
const SQRT_HALF = 0.7071067811865476 // 1/√2
const THRESH = 0.46875
const XNEG = -26.628 // erfcx overflows below this
const XBIG = 26.543 // erfc underflows to 0 above this
const XHUGE = 6.71e7 // above: erfcx(x) = 1/(x√π) to machine precision
const XMAX = 2.53e307 // above: erfcx underflows

// Cody (1969), Table: erf on |x| ≤ 0.46875.
const A0 = 3.1611237438705655
const A1 = 113.86415415105016
const A2 = 377.485237685302
const A3 = 3209.3775891384694
const A4 = 0.18577770618460315
const B0 = 23.601290952344122
const B1 = 244.02463793444417
const B2 = 1282.6165260773723
const B3 = 2844.236833439171
// erfcx on 0.46875 ≤ x ≤ 4.
const C0 = 0.5641884969886701
const C1 = 8.883149794388377
const C2 = 66.11919063714163
const C3 = 298.6351381974001
const C4 = 881.952221241769
const C5 = 1712.0476126340707
const C6 = 2051.0783778260716
const C7 = 1230.3393547979972
const C8 = 2.1531153547440383e-8
const D0 = 15.744926110709835
const D1 = 117.6939508913125
const D2 = 537.1811018620099
const D3 = 1621.3895745666903
const D4 = 3290.7992357334597
const D5 = 4362.619090143247
const D6 = 3439.3676741437216
const D7 = 1230.3393548037495
// erfcx on x > 4, in 1/x².
const P0 = 0.30532663496123236
const P1 = 0.36034489994980445
const P2 = 0.12578172611122926
const P3 = 0.016083785148742275
const P4 = 0.0006587491615298378
const P5 = 0.016315387137302097
const Q0 = 2.568520192289822
const Q1 = 1.8729528499234604
const Q2 = 0.5279051029514285
const Q3 = 0.06051834131244132
const Q4 = 0.0023352049762686918

// -------------------------------------------------------------------------------------
// internal kernels
// -------------------------------------------------------------------------------------

/** erf(x) for |x| ≤ 0.46875 (Cody's first interval). */
const erfSmall = (x: number): number => {
  const z = x * x
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3
  const den = (((z + B0) * z + B1) * z + B2) * z + B3
  return (x * num) / den
}

/**
 * Scaled complementary error function on Cody's second and third intervals, no exponential
 * involved.
 *
 * $$\operatorname{erfcx}(y) = e^{y^2}\operatorname{erfc}(y),\qquad y > 0.46875$$
 *
 * Domain: y > 0.46875 (Cody's threshold); below it the rationals are outside their fitted range
 * (use {@link erfcx}, which dispatches). Edges: 1/(y√π) from y ≥ 6.7e7, 0 from y ≥ 2.5e307.
 * Method: Cody's rational approximations R(y) for 0.46875 < y ≤ 4 and (1/√π − z·P(z)/Q(z))/y,
 * z = 1/y², for y > 4, accurate to about 1e-16 relative. The building block of {@link erfcx},
 * {@link normCdf} and the pricing bench's lower-bound kernel (bench/pricing.bench.ts).
 *
 * **References.** W. J. Cody (1969), doi:10.1090/S0025-5718-1969-0247736-4.
 *
 * Verified by spec/core/normal.spec.ts (through erfcx and normCdf against mpmath).
 *
 * @example
 * erfcxPositive(1) // 0.42758357615580705 (erfcx(1) = 0.4275835761558070044…)
 *
 * @category error functions
 * @since 0.1.0
 */
export const erfcxPositive = (y: number): number => {
  if (y <= 4) {
    const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7
    const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7
    return num / den
  }
  if (y >= XHUGE) return y >= XMAX ? 0 : SQRT_PI_INV / y
  const z = 1 / (y * y)
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4
  return (SQRT_PI_INV - (z * num) / den) / y
}

/**
 * e^{−y²} to nearly full relative precision for y ≥ 0: y = y₀ + δ with y₀ = ⌊16y⌋/16, so y₀² is
 * exact and only the small (y−y₀)(y+y₀) carries rounding (Cody's device).
 */
const expNegSquare = (y: number): number => {
  const y0 = Math.trunc(y * 16) / 16
  const d = (y - y0) * (y + y0)
  return Math.exp(-y0 * y0) * Math.exp(-d)
}

/** e^{−z²/2} with the split exponent (relative error ≈ 2 ulp at every z). */
const expNegHalfSquare = (z: number): number => {
  const y = Math.abs(z)
  const y0 = Math.trunc(y * 16) / 16
  const d = (y - y0) * (y + y0)
  return Math.exp(-0.5 * y0 * y0) * Math.exp(-0.5 * d)
}

// -------------------------------------------------------------------------------------
// error functions
// -------------------------------------------------------------------------------------

/**
 * Complementary error function.
 *
 * $$\operatorname{erfc}(x) = \frac{2}{\sqrt\pi}\int_x^\infty e^{-u^2}\,du$$
 *
 * Domain: all reals. Edges: `erfc(−∞) = 2`, `erfc(x) = 0` for x ≥ 26.543 (underflow),
 * `erfc(NaN) = NaN`.
 *
 * **Method.** Cody's rational Chebyshev approximations on |x| ≤ 0.46875 (via erf),
 * 0.46875 < |x| ≤ 4 and |x| > 4 (in 1/x²), each theoretically accurate to 18 significant digits;
 * the factor e^{−x²} is formed as e^{−x₀²}e^{−(x−x₀)(x+x₀)} so the result keeps its relative
 * accuracy in the tail. Measured relative error against mpmath: see spec/core/normal.spec.ts
 * (max 6.7e-16, 99th percentile 2.2e-16 on the fixture grid for x < 26.5).
 *
 * **References.** W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23(107), 631–637, doi:10.1090/S0025-5718-1969-0247736-4. W. J. Cody (1993),
 * "Algorithm 715: SPECFUN", ACM TOMS 19(1), 22–30, doi:10.1145/151271.151273.
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#erfc}
 *
 * @category error functions
 * @since 0.1.0
 */
export const erfc = (x: number): number => {
  const y = Math.abs(x)
  let r: number
  if (y <= THRESH) return 1 - erfSmall(x)
  if (y >= XBIG) r = 0
  else r = expNegSquare(y) * erfcxPositive(y)
  return x < 0 ? 2 - r : r
}

/**
 * Scaled complementary error function.
 *
 * $$\operatorname{erfcx}(x) = e^{x^2}\operatorname{erfc}(x) \sim \frac{1}{x\sqrt\pi}\ (x\to\infty)$$
 *
 * Domain: all reals. Edges: `+∞` for x < −26.628 (overflow), `1/(x√π)` for x ≥ 6.71e7,
 * 0 for x ≥ 2.53e307, NaN for NaN.
 *
 * **Method.** For x > 0.46875 Cody's rational approximations of erfcx directly (no exponential:
 * this is what keeps the normalised Black function accurate in the wings); for |x| ≤ 0.46875
 * e^{x²}(1 − erf x); for x < −0.46875 the reflection 2e^{x²} − erfcx(−x) with the exact-split
 * exponential. Relative accuracy ≈ 1e-16 (Cody: 18 digits before rounding); measured in
 * spec/core/normal.spec.ts.
 *
 * **References.** W. J. Cody (1969), Math. Comp. 23(107), 631–637,
 * doi:10.1090/S0025-5718-1969-0247736-4.
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#erfcx}
 *
 * @category error functions
 * @since 0.1.0
 */
export const erfcx = (x: number): number => {
  const y = Math.abs(x)
  if (y <= THRESH) return Math.exp(x * x) * (1 - erfSmall(x))
  if (x > 0) return erfcxPositive(y)
  if (x < XNEG) return Infinity
  const e = 1 / expNegSquare(y) // e^{x²} with the exact split
  return e + e - erfcxPositive(y)
}

// -------------------------------------------------------------------------------------
// normal distribution
// -------------------------------------------------------------------------------------

/**
 * Standard normal density.
 *
 * $$\varphi(x) = \frac{1}{\sqrt{2\pi}}e^{-x^2/2}$$
 *
 * Domain: all reals; underflows to 0 for |x| > 38.6; relative accuracy ≈ 2 ulp at every x
 * (the square is split so that its rounding does not enter the exponent).
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#normPdf}
 *
 * @category normal distribution
 * @since 0.1.0
 */
export const normPdf = (x: number): number => ONE_OVER_SQRT_TWO_PI * expNegHalfSquare(x)

/**
 * Standard normal cumulative distribution function, accurate in relative terms in the lower tail.
 *
 * $$\Phi(z) = \tfrac12\operatorname{erfc}(-z/\sqrt2) = \tfrac12\operatorname{erfcx}(-z/\sqrt2)\,e^{-z^2/2}$$
 *
 * Domain: all reals. Edges: Φ(−∞) = 0 (underflow below z ≈ −38.5), Φ(+∞) = 1, NaN → NaN.
 *
 * **Method.** For z ≥ −0.6629 (= −0.46875·√2) ½erfc(−z/√2). Below, ½erfcx(−z/√2)·e^{−z²/2}
 * with the exponent split exactly as z = z₀ + δ, z₀ = ⌊16z⌋/16: erfcx is a smooth rational
 * function (condition number ≤ 1), so the rounding of z/√2 does not get amplified by the
 * exponential, and the relative error stays ≈ 1e-16·O(1) down to the underflow threshold
 * (a naive ½erfc(−z/√2) loses z²·2⁻⁵³, i.e. 1e-13 at z = −38). Measured in
 * spec/core/normal.spec.ts.
 *
 * **References.** W. J. Cody (1969), doi:10.1090/S0025-5718-1969-0247736-4; G. Marsaglia (2004),
 * "Evaluating the normal distribution", J. Stat. Softw. 11(4), doi:10.18637/jss.v011.i04.
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#normCdf}
 *
 * @category normal distribution
 * @since 0.1.0
 */
export const normCdf = (z: number): number => {
  if (z >= -0.6629126073623883) return 0.5 * erfc(-z * SQRT_HALF)
  return 0.5 * erfcxPositive(-z * SQRT_HALF) * expNegHalfSquare(z)
}

// AS 241 (Wichura 1988) coefficients.
const SPLIT1 = 0.425
const SPLIT2 = 5
const CONST1 = 0.180625
const CONST2 = 1.6
/** ln(0.075): below it (p < 1 − 0.925 = 0.075) AS 241 uses its tail form in r = √(−ln p). */
const LN_TAIL = Math.log(0.075)
const IA = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const
const IB = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const
const IC = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const
const ID = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
] as const
const IE = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
] as const
const IF = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const

const poly7 = (c: readonly number[], r: number): number =>
  ((((((c[7]! * r + c[6]!) * r + c[5]!) * r + c[4]!) * r + c[3]!) * r + c[2]!) * r + c[1]!) * r + c[0]!

/**
 * Inverse of the standard normal CDF (the normal quantile).
 *
 * $$\Phi^{-1}(p) = z \iff \Phi(z) = p$$
 *
 * Domain: p ∈ (0, 1). Edges: −∞ at p = 0, +∞ at p = 1, NaN outside [0, 1] or for NaN.
 *
 * **Method.** Wichura's AS 241 (PPND16): rational approximations in p − ½ for |p − ½| ≤ 0.425
 * and in √(−ln min(p, 1−p)) otherwise, quoted accurate to about 1 part in 10¹⁶; followed by one
 * Halley step on Φ(z) − p using the tail-accurate {@link normCdf} when p < 0.075 (which also removes
 * the ≈1e-16 coefficient error). For p > ½ the result is limited by the absolute rounding of
 * 1 − p, as for any double input. Measured against mpmath in spec/core/normal.spec.ts.
 *
 * **References.** M. J. Wichura (1988), "Algorithm AS 241: The percentage points of the normal
 * distribution", Appl. Stat. 37(3), 477–484, doi:10.2307/2347330.
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#inverseNormCdf}
 *
 * @category normal distribution
 * @since 0.1.0
 */
export const inverseNormCdf = (p: number): number => {
  let z = inverseNormCdfAs241(p)
  if (!(p < 0.075 && p > 0)) return z
  // One Halley step on Φ(z) = p (lower tail only, where Φ is tail-accurate).
  const f = normCdf(z)
  if (f > 0) {
    const u = (f - p) / normPdf(z) // Newton step δ = (Φ(z) − p)/φ(z)
    z = z - u / (1 + 0.5 * z * u)
  }
  return z
}

/**
 * Wichura's AS 241 (PPND16) normal quantile without the refinement step of
 * {@link inverseNormCdf}: cheaper (no Φ/φ evaluation), quoted accurate to about 1 part in 10¹⁶;
 * used where only a very good starting value is needed (the implied-volatility initial guess).
 *
 * $$\Phi^{-1}(p) \approx \text{AS241}(p)$$
 *
 * Domain and edges as {@link inverseNormCdf}.
 *
 * **References.** M. J. Wichura (1988), Appl. Stat. 37(3), 477–484, doi:10.2307/2347330.
 *
 * Verified by spec/core/normal.spec.ts.
 *
 * Example, from spec/core/normal.spec.ts:
 * {@includeCode ../../spec/core/normal.spec.ts#inverseNormCdfAs241}
 *
 * @category normal distribution
 * @since 0.1.0
 */
export const inverseNormCdfAs241 = (p: number): number => {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q
    return (q * poly7(IA, r)) / poly7(IB, r)
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  let z: number
  if (r <= SPLIT2) {
    r -= CONST2
    z = poly7(IC, r) / poly7(ID, r)
  } else {
    r -= SPLIT2
    z = poly7(IE, r) / poly7(IF, r)
  }
  return q < 0 ? -z : z
}

/**
 * Wichura's AS 241 normal quantile of p given as its logarithm: Φ⁻¹(e^{ln p}) without forming p
 * in the lower tail, so a caller holding ln p (or ln p = ln(y)/3 for p = ∛y) saves an
 * exponential or a cube root.
 *
 * $$\Phi^{-1}(p) \approx \text{AS241}(p),\qquad r = \sqrt{-\ln p}\ \text{ in the tail form}$$
 *
 * Domain: ln p ≤ 0. For ln p < ln 0.075 (AS 241's lower tail, p < 0.075) the tail rational
 * functions are evaluated at r = √(−ln p) directly; otherwise the result is
 * {@link inverseNormCdfAs241}(e^{ln p}). Edges: ln p = −∞ gives −∞, ln p = 0 gives +∞, ln p > 0
 * or NaN gives NaN. Accuracy: that of AS 241 (about 1e-16 relative) for p down to 1e-300, i.e.
 * ln p ≥ −690; below, the tail form extrapolates (used only for starting values there).
 *
 * **References.** M. J. Wichura (1988), "Algorithm AS 241: The percentage points of the normal
 * distribution", Appl. Stat. 37(3), 477–484, doi:10.2307/2347330.
 *
 * Verified by spec/core/inverseNormCdfFromLog.spec.ts.
 *
 * Example, from spec/core/inverseNormCdfFromLog.spec.ts:
 * {@includeCode ../../spec/core/inverseNormCdfFromLog.spec.ts#inverseNormCdfFromLog}
 *
 * @category normal distribution
 * @since 0.1.0
 */
export const inverseNormCdfFromLog = (lnP: number): number => {
  if (!(lnP < LN_TAIL)) return lnP <= 0 ? inverseNormCdfAs241(Math.exp(lnP)) : NaN
  if (lnP === -Infinity) return -Infinity
  let r = Math.sqrt(-lnP)
  let z: number
  if (r <= SPLIT2) {
    r -= CONST2
    z = poly7(IC, r) / poly7(ID, r)
  } else {
    r -= SPLIT2
    z = poly7(IE, r) / poly7(IF, r)
  }
  return -z
}
