// Liquidation prices: a short strangle has one below and one above spot; re-assessing at each
// through an independently shifted market (shiftMarket + assessAccount) gives equity = MM within
// the stated tolerance 1e-6·(|equity| + MM + 1) USD; a fully collateralised long has none.
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { assessAccount, shiftMarket } from '../../lib/liquidation/assess.js'
import { DERIBIT_STANDARD, DERIVE_STANDARD, RISK_MATRIX } from '../../lib/liquidation/presets.js'
import { markFor, right, smileVol, testSurface } from './helpers.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = [
  markFor(surface, 'BTC-25SEP26-70000-P', { source: 'model' }),
  markFor(surface, 'BTC-25SEP26-90000-C'),
  markFor(surface, 'BTC-25DEC26-90000-C'),
]
const strangle: Account = {
  id: 'strangle',
  collateral: { USD: 30000 },
  positions: [
    { instrument: 'BTC-25SEP26-70000-P', size: -1 },
    { instrument: 'BTC-25SEP26-90000-C', size: -1 },
  ],
}

describe('liquidation prices', () => {
  const reassess = (acct: Account, preset: typeof DERIBIT_STANDARD, price: number): void => {
    const moved = right(shiftMarket(marks, surface, price))
    const r = right(assessAccount(acct, moved.marks, moved.surface, { preset, full: false }))
    const gap = Math.abs(r.equityUsd - r.maintenanceMarginUsd)
    expect(gap).toBeLessThanOrEqual(1e-6 * (Math.abs(r.equityUsd) + r.maintenanceMarginUsd + 1))
  }
  for (const preset of [DERIBIT_STANDARD, DERIVE_STANDARD])
    it(`short strangle (${preset.name}): one below, one above, both re-assess to equity = MM`, () => {
      const a = right(assessAccount(strangle, marks, surface, { preset }))
      const lp = a.liquidationPrices
      expect(lp?.below as number).toBeLessThan(surface.spot)
      expect(lp?.above as number).toBeGreaterThan(surface.spot)
      reassess(strangle, preset, lp?.below as number)
      reassess(strangle, preset, lp?.above as number)
    })
  it('short strangle (risk-matrix): the +500 % extended move sets the margin; a crossing each side', () => {
    const a = right(assessAccount(strangle, marks, surface, { preset: RISK_MATRIX }))
    expect(a.decidedBy.scenario?.name).toBe('extended spot +500% vol up')
    const lp = a.liquidationPrices
    expect(lp?.below as number).toBeLessThan(surface.spot)
    expect(lp?.above as number).toBeGreaterThan(surface.spot)
    reassess(strangle, RISK_MATRIX, lp?.below as number)
    reassess(strangle, RISK_MATRIX, lp?.above as number)
  })
  it('a long call paid for in cash has no liquidation price: none / none', () => {
    const acct: Account = {
      id: 'long',
      collateral: { USD: 10000 },
      positions: [{ instrument: 'BTC-25DEC26-90000-C', size: 1 }],
    }
    const a = right(assessAccount(acct, marks, surface, { preset: DERIBIT_STANDARD }))
    expect(a.liquidationPrices?.below).toBe('none')
    expect(a.liquidationPrices?.above).toBe('none')
    expect(a.liquidationPrices?.all.length).toBe(0)
  })
})
