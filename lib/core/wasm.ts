/**
 * A minimal WebAssembly assembler: the binary encoding of one-memory, import-free modules whose
 * functions take and return numbers, written as instruction lists in code (no build step, no
 * `.wasm` file to audit separately). Used for hot kernels that need SIMD (f64x2); each kernel
 * keeps a plain-JS reference implementation as its oracle and fallback.
 *
 * Only the instructions the library's kernels use are named in {@link op}. Encodings follow the
 * WebAssembly Core Specification 2.0 (§5, binary format) and the fixed-width SIMD proposal
 * (opcode prefix 0xFD).
 *
 * @module
 * @since 0.1.0
 */

/** Value types (spec §5.3.1). */
export const valType = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b } as const

/** Unsigned LEB128 of a non-negative integer < 2³². */
export const uleb = (x: number): number[] => {
  const o: number[] = []
  let n = x >>> 0
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    o.push(b)
  } while (n !== 0)
  return o
}

/** Signed LEB128 of a 32-bit integer. */
export const sleb = (x: number): number[] => {
  const o: number[] = []
  let n = x | 0
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

const simd = (code: number): number[] => [0xfd, ...uleb(code)]
/** memarg: alignment exponent, then the constant byte offset added to the address operand. */
const memarg = (align: number, offset: number): number[] => [...uleb(align), ...uleb(offset)]

/**
 * Instruction encodings (spec §5.4). Loads and stores take the constant byte offset of their
 * memarg (the address operand is on the stack).
 */
export const op = {
  localGet: (i: number): number[] => [0x20, ...uleb(i)],
  localSet: (i: number): number[] => [0x21, ...uleb(i)],
  localTee: (i: number): number[] => [0x22, ...uleb(i)],
  i32Const: (v: number): number[] => [0x41, ...sleb(v)],
  f64Const: (x: number): number[] => {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, x, true)
    return [0x44, ...b]
  },
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  select: [0x1b],
  i32Load: (offset = 0): number[] => [0x28, ...memarg(2, offset)],
  f64Load: (offset = 0): number[] => [0x2b, ...memarg(3, offset)],
  i32Store: (offset = 0): number[] => [0x36, ...memarg(2, offset)],
  f64Store: (offset = 0): number[] => [0x39, ...memarg(3, offset)],
  i32Eqz: [0x45],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  f64Eq: [0x61],
  f64Gt: [0x64],
  f64Sub: [0xa1],
  f64Max: [0xa5],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Or: [0x72],
  i32Shl: [0x74],
  i32WrapI64: [0xa7],
  v128Load: (offset = 0): number[] => [...simd(0), ...memarg(4, offset)],
  v128Store: (offset = 0): number[] => [...simd(11), ...memarg(4, offset)],
  v128Const: (bytes: readonly number[]): number[] => [...simd(12), ...bytes],
  f64x2Splat: simd(20),
  f64x2ExtractLane: (lane: number): number[] => [...simd(33), lane],
  i64x2ExtractLane: (lane: number): number[] => [...simd(29), lane],
  f64x2Eq: simd(71),
  f64x2Gt: simd(74),
  i64x2Bitmask: simd(196),
  v128And: simd(78),
  v128Bitselect: simd(82),
  f64x2Add: simd(240),
  f64x2Sub: simd(241),
  f64x2Mul: simd(242),
  f64x2Pmax: simd(247),
}

/** One function of a module: i32 / f64 parameters, no results, declared locals, body. */
export interface WasmFunction {
  /** Exported under this name. */
  readonly name: string
  /** Parameter types ({@link valType}). */
  readonly params: readonly number[]
  /** Local types after the parameters, in order. */
  readonly locals: readonly number[]
  /** Instructions, without the final `end`. */
  readonly body: readonly number[]
}

const vec = (items: readonly (readonly number[])[]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body]
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]

/**
 * Binary module: one memory of `pages` initial 64 KiB pages exported as `memory`, and the
 * functions, each exported under its name (spec §5.5: type, function, memory, export and code
 * sections, in that order).
 */
export const assembleModule = (functions: readonly WasmFunction[], pages: number): Uint8Array => {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0])
  const code = functions.map((f) => {
    // locals run-length encoded as (count, type) pairs
    const runs: number[][] = []
    for (const t of f.locals) {
      const last = runs[runs.length - 1]
      if (last !== undefined && last[1] === t) last[0] = (last[0] as number) + 1
      else runs.push([1, t])
    }
    const fn = [...vec(runs.map(([n, t]) => [...uleb(n as number), t as number])), ...f.body, ...op.end]
    return [...uleb(fn.length), ...fn]
  })
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d, // \0asm
    1,
    0,
    0,
    0, // version 1
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ),
    ...section(10, vec(code)),
  ])
}

/** The part of the WebAssembly JS API used here (the project's TypeScript lib has no DOM typings). */
interface WasmApi {
  validate: (bytes: Uint8Array) => boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}

/** An instantiated module: its memory and exported functions. */
export interface WasmInstance {
  /** The module's memory. */
  readonly memory: { readonly buffer: ArrayBuffer; grow: (pages: number) => number }
  /** Exported functions by name. */
  readonly exports: Record<string, unknown>
}

/**
 * Compiles and instantiates module bytes synchronously; `undefined` when the host has no
 * WebAssembly or rejects the module (e.g. no SIMD support), so callers fall back to JS.
 */
export const instantiateWasm = (bytes: Uint8Array): WasmInstance | undefined => {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  if (api === undefined) return undefined
  try {
    if (!api.validate(bytes)) return undefined
    const inst = new api.Instance(new api.Module(bytes), {})
    return { memory: inst.exports['memory'] as WasmInstance['memory'], exports: inst.exports }
  } catch {
    return undefined
  }
}
