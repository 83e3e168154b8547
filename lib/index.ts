/**
 * mark-to-model: the public API, in pipeline order (core → domain → pricing → surface → marking →
 * liquidation → risk; io readers last). Every name here is part of the contract in DESIGN.md.
 * The HTML report renderer (lib/io/report.ts) and the CLI are not re-exported, so importing the
 * library does not load echarts or commander.
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// core numerics (no domain knowledge)
// -------------------------------------------------------------------------------------
export * from './core/normal.js'
export * from './core/exactProduct.js'
export * from './core/rationalCubic.js'
export * from './core/leastSquares.js'
export * from './core/nelderMead.js'
export * from './core/levenbergMarquardt.js'

// -------------------------------------------------------------------------------------
// domain vocabulary: units, codecs, errors
// -------------------------------------------------------------------------------------
export * from './domain/units.js'
export * from './domain/errors.js'
export * from './domain/time.js'
export * from './domain/instrument.js'
export * from './domain/snapshot.js'
export * from './domain/inputErrors.js'
export * from './domain/pricingInputs.js'
export * from './domain/pricingErrors.js'
export * from './domain/surface.js'
export * from './domain/surfaceErrors.js'
export * from './domain/mark.js'
export * from './domain/markErrors.js'
export * from './domain/account.js'
export * from './domain/assessment.js'
export * from './domain/liquidationErrors.js'
export * from './domain/history.js'

// -------------------------------------------------------------------------------------
// pricing: Black-76, Greeks, implied vol, SABR
// -------------------------------------------------------------------------------------
export * from './pricing/normalisedBlack.js'
export * from './pricing/black76.js'
export * from './pricing/greeks.js'
export * from './pricing/impliedVol.js'
export * from './pricing/sabr.js'

// -------------------------------------------------------------------------------------
// volatility surface
// -------------------------------------------------------------------------------------
export * from './surface/config.js'
export * from './surface/forwards.js'
export * from './surface/quotes.js'
export * from './surface/svi.js'
export * from './surface/ssvi.js'
export * from './surface/arbitrage.js'
export * from './surface/sabrFit.js'
export * from './surface/interpolation.js'
export * from './surface/fitSurface.js'

// -------------------------------------------------------------------------------------
// marking
// -------------------------------------------------------------------------------------
export * from './marking/config.js'
export * from './marking/liquidity.js'
export * from './marking/fingerprint.js'
export * from './marking/mark.js'
export * from './marking/validate.js'

// -------------------------------------------------------------------------------------
// liquidation
// -------------------------------------------------------------------------------------
export * from './liquidation/presets.js'
export * from './liquidation/scenarios.js'
export * from './liquidation/market.js'
export * from './liquidation/standardMargin.js'
export * from './liquidation/status.js'
export * from './liquidation/margin.js'
export * from './liquidation/liquidationPrice.js'
export * from './liquidation/cost.js'
export * from './liquidation/plan.js'
export * from './liquidation/fees.js'
export * from './liquidation/assess.js'

// -------------------------------------------------------------------------------------
// risk
// -------------------------------------------------------------------------------------
export * from './risk/var.js'
export * from './risk/ewma.js'
export * from './risk/kupiec.js'
export * from './risk/backtest.js'
export * from './risk/scenarios.js'
export * from './risk/portfolio.js'
export * from './risk/market.js'
export * from './risk/stress.js'
export * from './risk/cascade.js'

// -------------------------------------------------------------------------------------
// input adapters (readers)
// -------------------------------------------------------------------------------------
export * from './io/pythonLiteral.js'
export * from './io/deribitChain.js'
export * from './io/deribitOrderBook.js'
export * from './io/cboe.js'
export * from './io/snapshotJson.js'
export * from './io/readSnapshotFile.js'
export * from './io/history.js'
