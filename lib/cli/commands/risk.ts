/**
 * `mtm risk <snapshot> <accounts.json> [--history file] [--method hs|fhs] [--horizon days]
 * [--scenarios N] [--var-confidence 0.99] [--es-confidence 0.975] [--spot-vol-beta 1] [--backtest]
 * [--format json|csv] [--out file]`: value at risk and expected shortfall of every account and of
 * the whole book, by historical (or EWMA-filtered historical) simulation with full revaluation
 * through the fitted surface (lib/risk `valueAtRisk`); `--backtest` adds the rolling one-day VaR
 * backtest of the underlying itself with Kupiec's test (lib/risk `rollingVarBacktest`).
 *
 * JSON output ({@link RiskOutput}): `{ schema: "mark-to-model/risk@1", underlying, asOf, spot,
 * history: { file, from, to, closes }, config: { method, horizonDays, scenarios, varConfidence,
 * esConfidence, spotVolBeta, volRule }, book: { varUsd, esUsd, accounts, worstScenarios:
 * [{ scenario, pnlUsd }] }, accounts: [{ account, varUsd, esUsd, error }], backtest?: { window,
 * confidence, method, from, to, observations, exceptions, expectedExceptions, statistic, pValue,
 * rejected, significance, exceptionDates } }`. Losses are positive USD; a failed account has null
 * figures and its error. CSV ({@link RISK_CSV_COLUMNS}): one row per account, then a `book` row.
 *
 * @module
 * @since 0.1.0
 */
import { type Command, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import type { PriceHistory } from '../../domain/history.js'
import { type BacktestResult, rollingVarBacktest } from '../../risk/backtest.js'
import { logReturns } from '../../risk/ewma.js'
import { type PortfolioRisk, portfolioOf, valueAtRisk } from '../../risk/portfolio.js'
import { historicalScenarios } from '../../risk/scenarios.js'
import { CliInputError, type CliContext } from '../context.js'
import { csvCell, toJson } from '../format.js'
import { DEFAULT_HISTORY_FILE, emit, loadBook, loadHistory, numberIn, positiveInt } from '../market.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Backtest summary in `mtm risk --backtest` output.
 *
 * @category model
 * @since 0.1.0
 */
export interface BacktestOutput {
  /** Look-back window, days. */
  readonly window: number
  /** VaR confidence. */
  readonly confidence: number
  /** `hs` or `fhs`. */
  readonly method: 'hs' | 'fhs'
  /** First and last backtested day (UTC `YYYY-MM-DD`). */
  readonly from: string | null
  /** Last backtested day. */
  readonly to: string | null
  /** Backtested days. */
  readonly observations: number
  /** Days whose loss exceeded the forecast. */
  readonly exceptions: number
  /** observations × (1 − confidence). */
  readonly expectedExceptions: number
  /** Kupiec likelihood ratio, χ²(1). */
  readonly statistic: number
  /** Its p-value. */
  readonly pValue: number
  /** Rejected at `significance`. */
  readonly rejected: boolean
  /** Test size. */
  readonly significance: number
  /** Dates of the exceptions. */
  readonly exceptionDates: readonly string[]
}

/**
 * The JSON document `mtm risk` writes (see the module comment).
 *
 * @category model
 * @since 0.1.0
 */
export interface RiskOutput {
  /** Schema tag. */
  readonly schema: 'mark-to-model/risk@1'
  /** Underlying. */
  readonly underlying: string
  /** Snapshot instant. */
  readonly asOf: string
  /** Spot (index) of the snapshot's surface. */
  readonly spot: number
  /** History used. */
  readonly history: {
    readonly file: string
    readonly from: string
    readonly to: string
    readonly closes: number
  }
  /** Configuration, defaults filled in. */
  readonly config: {
    readonly method: 'hs' | 'fhs'
    readonly horizonDays: number
    readonly scenarios: number
    readonly varConfidence: number
    readonly esConfidence: number
    readonly spotVolBeta: number
    readonly volRule: 'flat'
  }
  /** Whole book. */
  readonly book: {
    readonly varUsd: number
    readonly esUsd: number
    readonly accounts: number
    readonly worstScenarios: readonly { readonly scenario: string; readonly pnlUsd: number }[]
  }
  /** Per account, in file order. */
  readonly accounts: readonly {
    readonly account: string
    readonly varUsd: number | null
    readonly esUsd: number | null
    readonly error: string | null
  }[]
  /** Present with `--backtest`. */
  readonly backtest?: BacktestOutput
}

/**
 * CSV columns of `mtm risk --format csv`: one row per account (`scope` = `account`), then one
 * `book` row (empty `account`).
 *
 * @category cli
 * @since 0.1.0
 */
export const RISK_CSV_COLUMNS = [
  'scope',
  'account',
  'var_usd',
  'es_usd',
  'var_confidence',
  'es_confidence',
  'scenarios',
  'method',
  'horizon_days',
  'error',
] as const

// -------------------------------------------------------------------------------------
// building
// -------------------------------------------------------------------------------------

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null)

/**
 * The backtest summary of a {@link BacktestResult} on a history (day `start + i` of the returns is
 * the close `start + i + 1`).
 *
 * @category building
 * @since 0.1.0
 */
export const backtestOutput = (bt: BacktestResult, history: PriceHistory): BacktestOutput => {
  const day = (i: number): string | null => history.dates[bt.start + i + 1] ?? null
  const dates: string[] = []
  for (let i = 0; i < bt.exception.length; i++) if (bt.exception[i] === 1) dates.push(day(i) as string)
  const m = bt.var.length
  return {
    window: bt.config.window,
    confidence: bt.config.confidence,
    method: bt.config.method,
    from: m > 0 ? day(0) : null,
    to: m > 0 ? day(m - 1) : null,
    observations: bt.kupiec.observations,
    exceptions: bt.kupiec.exceptions,
    expectedExceptions: bt.kupiec.observations * bt.kupiec.expectedRate,
    statistic: bt.kupiec.statistic,
    pValue: bt.kupiec.pValue,
    rejected: bt.kupiec.rejected,
    significance: bt.kupiec.significance,
    exceptionDates: dates,
  }
}

/**
 * The five scenarios with the largest whole-book loss.
 *
 * @category building
 * @since 0.1.0
 */
export const worstScenarios = (
  risk: PortfolioRisk,
  k = 5,
): { readonly scenario: string; readonly pnlUsd: number }[] =>
  Array.from(risk.bookPnl, (pnlUsd, i) => ({ scenario: risk.scenarioNames[i] as string, pnlUsd, i }))
    .sort((a, b) => a.pnlUsd - b.pnlUsd || a.i - b.i)
    .slice(0, k)
    .map(({ scenario, pnlUsd }) => ({ scenario, pnlUsd }))

/**
 * {@link RiskOutput} as CSV ({@link RISK_CSV_COLUMNS}).
 *
 * @category building
 * @since 0.1.0
 */
export const riskToCsv = (r: RiskOutput): string => {
  const c = r.config
  const tail = [c.varConfidence, c.esConfidence, c.scenarios, c.method, c.horizonDays]
  return (
    [
      RISK_CSV_COLUMNS.join(','),
      ...r.accounts.map((a) =>
        ['account', a.account, a.varUsd, a.esUsd, ...tail, a.error].map(csvCell).join(','),
      ),
      ['book', '', r.book.varUsd, r.book.esUsd, ...tail, ''].map(csvCell).join(','),
    ].join('\n') + '\n'
  )
}

// -------------------------------------------------------------------------------------
// command
// -------------------------------------------------------------------------------------

interface RiskFlags {
  readonly history?: string
  readonly method: 'hs' | 'fhs'
  readonly horizon: number
  readonly scenarios: number
  readonly varConfidence: number
  readonly esConfidence: number
  readonly spotVolBeta: number
  readonly backtest?: boolean
  readonly window: number
  readonly underlying?: string
  readonly format: 'json' | 'csv'
  readonly out?: string
}

/**
 * Registers `risk`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  program
    .command('risk')
    .description(
      'VaR and ES per account and for the book (historical simulation, full revaluation through the surface)',
    )
    .argument('<snapshot>', 'market snapshot (Deribit chain or order-book CSV, snapshot JSON)')
    .argument('<accounts>', 'accounts JSON (array; schema in docs/methodology/liquidation.md)')
    .option(
      '--history <file>',
      `daily price history CSV (timestamp,close,…) (default: ${DEFAULT_HISTORY_FILE})`,
    )
    .addOption(
      new Option('--method <method>', "hs: plain returns; fhs: EWMA-filtered to today's volatility")
        .choices(['hs', 'fhs'])
        .default('fhs'),
    )
    .addOption(
      new Option('--horizon <days>', 'horizon in days (overlapping h-day returns)')
        .argParser(positiveInt)
        .default(1),
    )
    .addOption(
      new Option('--scenarios <n>', 'use the last n scenarios of the history')
        .argParser(positiveInt)
        .default(1000),
    )
    .addOption(new Option('--var-confidence <c>', 'VaR confidence').argParser(numberIn(0, 1)).default(0.99))
    .addOption(new Option('--es-confidence <c>', 'ES confidence').argParser(numberIn(0, 1)).default(0.975))
    .addOption(
      new Option('--spot-vol-beta <beta>', 'vols move by e^(−β·r) − 1 for a spot log return r')
        .argParser(numberIn(-Infinity, Infinity))
        .default(1),
    )
    .option('--backtest', 'add the rolling one-day VaR backtest of the underlying (Kupiec POF)')
    .addOption(new Option('--window <days>', 'backtest look-back window').argParser(positiveInt).default(500))
    .option('-u, --underlying <symbol>', 'underlying to risk when the accounts span several')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action((snapshotFile: string, accountsFile: string, opts: RiskFlags) => {
      const { history, file } = loadHistory(opts.history, ctx)
      const scenarios = historicalScenarios(history, {
        method: opts.method,
        horizonDays: opts.horizon,
        count: opts.scenarios,
        spotVolBeta: opts.spotVolBeta,
      })
      if (scenarios.length === 0)
        throw new CliInputError(`${file}: too short for a ${String(opts.horizon)}-day horizon`)
      const { market, accounts } = loadBook(snapshotFile, accountsFile, ctx, { underlying: opts.underlying })
      if (opts.history === undefined && market.underlying !== 'BTC')
        throw new CliInputError(
          `no history for ${market.underlying}: the default history (${DEFAULT_HISTORY_FILE}) is BTC's; pass --history`,
        )
      const pf = portfolioOf(accounts, market.set.marks, market.surface)
      if (E.isLeft(pf)) throw new CliInputError(`${snapshotFile}: ${pf.left.message}`)
      const risk = valueAtRisk(pf.right, scenarios, {
        varConfidence: opts.varConfidence,
        esConfidence: opts.esConfidence,
      })
      const book = pf.right.book
      const bt =
        opts.backtest === true
          ? backtestOutput(
              rollingVarBacktest(logReturns(history.closes), {
                window: opts.window,
                confidence: opts.varConfidence,
                method: opts.method,
              }),
              history,
            )
          : undefined
      const out: RiskOutput = {
        schema: 'mark-to-model/risk@1',
        underlying: market.underlying,
        asOf: market.set.asOf,
        spot: pf.right.market.spot,
        history: {
          file,
          from: history.dates[0] as string,
          to: history.dates[history.dates.length - 1] as string,
          closes: history.closes.length,
        },
        config: {
          method: opts.method,
          horizonDays: opts.horizon,
          scenarios: scenarios.length,
          varConfidence: opts.varConfidence,
          esConfidence: opts.esConfidence,
          spotVolBeta: opts.spotVolBeta,
          volRule: 'flat',
        },
        book: {
          varUsd: risk.var,
          esUsd: risk.es,
          accounts: book.count - book.errors.filter((e) => e !== undefined).length,
          worstScenarios: worstScenarios(risk),
        },
        accounts: book.ids.map((account, a) => ({
          account,
          varUsd: finite(risk.accountVar[a]),
          esUsd: finite(risk.accountEs[a]),
          error: book.errors[a]?.message ?? null,
        })),
        ...(bt === undefined ? {} : { backtest: bt }),
      }
      for (const a of out.accounts) if (a.error !== null) ctx.stderr.write(`${accountsFile}: ${a.error}\n`)
      ctx.stderr.write(
        `risk: ${market.underlying} book of ${String(out.book.accounts)} accounts, ${String(scenarios.length)} ${opts.method} scenarios ` +
          `(${String(opts.horizon)}d): VaR${String(100 * opts.varConfidence)} ${risk.var.toFixed(2)} USD, ES${String(100 * opts.esConfidence)} ${risk.es.toFixed(2)} USD` +
          (bt === undefined
            ? ''
            : `; backtest ${String(bt.exceptions)}/${String(bt.observations)} exceptions (expected ${bt.expectedExceptions.toFixed(1)}), Kupiec p = ${bt.pValue.toPrecision(3)}`) +
          '\n',
      )
      emit(opts.format === 'csv' ? riskToCsv(out) : toJson(out), opts.out, ctx)
      if (book.count > 0 && out.book.accounts === 0)
        throw new CliInputError(`${accountsFile}: no account could be valued (${String(book.count)} failed)`)
    })
}
