// The multiply-add floor of the liquidation bench: the same number of multiply-adds as the
// risk-matrix aggregation (accounts × positions × scenarios) as dense loops over contiguous
// Float64Array rows — no gather by matrix row, no collateral, no loss scan, no copies — in plain
// JS and in WebAssembly SIMD with the same register blocking as lib/liquidation/aggregate.ts (blocks
// of 6 f64x2 accumulators, rows of ⌈S/2⌉ vectors). It says how close the aggregation is to what the
// machine can do at all in each language.
import { assembleModule, instantiateWasm, op, valType } from '../lib/core/wasm.js'

/** Σ over `accounts` of, per scenario s < S, Σ_j z[j]·x[(p_a + j)·S + s] over 10 consecutive rows
 * p_a … p_a + 9 (cycling through `rows` rows): the JS dense loop, shaped like the JS kernel (ten
 * sizes in registers, one pass over the scenarios). Returns a checksum so nothing is dead code. */
export const denseJs = (
  x: Float64Array,
  ns: number,
  rows: number,
  z: Float64Array,
  accounts: number,
): number => {
  let check = 0
  let p = 0
  let zo = 0
  for (let a = 0; a < accounts; a++) {
    if (p + 10 > rows) p = 0
    if (zo + 10 > z.length) zo = 0
    const b0 = p * ns
    const z0 = z[zo] as number
    const z1 = z[zo + 1] as number
    const z2 = z[zo + 2] as number
    const z3 = z[zo + 3] as number
    const z4 = z[zo + 4] as number
    const z5 = z[zo + 5] as number
    const z6 = z[zo + 6] as number
    const z7 = z[zo + 7] as number
    const z8 = z[zo + 8] as number
    const z9 = z[zo + 9] as number
    for (let s = 0; s < ns; s++) {
      const q = b0 + s
      check +=
        z0 * (x[q] as number) +
        z1 * (x[q + ns] as number) +
        z2 * (x[q + 2 * ns] as number) +
        z3 * (x[q + 3 * ns] as number) +
        z4 * (x[q + 4 * ns] as number) +
        z5 * (x[q + 5 * ns] as number) +
        z6 * (x[q + 6 * ns] as number) +
        z7 * (x[q + 7 * ns] as number) +
        z8 * (x[q + 8 * ns] as number) +
        z9 * (x[q + 9 * ns] as number)
    }
    p += 10
    zo += 10
  }
  return check
}

/** The WebAssembly SIMD dense loop for S scenarios (stride ⌈S/2⌉ vectors); `undefined` without SIMD. */
export const denseWasm = (
  ns: number,
):
  ((x: Float64Array, rows: number, z: Float64Array, accounts: number, per: number) => number) | undefined => {
  const vectors = Math.ceil(ns / 2)
  const stride = 16 * vectors
  const blocks: [number, number][] = []
  const nb = Math.ceil(vectors / 6)
  for (let b = 0, k = 0; b < nb; b++) {
    const size = Math.ceil((vectors - k) / (nb - b))
    blocks.push([k, k + size])
    k += size
  }
  const width = Math.max(...blocks.map(([lo, hi]) => hi - lo))
  // params: 0 x, 1 end (x + rows·stride), 2 z, 3 zLen − per (i32 elements), 4 accounts, 5 per, 6 out
  // locals: 7 a, 8 p, 9 q, 10 qEnd, 11 zq, 12 zo; 13 zz (v128), 14 … accumulators
  const { localGet: get, localSet: set } = op
  const A = 14
  const body: number[] = [...get(0), ...set(8), ...op.i32Const(0), ...set(7), ...op.i32Const(0), ...set(12)]
  body.push(...op.block, ...op.loop, ...get(7), ...get(4), ...op.i32GeS, ...op.brIf(1))
  // wrap the row pointer to x when the account's rows would pass the end
  body.push(...get(0), ...get(8), ...get(1), ...get(8), ...get(5), ...op.i32Const(stride), ...op.i32Mul)
  body.push(...op.i32Add, ...op.i32LtU, ...op.select, ...set(8))
  for (const [lo, hi] of blocks) {
    for (let k = lo; k < hi; k++) body.push(...op.v128Const(Array<number>(16).fill(0)), ...set(A + k - lo))
    body.push(...get(8), ...set(9), ...get(8), ...get(5), ...op.i32Const(stride), ...op.i32Mul, ...op.i32Add)
    body.push(...set(10), ...get(2), ...get(12), ...op.i32Const(3), ...op.i32Shl, ...op.i32Add, ...set(11))
    body.push(...op.block, ...op.loop, ...get(9), ...get(10), ...op.i32GeU, ...op.brIf(1))
    body.push(...get(11), ...op.f64Load(), ...op.f64x2Splat, ...set(13))
    for (let k = lo; k < hi; k++) {
      body.push(...get(A + k - lo), ...get(13), ...get(9), ...op.v128Load(16 * k), ...op.f64x2Mul)
      body.push(...op.f64x2Add, ...set(A + k - lo))
    }
    body.push(...get(9), ...op.i32Const(stride), ...op.i32Add, ...set(9))
    body.push(...get(11), ...op.i32Const(8), ...op.i32Add, ...set(11), ...op.br(0), ...op.end, ...op.end)
    for (let k = lo + 1; k < hi; k++) body.push(...get(A), ...get(A + k - lo), ...op.f64x2Add, ...set(A))
    body.push(...get(6), ...get(6), ...op.v128Load(0), ...get(A), ...op.f64x2Add, ...op.v128Store(0))
  }
  // next account: rows advance by per, sizes cycle
  body.push(...get(8), ...get(5), ...op.i32Const(stride), ...op.i32Mul, ...op.i32Add, ...set(8))
  body.push(...op.i32Const(0), ...get(12), ...get(5), ...op.i32Add, ...op.localTee(12), ...get(12), ...get(3))
  body.push(...op.i32GeS, ...op.select, ...set(12))
  body.push(...get(7), ...op.i32Const(1), ...op.i32Add, ...set(7), ...op.br(0), ...op.end, ...op.end)
  const inst = instantiateWasm(
    assembleModule(
      [
        {
          name: 'dense',
          params: Array<number>(7).fill(valType.i32),
          locals: [...Array<number>(6).fill(valType.i32), ...Array<number>(1 + width).fill(valType.v128)],
          body,
        },
      ],
      1,
    ),
  )
  if (inst === undefined) return undefined
  const run = inst.exports['dense'] as (...a: number[]) => void
  return (x, rows, z, accounts, per) => {
    const lanes = 2 * vectors
    const bytes = 16 + 8 * lanes * rows + 8 * z.length
    const missing = Math.ceil(bytes / 65536) - inst.memory.buffer.byteLength / 65536
    if (missing > 0) inst.memory.grow(missing)
    const f64 = new Float64Array(inst.memory.buffer)
    f64.fill(0, 0, 2)
    for (let r = 0; r < rows; r++) f64.set(x.subarray(r * ns, r * ns + ns), 2 + r * lanes)
    const pz = 2 + lanes * rows
    f64.set(z, pz)
    run(16, 16 + 8 * lanes * rows, 8 * pz, z.length - per, accounts, per, 0)
    return (f64[0] as number) + (f64[1] as number)
  }
}
