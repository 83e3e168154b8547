// Documentation examples: the regions below are included in the API docs ({@includeCode}) and
// run here, so a doc example cannot go stale.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { newYorkToUtcMs, readCboeQuotes } from '../../lib/io/cboe.js'
import { readDeribitChain } from '../../lib/io/deribitChain.js'
import { readDeribitOrderBook } from '../../lib/io/deribitOrderBook.js'
import { parsePythonLiteral } from '../../lib/io/pythonLiteral.js'
import { readSnapshotFile } from '../../lib/io/readSnapshotFile.js'
import { readSnapshotJson, writeSnapshotJson } from '../../lib/io/snapshotJson.js'

describe('documentation examples (included in the API docs)', () => {
  it('readDeribitChain', () => {
    // #region readDeribitChain
    const text = readFileSync(
      'spec/fixtures/data/deribit-chains/deribit_options_snapshot_20260822T153351Z.csv',
      'utf8',
    )
    const result = readDeribitChain(text, { fileName: 'deribit_options_snapshot_20260822T153351Z.csv' })
    // right([BTC snapshot, ETH snapshot]), sorted by underlying
    const [btc] = E.isRight(result) ? result.right : []
    const quotes = btc?.options.length // 1038 quotes in coin, bid/ask null where the book side is empty
    const forwards = btc?.forwards.length // 12: one per expiry, median of the rows' `underlying`
    const rejected = btc?.rejected // [] on this file; each entry: { row, field, reason, instrument?, value? }
    // #endregion readDeribitChain
    expect([quotes, forwards, rejected]).toEqual([1038, 12, []])
    expect(
      E.isRight(result) && result.right.map((s) => [s.underlying, s.options.length, s.forwards.length]),
    ).toEqual([
      ['BTC', 1038, 12],
      ['ETH', 932, 12],
    ])
  })

  it('readDeribitOrderBook', () => {
    // #region readDeribitOrderBook
    const text = readFileSync(
      'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
      'utf8',
    )
    const [book] = E.getOrElseW(() => [])(readDeribitOrderBook(text))
    const q = book?.options[0]
    // q.bid = 0.042 (coin), q.bidSize = 15.5, q.bids = [{ price: 0.042, amount: 15.5 }, ...] best first,
    // q.quoteTime = '2020-05-14T05:41:36.486Z'; book.timestamp = the latest quote time
    // #endregion readDeribitOrderBook
    expect([q?.bid, q?.bidSize, q?.bids?.[0], q?.quoteTime, book?.timestamp]).toEqual([
      0.042,
      15.5,
      { price: 0.042, amount: 15.5 },
      '2020-05-14T05:41:36.486Z',
      '2020-05-14T05:44:06.537Z',
    ])
  })

  it('readCboeQuotes and newYorkToUtcMs', () => {
    // #region readCboeQuotes
    const text = readFileSync('spec/fixtures/data/spx/spx_quotedata_20190510_close.dat', 'utf8')
    const spx = readCboeQuotes(text) // default time: 16:00 New York of the last close before the download
    // right({ underlying: 'SPX', spot: 2881.4, premium: 'quote', timestamp: '2019-05-10T20:00:00.000Z', forwards: [], ... })
    const asOfNoon = readCboeQuotes(text, { timestamp: '2019-05-13T12:00:00-04:00' }) // explicit snapshot time
    // #endregion readCboeQuotes
    expect(E.isRight(spx) && [spx.right.underlying, spx.right.spot, spx.right.timestamp]).toEqual([
      'SPX',
      2881.4,
      '2019-05-10T20:00:00.000Z',
    ])
    expect(E.isRight(asOfNoon) && asOfNoon.right.timestamp).toBe('2019-05-13T16:00:00.000Z')
    // #region newYorkToUtcMs
    const close = new Date(newYorkToUtcMs(2019, 5, 10, 16, 0)).toISOString() // '2019-05-10T20:00:00.000Z' (EDT)
    const amSettle = new Date(newYorkToUtcMs(2019, 12, 20, 9, 30)).toISOString() // '2019-12-20T14:30:00.000Z' (EST)
    // #endregion newYorkToUtcMs
    expect([close, amSettle]).toEqual(['2019-05-10T20:00:00.000Z', '2019-12-20T14:30:00.000Z'])
  })

  it('readSnapshotFile, writeSnapshotJson, readSnapshotJson', () => {
    // #region readSnapshotFile
    const snapshots = readSnapshotFile('spec/fixtures/data/spx/spx_quotedata_20190510_close.dat') // format sniffed
    const json = E.isRight(snapshots) ? writeSnapshotJson(snapshots.right[0]!) : ''
    const back = readSnapshotJson(JSON.parse(json)) // right(the same snapshot)
    const bad = readSnapshotJson({ ...JSON.parse(json), spot: -1 })
    // left({ _tag: 'InvalidSnapshot', message: 'snapshot-json: field spot = -1: must be a finite number in (0, ∞)', errors: [...] })
    // #endregion readSnapshotFile
    expect(E.isRight(snapshots) && back).toEqual(
      E.right(E.isRight(snapshots) ? snapshots.right[0] : undefined),
    )
    expect(E.isLeft(bad) && bad.left.message).toBe(
      'snapshot-json: field spot = -1: must be a finite number in (0, ∞)',
    )
  })

  it('parsePythonLiteral', () => {
    // #region parsePythonLiteral
    const depth = parsePythonLiteral('[[0.042, 15.5], [0.0405, 8.2]]') // right([[0.042, 15.5], [0.0405, 8.2]])
    const greeks = parsePythonLiteral("{'vega': 5.49, 'rho': None}") // right({ vega: 5.49, rho: null })
    const code = parsePythonLiteral('__import__("os")') // left: field python-literal, never evaluated
    // #endregion parsePythonLiteral
    expect(depth).toEqual(
      E.right([
        [0.042, 15.5],
        [0.0405, 8.2],
      ]),
    )
    expect(greeks).toEqual(E.right({ vega: 5.49, rho: null }))
    expect(E.isLeft(code)).toBe(true)
  })
})
