import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { MarketSnapshot } from '../../lib/domain/snapshot.js'
import { readDeribitOrderBook } from '../../lib/io/deribitOrderBook.js'
import { readSnapshotJson } from '../../lib/io/snapshotJson.js'

const FILE = 'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv'
const text = readFileSync(FILE, 'utf8')

const read = (): MarketSnapshot[] => {
  const r = readDeribitOrderBook(text)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/**
 * Oracle by regular expressions on the raw lines (independent of csv-parse and of the literal
 * parser): every data line starts with `<index>,<expiration ms>,<type>,<name>,<strike>,
 * <underlying_price>,<underlying_index>,<timestamp ms>,`.
 */
const LINE = /^(\d+),(\d{13}),(call|put),([A-Z]+-\w+-\d+-[CP]),([\d.]+),([\d.]+),([\w.-]+),(\d{13}),/
const lines = text.split('\n').filter((l) => l.trim() !== '')
const parsed = lines.slice(1).map((l) => LINE.exec(l))
const expiries = new Map<string, Set<string>>()
for (const m of parsed) {
  if (m === null) continue
  const s = expiries.get(m[2] as string) ?? new Set<string>()
  s.add(m[6] as string)
  expiries.set(m[2] as string, s)
}
// an empty side is written as the depth cell [] (unquoted, between commas)
const emptySides = lines.slice(1).reduce((n, l) => n + (l.match(/,\[\](?=,|\r?$)/g) ?? []).length, 0)

describe('readDeribitOrderBook on the real file', () => {
  const [s] = read()
  const snap = s as MarketSnapshot

  it('every data line matches the oracle pattern', () => {
    expect(parsed.every((m) => m !== null)).toBe(true)
    expect(parsed.length).toBe(310) // README: 310 options, 7 expiries
    expect(expiries.size).toBe(7)
  })

  it('310 rows = options + rejected; one forward per expiry; warnings = disagreeing forwards', () => {
    expect(snap.underlying).toBe('BTC')
    expect(snap.options.length + (snap.rejected?.length ?? 0)).toBe(parsed.length)
    expect(snap.rejected).toEqual([])
    expect(snap.forwards.length).toBe(expiries.size)
    const disagreeing = [...expiries.values()].filter((v) => v.size > 1).length
    expect(snap.warnings?.length).toBe(disagreeing)
    expect(snap.warnings?.every((w) => w.field === 'underlying')).toBe(true)
  })

  it('snapshot time is the latest quote time; quote times come from the timestamp column', () => {
    const latest = Math.max(...parsed.map((m) => Number(m?.[8])))
    expect(snap.timestamp).toBe(new Date(latest).toISOString())
    expect(
      snap.options.every(
        (q) => q.quoteTime !== undefined && q.quoteTime !== null && Date.parse(q.quoteTime) <= latest,
      ),
    ).toBe(true)
  })

  it('depth is best first and agrees with the best-price columns; empty sides are null', () => {
    let empty = 0
    for (const q of snap.options) {
      const bids = q.bids ?? []
      const asks = q.asks ?? []
      for (let i = 1; i < bids.length; i++)
        expect((bids[i] as { price: number }).price).toBeLessThanOrEqual(
          (bids[i - 1] as { price: number }).price,
        )
      for (let i = 1; i < asks.length; i++)
        expect((asks[i] as { price: number }).price).toBeGreaterThanOrEqual(
          (asks[i - 1] as { price: number }).price,
        )
      expect(q.bid).toBe(bids[0]?.price ?? null)
      expect(q.ask).toBe(asks[0]?.price ?? null)
      expect(q.bidSize).toBe(bids[0]?.amount ?? null)
      expect(q.askSize).toBe(asks[0]?.amount ?? null)
      if (q.bid === null) empty++
      if (q.ask === null) empty++
    }
    expect(emptySides).toBe(52)
    expect(empty).toBe(emptySides)
  })

  it('reads the first row field by field (exchange IV from percent)', () => {
    expect(snap.options[0]).toMatchObject({
      instrument: 'BTC-22MAY20-9250-P',
      kind: 'put',
      strike: 9250,
      expiry: '2020-05-22T08:00:00.000Z',
      bid: 0.042,
      ask: 0.045,
      bidSize: 15.5,
      askSize: 0.5,
      quoteTime: '2020-05-14T05:41:36.486Z',
      forward: 9352.58,
      openInterest: 139.3,
      exchangeMark: { price: 0.04010621, iv: 0.7687 },
    })
    expect(snap.options[0]?.bids?.length).toBe(8)
    expect(snap.options[0]?.asks?.[4]).toEqual({ price: 0.283, amount: 10 })
    expect(snap.forwards.map((f) => f.source)).toEqual([
      'synthetic',
      'synthetic',
      'synthetic',
      'synthetic',
      'future',
      'future',
      'future',
    ])
    expect(snap.futures?.map((f) => f.instrument)).toEqual(['BTC-26JUN20', 'BTC-25SEP20', 'BTC-25DEC20'])
  })

  it('decodes with the codec, round-trips through JSON, and is deterministic', () => {
    expect(E.isRight(MarketSnapshot.decode(snap))).toBe(true)
    expect(readSnapshotJson(JSON.parse(JSON.stringify(snap)))).toEqual(E.right(snap))
    expect(JSON.stringify(read())).toBe(JSON.stringify([snap]))
  })
})
