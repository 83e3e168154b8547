/**
 * Errors as values: closed, tagged unions of plain data, one per pipeline stage, plus the
 * decoder that turns io-ts validation failures into {@link InvalidInput} errors naming the
 * field, the value and the rule.
 *
 * @module
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { type Bound, showBound } from './units.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An input broke a rule: `field` is the dotted path (`options.3.strike`), `value` what was there,
 * `rule` the rule in words (`must be a finite number in (0, ∞)`).
 *
 * @category model
 * @since 0.1.0
 */
export interface InvalidInput {
  /** Tag. */
  readonly _tag: 'InvalidInput'
  /** Dotted path of the offending field. */
  readonly field: string
  /** The value found there (JSON-serialisable rendering). */
  readonly value: unknown
  /** The rule it broke, in words. */
  readonly rule: string
  /** One-line message: `field <path> = <value>: <rule>`. */
  readonly message: string
}

/**
 * Builds an {@link InvalidInput}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const invalidInput = (field: string, value: unknown, rule: string): InvalidInput => ({
  _tag: 'InvalidInput',
  field,
  value,
  rule,
  message: `field ${field} = ${render(value)}: ${rule}`,
})

/**
 * The rule text for a bound, e.g. `must be a finite number in (0, ∞)`; used by checks and messages alike.
 *
 * @category constructors
 * @since 0.1.0
 */
export const boundRule = (b: Bound): string => `must be a finite number in ${showBound(b)}`

const render = (v: unknown): string => {
  if (v === undefined) return '(missing)'
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v)
  try {
    const s = JSON.stringify(v)
    return s.length > 80 ? s.slice(0, 77) + '...' : s
  } catch {
    return String(v)
  }
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Turns io-ts validation errors into {@link InvalidInput}s. The field is the path of keys; the
 * rule names the codec that failed (`Positive`, `Years`, ...) and, when `rules` maps that codec
 * name to a rule text, uses that text.
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromValidationErrors = (
  errors: t.Errors,
  rules: Readonly<Record<string, string>> = {},
): InvalidInput[] =>
  errors.map((e) => {
    // a member of an intersection sits under its index ("0", "1"), which is no field of the input
    const path = e.context
      .filter(
        (c, i) =>
          c.key !== '' &&
          (e.context[i - 1]?.type as { _tag?: string } | undefined)?._tag !== 'IntersectionType',
      )
      .map((c) => c.key)
      .join('.')
    const last = e.context[e.context.length - 1]
    const name = last?.type.name ?? 'value'
    const rule = e.message ?? rules[name] ?? `must be ${name}`
    return invalidInput(path === '' ? '(root)' : path, e.value, rule)
  })
