// Liquidation cost (model and book walk, worked by hand), fees and loss allocation (by hand),
// status thresholds, and plans on a nearly insolvent and an insolvent account.
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { assessAccount } from '../../lib/liquidation/assess.js'
import { closeCostPremium, liquidationCost } from '../../lib/liquidation/cost.js'
import { liquidationFees } from '../../lib/liquidation/fees.js'
import { compileAccount, prepareMarket } from '../../lib/liquidation/market.js'
import { DEFAULT_LIQUIDATION_CONFIG, DERIBIT_STANDARD, RISK_MATRIX } from '../../lib/liquidation/presets.js'
import { accountStatus, statusCode } from '../../lib/liquidation/status.js'
import { markFor, right, testSurface } from './helpers.js'

const surface = testSurface()
const cm = DEFAULT_LIQUIDATION_CONFIG.cost

describe('liquidation cost', () => {
  const mark = markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02, relativeSpread: 0.1, topSize: 4 })
  const ctx = right(prepareMarket([mark], surface))
  it('model: half-spread plus vega impact, worked by hand', () => {
    // half-spread = ½·0.1·0.02 = 0.001 coin; impact = vega·0.01·√(1/4) = vega·0.005 per unit
    const vega = ctx.table.vega[0] as number
    const c = closeCostPremium(ctx, 0, -1, cm)
    expect(c.method).toBe('model')
    expect(c.cost).toBeCloseTo(0.001 + vega * 0.01 * 0.5, 15)
    // 4 units: 4·(0.001 + vega·0.01·√(4/4))
    expect(closeCostPremium(ctx, 0, 4, cm).cost).toBeCloseTo(4 * (0.001 + vega * 0.01), 15)
  })
  it('book: walks the asks to close a short, the model prices what the book cannot absorb', () => {
    const depth = { bids: [], asks: [{ price: 0.021, amount: 1 }, { price: 0.023, amount: 1 }] }
    // buy 1 @ 0.021 (0.001 over the mark) + 1 @ 0.023 (0.003) = 0.004; 1 more: last distance 0.003 + model(1)
    const vega = ctx.table.vega[0] as number
    const model1 = 0.001 + vega * 0.01 * Math.sqrt(1 / 4)
    const c = closeCostPremium(ctx, 0, -3, cm, depth)
    expect(c.method).toBe('book')
    expect(c.unfilled).toBe(1)
    expect(c.cost).toBeCloseTo(0.004 + 0.003 + model1, 14)
    const total = liquidationCost(ctx, [1], [-3], cm, new Map([['BTC-25SEP26-70000-P', depth]]))
    expect(total.totalUsd).toBeCloseTo(c.cost * 77000, 9)
    expect(total.totalCoin).toBeCloseTo(c.cost, 14)
  })
  it('no market (relative spread null) uses the default 30 % spread', () => {
    const thin = right(prepareMarket([markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02, relativeSpread: null, topSize: null })], surface))
    const vega = thin.table.vega[0] as number
    expect(closeCostPremium(thin, 0, 1, cm).cost).toBeCloseTo(0.5 * 0.3 * 0.02 + vega * 0.01, 15)
  })
})

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

describe('status', () => {
  it('thresholds', () => {
    expect(accountStatus(100, 90, 80)).toBe('healthy')
    expect(accountStatus(85, 90, 80)).toBe('margin-call')
    expect(accountStatus(79, 90, 80)).toBe('liquidatable')
    expect(accountStatus(-1, 90, 80)).toBe('insolvent')
    expect(statusCode(NaN, 0, 0)).toBe(3)
    expect(accountStatus(80, 90, 80)).toBe('margin-call') // equity = MM is not below MM
  })
})

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
  it('cost of a compiled account equals the per-position sum', () => {
    const ctx = right(prepareMarket(marks, surface))
    const c = right(compileAccount(ctx, { id: 'x', collateral: {}, positions: [{ instrument: 'BTC-25SEP26-70000-P', size: -2 }, { instrument: 'BTC-PERPETUAL', size: 3 }] }))
    const lc = liquidationCost(ctx, c.rows, c.sizes, cm)
    expect(lc.totalUsd).toBeCloseTo((lc.positions[0]?.costUsd as number) + (lc.positions[1]?.costUsd as number), 9)
    // perp: 3·77 000·(0.0001 + 0.001·√(3/100))
    expect(lc.positions[1]?.costUsd).toBeCloseTo(3 * 77000 * (0.0001 + 0.001 * Math.sqrt(0.03)), 9)
  })
})
