/**
 * `mtm validate <snapshot…>`: leave-one-out backtest and comparison with the exchange's marks.
 *
 * @module
 * @since 0.1.0
 */
import { basename } from 'node:path'
import cliProgress from 'cli-progress'
import { type Command, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { DEFAULT_SURFACE_CONFIG } from '../../surface/config.js'
import { type ValidationReport, leaveOneOut } from '../../marking/validate.js'
import { CliInputError, type CliContext } from '../context.js'
import { textTable, toJson } from '../format.js'
import { loadSnapshots } from '../load.js'
import { emit } from '../market.js'
import { type MarkingFlags, addMarkingFlags } from './mark.js'

const pct = (x: number): string => (Number.isFinite(x) ? (100 * x).toFixed(1) + '%' : '-')
const num = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '-')

/**
 * The text table of validation reports (one row per file and underlying).
 *
 * @category cli
 * @since 0.1.0
 */
export const validationTable = (
  rows: readonly { readonly file: string; readonly report: ValidationReport }[],
): string =>
  textTable(
    [
      'file',
      'und',
      'listed',
      'hidden',
      'inside',
      'med|dIV|',
      'p95|dIV|',
      'med|dHS|',
      'exch n',
      'exch med',
      'exch p95',
    ],
    rows.map(({ file, report: r }) => [
      file,
      r.underlying,
      String(r.counts.listed),
      String(r.leaveOneOut.hidden),
      pct(r.leaveOneOut.insideShare),
      num(r.leaveOneOut.errorVolPoints.median),
      num(r.leaveOneOut.errorVolPoints.p95),
      num(r.leaveOneOut.errorHalfSpreads.median),
      r.exchange === null ? '-' : String(r.exchange.absVolPoints.n),
      r.exchange === null ? '-' : num(r.exchange.absVolPoints.median),
      r.exchange === null ? '-' : num(r.exchange.absVolPoints.p95),
    ]),
  ) +
  `parameter set: ${[...new Set(rows.map((r) => r.report.parameterSet))].join(', ')}\n` +
  'inside: share of hidden liquid quotes whose leave-one-out model mark is inside [bid, ask]; dIV: model IV - market IV (vol points);\n' +
  'dHS: model - market in half-spreads; exch: |our mark IV - exchange mark IV| (vol points) over all instruments.\n'

/**
 * Registers `validate`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  addMarkingFlags(
    program
      .command('validate')
      .description('leave-one-out backtest of model marks and comparison with exchange marks')
      .argument('<snapshot...>', 'input files')
      .addOption(
        new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'),
      )
      .option('--quotes', 'with --format json: include every hidden quote')
      .option('-o, --out <file>', 'write to this file instead of stdout'),
  ).action(
    (
      files: string[],
      opts: MarkingFlags & { format: 'text' | 'json'; quotes?: boolean; out?: string },
      cmd: Command,
    ) => {
      if (opts.quotes === true && opts.format !== 'json')
        cmd.error("error: option '--quotes' needs '--format json'", {
          exitCode: 2,
          code: 'mtm.quotesNeedJson',
        })
      const bar =
        ctx.isTTY && files.length > 1
          ? new cliProgress.SingleBar(
              { format: 'validate [{bar}] {value}/{total} {file}', hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined
      bar?.start(files.length, 0, { file: '' })
      const out: { file: string; report: ValidationReport }[] = []
      try {
        for (const file of files) {
          bar?.update({ file: basename(file) })
          for (const snap of loadSnapshots(file, ctx, { underlying: opts.underlying, quiet: true })) {
            const r = leaveOneOut(snap, {
              parameters: opts.parameters,
              surface:
                opts.model === undefined ? undefined : { ...DEFAULT_SURFACE_CONFIG, model: opts.model },
            })
            if (E.isLeft(r)) throw new CliInputError(`${file}: ${r.left.message}`)
            out.push({ file: basename(file), report: r.right })
          }
          bar?.increment()
        }
      } finally {
        bar?.stop()
      }
      emit(
        opts.format === 'json'
          ? toJson(
              out.map(({ file, report }) =>
                opts.quotes === true
                  ? { file, ...report }
                  : { file, ...report, leaveOneOut: { ...report.leaveOneOut, quotes: undefined } },
              ),
            )
          : validationTable(out),
        opts.out,
        ctx,
      )
    },
  )
}
