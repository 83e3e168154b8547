/**
 * Standard (per-position) margin: the Deribit shape and the Derive standard-manager shape with
 * max-loss netting per expiry. Requirements are in USD and positive; an account is compared as
 * `equity` vs `IM`/`MM` with equity = collateral + value of positions (see `market.ts`).
 *
 * Both are positively homogeneous of degree 1 in the sizes: scaling every position by λ > 0
 * scales IM and MM by λ (spec/liquidation/properties.spec.ts).
 *
 * @module
 * @since 0.1.0
 */
import type { DeribitStandardParameters, DeriveStandardParameters } from './presets.js'

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

/**
 * Deribit standard margin per unit of one position, USD, written into `out[0]` (IM) and `out[1]`
 * (MM). `type` 0 option / 1 future / 2 perpetual; `q` +1 call / −1 put; `spot` the index S;
 * `forward` F (futures notional); `priceUsd` P = valuation premium in USD (p_coin·S).
 *
 * Short call: IM = max(imBase − OTM/S, imFloor)·S + P, MM = mm·S + P (OTM = max(K − S, 0)).
 * Short put: MM = max(mm·S, putMmMarkFactor·P) + P, IM = max(max(imBase − OTM/S, imFloor)·S + P, MM)
 * (OTM = max(S − K, 0)). Long option: IM = MM = P. Future / perpetual: futureIm·F, futureMm·F.
 * Reference: Deribit standard margin (docs/methodology/liquidation.md, sources of
 * `DERIBIT_STANDARD`). Verified by spec/liquidation/golden.spec.ts (hand-worked).
 *
 * @category kernels
 * @since 0.1.0
 */
export const deribitUnitMargin = (
  p: DeribitStandardParameters,
  type: number,
  q: number,
  strike: number,
  spot: number,
  forward: number,
  priceUsd: number,
  short: boolean,
  out: Float64Array,
): void => {
  if (type !== 0) {
    out[0] = p.futureIm * forward
    out[1] = p.futureMm * forward
    return
  }
  if (!short) {
    out[0] = priceUsd
    out[1] = priceUsd
    return
  }
  const otm = q > 0 ? (strike > spot ? strike - spot : 0) : spot > strike ? spot - strike : 0
  const a = p.imBase - otm / spot
  const imSpot = (a > p.imFloor ? a : p.imFloor) * spot + priceUsd
  if (q > 0) {
    out[0] = imSpot
    out[1] = p.mm * spot + priceUsd
    return
  }
  const x = p.mm * spot
  const y = p.putMmMarkFactor * priceUsd
  const mm = (x > y ? x : y) + priceUsd
  out[0] = imSpot > mm ? imSpot : mm
  out[1] = mm
}

/**
 * Derive standard-manager isolated requirement per unit of one position, USD, into `out[0]`
 * (IM) and `out[1]` (MM). Requirement form (the short's mark-to-market is already in equity):
 * short call IM = m·S, MM = mmCallSpotReq·S; short put MM = max(mmPutSpotReq·S, mmPutMtmReq·P),
 * IM = max(m·S, mmOffsetScale·(MM + P) − P); m = max(maxSpotReq − OTM/S, minSpotReq); long
 * option P; perp / future perpIm·F, perpMm·F. Reference: Derive v2-core
 * `StandardManager._getIsolatedMargin`. Verified by spec/liquidation/golden.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const deriveUnitMargin = (
  p: DeriveStandardParameters,
  type: number,
  q: number,
  strike: number,
  spot: number,
  forward: number,
  priceUsd: number,
  short: boolean,
  out: Float64Array,
): void => {
  if (type !== 0) {
    out[0] = p.perpIm * forward
    out[1] = p.perpMm * forward
    return
  }
  if (!short) {
    out[0] = priceUsd
    out[1] = priceUsd
    return
  }
  const otm = q > 0 ? (strike > spot ? strike - spot : 0) : spot > strike ? spot - strike : 0
  const a = p.maxSpotReq - otm / spot
  const imSpot = (a > p.minSpotReq ? a : p.minSpotReq) * spot
  if (q > 0) {
    out[0] = imSpot
    out[1] = p.mmCallSpotReq * spot
    return
  }
  const x = p.mmPutSpotReq * spot
  const y = p.mmPutMtmReq * priceUsd
  const mm = x > y ? x : y
  const off = p.mmOffsetScale * (mm + priceUsd) - priceUsd
  out[0] = imSpot > off ? imSpot : off
  out[1] = mm
}

/**
 * Payoff at settlement price x of an expiry's options, USD: Σ n·max(q·(x − K), 0).
 */
const payoffAt = (
  x: number,
  idx: ArrayLike<number>,
  count: number,
  q: ArrayLike<number>,
  strike: ArrayLike<number>,
  size: ArrayLike<number>,
): number => {
  let v = 0
  for (let j = 0; j < count; j++) {
    const i = idx[j] as number
    const d = (q[i] as number) * (x - (strike[i] as number))
    if (d > 0) v += (size[i] as number) * d
  }
  return v
}

/**
 * Derive max-loss requirement of one expiry's options, USD, IM (`initial` true) or MM:
 * `V_e − L_e` with `V_e` the expiry's signed value and
 * `L_e = min(0, min_{x ∈ {0} ∪ strikes} payoff(x)) + unpairedScale·F·min(0, net calls)`.
 * `idx` lists the positions (indices into q/strike/size/value) of the expiry.
 *
 * Verified by spec/liquidation/golden.spec.ts (put spread and naked call by hand).
 *
 * @category kernels
 * @since 0.1.0
 */
export const deriveMaxLossRequirement = (
  p: DeriveStandardParameters,
  initial: boolean,
  forward: number,
  idx: ArrayLike<number>,
  count: number,
  q: ArrayLike<number>,
  strike: ArrayLike<number>,
  size: ArrayLike<number>,
  valueUsd: ArrayLike<number>,
): number => {
  let worst = payoffAt(0, idx, count, q, strike, size)
  let netCalls = 0
  let v = 0
  for (let j = 0; j < count; j++) {
    const i = idx[j] as number
    const x = payoffAt(strike[i] as number, idx, count, q, strike, size)
    if (x < worst) worst = x
    if ((q[i] as number) > 0) netCalls += size[i] as number
    v += (size[i] as number) * (valueUsd[i] as number)
  }
  let loss = worst < 0 ? worst : 0
  if (netCalls < 0) loss += (initial ? p.unpairedImScale : p.unpairedMmScale) * forward * netCalls
  return v - loss
}
