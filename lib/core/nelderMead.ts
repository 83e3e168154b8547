/**
 * A deterministic Nelder–Mead simplex minimiser for small (2–6 dimensional) smooth or
 * piecewise-smooth objectives, used for the outer searches of the SVI / SSVI calibrations.
 *
 * @module
 * @since 0.1.0
 */

/**
 * Options of {@link nelderMead}.
 *
 * @category optimisation
 * @since 0.1.0
 */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (a number applies to all). Default 0.1. */
  readonly step?: number | Float64Array
  /** Stop when every vertex is within this distance (∞-norm) of the best vertex. Default 1e-10. */
  readonly xTolerance?: number
  /** …and the objective spread over the simplex is below this. Default 1e-14 · (1 + |f_best|). */
  readonly fTolerance?: number
  /** Hard budget of objective evaluations. Default 200 · dim. */
  readonly maxEvaluations?: number
}

/**
 * Result of {@link nelderMead}.
 *
 * @category optimisation
 * @since 0.1.0
 */
export interface NelderMeadResult {
  /** Best point found. */
  readonly x: Float64Array
  /** Objective at `x`. */
  readonly f: number
  /** Objective evaluations used. */
  readonly evaluations: number
  /** Whether the tolerances were met before the budget ran out. */
  readonly converged: boolean
}

/**
 * Minimises `f` from `x0` by the Nelder–Mead simplex method with the standard coefficients
 * (reflection 1, expansion 2, contraction ½, shrink ½) and the ordering/tie-breaking rules of
 * Lagarias et al. (1998), so the iterates depend only on the inputs (no randomness).
 *
 * `f` may return `Infinity` or `NaN` for infeasible points (treated as +∞: a barrier); the
 * starting point must then be feasible. Convergence: the simplex diameter (∞-norm, relative to
 * the best vertex) below `xTolerance` and the objective spread below `fTolerance`. No global
 * guarantee: callers seed it from a grid.
 *
 * Reference: Nelder & Mead (1965), *Comput. J.* 7:308–313; Lagarias, Reeds, Wright & Wright
 * (1998), *SIAM J. Optim.* 9(1):112–147, §2.
 * Verified by spec/core/leastSquares.spec.ts (Rosenbrock, barrier, determinism).
 *
 * @category optimisation
 * @since 0.1.0
 */
export const nelderMead = (
  f: (x: Float64Array) => number,
  x0: Float64Array,
  options: NelderMeadOptions = {},
): NelderMeadResult => {
  const n = x0.length
  const maxEval = options.maxEvaluations ?? 200 * n
  const xTol = options.xTolerance ?? 1e-10
  const step = options.step ?? 0.1
  const pts: Float64Array[] = []
  const vals = new Float64Array(n + 1)
  let evals = 0
  const ev = (x: Float64Array): number => {
    evals++
    const v = f(x)
    return Number.isNaN(v) ? Infinity : v
  }
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0)
    if (i > 0) p[i - 1] += typeof step === 'number' ? step : step[i - 1]
    pts.push(p)
    vals[i] = ev(p)
  }
  const order = new Int32Array(n + 1)
  const centroid = new Float64Array(n)
  const xr = new Float64Array(n)
  const xe = new Float64Array(n)
  const xc = new Float64Array(n)
  let converged = false
  const sort = (): void => {
    for (let i = 0; i <= n; i++) order[i] = i
    // insertion sort, stable: ties keep the earlier index first
    for (let i = 1; i <= n; i++) {
      const oi = order[i]
      let j = i - 1
      while (j >= 0 && vals[order[j]] > vals[oi]) {
        order[j + 1] = order[j]
        j--
      }
      order[j + 1] = oi
    }
  }
  while (evals < maxEval) {
    sort()
    const best = pts[order[0]]
    const fBest = vals[order[0]]
    const fWorst = vals[order[n]]
    let diam = 0
    for (let i = 1; i <= n; i++) {
      const p = pts[order[i]]
      for (let j = 0; j < n; j++) diam = Math.max(diam, Math.abs(p[j] - best[j]))
    }
    const fTol = options.fTolerance ?? 1e-14 * (1 + Math.abs(fBest))
    if (diam <= xTol && (fWorst - fBest <= fTol || !Number.isFinite(fWorst))) {
      converged = true
      break
    }
    if (diam <= xTol * 1e-3) {
      converged = true
      break
    }
    const worst = pts[order[n]]
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let i = 0; i < n; i++) s += pts[order[i]][j]
      centroid[j] = s / n
    }
    for (let j = 0; j < n; j++) xr[j] = 2 * centroid[j] - worst[j]
    const fr = ev(xr)
    const fSecond = vals[order[n - 1]]
    if (fr < fBest) {
      for (let j = 0; j < n; j++) xe[j] = 3 * centroid[j] - 2 * worst[j]
      const fe = ev(xe)
      if (fe < fr) {
        worst.set(xe)
        vals[order[n]] = fe
      } else {
        worst.set(xr)
        vals[order[n]] = fr
      }
      continue
    }
    if (fr < fSecond) {
      worst.set(xr)
      vals[order[n]] = fr
      continue
    }
    let fc: number
    if (fr < fWorst) {
      for (let j = 0; j < n; j++) xc[j] = 1.5 * centroid[j] - 0.5 * worst[j]
      fc = ev(xc)
      if (fc <= fr) {
        worst.set(xc)
        vals[order[n]] = fc
        continue
      }
    } else {
      for (let j = 0; j < n; j++) xc[j] = 0.5 * centroid[j] + 0.5 * worst[j]
      fc = ev(xc)
      if (fc < fWorst) {
        worst.set(xc)
        vals[order[n]] = fc
        continue
      }
    }
    // shrink towards the best vertex
    for (let i = 1; i <= n; i++) {
      const p = pts[order[i]]
      for (let j = 0; j < n; j++) p[j] = best[j] + 0.5 * (p[j] - best[j])
      vals[order[i]] = ev(p)
    }
  }
  sort()
  return { x: Float64Array.from(pts[order[0]]), f: vals[order[0]], evaluations: evals, converged }
}
