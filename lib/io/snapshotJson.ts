/**
 * Reader for the project's own snapshot JSON (`mark-to-model/snapshot@1`), decoded by the
 * {@link MarketSnapshot} codec.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidInput, boundRule, invalidInput } from '../domain/errors.js'
import { type InputError, invalidSnapshot } from '../domain/inputErrors.js'
import { MarketSnapshot } from '../domain/snapshot.js'
import { Bounds } from '../domain/units.js'

type DecodeErrors = Extract<ReturnType<typeof MarketSnapshot.decode>, { _tag: 'Left' }>['left']

/** Rule text per codec name; the bounds are read from their single definition in units.ts. */
const RULES: Readonly<Record<string, string>> = {
  Positive: boundRule(Bounds.positive),
  NonNegative: boundRule(Bounds.nonNegative),
  UtcTimestamp: 'must be an ISO-8601 timestamp with a zone (Z or ±hh:mm)',
  null: 'null',
  string: 'must be a string',
  number: 'must be a number',
}

const ruleOf = (name: string): string => RULES[name] ?? `must be ${name}`

/**
 * io-ts errors → one {@link InvalidInput} per path. Keys that io-ts adds for the members of an
 * intersection or union (`0`, `1`) are left out of the path, so it reads `options.3.strike`; the
 * alternatives of a union at one path are merged into one rule (`… or null`).
 */
const toInvalidInputs = (errors: DecodeErrors): InvalidInput[] => {
  const byPath = new Map<string, { value: unknown; rules: string[] }>()
  for (const e of errors) {
    const keys: string[] = []
    for (let i = 0; i < e.context.length; i++) {
      const entry = e.context[i] as (typeof e.context)[number]
      const parent = i > 0 ? (e.context[i - 1]?.type as { _tag?: string }) : undefined
      if (entry.key === '' || parent?._tag === 'IntersectionType' || parent?._tag === 'UnionType') continue
      keys.push(entry.key)
    }
    const path = keys.length === 0 ? '(root)' : keys.join('.')
    const last = e.context[e.context.length - 1]
    const rule = e.message ?? ruleOf(last?.type.name ?? 'value')
    const slot = byPath.get(path)
    if (slot === undefined) byPath.set(path, { value: e.value, rules: [rule] })
    else if (!slot.rules.includes(rule)) slot.rules.push(rule)
  }
  return [...byPath.entries()].map(([path, { value, rules }]) =>
    invalidInput(path, value, rules.length === 1 ? (rules[0] as string) : rules.join(' or ')),
  )
}

/**
 * Decodes an already-parsed JSON value as a {@link MarketSnapshot} (schema
 * `mark-to-model/snapshot@1`).
 *
 * Edges: a value whose `schema` is not exactly `mark-to-model/snapshot@1` fails on path
 * `schema`; extra properties are kept untouched (the codec is not exact). Errors (Left):
 * `InvalidSnapshot` listing every violation as an `InvalidInput` whose `field` is the dotted path
 * (`options.3.strike`), `value` what was found and `rule` the rule broken (bounds in words, e.g.
 * `must be a finite number in (0, ∞)`); the message shows the first violation and how many more.
 *
 * Method: the io-ts codec of lib/domain/snapshot.ts; paths are rebuilt without the member indices
 * io-ts adds for intersections and unions. Round trip: for every snapshot a reader produces,
 * `readSnapshotJson(JSON.parse(JSON.stringify(s)))` is `right(s)` (deep-equal).
 *
 * Verified by spec/io/snapshotJson.spec.ts.
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#readSnapshotFile}
 *
 * @category readers
 * @since 0.1.0
 */
export const readSnapshotJson = (value: unknown): E.Either<InputError, MarketSnapshot> => {
  const r = MarketSnapshot.decode(value)
  if (E.isRight(r)) return E.right(r.right)
  const errors = toInvalidInputs(r.left)
  const schemaFirst = errors.findIndex((e) => e.field === 'schema')
  if (schemaFirst > 0) errors.unshift(...errors.splice(schemaFirst, 1))
  return E.left(invalidSnapshot('snapshot-json', errors))
}

/**
 * Decodes a parsed JSON document holding one snapshot (an object) or several (an array of
 * objects). For an array, every error path is prefixed with the element's index (`2.options.0.ask`).
 *
 * Errors (Left): `InvalidSnapshot` as for {@link readSnapshotJson}.
 *
 * Verified by spec/io/snapshotJson.spec.ts.
 *
 * @category readers
 * @since 0.1.0
 */
export const readSnapshotJsonDocument = (value: unknown): E.Either<InputError, MarketSnapshot[]> => {
  if (!Array.isArray(value)) return E.map((s: MarketSnapshot) => [s])(readSnapshotJson(value))
  const out: MarketSnapshot[] = []
  for (let i = 0; i < value.length; i++) {
    const r = readSnapshotJson(value[i])
    if (E.isLeft(r)) {
      const e = r.left
      if (e._tag !== 'InvalidSnapshot') return r
      return E.left(
        invalidSnapshot(
          'snapshot-json',
          e.errors.map((x) => invalidInput(`${i}.${x.field}`, x.value, x.rule)),
        ),
      )
    }
    out.push(r.right)
  }
  return E.right(out)
}

/**
 * Serialises a snapshot as the JSON document {@link readSnapshotJson} reads back (2-space
 * indentation, keys in the order the readers build them). Deterministic.
 *
 * Verified by spec/io/snapshotJson.spec.ts (round trip).
 *
 * @category writers
 * @since 0.1.0
 */
export const writeSnapshotJson = (snapshot: MarketSnapshot | ReadonlyArray<MarketSnapshot>): string =>
  JSON.stringify(snapshot, null, 2) + '\n'
