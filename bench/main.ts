// `npm run bench`: runs every bench/*.bench.ts module in name order (or those named on the
// command line, e.g. `npm run bench -- pricing`). Each module exports `run(): Promise<void> | void`.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

console.log(`mark-to-model bench — node ${process.version}, ${new Date().toISOString()}`)
console.log('Every ratio is measured in this run against the baseline named in its row.')
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run: () => Promise<void> | void }
  await mod.run()
}
