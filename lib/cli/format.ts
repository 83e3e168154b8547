/**
 * Output formats of the CLI: marks as JSON or CSV, one-line summaries. Deterministic text: the
 * same marks give the same bytes.
 *
 * @module
 * @since 0.1.0
 */
import type { MarkRecord } from '../domain/mark.js'
import type { MarkSet } from '../marking/mark.js'

/**
 * CSV columns of `mtm mark --format csv`, in order.
 *
 * @category cli
 * @since 0.1.0
 */
export const MARK_CSV_COLUMNS = [
  'instrument',
  'underlying',
  'kind',
  'strike',
  'expiry',
  'expiryYears',
  'forward',
  'premium',
  'bid',
  'ask',
  'markPrice',
  'markIv',
  'source',
  'bound',
  'model',
  'modelPrice',
  'modelIv',
  'lower',
  'upper',
  'verdict',
  'reasons',
  'parameterSet',
  'fingerprint',
] as const

/**
 * One CSV cell, the one escaping every CSV output of the CLI uses: RFC 4180 quoting (a cell
 * holding `"`, `,`, `\n` or `\r` is wrapped in quotes, inner quotes doubled); `null`,
 * `undefined` and non-finite numbers are empty.
 *
 * Verified by spec/cli/format.spec.ts.
 *
 * @category cli
 * @since 0.1.0
 */
export const csvCell = (x: unknown): string => {
  if (x === null || x === undefined) return ''
  const s = typeof x === 'number' ? (Number.isFinite(x) ? String(x) : '') : String(x)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * Marks as CSV (RFC 4180 quoting, `\n` line ends, header first; reasons joined by `; `).
 *
 * @category cli
 * @since 0.1.0
 */
export const marksToCsv = (marks: readonly MarkRecord[]): string => {
  const lines = [MARK_CSV_COLUMNS.join(',')]
  for (const m of marks) {
    const row: Record<(typeof MARK_CSV_COLUMNS)[number], unknown> = {
      ...m,
      verdict: m.liquidity.verdict,
      reasons: m.liquidity.reasons.join('; '),
    }
    lines.push(MARK_CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))
  }
  return lines.join('\n') + '\n'
}

/**
 * Pretty JSON with a trailing newline (NaN and ±Infinity become null, as JSON requires).
 *
 * @category cli
 * @since 0.1.0
 */
export const toJson = (value: unknown): string => JSON.stringify(value, null, 2) + '\n'

/**
 * One summary line of a mark set, e.g.
 * `BTC 2026-08-22T15:33:51.683Z deribit-v2: 1038 listed, 1038 marked (448 market, 590 model), 0 unmarked, 0 rejected rows, 3 warning rows`.
 *
 * @category cli
 * @since 0.1.0
 */
export const summaryLine = (s: MarkSet): string => {
  const c = s.counts
  return (
    `${s.underlying} ${s.asOf} ${s.parameters.name}: ${c.listed} listed, ${c.marked} marked ` +
    `(${c.market} market, ${c.model} model), ${c.unmarked} unmarked, ${c.rejectedRows} rejected rows, ${c.warningRows} warning rows`
  )
}

/**
 * Left-aligned text table (first column left, the rest right-aligned).
 *
 * @category cli
 * @since 0.1.0
 */
export const textTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i] as number) : c.padStart(w[i] as number))).join('  ')
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n') + '\n'
}
