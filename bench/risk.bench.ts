// Risk bench: VaR / ES by filtered historical simulation with 1,000 scenarios (the last 1,000
// days of the example BTC history, full revaluation through the fitted surface) over 100,000
// synthetic accounts × 10 positions (bench/book.ts: the liquidation bench's book), as a ratio to one risk-matrix margin run
// (lib/liquidation/margin.ts `marginBatch` with RISK_MATRIX: 35 scenarios, repricing + aggregation)
// on the same compiled accounts and market. Ratios are medians of paired rounds (baseline and
// subject back to back), so load drift on a shared machine cancels.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { readPriceHistory } from '../lib/io/history.js'
import { marginBatch, presetScenarios } from '../lib/liquidation/margin.js'
import { repriceInstruments } from '../lib/liquidation/market.js'
import { RISK_MATRIX } from '../lib/liquidation/presets.js'
import { FLAT_VOL_RULE } from '../lib/liquidation/presets.js'
import { portfolioOf, valueAtRisk } from '../lib/risk/portfolio.js'
import { historicalScenarios } from '../lib/risk/scenarios.js'
import { syntheticBook } from './book.js'
import { row, section } from './harness.js'

const here = dirname(fileURLToPath(import.meta.url))
const HISTORY = join(here, '..', 'examples', 'btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv')

/** Median of per-pair ratios subject/baseline and the subject's median time, `pairs` rounds after a warm-up. */
const paired = (
  baseline: () => void,
  subject: () => void,
  pairs: number,
): { ms: number; baseMs: number; ratio: number } => {
  baseline()
  subject()
  const ms: number[] = []
  const base: number[] = []
  const ratios: number[] = []
  for (let k = 0; k < pairs; k++) {
    let t = process.hrtime.bigint()
    baseline()
    const b = Number(process.hrtime.bigint() - t)
    t = process.hrtime.bigint()
    subject()
    const x = Number(process.hrtime.bigint() - t)
    base.push(b / 1e6)
    ms.push(x / 1e6)
    ratios.push(x / b)
  }
  const med = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1] as number
  return { ms: med(ms), baseMs: med(base), ratio: med(ratios) }
}

export const run = async (): Promise<void> => {
  section('risk: VaR / ES with 1,000 historical scenarios over 100 000 accounts × 10 positions')
  const book = await syntheticBook()
  const pf = portfolioOf(book.accounts, book.marks, book.surface)
  if (E.isLeft(pf)) throw new Error(pf.left.message)
  const portfolio = pf.right
  const h = readPriceHistory(readFileSync(HISTORY, 'utf8'))
  if (E.isLeft(h)) throw new Error(h.left.message)
  const scenarios = historicalScenarios(h.right, { method: 'fhs', count: 1000 })
  const { market, book: compiled } = portfolio
  const margin = (): void => void marginBatch(market, compiled, RISK_MATRIX)
  const risk = (): void => void valueAtRisk(portfolio, scenarios)
  const full = paired(margin, risk, 5)
  row(
    `baseline: risk-matrix@1 margin run (${String(market.table.names.length)} instruments, 100k accounts)`,
    full.baseMs,
    'ms',
    1,
    book.note,
  )
  row(
    'VaR99 / ES97.5, 1,000 FHS scenarios, full revaluation',
    full.ms,
    'ms',
    full.ratio,
    'ratio to one risk-matrix margin run',
  )
  const perScenario = full.ratio / (scenarios.length / presetScenarios(RISK_MATRIX).length)
  row(
    `  the same ratio per scenario (÷ ${String(scenarios.length)}/${String(presetScenarios(RISK_MATRIX).length)} scenarios)`,
    perScenario,
    '×',
    undefined,
  )
  const reprice = paired(
    margin,
    () => void repriceInstruments(market, [{ spotMove: 0, volShock: 0 }, ...scenarios], FLAT_VOL_RULE),
    5,
  )
  row('  of which: reprice every instrument × 1,001 scenarios', reprice.ms, 'ms', reprice.ratio)
  row(
    'per-position cost of the VaR run (ns per position × scenario)',
    (full.ms * 1e6) / (compiled.rows.length * scenarios.length),
    'ns',
    undefined,
    `${String(compiled.rows.length)} positions × ${String(scenarios.length)} scenarios`,
  )
  const r = valueAtRisk(portfolio, scenarios)
  row('book VaR99 (USD), for the record', r.var, 'USD', undefined, `ES97.5 ${r.es.toFixed(0)} USD`)
}
