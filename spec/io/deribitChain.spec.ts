import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { MarketSnapshot } from '../../lib/domain/snapshot.js'
import { readDeribitChain } from '../../lib/io/deribitChain.js'
import { readSnapshotJson } from '../../lib/io/snapshotJson.js'

const DIR = 'spec/fixtures/data/deribit-chains'
const FILES = [
  'deribit_options_snapshot_20251230T173115Z.csv',
  'deribit_options_snapshot_20260205T155132Z.csv',
  'deribit_options_snapshot_20260822T153351Z.csv',
]

/**
 * The oracle: counts computed by a plain line split, independent of csv-parse and of the reader
 * (valid because these files contain no quoted fields, which the test asserts first).
 */
const independentCounts = (text: string) => {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const header = (lines[0] as string).split(',')
  const col = (name: string): number => header.indexOf(name)
  const per = new Map<
    string,
    {
      rows: number
      expiries: Map<string, Set<string>>
      crossedOrLocked: number
      futures: Set<string>
      index: number[]
      bad: number
    }
  >()
  const seen = new Set<string>()
  for (const line of lines.slice(1)) {
    const c = line.split(',')
    const cur = c[col('currency')] as string
    let p = per.get(cur)
    if (p === undefined) {
      p = { rows: 0, expiries: new Map(), crossedOrLocked: 0, futures: new Set(), index: [], bad: 0 }
      per.set(cur, p)
    }
    p.rows++
    const expiry = c[col('expiry_datetime')] as string
    const strike = Number(c[col('strike')])
    const name = c[col('instrument_name')] as string
    const expired = Date.parse(expiry) <= Date.parse(c[col('timestamp')] as string)
    if (!(strike > 0) || expired || seen.has(name)) {
      p.bad++
      continue
    }
    seen.add(name)
    const set = p.expiries.get(expiry) ?? new Set<string>()
    set.add(c[col('underlying')] as string)
    p.expiries.set(expiry, set)
    const bid = c[col('bid_price')] as string
    const ask = c[col('ask_price')] as string
    if (bid !== '' && ask !== '' && Number(bid) >= Number(ask)) p.crossedOrLocked++
    const fut = c[col('futures_instrument_name')] as string
    if (!fut.startsWith('SYN.')) p.futures.add(fut)
    p.index.push(Number(c[col('index_price')]))
  }
  return per
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2
}

const read = (file: string) => {
  const text = readFileSync(`${DIR}/${file}`, 'utf8')
  const r = readDeribitChain(text, { fileName: file })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return { text, snapshots: r.right }
}

describe('readDeribitChain on the real chains', () => {
  for (const file of FILES) {
    describe(file, () => {
      const { text, snapshots } = read(file)
      const oracle = independentCounts(text)

      it('has no quoted fields (so the line-split oracle is valid)', () => {
        expect(text.includes('"')).toBe(false)
      })

      it('gives one snapshot per underlying, sorted, every data row in options or rejected', () => {
        expect(snapshots.map((s) => s.underlying)).toEqual([...oracle.keys()].sort())
        const dataRows = text.split('\n').filter((l) => l.trim() !== '').length - 1
        const total = snapshots.reduce((n, s) => n + s.options.length + (s.rejected?.length ?? 0), 0)
        expect(total).toBe(dataRows)
      })

      for (const [cur, o] of oracle) {
        it(`${cur}: counts of options, rejected, warnings, forwards and futures match the oracle`, () => {
          const s = snapshots.find((x) => x.underlying === cur) as MarketSnapshot
          expect(s.options.length + (s.rejected?.length ?? 0)).toBe(o.rows)
          expect(s.rejected?.length).toBe(o.bad)
          const disagreeing = [...o.expiries.values()].filter((v) => v.size > 1).length
          expect(s.warnings?.length).toBe(o.crossedOrLocked + disagreeing)
          expect(s.forwards.length).toBe(o.expiries.size)
          expect(new Set(s.options.map((q) => q.expiry)).size).toBe(o.expiries.size)
          expect(s.futures?.length).toBe(o.futures.size)
          expect(s.spot).toBe(median(o.index))
        })
      }

      it('decodes with the codec and round-trips through JSON unchanged', () => {
        for (const s of snapshots) {
          expect(E.isRight(MarketSnapshot.decode(s))).toBe(true)
          expect(readSnapshotJson(JSON.parse(JSON.stringify(s)))).toEqual(E.right(s))
        }
      })

      it('is deterministic (same text → identical JSON)', () => {
        expect(JSON.stringify(read(file).snapshots)).toBe(JSON.stringify(snapshots))
      })

      it('per-snapshot invariants: coin premium, UTC timestamp, forwards ascending, expiries after the timestamp', () => {
        for (const s of snapshots) {
          expect(s.premium).toBe('coin')
          expect(s.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
          expect(s.source).toEqual({ format: 'deribit-chain', file })
          const fx = s.forwards.map((f) => Date.parse(f.expiry))
          expect(fx).toEqual([...fx].sort((a, b) => a - b))
          for (const q of s.options) {
            expect(Date.parse(q.expiry)).toBeGreaterThan(Date.parse(s.timestamp))
            expect(q.instrument.startsWith(`${s.underlying}-`)).toBe(true)
          }
        }
      })
    })
  }

  it('reads the first row of the calm chain field by field', () => {
    const { snapshots } = read(FILES[0] as string)
    const btc = snapshots.find((s) => s.underlying === 'BTC') as MarketSnapshot
    // first data row of the file:
    // 2025-12-30T17:31:15.944181+00:00,BTC-16JAN26-82000-C,88728.94666666667,SYN.BTC-16JAN26,call,82000.0,
    // 2026-01-16T08:00:00+00:00,...,0.084,0.088,0.08550357,...,0.43229999999999996,...,0.3,...
    expect(btc.timestamp).toBe('2025-12-30T17:31:15.944Z')
    expect(btc.options[0]).toEqual({
      instrument: 'BTC-16JAN26-82000-C',
      kind: 'call',
      strike: 82000,
      expiry: '2026-01-16T08:00:00.000Z',
      bid: 0.084,
      ask: 0.088,
      forward: 88728.94666666667,
      openInterest: 0.3,
      exchangeMark: { price: 0.08550357, iv: 0.43229999999999996 },
    })
    const fwd = btc.forwards.find((f) => f.expiry === '2026-01-16T08:00:00.000Z')
    expect(fwd?.source).toBe('synthetic')
    expect(fwd?.instrument).toBe('SYN.BTC-16JAN26')
    expect(btc.forwards.find((f) => f.expiry === '2026-03-27T08:00:00.000Z')?.source).toBe('future')
  })

  it('an empty bid cell becomes bid null (stressed chain has one-sided quotes)', () => {
    const { text, snapshots } = read(FILES[1] as string)
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    const bidCol = (lines[0] as string).split(',').indexOf('bid_price')
    const emptyBids = lines.slice(1).filter((l) => l.split(',')[bidCol] === '').length
    expect(emptyBids).toBe(530) // README: "many one-sided quotes"
    expect(snapshots.flatMap((s) => s.options).filter((q) => q.bid === null).length).toBe(emptyBids)
  })
})
