/**
 * Incremental liquidation plan: an ordered set of partial closes that restores
 * `equity ≥ (1 + bufferRate)·MM` — Derive's buffer `MM + bufferRate·(MM − MtM)` in net-margin
 * notation — with the expected cost and the status after each step, or a statement that it
 * cannot.
 *
 * Method (greedy, deterministic): at each step every open position is tried fully closed (at its
 * valuation price, less its liquidation cost, see `cost.ts`) and the account re-margined in full,
 * so hedges are seen: closing a leg that offsets others' delta or scenario losses shows little or
 * negative relief and is not chosen. Relief = change in `equity − (1 + bufferRate)·MM`; the
 * position with the most relief per USD of cost is closed (ties within 1 % go to the close that
 * reduces |net delta| most: delta-aware). If closing it fully would overshoot, the smallest
 * fraction that reaches the buffer is found by bisection. The plan stops when the buffer is met,
 * when no close has positive relief, or after `maxSteps`. Greedy: the set is small but not proven
 * minimal.
 *
 * @module
 * @since 0.1.0
 */
import { type MarketContext, rowValue } from './market.js'
import { type MarginState, type PortfolioColumns, evaluateAccount, presetScenarios } from './margin.js'
import type { CostModel, DepthMap, MarginPreset, PlanSettings } from './presets.js'
import { closeCostPremium } from './cost.js'
import { InstrumentType } from './market.js'
import { type AccountStatus, accountStatus } from './status.js'

/**
 * One step of a plan.
 *
 * @category model
 * @since 0.1.0
 */
export interface PlanStep {
  /** Instrument closed (partly). */
  readonly instrument: string
  /** Size closed, signed as the position (underlying units). */
  readonly closedSize: number
  /** Fraction of the position closed. */
  readonly fraction: number
  /** Expected cost of this close, USD. */
  readonly costUsd: number
  /** Equity after the step, USD. */
  readonly equityUsd: number
  /** IM after, USD. */
  readonly imUsd: number
  /** MM after, USD. */
  readonly mmUsd: number
  /** Buffer requirement after, `(1 + bufferRate)·MM`, USD. */
  readonly bufferUsd: number
  /** Status after. */
  readonly status: AccountStatus
  /** Net delta after, underlying units (∂equity/∂S). */
  readonly netDelta: number
}

/**
 * An incremental liquidation plan.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationPlan {
  /** Buffer rate used. */
  readonly bufferRate: number
  /** Whether the account ends at or above the buffer. */
  readonly achieved: boolean
  /** Why not, when not achieved; null otherwise. */
  readonly reason: string | null
  /** Steps in order (empty when the account already meets the buffer). */
  readonly steps: readonly PlanStep[]
  /** Total expected cost, USD. */
  readonly totalCostUsd: number
}

interface Cols {
  rows: Int32Array
  sizes: Float64Array
  cashUsd: number
  coin: number
  entryUsd: number
}

/**
 * Net delta of an account, underlying units: central difference of equity in spot, ±0.1 %.
 *
 * Verified by spec/liquidation/plan.spec.ts (plan steps).
 *
 * @category liquidation
 * @since 0.1.0
 */
export const netDelta = (ctx: MarketContext, acct: PortfolioColumns): number => {
  const h = 1e-3
  const v = (m: number): number => {
    let x = acct.cashUsd + acct.coin * ctx.spot * m - acct.entryUsd
    for (let j = 0; j < acct.rows.length; j++)
      x += (acct.sizes[j] as number) * rowValue(ctx, acct.rows[j] as number, m, 0)
    return x
  }
  return (v(1 + h) - v(1 - h)) / (2 * h * ctx.spot)
}

const closeFraction = (
  ctx: MarketContext,
  c: Cols,
  j: number,
  f: number,
  cm: CostModel,
  depth?: DepthMap,
) => {
  const r = c.rows[j] as number
  const i = r >> 1
  const n = (c.sizes[j] as number) * f
  const name = ctx.table.names[i] as string
  const cost = closeCostPremium(ctx, i, n, cm, depth?.get(name)).cost
  const costUsd =
    ctx.table.type[i] === InstrumentType.option && ctx.table.coin[i] === 1 ? cost * ctx.spot : cost
  const sizes = c.sizes.slice()
  sizes[j] = (c.sizes[j] as number) - n
  const out: Cols = {
    rows: c.rows,
    sizes,
    cashUsd: c.cashUsd + n * rowValue(ctx, r, 1, 0) - costUsd,
    coin: c.coin,
    entryUsd: c.entryUsd,
  }
  return { cols: out, costUsd, closed: n }
}

/**
 * Builds the incremental plan of an account (module comment has the method). Deterministic.
 * Verified by spec/liquidation/plan.spec.ts and the plan property in properties.spec.ts.
 *
 * @example
 * const plan = liquidationPlan(ctx, compiled, DERIBIT_STANDARD, config.cost, config.plan)
 * plan.achieved // true when the buffer is restored
 *
 * @category liquidation
 * @since 0.1.0
 */
export const liquidationPlan = (
  ctx: MarketContext,
  acct: PortfolioColumns,
  preset: MarginPreset,
  cm: CostModel,
  settings: PlanSettings,
  depth?: DepthMap,
): LiquidationPlan => {
  const b = settings.bufferRate
  const scenarios = presetScenarios(preset)
  const evalCols = (c: Cols): MarginState => evaluateAccount(ctx, c, preset, 1, scenarios)
  const surplus = (st: MarginState): number => st.equityUsd - (1 + b) * st.mmUsd
  let cols: Cols = {
    rows: acct.rows,
    sizes: acct.sizes.slice(),
    cashUsd: acct.cashUsd,
    coin: acct.coin,
    entryUsd: acct.entryUsd,
  }
  let st = evalCols(cols)
  const steps: PlanStep[] = []
  let total = 0
  const done = (achieved: boolean, reason: string | null): LiquidationPlan => ({
    bufferRate: b,
    achieved,
    reason,
    steps,
    totalCostUsd: total,
  })
  if (!Number.isFinite(surplus(st))) return done(false, 'equity or margin is not finite')
  for (let step = 0; step < settings.maxSteps; step++) {
    const h0 = surplus(st)
    if (h0 >= 0) return done(true, null)
    const d0 = Math.abs(netDelta(ctx, cols))
    let best = -1
    let bestScore = 0
    let bestDelta = Infinity
    let bestFull: ReturnType<typeof closeFraction> | undefined
    let bestState: MarginState | undefined
    for (let j = 0; j < cols.rows.length; j++) {
      if (cols.sizes[j] === 0) continue
      const full = closeFraction(ctx, cols, j, 1, cm, depth)
      const s1 = evalCols(full.cols)
      const relief = surplus(s1) - h0
      if (!(relief > 0)) continue
      const score = relief / (full.costUsd > 1e-9 ? full.costUsd : 1e-9)
      const dd = Math.abs(netDelta(ctx, full.cols)) - d0
      const better = best < 0 || score > bestScore * 1.01 || (score >= bestScore * 0.99 && dd < bestDelta) // ties: delta-aware
      if (better) {
        best = j
        bestScore = score
        bestDelta = dd
        bestFull = full
        bestState = s1
      }
    }
    if (best < 0 || bestFull === undefined || bestState === undefined) {
      const open = cols.sizes.some((x) => x !== 0)
      return done(
        false,
        open
          ? 'no remaining close raises equity − buffer: the buffer cannot be restored by closing positions'
          : 'every position is closed and equity is still below the buffer (insolvent or under-collateralised)',
      )
    }
    let chosen = bestFull
    let chosenState = bestState
    let fraction = 1
    if (surplus(bestState) >= 0) {
      let lo = 0
      let hi = 1
      for (let it = 0; it < settings.fractionIterations; it++) {
        const mid = 0.5 * (lo + hi)
        const c = closeFraction(ctx, cols, best, mid, cm, depth)
        const sm = evalCols(c.cols)
        if (surplus(sm) >= 0) {
          hi = mid
          chosen = c
          chosenState = sm
        } else lo = mid
      }
      fraction = hi
    }
    cols = chosen.cols
    st = chosenState
    total += chosen.costUsd
    steps.push({
      instrument: ctx.table.names[(cols.rows[best] as number) >> 1] as string,
      closedSize: chosen.closed,
      fraction,
      costUsd: chosen.costUsd,
      equityUsd: st.equityUsd,
      imUsd: st.imUsd,
      mmUsd: st.mmUsd,
      bufferUsd: (1 + b) * st.mmUsd,
      status: accountStatus(st.equityUsd, st.imUsd, st.mmUsd),
      netDelta: netDelta(ctx, cols),
    })
  }
  return surplus(st) >= 0
    ? done(true, null)
    : done(false, `buffer not reached within ${String(settings.maxSteps)} steps`)
}
