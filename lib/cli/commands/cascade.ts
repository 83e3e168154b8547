/**
 * `mtm cascade <snapshot> <accounts.json> --shock -0.15 [--depth linear:1e-9 | sqrt:0.02:1e6]
 * [--insurance-fund usd] [--preset name] [--spot-vol-beta 1] [--max-rounds 100]
 * [--format json|csv]`: liquidation-cascade simulation (lib/risk `simulateCascade`): the spot
 * shock makes accounts liquidatable, the liquidator's delta hedges trade against the depth curve
 * and move spot, the surface moves with it, repeat until no new account is liquidatable.
 *
 * Depth: `linear:c` moves spot by ΔS/S = c·N for a signed USD notional N (1e-9 = 0.1 % per
 * $1M); `sqrt:c:ref` by ΔS/S = c·sign(N)·√(|N|/ref) (square-root law).
 *
 * JSON output ({@link CascadeOutput}): `{ schema: "mark-to-model/cascade@1", underlying, asOf,
 * spot, config: { shock, depth, preset, spotVolBeta, insuranceFundUsd, maxRounds }, rounds:
 * [{ round, spot, liquidated, notionalUsd, hedgeUnits, impact, insuranceDrawUsd,
 * socialisedLossUsd }], pricePath, liquidatedAccounts, liquidatedNotionalUsd,
 * insuranceFundStartUsd, insuranceFundEndUsd, insuranceDrawnUsd, socialisedLossUsd, totalMove,
 * noFeedback, amplification, truncated }`. CSV ({@link CASCADE_CSV_COLUMNS}): one row per round.
 *
 * @module
 * @since 0.1.0
 */
import { type Command, InvalidArgumentError, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { DEFAULT_LIQUIDATION_CONFIG, MARGIN_PRESETS } from '../../liquidation/presets.js'
import { type CascadeResult, type DepthCurve, simulateCascade } from '../../risk/cascade.js'
import { portfolioOf } from '../../risk/portfolio.js'
import { CliInputError, type CliContext } from '../context.js'
import { csvCell, toJson } from '../format.js'
import { emit, loadBook, numberIn, positiveInt } from '../market.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The JSON document `mtm cascade` writes: the configuration echoed, then the cascade result.
 *
 * @category model
 * @since 0.1.0
 */
export interface CascadeOutput extends CascadeResult {
  /** Schema tag. */
  readonly schema: 'mark-to-model/cascade@1'
  /** Underlying. */
  readonly underlying: string
  /** Snapshot instant. */
  readonly asOf: string
  /** Spot before the shock. */
  readonly spot: number
  /** Configuration, defaults filled in. */
  readonly config: {
    readonly shock: number
    readonly depth: DepthCurve
    readonly preset: string
    readonly spotVolBeta: number
    readonly insuranceFundUsd: number
    readonly maxRounds: number
  }
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The default `--depth`: linear, 1e-9 per USD (0.1 % per $1M traded).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_DEPTH = 'linear:1e-9'

/**
 * CSV columns of `mtm cascade --format csv`, one row per round (`liquidated` joined by `;`).
 *
 * @category cli
 * @since 0.1.0
 */
export const CASCADE_CSV_COLUMNS = [
  'round',
  'spot',
  'liquidated_accounts',
  'liquidated',
  'notional_usd',
  'hedge_units',
  'impact',
  'insurance_draw_usd',
  'socialised_loss_usd',
] as const

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/**
 * Parses `--depth`: `linear:<coefficient>` or `sqrt:<coefficient>:<referenceUsd>`, coefficient
 * ≥ 0 and finite, reference > 0. Anything else throws commander's `InvalidArgumentError` (exit 2).
 *
 * Verified by spec/cli/stress.spec.ts.
 *
 * @example
 * parseDepth('sqrt:0.02:1e6') // { model: 'sqrt', coefficient: 0.02, referenceUsd: 1e6 }
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseDepth = (text: string): DepthCurve => {
  const p = text.split(':').map((s) => s.trim())
  const num = (s: string | undefined): number => (s === undefined || s === '' ? NaN : Number(s))
  const c = num(p[1])
  if (p[0] === 'linear' && p.length === 2 && Number.isFinite(c) && c >= 0)
    return { model: 'linear', coefficient: c, referenceUsd: 1 }
  const ref = num(p[2])
  if (p[0] === 'sqrt' && p.length === 3 && Number.isFinite(c) && c >= 0 && Number.isFinite(ref) && ref > 0)
    return { model: 'sqrt', coefficient: c, referenceUsd: ref }
  throw new InvalidArgumentError(
    'must be linear:<coefficient ≥ 0> or sqrt:<coefficient ≥ 0>:<reference USD > 0>',
  )
}

/**
 * Cascade rounds as CSV ({@link CASCADE_CSV_COLUMNS}).
 *
 * @category parsing
 * @since 0.1.0
 */
export const cascadeToCsv = (c: CascadeResult): string =>
  [
    CASCADE_CSV_COLUMNS.join(','),
    ...c.rounds.map((r) =>
      [
        r.round,
        r.spot,
        r.liquidated.length,
        r.liquidated.join(';'),
        r.notionalUsd,
        r.hedgeUnits,
        r.impact,
        r.insuranceDrawUsd,
        r.socialisedLossUsd,
      ]
        .map(csvCell)
        .join(','),
    ),
  ].join('\n') + '\n'

// -------------------------------------------------------------------------------------
// command
// -------------------------------------------------------------------------------------

interface CascadeFlags {
  readonly shock: number
  readonly depth: DepthCurve
  readonly insuranceFund?: number
  readonly preset: string
  readonly spotVolBeta: number
  readonly maxRounds: number
  readonly underlying?: string
  readonly format: 'json' | 'csv'
  readonly out?: string
}

/**
 * Registers `cascade`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  program
    .command('cascade')
    .description(
      'liquidation cascade: a spot shock, liquidations and hedges against a depth curve, repeated until none is new',
    )
    .argument('<snapshot>', 'market snapshot (Deribit chain or order-book CSV, snapshot JSON)')
    .argument('<accounts>', 'accounts JSON (array; schema in docs/methodology/liquidation.md)')
    .addOption(
      new Option('--shock <move>', 'initial relative spot move, e.g. -0.15')
        .argParser(numberIn(-1, Infinity))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--depth <curve>', 'price impact: linear:<per USD> or sqrt:<coefficient>:<reference USD>')
        .argParser(parseDepth)
        .default(parseDepth(DEFAULT_DEPTH), DEFAULT_DEPTH),
    )
    .addOption(
      new Option(
        '--insurance-fund <usd>',
        `insurance fund balance, USD (default ${String(DEFAULT_LIQUIDATION_CONFIG.fees.insuranceFundUsd)})`,
      ).argParser(numberIn(0, Infinity, 'closed')),
    )
    .addOption(
      new Option('--preset <name>', 'margin preset deciding liquidatability')
        .choices(Object.keys(MARGIN_PRESETS))
        .default('deribit-standard'),
    )
    .addOption(
      new Option('--spot-vol-beta <beta>', 'vols move by e^(−β·ln M) − 1 with spot multiplier M')
        .argParser(numberIn(-Infinity, Infinity))
        .default(1),
    )
    .addOption(new Option('--max-rounds <n>', 'round limit').argParser(positiveInt).default(100))
    .option('-u, --underlying <symbol>', 'underlying when the accounts span several')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action((snapshotFile: string, accountsFile: string, opts: CascadeFlags) => {
      const preset = MARGIN_PRESETS[opts.preset]
      if (preset === undefined) throw new CliInputError(`unknown preset ${opts.preset}`)
      const { market, accounts } = loadBook(snapshotFile, accountsFile, ctx, { underlying: opts.underlying })
      const pf = portfolioOf(accounts, market.set.marks, market.surface)
      if (E.isLeft(pf)) throw new CliInputError(`${snapshotFile}: ${pf.left.message}`)
      const fees = {
        ...DEFAULT_LIQUIDATION_CONFIG.fees,
        insuranceFundUsd: opts.insuranceFund ?? DEFAULT_LIQUIDATION_CONFIG.fees.insuranceFundUsd,
      }
      const res = simulateCascade(pf.right.book, pf.right.market, {
        initialShock: opts.shock,
        depth: opts.depth,
        preset,
        spotVolBeta: opts.spotVolBeta,
        fees,
        maxRounds: opts.maxRounds,
      })
      const out: CascadeOutput = {
        schema: 'mark-to-model/cascade@1',
        underlying: market.underlying,
        asOf: market.set.asOf,
        spot: pf.right.market.spot,
        config: {
          shock: opts.shock,
          depth: opts.depth,
          preset: `${preset.name}@${String(preset.version)}`,
          spotVolBeta: opts.spotVolBeta,
          insuranceFundUsd: fees.insuranceFundUsd,
          maxRounds: opts.maxRounds,
        },
        ...res,
      }
      ctx.stderr.write(
        `cascade: ${market.underlying} shock ${String(opts.shock)}: ${String(res.rounds.length)} rounds, ${String(res.liquidatedAccounts)} accounts ` +
          `(${String(res.noFeedback.liquidatedAccounts)} without feedback), total move ${(100 * res.totalMove).toFixed(3)}%, ` +
          `amplification ${res.amplification.toFixed(4)}, socialised loss ${res.socialisedLossUsd.toFixed(2)} USD${res.truncated ? ' (truncated)' : ''}\n`,
      )
      emit(opts.format === 'csv' ? cascadeToCsv(res) : toJson(out), opts.out, ctx)
    })
}
