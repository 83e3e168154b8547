// `mtm risk` end to end, in-process, on the example chain (examples/deribit_options_snapshot_
// 20260822T153351Z.csv), examples/accounts.json plus one account holding 1 BTC and nothing else,
// and the example BTC history. The 1-BTC account's VaR and ES are worked by hand from the history
// here (its P&L in scenario s is S·(e^{r_s} − 1)), independently of lib/risk.
import { readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { RISK_CSV_COLUMNS, type RiskOutput } from '../../lib/cli/commands/risk.js'
import { accountsPlusHodl, mtm, oneLine, type RunResult } from './run.js'

const CHAIN = 'examples/deribit_options_snapshot_20260822T153351Z.csv'
const HISTORY = 'examples/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv'
const TMP = '/tmp/mtm-spec-risk'
const ACCOUNTS = accountsPlusHodl(TMP)

/** The last n one-day simple returns e^r − 1 of the history, read here from the CSV text. */
const lastReturns = (n: number): number[] => {
  const lines = readFileSync(HISTORY, 'utf8').trim().split('\n')
  const header = (lines[0] as string).split(',')
  const ci = header.indexOf('close')
  const closes = lines.slice(1).map((l) => Number(l.split(',')[ci]))
  const out: number[] = []
  for (let i = closes.length - n; i < closes.length; i++)
    out.push((closes[i] as number) / (closes[i - 1] as number) - 1)
  return out
}

describe('mtm risk', () => {
  let hs: RunResult
  let doc: RiskOutput
  beforeAll(async () => {
    hs = await mtm([
      'risk',
      CHAIN,
      ACCOUNTS,
      '--method',
      'hs',
      '--scenarios',
      '100',
      '--es-confidence',
      '0.99',
      '--backtest',
    ])
    doc = JSON.parse(hs.stdout) as RiskOutput
  }, 120_000)

  it('json: documented shape, one entry per account, configuration echoed', () => {
    expect(hs.code).toBe(0)
    expect(Object.keys(doc)).toEqual([
      'schema',
      'underlying',
      'asOf',
      'spot',
      'history',
      'config',
      'book',
      'accounts',
      'backtest',
    ])
    expect(doc.schema).toBe('mark-to-model/risk@1')
    expect(doc.underlying).toBe('BTC')
    expect(doc.asOf).toBe('2026-08-22T15:33:51.683Z')
    expect(doc.history).toEqual({ file: HISTORY, from: '2011-08-18', to: '2025-09-24', closes: 5152 })
    expect(doc.config).toEqual({
      method: 'hs',
      horizonDays: 1,
      scenarios: 100,
      varConfidence: 0.99,
      esConfidence: 0.99,
      spotVolBeta: 1,
      volRule: 'flat',
    })
    expect(doc.accounts).toHaveLength(16)
    expect(doc.book.accounts).toBe(16)
    expect(doc.book.worstScenarios).toHaveLength(5)
    for (const a of doc.accounts) {
      expect(Object.keys(a)).toEqual(['account', 'varUsd', 'esUsd', 'error'])
      expect(a.error).toBeNull()
      expect(Number.isFinite(a.varUsd)).toBe(true)
    }
    expect(hs.stderr).toMatch(
      /^risk: BTC book of 16 accounts, 100 hs scenarios \(1d\): VaR99 .* ES99 .*; backtest \d+\/\d+ exceptions/m,
    )
  })

  it('the 1-BTC account: VaR and ES worked by hand from the last 100 returns', () => {
    // n = 100, p = 0.01: w = 1, VaR = −x(2); ES = −(x(1) + 0·x(2))/1 = −x(1) (Acerbi–Tasche, np = 1)
    const x = lastReturns(100)
      .map((r) => doc.spot * r)
      .sort((a, b) => a - b)
    const hodl = doc.accounts.find((a) => a.account === 'hodl')
    expect(hodl?.varUsd).toBeCloseTo(-(x[1] as number), 6)
    expect(hodl?.esUsd).toBeCloseTo(-(x[0] as number), 6)
  })

  it('ES ≥ VaR at the same confidence for every account and the book; ES is subadditive', () => {
    for (const a of doc.accounts)
      expect((a.esUsd as number) + 1e-9).toBeGreaterThanOrEqual(a.varUsd as number)
    expect(doc.book.esUsd + 1e-9).toBeGreaterThanOrEqual(doc.book.varUsd)
    const sum = doc.accounts.reduce((s, a) => s + (a.esUsd as number), 0)
    expect(doc.book.esUsd).toBeLessThanOrEqual(sum * (1 + 1e-12))
    expect(-(doc.book.worstScenarios[0]?.pnlUsd as number)).toBeCloseTo(doc.book.esUsd, 6) // np = 1: ES is the worst loss
  })

  it('--backtest: rolling one-day VaR of the underlying with Kupiec', () => {
    const bt = doc.backtest
    expect(bt).toBeDefined()
    if (bt === undefined) return
    expect(bt.window).toBe(500)
    expect(bt.observations).toBe(5151 - 500)
    // the first backtested return is ln(close[501]/close[500]) (0-based): its date is row 501's
    const dates = readFileSync(HISTORY, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(0, 10))
    expect(bt.from).toBe(dates[501])
    expect(bt.to).toBe('2025-09-24')
    expect(bt.exceptions).toBe(bt.exceptionDates.length)
    expect(bt.expectedExceptions).toBeCloseTo(bt.observations * 0.01, 9)
    expect(bt.pValue).toBeGreaterThan(0)
    expect(bt.rejected).toBe(bt.pValue < 0.05)
  })

  it('csv: documented header, one row per account, then the book row', async () => {
    const r = await mtm([
      'risk',
      CHAIN,
      ACCOUNTS,
      '--method',
      'hs',
      '--scenarios',
      '100',
      '--es-confidence',
      '0.99',
      '--format',
      'csv',
    ])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(RISK_CSV_COLUMNS.join(','))
    expect(lines).toHaveLength(1 + 16 + 1)
    expect(lines[1]).toMatch(/^account,covered-call-sep,[\d.]+,[\d.]+,0\.99,0\.99,100,hs,1,$/)
    expect(lines[17]).toBe(`book,,${String(doc.book.varUsd)},${String(doc.book.esUsd)},0.99,0.99,100,hs,1,`)
  }, 120_000)

  it('fhs with a 10-day horizon runs (default history) and --out writes the file', async () => {
    const r = await mtm([
      'risk',
      CHAIN,
      'examples/accounts.json',
      '--horizon',
      '10',
      '--scenarios',
      '250',
      '--out',
      `${TMP}/risk.json`,
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    const d = JSON.parse(readFileSync(`${TMP}/risk.json`, 'utf8')) as RiskOutput
    expect(d.config.method).toBe('fhs')
    expect(d.config.horizonDays).toBe(10)
    expect(d.config.scenarios).toBe(250)
    expect(d.book.varUsd).toBeGreaterThan(0)
  }, 120_000)

  it('input errors exit 1 with one line: missing history, bad history, bad accounts, mixed underlyings', async () => {
    const missing = await mtm(['risk', CHAIN, ACCOUNTS, '--history', `${TMP}/nope.csv`])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`mtm: cannot read ${TMP}/nope.csv: ENOENT\n`)
    oneLine(missing)
    const bad = await mtm(['risk', CHAIN, ACCOUNTS, '--history', 'package.json'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^mtm: package\.json: /)
    oneLine(bad)
    writeFileSync(`${TMP}/bad.json`, '[{"id":"x"}]')
    const acc = await mtm(['risk', CHAIN, `${TMP}/bad.json`])
    expect(acc.code).toBe(1)
    oneLine(acc)
    writeFileSync(
      `${TMP}/mixed.json`,
      JSON.stringify([
        { id: 'b', collateral: { BTC: 1 }, positions: [] },
        { id: 'e', collateral: { ETH: 1 }, positions: [] },
      ]),
    )
    const mixed = await mtm(['risk', CHAIN, `${TMP}/mixed.json`])
    expect(mixed.code).toBe(1)
    expect(mixed.stderr).toBe(
      `mtm: ${TMP}/mixed.json: accounts span BTC, ETH: choose one with --underlying\n`,
    )
  }, 120_000)

  it('usage errors exit 2 with one line; --help exits 0', async () => {
    for (const args of [
      ['risk', CHAIN],
      ['risk', CHAIN, ACCOUNTS, '--var-confidence', '1.5'],
      ['risk', CHAIN, ACCOUNTS, '--method', 'mc'],
      ['risk', CHAIN, ACCOUNTS, '--scenarios', '0'],
      ['risk', CHAIN, ACCOUNTS, '--horizon', '2.5'],
    ]) {
      const r = await mtm(args)
      expect(r.code, args.join(' ')).toBe(2)
      oneLine(r)
    }
    const help = await mtm(['risk', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: mtm risk \[options\] <snapshot> <accounts>/)
    expect(help.stdout).toContain('--backtest')
  })
})
