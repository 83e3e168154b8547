/**
 * Marking parameter sets: the liquidity thresholds and mark settings, as named, versioned data.
 * The name (e.g. `deribit-v1`) is echoed into every mark and every output, and the whole set
 * enters each mark's fingerprint, so a mark can be replayed with exactly the rules that made it.
 *
 * A parameter set is never edited in place: a change of any threshold is a new name
 * (`deribit-v2`). See docs/methodology/marking.md for how the values were chosen.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type UnknownParameterSet, unknownParameterSet } from '../domain/markErrors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Liquidity thresholds. A book is `liquid` only when every test that its data allow passes;
 * tests whose input the snapshot does not hold (sizes, depth, quote times) are skipped, not
 * failed.
 *
 * @category model
 * @since 0.1.0
 */
export interface LiquidityThresholds {
  /** Largest (ask − bid) / mid, dimensionless. */
  readonly maxRelativeSpread: number
  /** Largest (ask IV − bid IV) in vol points (1 = 1% annual vol). */
  readonly maxSpreadVolPoints: number
  /** Smallest size at the best bid and at the best ask, units of the underlying (when sizes are given). */
  readonly minTopSize: number
  /** Relative half-width δ of the price band [mid·(1 − δ), mid·(1 + δ)] in which depth is counted. */
  readonly depthPriceBand: number
  /** Smallest depth inside the price band on each side, units of the underlying (when depth is given). */
  readonly minDepthInBand: number
  /** Largest quote age in seconds at the snapshot instant (when quote times are given). */
  readonly maxQuoteAgeSeconds: number
}

/**
 * How model marks treat the far wings of an expiry, beyond the quotes that carry vol
 * information.
 *
 * `flat-beyond-last-two-sided`: on each side of the forward, the wing strike is the listed
 * strike farthest from the forward whose out-of-the-money option (call at K ≥ F, put at K < F)
 * has a two-sided quote (bid and ask both invertible to a vol). Beyond it a model mark takes the
 * surface vol at the wing strike, held flat in strike, except just past it, where the price
 * follows the tangent of the surface's price curve so that prices stay convex in strike (no
 * butterfly arbitrage at the join). Only book data (strikes, bids, asks) and the surface enter
 * the rule; the exchange's own marks never do. See `wingStrikes` and `markInstrument` in
 * `mark.ts`, and docs/methodology/marking.md ("Far wings") for the measurements behind it.
 *
 * @category model
 * @since 0.1.0
 */
export interface WingRule {
  /** The rule's name. */
  readonly mode: 'flat-beyond-last-two-sided'
}

/**
 * Mark settings.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkSettings {
  /**
   * Notional N (units of the underlying) of the depth-weighted mid: the mid of the volume-weighted
   * prices of the first N units on each side (when depth is given).
   */
  readonly depthNotional: number
  /** Half-width of the confidence band in standard deviations of the vol uncertainty. */
  readonly bandZ: number
  /** Floor on the vol uncertainty (decimal vol) so a perfect fit never gives a zero-width band. */
  readonly minBandVol: number
  /** Far-wing rule of model marks; absent: the fitted surface's wings are used as they are. */
  readonly wing?: WingRule | undefined
}

/**
 * A named, versioned marking parameter set.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkingParameters {
  /** Name, e.g. `deribit-v1`; echoed into every mark as `parameterSet`. */
  readonly name: string
  /** Version number (the suffix of the name). */
  readonly version: number
  /** What the set is for. */
  readonly description: string
  /** Liquidity thresholds. */
  readonly liquidity: LiquidityThresholds
  /** Mark settings. */
  readonly mark: MarkSettings
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * `deribit-v1`: for Deribit's inverse (coin-premium) BTC / ETH options. A two-sided book is
 * liquid when its spread is at most 15% of mid and at most 4 vol points; sizes ≥ 1 coin at the
 * top, ≥ 1 coin within ±5% of mid, quotes at most 5 minutes old (when given). Depth-weighted mid
 * over 10 coin. Band: ±2 standard deviations, floor 0.25 vol points.
 *
 * Chosen on the three Deribit chains of spec/fixtures/data: 29–48% of listed instruments pass
 * (11% of ETH on the stressed 2026-02-05 chain); their mid IV is within 0.1 vol point (median) of
 * Deribit's own mark IV on the calm days (spec/marking/deribit.spec.ts prints the figures).
 *
 * @category constants
 * @since 0.1.0
 */
export const DERIBIT_V1: MarkingParameters = {
  name: 'deribit-v1',
  version: 1,
  description: 'Deribit inverse BTC/ETH options: spread <= 15% of mid and <= 4 vol points',
  liquidity: {
    maxRelativeSpread: 0.15,
    maxSpreadVolPoints: 4,
    minTopSize: 1,
    depthPriceBand: 0.05,
    minDepthInBand: 1,
    maxQuoteAgeSeconds: 300,
  },
  mark: { depthNotional: 10, bandZ: 2, minBandVol: 0.0025 },
}

/**
 * `deribit-v2`: `deribit-v1` plus the far-wing rule `flat-beyond-last-two-sided`: a model mark
 * beyond the outermost two-sided out-of-the-money quote of its expiry takes the surface vol at
 * that strike (flat in strike, joined to the fitted smile without butterfly arbitrage) instead of
 * the fitted wing. Liquidity thresholds, depth notional and band as `deribit-v1`.
 *
 * Measured on the three Deribit chains of spec/fixtures/data (spec/marking/deribit.spec.ts):
 * |our mark IV − Deribit mark IV| p95 over all instruments 14.4 → 8.4 vol points; the median
 * and the leave-one-out share are unchanged (docs/methodology/marking.md, "Far wings"). The
 * default for coin-premium chains; `deribit-v1` (the fitted wing everywhere) stays available by name.
 *
 * @category constants
 * @since 0.1.0
 */
export const DERIBIT_V2: MarkingParameters = {
  name: 'deribit-v2',
  version: 2,
  description:
    'Deribit inverse BTC/ETH options: deribit-v1 thresholds; model wings flat beyond the last two-sided quote',
  liquidity: DERIBIT_V1.liquidity,
  mark: { ...DERIBIT_V1.mark, wing: { mode: 'flat-beyond-last-two-sided' } },
}

/**
 * `cboe-v1`: for linear (USD-premium) index options such as SPX on CBOE: spread at most 10% of
 * mid and 3 vol points; sizes ≥ 1 contract; quotes at most 5 minutes old. Band as `deribit-v1`.
 *
 * @category constants
 * @since 0.1.0
 */
export const CBOE_V1: MarkingParameters = {
  name: 'cboe-v1',
  version: 1,
  description: 'Linear USD-premium index options: spread <= 10% of mid and <= 3 vol points',
  liquidity: {
    maxRelativeSpread: 0.1,
    maxSpreadVolPoints: 3,
    minTopSize: 1,
    depthPriceBand: 0.05,
    minDepthInBand: 1,
    maxQuoteAgeSeconds: 300,
  },
  mark: { depthNotional: 10, bandZ: 2, minBandVol: 0.0025 },
}

/**
 * Every preset by name.
 *
 * @category constants
 * @since 0.1.0
 */
export const MARKING_PRESETS: Readonly<Record<string, MarkingParameters>> = {
  [DERIBIT_V1.name]: DERIBIT_V1,
  [DERIBIT_V2.name]: DERIBIT_V2,
  [CBOE_V1.name]: CBOE_V1,
}

/**
 * The default parameter set (`deribit-v2`).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MARKING_PARAMETERS: MarkingParameters = DERIBIT_V2

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Looks a preset up by name; `UnknownParameterSet` (listing the known names) when there is none.
 *
 * Verified by spec/marking/config.spec.ts.
 *
 * @example
 * markingPreset('deribit-v2') // right(DERIBIT_V2)
 *
 * @category constructors
 * @since 0.1.0
 */
export const markingPreset = (name: string): E.Either<UnknownParameterSet, MarkingParameters> => {
  const p = Object.prototype.hasOwnProperty.call(MARKING_PRESETS, name) ? MARKING_PRESETS[name] : undefined
  return p === undefined ? E.left(unknownParameterSet(name, Object.keys(MARKING_PRESETS).sort())) : E.right(p)
}

/**
 * The preset that suits a snapshot's premium convention: `deribit-v2` for coin-premium
 * (inverse) chains, `cboe-v1` for quote-currency (linear) chains.
 *
 * Verified by spec/marking/config.spec.ts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const presetForPremium = (premium: 'coin' | 'quote'): MarkingParameters =>
  premium === 'coin' ? DERIBIT_V2 : CBOE_V1
