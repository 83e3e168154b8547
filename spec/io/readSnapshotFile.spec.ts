import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { readCboeQuotes } from '../../lib/io/cboe.js'
import { readDeribitChain } from '../../lib/io/deribitChain.js'
import { readDeribitOrderBook } from '../../lib/io/deribitOrderBook.js'
import { readSnapshotFile, readSnapshotText, sniffFormat } from '../../lib/io/readSnapshotFile.js'
import { writeSnapshotJson } from '../../lib/io/snapshotJson.js'

const D = 'spec/fixtures/data'
const CASES = [
  [`${D}/deribit-chains/deribit_options_snapshot_20251230T173115Z.csv`, 'deribit-chain'],
  [`${D}/deribit-chains/deribit_options_snapshot_20260205T155132Z.csv`, 'deribit-chain'],
  [`${D}/deribit-chains/deribit_options_snapshot_20260822T153351Z.csv`, 'deribit-chain'],
  [`${D}/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv`, 'deribit-orderbook'],
  [`${D}/spx/spx_quotedata_20190510_close.dat`, 'cboe-quotes'],
  ['examples/deribit_options_snapshot_20260822T153351Z.csv', 'deribit-chain'],
] as const

describe('sniffFormat / readSnapshotFile', () => {
  for (const [path, format] of CASES) {
    it(`recognises ${path} as ${format} and reads it as the dedicated reader does`, () => {
      const text = readFileSync(path, 'utf8')
      expect(sniffFormat(text)).toBe(format)
      const file = path.split('/').pop() as string
      const direct =
        format === 'deribit-chain'
          ? readDeribitChain(text, { fileName: file })
          : format === 'deribit-orderbook'
            ? readDeribitOrderBook(text, { fileName: file })
            : E.map((s) => [s])(readCboeQuotes(text, { fileName: file }))
      expect(readSnapshotFile(path)).toEqual(direct)
    })
  }

  it('reads snapshot JSON (one object or an array, with or without a BOM) back to the same value', () => {
    const r = readSnapshotFile(CASES[0][0])
    if (E.isLeft(r)) throw new Error(r.left.message)
    const text = writeSnapshotJson(r.right)
    expect(sniffFormat(text)).toBe('snapshot-json')
    expect(readSnapshotText(text)).toEqual(r)
    expect(readSnapshotText('\uFEFF' + writeSnapshotJson(r.right[0]!))).toEqual(E.right([r.right[0]]))
    const dir = mkdtempSync(join(tmpdir(), 'mtm-io-'))
    writeFileSync(join(dir, 'snap.json'), text)
    expect(readSnapshotFile(join(dir, 'snap.json'))).toEqual(r)
  })

  it('fails with one-line errors: unreadable file, empty, unrecognised, malformed JSON', () => {
    const missing = readSnapshotFile('spec/fixtures/io/no-such-file.csv')
    expect(E.isLeft(missing) && missing.left._tag).toBe('UnreadableFile')
    expect(E.isLeft(missing) && missing.left.message).toMatch(
      /^snapshot-file: cannot read "spec\/fixtures\/io\/no-such-file.csv": ENOENT/,
    )
    expect(readSnapshotText('  \n')).toEqual(
      E.left({
        _tag: 'EmptyInput',
        format: 'snapshot-file',
        message: 'snapshot-file: input is empty (no text)',
      }),
    )
    const other = readSnapshotText(
      readFileSync(`${D}/history/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv`, 'utf8'),
    )
    expect(E.isLeft(other) && other.left.message).toMatch(
      /^snapshot-file: unrecognised format: expected a Deribit chain CSV, a Deribit order-book CSV, a CBOE quote table or snapshot JSON \(first line "timestamp,open,close/,
    )
    const json = readSnapshotText('{"schema": ')
    expect(E.isLeft(json) && json.left._tag).toBe('MalformedInput')
    for (const r of [missing, other, json]) expect(E.isLeft(r) && !r.left.message.includes('\n')).toBe(true)
  })

  it('a CRLF copy with a byte-order mark reads the same as the original', () => {
    const text = readFileSync(CASES[0][0], 'utf8')
    const crlf = '\uFEFF' + text.replace(/\n/g, '\r\n')
    expect(sniffFormat(crlf)).toBe('deribit-chain')
    expect(readSnapshotText(crlf, 'x.csv')).toEqual(readSnapshotText(text, 'x.csv'))
  })

  it('passes the reader’s own error through (missing column in a recognised layout)', () => {
    const text = readFileSync(CASES[0][0], 'utf8').replace('index_price', 'index_px')
    expect(readSnapshotText(text)).toEqual(
      E.left({
        _tag: 'MissingColumn',
        format: 'deribit-chain',
        column: 'index_price',
        message: 'deribit-chain: missing required column "index_price"',
      }),
    )
  })
})
