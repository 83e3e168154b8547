/**
 * Calendar arbitrage between SVI slices: detection on a strike grid and a repair for SVI
 * slices that are used across expiries. (Butterfly checks live with the slice kernels in
 * `svi.ts`: `durrlemanG`, `sviMinDurrlemanG`.)
 *
 * ```ts
 * calendarViolations(sliceA: SviParams, sliceB: SviParams, kGrid: Float64Array): CalendarCheck
 * calendarGrid(kMin, kMax, n?): Float64Array
 * repairCalendarSvi(slices: SviCalendarSlice[], kGrid, options?): CalendarRepair
 * ```
 *
 * @module
 * @since 0.1.0
 */
import {
  refitSviConstrained,
  type SviParams,
  sviButterflyGrid,
  sviMinDurrlemanG,
  sviTotalVariance,
} from './svi.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Result of {@link calendarViolations}: where the later slice's total variance lies below the
 * earlier one's.
 *
 * @category model
 * @since 0.1.0
 */
export interface CalendarCheck {
  /** Number of grid nodes with `w_B(k) < w_A(k)`. */
  readonly count: number
  /** Indices into the grid of those nodes. */
  readonly indices: readonly number[]
  /** `min_k (w_B(k) − w_A(k))` over the grid (≥ 0 ⇔ no violation on the grid). */
  readonly minGap: number
  /** Where the minimum gap is. */
  readonly kAtMinGap: number
}

/**
 * One SVI slice for {@link repairCalendarSvi}: its expiry, parameters and (optionally) the
 * data it was fitted to, which the repair stays close to.
 *
 * @category model
 * @since 0.1.0
 */
export interface SviCalendarSlice {
  /** Time to expiry, years. */
  readonly expiry: number
  /** Fitted raw SVI parameters. */
  readonly params: SviParams
  /** Data log-moneyness (default: 41 nodes of the slice itself over the grid's middle half). */
  readonly k?: Float64Array
  /** Data total variance. */
  readonly w?: Float64Array
  /** Data weights. */
  readonly weights?: Float64Array
}

/**
 * Result of {@link repairCalendarSvi}, in ascending expiry.
 *
 * @category model
 * @since 0.1.0
 */
export interface CalendarRepair {
  /** Expiries, ascending. */
  readonly expiries: readonly number[]
  /** Repaired parameters (unchanged where no violation was found). */
  readonly params: readonly SviParams[]
  /** Whether each slice was changed. */
  readonly repaired: readonly boolean[]
  /** Minimum over consecutive pairs of `min_k (w_{j+1} − w_j)` on the grid after repair. */
  readonly minGap: number
  /** Whether every consecutive pair is calendar-free on the grid and every slice butterfly-free. */
  readonly arbitrageFree: boolean
  /** What was done, per slice. */
  readonly notes: readonly string[]
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/**
 * Calendar check of two raw SVI slices with `T_A < T_B`: total variance must not decrease with
 * expiry at fixed log-moneyness, `w_B(k) ≥ w_A(k)` for every `k` (Gatheral & Jacquier 2014,
 * Lemma 2.1 / Definition 2.1, for forwards that do not jump). Evaluated on `kGrid`; a node with
 * `w_B(k) < w_A(k)` is a violation. Pure, O(grid).
 *
 * Verified by spec/surface/arbitrage.spec.ts.
 *
 * Example, from spec/surface/arbitrage.spec.ts (slices `A`, `B` defined there):
 * {@includeCode ../../spec/surface/arbitrage.spec.ts#calendarViolations}
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const calendarViolations = (
  sliceA: SviParams,
  sliceB: SviParams,
  kGrid: Float64Array,
): CalendarCheck => {
  const indices: number[] = []
  let minGap = Infinity
  let kAt = NaN
  for (let i = 0; i < kGrid.length; i++) {
    const gap = sviTotalVariance(sliceB, kGrid[i]) - sviTotalVariance(sliceA, kGrid[i])
    if (gap < 0) indices.push(i)
    if (gap < minGap) {
      minGap = gap
      kAt = kGrid[i]
    }
  }
  return { count: indices.length, indices, minGap, kAtMinGap: kAt }
}

/**
 * A calendar check grid: `n` (default 401) uniform nodes on `[kMin − L, kMax + L]` with
 * `L = max(kMax − kMin, 0.5)`, i.e. the quoted range and as much again on each side.
 *
 * Verified by spec/surface/arbitrage.spec.ts.
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const calendarGrid = (kMin: number, kMax: number, n = 401): Float64Array => {
  const L = Math.max(kMax - kMin, 0.5)
  const lo = kMin - L
  const hi = kMax + L
  return Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1))
}

// -------------------------------------------------------------------------------------
// repair
// -------------------------------------------------------------------------------------

/**
 * Repairs calendar arbitrage in a set of SVI slices used across expiries.
 *
 * **Method.** Slices are processed in ascending expiry; the earliest is kept. For each later
 * slice that crosses below its (already repaired) predecessor somewhere on `kGrid`, the slice is
 * refitted to its own data by {@link refitSviConstrained} with the predecessor's total variance
 * on `kGrid` as a floor (`w_j(k) ≥ w_{j−1}(k)`) and `g ≥ 0` as constraints, starting from the
 * slice itself, then (if that fails) from the slice raised by the largest deficit
 * (`a + max_k(w_{j−1} − w_j)`), which satisfies the floor.
 * If the refit cannot meet both constraints, the raised slice is used when it is butterfly-free;
 * otherwise the predecessor's slice itself (`w_j := w_{j−1}`, zero forward variance between
 * the two expiries: calendar- and butterfly-safe, but flat in time) and the note says so —
 * callers may then prefer the SSVI surface (`fitSsvi`), which is calendar-free by construction.
 * Slices without data are fitted to 41 samples of themselves over the middle half of `kGrid`.
 *
 * Guarantees on `kGrid`: `minGap ≥ 0` and every returned slice butterfly-free on its check grid
 * (`arbitrageFree` reports both). Between grid nodes the calendar condition holds up to the
 * interpolation error of two smooth curves (choose the grid dense enough for the slices' σ).
 *
 * Reference: Gatheral & Jacquier (2014), §2 (calendar spread arbitrage, Lemma 2.1) and §5
 * (their repair interpolates towards an SSVI surface; ours is a constrained refit).
 * Verified by spec/surface/arbitrage.spec.ts.
 *
 * Example, from spec/surface/arbitrage.spec.ts:
 * {@includeCode ../../spec/surface/arbitrage.spec.ts#repairCalendarSvi}
 *
 * @category arbitrage
 * @since 0.1.0
 */
export const repairCalendarSvi = (
  slices: readonly SviCalendarSlice[],
  kGrid: Float64Array,
  options: { readonly maxWingSlope?: number } = {},
): CalendarRepair => {
  const order = slices.map((_, i) => i).sort((p, q) => slices[p].expiry - slices[q].expiry || p - q)
  const params: SviParams[] = []
  const repaired: boolean[] = []
  const notes: string[] = []
  const gLo = kGrid.length > 0 ? kGrid[0] : -1
  const gHi = kGrid.length > 0 ? kGrid[kGrid.length - 1] : 1
  for (let j = 0; j < order.length; j++) {
    const s = slices[order[j]]
    const k =
      s.k ??
      Float64Array.from({ length: 41 }, (_, i) => gLo + 0.25 * (gHi - gLo) + (0.5 * (gHi - gLo) * i) / 40)
    const w = s.w ?? k.map((x) => sviTotalVariance(s.params, x))
    let kMin = Infinity
    let kMax = -Infinity
    for (let i = 0; i < k.length; i++) {
      kMin = Math.min(kMin, k[i])
      kMax = Math.max(kMax, k[i])
    }
    if (j === 0) {
      params.push(s.params)
      repaired.push(false)
      notes.push(`T=${s.expiry}: first expiry, kept`)
      continue
    }
    const prev = params[j - 1]
    const check = calendarViolations(prev, s.params, kGrid)
    if (check.count === 0) {
      params.push(s.params)
      repaired.push(false)
      notes.push(`T=${s.expiry}: no calendar violation`)
      continue
    }
    const floorW = kGrid.map((x) => sviTotalVariance(prev, x))
    const raised: SviParams = { ...s.params, a: s.params.a - check.minGap * (1 + 1e-12) + 1e-15 }
    const refitFrom = (start: SviParams): ReturnType<typeof refitSviConstrained> =>
      refitSviConstrained({
        start,
        k,
        w,
        weights: s.weights,
        kMin,
        kMax,
        floor: { k: kGrid, w: floorW },
        maxWingSlope: options.maxWingSlope,
      })
    let refit = refitFrom(s.params)
    if (!refit.feasible) refit = refitFrom(raised)
    repaired.push(true)
    const worst = `min gap ${check.minGap.toExponential(3)} at k=${check.kAtMinGap.toPrecision(4)} on ${check.count} nodes`
    if (refit.feasible) {
      params.push(refit.params)
      notes.push(`T=${s.expiry}: calendar violation (${worst}) repaired by constrained refit`)
    } else if (
      calendarViolations(prev, raised, kGrid).count === 0 &&
      sviMinDurrlemanG(raised, sviButterflyGrid(raised, kMin, kMax)).minG >= 0
    ) {
      params.push(raised)
      notes.push(`T=${s.expiry}: calendar violation (${worst}) repaired by raising the level a`)
    } else {
      params.push(prev)
      notes.push(
        `T=${s.expiry}: calendar violation (${worst}) could not be repaired within SVI; the previous slice is used (consider SSVI)`,
      )
    }
  }
  let minGap = Infinity
  let ok = true
  for (let j = 1; j < params.length; j++) {
    const c = calendarViolations(params[j - 1], params[j], kGrid)
    minGap = Math.min(minGap, c.minGap)
    if (c.count > 0) ok = false
  }
  for (const p of params) if (!(sviMinDurrlemanG(p, sviButterflyGrid(p, gLo, gHi)).minG >= 0)) ok = false
  return { expiries: order.map((i) => slices[i].expiry), params, repaired, minGap, arbitrageFree: ok, notes }
}
