/**
 * Delbourgo–Gregory shape-preserving rational cubic interpolation on one interval, as used by
 * Jäckel's "Let's Be Rational" for the initial guess of the implied volatility.
 *
 * On [x_l, x_r] with values y_l, y_r, slopes d_l, d_r and control parameter r ≥ −1:
 *
 * $$y(t) = \frac{y_r t^3 + (r y_r - h d_r)t^2(1-t) + (r y_l + h d_l)t(1-t)^2 + y_l(1-t)^3}{1 + (r-3)t(1-t)}$$
 *
 * with h = x_r − x_l, t = (x − x_l)/h. r = 3 gives the ordinary cubic Hermite interpolant, r → ∞
 * the straight line; a large enough r preserves monotonicity and convexity of the data.
 *
 * Provenance: formulas (2.4)–(2.5), (3.8) and (3.18) of Delbourgo & Gregory (1985), in the
 * arrangement of P. Jäckel's reference code (LetsBeRational, "freely granted, provided that this
 * notice is preserved"); rewritten in TypeScript.
 *
 * References: R. Delbourgo, J. A. Gregory (1985), "Shape preserving piecewise rational
 * interpolation", SIAM J. Sci. Stat. Comput. 6(4), 967–976, doi:10.1137/0906065.
 * P. Jäckel (2015), "Let's Be Rational", Wilmott 2015(75), 40–53, doi:10.1002/wilm.10395, §5.
 *
 * @module
 * @since 0.1.0
 */

const EPS = Number.EPSILON
const MIN_POSITIVE = 2.2250738585072014e-308
/** Smallest admissible control parameter: −(1 − √ε). */
const R_MIN = -(1 - Math.sqrt(EPS))
/** A control parameter this large means "linear interpolation". */
const R_MAX = 2 / (EPS * EPS)

const isZero = (x: number): boolean => Math.abs(x) < MIN_POSITIVE

/**
 * Evaluates the rational cubic interpolant at `x` (formula in the module comment).
 *
 * Domain: x_l ≠ x_r (else the mean of y_l and y_r), r > −1; r ≥ 2/ε² evaluates the straight
 * line without overflow. NaN inputs propagate.
 *
 * Verified by spec/core/rationalCubic.spec.ts.
 *
 * Example, from spec/core/rationalCubic.spec.ts:
 * {@includeCode ../../spec/core/rationalCubic.spec.ts#rationalCubicInterpolation}
 *
 * @category interpolation
 * @since 0.1.0
 */
export const rationalCubicInterpolation = (
  x: number,
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  r: number,
): number => {
  const h = xr - xl
  if (Math.abs(h) <= 0) return 0.5 * (yl + yr)
  const t = (x - xl) / h
  if (!(r >= R_MAX)) {
    const omt = 1 - t
    const t2 = t * t
    const omt2 = omt * omt
    return (
      (yr * t2 * t + (r * yr - h * dr) * t2 * omt + (r * yl + h * dl) * t * omt2 + yl * omt2 * omt) /
      (1 + (r - 3) * t * omt)
    )
  }
  return yr * t + yl * (1 - t)
}

/**
 * The smallest control parameter that keeps the interpolant monotone (when the data are) and
 * convex/concave (when the data are): Delbourgo & Gregory (1985) conditions (3.8) and (3.18).
 * `slope` is the secant (y_r − y_l)/(x_r − x_l).
 */
const minimumControlParameter = (dl: number, dr: number, slope: number, preferShape: boolean): number => {
  const monotonic = dl * slope >= 0 && dr * slope >= 0
  const convex = dl <= slope && slope <= dr
  const concave = dl >= slope && slope >= dr
  if (!monotonic && !convex && !concave) return R_MIN
  const drmdl = dr - dl
  const drms = dr - slope
  const smdl = slope - dl
  let r1 = -Number.MAX_VALUE
  let r2 = r1
  if (monotonic) {
    if (!isZero(slope)) r1 = (dr + dl) / slope
    else if (preferShape) r1 = R_MAX
  }
  if (convex || concave) {
    if (!(isZero(smdl) || isZero(drms))) r2 = Math.max(Math.abs(drmdl / drms), Math.abs(drmdl / smdl))
    else if (preferShape) r2 = R_MAX
  } else if (monotonic && preferShape) r2 = R_MAX
  return Math.max(R_MIN, r1, r2)
}

/**
 * Control parameter r such that the interpolant has second derivative `d2l` at the left end,
 * raised if needed to the shape-preserving minimum.
 *
 * $$r = \frac{\tfrac12 h\,y''_l + (d_r - d_l)}{(y_r - y_l)/h - d_l}$$
 *
 * Verified by spec/core/rationalCubic.spec.ts.
 *
 * Example, from spec/core/rationalCubic.spec.ts:
 * {@includeCode ../../spec/core/rationalCubic.spec.ts#convexControlParameterLeft}
 *
 * @category interpolation
 * @since 0.1.0
 */
export const convexControlParameterLeft = (
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  d2l: number,
  preferShape: boolean,
): number => {
  const h = xr - xl
  const num = 0.5 * h * d2l + (dr - dl)
  const den = (yr - yl) / h - dl
  const r = isZero(num) ? 0 : isZero(den) ? (num > 0 ? R_MAX : R_MIN) : num / den
  return Math.max(r, minimumControlParameter(dl, dr, (yr - yl) / h, preferShape))
}

/**
 * Control parameter r such that the interpolant has second derivative `d2r` at the right end,
 * raised if needed to the shape-preserving minimum.
 *
 * $$r = \frac{\tfrac12 h\,y''_r + (d_r - d_l)}{d_r - (y_r - y_l)/h}$$
 *
 * Verified by spec/core/rationalCubic.spec.ts.
 *
 * Example, from spec/core/rationalCubic.spec.ts:
 * {@includeCode ../../spec/core/rationalCubic.spec.ts#convexControlParameterRight}
 *
 * @category interpolation
 * @since 0.1.0
 */
export const convexControlParameterRight = (
  xl: number,
  xr: number,
  yl: number,
  yr: number,
  dl: number,
  dr: number,
  d2r: number,
  preferShape: boolean,
): number => {
  const h = xr - xl
  const num = 0.5 * h * d2r + (dr - dl)
  const den = dr - (yr - yl) / h
  const r = isZero(num) ? 0 : isZero(den) ? (num > 0 ? R_MAX : R_MIN) : num / den
  return Math.max(r, minimumControlParameter(dl, dr, (yr - yl) / h, preferShape))
}
