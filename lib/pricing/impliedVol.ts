/**
 * Black-76 implied volatility to machine precision: Jäckel's "Let's Be Rational".
 *
 * Symbols: F forward, K strike, T expiry (years), D discount factor, q = +1 call / −1 put,
 * x = ln(F/K), s = σ√T, β = undiscounted out-of-the-money price / √(FK) (normalised price),
 * b(x, s) the normalised Black function of ./normalisedBlack.ts.
 *
 * Pipeline (every entry point): divide the price by D; check intrinsic ≤ price < maximum;
 * convert an in-the-money quote to the out-of-the-money side by put-call parity (a call with
 * K < F becomes the put with price C − (F − K), a put with K > F the call with price
 * P − (K − F)); normalise; solve b(−|x|, s) = β for s with a rational-cubic initial guess in
 * four branches followed by at most two Householder(3) steps on a branch-specific objective;
 * return σ = s/√T.
 *
 * Provenance: the algorithm (branches, transformations f_lower / f_upper, objective functions and
 * their Householder coefficients) is that of P. Jäckel, "Let's Be Rational" (2015) and his
 * reference code (LetsBeRational, "freely granted, provided that this notice is preserved";
 * Python port vollib/py_lets_be_rational); the TypeScript is a rewrite.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { expFast, logFast } from '../core/fastMath.js'
import { erfcx, inverseNormCdfAs241, inverseNormCdfFromLog, normCdf } from '../core/normal.js'
import {
  convexControlParameterLeft,
  convexControlParameterRight,
  rationalCubicInterpolation,
} from '../core/rationalCubic.js'
import { boundRule, invalidInput } from '../domain/errors.js'
import {
  type PricingError,
  priceAboveMaximum,
  priceBelowIntrinsic,
  timeValueBelowResolution,
} from '../domain/pricingErrors.js'
import { decodeImpliedVolInput } from '../domain/pricingInputs.js'
import { Bounds, inBound, type OptionKind } from '../domain/units.js'
import { logMoneyness } from './black76.js'
import { memoVega, normalisedBlackCall, normalisedVega } from './normalisedBlack.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

const EPS = Number.EPSILON
/** The Lagrange weights and the Householder factor multiply by 1/6 rather than divide by 6 (latency). */
const SIXTH = 1 / 6
const MIN_POSITIVE = 2.2250738585072014e-308
const SQRT_MAX = Math.sqrt(Number.MAX_VALUE)
const SQRT_THREE = Math.sqrt(3)
const TWO_PI_OVER_SQRT_27 = (2 * Math.PI) / Math.sqrt(27)
const PI_OVER_SIX = Math.PI / 6
/** 0.075³: below it the cube root of the lower map lies in AS 241's lower tail. */
const LOWER_TAIL_CUBED = 0.075 ** 3
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2)
const SQRT_HALF = Math.SQRT1_2
const ONE_OVER_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI)
const MAX_ITERATIONS = 2
/**
 * Safety net beyond Jäckel's two steps: if the second step still moved s by more than
 * `UNCONVERGED`·s (with fourth-order convergence the remaining error is then not yet ≲ (1e-4)⁴),
 * keep iterating, at most to `MAX_EXTRA_ITERATIONS` steps. Never triggered on the fixture or on
 * 100 000 random options of issue 2's domain; it matters for |ln(F/K)| in the hundreds (a sweep
 * with x = −300, s = 31.6 had 200× the conditioning limit with two steps, 1.9× with the net).
 */
const MAX_EXTRA_ITERATIONS = 8
const UNCONVERGED = 1e-4

/**
 * Relative resolution of the time value: an in-the-money quote whose time value is below
 * `TIME_VALUE_RESOLUTION`·price (64 ulp of the price, i.e. fewer than about six significant bits
 * left in the time value) is rejected with `TimeValueBelowResolution`.
 *
 * @category constants
 * @since 0.1.0
 */
export const TIME_VALUE_RESOLUTION = 64 * EPS

const enum Mode {
  Middle = 0,
  Lower = 1,
  Upper = 2,
}

// Failure codes of the core (negative, so no allocation is needed to signal them).
const BELOW_INTRINSIC = -1
const ABOVE_MAXIMUM = -2
const BELOW_RESOLUTION = -3

// -------------------------------------------------------------------------------------
// normalised inversion
// -------------------------------------------------------------------------------------

const householderFactor = (newton: number, halley: number, hh3: number): number =>
  (1 + 0.5 * halley * newton) / (1 + newton * (halley + hh3 * newton * SIXTH))

// -------------------------------------------------------------------------------------
// lower-branch table
// -------------------------------------------------------------------------------------

/**
 * b_c = b(x, s_c) at s_c = √(2|x|). There h + t = 0, so b_c = ½e^{x/2}(1 − erfcx(√|x|)): one erfcx
 * instead of a full evaluation. The difference loses log₁₀(1/√|x|) digits, harmless for
 * |x| ≥ 0.01 (b_c only places the branches and the interpolation nodes; the final Householder
 * step uses the full-accuracy b); below, the general evaluation is used.
 */
const centralValue = (x: number, sC: number, bMax: number): number =>
  x < -0.01 ? 0.5 * bMax * (1 - erfcx(SQRT_HALF * sC)) : normalisedBlackCall(x, sC)

/** v_c = ∂b/∂s at s_c: e^{x/2}/√(2π) in closed form (h + t = 0), below |x| = 0.01 as evaluated. */
const centralVega = (x: number, sC: number, bMax: number): number =>
  x < -0.01 ? ONE_OVER_SQRT_TWO_PI * bMax : normalisedVega(x, sC)

/** Scratch of {@link lowerMap}: f, df/dβ, d²f/dβ², Φ(−z) (module-level: no per-call allocation). */
const MAP = new Float64Array(4)

/**
 * Lower map f(s) = (2π/√27)|x|Φ(−z)³, z = |x|/(√3 s), and df/dβ, d²f/dβ² at s, into `MAP`.
 * With M = Φ(−z)/φ(z) = √(π/2)·erfcx(z/√2) and φ(z) = e^{−y/2}/√(2π), y = z² (one erfcx, two exp):
 * f' = y·M²·e^{s²/8}, f'' = (π/6)(y/s³)·M·(8√3·s|x| + (3s²(s²−8) − 8x²)M)·e^{3y/2 + s²/4}/√(2π).
 */
const lowerMap = (x: number, s: number): void => {
  const ax = -x
  const z = ax / (SQRT_THREE * s)
  const y = z * z
  const s2 = s * s
  const mills = SQRT_HALF_PI * erfcx(SQRT_HALF * z)
  const eHalfY = Math.exp(-0.5 * y)
  const eS2 = Math.exp(0.125 * s2)
  const phiCdf = mills * ONE_OVER_SQRT_TWO_PI * eHalfY // Φ(−z)
  MAP[2] =
    (((PI_OVER_SIX * y) / (s2 * s)) *
      mills *
      (8 * SQRT_THREE * s * ax + (3 * s2 * (s2 - 8) - 8 * x * x) * mills) *
      ONE_OVER_SQRT_TWO_PI *
      (eS2 * eS2)) /
    (eHalfY * eHalfY * eHalfY)
  MAP[1] = y * mills * mills * eS2
  MAP[0] = TWO_PI_OVER_SQRT_27 * ax * (phiCdf * phiCdf * phiCdf)
  MAP[3] = phiCdf
}

/**
 * U(x, s) = e^{x/2} − b(x, s) = e^{x/2}Φ(−h − t) + e^{−x/2}Φ(h − t) (h = x/s, t = s/2), both terms
 * positive, so relative accuracy even where b is within an ulp of e^{x/2}. Table and top-grid
 * filling only.
 */
const complement = (x: number, s: number): number => {
  const h = x / s
  const t = 0.5 * s
  return Math.exp(0.5 * x) * normCdf(-h - t) + Math.exp(-0.5 * x) * normCdf(h - t)
}

/**
 * The top grid (branch (iv)) covers (e^{x/2} − β)/e^{x/2} ≥ `P_MIN` (s ≲ 11.5 near the money; issue
 * 2's domain reaches 5.6e-7 on the bench).
 */
const LN_P_MIN = Math.log(1e-8)

/** Node spacing of the lower-branch table in s_c = √(2|x|), and its reciprocal. */
const TABLE_STEP = 1 / 16
const TABLE_SCALE = 16
/** The table covers s_c ∈ (0, TABLE_MAX), i.e. |x| < TABLE_MAX²/2 = 512. */
const TABLE_MAX = 32
const TABLE_NODES = TABLE_MAX * TABLE_SCALE + 3
// Columns of a table row.
const LN_B_L = 0
const LN_RATIO = 1
const LN_Y = 2
const SLOPE = 3
const CURVATURE = 4
const S_L = 5
const INV_P_MIN = 6
const NU_MIN = 7
const K_MAP = 8
const R_LC = 9
const G_CH = 10
// 1/(1 − ν_min) and 1/(1 − b_l/b_c), the scales of the grid coordinates q̂ of branches (i) and
// (ii), tabulated so that the guess multiplies instead of dividing (a division is ≈ 13 cycles of
// latency on the guess's dependency chain).
const Q_SCALE_L = 11
const Q_SCALE_M = 12
// K/ln(b(s_min)/b_l): q = 1/√(1 + Kπ) with π = ln(β/b_l)/ln(b(s_min)/b_l) from one interpolated product.
const K_OVER_P = 13
// Branch (iv), β > b_h: ln(U_h/e^{x/2}) with U = e^{x/2} − b (the complement, evaluated without
// cancellation), 1/(ln(U_h/e^{x/2}) − ln P_MIN) (the scale of the top grid's coordinate) and s_h².
const LN_UH = 14
const INV_LMIN = 15
const SH2 = 16
const TABLE_WIDTH = 17

/**
 * The accurate lowest-branch guess covers |h| = |x|/s ≤ `H_MAX` (issue 2's domain has |h| ≤ 6),
 * i.e. s ≥ s_min = |x|/H_MAX, for s_c < `GRID_MAX`.
 */
const H_MAX = 10
const GRID_MAX = 16
const GRID_ROWS = GRID_MAX * TABLE_SCALE + 3
/** Intervals of the grid in the price coordinate q̂ ∈ [0, 1]. */
const Q_INTERVALS = 64
const GRID_COLUMNS = Q_INTERVALS + 1
/**
 * A first Householder(3) step on ln b − ln β from a grid guess (lowest-branch grid: error
 * ≤ 1.6e-6; middle grid: ≤ 6e-6; upper grid: ≤ 5e-6) that moved s by at most this fraction of s is
 * the result: the error left by a step is C·(Δs/s)⁴ with C ≤ 67 below s_c and C ≤ 193 in
 * [s_c, s_h] (measured 2026-12-04 by stepping from s·(1 ± 1e-3) and s·(1 ± 3e-3) at 100 000 random
 * points each with |h| ≤ 10, s ∈ [s_c/50, s_c] and s ∈ [s_c, s_h], s_c ∈ [1e-4, 16]; /tmp harness,
 * not a spec), i.e. ≤ 2e-18, below 1/50 ulp; above s_h (top grid, guesses within 3.7e-6; near grid
 * below s_c = 5/16 within 8.9e-6) C ≤ 776 (100 000 points, s ∈ [s_h, s_h + 7], E > 1e-2,
 * 2026-12-04 16:49 UTC), i.e. ≤ 8e-18. Otherwise the option is solved again by Jäckel's
 * guess and steps. The specs check the result, not C.
 */
const ONE_STEP_TOLERANCE = 1e-5

/**
 * The quantities of the lowest branch that depend on x only (Jäckel 2015, §5: the node at
 * s_l = s_c − b_c/v_c and the transformed map there), evaluated exactly as in the general path,
 * in forms that stay smooth from s_c → 0 to s_c = 32: ln(b_l/s_c²), ln(b_l/f_l), ln y_l
 * with y_l = f_l/((2π/√27)|x|) = Φ(−z_l)³, and in the coordinates β̂ = β/b_l, f̂ = f/f_l the
 * right-end slope b_l f'_l/f_l and curvature b_l² f''_l/f_l; for branch (ii), b_l/(b_c s_c) (smooth
 * as s_c → 0, where b_l ∝ s_c² and b_c ∝ s_c); for branch (iii), b_c/(b_h − b_c). The node at s_c = 0 is the limit,
 * taken at s_c = 1e-6.
 */
const lowerBranchNode = (sC: number, out: Float64Array, k: number): void => {
  const x = -0.5 * sC * sC
  const bMax = Math.exp(0.5 * x)
  const bC = centralValue(x, sC, bMax)
  const sL = sC - bC / centralVega(x, sC, bMax)
  const bL = normalisedBlackCall(x, sL)
  lowerMap(x, sL)
  const sC2 = sC * sC
  out[k + LN_B_L] = Math.log(bL / sC2)
  out[k + LN_RATIO] = Math.log(bL / MAP[0]!)
  out[k + LN_Y] = 3 * Math.log(MAP[3]!)
  out[k + SLOPE] = (bL * MAP[1]!) / MAP[0]!
  out[k + CURVATURE] = (bL * bL * MAP[2]!) / MAP[0]!
  const sMin = -x / H_MAX
  const nuMin = sMin / sL
  out[k + S_L] = sL / sC2
  out[k + INV_P_MIN] = 1 / Math.log(normalisedBlackCall(x, sMin) / bL)
  out[k + NU_MIN] = nuMin
  out[k + K_MAP] = 1 / (nuMin * nuMin) - 1
  out[k + R_LC] = bL / (bC * sC)
  const vC = centralVega(x, sC, bMax)
  const sH = sC + (bMax - bC) / vC
  out[k + G_CH] = bC / (normalisedBlackCall(x, sH) - bC)
  const lnUH = Math.log(complement(x, sH) / bMax)
  out[k + LN_UH] = lnUH
  out[k + INV_LMIN] = 1 / (lnUH - LN_P_MIN)
  out[k + SH2] = sH * sH
  out[k + Q_SCALE_L] = 1 / (1 - nuMin)
  out[k + Q_SCALE_M] = 1 / (1 - bL / bC)
  out[k + K_OVER_P] = out[k + K_MAP]! * out[k + INV_P_MIN]!
}

const TABLE = new Float64Array(TABLE_NODES * TABLE_WIDTH)
/**
 * 1 once a table row is filled. Rows (and grid rows) are filled on first use, so that importing
 * the module costs nothing; a row is a pure function of its index, so results do not depend on
 * the order of calls.
 */
const TABLE_READY = new Uint8Array(TABLE_NODES)

/** Fills table rows j..j+3 where not yet filled. */
const fillTableRows = (j: number): void => {
  for (let i = j; i < j + 4; i++)
    if (TABLE_READY[i] === 0) {
      lowerBranchNode(i === 0 ? 1e-6 : i * TABLE_STEP, TABLE, i * TABLE_WIDTH)
      TABLE_READY[i] = 1
    }
}

/**
 * Reference solution of b(x, s) = e^{lnβ} for the grid from a start s0 within ≈ 1e-3: Householder(3)
 * steps on g = ln b − ln β (g′ = L = b′/b, g″/g′ = b″/b′ − L, g‴/g′ = b‴/b′ − 3L·b″/b′ + 2L²),
 * until a step moves s by less than 1e-5·s (after which the error is below 1e-18).
 */
const referenceLowerInverse = (x: number, lnBeta: number, s0: number): number => {
  let s = s0
  for (let n = 0; n < 20; n++) {
    const b = normalisedBlackCall(x, s)
    const l = normalisedVega(x, s) / b
    const invS = 1 / s
    const hOverS = x * invS * invS
    const bHalley = x * hOverS * invS - 0.25 * s
    const bHh3 = bHalley * bHalley - 3 * hOverS * hOverS - 0.25
    const newton = (lnBeta - Math.log(b)) / l
    let ds = newton * householderFactor(newton, bHalley - l, bHh3 - 3 * l * bHalley + 2 * l * l)
    if (ds < -0.5 * s) ds = -0.5 * s
    s += ds
    if (!(Math.abs(ds) > 1e-5 * s)) break
  }
  return s
}

/**
 * Starting value of a grid fill's solve at node `a[c]`, continued from the `n` nodes already filled
 * at `c − d`, `c − 2d`, `c − 3d` (d = ±1, the fill's direction): 1 (ρ at the row's first node) with
 * none, the previous node with one or two, its quadratic extrapolation with three or more, so that
 * one Householder(3) step of the solve usually converges. Grid fills only (cold code).
 */
const continuedStart = (a: Float64Array, c: number, d: number, n: number): number =>
  n < 1 ? 1 : n < 3 ? a[c - d]! : 3 * a[c - d]! - 3 * a[c - 2 * d]! + a[c - 3 * d]!

/**
 * The accurate lowest-branch guess: with ν = s/s_l, ν_min = s_min/s_l, the price coordinate
 * π = ln(β/b_l)/ln(b(s_min)/b_l) ∈ [0, 1], q = 1/√(1 + Kπ), K = 1/ν_min² − 1 (so that q = ν when
 * ln b ∝ −1/s², the deep-wing shape) and q̂ = (q − ν_min)/(1 − ν_min), the grid holds
 * ρ = ν/q ∈ [0.96, 1.4] at s_c = i/16, q̂ = j/64 from {@link referenceLowerInverse}. With bicubic
 * (4 × 4 Lagrange) interpolation of ρ the guess is within 7e-7 of the exact s for s_c ≥ 1/16 and
 * within 1.6e-6 below, where the first node stands in for the limit s_c → 0 (60 000 random points
 * with |h| ≤ 10, log-uniform s_c ∈ [1e-5, 16], /tmp harness of the 2026-12-04 review).
 */
const GRID = new Float64Array(GRID_ROWS * GRID_COLUMNS)
/** 1 once a grid row is filled (see `TABLE_READY`). */
const GRID_READY = new Uint8Array(GRID_ROWS)

/** Fills grid row i (s_c = i/16; the first row at s_c = 1e-6, the limit s_c → 0); table row i must be filled. */
const fillGridRow = (i: number): void => {
  const sC = i === 0 ? 1e-6 : i * TABLE_STEP
  const x = -0.5 * sC * sC
  const k = i * TABLE_WIDTH
  const sL = TABLE[k + S_L]! * sC * sC
  const lnBL = TABLE[k + LN_B_L]! + Math.log(sC * sC)
  const nuMin = TABLE[k + NU_MIN]!
  // From q̂ = 1 (s = s_l, ρ = 1) down, each solve starting from ρ extrapolated (quadratically)
  // from the previous nodes, so that one Householder(3) step usually converges.
  const g = i * GRID_COLUMNS
  for (let j = Q_INTERVALS; j >= 0; j--) {
    const q = nuMin + (j / Q_INTERVALS) * (1 - nuMin)
    const pi = (1 / (q * q) - 1) / TABLE[k + K_MAP]!
    const rho0 = continuedStart(GRID, g + j, -1, Q_INTERVALS - j)
    GRID[g + j] = referenceLowerInverse(x, lnBL + pi / TABLE[k + INV_P_MIN]!, rho0 * q * sL) / (q * sL)
  }
  GRID_READY[i] = 1
}

/**
 * Middle grid (branch (ii), b_l ≤ β < b_c): 1/ρ, ρ = (β/b_c)/(s/s_c), at s_c = i/16 and
 * q̂ = √((b_l/β − R)/(1 − R)) = j/64, R = b_l/b_c (ρ = 1 at q̂ = 0, s = s_c); 1/ρ rather than ρ so
 * that the guess s = (s_c·R/(b_l/β))·(1/ρ) multiplies after the interpolation. Near the money
 * (s_c → 0) ρ tends to √(2π)β/s, a smooth function of |x|/β (the Bachelier limit), with O(s_c²)
 * corrections on the scale b_l/β − R ≈ R ≈ s_c/5 that the square root resolves (with the coordinate
 * linear in b_l/β the guess errors reached 1e-5 at s_c = 1/16); for large s_c both ratios stay in [0.2, 1]. Exact solutions by
 * {@link referenceLowerInverse}, continued from q̂ = 0. Within 2.3e-6 of the exact s for
 * s_c ≥ 1/16 and 6e-6 below (first node s_c = 1e-6 standing in for s_c → 0), 2026-12-04, 200 000
 * random points, log-uniform s_c ∈ [1e-5, 16], s uniform in [0, s_c] (/tmp harness); with 1/ρ
 * tabulated, first steps |Δs| ≤ 2.2e-6·s for s_c ≥ 1/16 and ≤ 5.9e-6·s below (100 000 points,
 * s uniform in [s_l, s_c], 2026-12-04 16:25 UTC).
 */
const MID = new Float64Array(GRID_ROWS * GRID_COLUMNS)
const MID_READY = new Uint8Array(GRID_ROWS)

/** Fills middle-grid row i; table row i must be filled. */
const fillMiddleRow = (i: number): void => {
  const sC = i === 0 ? 1e-6 : i * TABLE_STEP
  const sC2 = sC * sC
  const x = -0.5 * sC2
  const k = i * TABLE_WIDTH
  const lnBL = TABLE[k + LN_B_L]! + Math.log(sC2)
  const rLC = sC * TABLE[k + R_LC]!
  const g = i * GRID_COLUMNS
  for (let j = 0; j <= Q_INTERVALS; j++) {
    const u = rLC + (j / Q_INTERVALS) * (j / Q_INTERVALS) * (1 - rLC)
    const rho0 = continuedStart(MID, g + j, 1, j)
    const s = referenceLowerInverse(x, lnBL - Math.log(u), (sC * rLC * rho0) / u)
    MID[g + j] = (u * s) / (sC * rLC)
  }
  MID_READY[i] = 1
}

/**
 * Upper grid (branch (iii), b_c ≤ β ≤ b_h): 1/ρ, ρ = (β/b_c)/(s/s_c), at s_c = i/16 and
 * q̂ = √((β/b_c − 1)·G) = j/64, G = b_c/(b_h − b_c); the guess is s = s_c·(β/b_c)·(1/ρ), within
 * 5.7e-6 of the exact s for s_c ≥ 5/16 (first steps on 100 000 random points, 2026-12-04).
 */
const UPPER = new Float64Array(GRID_ROWS * GRID_COLUMNS)
const UPPER_READY = new Uint8Array(GRID_ROWS)

/** Fills upper-grid row i; table row i must be filled. */
const fillUpperRow = (i: number): void => {
  const sC = i === 0 ? 1e-6 : i * TABLE_STEP
  const sC2 = sC * sC
  const x = -0.5 * sC2
  const k = i * TABLE_WIDTH
  const lnBC = TABLE[k + LN_B_L]! + Math.log(sC2) - Math.log(sC * TABLE[k + R_LC]!)
  const gCH = TABLE[k + G_CH]!
  const g = i * GRID_COLUMNS
  for (let j = 0; j <= Q_INTERVALS; j++) {
    const r = 1 + ((j / Q_INTERVALS) * (j / Q_INTERVALS)) / gCH // β/b_c
    const rho0 = continuedStart(UPPER, g + j, 1, j)
    const s = referenceLowerInverse(x, lnBC + Math.log(r), sC * r * rho0)
    UPPER[g + j] = s / (sC * r)
  }
  UPPER_READY[i] = 1
}

/**
 * Top grid (branch (iv), b_h < β < e^{x/2}): with U = e^{x/2} − β and D = ln(U_h/U) ≥ 0, the
 * coordinate q̂ = √(D/(ln(U_h/e^{x/2}) − ln P_MIN)) ∈ [0, 1] and ρ = s/√(s_h² + 8D) (ln U ≈ −s²/8 in
 * the wing, so ρ stays near 1), at s_c = i/16 (row 0 at 1e-6, the limit s_c → 0, where everything is
 * smooth in s_c) and q̂ = j/64. Exact solutions of ln U(s) = ln U by Newton steps on the
 * cancellation-free complement.
 */
const TOP = new Float64Array(GRID_ROWS * GRID_COLUMNS)
const TOP_READY = new Uint8Array(GRID_ROWS)

/** Fills top-grid row i; table row i must be filled. */
const fillTopRow = (i: number): void => {
  const sC = i === 0 ? 1e-6 : i * TABLE_STEP
  const x = -0.5 * sC * sC
  const k = i * TABLE_WIDTH
  const lnBMax = 0.5 * x
  const sH2 = TABLE[k + SH2]!
  const g = i * GRID_COLUMNS
  for (let j = 0; j <= Q_INTERVALS; j++) {
    const d = ((j / Q_INTERVALS) * (j / Q_INTERVALS)) / TABLE[k + INV_LMIN]!
    const lnU = lnBMax + TABLE[k + LN_UH]! - d
    const scale = Math.sqrt(sH2 + 8 * d)
    const rho0 = continuedStart(TOP, g + j, 1, j)
    let s = rho0 * scale
    for (let n = 0; n < 60; n++) {
      const u = complement(x, s)
      // g = ln U(s) − ln U, g′ = −b′/U
      let ds = ((Math.log(u) - lnU) * u) / normalisedVega(x, s)
      if (ds < -0.5 * s) ds = -0.5 * s
      s += ds
      if (!(Math.abs(ds) > 1e-15 * s)) break
    }
    TOP[g + j] = s / scale
  }
  TOP_READY[i] = 1
}

/**
 * Near grid (branch (iii), b_c ≤ β ≤ b_h, for s_c < 5/16, where s/s_c runs from 1 to s_h/s_c ≈ 2.5/s_c
 * and the upper grid's rows cannot resolve the features at s ≈ s_c): rows at s_c = 2^(i/8 − 13)
 * (log-spaced), columns at w = ln(β/b_c)/ln(b_h/b_c) = j/64, holding 1/ρ = (s/s_c)/(β/b_c); in these
 * coordinates both the structure at s ≈ s_c and that at s ≈ s_h have widths of order one in ln s.
 * Each row begins with ln(b_c/s_c) and 1/ln(b_h/b_c). Exact solutions by
 * {@link referenceLowerInverse}, continued from w = 0 (s = s_c).
 */
const NEAR_PER_OCTAVE = 8
const NEAR_OFFSET = 13
const NEAR_ROWS = 96
const NEAR_WIDTH = GRID_COLUMNS + 2
const NEAR = new Float64Array(NEAR_ROWS * NEAR_WIDTH)
const NEAR_READY = new Uint8Array(NEAR_ROWS)
const INV_LN2 = 1 / Math.LN2

/** Fills near-grid row i. */
const fillNearRow = (i: number): void => {
  const sC = 2 ** (i / NEAR_PER_OCTAVE - NEAR_OFFSET)
  const x = -0.5 * sC * sC
  const bMax = Math.exp(0.5 * x)
  const bC = centralValue(x, sC, bMax)
  const vC = centralVega(x, sC, bMax)
  const lnH = Math.log(normalisedBlackCall(x, sC + (bMax - bC) / vC) / bC)
  const lnBC = Math.log(bC)
  const g = i * NEAR_WIDTH
  NEAR[g] = lnBC - Math.log(sC)
  NEAR[g + 1] = 1 / lnH
  for (let j = 0; j <= Q_INTERVALS; j++) {
    const lnR = (1 - (1 - j / Q_INTERVALS) * (1 - j / Q_INTERVALS)) * lnH
    const c = g + 2 + j
    const rho0 = continuedStart(NEAR, c, 1, j)
    const scale = sC * Math.exp(lnR)
    NEAR[c] = referenceLowerInverse(x, lnBC + lnR, rho0 * scale) / scale
  }
  NEAR_READY[i] = 1
}

/**
 * Jäckel's inversion (four-branch rational-cubic guess, the lowest branch's x-only quantities
 * from the table, then Householder(3) steps): for the options outside the grids of
 * {@link normalisedImpliedVolatility} and those whose single step from a grid guess moved s by
 * more than `ONE_STEP_TOLERANCE`·s. Same domain and result as that function.
 */
const generalInversion = (beta: number, x: number): number => {
  if (!(x <= 0)) return NaN
  if (!(beta > 0)) return beta === 0 && x > -Infinity ? 0 : NaN
  const sC = Math.sqrt(-2 * x)
  let s = NaN
  let sLeft = MIN_POSITIVE
  let sRight = Number.MAX_VALUE
  let mode = Mode.Middle
  if (sC > 0 && sC < TABLE_MAX) {
    // Lowest branch with its x-only node quantities from the table: cubic (4-point Lagrange)
    // interpolation in s_c, relative error ≤ 1.3e-6 (Jäckel's guess built on them is good to
    // ≈ 1e-2; the grid guesses of normalisedImpliedVolatility use the same weights). The weights are
    // written out rather than shared through a helper: a helper measured ≈ 5% slower (V8's
    // inlining budget; docs/methodology/implied-vol.md, "Tried and dropped").
    const v = sC * TABLE_SCALE
    const i = Math.floor(v)
    const j = i > 0 ? i - 1 : 0
    const u = v - j
    const u1 = u - 1
    const u2 = u - 2
    const u3 = u - 3
    const w0 = -u1 * u2 * u3 * SIXTH
    const w1 = 0.5 * u * u2 * u3
    const w2 = -0.5 * u * u1 * u3
    const w3 = u * u1 * u2 * SIXTH
    if ((TABLE_READY[j]! & TABLE_READY[j + 1]! & TABLE_READY[j + 2]! & TABLE_READY[j + 3]!) === 0)
      fillTableRows(j)
    const k0 = j * TABLE_WIDTH
    const k1 = k0 + TABLE_WIDTH
    const k2 = k1 + TABLE_WIDTH
    const k3 = k2 + TABLE_WIDTH
    const sC2 = -2 * x
    const lnBLOverSC2 =
      w0 * TABLE[k0 + LN_B_L]! +
      w1 * TABLE[k1 + LN_B_L]! +
      w2 * TABLE[k2 + LN_B_L]! +
      w3 * TABLE[k3 + LN_B_L]!
    const lnBetaOverSC2 = Math.log(beta / sC2)
    if (lnBetaOverSC2 < lnBLOverSC2) {
      const bL = sC2 * Math.exp(lnBLOverSC2)
      const slope =
        w0 * TABLE[k0 + SLOPE]! + w1 * TABLE[k1 + SLOPE]! + w2 * TABLE[k2 + SLOPE]! + w3 * TABLE[k3 + SLOPE]!
      const curvature =
        w0 * TABLE[k0 + CURVATURE]! +
        w1 * TABLE[k1 + CURVATURE]! +
        w2 * TABLE[k2 + CURVATURE]! +
        w3 * TABLE[k3 + CURVATURE]!
      // In β̂ = β/b_l, f̂ = f/f_l: f̂(0) = 0, f̂'(0) = b_l/f_l, f̂(1) = 1, f̂'(1), f̂''(1) (scale-free r).
      const lnY =
        w0 * TABLE[k0 + LN_Y]! + w1 * TABLE[k1 + LN_Y]! + w2 * TABLE[k2 + LN_Y]! + w3 * TABLE[k3 + LN_Y]!
      const ratio = Math.exp(
        w0 * TABLE[k0 + LN_RATIO]! +
          w1 * TABLE[k1 + LN_RATIO]! +
          w2 * TABLE[k2 + LN_RATIO]! +
          w3 * TABLE[k3 + LN_RATIO]!,
      )
      const r = convexControlParameterRight(0, 1, 0, 1, ratio, slope, curvature, true)
      const t = beta / bL
      let f = rationalCubicInterpolation(t, 0, 1, 0, 1, ratio, slope, r)
      if (!(f > 0)) f = (t + ratio * (1 - t)) * t
      const zL = inverseNormCdfFromLog((lnY + Math.log(f)) / 3)
      s = f > 0 ? Math.abs(x / (SQRT_THREE * zL)) : 0
      mode = Mode.Lower
      sRight = sC
    }
  }
  const bMax = mode === Mode.Middle ? Math.exp(0.5 * x) : 0
  if (mode === Mode.Middle) {
    if (!(beta < bMax)) return NaN
    const bC = centralValue(x, sC, bMax)
    const vC = centralVega(x, sC, bMax)
    if (beta < bC) {
      const sL = sC - bC / vC
      const bL = normalisedBlackCall(x, sL)
      if (beta < bL) {
        lowerMap(x, sL)
        const fL = MAP[0]!
        const df = MAP[1]!
        const d2f = MAP[2]!
        const r = convexControlParameterRight(0, bL, 0, fL, 1, df, d2f, true)
        let f = rationalCubicInterpolation(beta, 0, bL, 0, fL, 1, df, r)
        if (!(f > 0)) {
          // Round-off for extreme |x|: quadratic through f(0) = 0, f'(0) = 1 and f(b_l).
          const u = beta / bL
          f = (fL * u + bL * (1 - u)) * u
        }
        // Φ⁻¹(∛y): in AS 241's tail (∛y < 0.075) straight from ln(y)/3, without the cube root.
        const y3 = f / (TWO_PI_OVER_SQRT_27 * -x)
        const zL =
          y3 < LOWER_TAIL_CUBED ? inverseNormCdfFromLog(Math.log(y3) / 3) : inverseNormCdfAs241(Math.cbrt(y3))
        s = f > 0 ? Math.abs(x / (SQRT_THREE * zL)) : 0
        sRight = sL
        mode = Mode.Lower
      } else {
        const vL = normalisedVega(x, sL)
        const r = convexControlParameterRight(bL, bC, sL, sC, 1 / vL, 1 / vC, 0, false)
        s = rationalCubicInterpolation(beta, bL, bC, sL, sC, 1 / vL, 1 / vC, r)
        sLeft = sL
        sRight = sC
      }
    } else {
      const sH = vC > MIN_POSITIVE ? sC + (bMax - bC) / vC : sC
      const bH = normalisedBlackCall(x, sH)
      if (beta <= bH) {
        const vH = normalisedVega(x, sH)
        const r = convexControlParameterLeft(bC, bH, sC, sH, 1 / vC, 1 / vH, 0, false)
        s = rationalCubicInterpolation(beta, bC, bH, sC, sH, 1 / vC, 1 / vH, r)
        sLeft = sC
        sRight = sH
      } else {
        // Upper map f(s) = Φ(−s/2), and df/dβ, d²f/dβ² at s_h.
        const fH = normCdf(-0.5 * sH)
        let df = -0.5
        let d2f = 0
        if (x !== 0) {
          const w = (x / sH) * (x / sH)
          df = -0.5 * Math.exp(0.5 * w)
          d2f = (SQRT_HALF_PI * Math.exp(w + 0.125 * sH * sH) * w) / sH
        }
        let f = NaN
        if (d2f > -SQRT_MAX && d2f < SQRT_MAX) {
          const r = convexControlParameterLeft(bH, bMax, fH, 0, df, -0.5, d2f, true)
          f = rationalCubicInterpolation(beta, bH, bMax, fH, 0, df, -0.5, r)
        }
        if (!(f > 0)) {
          // Quadratic through f(b_h), f(b_max) = 0 and f'(b_max) = −½.
          const hh = bMax - bH
          const u = (beta - bH) / hh
          f = (fH * (1 - u) + 0.5 * hh * u) * (1 - u)
        }
        s = -2 * inverseNormCdfAs241(f)
        sLeft = sH
        if (beta > 0.5 * bMax) mode = Mode.Upper
      }
    }
  }
  // Householder(3) steps: s ← s + ν(1 + ην/2)/(1 + ν(η + θν/6)), ν = −g/g', η = g''/g', θ = g'''/g'.
  const lnBeta = mode === Mode.Lower ? Math.log(beta) : 0
  const invLnBeta = 1 / lnBeta
  let ds = -Number.MAX_VALUE
  let dsPrevious = 0
  let reversals = 0
  for (
    let iteration = 0;
    (iteration < MAX_ITERATIONS || (iteration < MAX_EXTRA_ITERATIONS && Math.abs(ds) > UNCONVERGED * s)) &&
    Math.abs(ds) > EPS * s;
    iteration++
  ) {
    if (ds * dsPrevious < 0) reversals++
    if (iteration > 0 && (reversals === 3 || !(s > sLeft && s < sRight))) {
      s = 0.5 * (sLeft + sRight)
      if (sRight - sLeft <= EPS * s) break
      reversals = 0
      ds = 0
    }
    dsPrevious = ds
    const b = normalisedBlackCall(x, s)
    const bp = normalisedVega(x, s)
    if (b > beta && s < sRight) sRight = s
    else if (b < beta && s > sLeft) sLeft = s
    // Divisions are the slow links of this dependency chain: one 1/s serves h, b''/b' and b'''/b'.
    const invS = 1 / s
    const hOverS = x * invS * invS // h/s
    const bHalley = x * hOverS * invS - 0.25 * s // b''/b' = h²/s − s/4
    const bHh3 = bHalley * bHalley - 3 * hOverS * hOverS - 0.25 // b'''/b'
    if (mode === Mode.Lower) {
      // g = 1/ln b − 1/ln β
      if (b <= 0 || bp <= 0) ds = 0.5 * (sLeft + sRight) - s
      else {
        const lnB = Math.log(b)
        const invLnB = 1 / lnB
        const bpob = bp / b
        const k = 1 + 2 * invLnB
        const newton = ((lnBeta - lnB) * lnB * invLnBeta) / bpob
        const halley = bHalley - bpob * k
        const hh3 = bHh3 + 2 * bpob * bpob * (1 + 3 * invLnB * (1 + invLnB)) - 3 * bHalley * bpob * k
        ds = newton * householderFactor(newton, halley, hh3)
      }
    } else if (mode === Mode.Upper) {
      // g = ln((b_max − β)/(b_max − b))
      if (b >= bMax || bp <= MIN_POSITIVE) ds = 0.5 * (sLeft + sRight) - s
      else {
        const bMaxMinusB = bMax - b
        const g = Math.log((bMax - beta) / bMaxMinusB)
        const gp = bp / bMaxMinusB
        const newton = -g / gp
        ds = newton * householderFactor(newton, bHalley + gp, bHh3 + gp * (2 * gp + 3 * bHalley))
      }
    } else {
      // g = b − β
      const newton = (beta - b) / bp
      ds = newton * householderFactor(newton, bHalley, bHh3)
    }
    if (ds < -0.5 * s) ds = -0.5 * s
    s += ds
  }
  return s
}

/**
 * Arguments (β, x) and result s of {@link solveIO}, which is too large for V8 to inline: passed
 * through a typed array, no double is boxed across the call.
 */
const IO = new Float64Array(3)

/** {@link normalisedImpliedVolatility} of IO[0] = β, IO[1] = x, into IO[2]. */

const solveIO = (): void => {
  const beta = IO[0]!
  const x = IO[1]!
  if (!(x <= 0)) {
    IO[2] = NaN
    return
  }
  if (!(beta > 0)) {
    IO[2] = beta === 0 && x > -Infinity ? 0 : NaN
    return
  }
  const sC = Math.sqrt(-2 * x)
  if (!(sC > 0 && sC < GRID_MAX)) {
    IO[2] = generalInversion(beta, x)
    return
  }
  // The x-only quantities from the table: cubic (4-point Lagrange) interpolation in s_c. The
  // Lagrange weights here and in q̂ below are written out rather than shared through a helper: a
  // helper measured ≈ 5% slower (V8's inlining budget; docs/methodology/implied-vol.md).
  const v = sC * TABLE_SCALE
  const i = Math.floor(v)
  const j = i > 0 ? i - 1 : 0
  const u = v - j
  const u1 = u - 1
  const u2 = u - 2
  const u3 = u - 3
  const w0 = u1 * u2 * (u3 * -SIXTH)
  const w1 = 0.5 * u * (u2 * u3)
  const w2 = -0.5 * u * (u1 * u3)
  const w3 = u * u1 * (u2 * SIXTH)
  if ((TABLE_READY[j]! & TABLE_READY[j + 1]! & TABLE_READY[j + 2]! & TABLE_READY[j + 3]!) === 0)
    fillTableRows(j)
  const k0 = j * TABLE_WIDTH
  const k1 = k0 + TABLE_WIDTH
  const k2 = k1 + TABLE_WIDTH
  const k3 = k2 + TABLE_WIDTH
  const sC2 = -2 * x
  const lnBLOverSC2 =
    w0 * TABLE[k0 + LN_B_L]! +
    w1 * TABLE[k1 + LN_B_L]! +
    (w2 * TABLE[k2 + LN_B_L]! + w3 * TABLE[k3 + LN_B_L]!)
  // Everything up to the guess s takes its logarithm and exponential from lib/core/fastMath.ts
  // (inlined; within 1.1e-16 absolute and 2 ulp) rather than Math.log/Math.exp (calls into C): they
  // only place the guess, and the accepted result is decided by the step below (`npx tsx bench/ab.ts`
  // against 51ffb0d, with memoVega and 1/√T below: 0.97–0.98 of the time; docs/methodology/
  // implied-vol.md). β/s_c² is subnormal only for β < 2⁻¹⁰¹⁴, outside logFast's domain.
  const betaOverSC2 = beta / sC2
  const lnBetaOverSC2 = betaOverSC2 >= MIN_POSITIVE ? logFast(betaOverSC2) : Math.log(betaOverSC2)
  let s: number
  if (lnBetaOverSC2 < lnBLOverSC2) {
    // Branch (i), β < b_l (decided on the interpolated b_l).
    // Accurate guess: bicubic interpolation of ρ = ν/q on the grid. π ≤ 1 (|h| ≤ H_MAX) is tested
    // as q ≥ ν_min, i.e. q̂ ≥ 0.
    const nuMin =
      w0 * TABLE[k0 + NU_MIN]! +
      w1 * TABLE[k1 + NU_MIN]! +
      w2 * TABLE[k2 + NU_MIN]! +
      w3 * TABLE[k3 + NU_MIN]!
    const qq =
      1 +
      (lnBetaOverSC2 - lnBLOverSC2) *
        (w0 * TABLE[k0 + K_OVER_P]! +
          w1 * TABLE[k1 + K_OVER_P]! +
          w2 * TABLE[k2 + K_OVER_P]! +
          w3 * TABLE[k3 + K_OVER_P]!)
    // q = 1/√qq as √qq·(1/qq): the square root and the division run in parallel
    const q = Math.sqrt(qq) * (1 / qq)
    const vq =
      (q - nuMin) *
      (Q_INTERVALS *
        (w0 * TABLE[k0 + Q_SCALE_L]! +
          w1 * TABLE[k1 + Q_SCALE_L]! +
          w2 * TABLE[k2 + Q_SCALE_L]! +
          w3 * TABLE[k3 + Q_SCALE_L]!))
    if (!(vq >= 0)) {
      IO[2] = generalInversion(beta, x) // π > 1, i.e. |h| > H_MAX
      return
    }
    const iq = Math.floor(vq)
    const jq = iq < 1 ? 0 : iq > Q_INTERVALS - 2 ? Q_INTERVALS - 3 : iq - 1
    const z = vq - jq
    const z1 = z - 1
    const z2 = z - 2
    const z3 = z - 3
    const a0 = z1 * z2 * (z3 * -SIXTH)
    const a1 = 0.5 * z * (z2 * z3)
    const a2 = -0.5 * z * (z1 * z3)
    const a3 = z * z1 * (z2 * SIXTH)
    if ((GRID_READY[j]! & GRID_READY[j + 1]! & GRID_READY[j + 2]! & GRID_READY[j + 3]!) === 0)
      for (let row = j; row < j + 4; row++) if (GRID_READY[row] === 0) fillGridRow(row)
    const g0 = j * GRID_COLUMNS + jq
    const g1 = g0 + GRID_COLUMNS
    const g2 = g1 + GRID_COLUMNS
    const g3 = g2 + GRID_COLUMNS
    const c0 = w0 * GRID[g0]! + w1 * GRID[g1]! + (w2 * GRID[g2]! + w3 * GRID[g3]!)
    const c1 = w0 * GRID[g0 + 1]! + w1 * GRID[g1 + 1]! + (w2 * GRID[g2 + 1]! + w3 * GRID[g3 + 1]!)
    const c2 = w0 * GRID[g0 + 2]! + w1 * GRID[g1 + 2]! + (w2 * GRID[g2 + 2]! + w3 * GRID[g3 + 2]!)
    const c3 = w0 * GRID[g0 + 3]! + w1 * GRID[g1 + 3]! + (w2 * GRID[g2 + 3]! + w3 * GRID[g3 + 3]!)
    const rho = a0 * c0 + a1 * c1 + (a2 * c2 + a3 * c3)
    s =
      rho *
      (q *
        sC2 *
        (w0 * TABLE[k0 + S_L]! + w1 * TABLE[k1 + S_L]! + w2 * TABLE[k2 + S_L]! + w3 * TABLE[k3 + S_L]!))
  } else {
    // Branch (ii), b_l ≤ β < b_c, from the middle grid: u = b_l/β, R = b_l/b_c, q̂ = √((u − R)/(1 − R)).
    const rLC =
      sC * (w0 * TABLE[k0 + R_LC]! + w1 * TABLE[k1 + R_LC]! + w2 * TABLE[k2 + R_LC]! + w3 * TABLE[k3 + R_LC]!)
    const bLOverBeta = expFast(lnBLOverSC2 - lnBetaOverSC2)
    if (!(bLOverBeta > rLC)) {
      // Branch (iii), b_c ≤ β ≤ b_h, from the upper grid: q̂ = √((β/b_c − 1)·G), G = b_c/(b_h − b_c).
      const betaOverBC = rLC / bLOverBeta
      const p =
        (betaOverBC - 1) *
        (w0 * TABLE[k0 + G_CH]! + w1 * TABLE[k1 + G_CH]! + w2 * TABLE[k2 + G_CH]! + w3 * TABLE[k3 + G_CH]!)
      // s_c < 5/16: the near grid's coordinate w = ln(β/b_c)/ln(b_h/b_c) (rows in log₂ s_c), which
      // also decides branch (iv) there (the table's b_c/(b_h − b_c) is not accurate enough near s_c → 0)
      let wq = NaN
      let lnR = 0
      let m0 = 0
      let n0 = 0
      let n1 = 0
      let n2 = 0
      let n3 = 0
      if (j < 4) {
        // s_c < 5/16, from the near grid: rows in log₂ s_c, w = ln(β/b_c)/ln(b_h/b_c).
        const lnSC = 0.5 * Math.log(sC2)
        const vn = (lnSC * INV_LN2 + NEAR_OFFSET) * NEAR_PER_OCTAVE
        if (!(vn >= 0)) {
          IO[2] = generalInversion(beta, x) // s_c < 2⁻¹³
          return
        }
        const iN = Math.floor(vn)
        const jN = iN > 0 ? iN - 1 : 0
        const e = vn - jN
        const e1 = e - 1
        const e2 = e - 2
        const e3 = e - 3
        n0 = e1 * e2 * (e3 * -SIXTH)
        n1 = 0.5 * e * (e2 * e3)
        n2 = -0.5 * e * (e1 * e3)
        n3 = e * e1 * (e2 * SIXTH)
        if ((NEAR_READY[jN]! & NEAR_READY[jN + 1]! & NEAR_READY[jN + 2]! & NEAR_READY[jN + 3]!) === 0)
          for (let row = jN; row < jN + 4; row++) if (NEAR_READY[row] === 0) fillNearRow(row)
        m0 = jN * NEAR_WIDTH
        const m1 = m0 + NEAR_WIDTH
        const m2 = m1 + NEAR_WIDTH
        const m3 = m2 + NEAR_WIDTH
        lnR = lnBetaOverSC2 + lnSC - (n0 * NEAR[m0]! + n1 * NEAR[m1]! + (n2 * NEAR[m2]! + n3 * NEAR[m3]!))
        wq = lnR * (n0 * NEAR[m0 + 1]! + n1 * NEAR[m1 + 1]! + (n2 * NEAR[m2 + 1]! + n3 * NEAR[m3 + 1]!))
      }
      if (j < 4 ? !(wq <= 1) : !(p <= 1)) {
        // Branch (iv), β > b_h, from the top grid: D = ln(U_h/U), U = e^{x/2} − β,
        // q̂ = √(D/(ln(U_h/e^{x/2}) − ln P_MIN)), s = ρ·√(s_h² + 8D).
        const dd =
          w0 * TABLE[k0 + LN_UH]! +
          w1 * TABLE[k1 + LN_UH]! +
          (w2 * TABLE[k2 + LN_UH]! + w3 * TABLE[k3 + LN_UH]!) -
          Math.log(1 - beta * Math.exp(0.25 * sC2))
        const d = dd > 0 ? dd : 0
        const vq =
          Math.sqrt(
            d *
              (w0 * TABLE[k0 + INV_LMIN]! +
                w1 * TABLE[k1 + INV_LMIN]! +
                (w2 * TABLE[k2 + INV_LMIN]! + w3 * TABLE[k3 + INV_LMIN]!)),
          ) * Q_INTERVALS
        if (!(vq <= Q_INTERVALS)) {
          IO[2] = generalInversion(beta, x) // (e^{x/2} − β)/e^{x/2} < P_MIN, or β ≥ e^{x/2}
          return
        }
        const iq = Math.floor(vq)
        const jq = iq < 1 ? 0 : iq > Q_INTERVALS - 2 ? Q_INTERVALS - 3 : iq - 1
        const z = vq - jq
        const z1 = z - 1
        const z2 = z - 2
        const z3 = z - 3
        const a0 = z1 * z2 * (z3 * -SIXTH)
        const a1 = 0.5 * z * (z2 * z3)
        const a2 = -0.5 * z * (z1 * z3)
        const a3 = z * z1 * (z2 * SIXTH)
        if ((TOP_READY[j]! & TOP_READY[j + 1]! & TOP_READY[j + 2]! & TOP_READY[j + 3]!) === 0)
          for (let row = j; row < j + 4; row++) if (TOP_READY[row] === 0) fillTopRow(row)
        const g0 = j * GRID_COLUMNS + jq
        const g1 = g0 + GRID_COLUMNS
        const g2 = g1 + GRID_COLUMNS
        const g3 = g2 + GRID_COLUMNS
        const c0 = w0 * TOP[g0]! + w1 * TOP[g1]! + (w2 * TOP[g2]! + w3 * TOP[g3]!)
        const c1 = w0 * TOP[g0 + 1]! + w1 * TOP[g1 + 1]! + (w2 * TOP[g2 + 1]! + w3 * TOP[g3 + 1]!)
        const c2 = w0 * TOP[g0 + 2]! + w1 * TOP[g1 + 2]! + (w2 * TOP[g2 + 2]! + w3 * TOP[g3 + 2]!)
        const c3 = w0 * TOP[g0 + 3]! + w1 * TOP[g1 + 3]! + (w2 * TOP[g2 + 3]! + w3 * TOP[g3 + 3]!)
        const rho = a0 * c0 + a1 * c1 + (a2 * c2 + a3 * c3)
        s =
          rho *
          Math.sqrt(
            w0 * TABLE[k0 + SH2]! +
              w1 * TABLE[k1 + SH2]! +
              (w2 * TABLE[k2 + SH2]! + w3 * TABLE[k3 + SH2]!) +
              8 * d,
          )
      } else if (j < 4) {
        const vq = wq > 0 ? (wq < 1 ? (1 - Math.sqrt(1 - wq)) * Q_INTERVALS : Q_INTERVALS) : 0
        const iq = Math.floor(vq)
        const jq = iq < 1 ? 0 : iq > Q_INTERVALS - 2 ? Q_INTERVALS - 3 : iq - 1
        const z = vq - jq
        const z1 = z - 1
        const z2 = z - 2
        const z3 = z - 3
        const a0 = z1 * z2 * (z3 * -SIXTH)
        const a1 = 0.5 * z * (z2 * z3)
        const a2 = -0.5 * z * (z1 * z3)
        const a3 = z * z1 * (z2 * SIXTH)
        const g0 = m0 + 2 + jq
        const g1 = g0 + NEAR_WIDTH
        const g2 = g1 + NEAR_WIDTH
        const g3 = g2 + NEAR_WIDTH
        const c0 = n0 * NEAR[g0]! + n1 * NEAR[g1]! + (n2 * NEAR[g2]! + n3 * NEAR[g3]!)
        const c1 = n0 * NEAR[g0 + 1]! + n1 * NEAR[g1 + 1]! + (n2 * NEAR[g2 + 1]! + n3 * NEAR[g3 + 1]!)
        const c2 = n0 * NEAR[g0 + 2]! + n1 * NEAR[g1 + 2]! + (n2 * NEAR[g2 + 2]! + n3 * NEAR[g3 + 2]!)
        const c3 = n0 * NEAR[g0 + 3]! + n1 * NEAR[g1 + 3]! + (n2 * NEAR[g2 + 3]! + n3 * NEAR[g3 + 3]!)
        s = sC * Math.exp(lnR) * (a0 * c0 + a1 * c1 + (a2 * c2 + a3 * c3))
      } else {
        const vq = Math.sqrt(p > 0 ? p : 0) * Q_INTERVALS
        const iq = Math.floor(vq)
        const jq = iq < 1 ? 0 : iq > Q_INTERVALS - 2 ? Q_INTERVALS - 3 : iq - 1
        const z = vq - jq
        const z1 = z - 1
        const z2 = z - 2
        const z3 = z - 3
        const a0 = z1 * z2 * (z3 * -SIXTH)
        const a1 = 0.5 * z * (z2 * z3)
        const a2 = -0.5 * z * (z1 * z3)
        const a3 = z * z1 * (z2 * SIXTH)
        if ((UPPER_READY[j]! & UPPER_READY[j + 1]! & UPPER_READY[j + 2]! & UPPER_READY[j + 3]!) === 0)
          for (let row = j; row < j + 4; row++) if (UPPER_READY[row] === 0) fillUpperRow(row)
        const g0 = j * GRID_COLUMNS + jq
        const g1 = g0 + GRID_COLUMNS
        const g2 = g1 + GRID_COLUMNS
        const g3 = g2 + GRID_COLUMNS
        const c0 = w0 * UPPER[g0]! + w1 * UPPER[g1]! + (w2 * UPPER[g2]! + w3 * UPPER[g3]!)
        const c1 = w0 * UPPER[g0 + 1]! + w1 * UPPER[g1 + 1]! + (w2 * UPPER[g2 + 1]! + w3 * UPPER[g3 + 1]!)
        const c2 = w0 * UPPER[g0 + 2]! + w1 * UPPER[g1 + 2]! + (w2 * UPPER[g2 + 2]! + w3 * UPPER[g3 + 2]!)
        const c3 = w0 * UPPER[g0 + 3]! + w1 * UPPER[g1 + 3]! + (w2 * UPPER[g2 + 3]! + w3 * UPPER[g3 + 3]!)
        const rho = a0 * c0 + a1 * c1 + (a2 * c2 + a3 * c3)
        s = sC * betaOverBC * rho
      }
    } else {
      const vq =
        Math.sqrt(
          (bLOverBeta - rLC) *
            (w0 * TABLE[k0 + Q_SCALE_M]! +
              w1 * TABLE[k1 + Q_SCALE_M]! +
              w2 * TABLE[k2 + Q_SCALE_M]! +
              w3 * TABLE[k3 + Q_SCALE_M]!),
        ) * Q_INTERVALS
      const iq = Math.floor(vq)
      const jq = iq < 1 ? 0 : iq > Q_INTERVALS - 2 ? Q_INTERVALS - 3 : iq - 1
      const z = vq - jq
      const z1 = z - 1
      const z2 = z - 2
      const z3 = z - 3
      const a0 = z1 * z2 * (z3 * -SIXTH)
      const a1 = 0.5 * z * (z2 * z3)
      const a2 = -0.5 * z * (z1 * z3)
      const a3 = z * z1 * (z2 * SIXTH)
      if ((MID_READY[j]! & MID_READY[j + 1]! & MID_READY[j + 2]! & MID_READY[j + 3]!) === 0)
        for (let row = j; row < j + 4; row++) if (MID_READY[row] === 0) fillMiddleRow(row)
      const g0 = j * GRID_COLUMNS + jq
      const g1 = g0 + GRID_COLUMNS
      const g2 = g1 + GRID_COLUMNS
      const g3 = g2 + GRID_COLUMNS
      const c0 = w0 * MID[g0]! + w1 * MID[g1]! + (w2 * MID[g2]! + w3 * MID[g3]!)
      const c1 = w0 * MID[g0 + 1]! + w1 * MID[g1 + 1]! + (w2 * MID[g2 + 1]! + w3 * MID[g3 + 1]!)
      const c2 = w0 * MID[g0 + 2]! + w1 * MID[g1 + 2]! + (w2 * MID[g2 + 2]! + w3 * MID[g3 + 2]!)
      const c3 = w0 * MID[g0 + 3]! + w1 * MID[g1 + 3]! + (w2 * MID[g2 + 3]! + w3 * MID[g3 + 3]!)
      const rho = a0 * c0 + a1 * c1 + (a2 * c2 + a3 * c3)
      s = ((sC * rLC) / bLOverBeta) * rho
    }
  }
  // One Householder(3) step on g = ln b − ln β: ν = −g/g′ with ln(β/b) = log1p(d), d = (β − b)/b,
  // as a series while |d| < 1e-3 (no logarithm of b, none of β), g′ = b′/b, g″/g′ = b″/b′ − b′/b,
  // g‴/g′ = b‴/b′ − 3(b′/b)(b″/b′) + 2(b′/b)²; b″/b′ = x²/s³ − s/4, b‴/b′ = (b″/b′)² − 3x²/s⁴ − ¼.
  const b = normalisedBlackCall(x, s)
  // b′ from b's memo (the same double as normalisedVega(x, s)): normalisedVega itself would not fit
  // the inlining budget that normalisedBlackCall, logFast and expFast leave
  let bp = memoVega(x, s)
  if (!(bp >= 0)) bp = normalisedVega(x, s)
  if (b > 0 && bp > 0) {
    const invS = 1 / s
    const hOverS = x * invS * invS
    const bHalley = x * hOverS * invS - 0.25 * s
    const bHh3 = bHalley * bHalley - 3 * hOverS * hOverS - 0.25
    const invB = 1 / b
    // ν = ln(β/b)/(b′/b) = n0·log1p(d)/d with n0 = (β − b)/b′ (its division in parallel with 1/b);
    // log1p(d)/d to d⁴ (Estrin): the truncation, < |d|⁵/6 < 2e-16 relative, moves an accepted
    // s + Δs (|Δs| ≤ 1e-5·s) by < 2e-21 relative.
    const n0 = (beta - b) / bp
    const d = (beta - b) * invB
    const l = bp * invB
    const halley = bHalley - l
    const hh3 = (bHh3 - 3 * l * bHalley + 2 * l * l) * SIXTH
    let newton: number
    if (d < 1e-3 && d > -1e-3) {
      const d2 = d * d
      newton = n0 * (1 - 0.5 * d + d2 * (1 / 3 - 0.25 * d + 0.2 * d2))
    } else newton = Math.log(beta * invB) / l
    const n2 = newton * newton
    // Householder(3): Δs = ν(1 + ην/2)/(1 + ην + θν²/6), numerator and denominator in parallel
    const ds = (newton + 0.5 * halley * n2) / (1 + halley * newton + hh3 * n2)
    const s1 = s + ds
    // The error left is C·(Δs/s)⁴, C ≤ 193 (`ONE_STEP_TOLERANCE`); otherwise start again, Jäckel's way.
    if (Math.abs(ds) <= ONE_STEP_TOLERANCE * s1) {
      IO[2] = s1
      return
    }
  }
  IO[2] = generalInversion(beta, x)
}

/**
 * Normalised implied volatility s = σ√T of an out-of-the-money option: the s ≥ 0 with
 * b(x, s) = β.
 *
 * $$b(x, s) = e^{x/2}\Phi\!\left(\tfrac xs + \tfrac s2\right) - e^{-x/2}\Phi\!\left(\tfrac xs - \tfrac s2\right) = \beta,\qquad x \le 0$$
 *
 * Domain: x ≤ 0 (a call with K ≥ F, or — by reciprocal symmetry — a put with K ≤ F written as
 * x = ln(K/F)), 0 ≤ β < e^{x/2}. Returns 0 for β = 0 and NaN outside the domain.
 *
 * **Method.** Jäckel (2015) §4–6: with s_c = √(2|x|) (the inflexion point of b in s) and the
 * tangent points s_l = s_c − b_c/v_c, s_h = s_c + (e^{x/2} − b_c)/v_c, four branches:
 * (i) β < b_l: rational cubic in the transformed variable f = (2π/√27)|x|Φ(−|x|/(√3 s))³, then
 * inverted in closed form; objective 1/ln b − 1/ln β; (ii) b_l ≤ β < b_c and (iii) b_c ≤ β ≤ b_h:
 * rational cubic of s(β) matching slopes 1/vega and zero curvature at s_c; objective b − β;
 * (iv) β > b_h: rational cubic in f = Φ(−s/2), inverted as s = −2Φ⁻¹(f); objective
 * ln((e^{x/2} − β)/(e^{x/2} − b)) when β > e^{x/2}/2. Then at most two Householder(3) steps
 * (fourth-order convergence), with a bracket and bisection fallback for pathological input.
 *
 * Departures for speed, in branches (i)–(iii) (82%, 16% and 2% of issue 2's options). Everything
 * that depends on x only (b_l, b_l/b_c, b_c/(b_h − b_c), the transformed map and its derivatives at s_l) is
 * interpolated from a table in s_c (1/16 grid, s_c < 32, cubic, within 1.3e-6 of direct
 * evaluation) instead of erfcx/b evaluations per option. In branch (i), for |h| = |x|/s ≤ 10 with
 * s_c < 16, the rational-cubic guess (good to ≈ 1e-2) is replaced by a bicubic interpolation, on a
 * 1/16 × 1/64 grid in (s_c, q̂), of the exact ρ = s/(q·s_l), where q = 1/√(1 + Kπ) is the exact
 * ν = s/s_l of a b ∝ e^{−x²/(2s²)} wing and π = ln(β/b_l)/ln(b(|x|/10)/b_l) (within 7e-7 of the
 * exact s for s_c ≥ 1/16, 1.6e-6 below). In branch (ii) (b_l ≤ β < b_c), for s_c < 16, a second
 * grid holds 1/ρ, ρ = (β/b_c)/(s/s_c), at q̂ = √((b_l/β − R)/(1 − R)), R = b_l/b_c (within 2.3e-6
 * of the exact s for s_c ≥ 1/16, 6e-6 below). In branch (iii) (b_c ≤ β ≤ b_h), for 5/16 ≤ s_c < 16,
 * a third grid holds the same 1/ρ at q̂ = √((β/b_c − 1)·b_c/(b_h − b_c)) (within 5.7e-6; below
 * s_c = 5/16 its s_c → 0 limit has features on the scale s ≈ s_c that the grid does not resolve);
 * for 2⁻¹³ ≤ s_c < 5/16 a near grid with rows log-spaced in s_c (8 per octave) holds 1/ρ at
 * q̂ = 1 − √(1 − w), w = ln(β/b_c)/ln(b_h/b_c) (first steps within 8.9e-6, 100 000 random points). In
 * branch (iv) (b_h < β < e^{x/2}, (e^{x/2} − β)/e^{x/2} ≥ 1e-8) a top grid holds ρ = s/√(s_h² + 8D),
 * D = ln(U_h/U), U = e^{x/2} − β, at q̂ = √(D/(ln(U_h/e^{x/2}) + ln 1e8)) (first steps within 3.7e-6).
 * From any grid guess one Householder(3) step on ln b − ln β is taken (ln(β/b) as a log1p series
 * of (β − b)/b, no logarithm), and that is the result if it moved s by at most
 * `ONE_STEP_TOLERANCE` = 1e-5 of s (the error of the step is C·(Δs/s)⁴, C ≤ 193 measured, so
 * ≤ 2e-18); otherwise, and outside the grids, Jäckel's guess and steps. Table and grid rows are
 * filled on first use (a row is a pure function of its index: results do not depend on the call
 * order).
 * Accuracy: see {@link impliedVol}.
 *
 * **References.** P. Jäckel (2015), "Let's Be Rational", Wilmott 2015(75), 40–53,
 * doi:10.1002/wilm.10395, §§4–6, eqs. (4.1)–(6.5). R. Delbourgo, J. A. Gregory (1985),
 * doi:10.1137/0906065.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * Example, from spec/pricing/impliedVol.spec.ts:
 * {@includeCode ../../spec/pricing/impliedVol.spec.ts#normalisedImpliedVolatility}
 *
 * @category normalised
 * @since 0.1.0
 */
export const normalisedImpliedVolatility = (beta: number, x: number): number => {
  IO[0] = beta
  IO[1] = x
  solveIO()
  return IO[2]!
}

// -------------------------------------------------------------------------------------
// core
// -------------------------------------------------------------------------------------

/** σ ≥ 0, or a negative failure code, or NaN for inputs outside the domain. No allocation. */
const impliedVolCore = (
  q: number,
  price: number,
  forward: number,
  strike: number,
  expiry: number,
  discount: number,
): number => {
  if (
    !(
      forward > 0 &&
      forward < Infinity &&
      strike > 0 &&
      strike < Infinity &&
      expiry > 0 &&
      expiry < Infinity
    ) ||
    !(price >= 0 && price < Infinity && discount > 0 && discount < Infinity) ||
    !(q === 1 || q === -1)
  )
    return NaN
  // Bounds are checked on the discounted price, as Black-76 values are produced (D·(intrinsic +
  // time value) ≥ fl(D·intrinsic) by monotone rounding), so a computed price never fails them.
  const intrinsic = q * (forward - strike)
  const maximum = q > 0 ? forward : strike
  if (intrinsic > 0 && price < discount * intrinsic) return BELOW_INTRINSIC
  if (price >= discount * maximum) return ABOVE_MAXIMUM
  const p = price / discount
  if (p >= maximum) return ABOVE_MAXIMUM
  const x = logMoneyness(forward, strike)
  if (!(x > -Infinity && x < Infinity)) return BELOW_RESOLUTION
  // Out-of-the-money side by put-call parity: time value, and the normalised call form at −|x|.
  const qx = q * x
  const timeValue = qx > 0 ? p - intrinsic : p
  if (timeValue === 0 || (intrinsic > 0 && price === discount * intrinsic)) return 0
  const beta = timeValue / Math.sqrt(forward * strike)
  if ((qx > 0 && timeValue < TIME_VALUE_RESOLUTION * p) || timeValue < MIN_POSITIVE || beta < MIN_POSITIVE)
    return BELOW_RESOLUTION
  // σ = s/√T as s·(1/√T): the reciprocal is ready long before s, so the division leaves the
  // dependency chain (one more rounding: ≤ 0.5 ulp, measured 1.90 → 1.93ε(1 + 1/E) at worst)
  const invSqrtT = 1 / Math.sqrt(expiry)
  IO[0] = beta
  IO[1] = qx > 0 ? -qx : qx
  solveIO()
  const s = IO[2]!
  if (!(s >= 0 && s < Infinity)) return BELOW_RESOLUTION
  return s * invSqrtT
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/**
 * Implied volatility, positional kernel for hot loops: no allocation, NaN when not invertible.
 *
 * $$\sigma:\quad D\sqrt{FK}\,b\bigl(q\ln(F/K),\ \sigma\sqrt T\bigr) = \text{price}$$
 *
 * Arguments: `q` = 1 call / −1 put; `price` discounted, in the currency of F and K; `expiry` in
 * years (ACT/365); `discount` D ∈ (0, ∞). Returns σ as an annualised decimal.
 *
 * Returns NaN when any input is outside F, K, T ∈ (0, ∞), price ∈ [0, ∞), D ∈ (0, ∞), or when
 * {@link impliedVol} would return a `Left` (below intrinsic, at/above the maximum, time value
 * below resolution). A price equal to the discounted intrinsic value gives 0.
 *
 * Method and accuracy: as {@link impliedVol}.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * Example, from spec/pricing/impliedVol.spec.ts:
 * {@includeCode ../../spec/pricing/impliedVol.spec.ts#impliedVolUnsafe}
 *
 * @category kernels
 * @since 0.1.0
 */
export const impliedVolUnsafe = (
  q: 1 | -1,
  price: number,
  forward: number,
  strike: number,
  expiry: number,
  discount: number,
): number => {
  const v = impliedVolCore(q, price, forward, strike, expiry, discount)
  return v >= 0 ? v : NaN
}

/**
 * Columns for {@link impliedVolBatch}: one entry per option, all of the same length.
 *
 * @category model
 * @since 0.1.0
 */
export interface ImpliedVolColumns {
  /** 1 for a call, −1 for a put. */
  readonly kinds: Int8Array
  /** Discounted option prices. */
  readonly prices: Float64Array
  /** Forwards F > 0. */
  readonly forwards: Float64Array
  /** Strikes K > 0. */
  readonly strikes: Float64Array
  /** Expiries in years, > 0. */
  readonly expiries: Float64Array
  /** Discount factors D > 0; when absent every D is 1. */
  readonly discounts?: Float64Array
}

/**
 * Implied volatilities of a whole chain, written into `out` (same length as the columns; NaN
 * where not invertible, exactly as {@link impliedVolUnsafe}). Returns `out`.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * Example, from spec/pricing/impliedVol.spec.ts:
 * {@includeCode ../../spec/pricing/impliedVol.spec.ts#impliedVolBatch}
 *
 * @category kernels
 * @since 0.1.0
 */
export const impliedVolBatch = (columns: ImpliedVolColumns, out: Float64Array): Float64Array => {
  const { kinds, prices, forwards, strikes, expiries, discounts } = columns
  const n = out.length
  for (let i = 0; i < n; i++) {
    const v = impliedVolCore(
      kinds[i]!,
      prices[i]!,
      forwards[i]!,
      strikes[i]!,
      expiries[i]!,
      discounts === undefined ? 1 : discounts[i]!,
    )
    out[i] = v >= 0 ? v : NaN
  }
  return out
}

// -------------------------------------------------------------------------------------
// checked
// -------------------------------------------------------------------------------------

/**
 * Parameters of {@link impliedVol}.
 *
 * @category model
 * @since 0.1.0
 */
export interface ImpliedVolParams {
  /** `'call'` or `'put'`. */
  readonly kind: OptionKind
  /** Forward F > 0, in the quote currency. */
  readonly forward: number
  /** Strike K > 0, in the quote currency. */
  readonly strike: number
  /** Time to expiry in years (ACT/365), > 0. */
  readonly expiry: number
  /** Discounted option price ≥ 0, in the quote currency. */
  readonly price: number
  /** Discount factor D ∈ (0, ∞); default 1. */
  readonly discount?: number
}

/**
 * Black-76 implied volatility (Let's Be Rational), with typed errors; never NaN or negative.
 *
 * $$\sigma \ge 0:\quad D\,\bigl[qF\Phi(qd_1) - qK\Phi(qd_2)\bigr] = \text{price},\quad d_{1,2} = \frac{\ln(F/K)}{\sigma\sqrt T} \pm \frac{\sigma\sqrt T}2$$
 *
 * Units: prices in the currency of F and K (discounted), expiry in years, σ annualised decimal.
 *
 * Errors (`Left`):
 * - `InvalidInput` naming the field and the bound from `Bounds`: forward, strike, expiry in
 *   (0, ∞); price in [0, ∞); discount in (0, ∞); kind `'call' | 'put'`.
 * - `PriceBelowIntrinsic`: price < D·max(q(F − K), 0).
 * - `PriceAboveMaximum`: price ≥ D·F (call) or D·K (put).
 * - `TimeValueBelowResolution`: in the money with time value < {@link TIME_VALUE_RESOLUTION}·price,
 *   or a time value (absolute or normalised) below the smallest normal double (≈ 2.2e-308),
 *   where a double no longer has 53 significant bits.
 *
 * Edges: price = intrinsic (time value exactly 0) gives `Right(0)`; T → 0 or far wings are fine
 * as long as the time value is representable.
 *
 * **Method.** Divide by D; convert in-the-money quotes to the out-of-the-money side by put-call
 * parity (time value = price/D − q(F − K), one subtraction); normalise by √(FK); solve with
 * {@link normalisedImpliedVolatility} (Jäckel 2015: four-branch rational cubic initial guess,
 * two Householder(3) steps; in branches (i) (|h| ≤ 10), (ii), (iii) (s_c ≥ 2⁻¹³) and (iv) for s_c < 16 a
 * tabulated guess, and only one step when that step moves s by at most 1e-5·s); σ = s/√T. x = ln(F/K) by the
 * compensated `logMoneyness`.
 *
 * **Accuracy.** Measured on 6000 options of issue 2's domain (F ∈ [0.01, 2e5], T ∈ [15 min, 5 y],
 * σ ∈ [2%, 500%], |ln(K/F)| ≤ 6σ√T, calls and puts, D ∈ {1} ∪ [0.6, 1.1]) against the exact
 * (100-digit mpmath) implied vol of the same double price. With E = σ·vega/price (the vol
 * elasticity of the price; one ulp of price moves σ by ≈ 2⁻⁵³/E), the relative error is
 * at most 1.9·ε·(1 + 1/E), ε = 2⁻⁵², on every invertible row (the conditioning limit of a double
 * price; the spec asserts 4ε(1 + 1/E)), and
 * ≤ 1e-13 (measured max 8.6e-14, 99th percentile 2.7e-14) wherever the price carries the
 * information, defined as E ≥ 1e-3; figures and the command in docs/methodology/implied-vol.md.
 *
 * **References.** P. Jäckel (2015), "Let's Be Rational", Wilmott 2015(75), 40–53,
 * doi:10.1002/wilm.10395. F. Black (1976), doi:10.1016/0304-405X(76)90024-6.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * Example, from spec/pricing/impliedVol.spec.ts:
 * {@includeCode ../../spec/pricing/impliedVol.spec.ts#impliedVol}
 *
 * @category implied volatility
 * @since 0.1.0
 */
export const impliedVol = (params: ImpliedVolParams): E.Either<PricingError, number> => {
  const { kind, forward, strike, expiry, price } = params
  const discount = params.discount ?? 1
  if (kind !== 'call' && kind !== 'put') return E.left(invalidInput('kind', kind, "must be 'call' or 'put'"))
  if (!inBound(Bounds.positive, forward))
    return E.left(invalidInput('forward', forward, boundRule(Bounds.positive)))
  if (!inBound(Bounds.positive, strike))
    return E.left(invalidInput('strike', strike, boundRule(Bounds.positive)))
  if (!inBound(Bounds.positive, expiry))
    return E.left(invalidInput('expiry', expiry, boundRule(Bounds.positive)))
  if (!inBound(Bounds.nonNegative, price))
    return E.left(invalidInput('price', price, boundRule(Bounds.nonNegative)))
  if (!inBound(Bounds.discount, discount))
    return E.left(invalidInput('discount', discount, boundRule(Bounds.discount)))
  const q = kind === 'call' ? 1 : -1
  const v = impliedVolCore(q, price, forward, strike, expiry, discount)
  if (v >= 0) return E.right(v)
  const intrinsic = Math.max(q * (forward - strike), 0)
  if (v === BELOW_INTRINSIC) return E.left(priceBelowIntrinsic(price, discount * intrinsic))
  if (v === ABOVE_MAXIMUM) return E.left(priceAboveMaximum(price, discount * (q > 0 ? forward : strike)))
  return E.left(timeValueBelowResolution(price, price - discount * intrinsic, TIME_VALUE_RESOLUTION))
}

/**
 * {@link impliedVol} on unknown input: decodes with the io-ts codec `ImpliedVolInput`
 * (lib/domain/pricingInputs.ts), reporting every offending field, then inverts.
 *
 * Errors: the `InvalidInput`s of decoding (one per field, rule printed from `Bounds`), or the
 * single `PricingError` of {@link impliedVol}.
 *
 * Verified by spec/pricing/impliedVol.spec.ts.
 *
 * Example, from spec/pricing/impliedVol.spec.ts:
 * {@includeCode ../../spec/pricing/impliedVol.spec.ts#impliedVolChecked}
 *
 * @category implied volatility
 * @since 0.1.0
 */
export const impliedVolChecked = (input: unknown): E.Either<readonly PricingError[], number> => {
  const decoded = decodeImpliedVolInput(input)
  if (E.isLeft(decoded)) return decoded
  const r = impliedVol(decoded.right)
  return E.isLeft(r) ? E.left([r.left]) : r
}
