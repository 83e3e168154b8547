import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { readPriceHistory } from '../../lib/io/history.js'
import {
  historicalScenarios,
  historicalStressScenarios,
  spotVolShock,
  stressGrid,
} from '../../lib/risk/scenarios.js'

const h = readPriceHistory(
  readFileSync(
    new URL('../fixtures/data/history/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv', import.meta.url),
    'utf8',
  ),
)
if (E.isLeft(h)) throw new Error(h.left.message)
const history = h.right

describe('risk scenarios', () => {
  it('2020-03-12 is the close-to-close move 7938.05 → 4857.10 (−38.8%) with vols up by e^{−r} − 1', () => {
    const { scenarios, missing } = historicalStressScenarios(history, { worstDays: 0 })
    expect(missing).toEqual([])
    const mar12 = scenarios.find((s) => s.date === '2020-03-12')
    expect(mar12?.spotMove).toBeCloseTo(4857.1 / 7938.05 - 1, 14)
    expect(mar12?.volShock).toBeCloseTo(7938.05 / 4857.1 - 1, 12)
    const may19 = scenarios.find((s) => s.date === '2021-05-19')
    // 2021-05-18 close 42857.15 (the prior row), 2021-05-19 close 36731.75
    expect(may19?.spotMove).toBeCloseTo(36731.75 / 42857.15 - 1, 14)
  })
  it('worst days are the largest one-day falls, in order, without duplicating a listed date', () => {
    const { scenarios } = historicalStressScenarios(history, { worstDays: 3 })
    const worst = scenarios.filter((s) => s.name.startsWith('worst'))
    expect(worst.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < worst.length; i++)
      expect((worst[i] as { spotMove: number }).spotMove).toBeGreaterThanOrEqual(
        (worst[i - 1] as { spotMove: number }).spotMove,
      )
    const all = scenarios.map((s) => s.date)
    expect(new Set(all).size).toBe(all.length)
  })
  it('historical scenarios: last N daily HS moves equal the close ratios', () => {
    const sc = historicalScenarios(history, { method: 'hs', count: 2 })
    const n = history.closes.length
    expect(sc[1]?.spotMove).toBeCloseTo(
      (history.closes[n - 1] as number) / (history.closes[n - 2] as number) - 1,
      14,
    )
    expect(sc[1]?.date).toBe(history.dates[n - 1])
  })
  it('spot–vol rule and grids', () => {
    expect(spotVolShock(Math.log(0.9), 1)).toBeCloseTo(1 / 0.9 - 1, 15)
    expect(spotVolShock(0.3, 0)).toBeCloseTo(0, 15)
    expect(stressGrid([-0.2, 0.2], [0, 0.5]).map((s) => s.name)).toEqual([
      'spot -20% vol +0%',
      'spot -20% vol +50%',
      'spot +20% vol +0%',
      'spot +20% vol +50%',
    ])
  })
})
