// Liquidation cost, worked by hand: the model (half-spread + vega impact) and the book walk
// (fills at their distance to the mark, the model beyond the book). The thinner-book properties
// are in properties.spec.ts.
import { describe, expect, it } from 'vitest'
import { closeCostPremium, liquidationCost } from '../../lib/liquidation/cost.js'
import { compileAccount, prepareMarket } from '../../lib/liquidation/market.js'
import { DEFAULT_LIQUIDATION_CONFIG } from '../../lib/liquidation/presets.js'
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
    const depth = {
      bids: [],
      asks: [
        { price: 0.021, amount: 1 },
        { price: 0.023, amount: 1 },
      ],
    }
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
    const thin = right(
      prepareMarket(
        [markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02, relativeSpread: null, topSize: null })],
        surface,
      ),
    )
    const vega = thin.table.vega[0] as number
    expect(closeCostPremium(thin, 0, 1, cm).cost).toBeCloseTo(0.5 * 0.3 * 0.02 + vega * 0.01, 15)
  })
  const marks = [markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02 })]
  it('cost of a compiled account equals the per-position sum', () => {
    const ctx = right(prepareMarket(marks, surface))
    const c = right(
      compileAccount(ctx, {
        id: 'x',
        collateral: {},
        positions: [
          { instrument: 'BTC-25SEP26-70000-P', size: -2 },
          { instrument: 'BTC-PERPETUAL', size: 3 },
        ],
      }),
    )
    const lc = liquidationCost(ctx, c.rows, c.sizes, cm)
    expect(lc.totalUsd).toBeCloseTo(
      (lc.positions[0]?.costUsd as number) + (lc.positions[1]?.costUsd as number),
      9,
    )
    // perp: 3·77 000·(0.0001 + 0.001·√(3/100))
    expect(lc.positions[1]?.costUsd).toBeCloseTo(3 * 77000 * (0.0001 + 0.001 * Math.sqrt(0.03)), 9)
  })
})
