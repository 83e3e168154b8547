/**
 * `mtm stress <snapshot> <accounts.json> [--history file] [--grid "spot1,…:vol1,…"]
 * [--worst-days N] [--dates d1,d2] [--preset name] [--format json|csv]`: applies named historical
 * days (2020-03-12, 2021-05-19 and the N worst one-day falls of the history, with the spot–vol
 * rule's vol shock) and a user grid of spot × vol shocks to every account (lib/risk `stressTest`,
 * full revaluation): P&L, status before and after, headroom (equity − MM) and liquidation prices
 * on the shocked market.
 *
 * JSON output ({@link StressOutput}): `{ schema: "mark-to-model/stress@1", underlying, asOf,
 * spot, preset, history, scenarios: [{ name, date, spotMove, volShock, spotAfter }],
 * missingDates, rows: [{ account, scenario, pnlUsd, equityUsd, mmUsd, statusBefore, statusAfter,
 * headroomUsd, liquidationBelow, liquidationAbove }] }` (rows scenario-major; a liquidation price
 * is a number, `"none"`, or null when not searched). CSV ({@link STRESS_CSV_COLUMNS}): one row per
 * (scenario, account).
 *
 * @module
 * @since 0.1.0
 */
import { type Command, InvalidArgumentError, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { MARGIN_PRESETS } from '../../liquidation/presets.js'
import { portfolioOf } from '../../risk/portfolio.js'
import { type RiskScenario, historicalStressScenarios, stressGrid } from '../../risk/scenarios.js'
import { type StressRow, stressTest } from '../../risk/stress.js'
import { CliInputError, type CliContext } from '../context.js'
import { csvCell, toJson } from '../format.js'
import { DEFAULT_HISTORY_FILE, emit, loadBook, loadHistory, numberIn } from '../market.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parsed `--grid`: relative spot moves and relative vol shocks (every pair is a scenario).
 *
 * @category model
 * @since 0.1.0
 */
export interface GridSpec {
  /** Relative spot moves, each in (−1, ∞). */
  readonly spotMoves: readonly number[]
  /** Relative vol shocks, each in (−1, ∞). */
  readonly volShocks: readonly number[]
}

/**
 * The JSON document `mtm stress` writes (see the module comment).
 *
 * @category model
 * @since 0.1.0
 */
export interface StressOutput {
  /** Schema tag. */
  readonly schema: 'mark-to-model/stress@1'
  /** Underlying. */
  readonly underlying: string
  /** Snapshot instant. */
  readonly asOf: string
  /** Spot before the shocks. */
  readonly spot: number
  /** Margin preset deciding status, `name@version`. */
  readonly preset: string
  /** History file the named days come from. */
  readonly history: { readonly file: string; readonly from: string; readonly to: string }
  /** Scenarios in order. */
  readonly scenarios: readonly {
    readonly name: string
    readonly date: string | null
    readonly spotMove: number
    readonly volShock: number
    readonly spotAfter: number
  }[]
  /** Requested dates not in the history. */
  readonly missingDates: readonly string[]
  /** One row per (scenario, account), scenario-major. */
  readonly rows: readonly StressRow[]
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The default `--grid`: spot −30 % … +20 % × vol unchanged / +50 %.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_STRESS_GRID = '-0.3,-0.2,-0.1,0.1,0.2:0,0.5'

/**
 * CSV columns of `mtm stress --format csv`, one row per (scenario, account).
 *
 * @category cli
 * @since 0.1.0
 */
export const STRESS_CSV_COLUMNS = [
  'scenario',
  'date',
  'spot_move',
  'vol_shock',
  'spot_after',
  'account',
  'pnl_usd',
  'equity_usd',
  'mm_usd',
  'status_before',
  'status_after',
  'headroom_usd',
  'liq_price_below',
  'liq_price_above',
] as const

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const shockList = (text: string, what: string): number[] => {
  const parts = text.split(',').map((p) => p.trim())
  return parts.map((p) => {
    const pct = p.endsWith('%')
    const x = Number(pct ? p.slice(0, -1) : p) / (pct ? 100 : 1)
    if (p === '' || p === '%' || !Number.isFinite(x) || !(x > -1))
      throw new InvalidArgumentError(
        `${what} '${p}' must be a number > −1 (a decimal like -0.2 or a percentage like -20%)`,
      )
    return x
  })
}

/**
 * Parses `--grid "spot1,spot2,…:vol1,vol2,…"`: relative moves as decimals (`-0.2`) or percentages
 * (`-20%`), each > −1. Anything else throws commander's `InvalidArgumentError` (a usage error,
 * exit 2, one line).
 *
 * Verified by spec/cli/stress.spec.ts.
 *
 * @example
 * parseGrid('-0.2,0.1:0,50%') // { spotMoves: [-0.2, 0.1], volShocks: [0, 0.5] }
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseGrid = (text: string): GridSpec => {
  const halves = text.split(':')
  if (halves.length !== 2) throw new InvalidArgumentError('must be "spot1,spot2,…:vol1,vol2,…" (one colon)')
  return {
    spotMoves: shockList(halves[0] as string, 'spot move'),
    volShocks: shockList(halves[1] as string, 'vol shock'),
  }
}

const countArg = (v: string): number => {
  if (!/^\s*\d{1,6}\s*$/.test(v)) throw new InvalidArgumentError('must be a whole number ≥ 0')
  return Number(v)
}

const dateList = (text: string): string[] => {
  if (text.trim() === '') return []
  const ds = text.split(',').map((d) => d.trim())
  for (const d of ds) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new InvalidArgumentError(`date '${d}' must be YYYY-MM-DD`)
    const t = Date.parse(`${d}T00:00:00Z`)
    if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== d)
      throw new InvalidArgumentError(`date '${d}' is not a calendar date`)
  }
  return ds
}

/**
 * Stress output as CSV ({@link STRESS_CSV_COLUMNS}).
 *
 * @category parsing
 * @since 0.1.0
 */
export const stressToCsv = (s: StressOutput): string => {
  const byName = new Map(s.scenarios.map((x) => [x.name, x]))
  return (
    [
      STRESS_CSV_COLUMNS.join(','),
      ...s.rows.map((r) => {
        const sc = byName.get(r.scenario)
        return [
          r.scenario,
          sc?.date,
          sc?.spotMove,
          sc?.volShock,
          sc?.spotAfter,
          r.account,
          r.pnlUsd,
          r.equityUsd,
          r.mmUsd,
          r.statusBefore,
          r.statusAfter,
          r.headroomUsd,
          r.liquidationBelow,
          r.liquidationAbove,
        ]
          .map(csvCell)
          .join(',')
      }),
    ].join('\n') + '\n'
  )
}

// -------------------------------------------------------------------------------------
// command
// -------------------------------------------------------------------------------------

interface StressFlags {
  readonly history?: string
  readonly grid: GridSpec
  readonly worstDays: number
  readonly dates: string[]
  readonly preset: string
  readonly spotVolBeta: number
  readonly liquidationPrices: boolean
  readonly underlying?: string
  readonly format: 'json' | 'csv'
  readonly out?: string
}

/**
 * Registers `stress`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  program
    .command('stress')
    .description(
      'stress accounts: named historical days and a spot × vol grid → P&L, status after, headroom, liquidation prices',
    )
    .argument('<snapshot>', 'market snapshot (Deribit chain or order-book CSV, snapshot JSON)')
    .argument('<accounts>', 'accounts JSON (array; schema in docs/methodology/liquidation.md)')
    .option('--history <file>', `daily price history CSV (default: ${DEFAULT_HISTORY_FILE})`)
    .addOption(
      new Option(
        '--grid <spec>',
        'spot moves : vol shocks, relative ("-0.2,-0.1:0,0.5" or "-20%,-10%:0,50%")',
      )
        .argParser(parseGrid)
        .default(parseGrid(DEFAULT_STRESS_GRID), `"${DEFAULT_STRESS_GRID}"`),
    )
    .addOption(
      new Option('--worst-days <n>', 'also the n largest one-day falls of the history (0: none)')
        .argParser(countArg)
        .default(5),
    )
    .addOption(
      new Option('--dates <list>', 'named historical days (YYYY-MM-DD, comma-separated; "" for none)')
        .argParser(dateList)
        .default(['2020-03-12', '2021-05-19'], '2020-03-12,2021-05-19'),
    )
    .addOption(
      new Option('--preset <name>', 'margin preset deciding status')
        .choices(Object.keys(MARGIN_PRESETS))
        .default('deribit-standard'),
    )
    .addOption(
      new Option('--spot-vol-beta <beta>', 'historical days: vols move by e^(−β·r) − 1')
        .argParser(numberIn(-Infinity, Infinity))
        .default(1),
    )
    .option('--no-liquidation-prices', 'skip the liquidation-price search on the shocked markets')
    .option('-u, --underlying <symbol>', 'underlying to stress when the accounts span several')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action((snapshotFile: string, accountsFile: string, opts: StressFlags) => {
      const { history, file } = loadHistory(opts.history, ctx)
      const named = historicalStressScenarios(history, {
        dates: opts.dates,
        worstDays: opts.worstDays,
        spotVolBeta: opts.spotVolBeta,
      })
      for (const d of named.missing)
        ctx.stderr.write(`${file}: no close for ${d} (or no day before it): scenario skipped\n`)
      const scenarios: RiskScenario[] = [
        ...named.scenarios,
        ...stressGrid(opts.grid.spotMoves, opts.grid.volShocks),
      ]
      const preset = MARGIN_PRESETS[opts.preset]
      if (preset === undefined) throw new CliInputError(`unknown preset ${opts.preset}`)
      const { market, accounts } = loadBook(snapshotFile, accountsFile, ctx, { underlying: opts.underlying })
      if (opts.history === undefined && market.underlying !== 'BTC')
        ctx.stderr.write(
          `stress: the historical days are BTC's moves (default history ${DEFAULT_HISTORY_FILE}), applied to ${market.underlying}; pass --history for ${market.underlying}'s own\n`,
        )
      const pf = portfolioOf(accounts, market.set.marks, market.surface)
      if (E.isLeft(pf)) throw new CliInputError(`${snapshotFile}: ${pf.left.message}`)
      let failedAccounts = 0
      for (let a = 0; a < pf.right.book.count; a++) {
        const e = pf.right.book.errors[a]
        if (e !== undefined) {
          failedAccounts++
          ctx.stderr.write(`${accountsFile}: ${e.message}\n`)
        }
      }
      const res = stressTest(pf.right, scenarios, { preset, liquidationPrices: opts.liquidationPrices })
      const out: StressOutput = {
        schema: 'mark-to-model/stress@1',
        underlying: market.underlying,
        asOf: market.set.asOf,
        spot: pf.right.market.spot,
        preset: res.preset,
        history: {
          file,
          from: history.dates[0] as string,
          to: history.dates[history.dates.length - 1] as string,
        },
        scenarios: scenarios.map((s, i) => ({
          name: s.name,
          date: s.date,
          spotMove: s.spotMove,
          volShock: s.volShock,
          spotAfter: res.spots[i] as number,
        })),
        missingDates: named.missing,
        rows: res.rows,
      }
      const worse = res.rows.filter((r) => r.statusAfter !== r.statusBefore).length
      ctx.stderr.write(
        `stress: ${market.underlying} ${String(pf.right.book.count - failedAccounts)} accounts${failedAccounts === 0 ? '' : ` (${String(failedAccounts)} failed)`} × ${String(scenarios.length)} scenarios with ${res.preset}: ` +
          `${String(worse)} status changes, ${String(res.rows.filter((r) => r.headroomUsd < 0).length)} rows below MM\n`,
      )
      emit(opts.format === 'csv' ? stressToCsv(out) : toJson(out), opts.out, ctx)
      if (failedAccounts > 0 && failedAccounts === pf.right.book.count)
        throw new CliInputError(
          `${accountsFile}: no account could be stressed (${String(failedAccounts)} failed)`,
        )
    })
}
