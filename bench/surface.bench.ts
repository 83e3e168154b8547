// Surface bench: median time to fit one slice and a whole chain, as ratios to QuantLib on the
// same slices (same strikes, same mid vols), with each fit's RMSE beside it.
//
// Baselines: QuantLib's SABRInterpolation from @quantlib/ql (JavaScript, in this process, LM,
// beta fixed at 1 like ours) and QuantLib 1.29's SviInterpolatedSmileSection through Debian's
// python3-quantlib (C++; @quantlib/ql's SviInterpolation is an empty stub), timed inside a Python
// subprocess, so the SVI ratio is JS-against-C++. RMSE: unweighted root-mean-square of fitted −
// mid vol over every fit point of the slice, in vol points (ours minimise spread-weighted errors
// under no-arbitrage constraints; QuantLib's are unconstrained, vega-weighted).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { EndCriteria, LevenbergMarquardt, SABRInterpolation } from '@quantlib/ql'
import * as E from 'fp-ts/lib/Either.js'
import type { MarketSnapshot } from '../lib/domain/snapshot.js'
import { yearFraction } from '../lib/domain/time.js'
import { readCboeQuotes } from '../lib/io/cboe.js'
import { readDeribitChain } from '../lib/io/deribitChain.js'
import { sabrVolUnsafe } from '../lib/pricing/sabr.js'
import { type SmileFit, createSurfaceFitter, fitSmile, fitSurface } from '../lib/surface/fitSurface.js'
import { correctionValue, sliceTotalVariance } from '../lib/surface/interpolation.js'
import { type FitPoints, impliedQuotes } from '../lib/surface/quotes.js'
import { fitSabrSlice } from '../lib/surface/sabrFit.js'
import { fitSviSlice, sviTotalVariance } from '../lib/surface/svi.js'
import { DEFAULT_SURFACE_CONFIG } from '../lib/surface/config.js'
import { row, section, timeMs } from './harness.js'

interface Slice {
  readonly label: string
  readonly T: number
  readonly F: number
  readonly p: FitPoints
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : (s[Math.floor(s.length / 2)] as number)
}

const slicesOf = (s: MarketSnapshot): Slice[] => {
  const byExpiry = new Map<string, MarketSnapshot['options']>()
  for (const o of s.options) byExpiry.set(o.expiry, [...(byExpiry.get(o.expiry) ?? []), o])
  const out: Slice[] = []
  for (const [expiry, options] of byExpiry) {
    const T = yearFraction(s.timestamp, expiry)
    const F = s.forwards.find((f) => Date.parse(f.expiry) === Date.parse(expiry))?.forward
    if (F === undefined || !(T > DEFAULT_SURFACE_CONFIG.minExpiryYears)) continue
    const q = impliedQuotes({
      options,
      expiry: T,
      forward: F,
      discount: 1,
      premium: s.premium,
      minSpreadVol: DEFAULT_SURFACE_CONFIG.minSpreadVol,
      maxSpreadVol: DEFAULT_SURFACE_CONFIG.maxSpreadVol,
    })
    if (q.points.n >= 8) out.push({ label: `${s.underlying} ${expiry.slice(0, 10)}`, T, F, p: q.points })
  }
  return out.sort((a, b) => a.T - b.T)
}

const rmse = (p: FitPoints, vol: (i: number) => number): number => {
  let s = 0
  for (let i = 0; i < p.n; i++) s += (vol(i) - (p.midVol[i] as number)) ** 2
  return 100 * Math.sqrt(s / p.n)
}

/** Spread-weighted RMSE (weights 1/spread², normalised), vol points: errors in units of the quoted band. */
const wrmse = (p: FitPoints, vol: (i: number) => number): number => {
  let s = 0
  let sw = 0
  for (let i = 0; i < p.n; i++) {
    const o = (p.weight[i] as number) ** 2
    s += o * (vol(i) - (p.midVol[i] as number)) ** 2
    sw += o
  }
  return 100 * Math.sqrt(s / sw)
}

const sviInputs = (sl: Slice): { w: Float64Array; weights: Float64Array } => {
  const { p, T } = sl
  const w = new Float64Array(p.n)
  const weights = new Float64Array(p.n)
  for (let i = 0; i < p.n; i++) {
    w[i] = (p.midVol[i] as number) ** 2 * T
    weights[i] = ((p.weight[i] as number) / (2 * (p.midVol[i] as number) * T)) ** 2
  }
  return { w, weights }
}

const PYTHON = `
import json, sys, time, math
import QuantLib as ql
data = json.load(sys.stdin)
today = ql.Date(1, 1, 2026)
ql.Settings.instance().evaluationDate = today
dc = ql.Actual365Fixed()
out = []
for sl in data['slices']:
    T, F, K, v = sl['T'], sl['F'], sl['K'], sl['vols']
    d = today + max(1, int(round(T * 365)))
    times = []
    res = None
    for r in range(data['repeats']):
        t0 = time.perf_counter()
        try:
            s = ql.SviInterpolatedSmileSection(d, F, K, False, sl['atm'], v, ql.nullDouble(), ql.nullDouble(), ql.nullDouble(), ql.nullDouble(), ql.nullDouble(), False, False, False, False, False, True, ql.EndCriteria(1000, 100, 1e-8, 1e-8, 1e-8), ql.LevenbergMarquardt(1e-8, 1e-8, 1e-8), dc)
            res = [s.volatility(k) for k in K]
        except Exception as e:
            res = str(e)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    if isinstance(res, str):
        out.append({'ms': times[len(times) // 2], 'error': res})
    else:
        out.append({'ms': times[len(times) // 2], 'rmse': 100 * math.sqrt(sum((a - b) ** 2 for a, b in zip(res, v)) / len(v)), 'vols': res})
print(json.dumps({'version': ql.__version__, 'slices': out}))
`

interface QlSvi {
  readonly version: string
  readonly slices: readonly {
    readonly ms: number
    readonly rmse?: number
    readonly vols?: readonly number[]
    readonly error?: string
  }[]
}

const quantlibSvi = (slices: readonly Slice[]): QlSvi | string => {
  const input = {
    repeats: 7,
    slices: slices.map((s) => {
      let atm = s.p.midVol[0] as number
      let best = Infinity
      for (let i = 0; i < s.p.n; i++) {
        if (Math.abs(s.p.k[i] as number) < best) {
          best = Math.abs(s.p.k[i] as number)
          atm = s.p.midVol[i] as number
        }
      }
      return {
        T: s.T,
        F: s.F,
        atm,
        K: Array.from(s.p.k, (k) => s.F * Math.exp(k)),
        vols: Array.from(s.p.midVol),
      }
    }),
  }
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  if (r.status !== 0)
    return `python3-quantlib unavailable: ${(r.stderr ?? '').split('\n').slice(-2).join(' ')}`
  return JSON.parse(r.stdout) as QlSvi
}

export const run = (): void => {
  const file = 'spec/fixtures/data/deribit-chains/deribit_options_snapshot_20260822T153351Z.csv'
  const chain = readDeribitChain(readFileSync(file, 'utf8'))
  if (E.isLeft(chain)) throw new Error(JSON.stringify(chain.left))
  const snapshots = chain.right
  const slices = snapshots.flatMap(slicesOf)

  section(
    `surface: one slice (${slices.length} slices of the BTC and ETH chain 2026-08-22, ${median(slices.map((s) => s.p.n))} quotes median)`,
  )
  // ours: SVI (quasi-explicit, robust, butterfly-enforced) and SABR (beta 1)
  const sviMs: number[] = []
  const sviRmse: number[] = []
  const sabrMs: number[] = []
  const sabrRmse: number[] = []
  const qlSabrMs: number[] = []
  const qlSabrRmse: number[] = []
  const smileMs: number[] = []
  const smileRmse: number[] = []
  const smileW: number[] = []
  let corrected = 0
  for (const sl of slices) {
    let sm: SmileFit | undefined
    smileMs.push(timeMs(() => (sm = fitSmile(sl.p, { expiry: sl.T, forward: sl.F }, 'svi')), 7))
    if (sm !== undefined) {
      const f = sm
      if (f.correction !== undefined) corrected++
      const vol = (i: number): number => {
        const k = sl.p.k[i] as number
        const w =
          sliceTotalVariance(f.params, k, sl.T, sl.F) +
          (f.correction === undefined ? 0 : correctionValue(f.correction, k))
        return Math.sqrt(w / sl.T)
      }
      smileRmse.push(rmse(sl.p, vol))
      smileW.push(wrmse(sl.p, vol))
    }
    const { w, weights } = sviInputs(sl)
    let fit: ReturnType<typeof fitSviSlice> | undefined
    sviMs.push(timeMs(() => (fit = fitSviSlice({ k: sl.p.k, w, expiry: sl.T, weights })), 7))
    if (fit !== undefined && E.isRight(fit)) {
      const params = fit.right.params
      sviRmse.push(rmse(sl.p, (i) => Math.sqrt(sviTotalVariance(params, sl.p.k[i] as number) / sl.T)))
    }
    const strikes = Float64Array.from(sl.p.k, (k) => sl.F * Math.exp(k))
    const vw = Float64Array.from(sl.p.weight, (x) => x * x)
    let sabr: ReturnType<typeof fitSabrSlice> | undefined
    sabrMs.push(
      timeMs(
        () =>
          (sabr = fitSabrSlice({
            forward: sl.F,
            expiry: sl.T,
            strikes,
            vols: sl.p.midVol,
            weights: vw,
            beta: 1,
          })),
        7,
      ),
    )
    if (sabr !== undefined && E.isRight(sabr)) {
      const f = sabr.right
      sabrRmse.push(
        rmse(sl.p, (i) => sabrVolUnsafe(sl.F, strikes[i] as number, sl.T, f.alpha, 1, f.rho, f.nu, 0)),
      )
    }
    const K = Array.from(strikes)
    const v = Array.from(sl.p.midVol)
    let ql: { alpha: () => number; nu: () => number; rho: () => number } | undefined
    qlSabrMs.push(
      timeMs(() => {
        const s = new SABRInterpolation().sabrInit(
          K,
          0,
          K.length,
          v,
          0,
          sl.T,
          sl.F,
          0.5,
          1,
          0.5,
          0,
          false,
          true,
          false,
          false,
          true,
          new EndCriteria(1000, 100, 1e-8, 1e-8, 1e-8),
          new LevenbergMarquardt(1e-8, 1e-8, 1e-8),
          1e-10,
        )
        s.update()
        ql = s
      }, 7),
    )
    if (ql !== undefined) {
      const q = ql
      qlSabrRmse.push(
        rmse(sl.p, (i) => sabrVolUnsafe(sl.F, strikes[i] as number, sl.T, q.alpha(), 1, q.rho(), q.nu(), 0)),
      )
    }
  }
  const ql = quantlibSvi(slices)
  const ours = median(sviMs)
  if (typeof ql === 'string') {
    row(
      'SVI slice: fitSviSlice (median over slices)',
      ours,
      'ms',
      undefined,
      `RMSE ${median(sviRmse).toFixed(3)} vol pts; ${ql}`,
    )
  } else {
    const qlMs = median(ql.slices.map((s) => s.ms))
    const qlRmse = median(ql.slices.flatMap((s) => (s.rmse === undefined ? [] : [s.rmse])))
    const qlW = median(
      slices.flatMap((sl, i) => {
        const v = ql.slices[i]?.vols
        return v === undefined ? [] : [wrmse(sl.p, (j) => v[j] as number)]
      }),
    )
    const failed = ql.slices.filter((s) => s.error !== undefined).length
    row(
      `QuantLib ${ql.version} SviInterpolatedSmileSection (C++ via Python)`,
      qlMs,
      'ms',
      1,
      `RMSE ${qlRmse.toFixed(3)}, spread-weighted ${qlW.toFixed(3)} vol pts (medians), ${failed} failed`,
    )
    row(
      'SVI slice: fitSviSlice alone (JS, robust, g ≥ 0 enforced)',
      ours,
      'ms',
      ours / qlMs,
      `RMSE ${median(sviRmse).toFixed(3)} vol pts (median)`,
    )
    const sm = median(smileMs)
    row(
      'SVI slice as fitSurface fits it: fitSmile',
      sm,
      'ms',
      sm / qlMs,
      `RMSE ${median(smileRmse).toFixed(3)}, spread-weighted ${median(smileW).toFixed(3)} vol pts (medians); ${corrected} of ${slices.length} spline-corrected`,
    )
    // per-slice ratios, so a few long slices do not dominate
    const ratio = (xs: number[]) =>
      median(slices.map((_, i) => (xs[i] as number) / ((ql.slices[i]?.ms as number) ?? NaN)))
    row('  median of per-slice time ratios fitSviSlice / QuantLib', ratio(sviMs), '×')
    row('  median of per-slice time ratios fitSmile / QuantLib', ratio(smileMs), '×')
    const better = slices.filter(
      (_, i) => (smileRmse[i] as number) <= ((ql.slices[i]?.rmse as number) ?? Infinity),
    ).length
    row('  slices where fitSmile RMSE ≤ QuantLib RMSE', better, 'slices', undefined, `of ${slices.length}`)
    const betterW = slices.filter((sl, i) => {
      const v = ql.slices[i]?.vols
      return v !== undefined && (smileW[i] as number) <= wrmse(sl.p, (j) => v[j] as number)
    }).length
    row(
      '  slices where fitSmile spread-weighted RMSE ≤ QuantLib’s',
      betterW,
      'slices',
      undefined,
      `of ${slices.length}`,
    )
  }
  const qlS = median(qlSabrMs)
  row(
    'QuantLib.js SABRInterpolation (beta fixed 1, LM)',
    qlS,
    'ms',
    1,
    `RMSE ${median(qlSabrRmse).toFixed(3)} vol pts (median)`,
  )
  row(
    'SABR slice: fitSabrSlice (beta 1)',
    median(sabrMs),
    'ms',
    median(sabrMs) / qlS,
    `RMSE ${median(sabrRmse).toFixed(3)} vol pts (median)`,
  )

  section('surface: whole chain (fitSurface: quotes → forwards → IVs → fits → repair → diagnostics)')
  const chains: [string, MarketSnapshot][] = snapshots.map((s) => [
    `${s.underlying} 2026-08-22 (${s.options.length} quotes)`,
    s,
  ])
  const spx = readCboeQuotes(readFileSync('spec/fixtures/data/spx/spx_quotedata_20190510_close.dat', 'utf8'))
  if (E.isRight(spx)) chains.push([`SPX 2019-05-10 (${spx.right.options.length} quotes)`, spx.right])
  for (const [name, s] of chains) {
    const ms = timeMs(() => fitSurface(s), 5)
    const r = fitSurface(s)
    const note = E.isRight(r)
      ? `${r.right.slices.length} slices, inside [bid, ask] ${(100 * r.right.diagnostics.insideSpreadShare).toFixed(1)}%, ${(1000 / ms).toFixed(1)} refits/s`
      : r.left._tag
    row(`fitSurface ${name}`, ms, 'ms', undefined, note)
  }
  // refit on a quote update: one quote's bid and ask move by one tick, alternately up and down
  for (const s of snapshots) {
    const fitter = createSurfaceFitter()
    fitter(s)
    const full = timeMs(() => fitSurface(s), 5)
    const idx = s.options.findIndex((o) => o.bid !== null && o.ask !== null && o.bid > 0.001)
    let flip = 1
    const tick = s.premium === 'coin' ? 0.0001 : 0.05
    const ms = timeMs(() => {
      flip = -flip
      const moved = {
        ...s,
        options: s.options.map((o, i) =>
          i === idx
            ? { ...o, bid: (o.bid as number) + flip * tick, ask: (o.ask as number) + flip * tick }
            : o,
        ),
      } as MarketSnapshot
      fitter(moved)
    }, 9)
    row(
      `createSurfaceFitter: refit ${s.underlying} 2026-08-22 after a one-quote update`,
      ms,
      'ms',
      ms / full,
      `vs a full fitSurface of the same chain; ${(1000 / ms).toFixed(0)} refits/s`,
    )
  }
}
