// Liquidation bench: 100 000 synthetic accounts × 10 positions on the BTC chain of the example
// snapshot (2026-08-22), margined with deribit-standard@1, derive-standard@1 and risk-matrix@1.
// Baseline: repricing every instrument of the chain once per risk-matrix scenario (35 scenarios)
// through the surface — the work any full-revaluation margin must do. Goal: a full risk-matrix
// margin run (repricing + aggregation) ≤ 2× the baseline. Ratios are medians of paired rounds
// (baseline and subject back to back), so load drift on a shared machine cancels.
//
// Surface: lib/surface/fitSurface on the example chain when it loads and fits; otherwise a
// stand-in SVI surface (a = 0.2·T·σ², smile through b, ρ) — the row notes say which was used.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { normCdf } from '../lib/core/normal.js'
import type { Account } from '../lib/domain/account.js'
import { parseInstrument } from '../lib/domain/instrument.js'
import type { Mark } from '../lib/domain/mark.js'
import type { VolSurface } from '../lib/domain/surface.js'
import { yearFraction } from '../lib/domain/time.js'
import { marginBatch, presetScenarios } from '../lib/liquidation/margin.js'
import { compileAccounts, prepareMarket, repriceInstruments } from '../lib/liquidation/market.js'
import { DERIBIT_STANDARD, DERIVE_STANDARD, RISK_MATRIX, type RiskMatrixParameters } from '../lib/liquidation/presets.js'
import { row, section, timeMs } from './harness.js'

/** Paired rounds: baseline and subject timed back to back `pairs` times; the median of the per-pair
 * ratios is robust to load drifting during the run (shared 2-core machines). */
const paired = (baseline: () => void, subject: () => void, pairs = 7): { ms: number; ratio: number } => {
  baseline()
  subject()
  const ms: number[] = []
  const ratios: number[] = []
  for (let k = 0; k < pairs; k++) {
    let t = process.hrtime.bigint()
    baseline()
    const b = Number(process.hrtime.bigint() - t)
    t = process.hrtime.bigint()
    subject()
    const x = Number(process.hrtime.bigint() - t)
    ms.push(x / 1e6)
    ratios.push(x / b)
  }
  ms.sort((a, b) => a - b)
  ratios.sort((a, b) => a - b)
  return { ms: ms[pairs >> 1] as number, ratio: ratios[pairs >> 1] as number }
}

const here = dirname(fileURLToPath(import.meta.url))
const CSV = join(here, '..', 'examples', 'deribit_options_snapshot_20260822T153351Z.csv')
const AS_OF = '2026-08-22T15:33:51.683Z'
const SPOT = 77081.8

const standInSurface = (): VolSurface => {
  // raw SVI in k with ATM vol 45 %: w(k, T) = T·(a + b(ρ(k − m) + √((k − m)² + s²)))
  const a = 0.16
  const b = 0.12
  const rho = -0.2
  const m = 0.02
  const s = 0.25
  const forward = (t: number): number => SPOT * Math.exp(0.04 * t)
  const totalVariance = (k: number, t: number): number => t * (a + b * (rho * (k - m) + Math.sqrt((k - m) * (k - m) + s * s)))
  return {
    asOf: AS_OF,
    underlying: 'BTC',
    spot: SPOT,
    model: 'svi',
    vol: (K, t) => Math.sqrt(totalVariance(Math.log(K / forward(t)), t) / t),
    totalVariance,
    forward,
    discount: () => 1,
    slices: [],
    diagnostics: { rmseVolPoints: 0, insideSpreadShare: 1, minDurrlemanG: 0, calendarArbitrageFree: true, excluded: [], notes: ['bench stand-in SVI'] },
  }
}

const fittedSurface = async (text: string): Promise<VolSurface | string> => {
  try {
    const io = (await import('../lib/io/deribitChain.js')) as typeof import('../lib/io/deribitChain.js')
    const fs = (await import('../lib/surface/fitSurface.js')) as typeof import('../lib/surface/fitSurface.js')
    const snaps = io.readDeribitChain(text)
    if (E.isLeft(snaps)) return `reader: ${snaps.left.message}`
    const btc = snaps.right.find((s) => s.underlying === 'BTC')
    if (btc === undefined) return 'no BTC snapshot'
    const r = fs.fitSurface(btc)
    return E.isLeft(r) ? `fitSurface: ${(r.left as { message?: string }).message ?? r.left._tag}` : r.right
  } catch (e) {
    return `fitSurface not loadable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`
  }
}

const markOf = (surface: VolSurface, name: string, i: number): Mark | undefined => {
  const p = parseInstrument(name)
  if (E.isLeft(p) || p.right.type !== 'option') return undefined
  const o = p.right
  const t = yearFraction(surface.asOf, o.expiry)
  if (!(t > 0)) return undefined
  const f = surface.forward(t)
  const v = surface.vol(o.strike, t)
  const sd = v * Math.sqrt(t)
  const d1 = Math.log(f / o.strike) / sd + sd / 2
  const q = o.kind === 'call' ? 1 : -1
  const price = (q * (f * normCdf(q * d1) - o.strike * normCdf(q * (d1 - sd)))) / f
  const model = i % 3 === 0
  return {
    instrument: name,
    underlying: 'BTC',
    kind: o.kind,
    strike: o.strike,
    expiry: o.expiry,
    expiryYears: t,
    forward: f,
    premium: 'coin',
    markPrice: price,
    markIv: v,
    source: model ? 'model' : 'market',
    model: 'bench',
    modelPrice: price,
    modelIv: v,
    lower: model ? price * 0.95 : price,
    upper: model ? price * 1.05 : price,
    liquidity: {
      verdict: model ? 'thin' : 'liquid',
      reasons: [],
      metrics: { twoSided: true, relativeSpread: 0.05, spreadVolPoints: null, topSize: 5, depthInBand: null, quoteAgeSeconds: null, crossed: false, locked: false },
    },
    fingerprint: 'bench',
  }
}

/** Park–Miller LCG, seed 42: deterministic synthetic accounts. */
const lcg = (seed: number) => {
  let s = seed
  return (): number => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  }
}

export const run = async (): Promise<void> => {
  section('liquidation: 100 000 accounts × 10 positions, BTC chain 2026-08-22')
  const text = readFileSync(CSV, 'utf8')
  const fitted = await fittedSurface(text)
  const surface = typeof fitted === 'string' ? standInSurface() : fitted
  const surfaceNote = typeof fitted === 'string' ? `stand-in SVI surface (${fitted})` : 'fitSurface on the example chain'
  const names = [...new Set(text.split('\n').slice(1).map((l) => l.split(',')[1] ?? '').filter((n) => n.startsWith('BTC-')))].sort()
  const marks = names.map((n, i) => markOf(surface, n, i)).filter((m): m is Mark => m !== undefined)
  const ctxE = prepareMarket(marks, surface)
  if (E.isLeft(ctxE)) throw new Error(ctxE.left.message)
  const ctx = ctxE.right
  const instruments = [...marks.map((m) => m.instrument), 'BTC-PERPETUAL', 'BTC-25SEP26', 'BTC-25DEC26']
  const rnd = lcg(42)
  const N = 100_000
  const accounts: Account[] = []
  for (let a = 0; a < N; a++) {
    const positions = []
    for (let j = 0; j < 10; j++) {
      const instrument = instruments[Math.floor(rnd() * instruments.length)] as string
      const size = (rnd() < 0.5 ? -1 : 1) * (0.1 + 4.9 * rnd())
      positions.push(instrument.split('-').length === 4 ? { instrument, size } : { instrument, size, entryPrice: 70000 + 15000 * rnd() })
    }
    accounts.push({ id: `a${String(a)}`, collateral: { BTC: 3 * rnd(), USD: 200000 * rnd() }, positions })
  }
  const book = compileAccounts(ctx, accounts)
  const rm = RISK_MATRIX.parameters as RiskMatrixParameters
  const scenarios = presetScenarios(RISK_MATRIX)
  const nInstr = ctx.table.names.length
  const reprice = (): void => void repriceInstruments(ctx, scenarios, rm.volRule)
  const baseline = timeMs(reprice, 7)
  row(`baseline: reprice ${String(nInstr)} instruments × ${String(scenarios.length)} scenarios`, baseline, 'ms', 1, surfaceNote)
  const compile = paired(reprice, () => void compileAccounts(ctx, accounts), 3)
  row('compile 100k accounts (names → indices, once per book)', compile.ms, 'ms', compile.ratio)
  const matrix = repriceInstruments(ctx, scenarios, rm.volRule)
  const aggregate = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX, matrix))
  row('risk-matrix@1: aggregation over the precomputed matrix', aggregate.ms, 'ms', aggregate.ratio)
  const fullRm = paired(reprice, () => void marginBatch(ctx, book, RISK_MATRIX))
  row('risk-matrix@1: full run (reprice + aggregate)', fullRm.ms, 'ms', fullRm.ratio, 'goal ≤ 2×')
  const deribit = paired(reprice, () => void marginBatch(ctx, book, DERIBIT_STANDARD))
  row('deribit-standard@1: full run', deribit.ms, 'ms', deribit.ratio)
  const derive = paired(reprice, () => void marginBatch(ctx, book, DERIVE_STANDARD), 5)
  row('derive-standard@1: full run (max-loss netting per expiry)', derive.ms, 'ms', derive.ratio)
  row('floor: 35 multiply-adds per position (3.5e7), ns per multiply-add at the measured aggregation', (aggregate.ms * 1e6) / (N * 10 * (scenarios.length - 0)), 'ns')
  const cols = marginBatch(ctx, book, RISK_MATRIX, matrix)
  const counts = [0, 0, 0, 0]
  for (const s of cols.status) counts[s] = (counts[s] as number) + 1
  row('risk-matrix@1 statuses: healthy / margin-call / liquidatable / insolvent', counts[0] as number, 'accounts', undefined, counts.join(' / '))
}
