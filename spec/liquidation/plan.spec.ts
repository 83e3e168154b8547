// Incremental plans on a nearly insolvent and an insolvent account; the "ends at or above the
// buffer or says it cannot" property is in properties.spec.ts.
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { assessAccount } from '../../lib/liquidation/assess.js'
import { DERIBIT_STANDARD, RISK_MATRIX } from '../../lib/liquidation/presets.js'
import { markFor, right, testSurface } from './helpers.js'

const surface = testSurface()

describe('plan', () => {
  const marks = [
    markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02 }),
    markFor(surface, 'BTC-25SEP26-90000-C', { price: 0.01 }),
    markFor(surface, 'BTC-25SEP26-80000-C', { price: 0.03 }),
  ]
  it('nearly insolvent short strangle: partial closes restore the buffer, steps reported', () => {
    const acct: Account = {
      id: 'thin',
      collateral: { USD: 26000 },
      positions: [
        { instrument: 'BTC-25SEP26-70000-P', size: -2 },
        { instrument: 'BTC-25SEP26-90000-C', size: -2 },
      ],
    }
    // Deribit: MM = 2·7 315 + 2·6 545 = 27 720; equity = 26 000 − 3 080 − 1 540 = 21 380 → liquidatable
    const a = right(assessAccount(acct, marks, surface, { preset: DERIBIT_STANDARD }))
    expect(a.status).toBe('liquidatable')
    expect(a.maintenanceMarginUsd).toBeCloseTo(27720, 8)
    const plan = a.plan
    expect(plan?.achieved).toBe(true)
    const last = plan?.steps[plan.steps.length - 1]
    expect(last).toBeDefined()
    expect((last?.equityUsd as number) >= (last?.bufferUsd as number)).toBe(true)
    expect(plan?.totalCostUsd).toBeGreaterThan(0)
    // the last step is partial (smallest fraction that reaches the buffer)
    expect(last?.fraction).toBeLessThan(1)
    expect(a.fees?.penaltyUsd).toBeGreaterThan(0)
  })
  it('insolvent account: the plan says it cannot', () => {
    const acct: Account = {
      id: 'bust',
      collateral: { USD: 1000 },
      positions: [{ instrument: 'BTC-25SEP26-70000-P', size: -2 }],
    }
    const a = right(assessAccount(acct, marks, surface, { preset: RISK_MATRIX }))
    expect(a.status).toBe('insolvent')
    expect(a.plan?.achieved).toBe(false)
    expect(a.plan?.reason).toMatch(/insolvent|cannot/)
    expect(a.fees?.shortfallUsd).toBeGreaterThan(0)
  })
})
