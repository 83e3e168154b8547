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
    writeFileSync('/tmp/mtm-bad-accounts.json', JSON.stringify([{ id: 'x', collateral: {}, positions: [{ instrument: 'BTC-PERPETUAL' }] }]))
    const r = await mtm(['accounts', CHAIN, '/tmp/mtm-bad-accounts.json'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n').length).toBe(1)
    expect(r.stderr).toMatch(/positions\.0/)
  })
})
