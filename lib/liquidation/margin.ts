/**
 * Equity and margin of compiled accounts under any margin preset, for one account at any spot
 * (the liquidation-price search and the plan call {@link evaluateAccount}) and for many accounts
 * at the current market (the batch path, {@link marginBatch}: each instrument repriced once per
 * scenario, then positions aggregated by index).
 *
 * @module
 * @since 0.1.0
 */
import {
  type MarketContext,
  type AccountBook,
  InstrumentType,
  nakedShortUnits,
  repriceInstruments,
  rowValue,
} from './market.js'
import type { DeriveStandardParameters, MarginPreset, RiskMatrixParameters } from './presets.js'
import { type MarginScenario, riskMatrixScenarios } from './scenarios.js'
import { deribitUnitMargin, deriveUnitMargin } from './standardMargin.js'
import { statusCode } from './status.js'
import { type AggregationKernel, aggregateRiskMatrix } from './aggregate.js'

export type { AggregationKernel } from './aggregate.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The positions and collateral an evaluation needs (a {@link CompiledAccount} or a modified
 * copy of one, as the plan builds).
 *
 * @category model
 * @since 0.1.0
 */
export interface PortfolioColumns {
  /** Matrix rows. */
  readonly rows: Int32Array
  /** Signed sizes. */
  readonly sizes: Float64Array
  /** USD collateral. */
  readonly cashUsd: number
  /** Underlying collateral, units. */
  readonly coin: number
  /** Futures entry term, USD. */
  readonly entryUsd: number
}

/**
 * Equity and margin of one account at one spot.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarginState {
  /** Spot the state was computed at. */
  readonly spot: number
  /** Equity, USD (collateral + positions at valuation premiums). */
  readonly equityUsd: number
  /** Initial margin, USD. */
  readonly imUsd: number
  /** Maintenance margin, USD. */
  readonly mmUsd: number
  /** Risk matrix: index of the scenario that set the margin (−1 when no scenario loses, or standard). */
  readonly worstScenario: number
  /** Risk matrix: dampened loss of that scenario, USD (0 for standard). */
  readonly worstLossUsd: number
  /** Risk matrix: naked-short contingency, USD (0 for standard). */
  readonly contingencyUsd: number
  /** Derive: IM relief from max-loss netting, USD (0 otherwise). */
  readonly nettingReliefUsd: number
}

/**
 * Scenarios of a preset (risk matrix) or an empty list (standard presets).
 *
 * Verified by spec/liquidation/margin.spec.ts.
 *
 * @category scenarios
 * @since 0.1.0
 */
export const presetScenarios = (preset: MarginPreset): MarginScenario[] =>
  preset.parameters.model === 'risk-matrix' ? riskMatrixScenarios(preset.parameters) : []

// -------------------------------------------------------------------------------------
// standard margin from position values
// -------------------------------------------------------------------------------------

const unit = new Float64Array(2)

const makeScratch = (n: number) => ({
  eid: new Int32Array(n),
  q: new Float64Array(n),
  k: new Float64Array(n),
  sz: new Float64Array(n),
  val: new Float64Array(n),
  uIm: new Float64Array(n),
  uMm: new Float64Array(n),
  idx: new Int32Array(n),
  next: new Int32Array(n),
})
let scratch = makeScratch(64)
const scratchFor = (count: number): ReturnType<typeof makeScratch> => {
  if (count > scratch.eid.length) scratch = makeScratch(2 * count)
  return scratch
}

/** Per expiry id: first and last position of its group in the current call, valid when stamped. */
let groupHead: Int32Array = new Int32Array(16)
let groupTail: Int32Array = new Int32Array(16)
let groupStamp: Int32Array = new Int32Array(16)
let stamp = 0

/**
 * Derive standard margin of `count` positions laid out in the scratch columns (expiry id, −1 for
 * futures; q, strike, size, USD value, unit IM and MM): isolated per position, options grouped by
 * expiry for the max-loss netting (worst settlement payoff on {0} ∪ strikes, shared by IM and
 * MM). Writes IM, MM and the netting relief into `out[0..2]`. The unit margins are filled by the
 * caller (per position at any spot, or per matrix row once per batch). Groups are linked lists in
 * position order built in one pass, and each group is counted at its first position, so sums run
 * in the same order as a scan for each expiry's positions would give.
 */
const deriveNetting = (
  par: DeriveStandardParameters,
  sc: ReturnType<typeof makeScratch>,
  count: number,
  forward: ArrayLike<number>,
  rows: ArrayLike<number>,
  lo: number,
  m: number,
  out: Float64Array,
): void => {
  const { eid, q, k, sz, val, uIm, uMm, idx, next } = sc
  if (stamp === 0x7fffffff) {
    groupStamp.fill(0)
    stamp = 0
  }
  const st = ++stamp
  for (let a = 0; a < count; a++) {
    const e = eid[a] as number
    if (e < 0) continue
    if (e >= groupHead.length) {
      const n = 2 * e + 2
      const grow = (x: Int32Array): Int32Array => {
        const y = new Int32Array(n)
        y.set(x)
        return y
      }
      groupHead = grow(groupHead)
      groupTail = grow(groupTail)
      groupStamp = grow(groupStamp)
    }
    if (groupStamp[e] !== st) {
      groupStamp[e] = st
      groupHead[e] = a
    } else next[groupTail[e] as number] = a
    groupTail[e] = a
    next[a] = -1
  }
  let im = 0
  let mm = 0
  let relief = 0
  for (let a = 0; a < count; a++) {
    const expiry = eid[a] as number
    if (expiry < 0) {
      const n = Math.abs(sz[a] as number)
      im += n * (uIm[a] as number)
      mm += n * (uMm[a] as number)
      continue
    }
    if (groupHead[expiry] !== a) continue
    let c = 0
    let isoIm = 0
    let isoMm = 0
    let ve = 0
    let netCalls = 0
    for (let b = a; b >= 0; b = next[b] as number) {
      idx[c++] = b
      const n = sz[b] as number
      // |n| and a select instead of branches (random signs and kinds were mispredicted); same sums:
      // they start at +0 and never become −0, so |−0| = +0 and adding +0 change nothing
      const x = Math.abs(n)
      isoIm += x * (uIm[b] as number)
      isoMm += x * (uMm[b] as number)
      ve += n * (val[b] as number)
      netCalls += (q[b] as number) > 0 ? n : 0
    }
    let worst = 0
    for (let g = -1; g < c; g++) {
      const xg = g < 0 ? 0 : (k[idx[g] as number] as number)
      let pay = 0
      for (let h = 0; h < c; h++) {
        const b = idx[h] as number
        // adding sz·0 = ±0 where d ≤ 0 (or NaN) leaves the sum as adding only where d > 0
        const d = (q[b] as number) * (xg - (k[b] as number))
        pay += (sz[b] as number) * (d > 0 ? d : 0)
      }
      if (pay < worst) worst = pay
    }
    const f = (forward[(rows[lo + a] as number) >> 1] as number) * m
    const short = netCalls < 0 ? f * netCalls : 0
    const mlIm = ve - (worst + par.unpairedImScale * short)
    const mlMm = ve - (worst + par.unpairedMmScale * short)
    if (mlIm < isoIm) relief += isoIm - mlIm
    im += mlIm < isoIm ? mlIm : isoIm
    mm += mlMm < isoMm ? mlMm : isoMm
  }
  out[0] = im
  out[1] = mm
  out[2] = relief
}

/**
 * Standard margin of positions whose unit USD values are given, at spot multiplier m; writes IM,
 * MM and the Derive netting relief into `out[0..2]`.
 */
const standardFromValues = (
  ctx: MarketContext,
  preset: MarginPreset,
  rows: ArrayLike<number>,
  sizes: ArrayLike<number>,
  lo: number,
  hi: number,
  values: ArrayLike<number>,
  m: number,
  out: Float64Array,
): void => {
  const tb = ctx.table
  const spot = ctx.spot * m
  const par = preset.parameters
  let im = 0
  let mm = 0
  if (par.model === 'deribit-standard') {
    for (let j = lo; j < hi; j++) {
      const r = rows[j] as number
      const i = r >> 1
      const n = sizes[j] as number
      deribitUnitMargin(
        par,
        tb.type[i] as number,
        tb.q[i] as number,
        tb.strike[i] as number,
        spot,
        (tb.forward[i] as number) * m,
        values[j - lo] as number,
        (r & 1) === 1,
        unit,
      )
      const a = n < 0 ? -n : n
      im += a * (unit[0] as number)
      mm += a * (unit[1] as number)
    }
    out[0] = im
    out[1] = mm
    out[2] = 0
    return
  }
  if (par.model !== 'derive-standard') throw new Error('standardFromValues: not a standard preset')
  const count = hi - lo
  const sc = scratchFor(count)
  for (let a = 0; a < count; a++) {
    const i = (rows[lo + a] as number) >> 1
    const n = sizes[lo + a] as number
    const v = values[a] as number
    const option = tb.type[i] === InstrumentType.option
    sc.eid[a] = option ? (tb.expiryId[i] as number) : -1
    sc.q[a] = tb.q[i] as number
    sc.k[a] = tb.strike[i] as number
    sc.sz[a] = n
    sc.val[a] = v
    if (option) deriveUnitMargin(par, 0, tb.q[i] as number, tb.strike[i] as number, spot, 0, v, n < 0, unit)
    else
      deriveUnitMargin(par, tb.type[i] as number, 0, 0, spot, (tb.forward[i] as number) * m, 0, false, unit)
    sc.uIm[a] = unit[0] as number
    sc.uMm[a] = unit[1] as number
  }
  deriveNetting(par, sc, count, tb.forward, rows, lo, m, out)
}

// -------------------------------------------------------------------------------------
// one account
// -------------------------------------------------------------------------------------

const triple = new Float64Array(3)

/**
 * Equity and margin of one account with spot (and every forward) moved to `m·S`, vols unchanged
 * at each log-moneyness (sticky moneyness). For the risk matrix, every scenario is applied on top
 * of the move (spot `m·(1 + move)·S`, vol shock on the surface) and each of the account's
 * instruments is repriced through the surface. `scenarios` defaults to the preset's.
 * Verified by spec/liquidation/margin.spec.ts and the golden cases.
 *
 * @category margin
 * @since 0.1.0
 */
export const evaluateAccount = (
  ctx: MarketContext,
  acct: PortfolioColumns,
  preset: MarginPreset,
  m = 1,
  scenarios: readonly MarginScenario[] = presetScenarios(preset),
): MarginState => {
  const n = acct.rows.length
  const spot = ctx.spot * m
  const values = new Float64Array(n)
  let v0 = acct.cashUsd + acct.coin * spot - acct.entryUsd
  for (let j = 0; j < n; j++) {
    const u = rowValue(ctx, acct.rows[j] as number, m, 0)
    values[j] = u
    v0 += (acct.sizes[j] as number) * u
  }
  const par = preset.parameters
  if (par.model !== 'risk-matrix') {
    standardFromValues(ctx, preset, acct.rows, acct.sizes, 0, n, values, m, triple)
    return {
      spot,
      equityUsd: v0,
      imUsd: triple[0] as number,
      mmUsd: triple[1] as number,
      worstScenario: -1,
      worstLossUsd: 0,
      contingencyUsd: 0,
      nettingReliefUsd: triple[2] as number,
    }
  }
  let worst = 0
  let worstAt = -1
  for (let s = 0; s < scenarios.length; s++) {
    const sc = scenarios[s] as MarginScenario
    if (sc.kind === 'base') continue
    const ms = m * (1 + sc.spotMove)
    let v = acct.cashUsd + acct.coin * ctx.spot * ms - acct.entryUsd
    for (let j = 0; j < n; j++)
      v += (acct.sizes[j] as number) * rowValue(ctx, acct.rows[j] as number, ms, sc.volShock, par.volRule)
    const loss = (v0 - v) * sc.dampening
    if (loss > worst) {
      worst = loss
      worstAt = s
    }
  }
  return riskMatrixState(par, spot, v0, worst, worstAt, nakedShortUnits(ctx, acct.rows, acct.sizes))
}

const riskMatrixState = (
  par: RiskMatrixParameters,
  spot: number,
  equity: number,
  worst: number,
  worstAt: number,
  naked: number,
): MarginState => {
  const contingency = naked * par.nakedShortContingency * spot
  const im = worst + contingency
  return {
    spot,
    equityUsd: equity,
    imUsd: im,
    mmUsd: par.mmFactor * im,
    worstScenario: worstAt,
    worstLossUsd: worst,
    contingencyUsd: contingency,
    nettingReliefUsd: 0,
  }
}

// -------------------------------------------------------------------------------------
// batch
// -------------------------------------------------------------------------------------

/**
 * Columns of a batch margin run, one entry per account of the book (NaN for accounts that failed
 * to compile; their status code is 3).
 *
 * @category model
 * @since 0.1.0
 */
export interface MarginColumns {
  /** Equity, USD. */
  readonly equityUsd: Float64Array
  /** IM, USD. */
  readonly imUsd: Float64Array
  /** MM, USD. */
  readonly mmUsd: Float64Array
  /** Status code (see `statusCode`). */
  readonly status: Uint8Array
  /** Risk matrix: scenario index that set the margin (−1 none / standard). */
  readonly worstScenario: Int32Array
}

/**
 * Scenario values of a market for a preset: the instrument × scenario matrix of
 * {@link repriceInstruments} for the preset's scenarios (empty for standard presets, which need
 * only base values). Compute once per market, reuse for every chunk of accounts.
 *
 * Verified by spec/liquidation/margin.spec.ts (batch = single account).
 *
 * @category margin
 * @since 0.1.0
 */
export const scenarioMatrix = (ctx: MarketContext, preset: MarginPreset): Float64Array => {
  const par = preset.parameters
  if (par.model !== 'risk-matrix') return new Float64Array(0)
  return repriceInstruments(ctx, riskMatrixScenarios(par), par.volRule)
}

/**
 * Equity, IM, MM and status of every account of a book at the current market. Risk matrix: a
 * loop of multiply-adds over the precomputed `matrix` (pass the result of {@link scenarioMatrix}
 * for this market and preset; computed here when omitted), by the WebAssembly SIMD kernel when
 * the host supports it and `kernel` is not `'js'`, else by the plain-JS reference loop; both give
 * the same doubles (lib/liquidation/aggregate.ts says why; spec/liquidation/aggregate.spec.ts
 * checks it with Object.is). Standard: per-position formulas on the base values, Derive's netting
 * per account (`kernel` is ignored). Deterministic; results equal {@link evaluateAccount} at
 * m = 1 (spec/liquidation/margin.spec.ts).
 *
 * Verified by spec/liquidation/margin.spec.ts (batch = single account = assessAccount, 3 presets).
 *
 * @category margin
 * @since 0.1.0
 */
export const marginBatch = (
  ctx: MarketContext,
  book: AccountBook,
  preset: MarginPreset,
  matrix?: Float64Array,
  kernel: AggregationKernel = 'auto',
): MarginColumns => {
  const count = book.count
  const equityUsd = new Float64Array(count)
  const imUsd = new Float64Array(count)
  const mmUsd = new Float64Array(count)
  const status = new Uint8Array(count)
  const worstScenario = new Int32Array(count).fill(-1)
  const tb = ctx.table
  const nRows = 2 * tb.names.length
  const spot = ctx.spot
  const par = preset.parameters
  const rows = book.rows
  const sizes = book.sizes
  const off = book.offsets
  if (par.model === 'risk-matrix') {
    const sc = riskMatrixScenarios(par)
    const ns = sc.length
    const mat =
      matrix !== undefined && matrix.length === nRows * ns ? matrix : repriceInstruments(ctx, sc, par.volRule)
    const collMove = new Float64Array(ns)
    const damp = new Float64Array(ns)
    for (let s = 0; s < ns; s++) {
      collMove[s] = spot * (1 + (sc[s] as MarginScenario).spotMove)
      damp[s] = (sc[s] as MarginScenario).dampening
    }
    const cont = par.nakedShortContingency * spot
    const worst = new Float64Array(count)
    aggregateRiskMatrix(
      {
        mat,
        ns,
        nRows,
        offsets: off,
        rows,
        sizes,
        cashUsd: book.cashUsd,
        entryUsd: book.entryUsd,
        coin: book.coin,
        collMove,
        damp,
      },
      { equity: equityUsd, worst, at: worstScenario },
      0,
      count,
      kernel,
    )
    const naked = book.nakedShortUnits
    const errors = book.errors
    const mmFactor = par.mmFactor
    for (let a = 0; a < count; a++) {
      if (errors[a] !== undefined) {
        equityUsd[a] = NaN
        imUsd[a] = NaN
        mmUsd[a] = NaN
        status[a] = 3
        worstScenario[a] = -1
        continue
      }
      const v0 = equityUsd[a] as number
      const im = (worst[a] as number) + (naked[a] as number) * cont
      imUsd[a] = im
      mmUsd[a] = mmFactor * im
      status[a] = statusCode(v0, im, mmFactor * im)
    }
    return { equityUsd, imUsd, mmUsd, status, worstScenario }
  }
  // base value per row: the valuation premium in USD
  const baseValue = new Float64Array(nRows)
  for (let r = 0; r < nRows; r++) baseValue[r] = rowValue(ctx, r, 1, 0)
  if (par.model === 'deribit-standard') {
    const uIm = new Float64Array(nRows)
    const uMm = new Float64Array(nRows)
    for (let r = 0; r < nRows; r++) {
      const i = r >> 1
      deribitUnitMargin(
        par,
        tb.type[i] as number,
        tb.q[i] as number,
        tb.strike[i] as number,
        spot,
        tb.forward[i] as number,
        baseValue[r] as number,
        (r & 1) === 1,
        unit,
      )
      uIm[r] = unit[0] as number
      uMm[r] = unit[1] as number
    }
    for (let a = 0; a < count; a++) {
      if (book.errors[a] !== undefined) {
        equityUsd[a] = imUsd[a] = mmUsd[a] = NaN
        status[a] = 3
        continue
      }
      let v = (book.cashUsd[a] as number) + (book.coin[a] as number) * spot - (book.entryUsd[a] as number)
      let im = 0
      let mm = 0
      for (let j = off[a] as number, e = off[a + 1] as number; j < e; j++) {
        const r = rows[j] as number
        const n = sizes[j] as number
        v += n * (baseValue[r] as number)
        const x = n < 0 ? -n : n
        im += x * (uIm[r] as number)
        mm += x * (uMm[r] as number)
      }
      equityUsd[a] = v
      imUsd[a] = im
      mmUsd[a] = mm
      status[a] = statusCode(v, im, mm)
    }
    return { equityUsd, imUsd, mmUsd, status, worstScenario }
  }
  if (par.model !== 'derive-standard') throw new Error('marginBatch: unknown margin model')
  // per matrix row, once: expiry id, unit IM / MM at the base (short = the row's side)
  const rowEid = new Int32Array(nRows)
  const rowIm = new Float64Array(nRows)
  const rowMm = new Float64Array(nRows)
  for (let r = 0; r < nRows; r++) {
    const i = r >> 1
    const option = tb.type[i] === InstrumentType.option
    rowEid[r] = option ? (tb.expiryId[i] as number) : -1
    if (option)
      deriveUnitMargin(
        par,
        0,
        tb.q[i] as number,
        tb.strike[i] as number,
        spot,
        0,
        baseValue[r] as number,
        (r & 1) === 1,
        unit,
      )
    else deriveUnitMargin(par, tb.type[i] as number, 0, 0, spot, tb.forward[i] as number, 0, false, unit)
    rowIm[r] = unit[0] as number
    rowMm[r] = unit[1] as number
  }
  for (let a = 0; a < count; a++) {
    if (book.errors[a] !== undefined) {
      equityUsd[a] = imUsd[a] = mmUsd[a] = NaN
      status[a] = 3
      continue
    }
    const lo = off[a] as number
    const hi = off[a + 1] as number
    const sc = scratchFor(hi - lo)
    let v = (book.cashUsd[a] as number) + (book.coin[a] as number) * spot - (book.entryUsd[a] as number)
    for (let j = lo; j < hi; j++) {
      const r = rows[j] as number
      const i = r >> 1
      const n = sizes[j] as number
      const u = baseValue[r] as number
      const b = j - lo
      v += n * u
      sc.eid[b] = rowEid[r] as number
      sc.q[b] = tb.q[i] as number
      sc.k[b] = tb.strike[i] as number
      sc.sz[b] = n
      sc.val[b] = u
      if (n < 0 === ((r & 1) === 1) || tb.type[i] !== InstrumentType.option) {
        sc.uIm[b] = rowIm[r] as number
        sc.uMm[b] = rowMm[r] as number
      } else {
        // a size whose sign disagrees with its row's side (not produced by compileAccounts)
        deriveUnitMargin(par, 0, tb.q[i] as number, tb.strike[i] as number, spot, 0, u, n < 0, unit)
        sc.uIm[b] = unit[0] as number
        sc.uMm[b] = unit[1] as number
      }
    }
    deriveNetting(par, sc, hi - lo, tb.forward, rows, lo, 1, triple)
    equityUsd[a] = v
    imUsd[a] = triple[0] as number
    mmUsd[a] = triple[1] as number
    status[a] = statusCode(v, triple[0] as number, triple[1] as number)
  }
  return { equityUsd, imUsd, mmUsd, status, worstScenario }
}
