// `mtm mark`, `mtm validate`, `mtm report`, `mtm demo` end to end on real data, in-process.
// The bad-input file is the real 2025-12-30 chain with six edited copies of real rows appended
// (built here, so the edit of each row is visible next to its assertion).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { MarkRecord } from '../../lib/domain/mark.js'
import { MARK_CSV_COLUMNS } from '../../lib/cli/format.js'
import { readSnapshotText } from '../../lib/io/readSnapshotFile.js'
import { writeSnapshotJson } from '../../lib/io/snapshotJson.js'
import { mtm } from './run.js'

const CHAIN = 'spec/fixtures/data/deribit-chains/deribit_options_snapshot_20251230T173115Z.csv'
const TMP = '/tmp/mtm-spec'
mkdirSync(TMP, { recursive: true })

/** The real chain plus bad rows; returns the path and the 1-based data-row numbers of the bad rows. */
const badChain = (): { path: string; rows: Record<string, number> } => {
  const text = readFileSync(CHAIN, 'utf8').trimEnd()
  const lines = text.split('\n')
  const header = (lines[0] as string).split(',')
  const col = (n: string): number => header.indexOf(n)
  const btc = lines
    .slice(1)
    .filter((l) => l.includes(',BTC-16JAN26-') && l.split(',')[col('bid_price')] !== '')
  const edit = (line: string, changes: Record<string, string>): string => {
    const c = line.split(',')
    for (const [k, v] of Object.entries(changes)) c[col(k)] = v
    return c.join(',')
  }
  const base = lines.length - 1
  const src = btc[3] as string
  const cells = src.split(',')
  const bad = {
    crossed: edit(btc[4] as string, { bid_price: '0.5', ask_price: '0.4' }), // kept, flagged, marked by model
    negativeStrike: edit(btc[5] as string, { strike: '-' + (btc[5] as string).split(',')[col('strike')] }),
    missingStrike: edit(btc[6] as string, { strike: '' }),
    badExpiry: edit(btc[7] as string, { expiry_datetime: 'next friday' }),
    duplicate: src,
    expired: edit(src, {
      instrument_name: (cells[col('instrument_name')] as string).replace('16JAN26', '29DEC25'),
      expiry_datetime: '2025-12-29T08:00:00+00:00',
    }),
  }
  // the crossed row replaces its original (otherwise it would be a duplicate)
  const original4 = lines.indexOf(btc[4] as string)
  lines.splice(original4, 1)
  const rows: Record<string, number> = {}
  let n = base - 1
  for (const [k, v] of Object.entries(bad)) {
    lines.push(v)
    rows[k] = ++n
  }
  const path = `${TMP}/bad-chain.csv`
  writeFileSync(path, lines.join('\n') + '\n')
  return { path, rows }
}

describe('mtm mark', () => {
  it('writes every listed option as a JSON mark; identical bytes on a second run', async () => {
    const a = await mtm(['mark', CHAIN])
    expect(a.code).toBe(0)
    const marks = JSON.parse(a.stdout) as unknown
    const decoded = t.array(MarkRecord).decode(marks)
    expect(E.isRight(decoded)).toBe(true)
    expect((marks as unknown[]).length).toBe(630 + 674)
    expect(a.stderr).toMatch(/^BTC 2025-12-30T17:31:15.944Z deribit-v2: 630 listed, 630 marked/m)
    expect(a.stderr).toMatch(/^ETH 2025-12-30T17:31:15.944Z deribit-v2: 674 listed, 674 marked/m)
    const b = await mtm(['mark', CHAIN])
    expect(b.stdout).toBe(a.stdout)
  })

  it('the project JSON snapshot of a chain gives the same marks as the chain CSV', async () => {
    const snaps = readSnapshotText(readFileSync(CHAIN, 'utf8'), 'chain.csv')
    if (E.isLeft(snaps)) throw new Error(snaps.left.message)
    writeFileSync(`${TMP}/chain.json`, writeSnapshotJson(snaps.right))
    const fromJson = await mtm(['mark', `${TMP}/chain.json`, '-u', 'BTC'])
    const fromCsv = await mtm(['mark', CHAIN, '-u', 'BTC'])
    expect(fromJson.code).toBe(0)
    expect(fromJson.stdout).toBe(fromCsv.stdout)
  })

  it('--model sabr marks on a SABR surface (Black-76 at the SABR vol)', async () => {
    const r = await mtm([
      'mark',
      'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
      '--model',
      'sabr',
    ])
    expect(r.code).toBe(0)
    const marks = JSON.parse(r.stdout) as { model: string }[]
    expect(marks).toHaveLength(310)
    expect(new Set(marks.map((m) => m.model))).toEqual(new Set(['black76/sabr']))
  })

  it('--format csv and --out', async () => {
    const r = await mtm(['mark', CHAIN, '--format', 'csv', '--out', `${TMP}/marks.csv`, '-u', 'eth'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    const lines = readFileSync(`${TMP}/marks.csv`, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe(MARK_CSV_COLUMNS.join(','))
    expect(lines).toHaveLength(1 + 674)
  })

  it('bad rows: one line each naming row and field; the rest is marked; counts in the output', async () => {
    const { path, rows } = badChain()
    const r = await mtm(['mark', path, '--format', 'markset', '-u', 'BTC', '--verbose'])
    console.log(
      'mtm mark on the chain with bad rows, stderr:\n' +
        r.stderr
          .split('\n')
          .filter((l) => !/forward of expiry/.test(l))
          .join('\n'),
    )
    expect(r.code).toBe(0)
    const err = r.stderr.split('\n')
    const line = (row: number, field: string): string | undefined =>
      err.find((l) => l.includes(` row ${row} field ${field}:`))
    expect(line(rows.negativeStrike as number, 'strike')).toMatch(
      /rejected row \d+ field strike: negative strike/,
    )
    expect(line(rows.missingStrike as number, 'strike')).toMatch(
      /rejected row \d+ field strike: missing strike/,
    )
    expect(line(rows.badExpiry as number, 'expiry_datetime')).toMatch(/unparseable expiry "next friday"/)
    expect(line(rows.duplicate as number, 'instrument_name')).toMatch(/duplicate instrument/)
    expect(line(rows.expired as number, 'expiry_datetime')).toMatch(/expired option/)
    expect(line(rows.crossed as number, 'bid_price')).toMatch(/warning row \d+ field bid_price: .*crossed/)
    const [set] = JSON.parse(r.stdout) as [
      {
        counts: Record<string, number>
        marks: { instrument: string; source: string; liquidity: { reasons: string[] } }[]
      },
    ]
    expect(set.counts.rejectedRows).toBe(5)
    expect(set.counts.listed).toBe(630) // 630 real rows; the crossed copy replaced its original; five rows rejected
    expect(set.counts.marked).toBe(set.counts.listed)
    const crossed = set.marks.filter((m) => m.liquidity.reasons.some((x) => x.startsWith('crossed book')))
    expect(crossed).toHaveLength(1)
    expect(crossed[0]?.source).toBe('model')
  })
})

describe('mtm validate, report, demo', () => {
  it('validate prints the leave-one-out and exchange figures per file and underlying', async () => {
    const r = await mtm([
      'validate',
      CHAIN,
      'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
    ])
    console.log(r.stdout)
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^file\s+und\s+listed\s+hidden\s+inside/)
    expect(r.stdout).toMatch(/deribit_options_snapshot_20251230T173115Z\.csv\s+BTC\s+630/)
    expect(r.stdout).toMatch(/deribit_btc_options_orderbook_20200514T0541Z\.csv\s+BTC\s+310/)
    const j = await mtm(['validate', CHAIN, '-u', 'ETH', '--format', 'json'])
    const [rep] = JSON.parse(j.stdout) as [
      { underlying: string; leaveOneOut: { hidden: number; quotes?: unknown } },
    ]
    expect(rep.underlying).toBe('ETH')
    expect(rep.leaveOneOut.hidden).toBeGreaterThan(100)
    expect(rep.leaveOneOut.quotes).toBeUndefined()
  })

  it('validate with several files on a terminal runs with a progress bar (on stderr)', async () => {
    const ob = 'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv'
    const r = await mtm(['validate', ob, ob], { isTTY: true })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('deribit_btc_options_orderbook'))).toHaveLength(2)
  })

  it('report writes one self-contained page', async () => {
    const r = await mtm(['report', CHAIN, '-o', `${TMP}/report-cli.html`, '-u', 'BTC'])
    expect(r.code).toBe(0)
    const html = readFileSync(`${TMP}/report-cli.html`, 'utf8')
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBeGreaterThan(5)
  })

  it('demo prints a summary per expiry and writes report.html in the working directory', async () => {
    mkdirSync(`${TMP}/demo`, { recursive: true })
    const r = await mtm(['demo'], { cwd: `${TMP}/demo` })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^BTC 2026-08-22T15:33:51\.683Z deribit-v2: 1038 listed/m)
    expect(r.stdout).toMatch(/wrote report\.html/)
    expect(readFileSync(`${TMP}/demo/report.html`, 'utf8')).toMatch(/<figure class="chart"/)
  })
})
