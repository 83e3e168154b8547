/**
 * The risk-matrix aggregation of a batch margin run: for every account, the value under each
 * scenario as collateral plus Σ size·(scenario value of the position's matrix row), the base
 * value (equity) and the worst dampened loss with its scenario index. Two kernels compute the
 * same doubles: a plain-JS loop (the reference, and the fallback) and a WebAssembly SIMD kernel
 * (f64x2, two scenarios per instruction) assembled in code by lib/core/wasm.ts.
 *
 * Why the two agree bit for bit (spec/liquidation/aggregate.spec.ts checks it with Object.is):
 *
 * - Per scenario s, both start from `fixed + coin·move[s]` with `fixed = cash − entry` and then
 *   add `size·value` position by position in the book's order, one rounding per multiply and one
 *   per add. A SIMD lane is one scenario, so the order per scenario is the same; WebAssembly has
 *   no fused multiply-add outside the relaxed-SIMD proposal (not used), and IEEE 754 makes each
 *   rounded operation deterministic.
 * - The worst loss is the first maximum of `(v0 − value[s])·damp[s]` over s ≥ 1 that is > 0,
 *   with NaN never selected (a strict `>` scan from 0, index −1 when nothing loses). The SIMD
 *   kernel runs the same strict-`>` scan on each lane (even and odd scenarios), then takes the
 *   larger lane maximum, the smaller index on a tie. The maximum is a selection, not arithmetic,
 *   so the value is the same double; the index is the first scenario attaining it.
 * - A matrix row outside the matrix (an AccountBook not made by `compileAccounts`) reads NaN in
 *   both: JS reads `undefined`, the kernel a row of NaN appended to its copy of the matrix.
 *
 * @module
 * @since 0.1.0
 */
import { assembleModule, instantiateWasm, op, valType, type WasmInstance } from '../core/wasm.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Which aggregation kernel a risk-matrix batch uses: `auto` (WebAssembly SIMD when the host
 * supports it, else JS), `js` (the reference loop, forced), `wasm-simd` (forced; falls back to
 * JS only when the host cannot compile it). Every kernel gives the same doubles.
 *
 * @category model
 * @since 0.1.0
 */
export type AggregationKernel = 'auto' | 'js' | 'wasm-simd'

/** Inputs of the aggregation: the scenario matrix and the book's columns. */
export interface AggregationInputs {
  /** Scenario values `mat[row·ns + s]`, USD per unit (repriceInstruments). */
  readonly mat: Float64Array
  /** Scenarios per row. */
  readonly ns: number
  /** Rows of the matrix. */
  readonly nRows: number
  /** Book offsets (count + 1). */
  readonly offsets: Int32Array
  /** Matrix row per position. */
  readonly rows: Int32Array
  /** Signed size per position. */
  readonly sizes: Float64Array
  /** USD collateral per account. */
  readonly cashUsd: Float64Array
  /** Futures entry term per account, USD. */
  readonly entryUsd: Float64Array
  /** Underlying collateral per account, units. */
  readonly coin: Float64Array
  /** USD value of one unit of the underlying per scenario, S·(1 + move_s). */
  readonly collMove: Float64Array
  /** Loss multiplier per scenario. */
  readonly damp: Float64Array
}

/** Outputs per account (length = accounts). */
export interface AggregationOutputs {
  /** Base-scenario value (equity), USD. */
  readonly equity: Float64Array
  /** Worst dampened loss, USD (0 when no scenario loses). */
  readonly worst: Float64Array
  /** Index of that scenario, −1 when no scenario loses. */
  readonly at: Int32Array
}

// -------------------------------------------------------------------------------------
// JS kernel (reference)
// -------------------------------------------------------------------------------------

let accScratch = new Float64Array(64)

/**
 * `acc[s] += Σ_j sizes[j]·mat[rows[j]·S + s]` over positions `lo … hi − 1`, for every scenario s,
 * summed in position order (so each `acc[s]` is bit-identical to a plain position-by-position
 * sum). Five positions share one pass over the scenarios: their offsets and sizes stay in
 * registers and `acc[s]` is loaded and stored once per five multiply-adds.
 */
const accumulateRows = (
  mat: Float64Array,
  ns: number,
  rows: Int32Array,
  sizes: Float64Array,
  lo: number,
  hi: number,
  acc: Float64Array,
): void => {
  let j = lo
  for (; j + 5 <= hi; j += 5) {
    const b0 = (rows[j] as number) * ns
    const b1 = (rows[j + 1] as number) * ns
    const b2 = (rows[j + 2] as number) * ns
    const b3 = (rows[j + 3] as number) * ns
    const b4 = (rows[j + 4] as number) * ns
    const z0 = sizes[j] as number
    const z1 = sizes[j + 1] as number
    const z2 = sizes[j + 2] as number
    const z3 = sizes[j + 3] as number
    const z4 = sizes[j + 4] as number
    let s = 0
    for (; s + 4 <= ns; s += 4) {
      const s1 = s + 1
      const s2 = s + 2
      const s3 = s + 3
      acc[s] =
        (acc[s] as number) +
        z0 * (mat[b0 + s] as number) +
        z1 * (mat[b1 + s] as number) +
        z2 * (mat[b2 + s] as number) +
        z3 * (mat[b3 + s] as number) +
        z4 * (mat[b4 + s] as number)
      acc[s1] =
        (acc[s1] as number) +
        z0 * (mat[b0 + s1] as number) +
        z1 * (mat[b1 + s1] as number) +
        z2 * (mat[b2 + s1] as number) +
        z3 * (mat[b3 + s1] as number) +
        z4 * (mat[b4 + s1] as number)
      acc[s2] =
        (acc[s2] as number) +
        z0 * (mat[b0 + s2] as number) +
        z1 * (mat[b1 + s2] as number) +
        z2 * (mat[b2 + s2] as number) +
        z3 * (mat[b3 + s2] as number) +
        z4 * (mat[b4 + s2] as number)
      acc[s3] =
        (acc[s3] as number) +
        z0 * (mat[b0 + s3] as number) +
        z1 * (mat[b1 + s3] as number) +
        z2 * (mat[b2 + s3] as number) +
        z3 * (mat[b3 + s3] as number) +
        z4 * (mat[b4 + s3] as number)
    }
    for (; s < ns; s++)
      acc[s] =
        (acc[s] as number) +
        z0 * (mat[b0 + s] as number) +
        z1 * (mat[b1 + s] as number) +
        z2 * (mat[b2 + s] as number) +
        z3 * (mat[b3 + s] as number) +
        z4 * (mat[b4 + s] as number)
  }
  for (; j + 2 <= hi; j += 2) {
    const b0 = (rows[j] as number) * ns
    const b1 = (rows[j + 1] as number) * ns
    const z0 = sizes[j] as number
    const z1 = sizes[j + 1] as number
    for (let s = 0; s < ns; s++)
      acc[s] = (acc[s] as number) + z0 * (mat[b0 + s] as number) + z1 * (mat[b1 + s] as number)
  }
  if (j < hi) {
    const b0 = (rows[j] as number) * ns
    const z0 = sizes[j] as number
    for (let s = 0; s < ns; s++) acc[s] = (acc[s] as number) + z0 * (mat[b0 + s] as number)
  }
}

/**
 * The reference kernel: accounts `from … to − 1`, one scenario array per account, positions
 * added in book order, then the strict-`>` scan for the worst dampened loss.
 */
export const aggregateJs = (
  x: AggregationInputs,
  out: AggregationOutputs,
  from: number,
  to: number,
): void => {
  const { mat, ns, rows, sizes, offsets, collMove, damp } = x
  if (accScratch.length < ns) accScratch = new Float64Array(2 * ns)
  const acc = accScratch
  for (let a = from; a < to; a++) {
    const fixed = (x.cashUsd[a] as number) - (x.entryUsd[a] as number)
    const coin = x.coin[a] as number
    for (let s = 0; s < ns; s++) acc[s] = fixed + coin * (collMove[s] as number)
    accumulateRows(mat, ns, rows, sizes, offsets[a] as number, offsets[a + 1] as number, acc)
    const v0 = acc[0] as number
    let worst = 0
    let at = -1
    for (let s = 1; s < ns; s++) {
      const loss = (v0 - (acc[s] as number)) * (damp[s] as number)
      if (loss > worst) {
        worst = loss
        at = s
      }
    }
    out.equity[a] = v0
    out.worst[a] = worst
    out.at[a] = at
  }
}

// -------------------------------------------------------------------------------------
// WebAssembly SIMD kernel
// -------------------------------------------------------------------------------------

/**
 * f64x2 accumulators per pass over an account's positions (held in registers; x64 has 16 vector
 * registers). 6 (three passes for 35 scenarios) measured fastest on the liquidation bench: 9 (two
 * passes) was 0.96× the repricing baseline against 0.73× for 6, 0.75× for 5, 0.78× for 4.
 */
const MAX_BLOCK = 6

/** Parameters (all i32: byte addresses, then counts). */
const P = {
  mat: 0,
  nRows: 1,
  cm: 2,
  damp: 3,
  scratch: 4,
  off: 5,
  cash: 6,
  entry: 7,
  coin: 8,
  rows: 9,
  sizes: 10,
  outV: 11,
  outW: 12,
  outAt: 13,
  n: 14,
  posBase: 15,
} as const
const N_PARAMS = 16
const ZERO = Array<number>(16).fill(0)

/**
 * The kernel for `vectors` f64x2 scenario pairs per matrix row (row stride 16·vectors bytes),
 * specialised so every load has a constant offset. Per account:
 *
 * 1. scenario vectors in blocks of at most {@link MAX_BLOCK} accumulators, each block set to
 *    fixed + coin·move and then swept over the account's positions in book order (the first sweep
 *    stores each position's splatted size and row address for the later ones);
 * 2. after each block, its losses `max⁺((v0 − acc)·damp)` (`f64x2.pmax` with +0: a loss that is
 *    not > 0, NaN included, becomes +0) are stored to a scratch row and folded into a running
 *    maximum (order-free: a maximum of non-negative non-NaN doubles);
 * 3. the worst loss w is the larger lane of that maximum; its index is the first scenario whose
 *    stored loss equals w (lane bitmasks of `f64x2.eq`, lowest set bit), −1 when w = 0.
 */
const kernelBody = (vectors: number, maxBlock: number): { locals: number[]; body: number[] } => {
  const { i32, f64, v128 } = valType
  const blocks: [number, number][] = []
  const nBlocks = Math.ceil(vectors / maxBlock)
  for (let b = 0, k = 0; b < nBlocks; b++) {
    const size = Math.ceil((vectors - k) / (nBlocks - b))
    blocks.push([k, k + size])
    k += size
  }
  const width = Math.max(...blocks.map(([lo, hi]) => hi - lo))
  // locals after the parameters
  const L = {
    a: 16,
    j: 17,
    j0: 18,
    j1: 19,
    row: 20,
    base: 21,
    mask: 22,
    at: 23,
    q: 24,
    qEnd: 25,
    v0: 26,
    w: 27,
    fx: 28,
    cn: 29,
    z: 30,
    V0: 31,
    W: 32,
    acc: 33,
  } as const
  const recOff = 16 * vectors
  const locals = [
    ...Array<number>(10).fill(i32),
    ...Array<number>(2).fill(f64),
    ...Array<number>(5 + width).fill(v128),
  ]
  const { localGet: get, localSet: set } = op
  const stride = 16 * vectors
  const at = (ptr: number, index: number, shift: number): number[] => [
    ...get(ptr),
    ...get(index),
    ...op.i32Const(shift),
    ...op.i32Shl,
    ...op.i32Add,
  ]
  const body: number[] = [...op.i32Const(0), ...set(L.a), ...op.block, ...op.loop]
  body.push(...get(L.a), ...get(P.n), ...op.i32GeS, ...op.brIf(1))
  // positions j0 … j1 − 1 of account a, relative to the copied chunk
  body.push(...at(P.off, L.a, 2), ...op.localTee(L.row), ...op.i32Load(0), ...get(P.posBase), ...op.i32Sub)
  body.push(...set(L.j0), ...get(L.row), ...op.i32Load(4), ...get(P.posBase), ...op.i32Sub, ...set(L.j1))
  // fx = cash − entry, cn = coin (both splatted)
  body.push(...at(P.cash, L.a, 3), ...op.f64Load(), ...at(P.entry, L.a, 3), ...op.f64Load(), ...op.f64Sub)
  body.push(
    ...op.f64x2Splat,
    ...set(L.fx),
    ...at(P.coin, L.a, 3),
    ...op.f64Load(),
    ...op.f64x2Splat,
    ...set(L.cn),
  )
  body.push(...op.v128Const(ZERO), ...set(L.W))
  // end of the account's position records (32 bytes each: splat(size), row byte address)
  body.push(...get(P.scratch), ...op.i32Const(recOff), ...op.i32Add, ...get(L.j1), ...get(L.j0), ...op.i32Sub)
  body.push(...op.i32Const(5), ...op.i32Shl, ...op.i32Add, ...set(L.qEnd))
  /** acc_k += z·M[base + 16k] for the block's vectors k (one position). */
  const multiplyAdd = (lo: number, hi: number): number[] => {
    const o: number[] = []
    for (let k = lo; k < hi; k++) {
      o.push(...get(L.acc + k - lo), ...get(L.z), ...get(L.base), ...op.v128Load(16 * k))
      o.push(...op.f64x2Mul, ...op.f64x2Add, ...set(L.acc + k - lo))
    }
    return o
  }
  blocks.forEach(([lo, hi], b) => {
    for (let k = lo; k < hi; k++)
      body.push(
        ...get(L.fx),
        ...get(L.cn),
        ...get(P.cm),
        ...op.v128Load(16 * k),
        ...op.f64x2Mul,
        ...op.f64x2Add,
        ...set(L.acc + k - lo),
      )
    if (b === 0) {
      // first pass: each position's record (splat(size); the row's byte address, row <u nRows ? row :
      // nRows, row nRows being all NaN) is built, stored for the later passes and used
      body.push(
        ...get(L.j0),
        ...set(L.j),
        ...get(P.scratch),
        ...op.i32Const(recOff),
        ...op.i32Add,
        ...set(L.q),
      )
      body.push(...op.block, ...op.loop, ...get(L.j), ...get(L.j1), ...op.i32GeS, ...op.brIf(1))
      body.push(...get(L.q), ...at(P.sizes, L.j, 3), ...op.f64Load(), ...op.f64x2Splat, ...op.localTee(L.z))
      body.push(
        ...op.v128Store(0),
        ...get(L.q),
        ...at(P.rows, L.j, 2),
        ...op.i32Load(),
        ...op.localTee(L.row),
      )
      body.push(...get(P.nRows), ...get(L.row), ...get(P.nRows), ...op.i32LtU, ...op.select)
      body.push(...op.i32Const(stride), ...op.i32Mul, ...get(P.mat), ...op.i32Add, ...op.localTee(L.base))
      body.push(...op.i32Store(16))
      body.push(...multiplyAdd(lo, hi))
      body.push(...get(L.q), ...op.i32Const(32), ...op.i32Add, ...set(L.q))
      body.push(...get(L.j), ...op.i32Const(1), ...op.i32Add, ...set(L.j), ...op.br(0), ...op.end, ...op.end)
    } else {
      body.push(...get(P.scratch), ...op.i32Const(recOff), ...op.i32Add, ...set(L.q), ...op.block, ...op.loop)
      body.push(...get(L.q), ...get(L.qEnd), ...op.i32GeU, ...op.brIf(1))
      body.push(...get(L.q), ...op.v128Load(0), ...set(L.z), ...get(L.q), ...op.i32Load(16), ...set(L.base))
      body.push(...multiplyAdd(lo, hi))
      body.push(...get(L.q), ...op.i32Const(32), ...op.i32Add, ...set(L.q), ...op.br(0), ...op.end, ...op.end)
    }
    if (b === 0)
      body.push(
        ...get(L.acc),
        ...op.f64x2ExtractLane(0),
        ...op.localTee(L.v0),
        ...op.f64x2Splat,
        ...set(L.V0),
      )
    // losses max(+0, (v0 − acc)·damp), stored for the index search
    for (let k = lo; k < hi; k++) {
      const v = L.acc + k - lo
      body.push(...get(P.scratch), ...op.v128Const(ZERO), ...get(L.V0), ...get(v), ...op.f64x2Sub)
      body.push(...get(P.damp), ...op.v128Load(16 * k), ...op.f64x2Mul, ...op.f64x2Pmax, ...op.localTee(v))
      body.push(...op.v128Store(16 * k))
    }
    // pairwise maximum over the block, then into the running maximum
    let items = Array.from({ length: hi - lo }, (_, i) => L.acc + i)
    while (items.length > 1) {
      const next: number[] = []
      for (let i = 0; i < items.length; i += 2) {
        const l = items[i] as number
        const r = items[i + 1]
        if (r !== undefined) body.push(...get(l), ...get(r), ...op.f64x2Pmax, ...set(l))
        next.push(l)
      }
      items = next
    }
    body.push(...get(L.W), ...get(L.acc), ...op.f64x2Pmax, ...set(L.W))
  })
  // w = the larger lane; at = first scenario whose loss is w (groups of 16 vectors = 32 lanes per
  // i32 mask, the earliest group with a match wins), −1 when w = 0
  body.push(...get(L.W), ...op.f64x2ExtractLane(0), ...get(L.W), ...op.f64x2ExtractLane(1), ...op.f64Max)
  body.push(...op.localTee(L.w), ...op.f64x2Splat, ...set(L.W), ...op.i32Const(-1), ...set(L.at))
  for (let g0 = 16 * Math.floor((vectors - 1) / 16); g0 >= 0; g0 -= 16) {
    body.push(...op.i32Const(0), ...set(L.mask))
    for (let k = g0; k < Math.min(vectors, g0 + 16); k++) {
      body.push(...get(L.mask), ...get(P.scratch), ...op.v128Load(16 * k), ...get(L.W), ...op.f64x2Eq)
      body.push(...op.i64x2Bitmask, ...op.i32Const(2 * (k - g0)), ...op.i32Shl, ...op.i32Or, ...set(L.mask))
    }
    body.push(
      ...get(L.mask),
      ...op.i32Ctz,
      ...op.i32Const(2 * g0),
      ...op.i32Add,
      ...get(L.at),
      ...get(L.mask),
    )
    body.push(...op.select, ...set(L.at))
  }
  body.push(...at(P.outV, L.a, 3), ...get(L.v0), ...op.f64Store())
  body.push(...at(P.outW, L.a, 3), ...get(L.w), ...op.f64Store())
  body.push(...at(P.outAt, L.a, 2), ...get(L.at), ...op.i32Const(-1), ...get(L.w), ...op.f64Const(0))
  body.push(...op.f64Gt, ...op.select, ...op.i32Store())
  body.push(...get(L.a), ...op.i32Const(1), ...op.i32Add, ...set(L.a), ...op.br(0), ...op.end, ...op.end)
  return { locals, body }
}

interface WasmKernel {
  readonly instance: WasmInstance
  readonly run: (...args: number[]) => void
}

/** Kernels by vectors per row and block width; `null` when the host cannot compile them. */
const kernels = new Map<string, WasmKernel | null>()

const kernelFor = (vectors: number, maxBlock = MAX_BLOCK): WasmKernel | null => {
  const key = `${String(vectors)}/${String(maxBlock)}`
  let k = kernels.get(key)
  if (k !== undefined) return k
  const { locals, body } = kernelBody(vectors, maxBlock)
  const bytes = assembleModule(
    [{ name: 'aggregate', params: Array<number>(N_PARAMS).fill(valType.i32), locals, body }],
    1,
  )
  const instance = instantiateWasm(bytes)
  k =
    instance === undefined
      ? null
      : { instance, run: instance.exports['aggregate'] as (...a: number[]) => void }
  kernels.set(key, k)
  return k
}

/**
 * Whether the WebAssembly SIMD kernel compiles on this host for `ns` scenarios (the `auto`
 * kernel is then SIMD).
 */
export const wasmAggregationAvailable = (ns: number): boolean => kernelFor(Math.ceil(ns / 2)) !== null

/** Accounts and positions copied into the module's memory per kernel call (a chunk stays in L2). */
const CHUNK_ACCOUNTS = 2048
const CHUNK_POSITIONS = 24576

const align = (x: number): number => (x + 15) & ~15

/**
 * The SIMD kernel over accounts `from … to − 1`: copies the padded matrix (plus a NaN row) and
 * the scenario constants into the module's memory, then the book in chunks of accounts; returns
 * false (nothing written) when the host cannot compile the kernel or the matrix is not
 * `nRows × ns`. `maxBlock` (accumulators per pass) changes the speed, never the result. The
 * module's memory grows to the largest run seen (matrix + one chunk) and is kept for the next
 * call.
 */
export const aggregateWasm = (
  x: AggregationInputs,
  out: AggregationOutputs,
  from: number,
  to: number,
  maxBlock = MAX_BLOCK,
): boolean => {
  const { ns, nRows, offsets } = x
  const vectors = Math.ceil(ns / 2)
  // a matrix of another shape would leave stale rows in the module's copy: the JS kernel reads it
  if (x.mat.length !== nRows * ns || x.collMove.length < ns || x.damp.length < ns) return false
  const kernel = kernelFor(vectors, maxBlock)
  if (kernel === null) return false
  const lanes = 2 * vectors
  // positions capacity: the default, or the largest account
  let capPos = CHUNK_POSITIONS
  for (let a = from; a < to; a++) {
    const p = (offsets[a + 1] as number) - (offsets[a] as number)
    if (p > capPos) capPos = p
  }
  const capAcc = CHUNK_ACCOUNTS
  let top = 0
  const take = (bytes: number): number => {
    const p = top
    top += align(bytes)
    return p
  }
  const pCm = take(8 * lanes)
  const pDamp = take(8 * lanes)
  const pScratch = take(8 * lanes + 32 * capPos)
  const pMat = take(8 * lanes * (nRows + 1))
  const pOff = take(4 * (capAcc + 1))
  const pCash = take(8 * capAcc)
  const pEntry = take(8 * capAcc)
  const pCoin = take(8 * capAcc)
  const pV = take(8 * capAcc)
  const pW = take(8 * capAcc)
  const pAt = take(4 * capAcc)
  const pSizes = take(8 * capPos)
  const pRows = take(4 * capPos)
  const mem = kernel.instance.memory
  const missing = Math.ceil(top / 65536) - mem.buffer.byteLength / 65536
  if (missing > 0) mem.grow(missing)
  const buf = mem.buffer
  const f64 = new Float64Array(buf)
  const i32 = new Int32Array(buf)
  // scenario constants, padded to whole vectors; lane 0 (the base) and padding get damp 0, so
  // their loss is ±0 or NaN and never selected
  for (let s = 0; s < lanes; s++) {
    f64[pCm / 8 + s] = s < ns ? (x.collMove[s] as number) : 0
    f64[pDamp / 8 + s] = s > 0 && s < ns ? (x.damp[s] as number) : 0
  }
  const m0 = pMat / 8
  const { mat } = x
  for (let r = 0; r < nRows; r++) {
    f64.set(mat.subarray(r * ns, r * ns + ns), m0 + r * lanes)
    if (lanes > ns) f64[m0 + r * lanes + ns] = 0
  }
  f64.fill(NaN, m0 + nRows * lanes, m0 + (nRows + 1) * lanes)
  for (let a0 = from; a0 < to;) {
    const p0 = offsets[a0] as number
    let a1 = a0 + 1
    const aMax = Math.min(to, a0 + capAcc)
    while (a1 < aMax && (offsets[a1 + 1] as number) - p0 <= capPos) a1++
    const p1 = offsets[a1] as number
    const n = a1 - a0
    i32.set(offsets.subarray(a0, a1 + 1), pOff / 4)
    f64.set(x.cashUsd.subarray(a0, a1), pCash / 8)
    f64.set(x.entryUsd.subarray(a0, a1), pEntry / 8)
    f64.set(x.coin.subarray(a0, a1), pCoin / 8)
    f64.set(x.sizes.subarray(p0, p1), pSizes / 8)
    i32.set(x.rows.subarray(p0, p1), pRows / 4)
    kernel.run(
      pMat,
      nRows,
      pCm,
      pDamp,
      pScratch,
      pOff,
      pCash,
      pEntry,
      pCoin,
      pRows,
      pSizes,
      pV,
      pW,
      pAt,
      n,
      p0,
    )
    out.equity.set(f64.subarray(pV / 8, pV / 8 + n), a0)
    out.worst.set(f64.subarray(pW / 8, pW / 8 + n), a0)
    out.at.set(i32.subarray(pAt / 4, pAt / 4 + n), a0)
    a0 = a1
  }
  return true
}

/**
 * Aggregates accounts `from … to − 1` with the chosen kernel (`auto`: SIMD when available).
 * Every kernel writes the same doubles.
 */
export const aggregateRiskMatrix = (
  x: AggregationInputs,
  out: AggregationOutputs,
  from: number,
  to: number,
  kernel: AggregationKernel,
): void => {
  if (kernel !== 'js' && aggregateWasm(x, out, from, to)) return
  aggregateJs(x, out, from, to)
}
