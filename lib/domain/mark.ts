/**
 * The `Mark` record: the value the settlement layer settles and liquidates on, with the
 * provenance an auditor needs to reproduce it. JSON-serialisable; io-ts codec below.
 *
 * @module
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { OptionKind } from './units.js'

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * Liquidity verdict of a book: `liquid` (market mark), `thin` (model mark, with reasons) or
 * `no-market` (no quote at all).
 *
 * @category codecs
 * @since 0.1.0
 */
export const LiquidityVerdict = t.keyof({ liquid: null, thin: null, 'no-market': null })
/**
 * Liquidity verdict.
 *
 * @category model
 * @since 0.1.0
 */
export type LiquidityVerdict = t.TypeOf<typeof LiquidityVerdict>

/**
 * The liquidity assessment of one instrument: the verdict, every reason for it and the metrics
 * it was computed from (null where the snapshot does not hold the input).
 *
 * @category codecs
 * @since 0.1.0
 */
export const LiquidityAssessment = t.type(
  {
    verdict: LiquidityVerdict,
    reasons: t.array(t.string),
    metrics: t.type({
      twoSided: t.boolean,
      relativeSpread: t.union([t.number, t.null]),
      spreadVolPoints: t.union([t.number, t.null]),
      topSize: t.union([t.number, t.null]),
      depthInBand: t.union([t.number, t.null]),
      quoteAgeSeconds: t.union([t.number, t.null]),
      crossed: t.boolean,
      locked: t.boolean,
    }),
  },
  'LiquidityAssessment',
)
/**
 * Liquidity assessment.
 *
 * @category model
 * @since 0.1.0
 */
export type LiquidityAssessment = t.TypeOf<typeof LiquidityAssessment>

/**
 * A mark. Prices (`markPrice`, `modelPrice`, `lower`, `upper`) are in the snapshot's premium
 * convention (coin for Deribit); vols are decimals; `expiryYears` ACT/365.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Mark = t.type(
  {
    instrument: t.string,
    underlying: t.string,
    kind: OptionKind,
    strike: t.number,
    expiry: t.string,
    expiryYears: t.number,
    forward: t.number,
    premium: t.keyof({ coin: null, quote: null }),
    markPrice: t.number,
    markIv: t.number,
    source: t.keyof({ market: null, model: null }),
    model: t.string,
    modelPrice: t.number,
    modelIv: t.number,
    lower: t.number,
    upper: t.number,
    liquidity: LiquidityAssessment,
    fingerprint: t.string,
  },
  'Mark',
)
/**
 * A mark with provenance.
 *
 * @category model
 * @since 0.1.0
 */
export type Mark = t.TypeOf<typeof Mark>

/**
 * Which side of a one-sided or wide book bounded a model mark: `none` (the model price was
 * already inside the firm quotes), `bid` (raised to the firm bid) or `ask` (lowered to the firm
 * ask). Market marks are `none`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const MarkBound = t.keyof({ none: null, bid: null, ask: null })
/**
 * Which firm quote bounded a model mark.
 *
 * @category model
 * @since 0.1.0
 */
export type MarkBound = t.TypeOf<typeof MarkBound>

/**
 * A {@link Mark} with the provenance the marking engine adds: the name of the marking parameter
 * set (e.g. `deribit-v1`), the best bid / ask it saw (premium convention, `null` when that side
 * was empty), their Black-76 implied vols (decimal, `null` when empty or not invertible) and which
 * firm quote bounded a model mark. Every `MarkRecord` is a valid `Mark`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const MarkRecord = t.intersection(
  [
    Mark,
    t.type({
      parameterSet: t.string,
      bid: t.union([t.number, t.null]),
      ask: t.union([t.number, t.null]),
      bidIv: t.union([t.number, t.null]),
      askIv: t.union([t.number, t.null]),
      bound: MarkBound,
    }),
  ],
  'MarkRecord',
)
/**
 * A mark with the marking engine's provenance fields.
 *
 * @category model
 * @since 0.1.0
 */
export type MarkRecord = t.TypeOf<typeof MarkRecord>
