import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { MarketSnapshot } from '../../lib/domain/snapshot.js'
import { readSnapshotJson, readSnapshotJsonDocument, writeSnapshotJson } from '../../lib/io/snapshotJson.js'

const valid = (): Record<string, unknown> => ({
  schema: 'mark-to-model/snapshot@1',
  timestamp: '2026-08-22T15:33:51.683Z',
  underlying: 'BTC',
  premium: 'coin',
  spot: 77062.83,
  forwards: [
    { expiry: '2026-09-25T08:00:00.000Z', forward: 77405.28, source: 'future', instrument: 'BTC-25SEP26' },
  ],
  options: [
    {
      instrument: 'BTC-25SEP26-120000-P',
      kind: 'put',
      strike: 120000,
      expiry: '2026-09-25T08:00:00.000Z',
      bid: 0.5475,
      ask: 0.5565,
    },
    {
      instrument: 'BTC-25SEP26-60000-P',
      kind: 'put',
      strike: 60000,
      expiry: '2026-09-25T08:00:00.000Z',
      bid: null,
      ask: 0.002,
      bidSize: null,
      bids: [],
      asks: [{ price: 0.002, amount: 1 }],
    },
  ],
  rejected: [{ row: 7, field: 'strike', reason: 'missing strike', instrument: 'BTC-25SEP26-1-C' }],
})

const errorOf = (v: unknown) => {
  const r = readSnapshotJson(v)
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left
}

describe('readSnapshotJson', () => {
  it('accepts a valid snapshot unchanged and round-trips through writeSnapshotJson', () => {
    const v = valid()
    expect(readSnapshotJson(v)).toEqual(E.right(v))
    const text = writeSnapshotJson(v as MarketSnapshot)
    expect(readSnapshotJson(JSON.parse(text))).toEqual(E.right(v))
    expect(writeSnapshotJson(JSON.parse(text) as MarketSnapshot)).toBe(text)
  })

  it('names the path, the value and the rule (no io-ts member indices in the path)', () => {
    const v = valid()
    ;(v.options as Record<string, unknown>[])[1]!.strike = -5
    const e = errorOf(v)
    expect(e._tag).toBe('InvalidSnapshot')
    expect(e.message).toBe('snapshot-json: field options.1.strike = -5: must be a finite number in (0, ∞)')
  })

  it('merges the alternatives of a nullable field into one rule', () => {
    const v = valid()
    ;(v.options as Record<string, unknown>[])[0]!.bid = -1
    expect(errorOf(v).message).toBe(
      'snapshot-json: field options.0.bid = -1: must be a finite number in [0, ∞) or null',
    )
  })

  it('a wrong schema id is reported first; several errors are counted', () => {
    const v = valid()
    v.spot = 0
    v.schema = 'mark-to-model/snapshot@0'
    const e = errorOf(v)
    expect(e.message).toMatch(
      /^snapshot-json: field schema = "mark-to-model\/snapshot@0": must be "mark-to-model\/snapshot@1" \(and 1 more\)$/,
    )
    if (e._tag === 'InvalidSnapshot') expect(e.errors.map((x) => x.field)).toEqual(['schema', 'spot'])
  })

  it('rejects non-objects and bad timestamps', () => {
    expect(errorOf(42).message).toMatch(/^snapshot-json: field \(root\) = 42: /)
    const v = valid()
    v.timestamp = '2026-08-22 15:33'
    expect(errorOf(v).message).toBe(
      'snapshot-json: field timestamp = "2026-08-22 15:33": must be an ISO-8601 timestamp with a zone (Z or ±hh:mm)',
    )
  })

  it('documents of several snapshots prefix the error path with the index', () => {
    const bad = valid()
    bad.premium = 'usd'
    const r = readSnapshotJsonDocument([valid(), bad])
    expect(E.isLeft(r) && r.left.message).toMatch(/^snapshot-json: field 1\.premium = "usd": /)
    expect(readSnapshotJsonDocument([valid(), valid()])).toEqual(E.right([valid(), valid()]))
    expect(readSnapshotJsonDocument(valid())).toEqual(E.right([valid()]))
  })
})
