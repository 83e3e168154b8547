import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { compileAccounts } from '../../lib/liquidation/market.js'
import { portfolioOf, smallestK, valueAtRisk } from '../../lib/risk/portfolio.js'
import { type RiskScenario, stressGrid } from '../../lib/risk/scenarios.js'
import { valueAtRiskOfSample } from '../../lib/risk/var.js'
import {
  CHAIN,
  SPOT,
  b76,
  chainMarks,
  markFor,
  right,
  smileVol,
  testSurface,
} from '../liquidation/helpers.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = chainMarks(surface)

const moves = (xs: readonly number[]): RiskScenario[] =>
  xs.map((x, i) => ({ name: `s${i}`, spotMove: x, volShock: 0, date: null }))

describe('valueAtRisk with full revaluation', () => {
  it('a perpetual-only book: P&L = size·S·move, so 99% VaR of 200 moves is the 3rd worst loss', () => {
    const acct: Account = {
      id: 'lin',
      collateral: { USD: 1e6 },
      positions: [{ instrument: 'BTC-PERPETUAL', size: 2, entryPrice: SPOT }],
    }
    const xs = Array.from({ length: 200 }, (_, i) => -0.2 + (0.4 * i) / 199)
    const r = valueAtRisk(right(portfolioOf([acct], marks, surface)), moves(xs))
    // p = 0.01, n = 200 → w = 2 → VaR = −P&L₍₃₎ = −2·S·xs[2]
    expect(r.var).toBeCloseTo(-2 * SPOT * (xs[2] as number), 6)
    expect(r.accountVar[0]).toBeCloseTo(r.var, 9)
    // ES at 97.5%: np = 5, the mean of the 5 worst = −2·S·mean(xs[0..4]) = −2·S·xs[2] on an even grid
    expect(r.es).toBeCloseTo(-2 * SPOT * (xs[2] as number), 6)
  })

  it('coin collateral moves with spot: 1 BTC held is the same risk as a 1-unit perpetual', () => {
    const a: Account = { id: 'coin', collateral: { BTC: 1 }, positions: [] }
    const b: Account = {
      id: 'perp',
      collateral: { USD: 0 },
      positions: [{ instrument: 'BTC-PERPETUAL', size: 1, entryPrice: SPOT }],
    }
    const sc = moves([-0.3, -0.1, 0.05, 0.2])
    const r = valueAtRisk(right(portfolioOf([a, b], marks, surface)), sc, {
      varConfidence: 0.75,
      esConfidence: 0.75,
    })
    expect(r.accountVar[0]).toBeCloseTo(r.accountVar[1] as number, 8)
  })

  it('an option position is revalued through the shocked surface (sticky moneyness, relative vol shock)', () => {
    const name = 'BTC-25SEP26-70000-P'
    const mk = markFor(surface, name) // market mark at the model price
    const acct: Account = { id: 'sp', collateral: { USD: 1e5 }, positions: [{ instrument: name, size: -3 }] }
    const sc = stressGrid([-0.3, -0.1, 0, 0.1], [0, 0.5, -0.2]).map((s) => ({ ...s }))
    const r = valueAtRisk(right(portfolioOf([acct], [mk], surface)), sc, {
      varConfidence: 0.9,
      esConfidence: 0.9,
    })
    // independent revaluation: coin premium b76(F', K, σ')/F' times S' with F' = F·m, S' = S·m and
    // σ' = σ(ln(K/F'), T)·(1 + v)
    const t = mk.expiryYears
    const pnl = sc.map((s) => {
      const m = 1 + s.spotMove
      const f = mk.forward * m
      const sig = smileVol(Math.log(mk.strike / f), t) * (1 + s.volShock)
      const usd = (b76(-1, f, mk.strike, t, sig) / f) * SPOT * m
      return -3 * (usd - mk.markPrice * SPOT)
    })
    for (let s = 0; s < sc.length; s++) expect(r.bookPnl[s]).toBeCloseTo(pnl[s] as number, 6)
    expect(r.var).toBeCloseTo(valueAtRiskOfSample(Float64Array.from(pnl), 0.9), 6)
  })

  it('sharding: per-account figures are identical whether the book is risked whole or in chunks', () => {
    const accts: Account[] = CHAIN.map((n, i) => ({
      id: `a${i}`,
      collateral: { USD: 5e4 },
      positions: [{ instrument: n, size: i % 2 === 0 ? -1 : 2 }],
    }))
    const p = right(portfolioOf(accts, marks, surface))
    const sc = stressGrid([-0.25, -0.1, 0.1, 0.3], [0.3, 0, -0.2])
    const whole = valueAtRisk(p, sc)
    const first = valueAtRisk({ market: p.market, book: compileAccounts(p.market, accts.slice(0, 4)) }, sc)
    const second = valueAtRisk({ market: p.market, book: compileAccounts(p.market, accts.slice(4)) }, sc)
    expect([...first.accountVar, ...second.accountVar]).toEqual([...whole.accountVar])
    for (let a = 0; a < accts.length; a++)
      expect(whole.accountEs[a]).toBeGreaterThanOrEqual((whole.accountVar[a] as number) - 1e-9)
  })

  it('smallestK returns the k smallest in order (fast-check, seed 11, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (xs, k) => {
          const out = new Float64Array(k)
          const kk = smallestK(xs, k, out)
          const want = [...xs].sort((a, b) => a - b).slice(0, k)
          expect(kk).toBe(want.length)
          expect(Array.from(out.subarray(0, kk))).toEqual(want)
        },
      ),
      { seed: 11, numRuns: 300 },
    )
  })
})
