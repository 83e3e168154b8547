// The risk-matrix aggregation kernels agree bit for bit: the WebAssembly SIMD kernel against the
// plain-JS reference (lib/liquidation/aggregate.ts), compared with Object.is per output double
// and === per scenario index. Random books from fast-check (seed 42, budget stated per property):
// matrix values drawn from a small pool so that exact ties between scenarios are common, NaN and
// ±Infinity rows, rows outside the matrix, empty accounts, odd and even scenario counts up to 80
// (more than one 32-lane index mask), dampening 0, 1 and fractional. Then the example chain
// (bench/book.ts: fitSurface on examples/deribit_options_snapshot_20260822T153351Z.csv, 20 000
// seeded accounts × 10 positions) through marginBatch with each kernel.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  aggregateJs,
  aggregateWasm,
  type AggregationInputs,
  type AggregationOutputs,
  wasmAggregationAvailable,
} from '../../lib/liquidation/aggregate.js'
import { marginBatch, presetScenarios } from '../../lib/liquidation/margin.js'
import { compileAccounts, prepareMarket, repriceInstruments } from '../../lib/liquidation/market.js'
import { RISK_MATRIX, type RiskMatrixParameters } from '../../lib/liquidation/presets.js'
import { syntheticBook } from '../../bench/book.js'
import { mulberry32 } from '../../bench/harness.js'

/** mulberry32 (bench/harness.ts): the seeded uniform generator the random books are filled from. */
const rng = mulberry32

const POOL = [0, -0, 1, -1, 0.5, 2500.25, 77081.8, 1e-300, NaN, Infinity, -Infinity]

interface Shape {
  readonly seed: number
  readonly ns: number
  readonly nRows: number
  readonly accounts: number
  readonly maxPositions: number
}

/** A random aggregation input of the given shape, filled from the seed. */
const randomInputs = ({ seed, ns, nRows, accounts, maxPositions }: Shape): AggregationInputs => {
  const u = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)] as T
  const value = (): number => {
    const r = u()
    if (r < 0.02) return pick(POOL)
    if (r < 0.3) return Math.round(u() * 8) * 250 // coarse values: frequent exact ties
    return (u() - 0.3) * 1e5
  }
  const mat = new Float64Array(nRows * ns)
  for (let r = 0; r < nRows; r++) {
    const kind = u()
    for (let s = 0; s < ns; s++) mat[r * ns + s] = kind < 0.2 ? (mat[r * ns] as number) : value() // flat rows tie
  }
  const offsets = new Int32Array(accounts + 1)
  const counts: number[] = []
  let total = 0
  for (let a = 0; a < accounts; a++) {
    const n = u() < 0.1 ? 0 : Math.floor(u() * (maxPositions + 1))
    counts.push(n)
    offsets[a] = total
    total += n
  }
  offsets[accounts] = total
  const rows = new Int32Array(total)
  const sizes = new Float64Array(total)
  for (let j = 0; j < total; j++) {
    const r = u()
    rows[j] = r < 0.01 ? pick([-1, nRows, nRows + 7, -2147483648]) : Math.floor(u() * nRows)
    sizes[j] = u() < 0.05 ? pick([0, -0, 1e308, NaN]) : Math.round((u() - 0.5) * 100) / 10
  }
  const col = (scale: number): Float64Array =>
    Float64Array.from({ length: accounts }, () => (u() < 0.2 ? 0 : (u() - 0.3) * scale))
  const collMove = Float64Array.from({ length: ns }, (_, s) => (s === 0 ? 77000 : 77000 * (0.3 + 2 * u())))
  const damp = Float64Array.from({ length: ns }, () => pick([1, 1, 1, 0.05, 0, 0.7]))
  return {
    mat,
    ns,
    nRows,
    offsets,
    rows,
    sizes,
    cashUsd: col(1e5),
    entryUsd: col(1e5),
    coin: col(5),
    collMove,
    damp,
  }
}

const outputs = (n: number): AggregationOutputs => ({
  equity: new Float64Array(n).fill(12345),
  worst: new Float64Array(n).fill(12345),
  at: new Int32Array(n).fill(12345),
})

/** First account where the two kernels differ, or −1. */
const firstDifference = (x: AggregationInputs, from: number, to: number, maxBlock?: number): number => {
  const n = x.offsets.length - 1
  const js = outputs(n)
  const simd = outputs(n)
  aggregateJs(x, js, from, to)
  expect(aggregateWasm(x, simd, from, to, maxBlock)).toBe(true)
  for (let a = 0; a < n; a++)
    if (
      !Object.is(js.equity[a], simd.equity[a]) ||
      !Object.is(js.worst[a], simd.worst[a]) ||
      js.at[a] !== simd.at[a]
    )
      return a
  return -1
}

describe('aggregation kernels: WebAssembly SIMD = JS reference, bit for bit', () => {
  it('the SIMD kernel compiles on this host (otherwise the comparisons below would be JS against JS)', () => {
    for (const ns of [1, 2, 35, 64, 65, 80]) expect(wasmAggregationAvailable(ns)).toBe(true)
  })

  it('random books: NaN / ±Inf / ties / rows outside the matrix / empty accounts / block widths (200 runs)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          ns: fc.integer({ min: 1, max: 80 }),
          nRows: fc.integer({ min: 1, max: 40 }),
          accounts: fc.integer({ min: 1, max: 60 }),
          maxPositions: fc.integer({ min: 0, max: 25 }),
        }),
        fc.constantFrom(undefined, 1, 2, 9),
        (shape, maxBlock) => {
          const x = randomInputs(shape)
          const from = shape.seed % 3 === 0 ? 0 : Math.min(shape.seed % 7, shape.accounts - 1)
          expect(firstDifference(x, from, shape.accounts, maxBlock)).toBe(-1)
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('books larger than one copied chunk: 5000 accounts, one with 30 000 positions', () => {
    const x = randomInputs({ seed: 7, ns: 35, nRows: 2082, accounts: 5000, maxPositions: 12 })
    const big = 30_000
    const offsets = Int32Array.from(x.offsets, (o, a) => (a > 2500 ? o + big : o))
    const at = x.offsets[2500] as number
    const grow = <T extends Int32Array | Float64Array>(c: T, fill: (j: number) => number): T => {
      const out = new (c.constructor as new (n: number) => T)(c.length + big)
      out.set(c.subarray(0, at))
      for (let j = 0; j < big; j++) out[at + j] = fill(j)
      out.set(c.subarray(at), at + big)
      return out
    }
    const y: AggregationInputs = {
      ...x,
      offsets,
      rows: grow(x.rows, (j) => (j * 37) % 2082),
      sizes: grow(x.sizes, (j) => ((j % 11) - 5) / 4),
    }
    expect(firstDifference(y, 0, 5000)).toBe(-1)
  })

  it('a matrix of another shape is left to the JS kernel (the SIMD copy would hold stale rows)', () => {
    const x = randomInputs({ seed: 3, ns: 6, nRows: 4, accounts: 5, maxPositions: 4 })
    const short: AggregationInputs = { ...x, mat: x.mat.subarray(0, 18) }
    expect(aggregateWasm(short, outputs(5), 0, 5)).toBe(false)
    expect(aggregateWasm(x, outputs(5), 0, 5)).toBe(true)
  })

  it('ties: a futures-only account loses the same in vol up / unchanged / down; both report vol up', () => {
    // 3 scenarios after the base: spot −10 % vol up, unchanged, down; a long future worth 100 → 90
    const x: AggregationInputs = {
      mat: new Float64Array([100, 90, 90, 90]),
      ns: 4,
      nRows: 1,
      offsets: new Int32Array([0, 1]),
      rows: new Int32Array([0]),
      sizes: new Float64Array([2]),
      cashUsd: new Float64Array([0]),
      entryUsd: new Float64Array([0]),
      coin: new Float64Array([0]),
      collMove: new Float64Array([1, 0.9, 0.9, 0.9]),
      damp: new Float64Array([1, 1, 1, 1]),
    }
    for (const run of [aggregateJs, aggregateWasm]) {
      const o = outputs(1)
      run(x, o, 0, 1)
      expect([o.equity[0], o.worst[0], o.at[0]]).toEqual([200, 20, 1])
    }
  })

  it('example chain, 20 000 accounts × 10 positions: marginBatch columns identical with either kernel', async () => {
    const { marks, surface, accounts } = await syntheticBook({ accounts: 20_000, positions: 10, seed: 42 })
    const ctxE = prepareMarket(marks, surface)
    if (E.isLeft(ctxE)) throw new Error(ctxE.left.message)
    const ctx = ctxE.right
    const book = compileAccounts(ctx, accounts)
    const rm = RISK_MATRIX.parameters as RiskMatrixParameters
    const matrix = repriceInstruments(ctx, presetScenarios(RISK_MATRIX), rm.volRule)
    const js = marginBatch(ctx, book, RISK_MATRIX, matrix, 'js')
    const simd = marginBatch(ctx, book, RISK_MATRIX, matrix, 'wasm-simd')
    const auto = marginBatch(ctx, book, RISK_MATRIX)
    let differences = 0
    let losing = 0
    for (const other of [simd, auto])
      for (let a = 0; a < book.count; a++) {
        if ((js.worstScenario[a] as number) > 0) losing++
        if (
          !Object.is(js.equityUsd[a], other.equityUsd[a]) ||
          !Object.is(js.imUsd[a], other.imUsd[a]) ||
          !Object.is(js.mmUsd[a], other.mmUsd[a]) ||
          js.status[a] !== other.status[a] ||
          js.worstScenario[a] !== other.worstScenario[a]
        )
          differences++
      }
    expect(differences).toBe(0)
    // the comparison is not vacuous: most accounts have a losing scenario
    expect(losing).toBeGreaterThan(book.count)
  }, 60_000)
})
