// Must-show figures of issue 4 on the three real Deribit chains (spec/fixtures/data/deribit-chains,
// BTC and ETH each), through the real pipeline: readSnapshotText → fitSurface → markSnapshot,
// leaveOneOut. The measured figures are printed (run with `npx vitest run spec/marking/deribit`).
//
// Thresholds (issue 4): leave-one-out model marks inside the real [bid, ask] for ≥ 90% of hidden
// two-sided quotes; |our mark IV − Deribit mark IV| median ≤ 0.5 and p95 ≤ 2 vol points over all
// instruments (the p95 is not met: see the comment on that test); every instrument a finite mark
// or a typed reason; identical bytes on repeated runs. Marks use the preset deribit-v2
// (deribit-v1 plus the far-wing rule); the coin default; deribit-v1 (the fitted wing everywhere) is run too, for comparison.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { MarkRecord } from '../../lib/domain/mark.js'
import type { MarketSnapshot, OptionQuote } from '../../lib/domain/snapshot.js'
import { readSnapshotText } from '../../lib/io/readSnapshotFile.js'
import type { PricingContext } from '../../lib/marking/liquidity.js'
import { type MarkSet, markSnapshot, wingStrikes } from '../../lib/marking/mark.js'
import {
  type ValidationReport,
  absStats,
  compareWithExchange,
  leaveOneOut,
} from '../../lib/marking/validate.js'

const DIR = 'spec/fixtures/data/deribit-chains/'
const FILES = [
  'deribit_options_snapshot_20251230T173115Z.csv',
  'deribit_options_snapshot_20260205T155132Z.csv',
  'deribit_options_snapshot_20260822T153351Z.csv',
]

interface Run {
  readonly file: string
  readonly snap: MarketSnapshot
  readonly set: MarkSet
  readonly report: ValidationReport
  /** The same snapshot marked with deribit-v1 (no far-wing rule). */
  readonly v1: MarkSet
}

const V2 = { parameters: 'deribit-v2' } as const
const runs: Run[] = []
const load = (): Run[] => {
  if (runs.length > 0) return runs
  for (const file of FILES) {
    const r = readSnapshotText(readFileSync(DIR + file, 'utf8'), file)
    if (E.isLeft(r)) throw new Error(r.left.message)
    for (const snap of r.right) {
      const set = markSnapshot(snap, V2)
      if (E.isLeft(set)) throw new Error(set.left.message)
      const report = leaveOneOut(snap, V2)
      if (E.isLeft(report)) throw new Error(report.left.message)
      const v1 = markSnapshot(snap, { parameters: 'deribit-v1' })
      if (E.isLeft(v1)) throw new Error(v1.left.message)
      runs.push({ file, snap, set: set.right, report: report.right, v1: v1.right })
    }
  }
  return runs
}

const f2 = (x: number): string => x.toFixed(2)

const run1 = (file: string, snap: MarketSnapshot): Run => {
  const r = load().find((x) => x.file === file && x.snap === snap)
  if (r === undefined) throw new Error(`no run for ${file}`)
  return r
}

/** Each expiry's wing strikes under deribit-v2, from the books and the marks' forwards. */
const wingsOf = (snap: MarketSnapshot, set: MarkSet): Map<string, ReturnType<typeof wingStrikes>> => {
  const fwd = new Map(set.marks.map((m) => [m.expiry, { F: m.forward, T: m.expiryYears }]))
  const byExpiry = new Map<string, OptionQuote[]>()
  for (const o of snap.options) byExpiry.set(o.expiry, [...(byExpiry.get(o.expiry) ?? []), o])
  const out = new Map<string, ReturnType<typeof wingStrikes>>()
  for (const [e, list] of byExpiry) {
    const x = fwd.get(e)
    if (x === undefined) continue
    const ctxOf = (o: OptionQuote): PricingContext => ({
      q: o.kind === 'call' ? 1 : -1,
      forward: x.F,
      strike: o.strike,
      expiryYears: x.T,
      discount: 1,
      premiumToQuote: x.F,
      asOf: set.asOf,
    })
    out.set(e, wingStrikes(list, ctxOf, { mode: 'flat-beyond-last-two-sided' }))
  }
  return out
}

describe('marks on the real Deribit chains', () => {
  it('every listed instrument gets a finite mark or a typed reason; market marks inside [bid, ask]', () => {
    for (const { file, snap, set } of load()) {
      expect(set.counts.listed, file).toBe(snap.options.length)
      expect(set.counts.marked + set.counts.unmarked, file).toBe(set.counts.listed)
      for (const u of set.unmarked) expect(u.error._tag).toMatch(/^[A-Z][A-Za-z]+$/)
      for (const m of set.marks) {
        expect(E.isRight(MarkRecord.decode(m)), m.instrument).toBe(true)
        for (const x of [m.markPrice, m.markIv, m.modelPrice, m.modelIv, m.lower, m.upper])
          expect(Number.isFinite(x), `${m.instrument} ${JSON.stringify(m)}`).toBe(true)
        expect(m.lower).toBeLessThanOrEqual(m.markPrice)
        expect(m.upper).toBeGreaterThanOrEqual(m.markPrice)
        if (m.source === 'market') {
          expect(m.markPrice).toBeGreaterThanOrEqual(m.bid as number)
          expect(m.markPrice).toBeLessThanOrEqual(m.ask as number)
        } else if (
          m.bound === 'none' &&
          !m.liquidity.metrics.crossed &&
          m.bidIv !== null &&
          m.askIv !== null
        ) {
          expect(m.markPrice).toBeGreaterThanOrEqual(m.bid as number)
          expect(m.markPrice).toBeLessThanOrEqual(m.ask as number)
        }
      }
    }
  })

  it('leave-one-out: model marks inside the real spread for >= 90% of hidden liquid quotes', () => {
    const rows = load().map(({ file, report: r }) => ({
      file: file.slice(25, 40),
      und: r.underlying,
      listed: r.counts.listed,
      market: r.counts.market,
      hidden: r.leaveOneOut.hidden,
      inside: r.leaveOneOut.insideShare,
      medIv: r.leaveOneOut.errorVolPoints.median,
      p95Iv: r.leaveOneOut.errorVolPoints.p95,
      medHs: r.leaveOneOut.errorHalfSpreads.median,
      fails: r.leaveOneOut.refitFailures.length,
    }))
    const hidden = rows.reduce((a, r) => a + r.hidden, 0)
    const inside = load().reduce((a, r) => a + r.report.leaveOneOut.quotes.filter((q) => q.inside).length, 0)
    console.log('\nleave-one-out (model mark of each hidden liquid quote on its slice refitted without it)')
    console.log('file            und listed market hidden inside  med|dIV| p95|dIV| med|dHS| refitFail')
    for (const r of rows)
      console.log(
        `${r.file} ${r.und.padEnd(3)} ${String(r.listed).padStart(6)} ${String(r.market).padStart(6)} ${String(r.hidden).padStart(6)} ` +
          `${(100 * r.inside).toFixed(1).padStart(5)}%  ${f2(r.medIv).padStart(7)} ${f2(r.p95Iv).padStart(8)} ${f2(r.medHs).padStart(8)} ${String(r.fails).padStart(9)}`,
      )
    console.log(`pooled: ${inside}/${hidden} = ${((100 * inside) / hidden).toFixed(1)}% inside`)
    expect(inside / hidden).toBeGreaterThanOrEqual(0.9)
    for (const r of rows) expect(r.inside, `${r.file} ${r.und}`).toBeGreaterThanOrEqual(0.9)
  })

  // Issue 4 asks for median <= 0.5 and p95 <= 2 vol points over all instruments. The median holds;
  // the all-instrument p95 does NOT: 14.4 vol points with deribit-v1, 8.4 with deribit-v2's far-wing
  // rule. The rest of the tail is model marks beyond the last two-sided quote where Deribit's
  // wing is neither flat at the quoted edge nor the fitted wing (it rises to 127% on the ETH
  // 2026-08-23 puts, follows the two-tick offers on 2026-09-25), and model marks inside the quoted
  // range of the stressed 2026-02-05 chain, where spreads are 10-20 vol points wide and Deribit's
  // mark sits 2-5 points from both our fit and the mid (docs/methodology/marking.md, "Far wings").
  // Asserted: the pooled median, p95 <= 2 over market marks (the marks that come from books), and
  // that the wing rule lowers the all-instrument p95 below deribit-v1's.
  it('|our mark IV - Deribit mark IV|: pooled median <= 0.5; market marks p95 <= 2 vol points', () => {
    const all: number[] = []
    const market: number[] = []
    const short: number[] = []
    const long: number[] = []
    const tick: number[] = []
    const inside: number[] = []
    const beyond: number[] = []
    const v1: number[] = []
    console.log('\n|our mark IV - Deribit mark IV| in vol points (all / market marks / model marks)')
    for (const { file, snap, set, report } of load()) {
      const x = report.exchange
      if (x === null) throw new Error('no exchange marks')
      const iv = new Map(snap.options.map((o) => [o.instrument, o.exchangeMark?.iv ?? Number.NaN]))
      const px = new Map(snap.options.map((o) => [o.instrument, o.exchangeMark?.price ?? Number.NaN]))
      const wing = wingsOf(snap, set)
      const c1 = compareWithExchange(snap, run1(file, snap).v1)
      if (c1 === null) throw new Error('no exchange marks')
      for (const m of run1(file, snap).v1.marks) {
        const d = iv.get(m.instrument)
        if (d !== undefined && d > 0) v1.push(100 * (m.markIv - d))
      }
      for (const m of set.marks) {
        const d = iv.get(m.instrument)
        if (d === undefined || !(d > 0)) continue
        const v = 100 * (m.markIv - d)
        all.push(v)
        if (m.source === 'market') market.push(v)
        ;(m.expiryYears < 7 / 365 ? short : long).push(v)
        // the out-of-the-money option at this strike has an exchange mark of at least one tick
        const otm =
          m.strike >= m.forward ? m.instrument.replace(/-P$/, '-C') : m.instrument.replace(/-C$/, '-P')
        if ((px.get(otm) ?? 0) >= 0.0001) tick.push(v)
        const w = wing.get(m.expiry)
        const out =
          w !== undefined &&
          ((w.upper !== null && m.strike > w.upper) || (w.lower !== null && m.strike < w.lower))
        ;(out ? beyond : inside).push(v)
      }
      console.log(
        `${file.slice(25, 40)} ${set.underlying.padEnd(3)} n=${x.absVolPoints.n} median ${f2(x.absVolPoints.median)} p95 ${f2(x.absVolPoints.p95)} max ${f2(x.absVolPoints.max)}` +
          ` | market n=${x.marketMarks.n} med ${f2(x.marketMarks.median)} p95 ${f2(x.marketMarks.p95)}` +
          ` | model n=${x.modelMarks.n} med ${f2(x.modelMarks.median)} p95 ${f2(x.modelMarks.p95)} | worst ${x.worst?.instrument}`,
      )
    }
    const s = absStats(all)
    const sm = absStats(market)
    const ss = absStats(short)
    const sl = absStats(long)
    const st = absStats(tick)
    const si = absStats(inside)
    const sb = absStats(beyond)
    const s1 = absStats(v1)
    console.log(
      `pooled all instruments: n=${s.n} median ${f2(s.median)} p95 ${f2(s.p95)} max ${f2(s.max)}  (issue target: median <= 0.5, p95 <= 2)`,
    )
    console.log(`pooled market marks:    n=${sm.n} median ${f2(sm.median)} p95 ${f2(sm.p95)}`)
    console.log(
      `pooled expiry < 7 days: n=${ss.n} median ${f2(ss.median)} p95 ${f2(ss.p95)}; expiry >= 7 days: n=${sl.n} median ${f2(sl.median)} p95 ${f2(sl.p95)}`,
    )
    console.log(
      `pooled where the OTM exchange mark is >= 1 tick (0.0001 coin): n=${st.n} median ${f2(st.median)} p95 ${f2(st.p95)}`,
    )
    console.log(
      `pooled inside the wing strikes (last two-sided quotes): n=${si.n} median ${f2(si.median)} p95 ${f2(si.p95)} (|d| > 3: ${inside.filter((x) => Math.abs(x) > 3).length});` +
        ` beyond them: n=${sb.n} median ${f2(sb.median)} p95 ${f2(sb.p95)}`,
    )
    console.log(
      `deribit-v1 (no wing rule), all instruments: n=${s1.n} median ${f2(s1.median)} p95 ${f2(s1.p95)} max ${f2(s1.max)}`,
    )
    expect(s.median).toBeLessThanOrEqual(0.5)
    expect(sm.p95).toBeLessThanOrEqual(2)
    expect(s.p95).toBeLessThan(s1.p95)
  })

  // Where the all-instrument p95 is lost (docs/methodology/marking.md §8a). Counterfactuals that
  // replace some of our marks by Deribit's own (an oracle: no rule could use them) and measure the
  // pooled p95 that remains. The split is by strike: both options at a strike share one vol, so a
  // strike counts as quoted when its out-of-the-money option has a two-sided book with finite bid
  // and ask vols. Asserted (the claims of §8a): even with Deribit's marks on every strike that is
  // not quoted, the p95 stays above 2, because at quoted strikes our marks differ from Deribit's
  // by more than 2 vol points on more instruments than 5% of all; no fixed position in the quoted
  // spreads reaches p95 <= 2 either, and our fit is closer than the mid; Deribit's own mark prices break butterfly
  // no-arbitrage (so no arbitrage-free surface can follow them everywhere).
  it('where the p95 is lost: oracle counterfactuals and arbitrage in the exchange marks', () => {
    const beyondOracle: number[] = []
    const strikeOracle: number[] = []
    const lambdas = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
    const atLambda: number[][] = lambdas.map(() => [])
    let quoted = 0
    let quotedOff = 0
    let stressedOff = 0
    let butterflies = 0
    let negative = 0
    let worstNegative = 0
    const positions: string[] = []
    for (const { file, snap, set } of load()) {
      const iv = new Map(snap.options.map((o) => [o.instrument, o.exchangeMark?.iv ?? Number.NaN]))
      const byKey = new Map(set.marks.map((m) => [`${m.expiry} ${m.strike} ${m.kind}`, m]))
      const wing = wingsOf(snap, set)
      const pos: number[] = []
      for (const m of set.marks) {
        const x = iv.get(m.instrument)
        if (x === undefined || !(x > 0)) continue
        const d = 100 * (m.markIv - x)
        const w = wing.get(m.expiry)
        const out =
          w !== undefined &&
          ((w.upper !== null && m.strike > w.upper) || (w.lower !== null && m.strike < w.lower))
        beyondOracle.push(out ? 0 : d)
        const o = byKey.get(`${m.expiry} ${m.strike} ${m.strike >= m.forward ? 'call' : 'put'}`)
        const b = o?.bidIv ?? null
        const a = o?.askIv ?? null
        const isQuoted = b !== null && a !== null && a > b
        strikeOracle.push(isQuoted ? d : 0)
        lambdas.forEach((l, i) => (atLambda[i] as number[]).push(isQuoted ? 100 * (b + l * (a - b) - x) : 0))
        if (isQuoted) {
          quoted++
          if (Math.abs(d) > 2) {
            quotedOff++
            if (file.includes('20260205')) stressedOff++
          }
          // where Deribit's mark sits in an out-of-the-money call's vol spread (0 bid, 1 ask)
          if (m === o && m.kind === 'call') pos.push((x - b) / (a - b))
        }
      }
      pos.sort((p1, p2) => p1 - p2)
      positions.push(
        `${file.slice(25, 33)} ${set.underlying} ${f2(pos[Math.floor(pos.length / 2)] as number)}`,
      )
      // butterflies of the exchange's own mark prices (coin), per expiry and kind, listed strikes
      const groups = new Map<string, { K: number; p: number }[]>()
      for (const q of snap.options) {
        const p = q.exchangeMark?.price
        if (p === undefined || !(p >= 0)) continue
        const key = `${q.expiry}${q.kind}`
        groups.set(key, [...(groups.get(key) ?? []), { K: q.strike, p }])
      }
      for (const l of groups.values()) {
        l.sort((p1, p2) => p1.K - p2.K)
        for (let i = 1; i + 1 < l.length; i++) {
          const [u, v, z] = [l[i - 1], l[i], l[i + 1]] as [
            { K: number; p: number },
            { K: number; p: number },
            { K: number; p: number },
          ]
          // weights (z−v)/(z−u) on u and (v−u)/(z−u) on z reproduce strike v: convexity ⇔ value ≥ 0
          const wu = (z.K - v.K) / (z.K - u.K)
          const bf = wu * u.p + (1 - wu) * z.p - v.p
          butterflies++
          if (bf < -2e-6) {
            negative++
            worstNegative = Math.min(worstNegative, bf)
          }
        }
      }
    }
    const so = absStats(beyondOracle)
    const sq = absStats(strikeOracle)
    const sl = atLambda.map((v) => absStats(v).p95)
    const allowed = so.n - Math.ceil(0.95 * so.n)
    console.log(
      `\nwhere the p95 is lost (pooled, n=${so.n}, so ${allowed} may lie above the p95; oracle = Deribit's own mark IV, not a rule):` +
        `\n  oracle beyond the wing strikes, ours elsewhere: p95 ${f2(so.p95)}` +
        `\n  ours at the ${quoted} instruments of quoted strikes (OTM option two-sided), oracle on the other ${so.n - quoted}: p95 ${f2(sq.p95)}` +
        `; quoted-strike instruments off by > 2: ${quotedOff} (${stressedOff} of them on 2026-02-05)` +
        `\n  a fixed position λ in the quoted strikes' OTM vol spread, oracle elsewhere: p95 ` +
        lambdas.map((l, i) => `${l}: ${f2(sl[i] as number)}`).join(', ') +
        `\n  median position of Deribit's mark in the OTM calls' [bid IV, ask IV] (0 = bid, 1 = ask): ${positions.join(', ')}` +
        `\n  exchange mark prices: ${negative} of ${butterflies} listed-strike butterflies below -2e-6 coin (worst ${worstNegative.toExponential(2)})`,
    )
    expect(so.p95).toBeGreaterThan(2)
    expect(sq.p95).toBeGreaterThan(2)
    expect(quotedOff).toBeGreaterThan(allowed)
    expect(Math.min(...sl)).toBeGreaterThan(2)
    expect(sq.p95).toBeLessThan(sl[5] as number) // our fit is closer to Deribit than the mid vol
    expect(negative).toBeGreaterThan(0)
  })

  it('model marks stay free of butterfly and calendar arbitrage with the far-wing rule', () => {
    let triples = 0
    let pairs = 0
    for (const { file, set } of load()) {
      const byExpiry = new Map<string, MarkSet['marks'][number][]>()
      for (const m of set.marks) byExpiry.set(m.expiry, [...(byExpiry.get(m.expiry) ?? []), m])
      const expiries = [...byExpiry.keys()].sort()
      for (const e of expiries) {
        const l = byExpiry.get(e) ?? []
        for (const kind of ['call', 'put'] as const) {
          const s = l.filter((m) => m.kind === kind).sort((a, b) => a.strike - b.strike)
          for (let i = 1; i < s.length; i++) {
            const [a, b] = [s[i - 1], s[i]] as [(typeof s)[number], (typeof s)[number]]
            const step = (b.modelPrice - a.modelPrice) * b.forward // USD
            if (kind === 'call') expect(step, `${file} ${b.instrument}`).toBeLessThanOrEqual(1e-9 * b.forward)
            else expect(step, `${file} ${b.instrument}`).toBeGreaterThanOrEqual(-1e-9 * b.forward)
            if (i + 1 < s.length) {
              const c = s[i + 1] as (typeof s)[number]
              // slopes of the USD price in strike are non-decreasing (tolerance: 1e-12 per unit)
              const s1 = ((b.modelPrice - a.modelPrice) * b.forward) / (b.strike - a.strike)
              const s2 = ((c.modelPrice - b.modelPrice) * b.forward) / (c.strike - b.strike)
              expect(s2 - s1, `${file} ${b.instrument}`).toBeGreaterThanOrEqual(-1e-12)
              triples++
            }
          }
        }
      }
      // total variance non-decreasing in expiry at each listed strike of consecutive expiries
      // whose forwards agree to 0.5% (same strike ≈ same log-moneyness)
      for (let j = 1; j < expiries.length; j++) {
        const near = new Map(
          (byExpiry.get(expiries[j - 1] as string) ?? []).map((m) => [`${m.strike}${m.kind}`, m]),
        )
        for (const m of byExpiry.get(expiries[j] as string) ?? []) {
          const p = near.get(`${m.strike}${m.kind}`)
          if (p === undefined || Math.abs(m.forward / p.forward - 1) > 0.005) continue
          const k = Math.log(m.strike / m.forward)
          const kp = Math.log(p.strike / p.forward)
          if (Math.abs(k - kp) > 0.005) continue
          pairs++
          // the earlier expiry's variance moved to k by its own smile slope would be stricter; a
          // wing flattened below the earlier expiry by more than 2% of its variance would show here
          expect(m.modelIv ** 2 * m.expiryYears, `${file} ${m.instrument}`).toBeGreaterThanOrEqual(
            0.98 * p.modelIv ** 2 * p.expiryYears,
          )
        }
      }
    }
    console.log(
      `\narbitrage checks on model marks: ${triples} strike triples convex, ${pairs} calendar pairs`,
    )
  })

  it('identical output bytes on repeated runs', () => {
    for (const { snap, set } of load().slice(0, 2)) {
      const again = markSnapshot(snap, V2)
      expect(E.isRight(again) && JSON.stringify(again.right)).toBe(JSON.stringify(set))
    }
  })
})
