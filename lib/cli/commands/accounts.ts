/**
 * `mtm accounts <snapshot> <accounts.json> [--format json|csv] [--preset name] [--quick]`:
 * assesses every account against the snapshot's marks and fitted surface — equity, margin,
 * status, liquidation prices, liquidation cost, plan and fees (see `lib/liquidation`). When the
 * snapshot holds order-book depth (Deribit order-book layout), closing costs walk the book.
 *
 * @module
 * @since 0.1.0
 */
import { resolve } from 'node:path'
import { type Command, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import type { AccountAssessment } from '../../domain/assessment.js'
import { assessAccount } from '../../liquidation/assess.js'
import { MARGIN_PRESETS, liquidationConfig } from '../../liquidation/presets.js'
import { CliInputError, type CliContext } from '../context.js'
import { csvCell, toJson } from '../format.js'
import { writeTextFile } from '../load.js'
import { loadMarkets, noMarketReason, readAccounts, underlyingOf } from '../market.js'

/**
 * CSV columns of `mtm accounts --format csv`, one row per account.
 *
 * @category cli
 * @since 0.1.0
 */
export const ACCOUNT_CSV_COLUMNS = [
  'account',
  'status',
  'preset',
  'equity_usd',
  'equity_coin',
  'im_usd',
  'mm_usd',
  'im_usage',
  'mm_usage',
  'liq_price_below',
  'liq_price_above',
  'liq_cost_usd',
  'plan_steps',
  'plan_achieved',
  'plan_cost_usd',
  'socialised_loss_usd',
  'decided_by',
] as const

/**
 * Assessments as CSV ({@link ACCOUNT_CSV_COLUMNS}).
 *
 * @category cli
 * @since 0.1.0
 */
export const assessmentsToCsv = (rows: readonly AccountAssessment[]): string =>
  [
    ACCOUNT_CSV_COLUMNS.join(','),
    ...rows.map((a) =>
      [
        a.account,
        a.status,
        `${a.preset.name}@${String(a.preset.version)}`,
        a.equityUsd,
        a.equityCoin,
        a.initialMarginUsd,
        a.maintenanceMarginUsd,
        a.marginUsage.initial,
        a.marginUsage.maintenance,
        a.liquidationPrices?.below,
        a.liquidationPrices?.above,
        a.liquidationCost?.totalUsd,
        a.plan?.steps.length,
        a.plan?.achieved,
        a.plan?.totalCostUsd,
        a.fees?.socialisedLossUsd,
        a.decidedBy.rule,
      ]
        .map(csvCell)
        .join(','),
    ),
  ].join('\n') + '\n'

/**
 * Registers `accounts`.
 *
 * @category cli
 * @since 0.1.0
 */
export const register = (program: Command, ctx: CliContext): void => {
  program
    .command('accounts')
    .description('assess accounts: equity, margin, status, liquidation prices, liquidation cost, plan, fees')
    .argument('<snapshot>', 'market snapshot (Deribit chain or order-book CSV, snapshot JSON)')
    .argument('<accounts>', 'accounts JSON (array; schema in docs/methodology/liquidation.md)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .addOption(
      new Option('--preset <name>', 'margin preset')
        .choices(Object.keys(MARGIN_PRESETS))
        .default('deribit-standard'),
    )
    .option('-q, --quick', 'equity, margin and status only (no liquidation prices, cost, plan, fees)')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(
      (
        snapshotFile: string,
        accountsFile: string,
        opts: { format: 'json' | 'csv'; preset: string; quick?: boolean; out?: string },
      ) => {
        const accounts = readAccounts(accountsFile, ctx)
        const wanted = new Set(accounts.map(underlyingOf).filter((u): u is string => u !== undefined))
        const markets = loadMarkets(snapshotFile, ctx, { wanted })
        const preset = MARGIN_PRESETS[opts.preset]
        if (preset === undefined) throw new CliInputError(`unknown preset ${opts.preset}`)
        const out: AccountAssessment[] = []
        let failed = 0
        for (const a of accounts) {
          const u = underlyingOf(a)
          const m = u === undefined ? undefined : markets.get(u)
          if (m === undefined) {
            failed++
            ctx.stderr.write(`${accountsFile}: account ${a.id}: ${noMarketReason(a)}\n`)
            continue
          }
          const r = assessAccount(
            a,
            m.set.marks,
            m.surface,
            liquidationConfig({
              preset,
              full: opts.quick !== true,
              depth: m.depth.size > 0 ? m.depth : undefined,
            }),
          )
          if (E.isLeft(r)) {
            failed++
            ctx.stderr.write(`${accountsFile}: ${r.left.message}\n`)
            continue
          }
          out.push(r.right)
        }
        const counts = new Map<string, number>()
        for (const a of out) counts.set(a.status, (counts.get(a.status) ?? 0) + 1)
        ctx.stderr.write(
          `accounts: ${String(out.length)} assessed, ${String(failed)} failed${counts.size === 0 ? '' : ` (${[...counts].map(([k, v]) => `${k} ${String(v)}`).join(', ')})`} with ${preset.name}@${String(preset.version)}\n`,
        )
        const text = opts.format === 'csv' ? assessmentsToCsv(out) : toJson(out)
        if (opts.out === undefined) ctx.stdout.write(text)
        else writeTextFile(resolve(ctx.cwd, opts.out), opts.out, text)
        // Some accounts assessed: exit 0 (the failures are on stderr and counted). None: an input error.
        if (out.length === 0 && failed > 0)
          throw new CliInputError(`${accountsFile}: no account could be assessed (${String(failed)} failed)`)
      },
    )
}
