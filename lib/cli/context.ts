/**
 * What every `mtm` command needs from its environment, injected so that commands are testable
 * in-process: output streams, whether stdout is a terminal, and the error type that maps to
 * exit code 1 (input error). Usage errors (exit 2) come from commander.
 *
 * @module
 * @since 0.1.0
 */
import type { Command } from 'commander'

/**
 * A writable text sink (process.stdout, or a buffer in tests).
 *
 * @category model
 * @since 0.1.0
 */
export interface TextSink {
  /** Writes text. */
  write(text: string): unknown
}

/**
 * The environment of a command.
 *
 * @category model
 * @since 0.1.0
 */
export interface CliContext {
  /** Standard output. */
  readonly stdout: TextSink
  /** Standard error. */
  readonly stderr: TextSink
  /** Whether stdout is a terminal (progress bars only then). */
  readonly isTTY: boolean
  /** Working directory for relative paths. */
  readonly cwd: string
}

/**
 * A command module: one file under lib/cli/commands exporting `register`.
 *
 * @category model
 * @since 0.1.0
 */
export type Register = (program: Command, ctx: CliContext) => void

/**
 * Exit codes: 0 success, 1 input error (unreadable or unusable input), 2 usage error.
 *
 * @category constants
 * @since 0.1.0
 */
export const EXIT = { ok: 0, input: 1, usage: 2 } as const

/**
 * Thrown by a command for an input error; `main` prints `mtm: <message>` as one line on stderr
 * and exits with code 1.
 *
 * @category model
 * @since 0.1.0
 */
export class CliInputError extends Error {
  /** Builds the error; `message` must be one line. */
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '))
    this.name = 'CliInputError'
  }
}
