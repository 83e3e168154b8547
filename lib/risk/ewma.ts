/**
 * Return scenarios from a price history: plain historical simulation and filtered historical
 * simulation (EWMA volatility rescaling).
 *
 * @module
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/**
 * Daily log returns r_t = ln(P_t / P_{t−1}); length n − 1. NaN where a price is not positive.
 *
 * Verified by spec/risk/ewma.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const logReturns = (prices: Float64Array): Float64Array => {
  const out = new Float64Array(Math.max(prices.length - 1, 0))
  for (let i = 1; i < prices.length; i++) {
    const a = prices[i - 1] as number
    const b = prices[i] as number
    out[i - 1] = a > 0 && b > 0 ? Math.log(b / a) : NaN
  }
  return out
}

/**
 * EWMA variance path (RiskMetrics 1996): σ²₀ = the sample variance of the first `seed` returns
 * (mean zero), then σ²_t = λσ²_{t−1} + (1 − λ) r²_{t−1}. `out[t]` is the variance forecast for
 * return t made with returns before t; `out[n]` is the forecast for the next, unseen day.
 *
 * Reference: J.P. Morgan/Reuters (1996), RiskMetrics Technical Document, 4th ed., §5.2.1, eq.
 * (5.3); λ = 0.94 for daily data. Verified by spec/risk/ewma.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const ewmaVariance = (returns: Float64Array, lambda = 0.94, seed = 30): Float64Array => {
  const n = returns.length
  const out = new Float64Array(n + 1)
  const m = Math.min(Math.max(seed, 1), n)
  let v = 0
  for (let i = 0; i < m; i++) v += (returns[i] as number) ** 2
  v = m > 0 ? v / m : 0
  out[0] = v
  for (let t = 1; t <= n; t++) {
    v = lambda * v + (1 - lambda) * (returns[t - 1] as number) ** 2
    out[t] = v
  }
  return out
}

/**
 * Filtered historical simulation (Hull & White 1998; Barone-Adesi et al. 1999): each return is
 * devolatilised by its own EWMA forecast and rescaled to today's forecast,
 *
 * $$r^*_t = r_t\,\frac{\hat\sigma_{n}}{\hat\sigma_t}$$
 *
 * so a calm history does not understate risk in a volatile market, and vice versa. Returns
 * where σ̂_t = 0 are left unscaled.
 *
 * References: J. Hull, A. White (1998), "Incorporating volatility updating into the historical
 * simulation method for value-at-risk", Journal of Risk 1(1), 5–19; G. Barone-Adesi, K. Giannopoulos,
 * L. Vosper (1999), "VaR without correlations for portfolios of derivative securities", Journal of
 * Futures Markets 19(5), 583–602. Verified by spec/risk/ewma.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const filteredReturns = (returns: Float64Array, lambda = 0.94, seed = 30): Float64Array => {
  const v = ewmaVariance(returns, lambda, seed)
  const today = Math.sqrt(v[returns.length] as number)
  const out = new Float64Array(returns.length)
  for (let t = 0; t < returns.length; t++) {
    const s = Math.sqrt(v[t] as number)
    out[t] = s > 0 ? ((returns[t] as number) * today) / s : (returns[t] as number)
  }
  return out
}

/**
 * h-day log-return scenarios from daily ones: `'overlapping'` sums h consecutive daily returns
 * (n − h + 1 scenarios); `'sqrt-time'` scales each daily return by √h (n scenarios). h = 1 returns
 * a copy.
 *
 * Verified by spec/risk/ewma.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const horizonReturns = (
  daily: Float64Array,
  horizonDays: number,
  method: 'overlapping' | 'sqrt-time' = 'overlapping',
): Float64Array => {
  const h = Math.max(1, Math.round(horizonDays))
  if (h === 1) return Float64Array.from(daily)
  if (method === 'sqrt-time') return daily.map((r) => r * Math.sqrt(h))
  const n = Math.max(daily.length - h + 1, 0)
  const out = new Float64Array(n)
  let s = 0
  for (let i = 0; i < h - 1 && i < daily.length; i++) s += daily[i] as number
  for (let i = 0; i < n; i++) {
    s += daily[i + h - 1] as number
    out[i] = s
    s -= daily[i] as number
  }
  return out
}
