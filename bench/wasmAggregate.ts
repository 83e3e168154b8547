// Bench-only experiment: the risk-matrix aggregation of `marginBatch` (lib/liquidation/margin.ts)
// as a hand-assembled WebAssembly SIMD kernel (f64x2, two positions per pass over the scenarios),
// to measure what the aggregation costs without the JIT's per-access overheads (bounds checks,
// index arithmetic, one double per instruction). Same summation order as the JS kernel —
// acc[s] = fixed + coin·move[s], then acc[s] = acc[s] + z·m[row·S + s] position by position — so
// the results are bit-identical (the bench row checks it). Not used by lib/: the house style keeps
// kernels as plain loops over Float64Array; adopting this is the coordinator's decision.
//
// Kernel `agg(mat, rows, sizes, off, fixed, coin, move, damp, acc, outV, outW, outAt, S, n)`, all
// i32 (byte addresses into the module's memory, then S scenarios and n accounts): per account,
// the base value v0 = acc[0], the worst dampened loss max(0, max_s (v0 − acc[s])·damp[s]) and its
// scenario index (−1 when none loses), as marginBatch computes them.
const uleb = (x: number): number[] => {
  const o: number[] = []
  let n = x
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    o.push(b)
  } while (n !== 0)
  return o
}
const sleb = (x: number): number[] => {
  const o: number[] = []
  let n = x
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      o.push(b)
      return o
    }
    o.push(b | 0x80)
  }
}
const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s)]
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
// opcodes
const I = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  and: [0x71],
  ltS: [0x48],
  geS: [0x4e],
  eqz: [0x45],
  i32load: (off = 0) => [0x28, 2, ...uleb(off)],
  i32store: (off = 0) => [0x36, 2, ...uleb(off)],
  f64load: (off = 0) => [0x2b, 3, ...uleb(off)],
  f64store: (off = 0) => [0x39, 3, ...uleb(off)],
  fadd: [0xa0],
  fsub: [0xa1],
  fmul: [0xa2],
  fgt: [0x64],
  f64: (x: number) => {
    const b = Buffer.alloc(8)
    b.writeDoubleLE(x)
    return [0x44, ...b]
  },
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  vload: (off = 0) => [0xfd, ...uleb(0), 3, ...uleb(off)],
  vstore: (off = 0) => [0xfd, ...uleb(11), 3, ...uleb(off)],
  splat: [0xfd, ...uleb(20)],
  vadd: [0xfd, ...uleb(240)],
  vmul: [0xfd, ...uleb(242)],
}
// params (i32): 0 mat 1 rows 2 sizes 3 off 4 fixed 5 coin 6 cm 7 damp 8 acc 9 outV 10 outW 11 outAt 12 ns 13 n
// locals: 14 a(i32) 15 p(i32) 16 pe(i32) 17 j(i32) 18 hi(i32) 19 base(i32) 20 at(i32) 21 nsb(i32 = ns*8)
//         22 fx(f64) 23 cn(f64) 24 z(f64) 25 v0(f64) 26 worst(f64) 27 loss(f64)  28 zz(v128)
const P = {
  mat: 0,
  rows: 1,
  sizes: 2,
  off: 3,
  fixed: 4,
  coin: 5,
  cm: 6,
  damp: 7,
  acc: 8,
  outV: 9,
  outW: 10,
  outAt: 11,
  ns: 12,
  n: 13,
}
const L = {
  a: 14,
  p: 15,
  pe: 16,
  j: 17,
  hi: 18,
  base: 19,
  at: 20,
  nsb: 21,
  base1: 22,
  fx: 23,
  cn: 24,
  z: 25,
  v0: 26,
  worst: 27,
  loss: 28,
  z1: 29,
  zz: 30,
  zz1: 31,
}
const g = I.get
const s_ = I.set
const body: number[] = [
  ...g(P.ns),
  ...I.i32(3),
  ...I.shl,
  ...s_(L.nsb),
  ...g(P.ns),
  ...I.i32(-2),
  ...I.and,
  ...I.i32(3),
  ...I.shl,
  ...s_(L.pe), // pe = (ns & ~1)·8
  ...I.i32(0),
  ...s_(L.a),
  ...I.block,
  ...I.loop, // accounts
  ...g(L.a),
  ...g(P.n),
  ...I.geS,
  ...I.brIf(1),
  // fx, cn
  ...g(P.fixed),
  ...g(L.a),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...I.f64load(),
  ...s_(L.fx),
  ...g(P.coin),
  ...g(L.a),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...I.f64load(),
  ...s_(L.cn),
  // init acc: p over bytes 0..nsb
  ...I.i32(0),
  ...s_(L.p),
  ...I.block,
  ...I.loop,
  ...g(L.p),
  ...g(L.nsb),
  ...I.geS,
  ...I.brIf(1),
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...g(L.fx),
  ...g(L.cn),
  ...g(P.cm),
  ...g(L.p),
  ...I.add,
  ...I.f64load(),
  ...I.fmul,
  ...I.fadd,
  ...I.f64store(),
  ...g(L.p),
  ...I.i32(8),
  ...I.add,
  ...s_(L.p),
  ...I.br(0),
  ...I.end,
  ...I.end,
  // positions
  ...g(P.off),
  ...g(L.a),
  ...I.i32(2),
  ...I.shl,
  ...I.add,
  ...I.tee(L.j),
  ...I.i32load(4),
  ...s_(L.hi), // hi = off[a+1] (tee j = &off[a])
  ...g(L.j),
  ...I.i32load(),
  ...s_(L.j),
  ...I.block,
  ...I.loop,
  ...g(L.j),
  ...g(L.hi),
  ...I.geS,
  ...I.brIf(1),
  ...g(P.mat),
  ...g(P.rows),
  ...g(L.j),
  ...I.i32(2),
  ...I.shl,
  ...I.add,
  ...I.i32load(),
  ...g(L.nsb),
  ...I.mul,
  ...I.add,
  ...s_(L.base),
  ...g(P.sizes),
  ...g(L.j),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...I.f64load(),
  ...I.tee(L.z),
  ...I.splat,
  ...s_(L.zz),
  ...g(L.j),
  ...I.i32(1),
  ...I.add,
  ...g(L.hi),
  ...I.ltS,
  ...I.if,
  // pair of positions j, j+1
  ...g(P.mat),
  ...g(P.rows),
  ...g(L.j),
  ...I.i32(2),
  ...I.shl,
  ...I.add,
  ...I.i32load(4),
  ...g(L.nsb),
  ...I.mul,
  ...I.add,
  ...s_(L.base1),
  ...g(P.sizes),
  ...g(L.j),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...I.f64load(8),
  ...I.tee(L.z1),
  ...I.splat,
  ...s_(L.zz1),
  ...I.i32(0),
  ...s_(L.p),
  ...I.block,
  ...I.loop,
  ...g(L.p),
  ...g(L.pe),
  ...I.geS,
  ...I.brIf(1),
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...I.vload(),
  ...g(L.zz),
  ...g(L.base),
  ...g(L.p),
  ...I.add,
  ...I.vload(),
  ...I.vmul,
  ...I.vadd,
  ...g(L.zz1),
  ...g(L.base1),
  ...g(L.p),
  ...I.add,
  ...I.vload(),
  ...I.vmul,
  ...I.vadd,
  ...I.vstore(),
  ...g(L.p),
  ...I.i32(16),
  ...I.add,
  ...s_(L.p),
  ...I.br(0),
  ...I.end,
  ...I.end,
  ...g(L.pe),
  ...g(L.nsb),
  ...I.ltS,
  ...I.if,
  ...g(P.acc),
  ...g(L.pe),
  ...I.add,
  ...g(P.acc),
  ...g(L.pe),
  ...I.add,
  ...I.f64load(),
  ...g(L.z),
  ...g(L.base),
  ...g(L.pe),
  ...I.add,
  ...I.f64load(),
  ...I.fmul,
  ...I.fadd,
  ...g(L.z1),
  ...g(L.base1),
  ...g(L.pe),
  ...I.add,
  ...I.f64load(),
  ...I.fmul,
  ...I.fadd,
  ...I.f64store(),
  ...I.end,
  ...g(L.j),
  ...I.i32(2),
  ...I.add,
  ...s_(L.j),
  ...[0x05], // else: single position j
  ...I.i32(0),
  ...s_(L.p),
  ...I.block,
  ...I.loop,
  ...g(L.p),
  ...g(L.pe),
  ...I.geS,
  ...I.brIf(1),
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...I.vload(),
  ...g(L.zz),
  ...g(L.base),
  ...g(L.p),
  ...I.add,
  ...I.vload(),
  ...I.vmul,
  ...I.vadd,
  ...I.vstore(),
  ...g(L.p),
  ...I.i32(16),
  ...I.add,
  ...s_(L.p),
  ...I.br(0),
  ...I.end,
  ...I.end,
  ...g(L.pe),
  ...g(L.nsb),
  ...I.ltS,
  ...I.if,
  ...g(P.acc),
  ...g(L.pe),
  ...I.add,
  ...g(P.acc),
  ...g(L.pe),
  ...I.add,
  ...I.f64load(),
  ...g(L.z),
  ...g(L.base),
  ...g(L.pe),
  ...I.add,
  ...I.f64load(),
  ...I.fmul,
  ...I.fadd,
  ...I.f64store(),
  ...I.end,
  ...g(L.j),
  ...I.i32(1),
  ...I.add,
  ...s_(L.j),
  ...I.end, // if/else
  ...I.br(0),
  ...I.end,
  ...I.end,
  // worst loss
  ...g(P.acc),
  ...I.f64load(),
  ...s_(L.v0),
  ...I.f64(0),
  ...s_(L.worst),
  ...I.i32(-1),
  ...s_(L.at),
  ...I.i32(8),
  ...s_(L.p),
  ...I.block,
  ...I.loop,
  ...g(L.p),
  ...g(L.nsb),
  ...I.geS,
  ...I.brIf(1),
  ...g(L.v0),
  ...g(P.acc),
  ...g(L.p),
  ...I.add,
  ...I.f64load(),
  ...I.fsub,
  ...g(P.damp),
  ...g(L.p),
  ...I.add,
  ...I.f64load(),
  ...I.fmul,
  ...I.tee(L.loss),
  ...g(L.worst),
  ...I.fgt,
  ...I.if,
  ...g(L.loss),
  ...s_(L.worst),
  ...g(L.p),
  ...I.i32(3),
  ...[0x75] /* i32.shr_s */,
  ...s_(L.at),
  ...I.end,
  ...g(L.p),
  ...I.i32(8),
  ...I.add,
  ...s_(L.p),
  ...I.br(0),
  ...I.end,
  ...I.end,
  ...g(P.outV),
  ...g(L.a),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...g(L.v0),
  ...I.f64store(),
  ...g(P.outW),
  ...g(L.a),
  ...I.i32(3),
  ...I.shl,
  ...I.add,
  ...g(L.worst),
  ...I.f64store(),
  ...g(P.outAt),
  ...g(L.a),
  ...I.i32(2),
  ...I.shl,
  ...I.add,
  ...g(L.at),
  ...I.i32store(),
  ...g(L.a),
  ...I.i32(1),
  ...I.add,
  ...s_(L.a),
  ...I.br(0),
  ...I.end,
  ...I.end,
  ...I.end,
]
const locals = vec([
  [9, 0x7f],
  [7, 0x7c],
  [2, 0x7b],
]) // 9 i32, 7 f64, 2 v128
const func = [...locals, ...body]
const mod = [
  0x00,
  0x61,
  0x73,
  0x6d,
  1,
  0,
  0,
  0,
  ...section(1, vec([[0x60, ...uleb(14), ...Array(14).fill(0x7f), 0]])),
  ...section(3, vec([[0]])),
  ...section(5, vec([[0x00, ...uleb(1)]])),
  ...section(
    7,
    vec([
      [...str('agg'), 0x00, 0],
      [...str('mem'), 0x02, 0],
    ]),
  ),
  ...section(10, vec([[...uleb(func.length), ...func]])),
]
const wasmBytes = new Uint8Array(mod)

/** The part of the WebAssembly JS API used here (tsconfig's lib has no DOM typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow: (pages: number) => number
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

/** Inputs of the kernel: the scenario matrix, the book's columns and the scenario constants. */
export interface WasmAggregateInputs {
  /** Scenario matrix `values[row·S + s]` (repriceInstruments). */
  readonly mat: Float64Array
  /** Book rows. */
  readonly rows: Int32Array
  /** Book sizes. */
  readonly sizes: Float64Array
  /** Book offsets (count + 1). */
  readonly offsets: Int32Array
  /** cashUsd − entryUsd per account. */
  readonly fixed: Float64Array
  /** Underlying collateral per account. */
  readonly coin: Float64Array
  /** S·(1 + move_s) per scenario. */
  readonly collMove: Float64Array
  /** Dampening per scenario. */
  readonly damp: Float64Array
}

/** Outputs per account. */
export interface WasmAggregateOutputs {
  /** Base value (equity), USD. */
  readonly v0: Float64Array
  /** Worst dampened loss, USD. */
  readonly worst: Float64Array
  /** Its scenario index, −1 when no scenario loses. */
  readonly at: Int32Array
}

/** Instantiates the kernel; the returned function copies its inputs into the module's memory (the
 * book's columns only when `copyBook` or a different book) and runs it. */
export const wasmAggregator = (): ((x: WasmAggregateInputs, copyBook: boolean) => WasmAggregateOutputs) => {
  const inst = new wasm.Instance(new wasm.Module(wasmBytes), {})
  const mem = inst.exports['mem'] as WasmMemory
  const agg = inst.exports['agg'] as (...a: number[]) => void
  let lastRows: Int32Array | undefined
  return (x, copyBook) => {
    const ns = x.collMove.length
    const n = x.fixed.length
    const bytes = [
      x.mat.byteLength,
      x.rows.byteLength,
      x.sizes.byteLength,
      x.offsets.byteLength,
      8 * n,
      8 * n,
      8 * ns,
      8 * ns,
      8 * ns + 16,
      8 * n,
      8 * n,
      4 * n,
    ]
    const ptr: number[] = []
    let top = 0
    for (const b of bytes) {
      ptr.push(top)
      top += (b + 15) & ~15
    }
    const pages = Math.ceil(top / 65536) - mem.buffer.byteLength / 65536
    if (pages > 0) mem.grow(pages)
    const buf = mem.buffer
    const [pMat, pRows, pSizes, pOff, pFixed, pCoin, pMove, pDamp, pAcc, pV, pW, pAt] = ptr as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    new Float64Array(buf, pMat, x.mat.length).set(x.mat)
    if (copyBook || lastRows !== x.rows) {
      new Int32Array(buf, pRows, x.rows.length).set(x.rows)
      new Float64Array(buf, pSizes, x.sizes.length).set(x.sizes)
      new Int32Array(buf, pOff, x.offsets.length).set(x.offsets)
      new Float64Array(buf, pFixed, n).set(x.fixed)
      new Float64Array(buf, pCoin, n).set(x.coin)
      lastRows = x.rows
    }
    new Float64Array(buf, pMove, ns).set(x.collMove)
    new Float64Array(buf, pDamp, ns).set(x.damp)
    agg(pMat, pRows, pSizes, pOff, pFixed, pCoin, pMove, pDamp, pAcc, pV, pW, pAt, ns, n)
    return {
      v0: new Float64Array(buf, pV, n).slice(),
      worst: new Float64Array(buf, pW, n).slice(),
      at: new Int32Array(buf, pAt, n).slice(),
    }
  }
}
