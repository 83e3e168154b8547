/**
 * Loading snapshots for the CLI: read a file, let the io readers recognise its layout, print
 * every rejected or flagged row as one line on stderr, and turn a whole-file failure into a
 * {@link CliInputError} (exit code 1).
 *
 * @module
 * @since 0.1.0
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import type { MarketSnapshot, RejectedRow } from '../domain/snapshot.js'
import { readSnapshotText } from '../io/readSnapshotFile.js'
import { CliInputError, type CliContext } from './context.js'

/**
 * One line for a rejected or flagged row: `<file> row <n> field <field>: <reason> [<instrument>]`.
 *
 * @category cli
 * @since 0.1.0
 */
export const rowLine = (file: string, kind: 'rejected' | 'warning', r: RejectedRow): string =>
  `${file}: ${kind} row ${r.row} field ${r.field}: ${r.reason}${r.instrument === undefined ? '' : ` [${r.instrument}]`}`

/**
 * The package root: the nearest ancestor of this module holding package.json and examples/
 * (where the demo chain and the default history live, both from a checkout and from dist/).
 *
 * @category cli
 * @since 0.1.0
 */
export const packageRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir
    const up = dirname(dir)
    if (up === dir) throw new CliInputError('cannot find the package root holding examples/')
    dir = up
  }
}

/**
 * Reads a UTF-8 text file; a failure is the one-line {@link CliInputError}
 * `cannot read <shown>: <errno code>`, where `shown` is the path as the user gave it.
 *
 * @category cli
 * @since 0.1.0
 */
export const readTextFile = (full: string, shown: string): string => {
  try {
    return readFileSync(full, 'utf8')
  } catch (e) {
    throw new CliInputError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
}

/**
 * Writes a UTF-8 text file; a failure (missing directory, a directory in the way, no
 * permission) is the one-line {@link CliInputError} `cannot write <shown>: <errno code>`, where
 * `shown` is the path as the user gave it.
 *
 * @category cli
 * @since 0.1.0
 */
export const writeTextFile = (full: string, shown: string, text: string): void => {
  try {
    writeFileSync(full, text)
  } catch (e) {
    throw new CliInputError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
}

/**
 * Reads every snapshot in a file (a file may hold one per underlying), optionally only one
 * underlying. Writes one stderr line per rejected row unless `quiet`, and per warning row (kept
 * but flagged) when `verbose`.
 *
 * @category cli
 * @since 0.1.0
 */
export const loadSnapshots = (
  path: string,
  ctx: CliContext,
  opts: {
    readonly underlying?: string | undefined
    readonly quiet?: boolean
    readonly verbose?: boolean
  } = {},
): MarketSnapshot[] => {
  const full = resolve(ctx.cwd, path)
  const text = readTextFile(full, path)
  const name = basename(full)
  const r = readSnapshotText(text, name)
  if (E.isLeft(r)) throw new CliInputError(`${path}: ${r.left.message}`)
  let snaps = r.right
  if (opts.underlying !== undefined) {
    const u = opts.underlying.toUpperCase()
    snaps = snaps.filter((s) => s.underlying.toUpperCase() === u)
    if (snaps.length === 0) throw new CliInputError(`${path}: no snapshot for underlying ${opts.underlying}`)
  }
  if (opts.quiet !== true)
    for (const s of snaps) {
      for (const row of s.rejected ?? []) ctx.stderr.write(rowLine(name, 'rejected', row) + '\n')
      if (opts.verbose === true)
        for (const row of s.warnings ?? []) ctx.stderr.write(rowLine(name, 'warning', row) + '\n')
    }
  return snaps
}
