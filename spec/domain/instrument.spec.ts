import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { parseDeribitDate, parseInstrument } from '../../lib/domain/instrument.js'

describe('parseInstrument', () => {
  it('parses an option (expiry 08:00 UTC, strike, kind)', () => {
    expect(parseInstrument('BTC-25SEP26-120000-P')).toEqual(
      E.right({
        type: 'option',
        name: 'BTC-25SEP26-120000-P',
        underlying: 'BTC',
        expiry: '2026-09-25T08:00:00.000Z',
        strike: 120000,
        kind: 'put',
      }),
    )
  })
  it('parses single-digit days, futures, perpetuals and d-decimal strikes', () => {
    expect(parseDeribitDate('6FEB26')).toBe('2026-02-06T08:00:00.000Z')
    expect(parseInstrument('BTC-27MAR26')).toEqual(
      E.right({ type: 'future', name: 'BTC-27MAR26', underlying: 'BTC', expiry: '2026-03-27T08:00:00.000Z' }),
    )
    expect(parseInstrument('ETH-PERPETUAL')).toEqual(
      E.right({ type: 'perpetual', name: 'ETH-PERPETUAL', underlying: 'ETH' }),
    )
    const x = parseInstrument('XRP_USDC-27MAR26-0d625-C')
    expect(E.isRight(x) && x.right.type === 'option' && x.right.strike).toBe(0.625)
  })
  it('rejects malformed names with the field and the rule', () => {
    for (const bad of [
      '',
      'BTC',
      'BTC-31FEB26-1000-C',
      'BTC-25SEP26-0-C',
      'BTC-25SEP26-1000-X',
      'BTC-25XYZ26-1000-C',
    ]) {
      const r = parseInstrument(bad)
      expect(E.isLeft(r)).toBe(true)
      if (E.isLeft(r)) expect(r.left.field).toBe('instrument')
    }
  })
})
