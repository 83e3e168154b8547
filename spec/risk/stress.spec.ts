import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { evaluateAccount, presetScenarios } from '../../lib/liquidation/margin.js'
import { DERIBIT_STANDARD, RISK_MATRIX } from '../../lib/liquidation/presets.js'
import { accountColumns, shockedMarket } from '../../lib/risk/market.js'
import { FLAT_VOL_RULE } from '../../lib/liquidation/presets.js'
import { portfolioOf, valueAtRisk } from '../../lib/risk/portfolio.js'
import { stressGrid } from '../../lib/risk/scenarios.js'
import { stressTest } from '../../lib/risk/stress.js'
import { chainMarks, right, smileVol, testSurface } from '../liquidation/helpers.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = chainMarks(surface)
const accounts: Account[] = [
  { id: 'short-put', collateral: { BTC: 0.6 }, positions: [{ instrument: 'BTC-25SEP26-70000-P', size: -2 }] },
  {
    id: 'strangle',
    collateral: { USD: 30000 },
    positions: [
      { instrument: 'BTC-25SEP26-70000-P', size: -1 },
      { instrument: 'BTC-25SEP26-90000-C', size: -1 },
    ],
  },
  {
    id: 'hedged',
    collateral: { USD: 20000 },
    positions: [
      { instrument: 'BTC-25SEP26-80000-C', size: -1 },
      { instrument: 'BTC-PERPETUAL', size: 0.5, entryPrice: 77000 },
    ],
  },
]

describe('stress tests', () => {
  it('a spot-only shocked market values accounts exactly as the liquidation stage does at that spot', () => {
    const p = right(portfolioOf(accounts, marks, surface))
    for (const preset of [DERIBIT_STANDARD, RISK_MATRIX]) {
      for (const move of [-0.3, -0.1, 0.15]) {
        const res = stressTest(p, [{ name: 'x', spotMove: move, volShock: 0, date: null }], {
          preset,
          liquidationPrices: false,
        })
        for (let a = 0; a < accounts.length; a++) {
          const ref = evaluateAccount(
            p.market,
            accountColumns(p.book, a),
            preset,
            1 + move,
            presetScenarios(preset),
          )
          expect(res.rows[a]?.equityUsd).toBeCloseTo(ref.equityUsd, 6)
          expect(res.rows[a]?.mmUsd).toBeCloseTo(ref.mmUsd, 6)
        }
      }
    }
  })
  it('stress P&L equals the VaR engine P&L for the same scenarios (two paths, one valuation)', () => {
    const p = right(portfolioOf(accounts, marks, surface))
    const sc = stressGrid([-0.4, -0.15, 0.1], [0.5, 0, -0.2])
    const st = stressTest(p, sc, { liquidationPrices: false })
    const vr = valueAtRisk(p, sc)
    for (let s = 0; s < sc.length; s++) {
      const sum = st.rows.filter((r) => r.scenario === sc[s]?.name).reduce((x, r) => x + r.pnlUsd, 0)
      expect(sum).toBeCloseTo(vr.bookPnl[s] as number, 6)
    }
  })
  it('a crash with vols up turns the short put liquidatable; headroom is equity − MM and liquidation prices move', () => {
    const p = right(portfolioOf(accounts, marks, surface))
    const st = stressTest(p, stressGrid([0, -0.35], [0, 0.5]))
    const base = st.rows.find((r) => r.account === 'short-put' && r.scenario === 'spot +0% vol +0%')
    const crash = st.rows.find((r) => r.account === 'short-put' && r.scenario === 'spot -35% vol +50%')
    expect(base?.statusAfter).toBe('healthy')
    expect(crash?.pnlUsd).toBeLessThan(0)
    expect(['liquidatable', 'insolvent']).toContain(crash?.statusAfter)
    for (const r of st.rows) expect(r.headroomUsd).toBeCloseTo(r.equityUsd - r.mmUsd, 9)
    expect(typeof base?.liquidationBelow).toBe('number')
  })
  it('shockedMarket keeps the instrument table order (a compiled book stays valid)', () => {
    const p = right(portfolioOf(accounts, marks, surface))
    const s = shockedMarket(p.market, { spotMove: -0.2, volShock: 0.3 }, FLAT_VOL_RULE)
    expect(s.table.names).toBe(p.market.table.names)
    expect(s.spot).toBeCloseTo(p.market.spot * 0.8, 9)
  })
})
