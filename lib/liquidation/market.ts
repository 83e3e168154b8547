/**
 * The market an assessment runs on, prepared once: every instrument of the chain in a table
 * (columns of numbers), the valuation premium of each side taken from the marks, and the
 * scenario kernel that reprices an instrument through the surface. Accounts are compiled against
 * the table into index/size columns, so margin over many accounts is a loop of multiply-adds over
 * a precomputed instrument × scenario matrix ({@link repriceInstruments}).
 *
 * Valuation rule (conservative, for thresholds): a model-marked option is valued at the lower end
 * of its band when held long and at the upper end when held short; a market-marked option at its
 * mark. Units: a coin premium p (Deribit) is worth `p·S` USD, S the index; collateral in the
 * underlying is worth `S` USD per unit; USD, USDC and USDT count 1:1. Under a scenario the model
 * coin premium is `Black76(F', K, T, σ', D) / F'` (Deribit's inverse convention: coin premium ×
 * forward = Black-76 USD value) and each side keeps its offset from the model at the base:
 * `p_side(s) = max(0, model(s) + (p_side − model(base)))`.
 *
 * Futures are valued linearly in USD: `n·(F − entryPrice)` (the perpetual at the index); a future
 * without `entryPrice` is taken at zero unrealised P&L (noted in the assessment).
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Account } from '../domain/account.js'
import { parseInstrument } from '../domain/instrument.js'
import {
  type LiquidationError,
  instrumentExpired,
  missingMark,
  nonFiniteValue,
  underlyingMismatch,
  unsupportedCollateral,
} from '../domain/liquidationErrors.js'
import type { Mark } from '../domain/mark.js'
import type { VolSurface } from '../domain/surface.js'
import { black76PriceUnsafe } from '../pricing/black76.js'
import { yearFraction } from '../domain/time.js'
import { DERIBIT_VOL_SHOCK_RULE, type VolShockRule } from './presets.js'
import { type SurfaceShock, volShockScale } from './scenarios.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Instrument type codes of {@link InstrumentTable}.
 *
 * Verified by spec/liquidation/margin.spec.ts.
 *
 * @category constants
 * @since 0.1.0
 */
export const InstrumentType = { option: 0, future: 1, perpetual: 2 } as const

/**
 * The instrument table: one entry per instrument, in columns. Row `2i` of a scenario matrix values
 * instrument `i` held long, row `2i + 1` held short. Premiums are in the mark's premium currency
 * (`coin[i] = 1`: coin, worth `p·S` USD; 0: quote currency USD).
 *
 * @category model
 * @since 0.1.0
 */
export interface InstrumentTable {
  /** Instrument names. */
  readonly names: string[]
  /** Name → index. */
  readonly index: Map<string, number>
  /** {@link InstrumentType} code. */
  readonly type: number[]
  /** +1 call, −1 put, 0 future / perpetual. */
  readonly q: number[]
  /** Strike (quote currency); 0 for futures. */
  readonly strike: number[]
  /** Expiry (UTC ISO); '' for the perpetual. */
  readonly expiry: string[]
  /** ACT/365 years from the surface's asOf; 0 for the perpetual. */
  readonly expiryYears: number[]
  /** Base forward F(T) (spot for the perpetual). */
  readonly forward: number[]
  /** Discount factor P(0, T). */
  readonly discount: number[]
  /** 1 when premiums are in coin, 0 when in the quote currency. */
  readonly coin: number[]
  /** Valuation premium of a long (premium currency). */
  readonly premiumLong: number[]
  /** Valuation premium of a short (premium currency). */
  readonly premiumShort: number[]
  /** Model premium at the base scenario from the scenario kernel (premium currency). */
  readonly modelBase: number[]
  /** Vega per unit of vol (1.00 = 100 vol points), premium currency. */
  readonly vega: number[]
  /** The mark used (options), undefined otherwise. */
  readonly mark: (Mark | undefined)[]
  /** Options: id of the (expiry, strike) group; −1 for futures and the perpetual. */
  readonly group: number[]
  /** (expiry|strike) → group id. */
  readonly groups: Map<string, number>
  /** Options: id of the expiry (equal ids ⇔ equal `expiry` strings); −1 for futures and the perpetual. */
  readonly expiryId: number[]
  /** Option expiry → expiry id. */
  readonly expiryIds: Map<string, number>
}

/**
 * A prepared market: the surface, the marks by name and the instrument table.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarketContext {
  /** The surface every scenario revalues through. */
  readonly surface: VolSurface
  /** Index S (quote currency). */
  readonly spot: number
  /** Underlying symbol. */
  readonly underlying: string
  /** Marks by instrument name. */
  readonly marks: ReadonlyMap<string, Mark>
  /** Instrument table (grows when accounts reference futures not yet in it). */
  readonly table: InstrumentTable
}

/**
 * An account compiled against a {@link MarketContext}: matrix rows and signed sizes of its
 * positions, collateral split into USD cash and underlying units, and the futures entry term.
 *
 * @category model
 * @since 0.1.0
 */
export interface CompiledAccount {
  /** Account id. */
  readonly id: string
  /** Matrix row per position (`2i` long, `2i + 1` short). */
  readonly rows: Int32Array
  /** Signed size per position (underlying units). */
  readonly sizes: Float64Array
  /** USD, USDC, USDT collateral, USD. */
  readonly cashUsd: number
  /** Collateral in the underlying, units. */
  readonly coin: number
  /** Σ size·entryPrice over futures positions, USD (subtracted from value). */
  readonly entryUsd: number
  /** Entry price per position (futures: `entryPrice`, or F when missing; options: 0). */
  readonly entryPrices: Float64Array
  /** Notes (assumptions taken while compiling). */
  readonly notes: readonly string[]
}

/**
 * Many compiled accounts packed into columns: positions of account `a` are
 * `offsets[a] … offsets[a+1] − 1`. Accounts that failed to compile have no positions and an
 * error in `errors[a]`. Sharding across workers is a loop over `compileAccounts(ctx, chunk)`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AccountBook {
  /** Number of accounts. */
  readonly count: number
  /** Account ids. */
  readonly ids: readonly string[]
  /** Position offsets, length count + 1. */
  readonly offsets: Int32Array
  /** Matrix rows. */
  readonly rows: Int32Array
  /** Signed sizes. */
  readonly sizes: Float64Array
  /** USD collateral per account. */
  readonly cashUsd: Float64Array
  /** Underlying collateral per account. */
  readonly coin: Float64Array
  /** Futures entry term per account, USD. */
  readonly entryUsd: Float64Array
  /** Net short options per (expiry, strike), summed, per account. */
  readonly nakedShortUnits: Float64Array
  /** Compile error per account, undefined when compiled. */
  readonly errors: readonly (LiquidationError | undefined)[]
  /** Notes per account. */
  readonly notes: readonly (readonly string[])[]
}

// -------------------------------------------------------------------------------------
// kernel
// -------------------------------------------------------------------------------------

/** Black-76 value through the pricing stage's kernel (NaN outside its domain). */
const black76 = (q: number, f: number, k: number, t: number, vol: number, d: number): number =>
  black76PriceUnsafe(q > 0 ? 1 : -1, f, k, t, vol, d)

/**
 * Model premium of option `i` of the table under a scenario (spot multiplier `m`, relative vol
 * shock `volShock`, DTE-scaled by `rule`, which is irrelevant when `volShock = 0`): sticky moneyness `σ = √(w(ln(K/(m·F)), T)/T)`, shocked by `shockVol` (scenarios.ts),
 * Black-76 on the shocked forward, divided by it for coin premiums. NaN when the surface is.
 *
 * Verified by spec/liquidation/margin.spec.ts (against an independent Black-76 with sticky moneyness, 1e-14).
 *
 * @category kernels
 * @since 0.1.0
 */
export const optionModelPremium = (
  ctx: MarketContext,
  i: number,
  m: number,
  volShock: number,
  rule: VolShockRule = DERIBIT_VOL_SHOCK_RULE,
): number =>
  modelPremium(
    ctx,
    i,
    m,
    volShock,
    volShock === 0 ? 1 : volShockScale(ctx.table.expiryYears[i] as number, rule),
    rule,
  )

/**
 * {@link optionModelPremium} with the DTE scale `volShockScale(T, rule)` given, so a batch
 * computes its `Math.pow` once per instrument instead of once per scenario. The shock is
 * `shockVol`'s arithmetic with that scale (same operations, bit-identical results).
 */
const modelPremium = (
  ctx: MarketContext,
  i: number,
  m: number,
  volShock: number,
  scale: number,
  rule: VolShockRule,
): number => {
  const tb = ctx.table
  const t = tb.expiryYears[i] as number
  const f = (tb.forward[i] as number) * m
  const k = tb.strike[i] as number
  const w = ctx.surface.totalVariance(Math.log(k / f), t)
  const v0 = Math.sqrt(w / t)
  let vol = v0
  if (volShock !== 0) {
    const x = v0 * (1 + volShock * scale)
    if (volShock > 0) vol = x > rule.minVolUp ? x : rule.minVolUp
    else {
      const floor = rule.minDownFactor * v0
      vol = x > floor ? x : floor
    }
  }
  const v = black76(tb.q[i] as number, f, k, t, vol, tb.discount[i] as number)
  return tb.coin[i] === 1 ? v / f : v
}

/**
 * USD value per unit of matrix row `row` under a scenario: options `p_side(s)·S'` (coin) or
 * `p_side(s)` (quote), futures `m·F`, perpetual `m·S`. At m = 1 and no vol shock it returns the
 * valuation premium itself (no kernel call), so base values are exactly the marks.
 *
 * Verified by spec/liquidation/margin.spec.ts and golden.spec.ts.
 *
 * @category kernels
 * @since 0.1.0
 */
export const rowValue = (
  ctx: MarketContext,
  row: number,
  m: number,
  volShock: number,
  rule: VolShockRule = DERIBIT_VOL_SHOCK_RULE,
): number => {
  const i = row >> 1
  const tb = ctx.table
  const type = tb.type[i]
  if (type !== InstrumentType.option) return (tb.forward[i] as number) * m
  const p = (row & 1) === 1 ? (tb.premiumShort[i] as number) : (tb.premiumLong[i] as number)
  const usd = tb.coin[i] === 1 ? ctx.spot * m : 1
  if (m === 1 && volShock === 0) return p * usd
  const model = optionModelPremium(ctx, i, m, volShock, rule)
  const x = model + (p - (tb.modelBase[i] as number))
  return (x > 0 ? x : 0) * usd
}

/**
 * Reprices every instrument of the table once per scenario into a row-major Float64Array
 * `values[row·S + s]` (S scenarios, 2 rows per instrument: long and short valuation), USD per unit.
 * This is the only place the surface and Black-76 are evaluated in a batch margin run.
 *
 * Verified by spec/liquidation/margin.spec.ts (base scenario = marks).
 *
 * @category kernels
 * @since 0.1.0
 */
export const repriceInstruments = (
  ctx: MarketContext,
  scenarios: readonly SurfaceShock[],
  rule: VolShockRule,
): Float64Array => {
  const tb = ctx.table
  const n = tb.names.length
  const ns = scenarios.length
  const out = new Float64Array(2 * n * ns)
  for (let i = 0; i < n; i++) {
    const lo = 2 * i * ns
    const hi = lo + ns
    if (tb.type[i] !== InstrumentType.option) {
      const f = tb.forward[i] as number
      for (let s = 0; s < ns; s++) {
        const v = f * (1 + (scenarios[s] as SurfaceShock).spotMove)
        out[lo + s] = v
        out[hi + s] = v
      }
      continue
    }
    const pl = tb.premiumLong[i] as number
    const ps = tb.premiumShort[i] as number
    const mb = tb.modelBase[i] as number
    const coin = tb.coin[i] === 1
    const scale = volShockScale(tb.expiryYears[i] as number, rule)
    for (let s = 0; s < ns; s++) {
      const sc = scenarios[s] as SurfaceShock
      const m = 1 + sc.spotMove
      const usd = coin ? ctx.spot * m : 1
      if (m === 1 && sc.volShock === 0) {
        out[lo + s] = pl * usd
        out[hi + s] = ps * usd
        continue
      }
      const model = modelPremium(ctx, i, m, sc.volShock, scale, rule)
      const a = model + (pl - mb)
      const b = model + (ps - mb)
      out[lo + s] = (a > 0 ? a : 0) * usd
      out[hi + s] = (b > 0 ? b : 0) * usd
    }
  }
  return out
}

// -------------------------------------------------------------------------------------
// preparation
// -------------------------------------------------------------------------------------

/**
 * Valuation premium of a mark for a side: model marks long at `lower`, short at `upper`; market
 * marks at `markPrice`.
 *
 * Verified by spec/liquidation/margin.spec.ts (longs at the lower end, shorts at the upper end).
 *
 * @category valuation
 * @since 0.1.0
 */
export const valuationPremium = (mark: Mark, short: boolean): number =>
  mark.source === 'model' ? (short ? mark.upper : mark.lower) : mark.markPrice

const emptyTable = (): InstrumentTable => ({
  names: [],
  index: new Map(),
  type: [],
  q: [],
  strike: [],
  expiry: [],
  expiryYears: [],
  forward: [],
  discount: [],
  coin: [],
  premiumLong: [],
  premiumShort: [],
  modelBase: [],
  vega: [],
  mark: [],
  group: [],
  groups: new Map(),
  expiryId: [],
  expiryIds: new Map(),
})

const STABLES: Readonly<Record<string, true>> = { USD: true, USDC: true, USDT: true }

const push = (
  tb: InstrumentTable,
  row: {
    name: string
    type: number
    q: number
    strike: number
    expiry: string
    expiryYears: number
    forward: number
    discount: number
    coin: number
    premiumLong: number
    premiumShort: number
    mark: Mark | undefined
  },
): number => {
  const i = tb.names.length
  tb.names.push(row.name)
  tb.index.set(row.name, i)
  tb.type.push(row.type)
  tb.q.push(row.q)
  tb.strike.push(row.strike)
  tb.expiry.push(row.expiry)
  tb.expiryYears.push(row.expiryYears)
  tb.forward.push(row.forward)
  tb.discount.push(row.discount)
  tb.coin.push(row.coin)
  tb.premiumLong.push(row.premiumLong)
  tb.premiumShort.push(row.premiumShort)
  tb.modelBase.push(0)
  tb.vega.push(0)
  tb.mark.push(row.mark)
  if (row.type === InstrumentType.option) {
    const key = `${row.expiry}|${String(row.strike)}`
    let g = tb.groups.get(key)
    if (g === undefined) {
      g = tb.groups.size
      tb.groups.set(key, g)
    }
    tb.group.push(g)
    let e = tb.expiryIds.get(row.expiry)
    if (e === undefined) {
      e = tb.expiryIds.size
      tb.expiryIds.set(row.expiry, e)
    }
    tb.expiryId.push(e)
  } else {
    tb.group.push(-1)
    tb.expiryId.push(-1)
  }
  return i
}

const addOption = (ctx: MarketContext, mark: Mark, account: string): E.Either<LiquidationError, number> => {
  const s = ctx.surface
  const t = yearFraction(s.asOf, mark.expiry)
  if (!(t > 0)) return E.left(instrumentExpired(account, mark.instrument, mark.expiry, s.asOf))
  const f = s.forward(t)
  const d = s.discount(t)
  const i = push(ctx.table, {
    name: mark.instrument,
    type: InstrumentType.option,
    q: mark.kind === 'call' ? 1 : -1,
    strike: mark.strike,
    expiry: mark.expiry,
    expiryYears: t,
    forward: f,
    discount: d,
    coin: mark.premium === 'coin' ? 1 : 0,
    premiumLong: valuationPremium(mark, false),
    premiumShort: valuationPremium(mark, true),
    mark,
  })
  const tb = ctx.table
  const model = optionModelPremium(ctx, i, 1, 0)
  // vega by a central difference in vol: 1 vol point either side, per unit of vol
  const w = s.totalVariance(Math.log(mark.strike / f), t)
  const vol = Math.sqrt(w / t)
  const h = 0.01
  const up = black76(tb.q[i] as number, f, mark.strike, t, vol + h, d)
  const dn = black76(tb.q[i] as number, f, mark.strike, t, vol > h ? vol - h : 0, d)
  const vega = (up - dn) / (vol > h ? 2 * h : vol + h) / (mark.premium === 'coin' ? f : 1)
  if (!(Number.isFinite(model) && Number.isFinite(vega) && Number.isFinite(f) && Number.isFinite(d)))
    return E.left(nonFiniteValue(account, `model price of ${mark.instrument}`))
  tb.modelBase[i] = model
  tb.vega[i] = vega
  return E.right(i)
}

/**
 * Prepares a market from marks and a surface: every mark on the surface's underlying enters the
 * table, with the perpetual. Fails with {@link InstrumentExpired} or {@link NonFiniteValue} for a
 * mark that cannot be valued.
 *
 * Verified by spec/liquidation/margin.spec.ts (NonFiniteValue).
 *
 * @example
 * const ctx = prepareMarket(marks, surface) // Right(MarketContext)
 *
 * @category preparation
 * @since 0.1.0
 */
export const prepareMarket = (
  marks: readonly Mark[] | ReadonlyMap<string, Mark>,
  surface: VolSurface,
): E.Either<LiquidationError, MarketContext> => {
  const list: readonly Mark[] = Array.isArray(marks)
    ? marks
    : [...(marks as ReadonlyMap<string, Mark>).values()]
  const byName = new Map<string, Mark>()
  for (const m of list)
    if (m.underlying === surface.underlying && !byName.has(m.instrument)) byName.set(m.instrument, m)
  const ctx: MarketContext = {
    surface,
    spot: surface.spot,
    underlying: surface.underlying,
    marks: byName,
    table: emptyTable(),
  }
  const names = [...byName.keys()].sort()
  for (const n of names) {
    const r = addOption(ctx, byName.get(n) as Mark, '')
    if (E.isLeft(r)) return r
  }
  push(ctx.table, {
    name: `${surface.underlying}-PERPETUAL`,
    type: InstrumentType.perpetual,
    q: 0,
    strike: 0,
    expiry: '',
    expiryYears: 0,
    forward: surface.spot,
    discount: 1,
    coin: 0,
    premiumLong: 0,
    premiumShort: 0,
    mark: undefined,
  })
  return E.right(ctx)
}

/**
 * Index of an instrument in the table, adding dated futures on first use. Fails with
 * {@link InvalidInput} (bad name), {@link UnderlyingMismatch}, {@link MissingMark} (an option
 * without a mark) or {@link InstrumentExpired}.
 *
 * Verified by spec/liquidation/margin.spec.ts (error tags).
 *
 * @category preparation
 * @since 0.1.0
 */
export const instrumentIndex = (
  ctx: MarketContext,
  name: string,
  account: string,
): E.Either<LiquidationError, number> => {
  const known = ctx.table.index.get(name)
  if (known !== undefined) return E.right(known)
  const parsed = parseInstrument(name)
  if (E.isLeft(parsed)) return parsed
  const ins = parsed.right
  if (ins.underlying !== ctx.underlying)
    return E.left(underlyingMismatch(account, name, ins.underlying, ctx.underlying))
  if (ins.type === 'option') return E.left(missingMark(account, name))
  if (ins.type === 'perpetual') return E.left(missingMark(account, name))
  const t = yearFraction(ctx.surface.asOf, ins.expiry)
  if (!(t > 0)) return E.left(instrumentExpired(account, name, ins.expiry, ctx.surface.asOf))
  const f = ctx.surface.forward(t)
  if (!Number.isFinite(f)) return E.left(nonFiniteValue(account, `forward of ${name}`))
  return E.right(
    push(ctx.table, {
      name,
      type: InstrumentType.future,
      q: 0,
      strike: 0,
      expiry: ins.expiry,
      expiryYears: t,
      forward: f,
      discount: ctx.surface.discount(t),
      coin: 0,
      premiumLong: 0,
      premiumShort: 0,
      mark: undefined,
    }),
  )
}

/**
 * Compiles one account: resolves instruments (see {@link instrumentIndex}), splits collateral,
 * and accumulates the futures entry term. Fails with {@link UnsupportedCollateral} for another
 * currency or a non-finite amount and {@link InvalidInput} for a non-finite size.
 *
 * Verified by spec/liquidation/margin.spec.ts (error tags).
 *
 * @category preparation
 * @since 0.1.0
 */
export const compileAccount = (
  ctx: MarketContext,
  account: Account,
): E.Either<LiquidationError, CompiledAccount> => {
  const n = account.positions.length
  const rows = new Int32Array(n)
  const sizes = new Float64Array(n)
  const entries = new Float64Array(n)
  const sums = new Float64Array(3)
  const r = compileInto(ctx, account, rows, sizes, entries, 0, sums)
  if (!Array.isArray(r)) return E.left(r as LiquidationError)
  return E.right({
    id: account.id,
    rows,
    sizes,
    entryPrices: entries,
    cashUsd: sums[0] as number,
    coin: sums[1] as number,
    entryUsd: sums[2] as number,
    notes: r,
  })
}

const NO_NOTES: readonly string[] = []

const invalidSize = (account: Account, j: number, size: number): LiquidationError => ({
  _tag: 'InvalidInput',
  field: `positions.${String(j)}.size`,
  value: size,
  rule: 'must be a finite number',
  message: `account ${account.id}: field positions.${String(j)}.size = ${String(size)}: must be a finite number`,
})

/**
 * Writes an account's rows, sizes (and entry prices) at `at … at + positions − 1` and its USD
 * cash, underlying units and futures entry term into `sums[0..2]`; returns the notes, or the
 * error of the first collateral or position that fails (whatever was written is then garbage:
 * the caller does not advance its cursor).
 */
const compileInto = (
  ctx: MarketContext,
  account: Account,
  rows: Int32Array,
  sizes: Float64Array,
  entries: Float64Array | undefined,
  at: number,
  sums: Float64Array,
): LiquidationError | readonly string[] => {
  let cash = 0
  let coin = 0
  let notes: string[] | undefined
  const collateral = account.collateral
  for (const ccy in collateral) {
    const amount = collateral[ccy] as number
    if (!Number.isFinite(amount)) return unsupportedCollateral(account.id, ccy, amount)
    if (ccy === ctx.underlying) coin += amount
    else if (STABLES[ccy] === true) cash += amount
    else return unsupportedCollateral(account.id, ccy, amount)
  }
  const tb = ctx.table
  const index = tb.index
  const type = tb.type
  let entry = 0
  const ps = account.positions
  for (let j = 0; j < ps.length; j++) {
    const p = ps[j] as Account['positions'][number]
    const size = p.size
    if (!Number.isFinite(size)) return invalidSize(account, j, size)
    let i = index.get(p.instrument)
    if (i === undefined) {
      const r = instrumentIndex(ctx, p.instrument, account.id)
      if (E.isLeft(r)) return r.left
      i = r.right
    }
    rows[at + j] = 2 * i + (size < 0 ? 1 : 0)
    sizes[at + j] = size
    let e = 0
    if (type[i] !== InstrumentType.option) {
      if (p.entryPrice !== undefined && Number.isFinite(p.entryPrice)) e = p.entryPrice
      else {
        e = tb.forward[i] as number
        ;(notes ??= []).push(`${p.instrument}: no entryPrice, unrealised P&L taken as 0`)
      }
      entry += size * e
    }
    if (entries !== undefined) entries[at + j] = e
  }
  sums[0] = cash
  sums[1] = coin
  sums[2] = entry
  return notes ?? NO_NOTES
}

/**
 * Net short options per (expiry, strike), summed over strikes: Σ max(0, −Σ sizes at that strike).
 * The risk-matrix contingency is this times `nakedShortContingency·S`.
 *
 * Verified by spec/liquidation/golden.spec.ts (risk-matrix contingency by hand).
 *
 * @category valuation
 * @since 0.1.0
 */
export const nakedShortUnits = (
  ctx: MarketContext,
  rows: ArrayLike<number>,
  sizes: ArrayLike<number>,
): number => nakedShortRange(ctx.table.group, rows, sizes, 0, rows.length)

let groupScratch = new Int32Array(64)

/** {@link nakedShortUnits} of positions `lo … hi − 1` (group ids gathered once, then O(n²) on them). */
const nakedShortRange = (
  grp: readonly number[],
  rows: ArrayLike<number>,
  sizes: ArrayLike<number>,
  lo: number,
  hi: number,
): number => {
  const n = hi - lo
  if (n > groupScratch.length) groupScratch = new Int32Array(2 * n)
  const gs = groupScratch
  for (let j = 0; j < n; j++) gs[j] = grp[(rows[lo + j] as number) >> 1] as number
  let total = 0
  for (let j = 0; j < n; j++) {
    const g = gs[j] as number
    if (g < 0) continue
    // the first position of a group sums it
    let first = true
    for (let k = 0; k < j; k++)
      if (gs[k] === g) {
        first = false
        break
      }
    if (!first) continue
    let net = sizes[lo + j] as number
    for (let k = j + 1; k < n; k++) if (gs[k] === g) net += sizes[lo + k] as number
    if (net < 0) total -= net
  }
  return total
}

/**
 * Compiles many accounts into an {@link AccountBook} (failed accounts keep their error and no
 * positions). Deterministic: the table grows in the order futures are first seen.
 *
 * Verified by spec/liquidation/margin.spec.ts.
 *
 * @category preparation
 * @since 0.1.0
 */
export const compileAccounts = (ctx: MarketContext, accounts: readonly Account[]): AccountBook => {
  const count = accounts.length
  let total = 0
  for (let a = 0; a < count; a++) total += (accounts[a] as Account).positions.length
  let rows = new Int32Array(total)
  let sizes = new Float64Array(total)
  const errors: (LiquidationError | undefined)[] = new Array<LiquidationError | undefined>(count)
  const notes: (readonly string[])[] = new Array<readonly string[]>(count)
  const ids: string[] = new Array<string>(count)
  const offsets = new Int32Array(count + 1)
  const cashUsd = new Float64Array(count)
  const coin = new Float64Array(count)
  const entryUsd = new Float64Array(count)
  const naked = new Float64Array(count)
  const sums = new Float64Array(3)
  const grp = ctx.table.group
  let n = 0
  for (let a = 0; a < count; a++) {
    const acct = accounts[a] as Account
    ids[a] = acct.id
    offsets[a] = n
    const r = compileInto(ctx, acct, rows, sizes, undefined, n, sums)
    if (!Array.isArray(r)) {
      errors[a] = r as LiquidationError
      notes[a] = NO_NOTES
      continue
    }
    const hi = n + acct.positions.length
    errors[a] = undefined
    notes[a] = r
    cashUsd[a] = sums[0] as number
    coin[a] = sums[1] as number
    entryUsd[a] = sums[2] as number
    naked[a] = nakedShortRange(grp, rows, sizes, n, hi)
    n = hi
  }
  offsets[count] = n
  if (n < total) {
    rows = rows.slice(0, n)
    sizes = sizes.slice(0, n)
  }
  return {
    count,
    ids,
    offsets,
    rows,
    sizes,
    cashUsd,
    coin,
    entryUsd,
    nakedShortUnits: naked,
    errors,
    notes,
  }
}
