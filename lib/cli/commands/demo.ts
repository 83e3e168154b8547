/**
 * `mtm demo`: marks the embedded example chain
 * (examples/deribit_options_snapshot_20260822T153351Z.csv), prints a summary table per expiry
 * and writes report.html (with the accounts and risk sections of examples/accounts.json).
 *
 * @module
 * @since 0.1.0
 */
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { renderReport } from '../../io/report.js'
import type { MarkSet } from '../../marking/mark.js'
import type { CliContext } from '../context.js'
import { summaryLine, textTable } from '../format.js'
import { packageRoot, writeTextFile } from '../load.js'
import { loadMarkets, reportSections } from '../market.js'

/**
 * File name of the embedded example chain.
 *
 * @category cli
 * @since 0.1.0
 */
export const DEMO_FILE = 'examples/deribit_options_snapshot_20260822T153351Z.csv'

/**
 * File name of the embedded example accounts (the report's accounts and risk sections).
 *
 * @category cli
 * @since 0.1.0
 */
export const DEMO_ACCOUNTS = 'examples/accounts.json'

/**
 * The demo's per-expiry summary table of one mark set.
 *
 * @category cli
 * @since 0.1.0
 */
export const demoTable = (s: MarkSet): string => {
  const rows = s.surface.slices.map((sl) => {
    const ms = s.marks.filter((m) => m.expiry === sl.expiry)
    const market = ms.filter((m) => m.source === 'market').length
    let atm = ms[0]
    for (const m of ms)
      if (
        atm === undefined ||
        Math.abs(Math.log(m.strike / m.forward)) < Math.abs(Math.log(atm.strike / atm.forward))
      )
        atm = m
    return [
      sl.expiry.slice(0, 10),
      sl.expiryYears.toFixed(4),
      sl.forward.toFixed(2),
      String(ms.length),
      String(market),
      String(ms.length - market),
      atm === undefined ? '-' : (100 * atm.modelIv).toFixed(2),
      sl.rmseVolPoints.toFixed(2),
      (100 * sl.insideSpreadShare).toFixed(1),
      sl.model,
    ]
  })
  return textTable(
    ['expiry', 'T (y)', 'forward', 'marks', 'market', 'model', 'ATM IV%', 'RMSE vp', 'inside%', 'slice'],
    rows,
  )
}

/**
 * Registers `demo`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  program
    .command('demo')
    .description(`mark the embedded example chain (${DEMO_FILE}), print a summary and write report.html`)
    .option('-o, --out <file>', 'report file', 'report.html')
    .action((opts: { out: string }) => {
      const file = join(packageRoot(), DEMO_FILE)
      const markets = loadMarkets(file, ctx)
      const sets = [...markets.values()].map((m) => m.set)
      for (const s of sets) {
        ctx.stdout.write(`\n${summaryLine(s)}\n`)
        ctx.stdout.write(demoTable(s))
      }
      const sections = reportSections(markets, join(packageRoot(), DEMO_ACCOUNTS), undefined, ctx)
      writeTextFile(
        resolve(ctx.cwd, opts.out),
        opts.out,
        renderReport(sets, { source: DEMO_FILE, title: 'mark-to-model demo', sections }),
      )
      ctx.stdout.write(`\nwrote ${opts.out}\n`)
    })
}
