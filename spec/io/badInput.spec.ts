import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { MarketSnapshot, RejectedRow } from '../../lib/domain/snapshot.js'
import { readCboeQuotes } from '../../lib/io/cboe.js'
import { readDeribitChain } from '../../lib/io/deribitChain.js'
import { readDeribitOrderBook } from '../../lib/io/deribitOrderBook.js'

// Fixtures built by spec/fixtures/io/make_bad_inputs.py: real rows with one field edited each;
// the row numbers below are the ones commented in that script.
const fixture = (name: string): string => readFileSync(`spec/fixtures/io/${name}`, 'utf8')

const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const summary = (rows: ReadonlyArray<RejectedRow> | undefined) =>
  (rows ?? []).map((r) => [r.row, r.field, r.reason])

describe('Deribit chain with bad rows', () => {
  const snapshots = right(readDeribitChain(fixture('deribit-chain-bad-rows.csv')))
  const btc = snapshots.find((s) => s.underlying === 'BTC') as MarketSnapshot
  const eth = snapshots.find((s) => s.underlying === 'ETH') as MarketSnapshot

  it('rejects each bad row with its row, field and reason', () => {
    expect(summary(btc.rejected)).toEqual([
      [5, 'strike', 'negative strike -89000 (must be > 0)'],
      [6, 'strike', 'missing strike'],
      [7, 'expiry_datetime', 'unparseable expiry "next friday"'],
      [8, 'instrument_name', 'duplicate instrument BTC-16JAN26-82000-C (first kept at row 1)'],
      [
        9,
        'expiry_datetime',
        'expired option: expiry 2025-12-30T08:00:00.000Z is not after the snapshot time 2025-12-30T17:31:15.944Z',
      ],
      [10, 'option_type', 'unknown option type "straddle" (must be call or put)'],
      [11, 'strike', 'strike 86000 does not match the instrument name (85000)'],
      [12, 'ask_price', 'negative price -0.01'],
      [
        13,
        'expiry_datetime',
        'expiry 2027-01-01T08:00:00.000Z does not match the instrument name (2026-03-27T08:00:00.000Z)',
      ],
      [15, '(row)', 'row has 5 fields, the header has 23'],
      [16, 'strike', 'zero strike (must be > 0)'],
      [17, 'strike', 'strike "abc" is not a number'],
    ])
    expect(btc.rejected?.[0]?.instrument).toBe('BTC-16JAN26-89000-P')
    expect(eth.rejected).toEqual([])
  })

  it('keeps crossed and locked books in options and flags them as warnings', () => {
    expect(summary(btc.warnings)).toEqual([
      [3, 'bid_price', 'crossed book: bid 0.5 > ask 0.4 (kept; to be marked by model)'],
      [4, 'bid_price', 'locked book: bid 0.0021 = ask 0.0021 (kept; to be marked by model)'],
    ])
    expect(btc.options.map((q) => q.instrument)).toEqual([
      'BTC-16JAN26-82000-C',
      'BTC-25DEC26-40000-P',
      'BTC-27FEB26-98000-P',
      'BTC-30JAN26-112000-C',
    ])
  })

  it('still reads the rest of the file: 17 rows = 5 options + 12 rejected', () => {
    expect(btc.options.length + eth.options.length).toBe(5)
    expect(
      btc.options.length + (btc.rejected?.length ?? 0) + eth.options.length + (eth.rejected?.length ?? 0),
    ).toBe(17)
    expect(eth.options[0]?.instrument).toBe('ETH-26JUN26-13000-C')
  })

  it('a missing required column fails the whole file with a one-line message naming it', () => {
    expect(readDeribitChain(fixture('deribit-chain-missing-strike-column.csv'))).toEqual(
      E.left({
        _tag: 'MissingColumn',
        format: 'deribit-chain',
        column: 'strike',
        message: 'deribit-chain: missing required column "strike"',
      }),
    )
  })

  it('empty and non-CSV inputs fail with EmptyInput / MalformedInput', () => {
    const empty = readDeribitChain('')
    expect(E.isLeft(empty) && empty.left._tag).toBe('EmptyInput')
    const headerOnly = readDeribitChain(fixture('deribit-chain-bad-rows.csv').split('\n')[0] as string)
    expect(E.isLeft(headerOnly) && headerOnly.left.message).toBe(
      'deribit-chain: input is empty (header but no data row)',
    )
    const broken = readDeribitChain('timestamp,"instrument_name\nx,y')
    expect(E.isLeft(broken) && broken.left._tag).toBe('MalformedInput')
    if (E.isLeft(broken)) expect(broken.left.message).not.toMatch(/\n/)
  })
})

describe('Deribit order book with bad rows', () => {
  const [s] = right(readDeribitOrderBook(fixture('deribit-orderbook-bad-rows.csv')))
  const snap = s as MarketSnapshot

  it('rejects malformed depth, negative strike, duplicate and expired rows', () => {
    expect(summary(snap.rejected)).toEqual([
      [3, 'bids', 'not a Python literal list of [price, amount] pairs (expected "," or "]" at offset 17)'],
      [4, 'strike', 'negative strike -8875 (must be > 0)'],
      [5, 'instrument_name', 'duplicate instrument BTC-22MAY20-9250-P (first kept at row 1)'],
      [
        6,
        'expiration_timestamp',
        'expired option: expiry 2020-05-13T08:00:00.000Z is not after the snapshot time 2020-05-14T05:41:39.506Z',
      ],
    ])
  })

  it('keeps the crossed book with a warning and reads the remaining rows', () => {
    expect(summary(snap.warnings).filter((w) => w[1] !== 'underlying')).toEqual([
      [2, 'best_bid_price', 'crossed book: bid 0.5 > ask 0.0065 (kept; to be marked by model)'],
    ])
    expect(snap.options.map((q) => q.instrument)).toEqual([
      'BTC-22MAY20-9250-P',
      'BTC-22MAY20-12000-C',
      'BTC-29MAY20-13500-P',
    ])
  })
})

describe('CBOE quote table with bad rows', () => {
  const s = right(readCboeQuotes(fixture('cboe-bad-rows.dat')))

  it('rejects expired rows, negative strikes and unparseable expiries on both sides', () => {
    const both = (row: number, field: string, reason: string) => [
      [row, field, reason],
      [row, field, reason],
    ]
    expect(summary(s.rejected)).toEqual([
      ...both(
        1,
        'Expiration Date',
        'expired option: expiry 2019-05-10T20:00:00.000Z is not after the snapshot time 2019-05-10T20:00:00.000Z',
      ),
      ...both(6, 'Strike', 'negative strike -1950 (must be > 0)'),
      ...both(7, 'Expiration Date', 'unparseable expiry "17/05/2019" (must be MM/DD/YYYY)'),
    ])
  })

  it('reads a zero bid as null, keeps a crossed put with a warning', () => {
    expect(s.options.find((q) => q.instrument === 'SPXW190517C01930000')?.bid).toBeNull()
    expect(summary(s.warnings)).toEqual([
      [5, 'puts.Bid', 'crossed book: bid 9 > ask 8 (kept; to be marked by model)'],
    ])
    expect(s.options.length).toBe(8)
  })
})

describe('shrunk counterexamples of spec/io/fuzz.spec.ts, kept as examples', () => {
  it('an overflowing number (1e309) is not a number: forward set to null with a warning, strike rejected', () => {
    const text = fixture('deribit-chain-bad-rows.csv').split('\n')
    const header = text[0] as string
    const cols = header.split(',')
    const row1 = (text[1] as string).split(',')
    const fwdRow = [...row1]
    fwdRow[cols.indexOf('underlying')] = '1e309'
    const strikeRow = [...row1]
    strikeRow[cols.indexOf('instrument_name')] = 'BTC-16JAN26-82000-P'
    strikeRow[cols.indexOf('option_type')] = 'put'
    strikeRow[cols.indexOf('strike')] = '1e309'
    const [btc] = right(readDeribitChain([header, fwdRow.join(','), strikeRow.join(',')].join('\n')))
    expect(btc?.options[0]?.forward).toBeNull()
    expect(summary(btc?.warnings)).toEqual([
      [1, 'underlying', 'forward "1e309" is not a positive number (set to null)'],
    ])
    expect(summary(btc?.rejected)).toEqual([[2, 'strike', 'strike "1e309" is not a number']])
  })
})

describe('no phantom underlying from one bad cell', () => {
  it('a row with currency XYZ is rejected into the first snapshot instead of creating an XYZ snapshot', () => {
    const text = fixture('deribit-chain-bad-rows.csv').split('\n')
    const header = text[0] as string
    const cur = header.split(',').indexOf('currency')
    const bad = (text[2] as string).split(',')
    bad[cur] = 'XYZ'
    const snapshots = right(readDeribitChain([header, text[1], bad.join(','), text[14]].join('\n')))
    expect(snapshots.map((s) => s.underlying)).toEqual(['BTC', 'ETH'])
    expect(summary(snapshots[0]?.rejected)).toEqual([
      [
        2,
        'currency',
        'underlying "XYZ" has no row with a valid option name, timestamp and index_price, so it has no snapshot',
      ],
    ])
  })
})
