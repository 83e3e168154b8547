// `mtm accounts` end to end on the example chain and examples/accounts.json, in-process: every
// account assessed (JSON decodes with the AccountAssessment codec; CSV has one row per account),
// presets selectable, input errors exit 1 with one line.
import { writeFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { AccountAssessment } from '../../lib/domain/assessment.js'
import { ACCOUNT_CSV_COLUMNS } from '../../lib/cli/commands/accounts.js'
import { mtm } from '../cli/run.js'

const CHAIN = 'examples/deribit_options_snapshot_20260822T153351Z.csv'
const ACCOUNTS = 'examples/accounts.json'

describe('mtm accounts', () => {
  it('json: 15 assessments that decode with the codec', async () => {
    const r = await mtm(['accounts', CHAIN, ACCOUNTS, '--preset', 'risk-matrix', '--quick'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as unknown[]
    expect(out.length).toBe(15)
    for (const a of out) expect(E.isRight(AccountAssessment.decode(a))).toBe(true)
    expect(r.stderr).toMatch(/15 assessed, 0 failed .* with risk-matrix@1/)
  }, 120_000)
  it('csv: one row per account with the documented columns', async () => {
    const r = await mtm(['accounts', CHAIN, ACCOUNTS, '--format', 'csv'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(ACCOUNT_CSV_COLUMNS.join(','))
    expect(lines.length).toBe(16)
    expect(r.stdout).toMatch(/\ninsolvent,insolvent,deribit-standard@1,/)
  }, 120_000)
  it('a bad accounts file is an input error (exit 1, one line)', async () => {
    writeFileSync(
      '/tmp/mtm-bad-accounts.json',
      JSON.stringify([{ id: 'x', collateral: {}, positions: [{ instrument: 'BTC-PERPETUAL' }] }]),
    )
    const r = await mtm(['accounts', CHAIN, '/tmp/mtm-bad-accounts.json'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n').length).toBe(1)
    expect(r.stderr).toMatch(/positions\.0/)
  })
  it('an order-book snapshot: closing costs walk the book (Deribit 2020-05-14 order book)', async () => {
    // BTC-22MAY20-9250-P asks: 0.5 @ 0.045, 15 @ 0.0465, 7 @ 0.051, 0.3 @ 0.07, 10 @ 0.283 = 32.8
    // units, so buying back 40 leaves 7.2 units to the model beyond the last level
    writeFileSync(
      '/tmp/mtm-ob-accounts.json',
      JSON.stringify([
        {
          id: 'ob',
          collateral: { USD: 3000 },
          positions: [
            { instrument: 'BTC-22MAY20-9250-P', size: -40 },
            { instrument: 'BTC-22MAY20-12000-C', size: -100 },
          ],
        },
      ]),
    )
    const r = await mtm([
      'accounts',
      'spec/fixtures/data/deribit-orderbook/deribit_btc_options_orderbook_20200514T0541Z.csv',
      '/tmp/mtm-ob-accounts.json',
    ])
    expect(r.code).toBe(0)
    const [a] = JSON.parse(r.stdout) as AccountAssessment[]
    const put = a?.liquidationCost?.positions[0]
    expect(put?.method).toBe('book')
    expect(put?.unfilled).toBeCloseTo(7.2, 12)
    expect(a?.liquidationCost?.positions[1]?.unfilled).toBe(0)
  }, 120_000)
})
