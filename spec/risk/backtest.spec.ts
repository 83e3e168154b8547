import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { readPriceHistory } from '../../lib/io/history.js'
import { rollingVarBacktest } from '../../lib/risk/backtest.js'
import { logReturns } from '../../lib/risk/ewma.js'

const historyCsv = readFileSync(
  new URL('../fixtures/data/history/btcusd_daily_bitstamp_coinbase_2011-08_2025-09.csv', import.meta.url),
  'utf8',
)

describe('rolling VaR backtest', () => {
  it('counts exceptions on a hand-built history (HS, window 10, 90%)', () => {
    // returns: 10 calm days of ±1%, then a −5% day (exception), then +1% (no exception)
    const calm = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01]
    const r = Float64Array.from([...calm, -0.05, 0.01])
    const bt = rollingVarBacktest(r, { window: 10, confidence: 0.9, method: 'hs' })
    // window of 10, p = 0.1 → w = 1 → VaR = −x₍₂₎ = 1 − e^{−0.01}
    expect(bt.var[0]).toBeCloseTo(-Math.expm1(-0.01), 15)
    expect(Array.from(bt.exception)).toEqual([1, 0])
    expect(bt.kupiec.exceptions).toBe(1)
  })
  it('a short position takes its exceptions on rallies', () => {
    const calm = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01]
    const r = Float64Array.from([...calm, -0.05, 0.08])
    const bt = rollingVarBacktest(r, { window: 10, confidence: 0.9, method: 'hs', direction: -1 })
    expect(Array.from(bt.exception)).toEqual([0, 1])
  })
  it('on the BTC history (2011–2025), FHS at 99% is not rejected by Kupiec at 5% while its exception rate is near 1%', () => {
    const h = readPriceHistory(historyCsv)
    if (E.isLeft(h)) throw new Error(h.left.message)
    expect(h.right.closes.length).toBe(5152)
    const r = logReturns(h.right.closes)
    const fhs = rollingVarBacktest(r, { window: 500, confidence: 0.99, method: 'fhs' })
    const hs = rollingVarBacktest(r, { window: 500, confidence: 0.99, method: 'hs' })
    const rate = fhs.kupiec.exceptions / fhs.kupiec.observations
    console.log(
      `BTC 1-day 99% VaR backtest, ${fhs.kupiec.observations} days: FHS ${fhs.kupiec.exceptions} exceptions ` +
        `(${(100 * rate).toFixed(2)}%, LR ${fhs.kupiec.statistic.toFixed(2)}, p ${fhs.kupiec.pValue.toFixed(3)}); ` +
        `HS ${hs.kupiec.exceptions} (LR ${hs.kupiec.statistic.toFixed(2)}, p ${hs.kupiec.pValue.toFixed(3)})`,
    )
    expect(rate).toBeGreaterThan(0.005)
    expect(rate).toBeLessThan(0.02)
    expect(fhs.kupiec.rejected).toBe(false)
  })
  it('rejects a history with a non-positive close, naming row and field', () => {
    const bad = readPriceHistory('timestamp,close\n2020-01-01 00:00:00,100\n2020-01-02 00:00:00,-1\n')
    expect(E.isLeft(bad) && bad.left.field).toBe('row 2.close')
  })
  it('rejects a missing column and dates out of order, in the InvalidInput grammar', () => {
    const noDate = readPriceHistory('date,close\n2020-01-01,100\n')
    expect(E.isLeft(noDate) && noDate.left.message).toBe(
      'field timestamp = null: must be a column of the header',
    )
    const back = readPriceHistory('timestamp,close\n2020-01-02,100\n2020-01-01,101\n')
    expect(E.isLeft(back) && back.left.message).toBe(
      `field row 2.timestamp = "2020-01-01": must be after the previous row's date (dates strictly ascending)`,
    )
  })
})
