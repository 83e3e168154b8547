// In-process runner for `mtm` specs: captures stdout / stderr and the exit code.
import { run } from '../../lib/cli/program.js'

export interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const mtm = async (args: readonly string[], opts: { isTTY?: boolean; cwd?: string } = {}): Promise<RunResult> => {
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
