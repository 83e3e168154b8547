// markSnapshot on a synthetic chain with an injected stub fitter (no dependence on the real
// surface fit): screening of bad listings, counts, determinism, exchange marks never read.
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { MarketSnapshot, OptionQuote } from '../../lib/domain/snapshot.js'
import { markSnapshot, screenOptions } from '../../lib/marking/mark.js'
import { stubFit, stubSnapshot } from './stubSurface.js'

const asOf = '2026-08-22T15:33:51.683Z'
const expiries = ['2026-08-28T08:00:00.000Z', '2026-09-25T08:00:00.000Z']
const strikes = [60_000, 70_000, 80_000, 90_000, 100_000]
const spec = { forward: 80_000, svi: { a: 0.2, b: 0.3, rho: -0.3, m: 0.05, sigma: 0.2 } }
const fit = stubFit(spec)
const base = stubSnapshot(spec, asOf, expiries, strikes, 0.02)
// test quotes are built from plain numbers; the branded codec types are for decoded input
const Q = (o: object): OptionQuote => o as unknown as OptionQuote

describe('markSnapshot', () => {
  it('marks every listed option, liquid ones at market, with counts and the preset echoed', () => {
    const r = markSnapshot(base, { fit })
    if (E.isLeft(r)) throw new Error(r.left.message)
    const s = r.right
    expect(s.counts.listed).toBe(20)
    expect(s.counts.marked).toBe(20)
    expect(s.counts.unmarked).toBe(0)
    expect(s.parameters.name).toBe('deribit-v2')
    expect(s.marks.every((m) => m.parameterSet === 'deribit-v2')).toBe(true)
    expect(s.counts.market + s.counts.model).toBe(20)
    for (const m of s.marks) if (m.source === 'market') expect(m.markPrice).toBeCloseTo(m.modelPrice, 14)
    // sorted by expiry, strike, call before put
    expect(s.marks.slice(0, 2).map((m) => m.instrument)).toEqual([
      'BTC-28AUG26-60000-C',
      'BTC-28AUG26-60000-P',
    ])
  })

  it('bad listings are rejected with typed one-line reasons; the rest is still marked', () => {
    const o = base.options
    const bad: MarketSnapshot = {
      ...base,
      options: [
        ...o,
        Q({ ...o[0] }), // duplicate
        Q({ ...o[1], instrument: 'BTC-X-NEG', strike: -5 }),
        Q({ ...o[2], instrument: 'BTC-X-EXP', expiry: 'not a date' }),
        Q({ ...o[3], instrument: 'BTC-1AUG26-80000-C', expiry: '2026-08-01T08:00:00.000Z' }),
        Q({ ...o[4], instrument: 'BTC-X-CROSSED', bid: 0.05, ask: 0.04 }),
      ],
      rejected: [{ row: 7, field: 'strike', reason: 'must be a finite number in (0, ∞)', value: '' }],
    }
    const r = markSnapshot(bad, { fit })
    if (E.isLeft(r)) throw new Error(r.left.message)
    const s = r.right
    expect(s.counts.listed).toBe(25)
    expect(s.counts.marked).toBe(21)
    expect(s.counts.unmarked).toBe(4)
    expect(s.counts.rejectedRows).toBe(1)
    expect(s.unmarked.map((u) => u.error._tag)).toEqual([
      'DuplicateInstrument',
      'InvalidInput',
      'InvalidInput',
      'ExpiredOption',
    ])
    expect(s.unmarked.map((u) => u.error.message)).toEqual([
      'options.20: field instrument = BTC-28AUG26-60000-C: duplicate of options.0 (the first listing is marked)',
      'field options.21.strike = -5: must be a finite number in (0, ∞)',
      'field options.22.expiry = "not a date": must be a UTC ISO-8601 timestamp',
      'BTC-1AUG26-80000-C: field expiry = 2026-08-01T08:00:00.000Z: option expired (not after the snapshot instant 2026-08-22T15:33:51.683Z)',
    ])
    for (const u of s.unmarked) expect(u.error.message).not.toMatch(/\n/)
    const crossed = s.marks.find((m) => m.instrument === 'BTC-X-CROSSED')
    expect(crossed?.source).toBe('model')
    expect(crossed?.liquidity.reasons[0]).toMatch(/^crossed book/)
  })

  it('exchange marks are never read: changing them changes no byte', () => {
    const other: MarketSnapshot = {
      ...base,
      options: base.options.map((o) => Q({ ...o, exchangeMark: { price: 1, iv: 3 } })),
    }
    const a = markSnapshot(base, { fit })
    const b = markSnapshot(other, { fit })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(screenOptions(base).kept.every((k) => !('exchangeMark' in k.quote))).toBe(true)
  })

  it('the snapshot fingerprint is content-addressed: the source file name does not enter it', () => {
    const a = markSnapshot({ ...base, source: { format: 'deribit-chain', file: 'a.csv' } }, { fit })
    const b = markSnapshot({ ...base, source: { format: 'deribit-chain', file: 'b.csv' } }, { fit })
    const c = markSnapshot({ ...base, spot: base.spot + 1 } as MarketSnapshot, { fit })
    if (E.isLeft(a) || E.isLeft(b) || E.isLeft(c)) throw new Error('mark failed')
    expect(a.right.snapshotFingerprint).toBe(b.right.snapshotFingerprint)
    expect(c.right.snapshotFingerprint).not.toBe(a.right.snapshotFingerprint)
  })

  it('is deterministic and reports typed whole-snapshot errors', () => {
    expect(JSON.stringify(markSnapshot(base, { fit }))).toBe(JSON.stringify(markSnapshot(base, { fit })))
    const none = markSnapshot({ ...base, options: [] }, { fit })
    expect(E.isLeft(none) && none.left._tag).toBe('NoOptions')
    const failing = markSnapshot(base, {
      fit: () => E.left({ _tag: 'NoUsableQuotes', message: 'BTC: no usable quotes' }),
    })
    expect(E.isLeft(failing) && failing.left.message).toBe(
      'BTC: surface fit failed (NoUsableQuotes): BTC: no usable quotes',
    )
    const unknown = markSnapshot(base, { fit, parameters: 'nope-v1' })
    expect(E.isLeft(unknown) && unknown.left._tag).toBe('UnknownParameterSet')
  })

  it('one-sided and empty books get model marks and a band from the nearest quoted strike', () => {
    const o = base.options
    const snap: MarketSnapshot = {
      ...base,
      options: o.map((q, i) =>
        i === 4 ? Q({ ...q, bid: null, ask: null }) : i === 6 ? Q({ ...q, ask: null }) : q,
      ),
    }
    const r = markSnapshot(snap, { fit })
    if (E.isLeft(r)) throw new Error(r.left.message)
    const empty = r.right.marks.find((m) => m.instrument === (o[4] as OptionQuote).instrument)
    expect(empty?.liquidity.verdict).toBe('no-market')
    expect(empty?.source).toBe('model')
    expect(empty?.markPrice).toBe(empty?.modelPrice)
    const one = r.right.marks.find((m) => m.instrument === (o[6] as OptionQuote).instrument)
    expect(one?.liquidity.reasons).toEqual(['one-sided: no ask'])
  })
})

describe('markSnapshot on arbitrary (often invalid) listings', () => {
  it('property: never throws; listed = marked + unmarked; every mark finite (seed 42, 200 runs)', () => {
    const strike = fc.oneof(
      fc.constantFrom(60_000, 70_000, 80_000, 90_000, 100_000),
      fc.constantFrom(-5, 0, Number.NaN, Number.POSITIVE_INFINITY),
    )
    const expiry = fc.constantFrom(
      ...expiries,
      '2026-08-01T08:00:00.000Z',
      'garbage',
      '2030-01-01T08:00:00.000Z',
    )
    const price = fc.oneof(
      fc.constant(null),
      fc.double({ min: 0, max: 2, noNaN: true }),
      fc.constantFrom(-0.1, Number.NaN),
    )
    const option = fc.record({
      instrument: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'),
      kind: fc.constantFrom('call' as const, 'put' as const),
      strike,
      expiry,
      bid: price,
      ask: price,
    })
    fc.assert(
      fc.property(fc.array(option, { minLength: 1, maxLength: 12 }), (opts) => {
        const snap = { ...base, options: opts.map(Q) }
        const r = markSnapshot(snap, { fit })
        if (E.isLeft(r)) {
          expect(r.left._tag).toBe('NoOptions')
          return
        }
        const c = r.right.counts
        expect(c.marked + c.unmarked).toBe(opts.length)
        for (const m of r.right.marks)
          for (const x of [m.markPrice, m.markIv, m.modelPrice, m.modelIv, m.lower, m.upper])
            expect(Number.isFinite(x)).toBe(true)
        for (const u of r.right.unmarked) expect(u.error.message).not.toMatch(/\n/)
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})
