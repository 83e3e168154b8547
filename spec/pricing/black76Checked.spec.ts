import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { boundRule } from '../../lib/domain/errors.js'
import { decodeBlack76Input, pricingInputRules } from '../../lib/domain/pricingInputs.js'
import { Bounds } from '../../lib/domain/units.js'
import { black76Price, black76PriceChecked } from '../../lib/pricing/black76.js'
import { black76Greeks, black76GreeksChecked } from '../../lib/pricing/greeks.js'

const ok = { kind: 'call', forward: 100, strike: 110, expiry: 0.5, vol: 0.4, discount: 0.99 } as const

const lefts = (input: unknown): readonly { field: string; rule: string; message: string }[] => {
  const r = black76PriceChecked(input)
  if (E.isRight(r)) throw new Error(`expected a Left for ${JSON.stringify(input)}`)
  return r.left
}

describe('black76PriceChecked', () => {
  it('prices a valid input exactly as black76Price (discount optional)', () => {
    expect(black76PriceChecked(ok)).toEqual(E.right(black76Price(ok)))
    const { discount: _d, ...noDiscount } = ok
    expect(black76PriceChecked(noDiscount)).toEqual(E.right(black76Price(noDiscount)))
    expect(black76GreeksChecked(ok)).toEqual(E.right(black76Greeks(ok)))
  })
  it('names the field, the value and the bound, printed from the Bounds entry the check uses', () => {
    expect(lefts({ ...ok, forward: -1 })).toEqual([
      {
        _tag: 'InvalidInput',
        field: 'forward',
        value: -1,
        rule: boundRule(Bounds.positive),
        message: 'field forward = -1: must be a finite number in (0, ∞)',
      },
    ])
    expect(lefts({ ...ok, vol: -0.2 })[0]?.message).toBe(
      'field vol = -0.2: must be a finite number in [0, ∞)',
    )
    expect(lefts({ ...ok, expiry: Infinity })[0]?.message).toBe(
      'field expiry = Infinity: must be a finite number in [0, ∞)',
    )
    expect(lefts({ ...ok, discount: 0 })[0]?.message).toBe(
      'field discount = 0: must be a finite number in (0, ∞)',
    )
    expect(lefts({ ...ok, strike: '110' })[0]?.message).toBe(
      'field strike = "110": must be a finite number in (0, ∞)',
    )
    expect(lefts({ ...ok, kind: 'straddle' })[0]?.message).toBe(
      "field kind = \"straddle\": must be 'call' or 'put'",
    )
  })
  it('reports every offending field, including missing ones', () => {
    const errs = lefts({ kind: 'put', forward: 0, strike: NaN })
    expect(errs.map((e) => e.field)).toEqual(['forward', 'strike', 'expiry', 'vol'])
    expect(errs[2]?.message).toBe('field expiry = (missing): must be a finite number in [0, ∞)')
  })
  it('rejects a non-object at the root', () => {
    expect(lefts(42)).toEqual([
      expect.objectContaining({ field: '(root)', rule: pricingInputRules['Black76Input'] }),
    ])
    expect(E.isLeft(black76GreeksChecked(null))).toBe(true)
  })
  it('decodes the boundary values the bounds include (expiry 0, vol 0) and prices them', () => {
    expect(E.isRight(decodeBlack76Input({ ...ok, expiry: 0, vol: 0 }))).toBe(true)
    expect(black76PriceChecked({ ...ok, kind: 'put', expiry: 0 })).toEqual(E.right(0.99 * 10))
  })
})
