// Scenario kernel, risk-matrix scenario set, batch vs single-account consistency, error tags.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Account } from '../../lib/domain/account.js'
import { assessAccount, assessAccounts } from '../../lib/liquidation/assess.js'
import { evaluateAccount, marginBatch, scenarioMatrix } from '../../lib/liquidation/margin.js'
import {
  compileAccount,
  compileAccounts,
  optionModelPremium,
  prepareMarket,
  repriceInstruments,
} from '../../lib/liquidation/market.js'
import {
  DERIBIT_STANDARD,
  DERIBIT_VOL_SHOCK_RULE,
  DERIVE_STANDARD,
  RISK_MATRIX,
} from '../../lib/liquidation/presets.js'
import {
  riskMatrixScenarios,
  shockSurface,
  shockVol,
  volShockScale,
} from '../../lib/liquidation/scenarios.js'
import { accountStatus } from '../../lib/liquidation/status.js'
import { AS_OF, CHAIN, b76, chainMarks, markFor, right, smileVol, testSurface } from './helpers.js'
import { yearFraction } from '../../lib/domain/time.js'

const surface = testSurface({ vol: smileVol, carry: 0.05 })
const marks = chainMarks(surface)
const ctx = right(prepareMarket(marks, surface))

const accounts: Account[] = [
  {
    id: 'covered-call',
    collateral: { BTC: 2 },
    positions: [{ instrument: 'BTC-25SEP26-90000-C', size: -2 }],
  },
  {
    id: 'strangle',
    collateral: { USD: 15000 },
    positions: [
      { instrument: 'BTC-25SEP26-70000-P', size: -1 },
      { instrument: 'BTC-25SEP26-90000-C', size: -1 },
    ],
  },
  {
    id: 'hedged',
    collateral: { BTC: 0.5, USDC: 3000 },
    positions: [
      { instrument: 'BTC-25DEC26-65000-P', size: 2 },
      { instrument: 'BTC-25SEP26-75000-P', size: -3 },
      { instrument: 'BTC-25DEC26', size: 1, entryPrice: 78000 },
      { instrument: 'BTC-PERPETUAL', size: -0.5, entryPrice: 76000 },
    ],
  },
  { id: 'bad', collateral: { DOGE: 1 }, positions: [] },
]

describe('scenario kernel', () => {
  it('the DTE scale is 1 at 30 days and uses the short / long power either side', () => {
    expect(volShockScale(30 / 365, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(1, 15)
    // 15 days: (30/15)^0.3 = 2^0.3 = 1.2311444133449163
    expect(volShockScale(15 / 365, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(1.2311444133449163, 14)
    // 120 days: (30/120)^0.13 = 0.25^0.13 = 0.8349…
    expect(volShockScale(120 / 365, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(Math.pow(0.25, 0.13), 14)
    // floors: up at 0.5 absolute, down at 5 % of σ
    expect(shockVol(0.2, 30 / 365, 0.5, DERIBIT_VOL_SHOCK_RULE)).toBe(0.5)
    expect(shockVol(0.6, 30 / 365, -0.25, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(0.45, 15)
    // 0.1 day: DTE floored at 1 day → scale 30^0.3 = 2.7742; 1 − 0.5·2.7742 < 0 → floor 0.05·0.6 = 0.03
    expect(volShockScale(0.1 / 365, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(Math.pow(30, 0.3), 14)
    expect(shockVol(0.6, 0.1 / 365, -0.5, DERIBIT_VOL_SHOCK_RULE)).toBeCloseTo(0.03, 15)
  })

  it('risk-matrix@1 has 35 scenarios: base, 26 regular, 8 extended', () => {
    const sc = riskMatrixScenarios(RISK_MATRIX.parameters as never)
    expect(sc.length).toBe(35)
    expect(sc.filter((s) => s.kind === 'extended').length).toBe(8)
    expect(sc[0]?.kind).toBe('base')
    expect(sc.map((s) => s.spotMove).filter((m, i, a) => a.indexOf(m) === i).length).toBe(9 + 8)
  })

  it('the kernel matches an independent Black-76 with sticky moneyness', () => {
    const i = ctx.table.index.get('BTC-25SEP26-70000-P') as number
    const t = yearFraction(AS_OF, '2026-09-25T08:00:00.000Z')
    const f = surface.forward(t) * 0.9
    const vol = smileVol(Math.log(70000 / f), t)
    const expected = b76(-1, f, 70000, t, vol) / f
    expect(Math.abs(optionModelPremium(ctx, i, 0.9, 0, DERIBIT_VOL_SHOCK_RULE) - expected)).toBeLessThan(
      1e-14,
    )
    // vol up on the surface: σ·(1 + 0.5·scale)
    const up = shockVol(vol, t, 0.5, DERIBIT_VOL_SHOCK_RULE)
    expect(
      Math.abs(optionModelPremium(ctx, i, 0.9, 0.5, DERIBIT_VOL_SHOCK_RULE) - b76(-1, f, 70000, t, up) / f),
    ).toBeLessThan(1e-14)
  })

  it('shockSurface keeps the vol at each log-moneyness when spot moves', () => {
    const s = shockSurface(surface, { spotMove: 0.2, volShock: 0 })
    const t = 0.25
    expect(s.spot).toBeCloseTo(surface.spot * 1.2, 9)
    expect(s.vol(1.2 * 80000, t)).toBeCloseTo(surface.vol(80000, t), 14)
    expect(s.totalVariance(0.1, t)).toBe(surface.totalVariance(0.1, t))
  })

  it('repriceInstruments gives the mark premiums at the base scenario', () => {
    const m = repriceInstruments(ctx, [{ spotMove: 0, volShock: 0 }], DERIBIT_VOL_SHOCK_RULE)
    const i = ctx.table.index.get(CHAIN[0] as string) as number
    const mk = marks[0]
    expect(mk?.source).toBe('model')
    expect(m[2 * i]).toBe((mk?.lower as number) * surface.spot)
    expect(m[2 * i + 1]).toBe((mk?.upper as number) * surface.spot)
  })
})

describe('batch = single account = assessAccount', () => {
  for (const preset of [DERIBIT_STANDARD, DERIVE_STANDARD, RISK_MATRIX])
    it(preset.name, () => {
      const book = compileAccounts(ctx, accounts)
      const cols = marginBatch(ctx, book, preset, scenarioMatrix(ctx, preset))
      const all = right(assessAccounts(accounts, marks, surface, { preset, full: false }))
      for (let a = 0; a < accounts.length; a++) {
        const acc = accounts[a] as Account
        const c = compileAccount(ctx, acc)
        if (E.isLeft(c)) {
          expect(book.errors[a]?._tag).toBe('UnsupportedCollateral')
          expect(cols.status[a]).toBe(3)
          expect(E.isLeft(all[a] as E.Either<unknown, unknown>)).toBe(true)
          continue
        }
        const s = evaluateAccount(ctx, c.right, preset)
        const tol = (x: number): number => 1e-9 * Math.max(1, Math.abs(x))
        expect(Math.abs((cols.equityUsd[a] as number) - s.equityUsd)).toBeLessThanOrEqual(tol(s.equityUsd))
        expect(Math.abs((cols.imUsd[a] as number) - s.imUsd)).toBeLessThanOrEqual(tol(s.imUsd))
        expect(Math.abs((cols.mmUsd[a] as number) - s.mmUsd)).toBeLessThanOrEqual(tol(s.mmUsd))
        const one = right(assessAccount(acc, marks, surface, { preset, full: false }))
        expect(right(all[a] as E.Either<unknown, typeof one>)).toEqual(one)
        expect(one.status).toBe(accountStatus(s.equityUsd, s.imUsd, s.mmUsd))
      }
    })
})

describe('valuation rule and errors', () => {
  it('model marks: longs at the lower band end, shorts at the upper end', () => {
    const name = CHAIN[0] as string
    const long = right(
      assessAccount({ id: 'l', collateral: {}, positions: [{ instrument: name, size: 1 }] }, marks, surface, {
        full: false,
      }),
    )
    const short = right(
      assessAccount(
        { id: 's', collateral: {}, positions: [{ instrument: name, size: -1 }] },
        marks,
        surface,
        { full: false },
      ),
    )
    expect(long.equityUsd).toBe((marks[0]?.lower as number) * surface.spot)
    expect(short.equityUsd).toBe(-(marks[0]?.upper as number) * surface.spot)
    expect(long.decidedBy.marks[0]).toMatchObject({ source: 'model', side: 'long' })
  })
  it('error tags', () => {
    const tag = (a: Account): string | undefined => {
      const r = assessAccount(a, marks, surface)
      return E.isLeft(r) ? r.left._tag : undefined
    }
    expect(
      tag({ id: 'x', collateral: {}, positions: [{ instrument: 'BTC-25SEP26-71000-P', size: 1 }] }),
    ).toBe('MissingMark')
    expect(tag({ id: 'x', collateral: {}, positions: [{ instrument: 'ETH-25SEP26', size: 1 }] })).toBe(
      'UnderlyingMismatch',
    )
    expect(tag({ id: 'x', collateral: {}, positions: [{ instrument: 'BTC-1JAN26', size: 1 }] })).toBe(
      'InstrumentExpired',
    )
    expect(tag({ id: 'x', collateral: {}, positions: [{ instrument: 'BTC-XYZ', size: 1 }] })).toBe(
      'InvalidInput',
    )
    expect(tag({ id: 'x', collateral: { EUR: 1 }, positions: [] })).toBe('UnsupportedCollateral')
    const nanSurface = { ...surface, totalVariance: () => NaN }
    const r = assessAccount(
      { id: 'x', collateral: {}, positions: [] },
      [markFor(surface, 'BTC-25SEP26-70000-P')],
      nanSurface,
    )
    expect(E.isLeft(r) && r.left._tag).toBe('NonFiniteValue')
  })
})

describe('AccountAssessment is JSON-serialisable and decodes with its codec', () => {
  it('round trip through JSON for every preset', async () => {
    const { AccountAssessment } = await import('../../lib/domain/assessment.js')
    for (const preset of [DERIBIT_STANDARD, DERIVE_STANDARD, RISK_MATRIX])
      for (const acct of accounts.slice(0, 3)) {
        const a = right(assessAccount(acct, marks, surface, { preset }))
        const back = AccountAssessment.decode(JSON.parse(JSON.stringify(a)))
        expect(E.isRight(back)).toBe(true)
        expect(JSON.parse(JSON.stringify(a))).toEqual(
          JSON.parse(JSON.stringify(E.isRight(back) ? back.right : null)),
        )
      }
  })
  it('decodeAccounts names the path of a bad field', async () => {
    const { decodeAccounts } = await import('../../lib/domain/assessment.js')
    const r = decodeAccounts([
      { id: 'a', collateral: {}, positions: [{ instrument: 'BTC-PERPETUAL', size: 'x' }] },
    ])
    // the Position codec is an intersection, so io-ts puts the member index in the path
    expect(E.isLeft(r) && r.left[0]?.field).toMatch(/^0\.positions\.0\.(0\.)?size$/)
    const ok = decodeAccounts(
      JSON.parse(await (await import('node:fs/promises')).readFile('examples/accounts.json', 'utf8')),
    )
    expect(E.isRight(ok) && ok.right.length).toBe(15)
  })
})

describe('risk matrix against a slow reference (shockSurface objects + textbook Black-76)', () => {
  // Reference: for every scenario, build the shocked VolSurface, price each option with the
  // spec's own Black-76 at the shocked surface's vol(K, T), keep each side's offset from the
  // unshocked model, value the whole account (coin collateral at the shocked index), take the
  // worst dampened loss, add the contingency. Obviously correct, slow; the kernel must agree.
  const reference = (acct: Account): number => {
    const par = RISK_MATRIX.parameters as Parameters<typeof riskMatrixScenarios>[0]
    const scen = riskMatrixScenarios(par)
    const valueAt = (shock: { spotMove: number; volShock: number }): number => {
      const s = shockSurface(surface, shock, par.volRule)
      let v = (acct.collateral.USD ?? 0) + (acct.collateral.USDC ?? 0) + (acct.collateral.BTC ?? 0) * s.spot
      for (const p of acct.positions) {
        if (p.instrument === 'BTC-PERPETUAL') {
          v += p.size * (s.spot - (p.entryPrice as number))
          continue
        }
        if (p.instrument.split('-').length === 2) {
          const t = yearFraction(AS_OF, '2026-12-25T08:00:00.000Z')
          v += p.size * (s.forward(t) - (p.entryPrice as number))
          continue
        }
        const mk = marks.find((m) => m.instrument === p.instrument)
        if (mk === undefined) throw new Error(p.instrument)
        const t = yearFraction(AS_OF, mk.expiry)
        const q = mk.kind === 'call' ? 1 : -1
        const f0 = surface.forward(t)
        const model0 = b76(q, f0, mk.strike, t, surface.vol(mk.strike, t)) / f0
        const f = s.forward(t)
        const model = b76(q, f, mk.strike, t, s.vol(mk.strike, t)) / f
        const side =
          p.size < 0
            ? mk.source === 'model'
              ? mk.upper
              : mk.markPrice
            : mk.source === 'model'
              ? mk.lower
              : mk.markPrice
        v += p.size * Math.max(0, model + (side - model0)) * s.spot
      }
      return v
    }
    const v0 = valueAt({ spotMove: 0, volShock: 0 })
    let worst = 0
    for (const sc of scen) if (sc.kind !== 'base') worst = Math.max(worst, (v0 - valueAt(sc)) * sc.dampening)
    const net = new Map<string, number>()
    for (const p of acct.positions) {
      const parts = p.instrument.split('-')
      if (parts.length === 4)
        net.set(`${parts[1]}-${parts[2]}`, (net.get(`${parts[1]}-${parts[2]}`) ?? 0) + p.size)
    }
    let naked = 0
    for (const n of net.values()) if (n < 0) naked -= n
    return worst + naked * par.nakedShortContingency * surface.spot
  }
  for (const acct of accounts.slice(0, 3))
    it(acct.id, () => {
      const c = right(compileAccount(ctx, acct))
      const fast = evaluateAccount(ctx, c, RISK_MATRIX)
      const ref = reference(acct)
      expect(Math.abs(fast.imUsd - ref)).toBeLessThanOrEqual(1e-8 * Math.max(1, ref))
      const book = compileAccounts(ctx, [acct])
      expect(Math.abs((marginBatch(ctx, book, RISK_MATRIX).imUsd[0] as number) - ref)).toBeLessThanOrEqual(
        1e-8 * Math.max(1, ref),
      )
    })
})
