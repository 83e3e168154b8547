// Headless-Chromium helper for the report specs (Debian's /usr/bin/chromium via playwright-core).
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

/**
 * Whether the browser specs run: when Debian's chromium is installed, and always under CI
 * (`.ci/run` sets MTM_REQUIRE_CHROMIUM=1 after installing it), so a failed install makes those
 * specs fail instead of silently skipping them.
 */
export const RUN_BROWSER_SPECS =
  existsSync('/usr/bin/chromium') || process.env['MTM_REQUIRE_CHROMIUM'] === '1'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Opens an HTML file, returns per-figure SVG/path counts and takes a full-page screenshot. */
export const inspectReport = async (
  htmlPath: string,
  screenshot: string,
): Promise<{ figures: number; svgs: number; svgsWithPaths: number; rows: number; sortedFirst: string }> => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    await page.goto('file://' + htmlPath)
    // evaluated in the page (a string, so this spec needs no DOM typings)
    const counts = (await page.evaluate(`(() => {
      const svgs = Array.from(document.querySelectorAll('figure.chart svg'))
      return {
        figures: document.querySelectorAll('figure.chart').length,
        svgs: svgs.length,
        svgsWithPaths: svgs.filter((s) => s.querySelectorAll('path').length > 5 && s.getBoundingClientRect().width > 100).length,
        rows: document.querySelectorAll('table.marks tbody tr').length,
      }
    })()`)) as { figures: number; svgs: number; svgsWithPaths: number; rows: number }
    await page.locator('figure.chart').first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshot, fullPage: false })
    // click "strike" twice (descending) and read the first row's strike
    const table = page.locator('table.marks').first()
    const header = table.locator('th', { hasText: 'strike' })
    await header.click()
    await header.click()
    const sortedFirst = (await table.locator('tbody tr').first().locator('td').nth(2).textContent()) ?? ''
    return { ...counts, sortedFirst }
  } finally {
    await browser.close()
  }
}
