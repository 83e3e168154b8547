// Fixes from a new-user pass over `mtm`: output files that cannot be written, accounts files that
// are not JSON, snapshot JSON export and round trip, calendar gaps in a price history, impossible
// dates for `stress --dates`. Runs the program in-process (spec/cli/run.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { historyGaps } from '../../lib/cli/market.js'
import { mtm, oneLine } from './run.js'

const OB = 'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv'
const EX = 'examples/deribit_options_snapshot_20260822T153351Z.csv'
const HISTORY = 'examples/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv'
const dir = join(tmpdir(), `mtm-qa-${String(process.pid)}`)
mkdirSync(dir, { recursive: true })

describe('mtm: new-user fixes', () => {
  it('an output file that cannot be written is one input-error line, not an internal error', async () => {
    const out = join(dir, 'no-such-dir', 'x.json')
    const r = await mtm(['mark', OB, '-f', 'snapshot', '-o', out])
    expect(r.code).toBe(1)
    oneLine(r)
    expect(r.stderr).toBe(`mtm: cannot write ${out}: ENOENT\n`)
    const d = await mtm(['mark', OB, '-f', 'snapshot', '-o', dir])
    expect(d.code).toBe(1)
    expect(d.stderr).toBe(`mtm: cannot write ${dir}: EISDIR\n`)
  })

  it('an accounts file that is not JSON names the file and says so; a missing one gives the errno code', async () => {
    const bad = join(dir, 'empty.json')
    writeFileSync(bad, '')
    const r = await mtm(['accounts', OB, bad])
    expect(r.code).toBe(1)
    oneLine(r)
    expect(r.stderr).toMatch(new RegExp(`^mtm: ${bad}: not valid JSON: `))
    const missing = await mtm(['accounts', OB, join(dir, 'nope.json')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`mtm: cannot read ${join(dir, 'nope.json')}: ENOENT\n`)
  })

  it('a snapshot file that cannot be used is one line naming the file', async () => {
    const empty = join(dir, 'empty.csv')
    writeFileSync(empty, '')
    const e = await mtm(['mark', empty])
    expect(e.code).toBe(1)
    oneLine(e)
    expect(e.stderr).toBe(`mtm: ${empty}: snapshot-file: input is empty (no text)\n`)
    const garbage = await mtm(['mark', 'package.json'])
    expect(garbage.code).toBe(1)
    expect(garbage.stderr).toMatch(/^mtm: package\.json: snapshot-json: /)
    const columns = await mtm(['mark', 'spec/fixtures/io/deribit-chain-missing-strike-column.csv'])
    expect(columns.stderr).toBe(
      'mtm: spec/fixtures/io/deribit-chain-missing-strike-column.csv: deribit-chain: missing required column "strike"\n',
    )
  })

  it('an accounts decoding error names the field path as documented (no intersection member index)', async () => {
    const bad = join(dir, 'bad-size.json')
    writeFileSync(
      bad,
      JSON.stringify([
        { id: 'x', collateral: { USD: 1 }, positions: [{ instrument: 'BTC-25SEP26-90000-C', size: 'two' }] },
      ]),
    )
    const r = await mtm(['accounts', OB, bad])
    expect(r.code).toBe(1)
    oneLine(r)
    expect(r.stderr).toBe(`mtm: ${bad}: field 0.positions.0.size = "two": must be number\n`)
  })

  it('accounts that name no Deribit instrument nor a coin say why they have no market', async () => {
    const spx = join(dir, 'spx-account.json')
    writeFileSync(
      spx,
      JSON.stringify([
        { id: 's', collateral: { USD: 1e5 }, positions: [{ instrument: 'SPXW190517P02800000', size: -1 }] },
      ]),
    )
    const r = await mtm(['accounts', OB, spx])
    // No account could be assessed: an input error (exit 1) after the per-account reasons.
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('[]\n')
    expect(r.stderr.split('\n')).toEqual([
      `${spx}: account s: no underlying: no position is a Deribit-style instrument name (e.g. BTC-25SEP26-90000-C) and no collateral is a coin`,
      'accounts: 0 assessed, 1 failed with deribit-standard@1',
      `mtm: ${spx}: no account could be assessed (1 failed)`,
      '',
    ])
    // One good account next to the bad one: exit 0, the failure still named and counted.
    const mixed = join(dir, 'mixed-accounts.json')
    writeFileSync(
      mixed,
      JSON.stringify([
        { id: 's', collateral: { USD: 1e5 }, positions: [{ instrument: 'SPXW190517P02800000', size: -1 }] },
        { id: 'b', collateral: { BTC: 1 }, positions: [] },
      ]),
    )
    const m = await mtm(['accounts', OB, mixed, '--quick'])
    expect(m.code).toBe(0)
    expect(m.stderr).toContain('accounts: 1 assessed, 1 failed')
  })

  it('stress and risk exit 1 when no account of the book could be valued', async () => {
    const bad = join(dir, 'unmarkable.json')
    writeFileSync(
      bad,
      JSON.stringify([
        { id: 'x', collateral: { BTC: 1 }, positions: [{ instrument: 'BTC-25SEP99-90000-C', size: -1 }] },
      ]),
    )
    const s = await mtm(['stress', EX, bad, '--history', HISTORY, '-o', join(dir, 's.json')])
    expect(s.code).toBe(1)
    expect(s.stderr).toContain(`mtm: ${bad}: no account could be stressed (1 failed)`)
    const r = await mtm(['risk', EX, bad, '--history', HISTORY, '-o', join(dir, 'r.json')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`mtm: ${bad}: no account could be valued (1 failed)`)
  })

  it('validate --out writes the table to the file and nothing to stdout', async () => {
    const out = join(dir, 'validate.txt')
    const r = await mtm(['validate', OB, '-o', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    const direct = await mtm(['validate', OB])
    expect(readFileSync(out, 'utf8')).toBe(direct.stdout)
    expect(direct.stdout).toContain('inside')
  })

  it('an accounts file with a duplicate account id is an input error naming both entries', async () => {
    const dup = join(dir, 'dup.json')
    const one = { id: 'a', collateral: { BTC: 1 }, positions: [] }
    writeFileSync(dup, JSON.stringify([one, { ...one, id: 'b' }, one]))
    const r = await mtm(['accounts', OB, dup])
    expect(r.code).toBe(1)
    oneLine(r)
    expect(r.stderr).toBe(`mtm: ${dup}: field 2.id = "a": duplicate of 0.id\n`)
  })

  it('mark --format snapshot writes the project snapshot JSON; marking it gives the same bytes', async () => {
    const snap = join(dir, 'ob.snapshot.json')
    const w = await mtm(['mark', OB, '-f', 'snapshot', '-o', snap])
    expect(w.code).toBe(0)
    expect(w.stdout).toBe('')
    expect(JSON.parse(readFileSync(snap, 'utf8'))).toEqual([
      expect.objectContaining({ schema: 'mark-to-model/snapshot@1', underlying: 'BTC' }),
    ])
    const direct = await mtm(['mark', OB, '-f', 'csv'])
    const again = await mtm(['mark', snap, '-f', 'csv'])
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(direct.stdout)
  })

  it('historyGaps counts calendar gaps and finds the longest', () => {
    expect(historyGaps(['2020-01-01', '2020-01-02', '2020-01-03'])).toBeUndefined()
    expect(historyGaps(['2020-02-28', '2020-03-01', '2020-03-02', '2020-03-10'])).toEqual({
      count: 2,
      days: 8,
      after: '2020-03-02',
    })
  })

  it('a price history with a gap is used but warned about in one stderr line', async () => {
    const lines = readFileSync(HISTORY, 'utf8').split('\n')
    const gapped = join(dir, 'history-gap.csv')
    writeFileSync(gapped, [...lines.slice(0, 2999), ...lines.slice(3100)].join('\n'))
    const accounts = join(dir, 'one.json')
    writeFileSync(
      accounts,
      JSON.stringify([
        { id: 'a', collateral: { BTC: 1 }, positions: [{ instrument: 'BTC-25SEP26-90000-C', size: -1 }] },
      ]),
    )
    const r = await mtm(['risk', EX, accounts, '--history', gapped, '--scenarios', '100'])
    expect(r.code).toBe(0)
    const warn = r.stderr.split('\n').filter((l) => l.includes('gap'))
    expect(warn).toEqual([
      `${gapped}: 1 gap(s) of more than one day between closes (longest 102 days after 2019-11-01): a return across a gap counts as one daily return`,
    ])
    const clean = await mtm(['risk', EX, accounts, '--scenarios', '100'])
    expect(clean.stderr).not.toContain('gap')
  })

  it('validate --quotes without --format json is a usage error, not silently ignored', async () => {
    const r = await mtm(['validate', OB, '--quotes'])
    expect(r.code).toBe(2)
    oneLine(r)
    expect(r.stderr).toBe("error: option '--quotes' needs '--format json'\n")
  })

  it("risk on a non-BTC book needs --history (the default history is BTC's); stress warns", async () => {
    const eth = join(dir, 'eth.json')
    writeFileSync(
      eth,
      JSON.stringify([
        { id: 'e', collateral: { ETH: 10 }, positions: [{ instrument: 'ETH-25SEP26-3000-C', size: -1 }] },
      ]),
    )
    const r = await mtm(['risk', EX, eth])
    expect(r.code).toBe(1)
    oneLine(r)
    expect(r.stderr).toBe(
      `mtm: no history for ETH: the default history (${HISTORY}) is BTC's; pass --history\n`,
    )
    const given = await mtm(['risk', EX, eth, '--history', HISTORY, '--scenarios', '100'])
    expect(given.code).toBe(0)
    const s = await mtm(['stress', EX, eth, '--worst-days', '0', '--no-liquidation-prices'])
    expect(s.code).toBe(0)
    expect(s.stderr).toContain("stress: the historical days are BTC's moves")
  })

  it('stress --dates "" --worst-days 0 runs the grid only', async () => {
    const r = await mtm([
      'stress',
      EX,
      'examples/accounts.json',
      '--dates',
      '',
      '--worst-days',
      '0',
      '--no-liquidation-prices',
      '-f',
      'csv',
    ])
    expect(r.code).toBe(0)
    const scenarios = new Set(
      r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    )
    expect([...scenarios].every((s) => s?.startsWith('spot '))).toBe(true)
    expect(scenarios.size).toBe(10)
  })

  it('the stress summary counts only the accounts it could stress', async () => {
    const ghost = join(dir, 'ghost.json')
    writeFileSync(
      ghost,
      JSON.stringify([
        { id: 'ok', collateral: { BTC: 1 }, positions: [{ instrument: 'BTC-25SEP26-90000-C', size: -1 }] },
        {
          id: 'ghost',
          collateral: { USD: 1000 },
          positions: [{ instrument: 'BTC-25SEP26-12345-C', size: 1 }],
        },
      ]),
    )
    const r = await mtm(['stress', EX, ghost, '--dates', '', '--worst-days', '0', '--no-liquidation-prices'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`${ghost}: account ghost: no mark for BTC-25SEP26-12345-C`)
    expect(r.stderr).toMatch(/^stress: BTC 1 accounts \(1 failed\) × 10 scenarios/m)
  })

  it('stress --dates rejects a date that is not on the calendar as a usage error', async () => {
    const r = await mtm(['stress', EX, 'examples/accounts.json', '--dates', '2020-13-45'])
    expect(r.code).toBe(2)
    oneLine(r)
    expect(r.stderr).toContain("date '2020-13-45' is not a calendar date")
  })
})
