// The in-code WebAssembly assembler (lib/core/wasm.ts): LEB128 encodings against the examples of
// the WebAssembly Core Specification / DWARF (624485 → e5 8e 26, −123456 → c0 bb 78) and a
// decoder written here, and small modules (scalar f64 and f64x2 SIMD) assembled, validated,
// instantiated and run. The risk-matrix kernel built on it is checked bit for bit against its
// JS reference in spec/liquidation/aggregate.spec.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assembleModule, instantiateWasm, op, sleb, uleb, valType } from '../../lib/core/wasm.js'

const decodeUleb = (bytes: readonly number[]): number => {
  let x = 0
  let shift = 0
  for (const b of bytes) {
    x += (b & 0x7f) * 2 ** shift
    shift += 7
    if ((b & 0x80) === 0) break
  }
  return x
}
const decodeSleb = (bytes: readonly number[]): number => {
  let x = decodeUleb(bytes)
  const bits = 7 * bytes.length
  if ((bytes[bytes.length - 1]! & 0x40) !== 0) x -= 2 ** bits
  return x
}

describe('LEB128', () => {
  it('matches the published examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(uleb(0)).toEqual([0])
    expect(uleb(127)).toEqual([0x7f])
    expect(uleb(128)).toEqual([0x80, 0x01])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([0x3f])
    expect(sleb(64)).toEqual([0xc0, 0x00])
    expect(sleb(-64)).toEqual([0x40])
  })

  it('round-trips every 32-bit value, each byte but the last with its continuation bit', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (u, s) => {
        const eu = uleb(u)
        const es = sleb(s)
        expect(decodeUleb(eu)).toBe(u)
        expect(decodeSleb(es)).toBe(s)
        for (const e of [eu, es]) {
          expect(e.length).toBeLessThanOrEqual(5)
          e.forEach((b, i) => expect((b & 0x80) !== 0).toBe(i < e.length - 1))
        }
      }),
      { seed: 42, numRuns: 2000 },
    )
  })
})

describe('assembleModule / instantiateWasm', () => {
  // sub(addr, a, b): mem[addr] = a − b (f64); mul2(dst, x, y): mem[dst..+16] = mem[x..+16] ⊙ mem[y..+16] (f64x2)
  const bytes = assembleModule(
    [
      {
        name: 'sub',
        params: [valType.i32, valType.f64, valType.f64],
        locals: [],
        body: [...op.localGet(0), ...op.localGet(1), ...op.localGet(2), ...op.f64Sub, ...op.f64Store()],
      },
      {
        name: 'mul2',
        params: [valType.i32, valType.i32, valType.i32],
        locals: [valType.v128],
        body: [
          ...op.localGet(1),
          ...op.v128Load(),
          ...op.localGet(2),
          ...op.v128Load(),
          ...op.f64x2Mul,
          ...op.localSet(3),
          ...op.localGet(0),
          ...op.localGet(3),
          ...op.v128Store(),
        ],
      },
    ],
    1,
  )
  const inst = instantiateWasm(bytes)

  it('emits a module the host validates, with one 64 KiB memory and the functions exported', () => {
    expect(Array.from(bytes.slice(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0])
    expect(inst).toBeDefined()
    expect(inst!.memory.buffer.byteLength).toBe(65536)
    expect(Object.keys(inst!.exports).sort()).toEqual(['memory', 'mul2', 'sub'])
  })

  it('runs scalar and SIMD instructions with IEEE-754 double results', () => {
    const mem = new Float64Array(inst!.memory.buffer)
    const sub = inst!.exports['sub'] as (addr: number, a: number, b: number) => void
    const mul2 = inst!.exports['mul2'] as (dst: number, x: number, y: number) => void
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), fc.double(), (a, b, c, d) => {
        sub(0, a, b)
        expect(Object.is(mem[0], a - b)).toBe(true)
        mem.set([a, b, c, d], 2)
        mul2(48, 16, 32)
        expect(Object.is(mem[6], a * c)).toBe(true)
        expect(Object.is(mem[7], b * d)).toBe(true)
      }),
      { seed: 42, numRuns: 500 },
    )
  })

  it('returns undefined (callers fall back to JS) for bytes the host rejects', () => {
    const broken = bytes.slice()
    broken[4] = 2 // unknown binary version
    expect(instantiateWasm(broken)).toBeUndefined()
    expect(instantiateWasm(new Uint8Array([1, 2, 3]))).toBeUndefined()
  })
})
