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
import { wasmAggregator } from './wasmAggregate.js'

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
  const aggregate = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX, matrix))
  row(
    'risk-matrix@1: aggregation over the precomputed matrix',
    aggregate.ms,
    'ms cpu',
    aggregate.ratio,
    wallNote(aggregate),
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
  row(
    'floor: 35 multiply-adds per position (3.5e7), ns per multiply-add at the measured aggregation',
    (aggregate.ms * 1e6) / (N * 10 * scenarios.length),
    'ns cpu',
  )
  const cols = marginBatch(ctx, book, RISK_MATRIX, matrix)
  // experiment (bench only): the same aggregation as a WebAssembly SIMD kernel, checked bit for bit
  const ns = scenarios.length
  const collMove = new Float64Array(ns)
  const damp = new Float64Array(ns)
  for (let s = 0; s < ns; s++) {
    collMove[s] = ctx.spot * (1 + (scenarios[s]?.spotMove ?? NaN))
    damp[s] = scenarios[s]?.dampening ?? NaN
  }
  const fixed = new Float64Array(book.count)
  for (let a = 0; a < book.count; a++) fixed[a] = (book.cashUsd[a] as number) - (book.entryUsd[a] as number)
  const agg = wasmAggregator()
  const inputs = {
    mat: matrix,
    rows: book.rows,
    sizes: book.sizes,
    offsets: book.offsets,
    fixed,
    coin: book.coin,
    collMove,
    damp,
  }
  const w = agg(inputs, true)
  const cont = rm.nakedShortContingency * ctx.spot
  let identical = true
  for (let a = 0; a < book.count && identical; a++)
    if (book.errors[a] === undefined)
      identical =
        Object.is(w.v0[a], cols.equityUsd[a]) &&
        Object.is((w.worst[a] as number) + (book.nakedShortUnits[a] as number) * cont, cols.imUsd[a]) &&
        w.at[a] === cols.worstScenario[a]
  const wasmAgg = paired(reprice, () => void agg(inputs, true))
  row(
    'experiment: wasm SIMD aggregation (bench only, copies included)',
    wasmAgg.ms,
    'ms cpu',
    wasmAgg.ratio,
    wallNote(wasmAgg, identical ? 'bit-identical to marginBatch' : 'DIFFERS from marginBatch'),
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
