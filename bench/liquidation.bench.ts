// Liquidation bench: 100 000 synthetic accounts × 10 positions on the BTC chain of the example
// snapshot (2026-08-22), margined with deribit-standard@1, derive-standard@1 and risk-matrix@1.
// Baseline: repricing every instrument of the chain once per risk-matrix scenario (35 scenarios)
// through the surface — the work any full-revaluation margin must do. Goal: a full risk-matrix
// margin run (repricing + aggregation) ≤ 2× the baseline. Ratios are medians of paired rounds
// (baseline and subject back to back), so load drift on a shared machine cancels; the ratio
// column is by process CPU time (time waiting for a core is not counted), the note gives the
// wall-time ratio.
//
// The book (marks, surface, accounts) is bench/book.ts `syntheticBook` (shared with the risk bench):
// lib/surface/fitSurface on the example chain when it loads and fits; otherwise a stand-in SVI
// surface — the row notes say which was used.
import * as E from 'fp-ts/lib/Either.js'
import { wasmAggregationAvailable } from '../lib/liquidation/aggregate.js'
import { marginBatch, presetScenarios } from '../lib/liquidation/margin.js'
import { compileAccounts, prepareMarket, repriceInstruments } from '../lib/liquidation/market.js'
import {
  DERIBIT_STANDARD,
  DERIVE_STANDARD,
  RISK_MATRIX,
  type RiskMatrixParameters,
} from '../lib/liquidation/presets.js'
import { syntheticBook } from './book.js'
import { row, section, timeMs } from './harness.js'
import { denseJs, denseWasm } from './wasmAggregate.js'

/** Process CPU time (user + system, all threads), ns: unlike wall time it does not count the
 * time the process waits for a core, so paired ratios stay stable on a loaded machine. */
const cpuNs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) * 1e3
}

/** Paired rounds: baseline and subject timed back to back `pairs` times; the median of the per-pair
 * ratios is robust to load drifting during the run (shared 2-core machines). `ratio` is by CPU
 * time, `wallRatio` by wall time. */
const paired = (
  baseline: () => void,
  subject: () => void,
  pairs = 7,
): { ms: number; ratio: number; wallRatio: number } => {
  baseline()
  subject()
  const ms: number[] = []
  const ratios: number[] = []
  const wall: number[] = []
  for (let k = 0; k < pairs; k++) {
    let c = cpuNs()
    let t = process.hrtime.bigint()
    baseline()
    const b = Number(process.hrtime.bigint() - t)
    const bc = cpuNs() - c
    c = cpuNs()
    t = process.hrtime.bigint()
    subject()
    const x = Number(process.hrtime.bigint() - t)
    const xc = cpuNs() - c
    ms.push(xc / 1e6)
    ratios.push(xc / bc)
    wall.push(x / b)
  }
  ms.sort((a, b) => a - b)
  ratios.sort((a, b) => a - b)
  wall.sort((a, b) => a - b)
  return {
    ms: ms[pairs >> 1] as number,
    ratio: ratios[pairs >> 1] as number,
    wallRatio: wall[pairs >> 1] as number,
  }
}

/** Note with the wall-time ratio of a paired measurement. */
const wallNote = (p: { wallRatio: number }, note = ''): string =>
  `${note}${note === '' ? '' : '; '}wall ${p.wallRatio.toFixed(2)}×`

export const run = async (): Promise<void> => {
  section('liquidation: 100 000 accounts × 10 positions, BTC chain 2026-08-22')
  const { marks, surface, surfaceNote, accounts } = await syntheticBook({
    accounts: 100_000,
    positions: 10,
    seed: 42,
  })
  const N = accounts.length
  const ctxE = prepareMarket(marks, surface)
  if (E.isLeft(ctxE)) throw new Error(ctxE.left.message)
  const ctx = ctxE.right
  const book = compileAccounts(ctx, accounts)
  const rm = RISK_MATRIX.parameters as RiskMatrixParameters
  const scenarios = presetScenarios(RISK_MATRIX)
  const nInstr = ctx.table.names.length
  const reprice = (): void => void repriceInstruments(ctx, scenarios, rm.volRule)
  const baseline = paired(reprice, reprice)
  const wallMs = timeMs(reprice, 7)
  row(
    `baseline: reprice ${String(nInstr)} instruments × ${String(scenarios.length)} scenarios`,
    baseline.ms,
    'ms cpu',
    1,
    `${surfaceNote}; wall ${wallMs.toFixed(1)} ms`,
  )
  const compile = paired(reprice, () => void compileAccounts(ctx, accounts), 3)
  row(
    'compile 100k accounts (names → indices, once per book)',
    compile.ms,
    'ms cpu',
    compile.ratio,
    wallNote(compile),
  )
  const matrix = repriceInstruments(ctx, scenarios, rm.volRule)
  const ns = scenarios.length
  const mas = N * 10 * ns
  const aggregate = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX, matrix))
  row(
    'risk-matrix@1: aggregation over the precomputed matrix',
    aggregate.ms,
    'ms cpu',
    aggregate.ratio,
    wallNote(aggregate, `${wasmAggregationAvailable(ns) ? 'WebAssembly SIMD' : 'JS (no SIMD)'} kernel`),
  )
  const aggregateJs = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX, matrix, 'js'), 5)
  row(
    'risk-matrix@1: aggregation, JS reference kernel (fallback)',
    aggregateJs.ms,
    'ms cpu',
    aggregateJs.ratio,
    wallNote(aggregateJs),
  )
  const fullRm = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX))
  row(
    'risk-matrix@1: full run (reprice + aggregate)',
    fullRm.ms,
    'ms cpu',
    fullRm.ratio,
    wallNote(fullRm, 'goal ≤ 2×'),
  )
  const deribit = paired(reprice, () => void marginBatch(ctx, book, DERIBIT_STANDARD))
  row('deribit-standard@1: full run', deribit.ms, 'ms cpu', deribit.ratio, wallNote(deribit))
  const derive = paired(reprice, () => void marginBatch(ctx, book, DERIVE_STANDARD), 5)
  row(
    'derive-standard@1: full run (max-loss netting per expiry)',
    derive.ms,
    'ms cpu',
    derive.ratio,
    wallNote(derive),
  )
  // the floor: the same multiply-adds as dense loops over contiguous rows (bench/wasmAggregate.ts)
  const nRows = 2 * nInstr
  const dense = denseWasm(ns)
  const floorJs = paired(reprice, () => void denseJs(matrix, ns, nRows, book.sizes, N), 5)
  row(
    `floor, JS: ${(mas / 1e6).toFixed(0)}M multiply-adds, dense contiguous rows`,
    floorJs.ms,
    'ms cpu',
    floorJs.ratio,
    wallNote(floorJs, `${((floorJs.ms * 1e6) / mas).toFixed(3)} ns per multiply-add`),
  )
  if (dense !== undefined) {
    const floorWasm = paired(reprice, () => void dense(matrix, nRows, book.sizes, N, 10))
    row(
      `floor, WebAssembly SIMD: the same, f64x2, blocks of 6 vectors`,
      floorWasm.ms,
      'ms cpu',
      floorWasm.ratio,
      wallNote(floorWasm, `${((floorWasm.ms * 1e6) / mas).toFixed(3)} ns per multiply-add`),
    )
  }
  row(
    'ns per multiply-add at the measured aggregation (SIMD / JS kernel)',
    (aggregate.ms * 1e6) / mas,
    'ns cpu',
    undefined,
    `JS kernel ${((aggregateJs.ms * 1e6) / mas).toFixed(3)} ns`,
  )
  const cols = marginBatch(ctx, book, RISK_MATRIX, matrix)
  const ref = marginBatch(ctx, book, RISK_MATRIX, matrix, 'js')
  let differ = 0
  for (let a = 0; a < book.count; a++)
    if (
      !Object.is(cols.equityUsd[a], ref.equityUsd[a]) ||
      !Object.is(cols.imUsd[a], ref.imUsd[a]) ||
      !Object.is(cols.mmUsd[a], ref.mmUsd[a]) ||
      cols.worstScenario[a] !== ref.worstScenario[a]
    )
      differ++
  row(
    'risk-matrix@1: accounts whose columns differ between the kernels',
    differ,
    'accounts',
    undefined,
    differ === 0 ? 'bit-identical (Object.is per output)' : 'DIFFERS',
  )
  const counts = [0, 0, 0, 0]
  for (const s of cols.status) counts[s] = (counts[s] as number) + 1
  row(
    'risk-matrix@1 statuses: healthy / margin-call / liquidatable / insolvent',
    counts[0] as number,
    'accounts',
    undefined,
    counts.join(' / '),
  )
}
