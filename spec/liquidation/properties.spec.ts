// fast-check properties of the liquidation engine. Fixed seed 42; budgets stated per property
// (numRuns). Surface: the smile stand-in of helpers.ts with 5 % carry; marks from it (every
// third a model mark with a ±5 % band). Shrunk counterexamples, if any appear, become example
// tests in margin.spec.ts.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { assessAccount, shiftMarket } from '../../lib/liquidation/assess.js'
import { closeCostPremium } from '../../lib/liquidation/cost.js'
import { evaluateAccount } from '../../lib/liquidation/margin.js'
import { compileAccount, prepareMarket } from '../../lib/liquidation/market.js'
import { liquidationPlan } from '../../lib/liquidation/plan.js'
import { liquidationPrices } from '../../lib/liquidation/liquidationPrice.js'
import {
  DEFAULT_LIQUIDATION_CONFIG,
  DERIBIT_STANDARD,
  DERIVE_STANDARD,
  RISK_MATRIX,
  type MarginPreset,
} from '../../lib/liquidation/presets.js'
import { statusCode } from '../../lib/liquidation/status.js'
import { CHAIN, chainMarks, markFor, right, smileVol, testSurface } from './helpers.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = chainMarks(surface)
const ctx = right(prepareMarket(marks, surface))
const INSTRUMENTS = [...CHAIN, 'BTC-PERPETUAL', 'BTC-25DEC26']
const PRESETS: readonly MarginPreset[] = [DERIBIT_STANDARD, DERIVE_STANDARD, RISK_MATRIX]

const position = fc.record({
  instrument: fc.constantFrom(...INSTRUMENTS),
  size: fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
  entryPrice: fc.double({ min: 60000, max: 90000, noNaN: true }),
})
const account = fc.record({
  id: fc.constant('p'),
  collateral: fc.record({
    BTC: fc.double({ min: 0, max: 3, noNaN: true }),
    USD: fc.double({ min: -20000, max: 60000, noNaN: true }),
  }),
  positions: fc.array(position, { minLength: 1, maxLength: 6 }),
}) as fc.Arbitrary<Account>

const compiled = (a: Account) => right(compileAccount(ctx, a))

describe('properties', () => {
  it('more collateral never worsens status (3 presets × 150 runs)', () => {
    fc.assert(
      fc.property(
        account,
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 100000, noNaN: true }),
        fc.constantFrom(...PRESETS),
        (a, addBtc, addUsd, preset) => {
          const more: Account = {
            ...a,
            collateral: { BTC: (a.collateral.BTC ?? 0) + addBtc, USD: (a.collateral.USD ?? 0) + addUsd },
          }
          const s0 = evaluateAccount(ctx, compiled(a), preset)
          const s1 = evaluateAccount(ctx, compiled(more), preset)
          return statusCode(s1.equityUsd, s1.imUsd, s1.mmUsd) <= statusCode(s0.equityUsd, s0.imUsd, s0.mmUsd)
        },
      ),
      { seed: 42, numRuns: 150 },
    )
  })

  it('scaling every position by λ > 0 scales standard margin by λ (2 presets × 200 runs)', () => {
    fc.assert(
      fc.property(
        account,
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.constantFrom(DERIBIT_STANDARD, DERIVE_STANDARD),
        (a, lambda, preset) => {
          const scaled: Account = {
            ...a,
            positions: a.positions.map((p) => ({ ...p, size: p.size * lambda })),
          }
          const s0 = evaluateAccount(ctx, compiled(a), preset)
          const s1 = evaluateAccount(ctx, compiled(scaled), preset)
          const tol = (x: number): number => 1e-9 * Math.max(1, Math.abs(x))
          return (
            Math.abs(s1.imUsd - lambda * s0.imUsd) <= tol(lambda * s0.imUsd) &&
            Math.abs(s1.mmUsd - lambda * s0.mmUsd) <= tol(lambda * s0.mmUsd)
          )
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('a plan ends at or above the buffer, or says it cannot (3 presets × 40 runs)', () => {
    const cfg = DEFAULT_LIQUIDATION_CONFIG
    fc.assert(
      fc.property(account, fc.constantFrom(...PRESETS), (a, preset) => {
        const c = compiled(a)
        const plan = liquidationPlan(ctx, c, preset, cfg.cost, cfg.plan)
        if (!plan.achieved) return plan.reason !== null && plan.reason.length > 0
        const last = plan.steps[plan.steps.length - 1]
        if (last === undefined) {
          const s = evaluateAccount(ctx, c, preset)
          return s.equityUsd >= (1 + cfg.plan.bufferRate) * s.mmUsd
        }
        return last.equityUsd >= last.bufferUsd && plan.reason === null
      }),
      { seed: 42, numRuns: 40 },
    )
  })

  it('liquidation prices re-assess to equity = MM through an independently shifted market (3 presets × 15 runs)', () => {
    const settings = { ...DEFAULT_LIQUIDATION_CONFIG.liquidationPrice, gridPoints: 121 }
    fc.assert(
      fc.property(account, fc.constantFrom(...PRESETS), (a, preset) => {
        const lp = liquidationPrices(ctx, compiled(a), preset, settings)
        for (const price of lp.all) {
          const moved = right(shiftMarket(marks, surface, price))
          const r = assessAccount(a, moved.marks, moved.surface, { preset, full: false })
          if (E.isLeft(r)) return false
          const gap = Math.abs(r.right.equityUsd - r.right.maintenanceMarginUsd)
          // stated tolerance: 1e-6·(|equity| + MM + 1) USD
          if (gap > 1e-6 * (Math.abs(r.right.equityUsd) + r.right.maintenanceMarginUsd + 1)) return false
        }
        return true
      }),
      { seed: 42, numRuns: 15 },
    )
  })

  it('a thinner book never lowers liquidation cost: model (300 runs) and depth walk (300 runs)', () => {
    const cm = DEFAULT_LIQUIDATION_CONFIG.cost
    fc.assert(
      fc.property(
        fc.constantFrom(...CHAIN),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (name, size, rs, widen, top, thin) => {
          const thick = right(
            prepareMarket([markFor(surface, name, { relativeSpread: rs, topSize: top })], surface),
          )
          const thinner = right(
            prepareMarket(
              [markFor(surface, name, { relativeSpread: rs * (1 + widen), topSize: top * thin })],
              surface,
            ),
          )
          return closeCostPremium(thinner, 0, size, cm).cost >= closeCostPremium(thick, 0, size, cm).cost
        },
      ),
      { seed: 42, numRuns: 300 },
    )
    const level = fc.record({
      price: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
      amount: fc.double({ min: 0, max: 10, noNaN: true }),
    })
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 0, maxLength: 6 }),
        fc.array(level, { minLength: 0, maxLength: 6 }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (bids, asks, size, alpha) => {
          const b = [...bids].sort((x, y) => y.price - x.price)
          const s = [...asks].sort((x, y) => x.price - y.price)
          const thick = { bids: b, asks: s }
          const thinner = {
            bids: b.map((l) => ({ price: l.price, amount: l.amount * alpha })),
            asks: s.map((l) => ({ price: l.price, amount: l.amount * alpha })),
          }
          const i = ctx.table.index.get('BTC-25SEP26-75000-P') as number
          const c0 = closeCostPremium(ctx, i, size, cm, thick).cost
          const c1 = closeCostPremium(ctx, i, size, cm, thinner).cost
          return c1 >= c0 - 1e-12 * Math.max(1, Math.abs(c0))
        },
      ),
      { seed: 42, numRuns: 300 },
    )
  })

  it('results are deterministic: the same inputs give identical JSON (3 presets × 20 runs)', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...PRESETS), (a, preset) => {
        const x = JSON.stringify(assessAccount(a, marks, surface, { preset }))
        const y = JSON.stringify(assessAccount(a, [...marks].reverse(), surface, { preset }))
        return x === y
      }),
      { seed: 42, numRuns: 20 },
    )
  })
})
