/**
 * `mtm report <snapshot> -o report.html`: the self-contained HTML marking report.
 *
 * @module
 * @since 0.1.0
 */
import { writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { Command } from 'commander'
import { renderReport } from '../../io/report.js'
import type { CliContext } from '../context.js'
import { summaryLine } from '../format.js'
import { loadSnapshots } from '../load.js'
import { type MarkingFlags, addMarkingFlags, markWithFlags } from './mark.js'

/**
 * Registers `report`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  addMarkingFlags(
    program
      .command('report')
      .description('write a self-contained HTML report: smiles per expiry, diagnostics, sortable marks table')
      .argument('<snapshot>', 'input file')
      .requiredOption('-o, --out <file>', 'output HTML file'),
  ).action((file: string, opts: MarkingFlags & { out: string }) => {
    const sets = loadSnapshots(file, ctx, { underlying: opts.underlying, quiet: true }).map((s) => markWithFlags(s, opts))
    writeFileSync(resolve(ctx.cwd, opts.out), renderReport(sets, { source: basename(file) }))
    for (const s of sets) ctx.stderr.write(summaryLine(s) + '\n')
    ctx.stderr.write(`wrote ${opts.out}\n`)
  })
}
