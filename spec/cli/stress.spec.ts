// `mtm stress` and `mtm cascade` end to end, in-process, on the example chain, examples/
// accounts.json plus one account holding 1 BTC and nothing else (its P&L under a spot move m is
// S·m exactly: worked by hand), and the example BTC history.
import { beforeAll, describe, expect, it } from 'vitest'
import { CASCADE_CSV_COLUMNS, type CascadeOutput, parseDepth } from '../../lib/cli/commands/cascade.js'
import { STRESS_CSV_COLUMNS, type StressOutput, parseGrid } from '../../lib/cli/commands/stress.js'
import { accountsPlusHodl, mtm, oneLine, type RunResult } from './run.js'

const CHAIN = 'examples/deribit_options_snapshot_20260822T153351Z.csv'
const TMP = '/tmp/mtm-spec-stress'
const ACCOUNTS = accountsPlusHodl(TMP)
const N_ACCOUNTS = 16

describe('parseGrid / parseDepth', () => {
  it('decimals and percentages; every malformed grid throws', () => {
    expect(parseGrid('-0.2,0.1:0,50%')).toEqual({ spotMoves: [-0.2, 0.1], volShocks: [0, 0.5] })
    expect(parseGrid(' -20% , 10% : -10% ')).toEqual({ spotMoves: [-0.2, 0.1], volShocks: [-0.1] })
    for (const bad of ['', '-0.2', '-0.2:0:1', 'a:0', '-0.2,:0', '-1:0', '-0.2:-1.5', '%:0', '0.1:NaN'])
      expect(() => parseGrid(bad), bad).toThrow()
  })
  it('linear and square-root depth curves', () => {
    expect(parseDepth('linear:1e-9')).toEqual({ model: 'linear', coefficient: 1e-9, referenceUsd: 1 })
    expect(parseDepth('sqrt:0.02:1e6')).toEqual({ model: 'sqrt', coefficient: 0.02, referenceUsd: 1e6 })
    for (const bad of ['linear', 'linear:-1', 'sqrt:0.02', 'sqrt:0.02:0', 'cubic:1', 'linear:1:2'])
      expect(() => parseDepth(bad), bad).toThrow()
  })
})

describe('mtm stress', () => {
  let r: RunResult
  let doc: StressOutput
  beforeAll(async () => {
    r = await mtm([
      'stress',
      CHAIN,
      ACCOUNTS,
      '--grid',
      '-20%,0.1:0,0.5',
      '--worst-days',
      '3',
      '--dates',
      '2020-03-12,2021-05-19,2030-01-01',
    ])
    doc = JSON.parse(r.stdout) as StressOutput
  }, 120_000)

  it('json: named days, worst days and the grid, one row per (scenario, account)', () => {
    expect(r.code).toBe(0)
    expect(Object.keys(doc)).toEqual([
      'schema',
      'underlying',
      'asOf',
      'spot',
      'preset',
      'history',
      'scenarios',
      'missingDates',
      'rows',
    ])
    expect(doc.schema).toBe('mark-to-model/stress@1')
    expect(doc.preset).toBe('deribit-standard@1')
    expect(doc.missingDates).toEqual(['2030-01-01'])
    expect(r.stderr).toContain('no close for 2030-01-01')
    const names = doc.scenarios.map((s) => s.name)
    expect(names.slice(0, 2)).toEqual(['historical 2020-03-12', 'historical 2021-05-19'])
    // 2020-03-12 is itself one of the three worst days of the history: it is listed once
    expect(names.filter((n) => n.startsWith('worst day')).length + 2).toBe(names.length - 4)
    expect(names.slice(-4)).toEqual([
      'spot -20% vol +0%',
      'spot -20% vol +50%',
      'spot +10% vol +0%',
      'spot +10% vol +50%',
    ])
    expect(doc.rows).toHaveLength(doc.scenarios.length * N_ACCOUNTS)
    for (const s of doc.scenarios) expect(s.spotAfter).toBeCloseTo(doc.spot * (1 + s.spotMove), 6)
    // 2020-03-12 is the largest one-day fall of the history file (e^r − 1 ≈ −0.39)
    expect(doc.scenarios[0]?.spotMove).toBeLessThan(-0.3)
    expect(doc.scenarios[0]?.volShock).toBeCloseTo(
      Math.expm1(-Math.log1p(doc.scenarios[0]?.spotMove as number)),
      12,
    )
  })

  it('the 1-BTC account: P&L = S·move (by hand), never liquidatable, no liquidation price', () => {
    for (const s of doc.scenarios) {
      const row = doc.rows.find((x) => x.scenario === s.name && x.account === 'hodl')
      expect(row?.pnlUsd).toBeCloseTo(doc.spot * s.spotMove, 6)
      expect(row?.statusAfter).toBe('healthy')
      expect(row?.liquidationBelow).toBe('none')
      expect(row?.liquidationAbove).toBe('none')
    }
  })

  it('headroom = equity − MM; a short-put book is worse after −20 % than after +10 %', () => {
    for (const x of doc.rows) expect(x.headroomUsd).toBeCloseTo(x.equityUsd - x.mmUsd, 6)
    const at = (sc: string): number =>
      doc.rows.find((x) => x.scenario === sc && x.account === 'short-put-btc-collateral')
        ?.headroomUsd as number
    expect(at('spot -20% vol +0%')).toBeLessThan(at('spot +10% vol +0%'))
    expect(at('spot -20% vol +50%')).toBeLessThan(at('spot -20% vol +0%'))
  })

  it('csv: documented header, one row per (scenario, account); --no-liquidation-prices leaves them empty', async () => {
    const c = await mtm([
      'stress',
      CHAIN,
      ACCOUNTS,
      '--grid',
      '-0.1:0',
      '--worst-days',
      '0',
      '--dates',
      '2021-05-19',
      '--format',
      'csv',
      '--no-liquidation-prices',
    ])
    expect(c.code).toBe(0)
    const lines = c.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(STRESS_CSV_COLUMNS.join(','))
    expect(lines).toHaveLength(1 + 2 * N_ACCOUNTS)
    expect(lines[1]).toMatch(/^historical 2021-05-19,2021-05-19,-0\.\d+,0\.\d+,[\d.]+,covered-call-sep,/)
    expect(lines[1]?.endsWith(',,')).toBe(true)
  }, 120_000)

  it('errors: bad grid is a usage error (exit 2, one line), missing history an input error (exit 1, one line)', async () => {
    const grid = await mtm(['stress', CHAIN, ACCOUNTS, '--grid', '-0.2,x:0'])
    expect(grid.code).toBe(2)
    expect(grid.stderr).toMatch(/--grid <spec>.*spot move 'x' must be a number > −1/)
    oneLine(grid)
    const hist = await mtm(['stress', CHAIN, ACCOUNTS, '--history', `${TMP}/missing.csv`])
    expect(hist.code).toBe(1)
    expect(hist.stderr).toBe(`mtm: cannot read ${TMP}/missing.csv: ENOENT\n`)
    const date = await mtm(['stress', CHAIN, ACCOUNTS, '--dates', '12/03/2020'])
    expect(date.code).toBe(2)
    oneLine(date)
    const help = await mtm(['stress', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: mtm stress /)
  })
})

describe('mtm cascade', () => {
  const cascade = async (...extra: string[]): Promise<CascadeOutput> => {
    const r = await mtm(['cascade', CHAIN, ACCOUNTS, ...extra])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as CascadeOutput
  }

  it('zero impact stops after one round with amplification 1; more impact never liquidates fewer accounts', async () => {
    const zero = await cascade('--shock', '-0.15', '--depth', 'linear:0')
    expect(zero.schema).toBe('mark-to-model/cascade@1')
    expect(zero.config).toEqual({
      shock: -0.15,
      depth: { model: 'linear', coefficient: 0, referenceUsd: 1 },
      preset: 'deribit-standard@1',
      spotVolBeta: 1,
      insuranceFundUsd: 1_000_000,
      maxRounds: 100,
    })
    expect(zero.rounds).toHaveLength(1)
    expect(zero.amplification).toBeCloseTo(1, 12)
    expect(zero.pricePath).toHaveLength(3)
    expect(zero.pricePath[1]).toBeCloseTo(zero.spot * 0.85, 6)
    expect(zero.noFeedback.liquidatedAccounts).toBe(zero.liquidatedAccounts)
    const deep = await cascade('--shock', '-0.15', '--depth', 'linear:1e-7')
    expect(deep.liquidatedAccounts).toBeGreaterThanOrEqual(zero.liquidatedAccounts)
    expect(deep.rounds[0]?.liquidated).toEqual(zero.rounds[0]?.liquidated)
    expect(deep.totalMove).toBeLessThan(zero.totalMove) // the hedges sell into a fall
    expect(deep.amplification).toBeGreaterThan(1)
    expect(deep.liquidatedNotionalUsd).toBeCloseTo(
      deep.rounds.reduce((s, x) => s + x.notionalUsd, 0),
      6,
    )
  }, 120_000)

  it('--insurance-fund 0: the fund only pays out what penalties paid in, the rest is socialised; csv has one row per round', async () => {
    const args = ['--shock', '-0.3', '--depth', 'sqrt:0.02:1e6', '--insurance-fund', '0']
    const doc = await cascade(...args)
    expect(doc.insuranceFundStartUsd).toBe(0)
    expect(doc.insuranceFundEndUsd).toBeGreaterThanOrEqual(0)
    expect(doc.socialisedLossUsd).toBeGreaterThan(0) // the insolvent account's shortfall
    expect(doc.socialisedLossUsd).toBeCloseTo(
      doc.rounds.reduce((s, x) => s + x.socialisedLossUsd, 0),
      6,
    )
    const r = await mtm(['cascade', CHAIN, ACCOUNTS, ...args, '--format', 'csv'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(CASCADE_CSV_COLUMNS.join(','))
    expect(lines).toHaveLength(1 + doc.rounds.length)
    expect(lines[1]?.split(',')[3]).toBe(doc.rounds[0]?.liquidated.join(';'))
    expect(r.stderr).toMatch(/^cascade: BTC shock -0\.3: \d+ rounds, \d+ accounts/)
  }, 120_000)

  it('errors: --shock is required, a bad depth is a usage error (exit 2, one line)', async () => {
    for (const args of [
      ['cascade', CHAIN, ACCOUNTS],
      ['cascade', CHAIN, ACCOUNTS, '--shock', '-1.5'],
      ['cascade', CHAIN, ACCOUNTS, '--shock', '-0.1', '--depth', 'cubic:1'],
      ['cascade', CHAIN, ACCOUNTS, '--shock', '-0.1', '--insurance-fund', '-5'],
    ]) {
      const r = await mtm(args)
      expect(r.code, args.join(' ')).toBe(2)
      oneLine(r)
    }
    const help = await mtm(['cascade', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: mtm cascade \[options\] <snapshot> <accounts>/)
    const missing = await mtm(['cascade', `${TMP}/none.csv`, ACCOUNTS, '--shock', '-0.1'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`mtm: cannot read ${TMP}/none.csv: ENOENT\n`)
  })
})
