/**
 * A small, allocation-light Levenberg–Marquardt solver for nonlinear least squares with a few
 * parameters (calibration of 2–5 parameter smile models to tens of quotes).
 *
 * Minimises `C(x) = ½ Σᵢ rᵢ(x)²` over `x ∈ ℝⁿ`. Constraints are the caller's business: map a
 * bounded parameter through a transform (`ρ = tanh(a)`, `ν = exp(b)`) inside `residuals`.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A least-squares problem: `nParams` unknowns, `nResiduals` residuals.
 *
 * @category model
 * @since 0.1.0
 */
export interface LeastSquaresProblem {
  /** Number of unknowns n (small: the normal equations are n × n). */
  readonly nParams: number
  /** Number of residuals m. */
  readonly nResiduals: number
  /** Writes r(x) into `out` (length m). Non-finite residuals make a trial step fail. */
  residuals(x: Float64Array, out: Float64Array): void
  /**
   * Optional analytic Jacobian J = ∂r/∂x, row-major m × n, written into `out`; `r` holds r(x).
   * Without it, forward differences with step `√ε · max(|xⱼ|, 1)` are used (central ones with
   * step `ε^(1/3) · max(|xⱼ|, 1)` when `centralDifferences` is set).
   */
  jacobian?(x: Float64Array, r: Float64Array, out: Float64Array): void
}

/**
 * Stopping rules and damping of {@link levenbergMarquardt}.
 *
 * @category model
 * @since 0.1.0
 */
export interface LevenbergMarquardtOptions {
  /** Maximum number of outer iterations (Jacobian evaluations). Default 100. */
  readonly maxIterations: number
  /**
   * Converged when every column of J is orthogonal to r to this cosine:
   * max_j |Jⱼᵀr| / (‖Jⱼ‖ ‖r‖) ≤ gradientTolerance (MINPACK's `gtol`, scale-free). Default 1e-10.
   */
  readonly gradientTolerance: number
  /** Converged when ‖δ‖₂ ≤ stepTolerance · (‖x‖₂ + stepTolerance). Default 1e-13. */
  readonly stepTolerance: number
  /**
   * Converged when an accepted step lowers the cost by ≤ costTolerance · cost. Default 0 (off):
   * a relative cost test only pins the parameters to about √costTolerance.
   */
  readonly costTolerance: number
  /** Converged when the cost is ≤ this absolute value. Default 0. */
  readonly absoluteCost: number
  /** Initial damping μ₀ relative to max diag(JᵀJ). Default 1e-3. */
  readonly initialDamping: number
  /**
   * Central instead of forward differences when no analytic Jacobian is given: twice the
   * residual evaluations, Jacobian error ~ε^(2/3) instead of ~ε^(1/2). With nonzero residuals
   * at the solution the Jacobian error moves the stationary point by about that relative amount.
   * Default false.
   */
  readonly centralDifferences: boolean
}

/**
 * Why {@link levenbergMarquardt} stopped: `'gradient'`, `'step'`, `'cost'` and `'absoluteCost'`
 * are convergence; `'maxIterations'` and `'nonFinite'` (no finite cost at the start) are not.
 *
 * @category model
 * @since 0.1.0
 */
export type LevenbergMarquardtStop =
  'gradient' | 'step' | 'cost' | 'absoluteCost' | 'maxIterations' | 'nonFinite'

/**
 * Outcome of {@link levenbergMarquardt}; the solution itself is written into the caller's `x`.
 *
 * @category model
 * @since 0.1.0
 */
export interface LevenbergMarquardtResult {
  /** Final cost ½‖r‖². */
  readonly cost: number
  /** Outer iterations taken. */
  readonly iterations: number
  /** Residual evaluations taken (including finite-difference columns). */
  readonly evaluations: number
  /** Whether a convergence criterion was met. */
  readonly converged: boolean
  /** Which rule stopped the iteration. */
  readonly stop: LevenbergMarquardtStop
}

/**
 * Preallocated scratch arrays for {@link levenbergMarquardt}; reuse one per (n, m) to make
 * repeated solves allocation-free (apart from the small result object).
 *
 * @category model
 * @since 0.1.0
 */
export interface LevenbergMarquardtWorkspace {
  /** n. */
  readonly nParams: number
  /** m. */
  readonly nResiduals: number
  /** r(x), length m. */
  readonly r: Float64Array
  /** r at the trial point, length m. */
  readonly rTrial: Float64Array
  /** Jacobian, m × n row-major. */
  readonly jac: Float64Array
  /** JᵀJ, n × n. */
  readonly jtj: Float64Array
  /** Damped system / its Cholesky factor, n × n. */
  readonly chol: Float64Array
  /** Jᵀr, length n. */
  readonly grad: Float64Array
  /** Step δ, length n. */
  readonly step: Float64Array
  /** Trial point, length n. */
  readonly xTrial: Float64Array
}

/**
 * Default {@link LevenbergMarquardtOptions}.
 *
 * @category model
 * @since 0.1.0
 */
export const LM_DEFAULTS: LevenbergMarquardtOptions = {
  maxIterations: 100,
  gradientTolerance: 1e-10,
  stepTolerance: 1e-13,
  costTolerance: 0,
  absoluteCost: 0,
  initialDamping: 1e-3,
  centralDifferences: false,
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Allocates a {@link LevenbergMarquardtWorkspace} for n parameters and m residuals.
 *
 * Verified by spec/core/levenbergMarquardt.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const createLevenbergMarquardtWorkspace = (
  nParams: number,
  nResiduals: number,
): LevenbergMarquardtWorkspace => ({
  nParams,
  nResiduals,
  r: new Float64Array(nResiduals),
  rTrial: new Float64Array(nResiduals),
  jac: new Float64Array(nResiduals * nParams),
  jtj: new Float64Array(nParams * nParams),
  chol: new Float64Array(nParams * nParams),
  grad: new Float64Array(nParams),
  step: new Float64Array(nParams),
  xTrial: new Float64Array(nParams),
})

// -------------------------------------------------------------------------------------
// solver
// -------------------------------------------------------------------------------------

const halfSumSquares = (r: Float64Array): number => {
  let s = 0
  for (let i = 0; i < r.length; i++) {
    const v = r[i] as number
    s += v * v
  }
  return 0.5 * s
}

/**
 * Solves (A) δ = −g in place by Cholesky (A symmetric positive definite, n × n in `a`, which is
 * overwritten by its factor). Returns false when A is not numerically positive definite.
 */
const choleskySolveNegated = (a: Float64Array, g: Float64Array, n: number, out: Float64Array): boolean => {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2
    if (!(d > 0)) return false
    const ljj = Math.sqrt(d)
    a[j * n + j] = ljj
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number)
      a[i * n + j] = s / ljj
    }
  }
  // L y = −g
  for (let i = 0; i < n; i++) {
    let s = -(g[i] as number)
    for (let k = 0; k < i; k++) s -= (a[i * n + k] as number) * (out[k] as number)
    out[i] = s / (a[i * n + i] as number)
  }
  // Lᵀ δ = y
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i] as number
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (out[k] as number)
    out[i] = s / (a[i * n + i] as number)
  }
  return true
}

/**
 * Levenberg–Marquardt: from `x` (overwritten with the solution), repeatedly solve
 * ```
 * (JᵀJ + μ D) δ = −Jᵀr,   D = diag(max(diag(JᵀJ), 1e-300))   (Marquardt's scaling)
 * ```
 * accept `x + δ` when it lowers the cost, and update μ by the gain ratio
 * ϱ = (C(x) − C(x+δ)) / (½ δᵀ(μDδ − Jᵀr)): μ ← μ·max(1/3, 1 − (2ϱ − 1)³) on success,
 * μ ← μ·κ, κ ← 2κ on failure (Nielsen's rule).
 *
 * Deterministic: the same problem, start and options give bit-identical output. Allocation:
 * none per iteration when a workspace is passed.
 *
 * Edges: a trial point with a non-finite cost is rejected like an uphill step; a non-finite cost
 * at the start returns `stop: 'nonFinite'` without moving `x`; a singular damped system raises μ.
 *
 * References: K. Levenberg (1944), Quart. Appl. Math. 2, 164–168; D. W. Marquardt (1963), SIAM J.
 * Appl. Math. 11, 431–441; H. B. Nielsen (1999), "Damping parameter in Marquardt's method",
 * IMM-REP-1999-05, DTU; K. Madsen, H. B. Nielsen, O. Tingleff (2004), "Methods for non-linear
 * least squares problems", 2nd ed., Algorithm 3.16.
 *
 * Verified by spec/core/levenbergMarquardt.spec.ts.
 *
 * Example, from spec/core/levenbergMarquardt.spec.ts (`rosenbrock` is the problem defined there):
 * {@includeCode ../../spec/core/levenbergMarquardt.spec.ts#rosenbrock}
 *
 * @category solver
 * @since 0.1.0
 */
export const levenbergMarquardt = (
  problem: LeastSquaresProblem,
  x: Float64Array,
  options: Partial<LevenbergMarquardtOptions> = {},
  workspace?: LevenbergMarquardtWorkspace,
): LevenbergMarquardtResult => {
  const o = { ...LM_DEFAULTS, ...options }
  const n = problem.nParams
  const m = problem.nResiduals
  const ws =
    workspace !== undefined && workspace.nParams === n && workspace.nResiduals === m
      ? workspace
      : createLevenbergMarquardtWorkspace(n, m)
  const { r, rTrial, jac, jtj, chol, grad, step, xTrial } = ws

  let evaluations = 1
  problem.residuals(x, r)
  let cost = halfSumSquares(r)
  if (!Number.isFinite(cost)) return { cost, iterations: 0, evaluations, converged: false, stop: 'nonFinite' }
  if (cost <= o.absoluteCost)
    return { cost, iterations: 0, evaluations, converged: true, stop: 'absoluteCost' }

  let mu = -1
  let kappa = 2
  let iterations = 0
  let fresh = true // whether jac / jtj / grad belong to the current x
  while (iterations < o.maxIterations) {
    if (fresh) {
      iterations++
      // Jacobian
      if (problem.jacobian !== undefined) {
        problem.jacobian(x, r, jac)
      } else {
        for (let j = 0; j < n; j++) {
          const xj = x[j] as number
          if (o.centralDifferences) {
            const h = 6.055454452393343e-6 * Math.max(Math.abs(xj), 1)
            x[j] = xj + h
            const up = (x[j] as number) - xj
            problem.residuals(x, rTrial)
            for (let i = 0; i < m; i++) jac[i * n + j] = rTrial[i] as number
            x[j] = xj - h
            const down = xj - (x[j] as number)
            problem.residuals(x, rTrial)
            evaluations += 2
            for (let i = 0; i < m; i++)
              jac[i * n + j] = ((jac[i * n + j] as number) - (rTrial[i] as number)) / (up + down)
          } else {
            const h = 1.4901161193847656e-8 * Math.max(Math.abs(xj), 1)
            x[j] = xj + h
            const hh = (x[j] as number) - xj // exactly representable step
            problem.residuals(x, rTrial)
            evaluations++
            for (let i = 0; i < m; i++) jac[i * n + j] = ((rTrial[i] as number) - (r[i] as number)) / hh
          }
          x[j] = xj
        }
      }
      // JᵀJ and Jᵀr; the largest cosine between a Jacobian column and r
      const rNorm = Math.sqrt(2 * cost)
      let cosMax = 0
      for (let a = 0; a < n; a++) {
        let g = 0
        for (let i = 0; i < m; i++) g += (jac[i * n + a] as number) * (r[i] as number)
        grad[a] = g
        for (let b = 0; b <= a; b++) {
          let s = 0
          for (let i = 0; i < m; i++) s += (jac[i * n + a] as number) * (jac[i * n + b] as number)
          jtj[a * n + b] = s
          jtj[b * n + a] = s
        }
        const colNorm = Math.sqrt(jtj[a * n + a] as number)
        const cos = colNorm > 0 ? Math.abs(g) / (colNorm * rNorm) : 0
        if (!(cos <= cosMax)) cosMax = cos
      }
      if (cosMax <= o.gradientTolerance)
        return { cost, iterations, evaluations, converged: true, stop: 'gradient' }
      if (mu < 0) {
        let dmax = 0
        for (let a = 0; a < n; a++) dmax = Math.max(dmax, jtj[a * n + a] as number)
        mu = o.initialDamping * (dmax > 0 ? dmax : 1)
      }
      fresh = false
    }
    // damped system
    for (let k = 0; k < n * n; k++) chol[k] = jtj[k] as number
    for (let a = 0; a < n; a++)
      chol[a * n + a] = (jtj[a * n + a] as number) + mu * Math.max(jtj[a * n + a] as number, 1e-300)
    if (!choleskySolveNegated(chol, grad, n, step)) {
      mu *= kappa
      kappa *= 2
      if (!(mu < 1e300)) return { cost, iterations, evaluations, converged: false, stop: 'maxIterations' }
      continue
    }
    let stepNorm = 0
    let xNorm = 0
    let predicted = 0
    for (let a = 0; a < n; a++) {
      const d = step[a] as number
      stepNorm += d * d
      xNorm += (x[a] as number) ** 2
      predicted += d * (mu * Math.max(jtj[a * n + a] as number, 1e-300) * d - (grad[a] as number))
      xTrial[a] = (x[a] as number) + d
    }
    predicted *= 0.5
    stepNorm = Math.sqrt(stepNorm)
    if (stepNorm <= o.stepTolerance * (Math.sqrt(xNorm) + o.stepTolerance)) {
      return { cost, iterations, evaluations, converged: true, stop: 'step' }
    }
    problem.residuals(xTrial, rTrial)
    evaluations++
    const trialCost = halfSumSquares(rTrial)
    const gain = trialCost < Infinity && predicted > 0 ? (cost - trialCost) / predicted : -1
    if (gain > 0) {
      const decrease = cost - trialCost
      for (let a = 0; a < n; a++) x[a] = xTrial[a] as number
      r.set(rTrial)
      cost = trialCost
      mu *= Math.max(1 / 3, 1 - (2 * gain - 1) ** 3)
      kappa = 2
      fresh = true
      if (cost <= o.absoluteCost)
        return { cost, iterations, evaluations, converged: true, stop: 'absoluteCost' }
      if (decrease <= o.costTolerance * (cost + decrease)) {
        return { cost, iterations, evaluations, converged: true, stop: 'cost' }
      }
    } else {
      mu *= kappa
      kappa *= 2
      if (!(mu < 1e300)) return { cost, iterations, evaluations, converged: false, stop: 'maxIterations' }
    }
  }
  return { cost, iterations, evaluations, converged: false, stop: 'maxIterations' }
}
