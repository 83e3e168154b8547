import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { DEFAULT_LIQUIDATION_CONFIG } from '../../lib/liquidation/presets.js'
import { type DepthCurve, priceImpact, simulateCascade } from '../../lib/risk/cascade.js'
import { portfolioOf } from '../../lib/risk/portfolio.js'
import { chainMarks, right, smileVol, testSurface } from '../liquidation/helpers.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = chainMarks(surface)
const puts = [
  'BTC-25SEP26-60000-P',
  'BTC-25SEP26-70000-P',
  'BTC-25SEP26-75000-P',
  'BTC-25DEC26-65000-P',
  'BTC-28AUG26-72000-P',
]

/** A downside book: short puts and long perpetuals, collateral in USD, headroom rising with spot. */
const downsideBook = (collaterals: readonly number[]): Account[] =>
  collaterals.map((c, i) => ({
    id: `acct-${String(i).padStart(3, '0')}`,
    collateral: { USD: c },
    positions:
      i % 4 === 3
        ? [{ instrument: 'BTC-PERPETUAL', size: 1, entryPrice: 77000 }]
        : [{ instrument: puts[i % puts.length] as string, size: -(1 + (i % 3)) }],
  }))

const ZERO: DepthCurve = { model: 'linear', coefficient: 0, referenceUsd: 1 }
const THIN: DepthCurve = { model: 'sqrt', coefficient: 0.02, referenceUsd: 1e6 }

describe('price impact', () => {
  it('linear and square-root laws worked by hand', () => {
    expect(priceImpact(-2e6, { model: 'linear', coefficient: 1e-9, referenceUsd: 1 })).toBeCloseTo(-0.002, 15)
    expect(priceImpact(-4e6, THIN)).toBeCloseTo(-0.04, 15) // 0.02·√4
    expect(priceImpact(-1e12, THIN)).toBe(-0.99)
  })
})

describe('simulateCascade', () => {
  const accounts = downsideBook(Array.from({ length: 40 }, (_, i) => 2000 + 1500 * i))
  const p = right(portfolioOf(accounts, marks, surface))

  it('with zero impact the cascade stops after one round', () => {
    const r = simulateCascade(p.book, p.market, { initialShock: -0.25, depth: ZERO })
    expect(r.rounds.length).toBe(1)
    expect(r.pricePath.length).toBe(3)
    expect(r.amplification).toBeCloseTo(1, 12)
    expect(r.liquidatedAccounts).toBe(r.noFeedback.liquidatedAccounts)
  })

  it('feedback through a thin depth curve liquidates more and moves spot further than the shock alone', () => {
    const r = simulateCascade(p.book, p.market, { initialShock: -0.2, depth: THIN })
    console.log(
      `cascade: ${r.rounds.length} rounds, ${r.liquidatedAccounts} liquidated (no feedback ${r.noFeedback.liquidatedAccounts}), ` +
        `move ${(100 * r.totalMove).toFixed(1)}% vs ${(100 * r.noFeedback.move).toFixed(1)}%, amplification ${r.amplification.toFixed(2)}`,
    )
    expect(r.rounds.length).toBeGreaterThan(1)
    expect(r.liquidatedAccounts).toBeGreaterThan(r.noFeedback.liquidatedAccounts)
    expect(r.amplification).toBeGreaterThan(1)
    for (const x of r.rounds) expect(x.hedgeUnits).toBeLessThan(0) // short puts and long perps: the liquidator sells
  })

  it('insurance fund: shortfall = drawn + socialised whatever the fund; a large fund absorbs it, an empty one socialises it', () => {
    const fees = DEFAULT_LIQUIDATION_CONFIG.fees
    const rich = simulateCascade(p.book, p.market, {
      initialShock: -0.6,
      depth: ZERO,
      fees: { ...fees, insuranceFundUsd: 1e12 },
    })
    const empty = simulateCascade(p.book, p.market, {
      initialShock: -0.6,
      depth: ZERO,
      fees: { ...fees, insuranceFundUsd: 0 },
    })
    const shortfall = rich.insuranceDrawnUsd + rich.socialisedLossUsd
    expect(shortfall).toBeGreaterThan(0) // a 60% crash makes some short-put accounts insolvent
    expect(rich.socialisedLossUsd).toBe(0)
    expect(empty.insuranceDrawnUsd + empty.socialisedLossUsd).toBeCloseTo(shortfall, 6)
    // an empty fund still receives penalties from solvent liquidations, so it may cover part of it
    expect(empty.socialisedLossUsd).toBeGreaterThan(0)
    expect(empty.insuranceFundEndUsd).toBeGreaterThanOrEqual(0)
    expect(empty.rounds.reduce((s, x) => s + x.insuranceDrawUsd, 0)).toBeCloseTo(empty.insuranceDrawnUsd, 9)
  })

  it('a bigger initial fall never liquidates fewer accounts (downside book; fast-check seed 2026, 25 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 5, maxLength: 25 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (coll, s, extra) => {
          const q = right(portfolioOf(downsideBook(coll), marks, surface))
          const a = simulateCascade(q.book, q.market, { initialShock: -s, depth: THIN })
          const b = simulateCascade(q.book, q.market, {
            initialShock: -Math.min(s + extra, 0.9),
            depth: THIN,
          })
          expect(b.liquidatedAccounts).toBeGreaterThanOrEqual(a.liquidatedAccounts)
        },
      ),
      { seed: 2026, numRuns: 25 },
    )
  })

  it('is deterministic', () => {
    const a = simulateCascade(p.book, p.market, { initialShock: -0.2, depth: THIN })
    const b = simulateCascade(p.book, p.market, { initialShock: -0.2, depth: THIN })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
})
