/**
 * Kupiec's proportion-of-failures (POF) test for VaR backtests.
 *
 * @module
 * @since 0.1.0
 */
import { erfc } from '../core/normal.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Result of the POF test.
 *
 * @category model
 * @since 0.1.0
 */
export interface KupiecResult {
  /** Number of exceptions (losses beyond VaR). */
  readonly exceptions: number
  /** Number of observations. */
  readonly observations: number
  /** Expected exception probability p = 1 − confidence. */
  readonly expectedRate: number
  /** Likelihood-ratio statistic, χ²(1) under the null. */
  readonly statistic: number
  /** p-value P(χ²₁ ≥ statistic). */
  readonly pValue: number
  /** Whether the model is rejected at `significance`. */
  readonly rejected: boolean
  /** Test size used for `rejected` (default 0.05). */
  readonly significance: number
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

const xlogy = (x: number, y: number): number => (x === 0 ? 0 : x * Math.log(y))

/**
 * Kupiec (1995) likelihood ratio for x exceptions in T observations at exception rate p:
 *
 * $$LR_{POF} = -2\ln\big[(1-p)^{T-x}p^{x}\big] + 2\ln\big[(1-\tfrac{x}{T})^{T-x}(\tfrac{x}{T})^{x}\big]$$
 *
 * χ²(1)-distributed under the null that the VaR model is calibrated; its p-value is
 * erfc(√(LR/2)). With 0·ln 0 = 0, x = 0 and x = T are handled exactly.
 *
 * Reference: P. Kupiec (1995), "Techniques for verifying the accuracy of risk measurement models",
 * Journal of Derivatives 3(2), 73–84, doi:10.3905/jod.1995.407942. Verified by
 * spec/risk/kupiec.spec.ts against the non-rejection regions of P. Jorion, Value at Risk, 3rd ed.
 * (2007), Table 6-3.
 *
 * @category kernels
 * @since 0.1.0
 */
export const kupiecPof = (
  exceptions: number,
  observations: number,
  expectedRate: number,
  significance = 0.05,
): KupiecResult => {
  const x = exceptions
  const T = observations
  const p = expectedRate
  const phat = T > 0 ? x / T : NaN
  const lr = -2 * (xlogy(T - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(T - x, 1 - phat) + xlogy(x, phat))
  const stat = Math.max(lr, 0)
  const pValue = erfc(Math.sqrt(stat / 2))
  return {
    exceptions: x,
    observations: T,
    expectedRate: p,
    statistic: stat,
    pValue,
    rejected: pValue < significance,
    significance,
  }
}
