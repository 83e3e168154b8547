// Golden cases worked by hand (arithmetic in the comments). Surface: flat 50 % vol, F(T) = S =
// 77 000 (no carry), discount 1. Marks are market marks with round coin prices, so every number
// below follows from the preset formulas alone. Tolerance: 1e-9 relative (float rounding only).
import { describe, expect, it } from 'vitest'
import { assessAccount } from '../../lib/liquidation/assess.js'
import {
  DERIBIT_STANDARD,
  DERIVE_STANDARD,
  RISK_MATRIX,
  liquidationConfig,
} from '../../lib/liquidation/presets.js'
import type { Account } from '../../lib/domain/account.js'
import { markFor, right, testSurface } from './helpers.js'

const surface = testSurface()
const marks = [
  markFor(surface, 'BTC-25SEP26-90000-C', { price: 0.01 }),
  markFor(surface, 'BTC-25SEP26-70000-P', { price: 0.02 }),
  markFor(surface, 'BTC-25SEP26-80000-C', { price: 0.03 }),
  markFor(surface, 'BTC-25SEP26-65000-P', { price: 0.012 }),
  markFor(surface, 'BTC-25SEP26-5000-P', { price: 0 }),
]
const close = (a: number, b: number): void => {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)))
}
const quick = { full: false }

const mixed: Account = {
  id: 'mixed',
  collateral: { BTC: 1, USD: 5000 },
  positions: [
    { instrument: 'BTC-25SEP26-90000-C', size: -2 },
    { instrument: 'BTC-25SEP26-70000-P', size: -1 },
    { instrument: 'BTC-25SEP26-80000-C', size: 1 },
    { instrument: 'BTC-PERPETUAL', size: 0.5, entryPrice: 75000 },
  ],
}

describe('golden: deribit-standard@1', () => {
  it('mixed account', () => {
    const a = right(
      assessAccount(mixed, marks, surface, liquidationConfig({ preset: DERIBIT_STANDARD, ...quick })),
    )
    // short 2 C90000, p = 0.01 → P = 770 USD; OTM = 13 000; 0.15 − 13 000/77 000 = −0.0188 → floor 0.10
    //   IM = 2·(0.10·77 000 + 770) = 2·8 470 = 16 940;  MM = 2·(0.075·77 000 + 770) = 2·6 545 = 13 090
    // short 1 P70000, p = 0.02 → P = 1 540; OTM = 7 000; 0.15 − 0.0909 = 0.0591 → floor 0.10
    //   MM = max(5 775, 0.075·1 540 = 115.5) + 1 540 = 7 315;  IM = max(7 700 + 1 540, 7 315) = 9 240
    // long 1 C80000, p = 0.03 → IM = MM = 2 310
    // perp 0.5 @ 75 000: IM = 0.02·0.5·77 000 = 770; MM = 0.01·0.5·77 000 = 385; P&L = 0.5·2 000 = 1 000
    // equity = 77 000 + 5 000 − 1 540 − 1 540 + 2 310 + 1 000 = 82 230
    close(a.equityUsd, 82230)
    close(a.initialMarginUsd, 16940 + 9240 + 2310 + 770) // 29 260
    close(a.maintenanceMarginUsd, 13090 + 7315 + 2310 + 385) // 23 100
    close(a.equityCoin, 82230 / 77000)
    expect(a.status).toBe('healthy')
    expect(a.preset.name).toBe('deribit-standard')
    close(a.positions[0]?.imUsd ?? NaN, 16940)
    // per-position values: −1 540, −1 540, +2 310 and the perp's P&L 0.5·(77 000 − 75 000) = 1 000
    close(a.positions[3]?.valueUsd ?? NaN, 1000)
    close(a.positionsValueUsd, -1540 - 1540 + 2310 + 1000)
    close(a.collateralUsd, 82000)
  })
})

describe('golden: derive-standard@1', () => {
  it('mixed account: isolated margins win over the max loss', () => {
    const a = right(
      assessAccount(mixed, marks, surface, liquidationConfig({ preset: DERIVE_STANDARD, ...quick })),
    )
    // short 2 C90000: m = max(0.15 − 0.1688, 0.13) = 0.13 → IM = 2·10 010 = 20 020; MM = 2·0.09·77 000 = 13 860
    // short 1 P70000 (P = 1 540): MM = max(6 930, 0.09·1 540) = 6 930; IM = max(0.13·77 000 = 10 010,
    //   1.05·(6 930 + 1 540) − 1 540 = 7 353.5) = 10 010
    // long 1 C80000: 2 310. Isolated expiry: IM 32 340, MM 23 100.
    // max loss: payoff(0) = −70 000, payoff(70k) = 0, payoff(80k) = 0, payoff(90k) = +10 000 → −70 000;
    //   net calls −1 → IM adds 1.2·77 000·(−1): L = −162 400; V_e = −1 540 − 1 540 + 2 310 = −770
    //   → max-loss requirement −770 + 162 400 = 161 630 > 32 340, isolated kept.
    // perp: IM 0.066·0.5·77 000 = 2 541, MM 0.05·0.5·77 000 = 1 925
    close(a.initialMarginUsd, 32340 + 2541)
    close(a.maintenanceMarginUsd, 23100 + 1925)
    close(a.equityUsd, 82230)
    close(a.decidedBy.nettingReliefUsd, 0)
  })
  it('put spread: max-loss netting caps the requirement', () => {
    const acct: Account = {
      id: 'spread',
      collateral: { USD: 10000 },
      positions: [
        { instrument: 'BTC-25SEP26-70000-P', size: -1 },
        { instrument: 'BTC-25SEP26-65000-P', size: 1 },
        { instrument: 'BTC-PERPETUAL', size: 0.5, entryPrice: 75000 },
      ],
    }
    const a = right(
      assessAccount(acct, marks, surface, liquidationConfig({ preset: DERIVE_STANDARD, ...quick })),
    )
    // isolated: short P70000 IM 10 010, MM 6 930; long P65000 (p 0.012 → 924) 924 → IM 10 934, MM 7 854
    // max loss: payoff(0) = −70 000 + 65 000 = −5 000; payoff(65k) = −5 000; payoff(70k) = 0 → L = −5 000
    // V_e = −1 540 + 924 = −616 → requirement −616 + 5 000 = 4 384 (IM and MM); relief 10 934 − 4 384 = 6 550
    // perp IM 2 541, MM 1 925. equity = 10 000 − 616 + 1 000 = 10 384
    close(a.initialMarginUsd, 4384 + 2541)
    close(a.maintenanceMarginUsd, 4384 + 1925)
    close(a.decidedBy.nettingReliefUsd, 6550)
    close(a.equityUsd, 10384)
    expect(a.status).toBe('healthy')
  })
})

describe('golden: risk-matrix@1', () => {
  const acct: Account = {
    id: 'rm',
    collateral: { USD: 20000 },
    positions: [
      { instrument: 'BTC-PERPETUAL', size: 1, entryPrice: 77000 },
      { instrument: 'BTC-25SEP26-5000-P', size: -2 },
    ],
  }
  it('perp + naked deep-OTM puts', () => {
    const a = right(assessAccount(acct, marks, surface, liquidationConfig({ preset: RISK_MATRIX })))
    // perp loses 0.16·77 000 = 12 320 at −16 % (any vol state; the first, vol up, is reported);
    // extended −66 % loses 50 820, dampened ×0.05 = 2 541 < 12 320;
    // the 5 000 puts are worth ~0 in every scenario (mark 0; model < 1e-12 coin).
    // contingency: 2 naked shorts · 0.01 · 77 000 = 1 540 → IM = 13 860; MM = 0.8·IM = 11 088
    close(a.initialMarginUsd, 13860)
    close(a.maintenanceMarginUsd, 11088)
    close(a.decidedBy.contingencyUsd, 1540)
    expect(a.decidedBy.scenario?.name).toBe('spot -16% vol up')
    close(a.equityUsd, 20000)
    expect(a.status).toBe('healthy')
    // liquidation price: at spot x, equity = 20 000 + x − 77 000, MM = 0.8·(0.16 + 0.02)·x = 0.144·x
    //   → x = 57 000 / 0.856 = 66 588.785…; above: none (equity grows faster than MM)
    const lp = a.liquidationPrices
    expect(lp).not.toBeNull()
    expect(Math.abs((lp?.below as number) - 57000 / 0.856)).toBeLessThan(1e-6)
    expect(lp?.above).toBe('none')
  })
})

describe('golden: Derive max-loss reference kernel', () => {
  it('put spread by hand through deriveMaxLossRequirement', async () => {
    const { deriveMaxLossRequirement } = await import('../../lib/liquidation/standardMargin.js')
    const p = DERIVE_STANDARD.parameters as Parameters<typeof deriveMaxLossRequirement>[0]
    // short 1 P70000 worth 1 540 USD, long 1 P65000 worth 924 USD: V_e = −616; worst payoff −5 000
    const r = deriveMaxLossRequirement(
      p,
      true,
      77000,
      [0, 1],
      2,
      [-1, -1],
      [70000, 65000],
      [-1, 1],
      [1540, 924],
    )
    close(r, 4384)
    // a naked short call adds the unpaired scale: V_e = −770, payoff ≥ 0 at {0, K}; IM 1.2·77 000 → 92 400 − 770
    close(deriveMaxLossRequirement(p, true, 77000, [0], 1, [1], [90000], [-1], [770]), 92400 - 770)
  })
})
