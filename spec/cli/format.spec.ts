// The one CSV cell escaping of the CLI (marks, accounts, risk, stress and cascade CSV outputs):
// expected strings written from RFC 4180 §2 rules 5–7 by hand.
import { describe, expect, it } from 'vitest'
import { csvCell } from '../../lib/cli/format.js'

describe('csvCell', () => {
  it('leaves plain text and finite numbers as they are', () => {
    expect(csvCell('BTC-27MAR26-80000-C')).toBe('BTC-27MAR26-80000-C')
    expect(csvCell(0.25)).toBe('0.25')
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(true)).toBe('true')
  })

  it('writes null, undefined and non-finite numbers as an empty cell', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('')
  })

  it('quotes a cell holding a quote, comma, LF or CR and doubles inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"')
  })
})
