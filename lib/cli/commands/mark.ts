/**
 * `mtm mark <snapshot> [--format json|csv|markset|snapshot] [--out file]`: marks every listed
 * option, or (`snapshot`) writes the snapshot as read in the project's JSON schema, which every
 * command reads back.
 *
 * @module
 * @since 0.1.0
 */
import { resolve } from 'node:path'
import { type Command, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import type { MarkRecord } from '../../domain/mark.js'
import { writeSnapshotJson } from '../../io/snapshotJson.js'
import { type MarkSet, markSnapshot } from '../../marking/mark.js'
import { DEFAULT_SURFACE_CONFIG, type SurfaceModelChoice } from '../../surface/config.js'
import { CliInputError, type CliContext } from '../context.js'
import { marksToCsv, summaryLine, toJson } from '../format.js'
import { loadSnapshots, writeTextFile } from '../load.js'

/**
 * Options shared by the commands that mark (`mark`, `validate`, `report`).
 *
 * @category cli
 * @since 0.1.0
 */
export interface MarkingFlags {
  /** Parameter-set name. */
  readonly parameters?: string
  /** Surface model choice. */
  readonly model?: SurfaceModelChoice
  /** Only this underlying. */
  readonly underlying?: string
}

/**
 * Adds `--parameters`, `--model`, `--underlying` to a command.
 *
 * @category cli
 * @since 0.1.0
 */
export const addMarkingFlags = (cmd: Command): Command =>
  cmd
    .option(
      '-p, --parameters <name>',
      'marking parameter set (default: deribit-v2 for coin premiums, cboe-v1 for linear)',
    )
    .addOption(new Option('-m, --model <model>', 'surface model').choices(['auto', 'svi', 'ssvi', 'sabr']))
    .option('-u, --underlying <symbol>', 'only this underlying (a file may hold several)')

/**
 * Marks one snapshot with the CLI flags; an error becomes a one-line {@link CliInputError}.
 *
 * @category cli
 * @since 0.1.0
 */
export const markWithFlags = (snapshot: Parameters<typeof markSnapshot>[0], flags: MarkingFlags): MarkSet => {
  const r = markSnapshot(snapshot, {
    parameters: flags.parameters,
    surface: flags.model === undefined ? undefined : { ...DEFAULT_SURFACE_CONFIG, model: flags.model },
  })
  if (E.isLeft(r)) throw new CliInputError(r.left.message)
  return r.right
}

/**
 * Registers `mark`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  addMarkingFlags(
    program
      .command('mark')
      .description(
        'mark every listed option of a snapshot (Deribit chain or order-book CSV, CBOE quotes, snapshot JSON)',
      )
      .argument('<snapshot>', 'input file')
      .addOption(
        new Option(
          '-f, --format <format>',
          'output: marks as json or csv, the full mark sets (markset), or the snapshot as read in the project JSON schema (snapshot; no marking)',
        )
          .choices(['json', 'csv', 'markset', 'snapshot'])
          .default('json'),
      )
      .option('-o, --out <file>', 'write to this file instead of stdout')
      .option('-v, --verbose', 'also list the rows the reader kept but flagged (warnings)'),
  ).action(
    (
      file: string,
      opts: MarkingFlags & {
        format: 'json' | 'csv' | 'markset' | 'snapshot'
        out?: string
        verbose?: boolean
      },
    ) => {
      const snaps = loadSnapshots(file, ctx, {
        underlying: opts.underlying,
        verbose: opts.verbose === true,
      })
      if (opts.format === 'snapshot') {
        const json = writeSnapshotJson(snaps)
        if (opts.out === undefined) ctx.stdout.write(json)
        else writeTextFile(resolve(ctx.cwd, opts.out), opts.out, json)
        return
      }
      const sets = snaps.map((s) => markWithFlags(s, opts))
      for (const s of sets) {
        for (const u of s.unmarked)
          ctx.stderr.write(`${file}: unmarked ${u.instrument}: ${u.error.message}\n`)
        ctx.stderr.write(summaryLine(s) + '\n')
      }
      const marks: MarkRecord[] = sets.flatMap((s) => [...s.marks])
      const text = opts.format === 'csv' ? marksToCsv(marks) : toJson(opts.format === 'json' ? marks : sets)
      if (opts.out === undefined) ctx.stdout.write(text)
      else writeTextFile(resolve(ctx.cwd, opts.out), opts.out, text)
    },
  )
}
