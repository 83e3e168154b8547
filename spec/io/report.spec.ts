// The HTML report opened in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
// every chart must have rendered (one inline SVG with paths per expiry), the table must sort.
// A synthetic chain on a stub surface keeps this spec independent of the surface fitter; the
// real-chain report is checked in spec/io/reportDeribit.spec.ts.
import { mkdirSync, writeFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { escapeHtml, renderReport } from '../../lib/io/report.js'
import { markSnapshot } from '../../lib/marking/mark.js'
import { stubFit, stubSnapshot } from '../marking/stubSurface.js'
import { RUN_BROWSER_SPECS, inspectReport } from './reportBrowser.js'

describe('renderReport', () => {
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;')
  })

  it.runIf(RUN_BROWSER_SPECS)(
    'renders one SVG chart per expiry in headless Chromium; the marks table sorts',
    async () => {
      const spec = { forward: 80_000, svi: { a: 0.2, b: 0.3, rho: -0.3, m: 0.05, sigma: 0.2 } }
      const expiries = ['2026-08-28T08:00:00.000Z', '2026-09-25T08:00:00.000Z', '2026-12-25T08:00:00.000Z']
      const snap = stubSnapshot(
        spec,
        '2026-08-22T15:33:51.683Z',
        expiries,
        [50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 120_000],
        0.03,
      )
      const r = markSnapshot(snap, { fit: stubFit(spec) })
      if (E.isLeft(r)) throw new Error(r.left.message)
      const html = renderReport([r.right], { source: 'synthetic' })
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i) // self-contained
      mkdirSync('/tmp/mtm-spec', { recursive: true })
      writeFileSync('/tmp/mtm-spec/report-synthetic.html', html)
      const c = await inspectReport(
        '/tmp/mtm-spec/report-synthetic.html',
        '/tmp/mtm-spec/report-synthetic.png',
      )
      console.log('synthetic report:', JSON.stringify(c))
      expect(c.figures).toBe(expiries.length)
      expect(c.svgsWithPaths).toBe(expiries.length)
      expect(c.rows).toBe(r.right.marks.length)
      expect(c.sortedFirst).toBe('120000')
    },
    60_000,
  )
})
