// Runs the API tour of README.md: the ```ts block is extracted, its import of 'mark-to-model' is
// pointed at lib/index.ts, and the module is executed; then its results are checked, so the README
// cannot drift from the library.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

describe('README API tour', () => {
  it('runs and gives the values its comments promise', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBeDefined()
    const code = (block as string)
      .replace("from 'mark-to-model'", "from '../../lib/index.js'")
      .replaceAll("readFileSync('examples/", `readFileSync(${JSON.stringify(root + '/examples/')} + '`)
    const dir = join(root, 'spec', '.generated')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'readme-tour.ts')
    writeFileSync(file, code)
    process.chdir(root)
    const mod = (await import(pathToFileURL(file).href)) as { tour: Record<string, unknown> }
    const t = mod.tour as {
      call: number
      vol: E.Either<unknown, number>
      greeks: { price: number; delta: number }
      smile: number
      marks: { marks: readonly { source: string }[] }
      assessment: { status: string; equityUsd: number }
      risk: { var: number; es: number; scenarios: number }
    }
    expect(t.call).toBeGreaterThan(0)
    expect(E.isRight(t.vol) && Math.abs(t.vol.right - 0.6)).toBeLessThan(1e-13)
    expect(t.greeks.delta).toBeLessThan(0)
    expect(t.smile).toBeGreaterThan(0)
    expect(t.marks.marks.length).toBeGreaterThan(1000)
    expect(['healthy', 'margin-call', 'liquidatable', 'insolvent']).toContain(t.assessment.status)
    expect(t.risk.scenarios).toBe(1000)
    expect(t.risk.es).toBeGreaterThan(0)
  })
})
