// Property tests of the "nothing silently dropped" rule: real rows with random cells replaced by
// hostile values must still give options + rejected = rows, codec-valid snapshots, and never throw.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MarketSnapshot } from '../../lib/domain/snapshot.js'
import { readCboeQuotes } from '../../lib/io/cboe.js'
import { readDeribitChain } from '../../lib/io/deribitChain.js'
import { readDeribitOrderBook } from '../../lib/io/deribitOrderBook.js'

const HOSTILE = [
  '',
  '-1',
  '0',
  'abc',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  ' 12 ',
  'BTC',
  'ETH',
  'call',
  '2020-01-01T00:00:00Z',
  '[[1, 2]]',
  '[',
  'None',
]

const linesOf = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')

/** Picks `n` data lines and replaces some cells (split on commas outside the literal cells). */
const corrupted = (data: string[], split: (l: string) => string[], join: (c: string[]) => string) =>
  fc
    .record({
      picks: fc.array(fc.nat({ max: data.length - 1 }), { minLength: 1, maxLength: 25 }),
      edits: fc.array(fc.record({ line: fc.nat(), cell: fc.nat(), value: fc.constantFrom(...HOSTILE) }), {
        maxLength: 12,
      }),
    })
    .map(({ picks, edits }) => {
      const rows = picks.map((i) => split(data[i] as string))
      for (const e of edits) {
        const r = rows[e.line % rows.length] as string[]
        r[e.cell % r.length] = e.value
      }
      return rows.map(join)
    })

const total = (ss: ReadonlyArray<MarketSnapshot>): number =>
  ss.reduce((n, s) => n + s.options.length + (s.rejected?.length ?? 0), 0)

describe('readers never drop a row (fast-check, seed 42)', () => {
  it('Deribit chain: 300 runs', () => {
    const [header, ...data] = linesOf(
      'spec/fixtures/data/deribit-chains/deribit_options_snapshot_20251230T173115Z.csv',
    )
    fc.assert(
      fc.property(
        corrupted(
          data,
          (l) => l.split(','),
          (c) => c.join(','),
        ),
        (rows) => {
          const r = readDeribitChain([header, ...rows].join('\n'))
          if (E.isLeft(r)) {
            expect(['EmptyInput', 'MalformedInput']).toContain(r.left._tag)
            return
          }
          expect(total(r.right)).toBe(rows.length)
          for (const s of r.right) expect(E.isRight(MarketSnapshot.decode(s))).toBe(true)
        },
      ),
      { seed: 42, numRuns: 300 },
    )
  })

  it('Deribit order book: 200 runs (only the plain cells before the first literal are edited)', () => {
    const [header, ...data] = linesOf(
      'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
    )
    // the first 8 cells (index … timestamp) contain no commas inside quotes
    const split = (l: string): string[] => {
      const c = l.split(',')
      return [...c.slice(0, 8), c.slice(8).join(',')]
    }
    fc.assert(
      fc.property(
        corrupted(data, split, (c) => c.join(',')),
        (rows) => {
          const r = readDeribitOrderBook([header, ...rows].join('\n'))
          if (E.isLeft(r)) {
            expect(['EmptyInput', 'MalformedInput']).toContain(r.left._tag)
            return
          }
          expect(total(r.right)).toBe(rows.length)
          for (const s of r.right) expect(E.isRight(MarketSnapshot.decode(s))).toBe(true)
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('CBOE: 200 runs (two quotes per row)', () => {
    const [l1, l2, l3, ...data] = linesOf('spec/fixtures/data/spx/spx_quotedata_20190510_close.dat')
    fc.assert(
      fc.property(
        corrupted(
          data,
          (l) => l.split(','),
          (c) => c.join(','),
        ),
        (rows) => {
          const r = readCboeQuotes([l1, l2, l3, ...rows].join('\r\n'))
          if (E.isLeft(r)) throw new Error(r.left.message)
          expect(total([r.right])).toBe(2 * rows.length)
          expect(E.isRight(MarketSnapshot.decode(r.right))).toBe(true)
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })
})
