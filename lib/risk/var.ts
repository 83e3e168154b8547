/**
 * Value at risk and expected shortfall of a profit-and-loss sample (historical simulation).
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * VaR and ES of a P&L sample, both reported as positive losses in the P&L's unit.
 *
 * @category model
 * @since 0.1.0
 */
export interface TailRisk {
  /** Value at risk at `varConfidence`: the loss not exceeded with that probability. */
  readonly var: number
  /** Confidence of `var` (e.g. 0.99). */
  readonly varConfidence: number
  /** Expected shortfall at `esConfidence`: the mean loss in the worst (1 − c) tail. */
  readonly es: number
  /** Confidence of `es` (e.g. 0.975). */
  readonly esConfidence: number
  /** Number of scenarios. */
  readonly scenarios: number
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/** n·p rounded to 1e-9 so that 100·(1 − 0.99) counts as 1, not 1.0000000000000009. */
const tailCount = (n: number, confidence: number): number => Math.round(n * (1 - confidence) * 1e9) / 1e9

/**
 * Historical-simulation value at risk of a P&L sample (profits positive, losses negative).
 *
 * With the sample sorted ascending x₍₁₎ ≤ … ≤ x₍ₙ₎, tail probability p = 1 − c and w = ⌊np⌋:
 *
 * $$\mathrm{VaR}_c = -x_{(w+1)}$$
 *
 * the empirical p-quantile of Acerbi & Tasche (2002), the same order statistic their ES formula
 * uses, so ES ≥ VaR at the same confidence always holds. Returns NaN for an empty sample or a
 * confidence outside (0, 1). May be negative when even the tail scenario is a profit.
 *
 * Reference: C. Acerbi, D. Tasche (2002), "On the coherence of expected shortfall", Journal of
 * Banking & Finance 26(7), 1487–1503, doi:10.1016/S0378-4266(02)00283-2, Definition 2.6 and
 * Proposition 4.1. Verified by spec/risk/var.spec.ts (hand-worked samples).
 *
 * @example
 * valueAtRisk(Float64Array.from([-5, -3, -1, 0, 2]), 0.8) // 3 (w = ⌊5·0.2⌋ = 1 → −x₍₂₎)
 *
 * @category kernels
 * @since 0.1.0
 */
export const valueAtRiskOfSample = (pnl: Float64Array, confidence: number): number => {
  const n = pnl.length
  if (n === 0 || !(confidence > 0 && confidence < 1)) return NaN
  const sorted = Float64Array.from(pnl).sort()
  const w = Math.floor(tailCount(n, confidence))
  return -(sorted[Math.min(w, n - 1)] as number)
}

/**
 * Historical-simulation expected shortfall (Acerbi & Tasche 2002, eq. (4.2)): with p = 1 − c,
 * w = ⌊np⌋ and the sample sorted ascending,
 *
 * $$\mathrm{ES}_c = -\frac{1}{np}\Big(\sum_{i=1}^{w} x_{(i)} + (np - w)\,x_{(w+1)}\Big)$$
 *
 * a coherent estimator that weights the boundary scenario fractionally, so it is continuous in c
 * and ES_c ≥ VaR_c. NaN for an empty sample or c outside (0, 1).
 *
 * Reference: Acerbi & Tasche (2002), doi:10.1016/S0378-4266(02)00283-2. Verified by
 * spec/risk/var.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const expectedShortfallOfSample = (pnl: Float64Array, confidence: number): number => {
  const n = pnl.length
  if (n === 0 || !(confidence > 0 && confidence < 1)) return NaN
  const sorted = Float64Array.from(pnl).sort()
  const np = tailCount(n, confidence)
  const w = Math.floor(np)
  let s = 0
  for (let i = 0; i < Math.min(w, n); i++) s += sorted[i] as number
  if (w < n) s += (np - w) * (sorted[w] as number)
  return np > 0 ? -s / np : -(sorted[0] as number)
}

/**
 * VaR at `varConfidence` (default 0.99) and ES at `esConfidence` (default 0.975, the Basel FRTB
 * pairing) of one P&L sample.
 *
 * Verified by spec/risk/var.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const tailRisk = (pnl: Float64Array, varConfidence = 0.99, esConfidence = 0.975): TailRisk => ({
  var: valueAtRiskOfSample(pnl, varConfidence),
  varConfidence,
  es: expectedShortfallOfSample(pnl, esConfidence),
  esConfidence,
  scenarios: pnl.length,
})
