/**
 * Raw SVI slices: evaluation kernels, Durrleman's butterfly function g(k) and the robust,
 * butterfly-enforced quasi-explicit calibration of one expiry.
 *
 * ## API summary (for callers such as `fitSurface`)
 *
 * ```ts
 * interface SviParams { a: number; b: number; rho: number; m: number; sigma: number } // total-variance form
 * sviTotalVariance(p: SviParams, k: number): number              // w(k) = a + b(ρ(k−m) + √((k−m)²+σ²))
 * sviTotalVarianceUnsafe(a, b, rho, m, sigma, k): number          // positional kernel
 * sviEvaluate(p, k: Float64Array, out?: Float64Array): Float64Array
 * sviDerivatives(p, k, out: Float64Array /* length ≥ 3 *\/): out  // [w, w', w'']
 * durrlemanG(p: SviParams, k: number): number                     // g(k); ≥ 0 ⇔ no butterfly at k
 * durrlemanGFromDerivatives(k, w, dw, d2w): number
 * sviButterflyGrid(p, kMin, kMax): Float64Array                   // the documented check grid
 * sviMinDurrlemanG(p, grid?: Float64Array): { minG: number; kAtMin: number }
 * fitSviSlice({ k, w?, vols?, expiry, weights?, options? }): Either<SviFitError, SviSliceFit>
 *   // k = ln(K/F); w = σ²T (or vols + expiry); weights ≥ 0 (vega/spread, from the caller)
 *   // SviSliceFit: { params, minDurrlemanG, kAtMinG, butterflyRepaired, leeSlope,
 *   //   rmseVol, rmseTotalVariance, fittedTotalVariance, robustWeights,
 *   //   excluded: { index, reason }[], evaluations, notes }
 *   // SviFitError: InvalidInput | TooFewQuotes
 * ```
 *
 * SSVI lives in `ssvi.ts` (`fitSsvi`, `ssviTotalVariance`, `ssviToSvi`), calendar checks and
 * repair in `arbitrage.ts` (`calendarViolations`, `repairCalendarSvi`).
 *
 * @module
 * @since 0.1.0
 */
export {}
