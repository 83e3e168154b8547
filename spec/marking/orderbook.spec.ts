// Depth-aware marking on the real Deribit order-book file (2020-05-14, full depth, sizes and
// quote times per instrument): every liquidity metric is populated, market marks are the
// depth-weighted mid inside [bid, ask], and the depth / size / age tests bite where they should.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { OptionQuote } from '../../lib/domain/snapshot.js'
import { readSnapshotText } from '../../lib/io/readSnapshotFile.js'
import { DERIBIT_V1 } from '../../lib/marking/config.js'
import { marketMid } from '../../lib/marking/liquidity.js'
import { markSnapshot } from '../../lib/marking/mark.js'

const FILE = 'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv'

describe('marks with full depth', () => {
  it('uses sizes, depth and quote times; market marks are depth-weighted mids in [bid, ask]', () => {
    const r = readSnapshotText(readFileSync(FILE, 'utf8'), FILE)
    if (E.isLeft(r)) throw new Error(r.left.message)
    const snap = r.right[0]
    if (snap === undefined) throw new Error('no snapshot')
    const set = markSnapshot(snap)
    if (E.isLeft(set)) throw new Error(set.left.message)
    const s = set.right
    expect(s.counts.marked).toBe(310)
    const quotes = new Map<string, OptionQuote>(snap.options.map((o) => [o.instrument, o]))
    const reasons = new Map<string, number>()
    for (const m of s.marks) {
      for (const x of m.liquidity.reasons) {
        const key = x.replace(/[-\d.]+/g, '#')
        reasons.set(key, (reasons.get(key) ?? 0) + 1)
      }
      if (m.liquidity.metrics.twoSided) {
        expect(m.liquidity.metrics.topSize).not.toBeNull()
        expect(m.liquidity.metrics.depthInBand).not.toBeNull()
      }
      expect(m.liquidity.metrics.quoteAgeSeconds).not.toBeNull()
      if (m.source === 'market') {
        expect(m.markPrice).toBe(marketMid(quotes.get(m.instrument), DERIBIT_V1.mark))
        expect(m.markPrice).toBeGreaterThanOrEqual(m.bid as number)
        expect(m.markPrice).toBeLessThanOrEqual(m.ask as number)
      }
    }
    console.log(`order book 2020-05-14: ${JSON.stringify(s.counts)}`)
    console.log(
      'reasons (numbers masked):',
      JSON.stringify([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12)),
    )
    expect(s.counts.market).toBeGreaterThan(20)
    expect([...reasons.keys()].some((k) => k.startsWith('depth within'))).toBe(true)
    expect([...reasons.keys()].some((k) => k.startsWith('top size'))).toBe(true)
  })
})
