/**
 * Small dense linear least squares: a pivoted Gaussian solver, weighted normal equations and an
 * exact active-set solver for convex quadratic programmes with a handful of linear inequality
 * constraints (the inner step of the quasi-explicit SVI calibration: 3 unknowns, 6 constraints).
 *
 * All routines work on row-major `Float64Array`s, allocate nothing per call once a
 * {@link QpWorkspace} exists, and return `NaN` / `false` instead of throwing.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// linear systems
// -------------------------------------------------------------------------------------

/**
 * Solves the dense square system `A x = b` (n × n, row-major) by Gaussian elimination with
 * partial pivoting, in place: `A` and `b` are overwritten, the solution is written to `x`.
 *
 * Returns `false` (and leaves `x` unspecified) when a pivot is below `1e-14 · max|A|`, i.e. the
 * matrix is singular to working precision. Cost `n³/3` flops; intended for `n ≤ 10`.
 *
 * Verified by spec/core/leastSquares.spec.ts.
 *
 * @category linear algebra
 * @since 0.1.0
 */
export const solveLinearInPlace = (A: Float64Array, b: Float64Array, n: number, x: Float64Array): boolean => {
  let scale = 0
  for (let i = 0; i < n * n; i++) {
    const v = Math.abs(A[i])
    if (v > scale) scale = v
  }
  if (!(scale > 0) || !Number.isFinite(scale)) return false
  const tiny = 1e-14 * scale
  for (let col = 0; col < n; col++) {
    let piv = col
    let best = Math.abs(A[col * n + col])
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(A[r * n + col])
      if (v > best) {
        best = v
        piv = r
      }
    }
    if (!(best > tiny)) return false
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        const t = A[col * n + c]
        A[col * n + c] = A[piv * n + c]
        A[piv * n + c] = t
      }
      const t = b[col]
      b[col] = b[piv]
      b[piv] = t
    }
    const d = A[col * n + col]
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col] / d
      if (f === 0) continue
      for (let c = col; c < n; c++) A[r * n + c] -= f * A[col * n + c]
      b[r] -= f * b[col]
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]
    for (let c = r + 1; c < n; c++) s -= A[r * n + c] * x[c]
    x[r] = s / A[r * n + r]
  }
  return true
}

/**
 * Weighted linear least squares `min_β Σ_i ω_i (X_i·β − y_i)²` by the normal equations
 * `(XᵀΩX) β = XᵀΩy`, with `X` an `n × p` row-major design matrix.
 *
 * Returns `false` when `XᵀΩX` is singular (fewer than `p` independent rows with positive weight).
 * Accuracy: relative error ≈ κ(X)² · ε; fine for the well-scaled, `p ≤ 5` designs used here.
 * Weights must be ≥ 0 (a zero weight drops the row).
 *
 * Verified by spec/core/leastSquares.spec.ts (recovers exact linear data to 1e-12).
 *
 * @category linear algebra
 * @since 0.1.0
 */
export const weightedLeastSquares = (
  X: Float64Array,
  y: Float64Array,
  weights: Float64Array | undefined,
  n: number,
  p: number,
  beta: Float64Array,
): boolean => {
  const G = new Float64Array(p * p)
  const r = new Float64Array(p)
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    if (w === 0) continue
    for (let a = 0; a < p; a++) {
      const xa = w * X[i * p + a]
      r[a] += xa * y[i]
      for (let c = 0; c < p; c++) G[a * p + c] += xa * X[i * p + c]
    }
  }
  return solveLinearInPlace(G, r, p, beta)
}

// -------------------------------------------------------------------------------------
// inequality-constrained quadratic programmes
// -------------------------------------------------------------------------------------

/**
 * Preallocated scratch space for {@link solveSmallQp}: `dim` unknowns, `m` inequality rows.
 * Create once per problem size and reuse; the active-set list is enumerated here once.
 *
 * @category quadratic programming
 * @since 0.1.0
 */
export interface QpWorkspace {
  /** Number of unknowns. */
  readonly dim: number
  /** Number of inequality constraints. */
  readonly m: number
  /** Candidate active sets as bit masks, by increasing size (∅ first), at most `dim` rows each. */
  readonly subsets: Int32Array
  /** KKT matrix scratch, `(dim + m)²`. */
  readonly kkt: Float64Array
  /** KKT right-hand side scratch. */
  readonly rhs: Float64Array
  /** KKT solution scratch. */
  readonly sol: Float64Array
  /** Best feasible point so far. */
  readonly best: Float64Array
  /**
   * The optimal active set of the previous call (bit mask, −1 = none). {@link solveSmallQp}
   * tries it first: consecutive problems of an outer search usually share their active set, so
   * most calls solve one KKT system. The result does not depend on it (only the work does).
   */
  lastMask: number
}

/**
 * Allocates a {@link QpWorkspace} for `dim` unknowns and `m ≤ 30` constraints.
 *
 * Verified by spec/core/leastSquares.spec.ts.
 *
 * @category quadratic programming
 * @since 0.1.0
 */
export const createQpWorkspace = (dim: number, m: number): QpWorkspace => {
  const masks: number[] = []
  for (let size = 0; size <= Math.min(dim, m); size++) {
    for (let mask = 0; mask < 1 << m; mask++) if (popcount(mask) === size) masks.push(mask)
  }
  const n = dim + m
  return {
    dim,
    m,
    subsets: Int32Array.from(masks),
    kkt: new Float64Array(n * n),
    rhs: new Float64Array(n),
    sol: new Float64Array(n),
    best: new Float64Array(dim),
    lastMask: -1,
  }
}

const popcount = (x: number): number => {
  let c = 0
  while (x !== 0) {
    c += x & 1
    x >>>= 1
  }
  return c
}

/**
 * Exact minimiser of the convex quadratic programme
 *
 * `min_p ½ pᵀ G p − rᵀ p   subject to   C p ≤ h`
 *
 * with `G` (`dim × dim`, symmetric positive definite), `C` (`m × dim`, row-major) and `h` (`m`),
 * by enumeration of active sets of size ≤ `dim` in a fixed order (the previous call's optimal
 * set first, then ∅, singletons, pairs, …).
 * For each set S the equality-constrained KKT system `[G C_Sᵀ; C_S 0][p; μ] = [r; h_S]` is
 * solved; the first point that is primal feasible (`C p ≤ h + tol`) and dual feasible
 * (`μ ≥ −tol`) satisfies the KKT conditions and is therefore the global minimiser. If rounding
 * prevents an exact KKT match, the feasible candidate with the lowest objective is returned.
 *
 * Writes the minimiser to `out` and returns the objective value `½ pᵀGp − rᵀp`, or `NaN` when
 * no candidate is feasible (empty feasible set or singular `G`). Deterministic: the enumeration
 * order is fixed. Cost: at most `Σ_{s ≤ dim} C(m, s)` solves of size `dim + s`
 * (42 solves of size ≤ 6 for `dim = 3, m = 6`), usually 1–4.
 *
 * Reference: Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., §16.5 (active sets).
 * Verified by spec/core/leastSquares.spec.ts (against brute-force grid minimisation).
 *
 * @category quadratic programming
 * @since 0.1.0
 */
export const solveSmallQp = (
  ws: QpWorkspace,
  G: Float64Array,
  r: Float64Array,
  C: Float64Array,
  h: Float64Array,
  out: Float64Array,
): number => {
  const { dim, m, subsets, kkt, rhs, sol, best } = ws
  let gScale = 0
  for (let i = 0; i < dim * dim; i++) gScale = Math.max(gScale, Math.abs(G[i]))
  let bestF = Infinity
  const hint = ws.lastMask
  for (let s = -1; s < subsets.length; s++) {
    const mask = s < 0 ? hint : subsets[s]
    if (mask < 0 || (s >= 0 && mask === hint)) continue
    let na = 0
    for (let j = 0; j < m; j++) if ((mask >> j) & 1) na++
    const n = dim + na
    // assemble KKT
    for (let i = 0; i < n * n; i++) kkt[i] = 0
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) kkt[i * n + j] = G[i * dim + j]
      rhs[i] = r[i]
    }
    let row = dim
    for (let j = 0; j < m; j++) {
      if (((mask >> j) & 1) === 0) continue
      for (let i = 0; i < dim; i++) {
        const c = C[j * dim + i]
        kkt[row * n + i] = c
        kkt[i * n + row] = c
      }
      rhs[row] = h[j]
      row++
    }
    if (!solveLinearInPlace(kkt, rhs, n, sol)) continue
    // primal feasibility
    let feasible = true
    for (let j = 0; j < m && feasible; j++) {
      let cp = 0
      let cs = 0
      for (let i = 0; i < dim; i++) {
        cp += C[j * dim + i] * sol[i]
        cs += Math.abs(C[j * dim + i] * sol[i])
      }
      if (cp - h[j] > 1e-11 * (1 + cs + Math.abs(h[j]))) feasible = false
    }
    if (!feasible) continue
    let f = 0
    for (let i = 0; i < dim; i++) {
      let gi = 0
      for (let j = 0; j < dim; j++) gi += G[i * dim + j] * sol[j]
      f += sol[i] * (0.5 * gi - r[i])
    }
    let dual = true
    for (let q = dim; q < n; q++) if (sol[q] < -1e-10 * (1 + gScale)) dual = false
    if (dual) {
      for (let i = 0; i < dim; i++) out[i] = sol[i]
      ws.lastMask = mask
      return f
    }
    if (f < bestF) {
      bestF = f
      for (let i = 0; i < dim; i++) best[i] = sol[i]
    }
  }
  if (bestF === Infinity) return NaN
  for (let i = 0; i < dim; i++) out[i] = best[i]
  return bestF
}
