/**
 * Liquidation-cascade simulation: a spot shock makes some accounts liquidatable; the liquidator
 * takes over their positions and hedges the delta in the underlying against a depth curve, which
 * moves spot; the surface moves with spot (sticky moneyness and the spot–vol rule); repeat until
 * no new account is liquidatable. The same shock without feedback (round one only) gives the
 * amplification as one number.
 *
 * Depth curve (price impact of a signed USD notional N traded in the underlying, N < 0 = sell):
 * - `linear`: ΔS/S = coefficient · N (coefficient = relative impact per USD, e.g. 1e-9 = 0.1% per
 *   $1M);
 * - `sqrt`: ΔS/S = coefficient · sign(N) · √(|N| / referenceUsd) (the square-root law of market
 *   impact, e.g. Tóth et al. 2011, "Anomalous price impact and the critical nature of liquidity in
 *   financial markets", Physical Review X 1, 021006).
 * The relative move of one round is floored at −0.99 so spot stays positive.
 *
 * @module
 * @since 0.1.0
 */
import { liquidationFees } from '../liquidation/fees.js'
import { marginBatch } from '../liquidation/margin.js'
import type { AccountBook, MarketContext } from '../liquidation/market.js'
import { netDelta } from '../liquidation/plan.js'
import type { FeeSettings, MarginPreset, VolShockRule } from '../liquidation/presets.js'
import { DEFAULT_LIQUIDATION_CONFIG, FLAT_VOL_RULE } from '../liquidation/presets.js'
import { accountColumns, shockedMarket } from './market.js'
import { spotVolShock } from './scenarios.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Price impact of trading the underlying (module comment has the formulas).
 *
 * @category model
 * @since 0.1.0
 */
export interface DepthCurve {
  /** `linear` or `sqrt`. */
  readonly model: 'linear' | 'sqrt'
  /** Linear: relative move per USD. Square-root: relative move at |N| = referenceUsd. */
  readonly coefficient: number
  /** Square-root law reference notional, USD (ignored by `linear`). */
  readonly referenceUsd: number
}

/**
 * Configuration of {@link simulateCascade}.
 *
 * @category model
 * @since 0.1.0
 */
export interface CascadeConfig {
  /** Initial relative spot move, e.g. −0.15. */
  readonly initialShock: number
  /** Depth curve of the underlying. */
  readonly depth: DepthCurve
  /** Margin preset deciding liquidatability (default the liquidation default). */
  readonly preset?: MarginPreset
  /** Spot–vol beta of the surface's move with spot (default 1; see `scenarios.ts`). */
  readonly spotVolBeta?: number
  /** Tenor scaling of the vol shock (default {@link FLAT_VOL_RULE}). */
  readonly volRule?: VolShockRule
  /** Penalty, split and insurance fund (default the liquidation default). */
  readonly fees?: FeeSettings
  /** Round limit (default 100). */
  readonly maxRounds?: number
}

/**
 * One round of a cascade.
 *
 * @category model
 * @since 0.1.0
 */
export interface CascadeRound {
  /** 1-based round. */
  readonly round: number
  /** Spot at which this round's accounts were found liquidatable. */
  readonly spot: number
  /** Ids liquidated this round, in book order. */
  readonly liquidated: readonly string[]
  /** Underlying notional of the liquidated positions, Σ|size|·S, USD. */
  readonly notionalUsd: number
  /** Underlying traded by the liquidator's hedges, signed units (negative = sold). */
  readonly hedgeUnits: number
  /** Relative spot move the hedges caused. */
  readonly impact: number
  /** Insurance fund drawn this round, USD. */
  readonly insuranceDrawUsd: number
  /** Shortfall left after the fund this round, USD. */
  readonly socialisedLossUsd: number
}

/**
 * Result of a cascade simulation. USD throughout.
 *
 * @category model
 * @since 0.1.0
 */
export interface CascadeResult {
  /** Rounds with at least one liquidation. */
  readonly rounds: readonly CascadeRound[]
  /** Spot before the shock, after it, then after each round's impact. */
  readonly pricePath: readonly number[]
  /** Accounts liquidated in total. */
  readonly liquidatedAccounts: number
  /** Underlying notional liquidated in total. */
  readonly liquidatedNotionalUsd: number
  /** Insurance fund at the start. */
  readonly insuranceFundStartUsd: number
  /** Insurance fund at the end (penalty inflows minus draws). */
  readonly insuranceFundEndUsd: number
  /** Drawn from the fund in total. */
  readonly insuranceDrawnUsd: number
  /** Shortfall the fund could not cover (socialised). */
  readonly socialisedLossUsd: number
  /** Final spot / initial spot − 1. */
  readonly totalMove: number
  /** The same shock without feedback: round one only. */
  readonly noFeedback: {
    readonly liquidatedAccounts: number
    readonly liquidatedNotionalUsd: number
    readonly move: number
  }
  /** totalMove / initialShock: 1 = no amplification. */
  readonly amplification: number
  /** Whether the loop stopped at `maxRounds` rather than at a round with no new liquidation. */
  readonly truncated: boolean
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/**
 * Relative spot move ΔS/S of trading a signed USD notional (`notionalUsd` < 0 = sell) against a
 * {@link DepthCurve}: `coefficient·N` (linear) or `coefficient·sign(N)·√(|N|/referenceUsd)`
 * (square-root law, Tóth et al. 2011), floored at −0.99 so spot stays positive; no cap upwards.
 * Zero notional gives 0. Not an Either and no error tags: a NaN result (NaN notional or
 * coefficient) also returns the floor −0.99, the most conservative move.
 *
 * Verified by spec/risk/cascade.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const priceImpact = (notionalUsd: number, depth: DepthCurve): number => {
  const x =
    depth.model === 'linear'
      ? depth.coefficient * notionalUsd
      : Math.sign(notionalUsd) * depth.coefficient * Math.sqrt(Math.abs(notionalUsd) / depth.referenceUsd)
  return x > -0.99 ? x : -0.99
}

// -------------------------------------------------------------------------------------
// simulation
// -------------------------------------------------------------------------------------

/**
 * Simulates a liquidation cascade on a compiled book (method in the module comment), in USD.
 * `config.initialShock` is the relative spot move that starts it (−0.15 = a 15 % fall); the
 * round limit is `maxRounds` (default 100, `truncated` says when it bound). Each round:
 * shock the base market to the current spot multiplier M with vol shock e^{−β ln M} − 1
 * (`shockedMarket`), run the batch margin, liquidate every not-yet-liquidated account whose equity
 * is below MM (status liquidatable or insolvent), in book order: fees and insurance draws by the
 * liquidation stage's `liquidationFees` with the running fund balance; the liquidator hedges the
 * positions' net delta (account delta less its coin collateral), trading −Δ units; the round's
 * total flow moves spot by {@link priceImpact}. Liquidated accounts are closed entirely.
 * Deterministic.
 *
 * Properties (spec/risk/cascade.spec.ts): with zero impact the cascade stops after one round; for
 * a book whose headroom equity − MM is non-decreasing in spot (short puts, long futures: the
 * downside cascade), a bigger initial fall never liquidates fewer accounts.
 *
 * Edges: an initial shock that liquidates nobody gives no rounds, `amplification` 1 and the
 * price path [spot, shocked spot]; `initialShock` 0 gives `amplification` NaN. No error tags:
 * accounts that failed to compile (`book.errors`) or whose margin is NaN are never liquidated.
 *
 * Verified by spec/risk/cascade.spec.ts (and the `mtm cascade` CLI in spec/cli/stress.spec.ts).
 *
 * @category simulation
 * @since 0.1.0
 */
export const simulateCascade = (
  book: AccountBook,
  market: MarketContext,
  config: CascadeConfig,
): CascadeResult => {
  const preset = config.preset ?? DEFAULT_LIQUIDATION_CONFIG.preset
  const rule = config.volRule ?? FLAT_VOL_RULE
  const beta = config.spotVolBeta ?? 1
  const fees = config.fees ?? DEFAULT_LIQUIDATION_CONFIG.fees
  const maxRounds = config.maxRounds ?? 100
  const done = new Uint8Array(book.count)
  const rounds: CascadeRound[] = []
  const S0 = market.spot
  let M = 1 + config.initialShock
  const pricePath = [S0, S0 * M]
  let fund = fees.insuranceFundUsd
  let drawn = 0
  let socialised = 0
  let truncated = false
  for (let r = 1; ; r++) {
    if (r > maxRounds) {
      truncated = true
      break
    }
    const ctx = shockedMarket(market, { spotMove: M - 1, volShock: spotVolShock(Math.log(M), beta) }, rule)
    const cols = marginBatch(ctx, book, preset)
    const ids: string[] = []
    let notional = 0
    let hedge = 0
    let roundDraw = 0
    let roundLoss = 0
    for (let a = 0; a < book.count; a++) {
      if (done[a] === 1 || book.errors[a] !== undefined) continue
      if (!((cols.equityUsd[a] as number) < (cols.mmUsd[a] as number))) continue
      done[a] = 1
      ids.push(book.ids[a] as string)
      const acct = accountColumns(book, a)
      for (let j = 0; j < acct.sizes.length; j++) notional += Math.abs(acct.sizes[j] as number) * ctx.spot
      hedge -= netDelta(ctx, acct) - acct.coin
      const f = liquidationFees(cols.equityUsd[a] as number, cols.mmUsd[a] as number, 0, {
        ...fees,
        insuranceFundUsd: fund,
      })
      fund += f.insuranceFundUsd - f.insuranceDrawUsd
      roundDraw += f.insuranceDrawUsd
      roundLoss += f.socialisedLossUsd
    }
    if (ids.length === 0) break
    const impact = priceImpact(hedge * ctx.spot, config.depth)
    drawn += roundDraw
    socialised += roundLoss
    rounds.push({
      round: r,
      spot: ctx.spot,
      liquidated: ids,
      notionalUsd: notional,
      hedgeUnits: hedge,
      impact,
      insuranceDrawUsd: roundDraw,
      socialisedLossUsd: roundLoss,
    })
    M *= 1 + impact
    pricePath.push(S0 * M)
  }
  const first = rounds[0]
  const totalMove = M - 1
  return {
    rounds,
    pricePath,
    liquidatedAccounts: rounds.reduce((n, x) => n + x.liquidated.length, 0),
    liquidatedNotionalUsd: rounds.reduce((n, x) => n + x.notionalUsd, 0),
    insuranceFundStartUsd: fees.insuranceFundUsd,
    insuranceFundEndUsd: fund,
    insuranceDrawnUsd: drawn,
    socialisedLossUsd: socialised,
    totalMove,
    noFeedback: {
      liquidatedAccounts: first === undefined ? 0 : first.liquidated.length,
      liquidatedNotionalUsd: first === undefined ? 0 : first.notionalUsd,
      move: config.initialShock,
    },
    amplification: config.initialShock !== 0 ? totalMove / config.initialShock : NaN,
    truncated,
  }
}
