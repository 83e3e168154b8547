/**
 * mark-to-model: the public API. Every name here is part of the contract in DESIGN.md.
 *
 * @module
 * @since 0.1.0
 */
export * from './domain/units.js'
export * from './domain/errors.js'
export * from './domain/time.js'
export * from './domain/snapshot.js'
export * from './domain/surface.js'
export * from './domain/mark.js'
export * from './domain/account.js'
export * from './domain/instrument.js'
export * from './domain/sabrInputs.js'
export * from './pricing/sabr.js'
export * from './domain/pricingInputs.js'
export * from './pricing/black76.js'
export * from './pricing/greeks.js'
export * from './domain/inputErrors.js'
export * from './io/pythonLiteral.js'
export * from './io/deribitChain.js'
export * from './io/deribitOrderBook.js'
export * from './io/cboe.js'
export * from './io/snapshotJson.js'
export * from './io/readSnapshotFile.js'
export * from './core/normal.js'
export * from './pricing/normalisedBlack.js'
export * from './core/levenbergMarquardt.js'
export * from './surface/sabrFit.js'
