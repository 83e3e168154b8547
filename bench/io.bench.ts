// Input readers: median time to read each real fixture, as a ratio to csv-parse alone on the
// same text (the floor any reader built on it pays). Run: `npm run bench -- io`.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { readCboeQuotes } from '../lib/io/cboe.js'
import { readDeribitChain } from '../lib/io/deribitChain.js'
import { readDeribitOrderBook } from '../lib/io/deribitOrderBook.js'
import { row, section, timeMs } from './harness.js'

const D = 'spec/fixtures/data'

export const run = (): void => {
  section('io: readers (ms per file, ratio to csv-parse alone on the same text)')
  const cases: Array<[string, string, (t: string) => unknown]> = [
    [
      'deribit chain 2025-12-30 (1,304 rows)',
      `${D}/deribit-chains/deribit_options_snapshot_20251230T173115Z.csv`,
      (t) => readDeribitChain(t),
    ],
    [
      'deribit chain 2026-02-05 (1,782 rows)',
      `${D}/deribit-chains/deribit_options_snapshot_20260205T155132Z.csv`,
      (t) => readDeribitChain(t),
    ],
    [
      'deribit chain 2026-08-22 (1,970 rows, largest)',
      `${D}/deribit-chains/deribit_options_snapshot_20260822T153351Z.csv`,
      (t) => readDeribitChain(t),
    ],
    [
      'deribit order book 2020-05-14 (310 rows, full depth)',
      `${D}/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv`,
      (t) => readDeribitOrderBook(t),
    ],
    [
      'cboe SPX 2019-05-10 (6,972 rows → 13,944 quotes)',
      `${D}/spx/spx_quotedata_20190510_close.dat`,
      (t) => readCboeQuotes(t),
    ],
  ]
  for (const [name, path, reader] of cases) {
    const text = readFileSync(path, 'utf8')
    const body = path.endsWith('.dat') ? text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1) : text
    const floor = timeMs(
      () => parse(body, { relax_column_count: true, skip_empty_lines: true, bom: true }),
      9,
    )
    const t = timeMs(() => reader(text), 9)
    row(name, t, 'ms', t / floor, `csv-parse alone ${floor.toFixed(1)} ms`)
  }
}
