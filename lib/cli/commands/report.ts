/**
 * `mtm report <snapshot> -o report.html [--accounts accounts.json] [--history file]`: the
 * self-contained HTML marking report; with `--accounts`, also the accounts section (status table,
 * liquidation prices) and the risk section (VaR, backtest, cascade) of lib/cli/market.ts
 * `reportSections`.
 *
 * @module
 * @since 0.1.0
 */
import { basename, resolve } from 'node:path'
import type { Command } from 'commander'
import { renderReport } from '../../io/report.js'
import type { CliContext } from '../context.js'
import { summaryLine } from '../format.js'
import { loadSnapshots, writeTextFile } from '../load.js'
import { DEFAULT_HISTORY_FILE, loadMarkets, reportSections } from '../market.js'
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
      .requiredOption('-o, --out <file>', 'output HTML file')
      .option('--accounts <file>', 'accounts JSON: adds the accounts and risk sections')
      .option(
        '--history <file>',
        `daily price history for the risk section (default: ${DEFAULT_HISTORY_FILE})`,
      ),
  ).action((file: string, opts: MarkingFlags & { out: string; accounts?: string; history?: string }) => {
    let sets
    let sections: string[] = []
    if (opts.accounts === undefined)
      sets = loadSnapshots(file, ctx, { underlying: opts.underlying, quiet: true }).map((s) =>
        markWithFlags(s, opts),
      )
    else {
      const markets = loadMarkets(file, ctx, opts)
      sets = [...markets.values()].map((m) => m.set)
      sections = reportSections(markets, opts.accounts, opts.history, ctx)
    }
    writeTextFile(
      resolve(ctx.cwd, opts.out),
      opts.out,
      renderReport(sets, { source: basename(file), sections }),
    )
    for (const s of sets) ctx.stderr.write(summaryLine(s) + '\n')
    ctx.stderr.write(`wrote ${opts.out}\n`)
  })
}
