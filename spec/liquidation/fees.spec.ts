// Fees and loss allocation, worked by hand.
import { describe, expect, it } from 'vitest'
import { liquidationFees } from '../../lib/liquidation/fees.js'
import { DEFAULT_LIQUIDATION_CONFIG } from '../../lib/liquidation/presets.js'

describe('fees', () => {
  const fees = DEFAULT_LIQUIDATION_CONFIG.fees
  it('solvent liquidation: penalty 5 % of MM, split 50/40/10', () => {
    const f = liquidationFees(1000, 10000, 200, fees)
    // penalty = min(0.05·10 000 = 500, 1 000 − 200 = 800) = 500 → 250 / 200 / 50; residual 300
    expect(f.penaltyUsd).toBe(500)
    expect(f.insuranceFundUsd).toBe(250)
    expect(f.liquidatorUsd).toBe(200)
    expect(f.burnUsd).toBe(50)
    expect(f.residualEquityUsd).toBe(300)
    expect(f.shortfallUsd).toBe(0)
  })
  it('insolvent: shortfall drawn from the fund, remainder socialised', () => {
    const f = liquidationFees(-500, 10000, 1000, { ...fees, insuranceFundUsd: 1200 })
    // left = −500 − 1 000 = −1 500 → no penalty; shortfall 1 500; fund draws 1 200; socialised 300
    expect(f.penaltyUsd).toBe(0)
    expect(f.shortfallUsd).toBe(1500)
    expect(f.insuranceDrawUsd).toBe(1200)
    expect(f.socialisedLossUsd).toBe(300)
  })
})
