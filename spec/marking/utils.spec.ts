// The small public helpers of the marking stage: what counts as a quote (firmPrice, bestQuotes),
// the instrument name built for a spec without one, and how MarkConfig.parameters resolves.
// Expected values are written by hand from the doc comments (Deribit name format: day without a
// leading zero, `d` for a decimal point in the strike).
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { CBOE_V1, DERIBIT_V1, DERIBIT_V2 } from '../../lib/marking/config.js'
import { bestQuotes, firmPrice } from '../../lib/marking/liquidity.js'
import { instrumentName, resolveParameters } from '../../lib/marking/mark.js'

describe('firmPrice', () => {
  it('keeps a positive finite price and maps everything else to null', () => {
    expect(firmPrice(0.0125)).toBe(0.0125)
    for (const p of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined])
      expect(firmPrice(p)).toBeNull()
  })
})

describe('bestQuotes', () => {
  it('reads the top-of-book fields, falling back to the first depth level per side', () => {
    expect(bestQuotes(undefined)).toEqual({ bid: null, ask: null })
    expect(bestQuotes({ bid: 0.01, ask: 0.012 })).toEqual({ bid: 0.01, ask: 0.012 })
    expect(
      bestQuotes({
        bid: null,
        ask: 0,
        bids: [{ price: 0.009, amount: 1 }],
        asks: [{ price: 0.013, amount: 2 }],
      }),
    ).toEqual({ bid: 0.009, ask: 0.013 })
    expect(bestQuotes({ bid: null, ask: null, bids: [], asks: [{ price: 0, amount: 1 }] })).toEqual({
      bid: null,
      ask: null,
    })
  })
})

describe('instrumentName', () => {
  it('keeps a given name and builds the Deribit form otherwise', () => {
    expect(
      instrumentName('BTC', { instrument: 'X', kind: 'call', strike: 1, expiry: '2026-02-05T08:00:00.000Z' }),
    ).toBe('X')
    expect(instrumentName('BTC', { kind: 'call', strike: 80000, expiry: '2026-02-05T08:00:00.000Z' })).toBe(
      'BTC-5FEB26-80000-C',
    )
    expect(instrumentName('XRP', { kind: 'put', strike: 0.5, expiry: '2026-12-25T08:00:00.000Z' })).toBe(
      'XRP-25DEC26-0d5-P',
    )
  })
})

describe('resolveParameters', () => {
  it('defaults by premium convention, looks names up and passes a parameter object through', () => {
    expect(resolveParameters(undefined, 'coin')).toEqual(E.right(DERIBIT_V2))
    expect(resolveParameters(undefined, 'quote')).toEqual(E.right(CBOE_V1))
    expect(resolveParameters('cboe-v1', 'coin')).toEqual(E.right(CBOE_V1))
    expect(resolveParameters(DERIBIT_V1, 'quote')).toEqual(E.right(DERIBIT_V1))
    const r = resolveParameters('nope', 'coin')
    expect(E.isLeft(r) && r.left._tag).toBe('UnknownParameterSet')
  })
})
