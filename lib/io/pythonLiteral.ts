/**
 * A small, safe parser for the Python literals that Deribit collectors write into CSV cells
 * (`[[0.042, 15.5], [0.0405, 8.2]]`, `{'vega': 5.49, 'rho': None}`): a recursive-descent reader of
 * a strict subset of Python's literal grammar. It never evaluates code.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidInput, invalidInput } from '../domain/errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parsed Python literal: `None` → `null`, `True`/`False` → boolean, int/float → number
 * (`inf`, `nan` are not literals in Python and are rejected), str → string, list/tuple → array,
 * dict → object (keys must be strings or numbers; number keys become their decimal text).
 *
 * @category model
 * @since 0.1.0
 */
export type PythonValue = null | boolean | number | string | PythonValue[] | { [key: string]: PythonValue }

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const MAX_DEPTH = 64

class Reader {
  pos = 0
  error: string | undefined = undefined
  constructor(readonly s: string) {}

  fail(what: string): undefined {
    if (this.error === undefined) this.error = `${what} at offset ${this.pos}`
    return undefined
  }

  skipSpace(): void {
    const s = this.s
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos)
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++
      else break
    }
  }

  value(depth: number): PythonValue | undefined {
    if (depth > MAX_DEPTH) return this.fail(`nesting deeper than ${MAX_DEPTH}`)
    this.skipSpace()
    const c = this.s[this.pos]
    if (c === undefined) return this.fail('unexpected end of input')
    if (c === '[') return this.sequence(']', depth)
    if (c === '(') return this.sequence(')', depth)
    if (c === '{') return this.dict(depth)
    if (c === "'" || c === '"') return this.string()
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number()
    for (const [word, v] of KEYWORDS) {
      if (this.s.startsWith(word, this.pos) && !/[A-Za-z0-9_]/.test(this.s[this.pos + word.length] ?? '')) {
        this.pos += word.length
        return v
      }
    }
    return this.fail(`unexpected character ${JSON.stringify(c)}`)
  }

  sequence(close: string, depth: number): PythonValue[] | undefined {
    this.pos++
    const out: PythonValue[] = []
    for (;;) {
      this.skipSpace()
      if (this.s[this.pos] === close) {
        this.pos++
        return out
      }
      const v = this.value(depth + 1)
      if (v === undefined) return undefined
      out.push(v)
      this.skipSpace()
      const c = this.s[this.pos]
      if (c === ',') this.pos++
      else if (c !== close) return this.fail(`expected "," or "${close}"`)
    }
  }

  dict(depth: number): { [key: string]: PythonValue } | undefined {
    this.pos++
    const out: { [key: string]: PythonValue } = {}
    for (;;) {
      this.skipSpace()
      if (this.s[this.pos] === '}') {
        this.pos++
        return out
      }
      const k = this.value(depth + 1)
      if (k === undefined) return undefined
      if (typeof k !== 'string' && typeof k !== 'number')
        return this.fail('dict key must be a string or a number')
      this.skipSpace()
      if (this.s[this.pos] !== ':') return this.fail('expected ":"')
      this.pos++
      const v = this.value(depth + 1)
      if (v === undefined) return undefined
      Object.defineProperty(out, String(k), {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      })
      this.skipSpace()
      const c = this.s[this.pos]
      if (c === ',') this.pos++
      else if (c !== '}') return this.fail('expected "," or "}"')
    }
  }

  string(): string | undefined {
    const quote = this.s[this.pos]
    this.pos++
    let out = ''
    while (this.pos < this.s.length) {
      const c = this.s[this.pos] as string
      if (c === quote) {
        this.pos++
        return out
      }
      if (c === '\n') return this.fail('newline in string')
      if (c === '\\') {
        const n = this.s[this.pos + 1]
        const esc = n === undefined ? undefined : ESCAPES[n]
        if (esc !== undefined) {
          out += esc
          this.pos += 2
          continue
        }
        if (n === 'x' || n === 'u') {
          const len = n === 'x' ? 2 : 4
          const hex = this.s.slice(this.pos + 2, this.pos + 2 + len)
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return this.fail('bad escape')
          out += String.fromCharCode(parseInt(hex, 16))
          this.pos += 2 + len
          continue
        }
        return this.fail('unsupported escape')
      }
      out += c
      this.pos++
    }
    return this.fail('unterminated string')
  }

  number(): number | undefined {
    const m = NUMBER.exec(this.s.slice(this.pos, this.pos + 64))
    if (m === null) return this.fail('malformed number')
    const text = m[0].replace(/_/g, '')
    this.pos += m[0].length
    const v = Number(text)
    return Number.isFinite(v) ? v : this.fail('number out of range')
  }
}

const NUMBER = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/
const KEYWORDS: ReadonlyArray<readonly [string, PythonValue]> = [
  ['None', null],
  ['True', true],
  ['False', false],
]
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
}

/**
 * Parses one Python literal (the `repr` of lists, tuples, dicts, str, int, float, bool and None,
 * as written by pandas `to_csv` of Deribit API responses).
 *
 * Method: recursive descent over the text, O(n) in its length, nesting limited to 64 levels; no
 * `eval`, no prototype pollution (dict keys are defined as own data properties, so a key
 * `__proto__` is an ordinary key). Accepts single- or double-quoted strings with the escapes
 * `\\ \' \" \n \r \t \a \b \f \v \0 \xHH \uHHHH`, numbers with optional sign, fraction, exponent and `_`
 * separators, trailing commas. Rejects anything else (names other than None/True/False, sets,
 * bytes, complex numbers, `inf`/`nan`, trailing text).
 *
 * Errors: {@link InvalidInput} on field `python-literal` whose rule says what was expected and at
 * which character offset.
 *
 * Verified by spec/io/pythonLiteral.spec.ts (against every `bids`/`asks`/`greeks`/`stats` cell of
 * the real order-book fixture, and malformed inputs).
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#parsePythonLiteral}
 *
 * @category parsing
 * @since 0.1.0
 */
export const parsePythonLiteral = (text: string): E.Either<InvalidInput, PythonValue> => {
  const r = new Reader(text)
  const v = r.value(0)
  if (v !== undefined) {
    r.skipSpace()
    if (r.pos !== text.length) r.fail('unexpected trailing text')
  }
  if (r.error !== undefined || v === undefined)
    return E.left(
      invalidInput(
        'python-literal',
        text.length > 60 ? text.slice(0, 57) + '...' : text,
        `must be a Python literal: ${r.error ?? 'no value'}`,
      ),
    )
  return E.right(v)
}
