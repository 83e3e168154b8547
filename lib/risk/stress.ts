/**
 * Stress tests: named historical days and user grids of spot × vol shocks, applied to every
 * account of a book with full revaluation; per account the P&L, the status after the shock and
 * the distance to liquidation.
 *
 * @module
 * @since 0.1.0
 */
import { liquidationPrices } from '../liquidation/liquidationPrice.js'
import { marginBatch } from '../liquidation/margin.js'
import type { LiquidationPriceSettings, MarginPreset, VolShockRule } from '../liquidation/presets.js'
import { DEFAULT_LIQUIDATION_CONFIG, FLAT_VOL_RULE } from '../liquidation/presets.js'
import { type AccountStatus, STATUSES } from '../liquidation/status.js'
import { accountColumns, shockedMarket } from './market.js'
import type { Portfolio } from './portfolio.js'
import type { RiskScenario } from './scenarios.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Configuration of {@link stressTest}.
 *
 * @category model
 * @since 0.1.0
 */
export interface StressConfig {
  /** Margin preset deciding status after the shock (default: the liquidation default, Deribit standard). */
  readonly preset?: MarginPreset
  /** How the relative vol shock scales with tenor (default {@link FLAT_VOL_RULE}). */
  readonly volRule?: VolShockRule
  /** Search liquidation prices on the shocked market (default true; costs a search per account × scenario). */
  readonly liquidationPrices?: boolean
  /** Liquidation-price search settings (default the liquidation stage's). */
  readonly liquidationPriceSettings?: LiquidationPriceSettings
}

/**
 * One account under one scenario. USD throughout.
 *
 * @category model
 * @since 0.1.0
 */
export interface StressRow {
  /** Account id. */
  readonly account: string
  /** Scenario name. */
  readonly scenario: string
  /** Equity change, USD. */
  readonly pnlUsd: number
  /** Equity after the shock, USD. */
  readonly equityUsd: number
  /** Maintenance margin after the shock, USD. */
  readonly mmUsd: number
  /** Status before the shock. */
  readonly statusBefore: AccountStatus
  /** Status after the shock. */
  readonly statusAfter: AccountStatus
  /** Distance to liquidation after the shock: equity − MM, USD (negative = liquidatable). */
  readonly headroomUsd: number
  /** Nearest liquidation price below the shocked spot, or 'none' (null when not searched). */
  readonly liquidationBelow: number | 'none' | null
  /** Nearest liquidation price above the shocked spot, or 'none' (null when not searched). */
  readonly liquidationAbove: number | 'none' | null
}

/**
 * Result of a stress test: one row per (scenario, account), scenario-major, and the preset used.
 *
 * @category model
 * @since 0.1.0
 */
export interface StressResult {
  /** Rows, scenario-major. */
  readonly rows: readonly StressRow[]
  /** Spot after each scenario. */
  readonly spots: readonly number[]
  /** Preset name and version. */
  readonly preset: string
}

// -------------------------------------------------------------------------------------
// stress
// -------------------------------------------------------------------------------------

/**
 * Applies each scenario to the whole book: the market is shocked once per scenario
 * ({@link shockedMarket}), then equity, IM, MM and status of every account come from the
 * liquidation stage's batch margin run on the shocked market, and (optionally) liquidation prices
 * from its search. P&L is equity after minus equity before. Accounts that failed to compile are
 * skipped. Deterministic.
 *
 * Verified by spec/risk/stress.spec.ts.
 *
 * @category stress
 * @since 0.1.0
 */
export const stressTest = (
  portfolio: Portfolio,
  scenarios: readonly RiskScenario[],
  config: StressConfig = {},
): StressResult => {
  const preset = config.preset ?? DEFAULT_LIQUIDATION_CONFIG.preset
  const rule = config.volRule ?? FLAT_VOL_RULE
  const lps = config.liquidationPriceSettings ?? DEFAULT_LIQUIDATION_CONFIG.liquidationPrice
  const search = config.liquidationPrices ?? true
  const { market, book } = portfolio
  const before = marginBatch(market, book, preset)
  const rows: StressRow[] = []
  const spots: number[] = []
  for (const sc of scenarios) {
    const ctx = shockedMarket(market, sc, rule)
    spots.push(ctx.spot)
    const after = marginBatch(ctx, book, preset)
    for (let a = 0; a < book.count; a++) {
      if (book.errors[a] !== undefined) continue
      const eq = after.equityUsd[a] as number
      const mm = after.mmUsd[a] as number
      const lp = search ? liquidationPrices(ctx, accountColumns(book, a), preset, lps) : null
      rows.push({
        account: book.ids[a] as string,
        scenario: sc.name,
        pnlUsd: eq - (before.equityUsd[a] as number),
        equityUsd: eq,
        mmUsd: mm,
        statusBefore: STATUSES[before.status[a] as number] as AccountStatus,
        statusAfter: STATUSES[after.status[a] as number] as AccountStatus,
        headroomUsd: eq - mm,
        liquidationBelow: lp === null ? null : lp.below,
        liquidationAbove: lp === null ? null : lp.above,
      })
    }
  }
  return { rows, spots, preset: `${preset.name}@${String(preset.version)}` }
}
