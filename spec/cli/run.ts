// In-process runner for `mtm` specs: captures stdout / stderr and the exit code; plus the
// fixtures and checks the account-level command specs share.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'
import { run } from '../../lib/cli/program.js'

export interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const mtm = async (
  args: readonly string[],
  opts: { isTTY?: boolean; cwd?: string } = {},
): Promise<RunResult> => {
  let stdout = ''
  let stderr = ''
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd ?? process.cwd(),
  })
  return { code, stdout, stderr }
}

/**
 * Writes examples/accounts.json plus one account holding 1 BTC and nothing else (`hodl`, whose
 * P&L under a spot move m is S·m exactly) into `dir`; returns the file's path.
 */
export const accountsPlusHodl = (dir: string): string => {
  mkdirSync(dir, { recursive: true })
  const path = `${dir}/accounts-plus-hodl.json`
  writeFileSync(
    path,
    JSON.stringify([
      ...(JSON.parse(readFileSync('examples/accounts.json', 'utf8')) as unknown[]),
      { id: 'hodl', collateral: { BTC: 1 }, positions: [] },
    ]),
  )
  return path
}

/** A usage or input error: exactly one stderr line and nothing on stdout. */
export const oneLine = (r: RunResult): void => {
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stdout).toBe('')
}
