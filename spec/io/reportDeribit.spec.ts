// The report of the example Deribit chain (BTC and ETH, 2026-08-22) through the real pipeline,
// opened in headless Chromium: one rendered SVG chart per expiry of each underlying.
// Screenshot: /tmp/mtm-spec/report-deribit.png.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { readSnapshotText } from '../../lib/io/readSnapshotFile.js'
import { renderReport } from '../../lib/io/report.js'
import { type MarkSet, markSnapshot } from '../../lib/marking/mark.js'
import { RUN_BROWSER_SPECS, inspectReport } from './reportBrowser.js'

const FILE = 'examples/deribit_options_snapshot_20260822T153351Z.csv'

describe('report of a real chain', () => {
  it.runIf(RUN_BROWSER_SPECS)(
    'every expiry of every underlying has a rendered chart; the marks table has every mark',
    async () => {
      const snaps = readSnapshotText(readFileSync(FILE, 'utf8'), FILE)
      if (E.isLeft(snaps)) throw new Error(snaps.left.message)
      const sets: MarkSet[] = snaps.right.map((s) => {
        const r = markSnapshot(s)
        if (E.isLeft(r)) throw new Error(r.left.message)
        return r.right
      })
      const expiries = sets.reduce((a, s) => a + new Set(s.marks.map((m) => m.expiry)).size, 0)
      const marks = sets.reduce((a, s) => a + s.marks.length, 0)
      mkdirSync('/tmp/mtm-spec', { recursive: true })
      writeFileSync('/tmp/mtm-spec/report-deribit.html', renderReport(sets, { source: FILE }))
      const c = await inspectReport('/tmp/mtm-spec/report-deribit.html', '/tmp/mtm-spec/report-deribit.png')
      console.log(`real report: ${expiries} expiries, ${marks} marks:`, JSON.stringify(c))
      expect(c.figures).toBe(expiries)
      expect(c.svgsWithPaths).toBe(expiries)
      expect(c.rows).toBe(marks)
    },
    120_000,
  )
})
