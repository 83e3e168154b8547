// `mtm` usage: --help on every command, exit codes (0 ok, 1 input error, 2 usage error), errors
// in one line on stderr. Runs the program in-process (spec/cli/run.ts).
import { describe, expect, it } from 'vitest'
import { mtm } from './run.js'

const COMMANDS = ['mark', 'validate', 'report', 'demo', 'accounts', 'risk', 'stress', 'cascade']

describe('mtm usage', () => {
  it('--help works for the program and every command, exit 0', async () => {
    const top = await mtm(['--help'])
    expect(top.code).toBe(0)
    for (const c of COMMANDS) expect(top.stdout).toContain(c)
    for (const c of COMMANDS) {
      const r = await mtm([c, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Usage: mtm ${c}`))
    }
  })

  it('usage errors exit 2 with one line on stderr', async () => {
    for (const args of [
      ['nope'],
      ['mark'],
      ['mark', 'x.csv', '--format', 'xml'],
      ['report', 'x.csv'],
      ['mark', 'x', '--bogus'],
    ]) {
      const r = await mtm(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stdout).toBe('')
    }
    const none = await mtm([])
    expect(none.code).toBe(2)
  })

  it('input errors exit 1 with one line `mtm: …` on stderr', async () => {
    const missing = await mtm(['mark', 'spec/fixtures/does-not-exist.csv'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('mtm: cannot read spec/fixtures/does-not-exist.csv: ENOENT\n')
    const garbage = await mtm(['mark', 'package.json'])
    expect(garbage.code).toBe(1)
    expect(garbage.stderr.trim().split('\n')).toHaveLength(1)
    expect(garbage.stderr).toMatch(/^mtm: /)
    const columns = await mtm(['mark', 'spec/fixtures/io/deribit-chain-missing-strike-column.csv'])
    expect(columns.code).toBe(1)
    expect(columns.stderr).toMatch(/^mtm: .*strike.*\n$/)
  })
})
