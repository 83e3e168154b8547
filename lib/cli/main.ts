#!/usr/bin/env node
/**
 * The `mtm` executable: runs the program on process.argv with the process streams and sets the
 * exit code (0 ok, 1 input error, 2 usage error).
 *
 * @module
 * @since 0.1.0
 */
import { run } from './program.js'

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
})
