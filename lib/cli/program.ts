/**
 * The `mtm` program: commander set-up, command discovery and exit-code mapping, separated from
 * the executable entry (main.ts) so tests can run commands in-process.
 *
 * Commands are discovered at start-up: every module in lib/cli/commands/ exporting
 * `register(program, ctx)` is loaded in file-name order, so a new command is one new file.
 *
 * @module
 * @since 0.1.0
 */
import { readdirSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { CliInputError, type CliContext, EXIT, type Register } from './context.js'

const COMMANDS_DIR = new URL('./commands/', import.meta.url)

/**
 * Builds the program with every command registered. Commander's usage errors are thrown (not
 * `process.exit`) and its output goes to the context's streams.
 *
 * @category cli
 * @since 0.1.0
 */
export const buildProgram = async (ctx: CliContext): Promise<Command> => {
  const program = new Command()
    .name('mtm')
    .description('mark-to-model: marks, validation and reports for option chains')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    })
  const files = readdirSync(COMMANDS_DIR)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
  for (const f of files) {
    const mod = (await import(new URL(f, COMMANDS_DIR).href)) as { register?: Register }
    if (typeof mod.register === 'function') mod.register(program, ctx)
  }
  return program
}

/**
 * Runs `mtm` with arguments (without the node and script paths) and returns the exit code:
 * 0 success (and `--help`, `--version`), 1 input error (one line `mtm: …` on stderr),
 * 2 usage error (commander's one-line message on stderr).
 *
 * @category cli
 * @since 0.1.0
 */
export const run = async (argv: readonly string[], ctx: CliContext): Promise<number> => {
  const program = await buildProgram(ctx)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return EXIT.ok
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    if (e instanceof CliInputError) {
      ctx.stderr.write(`mtm: ${e.message}\n`)
      return EXIT.input
    }
    const msg = e instanceof Error ? e.message : String(e)
    ctx.stderr.write(`mtm: internal error: ${msg.replace(/\s*\n\s*/g, ' ')}\n`)
    return EXIT.input
  }
}
