/**
 * Account status from equity and margin: `insolvent` (equity < 0), else `liquidatable`
 * (equity < MM), else `margin-call` (equity < IM), else `healthy`.
 *
 * @module
 * @since 0.1.0
 */

/**
 * Account status, in increasing severity.
 *
 * @category model
 * @since 0.1.0
 */
export type AccountStatus = 'healthy' | 'margin-call' | 'liquidatable' | 'insolvent'

/**
 * Statuses by severity code (0 … 3), the order {@link statusCode} returns.
 *
 * Verified by spec/liquidation/status.spec.ts.
 *
 * @category constants
 * @since 0.1.0
 */
export const STATUSES: readonly AccountStatus[] = ['healthy', 'margin-call', 'liquidatable', 'insolvent']

/**
 * Severity code: 3 if equity < 0, 2 if equity < MM, 1 if equity < IM, else 0. NaN equity gives 3
 * (a value that cannot be computed is never reported healthy). Verified by
 * spec/liquidation/status.spec.ts.
 *
 * @example
 * statusCode(100, 120, 90) // 1 (margin-call)
 *
 * @category status
 * @since 0.1.0
 */
export const statusCode = (equityUsd: number, imUsd: number, mmUsd: number): number => {
  if (!(equityUsd >= 0)) return 3
  if (equityUsd < mmUsd) return 2
  if (equityUsd < imUsd) return 1
  return 0
}

/**
 * Status of an account from equity, IM and MM (USD): `insolvent` if equity < 0 (or NaN),
 * `liquidatable` if equity < MM, `margin-call` if equity < IM, else `healthy` ({@link statusCode}
 * gives the same as a severity code 3 … 0). A breached threshold is a result, not an error.
 *
 * Verified by spec/liquidation/status.spec.ts (thresholds).
 *
 * @example
 * accountStatus(-1, 10, 8) // 'insolvent'
 *
 * @category status
 * @since 0.1.0
 */
export const accountStatus = (equityUsd: number, imUsd: number, mmUsd: number): AccountStatus =>
  STATUSES[statusCode(equityUsd, imUsd, mmUsd)] as AccountStatus
