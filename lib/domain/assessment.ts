/**
 * The `AccountAssessment` record: what the liquidation engine says about one account — equity,
 * margin, status, the inputs that decided it, liquidation prices, liquidation cost, the
 * incremental plan and fees. JSON-serialisable (numbers are finite or `null`; "no liquidation
 * price" is the string `'none'`); io-ts codec below so the CLI, the library and a remote caller
 * share one schema.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { Account } from './account.js'
import { type InvalidInput, fromValidationErrors } from './errors.js'

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null])

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * Schema tag of {@link AccountAssessment}.
 *
 * @category constants
 * @since 0.1.0
 */
export const ASSESSMENT_SCHEMA = 'mark-to-model/assessment@1'

/**
 * Account status codec.
 *
 * @category codecs
 * @since 0.1.0
 */
export const AccountStatusCodec = t.keyof({
  healthy: null,
  'margin-call': null,
  liquidatable: null,
  insolvent: null,
})

const MarkUsed = t.type({
  instrument: t.string,
  source: t.keyof({ market: null, model: null }),
  side: t.keyof({ long: null, short: null }),
  premium: t.number,
  premiumCurrency: t.keyof({ coin: null, quote: null }),
})

const ScenarioUsed = t.type({ name: t.string, spotMove: t.number, volShock: t.number, lossUsd: t.number })

const PositionAssessment = t.type({
  instrument: t.string,
  size: t.number,
  valueUsd: t.number,
  imUsd: nullable(t.number),
  mmUsd: nullable(t.number),
})

const PriceOrNone = t.union([t.number, t.literal('none')])

const LiquidationPricesCodec = t.type({
  below: PriceOrNone,
  above: PriceOrNone,
  all: t.readonlyArray(t.number),
  range: t.readonly(t.tuple([t.number, t.number])),
})

const PositionCostCodec = t.type({
  instrument: t.string,
  size: t.number,
  costPremium: t.number,
  premiumCurrency: t.keyof({ coin: null, quote: null }),
  costUsd: t.number,
  method: t.keyof({ book: null, model: null }),
  unfilled: t.number,
})

const LiquidationCostCodec = t.type({
  positions: t.readonlyArray(PositionCostCodec),
  totalUsd: t.number,
  totalCoin: t.number,
})

const PlanStepCodec = t.type({
  instrument: t.string,
  closedSize: t.number,
  fraction: t.number,
  costUsd: t.number,
  equityUsd: t.number,
  imUsd: t.number,
  mmUsd: t.number,
  bufferUsd: t.number,
  status: AccountStatusCodec,
  netDelta: t.number,
})

const PlanCodec = t.type({
  bufferRate: t.number,
  achieved: t.boolean,
  reason: nullable(t.string),
  steps: t.readonlyArray(PlanStepCodec),
  totalCostUsd: t.number,
})

const FeesCodec = t.type({
  penaltyUsd: t.number,
  insuranceFundUsd: t.number,
  liquidatorUsd: t.number,
  burnUsd: t.number,
  shortfallUsd: t.number,
  insuranceDrawUsd: t.number,
  socialisedLossUsd: t.number,
  residualEquityUsd: t.number,
})

/**
 * Codec of an account assessment. Money in USD unless the field says `Coin` (units of the
 * underlying) or `Premium` (the instrument's premium currency).
 *
 * @category codecs
 * @since 0.1.0
 */
export const AccountAssessment = t.type(
  {
    schema: t.literal(ASSESSMENT_SCHEMA),
    account: t.string,
    asOf: t.string,
    underlying: t.string,
    spot: t.number,
    preset: t.type({
      name: t.string,
      version: t.number,
      description: t.string,
      sources: t.readonlyArray(t.string),
      parameters: t.UnknownRecord,
    }),
    equityUsd: t.number,
    equityCoin: t.number,
    collateralUsd: t.number,
    positionsValueUsd: t.number,
    initialMarginUsd: t.number,
    maintenanceMarginUsd: t.number,
    marginUsage: t.type({ initial: nullable(t.number), maintenance: nullable(t.number) }),
    status: AccountStatusCodec,
    decidedBy: t.type({
      rule: t.string,
      marks: t.readonlyArray(MarkUsed),
      scenario: nullable(ScenarioUsed),
      contingencyUsd: t.number,
      nettingReliefUsd: t.number,
      notes: t.readonlyArray(t.string),
    }),
    positions: t.readonlyArray(PositionAssessment),
    liquidationPrices: nullable(LiquidationPricesCodec),
    liquidationCost: nullable(LiquidationCostCodec),
    plan: nullable(PlanCodec),
    fees: nullable(FeesCodec),
  },
  'AccountAssessment',
)
/**
 * An account assessment.
 *
 * @category model
 * @since 0.1.0
 */
export type AccountAssessment = t.TypeOf<typeof AccountAssessment>

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Codec of an accounts file: a JSON array of {@link Account} (extra fields such as `note` are
 * allowed and ignored).
 *
 * @category codecs
 * @since 0.1.0
 */
export const AccountList = t.array(Account, 'AccountList')

/**
 * Decodes an accounts file's parsed JSON; every failure is an {@link InvalidInput} naming the
 * path (`3.positions.0.size`), the value and the rule.
 *
 * Verified by spec/liquidation/margin.spec.ts.
 *
 * @example
 * decodeAccounts([{ id: 'a1', collateral: { USD: 1 }, positions: [] }]) // right([...])
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeAccounts = (raw: unknown): E.Either<readonly InvalidInput[], Account[]> => {
  const r = AccountList.decode(raw)
  return E.isLeft(r) ? E.left(fromValidationErrors(r.left)) : E.right(r.right)
}
