/**
 * Liquidation fees and loss allocation. When an account is liquidated (status `liquidatable` or
 * `insolvent`), closing everything costs `cost` (see `cost.ts`); then
 * `penalty = min(penaltyRate·MM, max(equity − cost, 0))`, split insurance fund / liquidator / burn
 * by the configured shares; the shortfall `max(cost − equity, 0)` is drawn from the insurance
 * fund up to its balance and the remainder is socialised loss.
 *
 * @module
 * @since 0.1.0
 */
import type { FeeSettings } from './presets.js'

/**
 * Fee and loss allocation of one liquidation, USD.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationFees {
  /** Penalty charged. */
  readonly penaltyUsd: number
  /** Penalty share to the insurance fund. */
  readonly insuranceFundUsd: number
  /** Penalty share to the liquidator. */
  readonly liquidatorUsd: number
  /** Penalty share burned. */
  readonly burnUsd: number
  /** Shortfall after closing (cost beyond equity). */
  readonly shortfallUsd: number
  /** Shortfall covered by the insurance fund. */
  readonly insuranceDrawUsd: number
  /** Shortfall not covered: socialised. */
  readonly socialisedLossUsd: number
  /** Equity left to the account holder after cost and penalty. */
  readonly residualEquityUsd: number
}

/**
 * Fees of liquidating an account with `equityUsd`, `mmUsd` and closing cost `costUsd`
 * (module comment has the rule). Shares are normalised by their sum, so they need not add to 1
 * exactly. Verified by spec/liquidation/fees.spec.ts.
 *
 * @example
 * liquidationFees(1000, 10_000, 200, fees).penaltyUsd // min(0.05·10 000, 800) = 500
 *
 * @category liquidation
 * @since 0.1.0
 */
export const liquidationFees = (
  equityUsd: number,
  mmUsd: number,
  costUsd: number,
  s: FeeSettings,
): LiquidationFees => {
  const left = equityUsd - costUsd
  const cap = left > 0 ? left : 0
  const want = s.penaltyRate * (mmUsd > 0 ? mmUsd : 0)
  const penalty = want < cap ? want : cap
  const sum = s.insuranceShare + s.liquidatorShare + s.burnShare
  const shortfall = left < 0 ? -left : 0
  const fund = s.insuranceFundUsd > 0 ? s.insuranceFundUsd : 0
  const draw = shortfall < fund ? shortfall : fund
  return {
    penaltyUsd: penalty,
    insuranceFundUsd: sum > 0 ? (penalty * s.insuranceShare) / sum : 0,
    liquidatorUsd: sum > 0 ? (penalty * s.liquidatorShare) / sum : 0,
    burnUsd: sum > 0 ? (penalty * s.burnShare) / sum : 0,
    shortfallUsd: shortfall,
    insuranceDrawUsd: draw,
    socialisedLossUsd: shortfall - draw,
    residualEquityUsd: cap - penalty,
  }
}
