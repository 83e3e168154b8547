/**
 * `assessAccount` / `assessAccounts`: equity, initial and maintenance margin, margin usage, status
 * and the inputs that decided it, with liquidation prices, liquidation cost, the incremental plan
 * and fees — as a JSON-serialisable {@link AccountAssessment}.
 *
 * Pure and deterministic: the same account, marks, surface and configuration give the same
 * assessment, bit for bit. For many accounts, {@link assessAccounts} prepares the market once;
 * the fast columns-only path is `compileAccounts` + `marginBatch` (`margin.ts`), and sharding
 * across workers is a loop over chunks of accounts with the same market.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Account } from '../domain/account.js'
import { ASSESSMENT_SCHEMA, type AccountAssessment } from '../domain/assessment.js'
import type { LiquidationError } from '../domain/liquidationErrors.js'
import type { Mark } from '../domain/mark.js'
import type { VolSurface } from '../domain/surface.js'
import { liquidationCost } from './cost.js'
import { liquidationFees } from './fees.js'
import { liquidationPrices } from './liquidationPrice.js'
import { evaluateAccount, presetScenarios } from './margin.js'
import {
  type CompiledAccount,
  type MarketContext,
  InstrumentType,
  compileAccount,
  optionModelPremium,
  prepareMarket,
  rowValue,
} from './market.js'
import { liquidationPlan } from './plan.js'
import { DEFAULT_LIQUIDATION_CONFIG, type LiquidationConfig } from './presets.js'
import type { MarginScenario } from './scenarios.js'
import { shockSurface } from './scenarios.js'
import { deribitUnitMargin, deriveUnitMargin } from './standardMargin.js'
import { accountStatus } from './status.js'

const fmt = (x: number): string => (Math.round(x * 100) / 100).toFixed(2)

/**
 * Assesses a compiled account on a prepared market (the engine behind {@link assessAccount}; use
 * it directly to assess many accounts on one `prepareMarket` result). Amounts in USD
 * (`equityCoin` in units of the underlying); per-position `imUsd` / `mmUsd` are null under the
 * risk matrix, which margins the portfolio, not positions. With `config.full` false the
 * liquidation prices, cost, plan and fees are null (status and margins only); fees are also null
 * unless the account is liquidatable or insolvent. Total: the inputs are already validated, so
 * there are no error tags (a non-finite valuation shows as NaN, see `NonFiniteValue` upstream).
 *
 * Verified by spec/liquidation/golden.spec.ts, margin.spec.ts (batch = single = assessAccount).
 *
 * @category liquidation
 * @since 0.1.0
 */
export const assessCompiled = (
  ctx: MarketContext,
  acct: CompiledAccount,
  config: LiquidationConfig,
): AccountAssessment => {
  const preset = config.preset
  const scenarios = presetScenarios(preset)
  const st = evaluateAccount(ctx, acct, preset, 1, scenarios)
  const status = accountStatus(st.equityUsd, st.imUsd, st.mmUsd)
  const tb = ctx.table
  const unit = new Float64Array(2)
  const par = preset.parameters
  const positions: AccountAssessment['positions'][number][] = []
  const marksUsed: AccountAssessment['decidedBy']['marks'][number][] = []
  let positionsValue = 0
  for (let j = 0; j < acct.rows.length; j++) {
    const r = acct.rows[j] as number
    const i = r >> 1
    const n = acct.sizes[j] as number
    const u = rowValue(ctx, r, 1, 0)
    positionsValue += n * (u - (acct.entryPrices[j] as number))
    let im: number | null = null
    let mm: number | null = null
    if (par.model !== 'risk-matrix') {
      const f = tb.forward[i] as number
      if (par.model === 'deribit-standard')
        deribitUnitMargin(
          par,
          tb.type[i] as number,
          tb.q[i] as number,
          tb.strike[i] as number,
          ctx.spot,
          f,
          u,
          (r & 1) === 1,
          unit,
        )
      else
        deriveUnitMargin(
          par,
          tb.type[i] as number,
          tb.q[i] as number,
          tb.strike[i] as number,
          ctx.spot,
          f,
          u,
          (r & 1) === 1,
          unit,
        )
      im = Math.abs(n) * (unit[0] as number)
      mm = Math.abs(n) * (unit[1] as number)
    }
    positions.push({
      instrument: tb.names[i] as string,
      size: n,
      valueUsd: n * (u - (acct.entryPrices[j] as number)),
      imUsd: im,
      mmUsd: mm,
    })
    const mark = tb.mark[i]
    if (tb.type[i] === InstrumentType.option && mark !== undefined)
      marksUsed.push({
        instrument: mark.instrument,
        source: mark.source,
        side: (r & 1) === 1 ? 'short' : 'long',
        premium: (r & 1) === 1 ? (tb.premiumShort[i] as number) : (tb.premiumLong[i] as number),
        premiumCurrency: mark.premium,
      })
  }
  const sc = st.worstScenario >= 0 ? (scenarios[st.worstScenario] as MarginScenario) : undefined
  const rel =
    status === 'insolvent'
      ? `equity ${fmt(st.equityUsd)} < 0`
      : status === 'liquidatable'
        ? `equity ${fmt(st.equityUsd)} < MM ${fmt(st.mmUsd)}`
        : status === 'margin-call'
          ? `MM ${fmt(st.mmUsd)} ≤ equity ${fmt(st.equityUsd)} < IM ${fmt(st.imUsd)}`
          : `equity ${fmt(st.equityUsd)} ≥ IM ${fmt(st.imUsd)}`
  const full = config.full
  const cost = full ? liquidationCost(ctx, acct.rows, acct.sizes, config.cost, config.depth) : null
  const liquidating = status === 'liquidatable' || status === 'insolvent'
  return {
    schema: ASSESSMENT_SCHEMA,
    account: acct.id,
    asOf: ctx.surface.asOf,
    underlying: ctx.underlying,
    spot: ctx.spot,
    preset: {
      name: preset.name,
      version: preset.version,
      description: preset.description,
      sources: preset.sources,
      parameters: { ...preset.parameters },
    },
    equityUsd: st.equityUsd,
    equityCoin: st.equityUsd / ctx.spot,
    collateralUsd: acct.cashUsd + acct.coin * ctx.spot,
    positionsValueUsd: positionsValue,
    initialMarginUsd: st.imUsd,
    maintenanceMarginUsd: st.mmUsd,
    marginUsage: {
      initial: st.equityUsd > 0 ? st.imUsd / st.equityUsd : null,
      maintenance: st.equityUsd > 0 ? st.mmUsd / st.equityUsd : null,
    },
    status,
    decidedBy: {
      rule: `${rel} → ${status} (${preset.name}@${String(preset.version)})`,
      marks: marksUsed,
      scenario:
        sc === undefined
          ? null
          : { name: sc.name, spotMove: sc.spotMove, volShock: sc.volShock, lossUsd: st.worstLossUsd },
      contingencyUsd: st.contingencyUsd,
      nettingReliefUsd: st.nettingReliefUsd,
      notes: acct.notes,
    },
    positions,
    liquidationPrices: full ? liquidationPrices(ctx, acct, preset, config.liquidationPrice) : null,
    liquidationCost: cost,
    plan: full ? liquidationPlan(ctx, acct, preset, config.cost, config.plan, config.depth) : null,
    fees:
      full && liquidating && cost !== null
        ? liquidationFees(st.equityUsd, st.mmUsd, cost.totalUsd, config.fees)
        : null,
  }
}

/**
 * Assesses one account against marks and a surface. `config` fields default to
 * {@link DEFAULT_LIQUIDATION_CONFIG} (preset `deribit-standard@1`). Fails with a
 * {@link LiquidationError}: `MissingMark` (an option without a mark), `InstrumentExpired`,
 * `UnderlyingMismatch`, `UnsupportedCollateral`, `InvalidInput` (bad instrument name or size),
 * `NonFiniteValue`. Breached thresholds are results, not errors.
 *
 * Verified by spec/liquidation/golden.spec.ts (hand-worked, all three presets), margin.spec.ts (error tags), properties.spec.ts (determinism).
 *
 * @example
 * const r = assessAccount(account, marks, surface, { preset: RISK_MATRIX })
 * // Right({ status: 'healthy', equityUsd: …, initialMarginUsd: …, liquidationPrices: { below: …, above: 'none' }, … })
 *
 * @category liquidation
 * @since 0.1.0
 */
export const assessAccount = (
  account: Account,
  marks: readonly Mark[] | ReadonlyMap<string, Mark>,
  surface: VolSurface,
  config: Partial<LiquidationConfig> = {},
): E.Either<LiquidationError, AccountAssessment> => {
  const cfg = { ...DEFAULT_LIQUIDATION_CONFIG, ...config }
  const ctx = prepareMarket(marks, surface)
  if (E.isLeft(ctx)) return ctx
  const c = compileAccount(ctx.right, account)
  if (E.isLeft(c)) return c
  return E.right(assessCompiled(ctx.right, c.right, cfg))
}

/**
 * Batch form of {@link assessAccount}: the market is prepared once (a `Left` when that fails),
 * then each account gives its own `Either`, in input order; results equal per-account calls.
 *
 * Verified by spec/liquidation/margin.spec.ts (equals per-account calls).
 *
 * @category liquidation
 * @since 0.1.0
 */
export const assessAccounts = (
  accounts: readonly Account[],
  marks: readonly Mark[] | ReadonlyMap<string, Mark>,
  surface: VolSurface,
  config: Partial<LiquidationConfig> = {},
): E.Either<LiquidationError, readonly E.Either<LiquidationError, AccountAssessment>[]> => {
  const cfg = { ...DEFAULT_LIQUIDATION_CONFIG, ...config }
  const ctx = prepareMarket(marks, surface)
  if (E.isLeft(ctx)) return ctx
  return E.right(
    accounts.map((a) => {
      const c = compileAccount(ctx.right, a)
      return E.isLeft(c) ? c : E.right(assessCompiled(ctx.right, c.right, cfg))
    }),
  )
}

/** A price moved by the model's change `d`, floored at 0. */
const movedPrice = (x: number, d: number): number => (x + d > 0 ? x + d : 0)

/**
 * The market moved to spot `price` with sticky moneyness: the shocked surface
 * ({@link shockSurface}) and marks whose prices and band ends move by the model's change,
 * `p' = max(0, p + model(price) − model(S))` (forward scaled, model price and IV updated). Used to
 * re-assess an account at a liquidation price independently of the search.
 *
 * Verified by spec/liquidation/liquidationPrice.spec.ts and the re-assessment property in properties.spec.ts.
 *
 * @category liquidation
 * @since 0.1.0
 */
export const shiftMarket = (
  marks: readonly Mark[] | ReadonlyMap<string, Mark>,
  surface: VolSurface,
  price: number,
): E.Either<LiquidationError, { readonly marks: readonly Mark[]; readonly surface: VolSurface }> => {
  const ctx = prepareMarket(marks, surface)
  if (E.isLeft(ctx)) return ctx
  const c = ctx.right
  const m = price / c.spot
  const shifted = shockSurface(surface, { spotMove: m - 1, volShock: 0 })
  const out: Mark[] = []
  for (let i = 0; i < c.table.names.length; i++) {
    const mk = c.table.mark[i]
    if (mk === undefined) continue
    const model = optionModelPremium(c, i, m, 0)
    const d = model - (c.table.modelBase[i] as number)
    out.push({
      ...mk,
      forward: (c.table.forward[i] as number) * m,
      markPrice: movedPrice(mk.markPrice, d),
      lower: movedPrice(mk.lower, d),
      upper: movedPrice(mk.upper, d),
      modelPrice: model,
      modelIv: shifted.vol(mk.strike, c.table.expiryYears[i] as number),
    })
  }
  return E.right({ marks: out, surface: shifted })
}
