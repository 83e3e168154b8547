/**
 * Errors of the input readers (`lib/io`): the closed, tagged union {@link InputError}.
 *
 * A reader returns one of these only when the *whole* input is unusable (empty, not the layout
 * it claims, a required column missing, not parseable at all). A bad *row* is never an error: it
 * becomes a `rejected` row of the snapshot (not in `options`) or a `warnings` row (kept, flagged).
 *
 * Every message is one line of one grammar: `<format>: <what is wrong>`, where `<format>` is the
 * layout being read (`deribit-chain`, `deribit-orderbook`, `cboe-quotes`, `snapshot-json`,
 * `snapshot-file`) and `<what is wrong>` names the column, line, path or file concerned.
 *
 * @module
 * @since 0.1.0
 */
import type { InvalidInput } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The input layouts the readers know, as named in messages and in a snapshot's `source.format`.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export type InputFormat =
  'deribit-chain' | 'deribit-orderbook' | 'cboe-quotes' | 'snapshot-json' | 'snapshot-file'

/**
 * The input holds no data (empty, only whitespace, or a header without any data row).
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface EmptyInput {
  /** Tag. */
  readonly _tag: 'EmptyInput'
  /** Layout being read. */
  readonly format: InputFormat
  /** One-line message: `<format>: input is empty (<detail>)`. */
  readonly message: string
}

/**
 * The input is not in any layout the reader (or the sniffer) recognises.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnrecognisedFormat {
  /** Tag. */
  readonly _tag: 'UnrecognisedFormat'
  /** Layout being read. */
  readonly format: InputFormat
  /** The first line of the input (at most 80 characters), to show what was found. */
  readonly firstLine: string
  /** One-line message: `<format>: unrecognised format: <what was expected> (first line "…")`. */
  readonly message: string
}

/**
 * A column the layout requires is absent from the header.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface MissingColumn {
  /** Tag. */
  readonly _tag: 'MissingColumn'
  /** Layout being read. */
  readonly format: InputFormat
  /** Name of the missing column. */
  readonly column: string
  /** One-line message: `<format>: missing required column "<column>"`. */
  readonly message: string
}

/**
 * The input could not be tokenised at all (CSV syntax error such as an unclosed quote, JSON syntax
 * error, unreadable file).
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface MalformedInput {
  /** Tag. */
  readonly _tag: 'MalformedInput'
  /** Layout being read. */
  readonly format: InputFormat
  /** 1-based line of the input where the parser gave up, when known. */
  readonly line: number | null
  /** The parser's own explanation. */
  readonly detail: string
  /** One-line message: `<format>: malformed input[ at line <n>]: <detail>`. */
  readonly message: string
}

/**
 * A snapshot JSON document broke the `mark-to-model/snapshot@1` schema. `errors` holds every
 * violation (path, value, rule); the message shows the first and how many more there are.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface InvalidSnapshot {
  /** Tag. */
  readonly _tag: 'InvalidSnapshot'
  /** Layout being read. */
  readonly format: InputFormat
  /** Every violation, each naming its dotted path. */
  readonly errors: ReadonlyArray<InvalidInput>
  /** One-line message: `<format>: <first error's message>[ (and <n> more)]`. */
  readonly message: string
}

/**
 * A file could not be read (missing, a directory, no permission).
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnreadableFile {
  /** Tag. */
  readonly _tag: 'UnreadableFile'
  /** Layout being read (always `snapshot-file`). */
  readonly format: InputFormat
  /** The path as given. */
  readonly path: string
  /** The system's reason (e.g. `ENOENT: no such file or directory`). */
  readonly detail: string
  /** One-line message: `<format>: cannot read "<path>": <detail>`. */
  readonly message: string
}

/**
 * Every error a reader can return. `InvalidInput` (lib/domain/errors.ts) is used for a bad reader
 * *option* (e.g. an unparseable `timestamp` override).
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts.
 *
 * @category model
 * @since 0.1.0
 */
export type InputError =
  | EmptyInput
  | UnrecognisedFormat
  | MissingColumn
  | MalformedInput
  | InvalidSnapshot
  | UnreadableFile
  | InvalidInput

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds an {@link EmptyInput}.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyInput = (format: InputFormat, detail: string): EmptyInput => ({
  _tag: 'EmptyInput',
  format,
  message: `${format}: input is empty (${detail})`,
})

/**
 * Builds an {@link UnrecognisedFormat}; `expected` says what the reader looked for.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const unrecognisedFormat = (
  format: InputFormat,
  expected: string,
  firstLine: string,
): UnrecognisedFormat => {
  const shown = firstLine.length > 80 ? firstLine.slice(0, 77) + '...' : firstLine
  return {
    _tag: 'UnrecognisedFormat',
    format,
    firstLine: shown,
    message: `${format}: unrecognised format: ${expected} (first line ${JSON.stringify(shown)})`,
  }
}

/**
 * Builds a {@link MissingColumn}.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const missingColumn = (format: InputFormat, column: string): MissingColumn => ({
  _tag: 'MissingColumn',
  format,
  column,
  message: `${format}: missing required column "${column}"`,
})

/**
 * Builds a {@link MalformedInput}; newlines in `detail` are flattened so the message stays one line.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const malformedInput = (format: InputFormat, line: number | null, detail: string): MalformedInput => {
  const flat = detail.replace(/\s*[\r\n]+\s*/g, ' ')
  return {
    _tag: 'MalformedInput',
    format,
    line,
    detail: flat,
    message: `${format}: malformed input${line === null ? '' : ` at line ${line}`}: ${flat}`,
  }
}

/**
 * Builds an {@link InvalidSnapshot} from one or more schema violations.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const invalidSnapshot = (
  format: InputFormat,
  errors: ReadonlyArray<InvalidInput>,
): InvalidSnapshot => {
  const first = errors[0]?.message ?? 'does not match the snapshot schema'
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
  return { _tag: 'InvalidSnapshot', format, errors, message: `${format}: ${first}${more}` }
}

/**
 * Builds an {@link UnreadableFile}.
 *
 * Verified by spec/io/badInput.spec.ts and spec/io/readSnapshotFile.spec.ts (exact messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const unreadableFile = (path: string, detail: string): UnreadableFile => {
  const flat = detail.replace(/\s*[\r\n]+\s*/g, ' ')
  return {
    _tag: 'UnreadableFile',
    format: 'snapshot-file',
    path,
    detail: flat,
    message: `snapshot-file: cannot read ${JSON.stringify(path)}: ${flat}`,
  }
}
