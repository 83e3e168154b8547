import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePythonLiteral } from '../../lib/io/pythonLiteral.js'

describe('parsePythonLiteral', () => {
  it('parses the literal kinds Deribit collectors write', () => {
    expect(parsePythonLiteral('[[0.042, 15.5], [0.0405, 8.2]]')).toEqual(
      E.right([
        [0.042, 15.5],
        [0.0405, 8.2],
      ]),
    )
    expect(parsePythonLiteral("{'vega': 5.49167, 'rho': None, 'ok': True, 'no': False}")).toEqual(
      E.right({ vega: 5.49167, rho: null, ok: true, no: false }),
    )
    expect(parsePythonLiteral('[]')).toEqual(E.right([]))
    expect(parsePythonLiteral('(1, -2.5e-3, +3, .5, 1_000,)')).toEqual(E.right([1, -0.0025, 3, 0.5, 1000]))
    expect(parsePythonLiteral(`"it's" `)).toEqual(E.right("it's"))
    expect(parsePythonLiteral("'a\\'b\\n\\x41\\u00e9'")).toEqual(E.right("a'b\nAé"))
    expect(parsePythonLiteral("'\\a\\b\\f\\v\\0'")).toEqual(E.right('\x07\b\f\v\0'))
    expect(parsePythonLiteral('{1: 2}')).toEqual(E.right({ '1': 2 }))
  })

  it('treats __proto__ as an ordinary key (no prototype pollution)', () => {
    const r = parsePythonLiteral("{'__proto__': {'polluted': True}}")
    expect(E.isRight(r)).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    if (E.isRight(r)) expect(Object.keys(r.right as object)).toEqual(['__proto__'])
  })

  it('rejects what is not a literal, naming the offset', () => {
    for (const bad of [
      '',
      '[1, 2',
      '[1 2]',
      "{'a' 1}",
      'inf',
      'nan',
      '__import__("os")',
      '[1] x',
      "'abc",
      '{[1]: 2}',
      '1e999',
      '{1, 2}',
    ]) {
      const r = parsePythonLiteral(bad)
      expect(E.isLeft(r), bad).toBe(true)
      if (E.isLeft(r)) {
        expect(r.left.field).toBe('python-literal')
        expect(r.left.rule).toMatch(/^must be a Python literal: .*(at offset \d+|no value)/)
      }
    }
    expect(parsePythonLiteral('[1, 2')).toEqual(
      E.left(expect.objectContaining({ rule: 'must be a Python literal: expected "," or "]" at offset 5' })),
    )
  })

  it('reads every bids/asks/greeks/stats cell of the real order-book file', () => {
    const rows = parse(
      readFileSync(
        'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
        'utf8',
      ),
      {
        columns: true,
      },
    ) as Record<string, string>[]
    let cells = 0
    for (const r of rows)
      for (const k of ['bids', 'asks', 'greeks', 'stats']) {
        expect(E.isRight(parsePythonLiteral(r[k] as string)), `${k}: ${r[k]}`).toBe(true)
        cells++
      }
    expect(cells).toBe(4 * 310)
  })

  it('round-trips JSON-representable values written in Python syntax (fast-check, seed 42, 500 runs)', () => {
    const toPython = (v: unknown): string => {
      if (v === null) return 'None'
      if (v === true) return 'True'
      if (v === false) return 'False'
      if (typeof v === 'number') return String(v)
      if (typeof v === 'string') return JSON.stringify(v)
      if (Array.isArray(v)) return `[${v.map(toPython).join(', ')}]`
      return `{${Object.entries(v as object)
        .map(([k, x]) => `${JSON.stringify(k)}: ${toPython(x)}`)
        .join(', ')}}`
    }
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
        fc.string({ unit: 'grapheme-ascii' }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 6 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v
    fc.assert(
      fc.property(value, (v) => {
        expect(parsePythonLiteral(toPython(v))).toEqual(E.right(v))
      }),
      { seed: 42, numRuns: 500 },
    )
  })
})
