/**
 * Margin presets and the liquidation configuration: parameters as data, named and versioned, and
 * echoed into every {@link AccountAssessment} so an auditor can reproduce a result.
 *
 * Three margin presets ship: `deribit-standard@1` (per-position Deribit shape),
 * `derive-standard@1` (Derive standard manager with max-loss netting per expiry) and
 * `risk-matrix@1` (portfolio risk matrix in the shape of Deribit's portfolio margin). Sources of
 * every number are listed in `sources` and in docs/methodology/liquidation.md.
 *
 * @module
 * @since 0.1.0
 */
// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The DTE-scaled volatility shock. A scenario with relative shock `s` (e.g. +0.5, −0.25) moves an
 * implied vol σ of an option with `d` days to expiry to
 * `σ' = σ · (1 + s · (referenceDays / max(d, dteFloorDays))^p)`, with `p = shortPower` when
 * `d < cutoffDays` and `longPower` otherwise (the two agree at `d = referenceDays = cutoffDays`, so the
 * shock is continuous there). Up shocks are floored at `minVolUp` (absolute vol); down shocks at
 * `minDownFactor · σ`.
 *
 * @category model
 * @since 0.1.0
 */
export interface VolShockRule {
  /** Reference tenor in days (30). */
  readonly referenceDays: number
  /** Power for tenors shorter than `cutoffDays` (0.3). */
  readonly shortPower: number
  /** Power for tenors at or beyond `cutoffDays` (0.13). */
  readonly longPower: number
  /** Cutoff in days between the short and long power (30). */
  readonly cutoffDays: number
  /** Days-to-expiry floor, so the scaling stays finite as T → 0 (1 day). */
  readonly dteFloorDays: number
  /** Floor on the shocked vol in up scenarios, absolute decimal (0.5). */
  readonly minVolUp: number
  /** Floor on the shocked vol in down scenarios, as a fraction of the unshocked vol (0.05). */
  readonly minDownFactor: number
}

/**
 * Deribit standard (per-position) margin, in fractions of the index S; option premiums p in coin.
 * Short call: IM = (max(imBase − OTM/S, imFloor) + p)·S, MM = (mm + p)·S. Short put:
 * MM = (max(mm, putMmMarkFactor·p) + p)·S, IM = max((max(imBase − OTM/S, imFloor) + p)·S, MM).
 * Long option: IM = MM = p·S. Futures: IM = futureIm·|n|·F, MM = futureMm·|n|·F.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeribitStandardParameters {
  /** Tag. */
  readonly model: 'deribit-standard'
  /** 0.15 */
  readonly imBase: number
  /** 0.10 */
  readonly imFloor: number
  /** 0.075 */
  readonly mm: number
  /** 0.075: the short put MM is at least this fraction of the premium. */
  readonly putMmMarkFactor: number
  /** Futures IM as a fraction of notional. */
  readonly futureIm: number
  /** Futures MM as a fraction of notional. */
  readonly futureMm: number
}

/**
 * Derive standard manager (v2-core `StandardManager`), requirement form (the mark-to-market of a
 * short is already in equity, so it is not added again). Short call: IM = m(OTM)·S, MM = mmCall·S,
 * m(OTM) = max(maxSpotReq − OTM/S, minSpotReq). Short put: MM = max(mmPut·S, mmPutMtm·P),
 * IM = max(m(OTM)·S, mmOffsetScale·(MM + P) − P), P the put's USD value. Long option: its value.
 * Per expiry the requirement is the smaller of the summed isolated requirements and the max-loss
 * requirement `V_e − L_e`, L_e the worst expiry payoff on {0} ∪ strikes minus
 * `unpaired·F·|net short calls|`. Perps / futures: `perp·|n|·F`.
 *
 * @category model
 * @since 0.1.0
 */
export interface DeriveStandardParameters {
  /** Tag. */
  readonly model: 'derive-standard'
  /** maxSpotReq 0.15 */
  readonly maxSpotReq: number
  /** minSpotReq 0.13 (the floor) */
  readonly minSpotReq: number
  /** mmCallSpotReq 0.09 */
  readonly mmCallSpotReq: number
  /** mmPutSpotReq 0.09 */
  readonly mmPutSpotReq: number
  /** MMPutMtMReq 0.09 */
  readonly mmPutMtmReq: number
  /** unpairedIMScale 1.2 */
  readonly unpairedImScale: number
  /** unpairedMMScale 1.1 */
  readonly unpairedMmScale: number
  /** mmOffsetScale 1.05 (the put factor) */
  readonly mmOffsetScale: number
  /** Perp / future IM fraction 0.066 */
  readonly perpIm: number
  /** Perp / future MM fraction 0.05 */
  readonly perpMm: number
}

/**
 * Portfolio risk matrix. Spot moves `±spotRange` in `2·spotSteps + 1` evenly spaced buckets
 * (0 included) × vol {up, unchanged, down} with the DTE-scaled shock of `volRule`; the extended
 * moves with vol up and their loss multiplied by `extendedDampening`. IM = max(0, worst loss) +
 * contingency·S·(net short options per strike); MM = mmFactor·IM.
 *
 * @category model
 * @since 0.1.0
 */
export interface RiskMatrixParameters {
  /** Tag. */
  readonly model: 'risk-matrix'
  /** 0.16 */
  readonly spotRange: number
  /** Buckets per side (4 → −16, −12, …, +16 %). */
  readonly spotSteps: number
  /** Relative vol shock up at 30 DTE (0.5). */
  readonly volUp: number
  /** Relative vol shock down at 30 DTE (0.25; applied as −0.25). */
  readonly volDown: number
  /** DTE scaling of the vol shock. */
  readonly volRule: VolShockRule
  /** Extended spot moves (relative), taken with vol up. */
  readonly extendedMoves: readonly number[]
  /** Multiplier on losses of the extended moves. */
  readonly extendedDampening: number
  /** Contingency per net short option per strike, fraction of S (0.01 = 0.01 coin). */
  readonly nakedShortContingency: number
  /** MM = mmFactor · IM (0.8). */
  readonly mmFactor: number
}

/**
 * A named, versioned margin preset.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarginPreset {
  /** Name, e.g. `deribit-standard`. */
  readonly name: string
  /** Version; bumped on any parameter change. */
  readonly version: number
  /** One line. */
  readonly description: string
  /** Where the shape and the numbers come from. */
  readonly sources: readonly string[]
  /** The parameters. */
  readonly parameters: DeribitStandardParameters | DeriveStandardParameters | RiskMatrixParameters
}

/**
 * The liquidation-cost model when no depth is given: per unit closed,
 * `cost = halfSpread + vega·impactVol·(|n| / q)^impactExponent` in premium currency, with
 * `halfSpread = max(½·relativeSpread·p, minHalfSpread)` (`relativeSpread` from the liquidity
 * assessment, `defaultRelativeSpread` when it is null) and `q` the quoted top size (or
 * `referenceSize` when unknown). Futures: `futureHalfSpread·F` per unit plus the same impact shape
 * on notional with `futureImpact`.
 *
 * @category model
 * @since 0.1.0
 */
export interface CostModel {
  /** Relative spread assumed when the book has none (no market / one-sided), 0.3. */
  readonly defaultRelativeSpread: number
  /** Minimum half-spread in premium currency (coin), 0.0001 (Deribit's BTC option tick). */
  readonly minHalfSpread: number
  /** Vol impact (decimal) when closing the quoted top size, 0.01 (1 vol point). */
  readonly impactVol: number
  /** Exponent of the size ratio (square-root law, 0.5). */
  readonly impactExponent: number
  /** Quoted size assumed when the top size is unknown (1 underlying unit). */
  readonly referenceSize: number
  /** Futures half-spread, fraction of F (0.0001 = 1 bp). */
  readonly futureHalfSpread: number
  /** Futures impact coefficient on `(|n| / futureReferenceSize)^impactExponent`, fraction of F. */
  readonly futureImpact: number
  /** Futures reference size (underlying units), 100. */
  readonly futureReferenceSize: number
}

/**
 * Incremental-plan settings: the plan restores `equity ≥ MM + bufferRate·(MM − MtM)` in Derive's
 * net-margin notation, which in requirement form is `equity ≥ (1 + bufferRate)·MM`.
 *
 * @category model
 * @since 0.1.0
 */
export interface PlanSettings {
  /** 0.15 (Derive's buffer). */
  readonly bufferRate: number
  /** Upper bound on plan steps. */
  readonly maxSteps: number
  /** Bisection iterations for the partial-close fraction. */
  readonly fractionIterations: number
}

/**
 * Liquidation fees: `penalty = min(penaltyRate·MM, max(equity − cost, 0))`, split between the
 * insurance fund, the liquidator and a burn (shares sum to 1). An insolvent account's shortfall
 * `max(cost − equity, 0)` is drawn from `insuranceFundUsd`; what remains is socialised loss.
 *
 * @category model
 * @since 0.1.0
 */
export interface FeeSettings {
  /** Penalty rate on the maintenance margin (0.05 = Derive's 500 bps). */
  readonly penaltyRate: number
  /** Insurance-fund share of the penalty. */
  readonly insuranceShare: number
  /** Liquidator share of the penalty. */
  readonly liquidatorShare: number
  /** Burned share of the penalty. */
  readonly burnShare: number
  /** Insurance fund balance available to cover shortfalls, USD. */
  readonly insuranceFundUsd: number
}

/**
 * Liquidation-price search: the log grid over `[spot·lowerFactor, spot·upperFactor]` and the
 * bisection tolerance on ln(price).
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationPriceSettings {
  /** 0.1 */
  readonly lowerFactor: number
  /** 10 */
  readonly upperFactor: number
  /** Grid points (log-spaced) for bracketing, 241. */
  readonly gridPoints: number
  /** Tolerance on ln(price) at which bisection stops, 1e-12. */
  readonly logTolerance: number
}

/**
 * Order-book depth for one instrument, prices in its premium currency, amounts in underlying
 * units; bids best (highest) first, asks best (lowest) first.
 *
 * @category model
 * @since 0.1.0
 */
export interface Depth {
  /** Bids, best first. */
  readonly bids: readonly DepthLevel[]
  /** Asks, best first. */
  readonly asks: readonly DepthLevel[]
}

/**
 * One price level: price in the premium currency, amount in underlying units (a snapshot's
 * `BookLevel` is one).
 *
 * @category model
 * @since 0.1.0
 */
export interface DepthLevel {
  /** Price. */
  readonly price: number
  /** Amount. */
  readonly amount: number
}

/**
 * Depth per instrument name.
 *
 * @category model
 * @since 0.1.0
 */
export type DepthMap = ReadonlyMap<string, Depth>

/**
 * Everything {@link assessAccount} needs besides the account, the marks and the surface. Every
 * field has a default ({@link DEFAULT_LIQUIDATION_CONFIG}); `depth` is optional.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidationConfig {
  /** Margin preset. */
  readonly preset: MarginPreset
  /** Cost model. */
  readonly cost: CostModel
  /** Plan settings. */
  readonly plan: PlanSettings
  /** Fee settings. */
  readonly fees: FeeSettings
  /** Liquidation-price search. */
  readonly liquidationPrice: LiquidationPriceSettings
  /** Whether to compute liquidation prices, cost, plan and fees (false: equity, margin, status only). */
  readonly full: boolean
  /** Optional order-book depth per instrument. */
  readonly depth?: DepthMap
}

// -------------------------------------------------------------------------------------
// presets
// -------------------------------------------------------------------------------------

const DERIBIT_MARGIN_SOURCE =
  'Deribit standard margin for BTC options (IM max(0.15 − OTM/S, 0.1) + mark, MM 0.075 + mark; short put MM max(0.075, 0.075·mark) + mark, IM max(IM formula, MM)), as documented in TSLab, "Deribit Margin Requirements Calculation", https://doc.tslab.pro/tslab/eng/data-providers/connection-to-broker/deribit-cryptocurrency-exchange/deribit-margin-requirements-calculation (retrieved 2026); shape matches Deribit support, "Margin requirements: options", https://deribit.freshdesk.com/support/solutions/articles/1000197268'

/**
 * The DTE-scaled vol shock of Deribit's BTC portfolio margin (vega powers 0.3 / 0.13, cutoff 30
 * days, vol-up floor 50 %).
 *
 * Verified by spec/liquidation/margin.spec.ts (scale and floors by hand).
 *
 * @category presets
 * @since 0.1.0
 */
export const DERIBIT_VOL_SHOCK_RULE: VolShockRule = {
  referenceDays: 30,
  shortPower: 0.3,
  longPower: 0.13,
  cutoffDays: 30,
  dteFloorDays: 1,
  minVolUp: 0.5,
  minDownFactor: 0.05,
}

/**
 * A vol-shock rule that applies a relative shock unchanged at every tenor, with no floors:
 * σ' = σ·(1 + shock). The identity at shock 0, so the single rule every "no vol shock" valuation
 * uses, and the risk stage's default (its scenarios already carry the shock of the spot–vol rule).
 *
 * @category presets
 * @since 0.1.0
 */
export const FLAT_VOL_RULE: VolShockRule = {
  referenceDays: 30,
  shortPower: 0,
  longPower: 0,
  cutoffDays: 30,
  dteFloorDays: 1,
  minVolUp: 0,
  minDownFactor: 0,
}

/**
 * `deribit-standard@1`: Deribit per-position standard margin.
 *
 * Verified by spec/liquidation/golden.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const DERIBIT_STANDARD: MarginPreset = {
  name: 'deribit-standard',
  version: 1,
  description: 'Deribit standard margin per position, no netting; futures by fixed IM/MM fractions',
  sources: [
    DERIBIT_MARGIN_SOURCE,
    'Futures IM 2 % / MM 1 % of notional: Deribit support, "11 January 2022" (BTC IM 2 % + size·0.005 %, MM 1 % + size·0.005 %), https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022 — the size add-on is left out so margin stays homogeneous in size',
  ],
  parameters: {
    model: 'deribit-standard',
    imBase: 0.15,
    imFloor: 0.1,
    mm: 0.075,
    putMmMarkFactor: 0.075,
    futureIm: 0.02,
    futureMm: 0.01,
  },
}

/**
 * `derive-standard@1`: Derive standard manager, BTC parameters.
 *
 * Verified by spec/liquidation/golden.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const DERIVE_STANDARD: MarginPreset = {
  name: 'derive-standard',
  version: 1,
  description: 'Derive standard manager: isolated margins with max-loss netting per expiry',
  sources: [
    'Derive docs, "Standard Margin Parameters", https://docs.derive.xyz/standard-margin-parameters (CALL_MM = PUT_MM = PUT_MTM = 0.09; PERP_REQ_MM 0.05, PERP_REQ_IM 0.066 for BTC; liquidation penalty 500 bps)',
    'Derive v2-core scripts/config-mainnet.sol getSRMParams("BTC"): maxSpotReq 0.15, minSpotReq 0.13, mmCallSpotReq 0.09, mmPutSpotReq 0.09, MMPutMtMReq 0.09, unpairedIMScale 1.2, unpairedMMScale 1.1, mmOffsetScale 1.05; formulas of StandardManager._getIsolatedMargin and the expiry max-loss',
  ],
  parameters: {
    model: 'derive-standard',
    maxSpotReq: 0.15,
    minSpotReq: 0.13,
    mmCallSpotReq: 0.09,
    mmPutSpotReq: 0.09,
    mmPutMtmReq: 0.09,
    unpairedImScale: 1.2,
    unpairedMmScale: 1.1,
    mmOffsetScale: 1.05,
    perpIm: 0.066,
    perpMm: 0.05,
  },
}

/**
 * `risk-matrix@1`: portfolio risk matrix in the shape of Deribit's BTC portfolio margin.
 *
 * Verified by spec/liquidation/golden.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const RISK_MATRIX: MarginPreset = {
  name: 'risk-matrix',
  version: 1,
  description:
    'Portfolio risk matrix: spot ±16 % in 9 buckets × vol up/unchanged/down (DTE-scaled), extended moves with vol up dampened, naked-short contingency, MM = 0.8·IM; full revaluation through the surface (sticky moneyness)',
  sources: [
    'Deribit BTC portfolio-margin parameters (price range 0.16 in 4 steps per side, vol range up 0.5 / down 0.25, min vol for shock up 0.5, vega power 0.3 short-term / 0.13 long-term) as published by Oreome, "Advanced Risk Scenarios", https://docs.oreome.com/docs/scenario/risk-scenario-advanced',
    'Deribit, "Portfolio Margin", https://www.deribit.com/pages/docs/portfoliomargin (max loss over price × IV moves with IV change (30/DTE)^0.3·x; contingency 0.01 BTC per net short option per strike)',
    'Extended moves −66 %, −33 %, +50 %…+500 % with vol up (issue 5); dampening 0.05 and MM factor 0.8 are project choices, not published Deribit values (at 0.05 the +500 % move charges a naked short call ≈ 0.25·S per unit)',
  ],
  parameters: {
    model: 'risk-matrix',
    spotRange: 0.16,
    spotSteps: 4,
    volUp: 0.5,
    volDown: 0.25,
    volRule: DERIBIT_VOL_SHOCK_RULE,
    extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5],
    extendedDampening: 0.05,
    nakedShortContingency: 0.01,
    mmFactor: 0.8,
  },
}

/**
 * Every shipped preset by name.
 *
 * Verified by spec/liquidation/golden.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const MARGIN_PRESETS: Readonly<Record<string, MarginPreset>> = {
  [DERIBIT_STANDARD.name]: DERIBIT_STANDARD,
  [DERIVE_STANDARD.name]: DERIVE_STANDARD,
  [RISK_MATRIX.name]: RISK_MATRIX,
}

/**
 * Default liquidation configuration: `deribit-standard@1`, the cost model above, Derive's 15 %
 * buffer, a 5 % penalty split 50/40/10 (insurance / liquidator / burn) and a USD 1,000,000 fund.
 *
 * Verified by spec/liquidation/cost.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const DEFAULT_LIQUIDATION_CONFIG: LiquidationConfig = {
  preset: DERIBIT_STANDARD,
  cost: {
    defaultRelativeSpread: 0.3,
    minHalfSpread: 0.0001,
    impactVol: 0.01,
    impactExponent: 0.5,
    referenceSize: 1,
    futureHalfSpread: 0.0001,
    futureImpact: 0.001,
    futureReferenceSize: 100,
  },
  plan: { bufferRate: 0.15, maxSteps: 64, fractionIterations: 40 },
  fees: {
    penaltyRate: 0.05,
    insuranceShare: 0.5,
    liquidatorShare: 0.4,
    burnShare: 0.1,
    insuranceFundUsd: 1_000_000,
  },
  liquidationPrice: { lowerFactor: 0.1, upperFactor: 10, gridPoints: 241, logTolerance: 1e-12 },
  full: true,
}

/**
 * Fills a partial configuration from {@link DEFAULT_LIQUIDATION_CONFIG}. The merge is shallow: a
 * given `cost`, `plan`, `fees` or `liquidationPrice` object replaces the default one whole, so pass
 * every field of it (e.g. `{ fees: { ...DEFAULT_LIQUIDATION_CONFIG.fees, penaltyRate: 0.03 } }`).
 *
 * Verified by spec/liquidation/golden.spec.ts.
 *
 * @category presets
 * @since 0.1.0
 */
export const liquidationConfig = (partial: Partial<LiquidationConfig> = {}): LiquidationConfig => ({
  ...DEFAULT_LIQUIDATION_CONFIG,
  ...partial,
})
