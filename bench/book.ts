// The synthetic book of the liquidation and risk benches (the set-up of bench/liquidation.bench.ts,
// extracted so both benches measure the same accounts and market): every BTC instrument of the
// example chain (examples/deribit_options_snapshot_20260822T153351Z.csv) marked at the surface's
// Black-76 value in coin (every third one a model mark with a ±5 % band), and N accounts × P
// positions drawn with a seeded Park–Miller generator from those options, the perpetual and two
// futures: random signs, sizes 0.1–5, BTC and USD collateral. Deterministic for a seed.
//
// Surface: lib/surface/fitSurface on the example chain when it loads and fits; otherwise a
// stand-in SVI surface (ATM vol about 45 %) — `surfaceNote` says which was used.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { normCdf } from '../lib/core/normal.js'
import type { Account } from '../lib/domain/account.js'
import { parseInstrument } from '../lib/domain/instrument.js'
import type { Mark } from '../lib/domain/mark.js'
import type { VolSurface } from '../lib/domain/surface.js'
import { yearFraction } from '../lib/domain/time.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The example chain the benches run on. */
export const BENCH_CHAIN = join(here, '..', 'examples', 'deribit_options_snapshot_20260822T153351Z.csv')
const AS_OF = '2026-08-22T15:33:51.683Z'
const SPOT = 77081.8

/** What {@link syntheticBook} returns. */
export interface SyntheticBook {
  /** Marks of the chain's BTC options. */
  readonly marks: Mark[]
  /** The surface behind them. */
  readonly surface: VolSurface
  /** Which surface was used. */
  readonly surfaceNote: string
  /** The synthetic accounts. */
  readonly accounts: Account[]
  /** One line saying what was built. */
  readonly note: string
}

/** A raw-SVI stand-in surface with ATM vol about 45 % (used only when the fitter is unavailable). */
export const standInSurface = (): VolSurface => {
  // raw SVI in k: w(k, T) = T·(a + b(ρ(k − m) + √((k − m)² + s²)))
  const a = 0.16
  const b = 0.12
  const rho = -0.2
  const m = 0.02
  const s = 0.25
  const forward = (t: number): number => SPOT * Math.exp(0.04 * t)
  const totalVariance = (k: number, t: number): number =>
    t * (a + b * (rho * (k - m) + Math.sqrt((k - m) * (k - m) + s * s)))
  return {
    asOf: AS_OF,
    underlying: 'BTC',
    spot: SPOT,
    model: 'svi',
    vol: (K, t) => Math.sqrt(totalVariance(Math.log(K / forward(t)), t) / t),
    totalVariance,
    forward,
    discount: () => 1,
    slices: [],
    diagnostics: {
      rmseVolPoints: 0,
      insideSpreadShare: 1,
      minDurrlemanG: 0,
      calendarArbitrageFree: true,
      excluded: [],
      notes: ['bench stand-in SVI'],
    },
  }
}

/** fitSurface on the chain's BTC snapshot, or the reason it could not be had. */
export const fittedSurface = async (text: string): Promise<VolSurface | string> => {
  try {
    const io = (await import('../lib/io/deribitChain.js')) as typeof import('../lib/io/deribitChain.js')
    const fs = (await import('../lib/surface/fitSurface.js')) as typeof import('../lib/surface/fitSurface.js')
    const snaps = io.readDeribitChain(text)
    if (E.isLeft(snaps)) return `reader: ${snaps.left.message}`
    const btc = snaps.right.find((s) => s.underlying === 'BTC')
    if (btc === undefined) return 'no BTC snapshot'
    const r = fs.fitSurface(btc)
    return E.isLeft(r) ? `fitSurface: ${(r.left as { message?: string }).message ?? r.left._tag}` : r.right
  } catch (e) {
    return `fitSurface not loadable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`
  }
}

/** A mark at the surface's Black-76 value in coin; every third (i % 3 = 0) a model mark with a ±5 % band. */
export const markOf = (surface: VolSurface, name: string, i: number): Mark | undefined => {
  const p = parseInstrument(name)
  if (E.isLeft(p) || p.right.type !== 'option') return undefined
  const o = p.right
  const t = yearFraction(surface.asOf, o.expiry)
  if (!(t > 0)) return undefined
  const f = surface.forward(t)
  const v = surface.vol(o.strike, t)
  const sd = v * Math.sqrt(t)
  const d1 = Math.log(f / o.strike) / sd + sd / 2
  const q = o.kind === 'call' ? 1 : -1
  const price = (q * (f * normCdf(q * d1) - o.strike * normCdf(q * (d1 - sd)))) / f
  const model = i % 3 === 0
  return {
    instrument: name,
    underlying: 'BTC',
    kind: o.kind,
    strike: o.strike,
    expiry: o.expiry,
    expiryYears: t,
    forward: f,
    premium: 'coin',
    markPrice: price,
    markIv: v,
    source: model ? 'model' : 'market',
    model: 'bench',
    modelPrice: price,
    modelIv: v,
    lower: model ? price * 0.95 : price,
    upper: model ? price * 1.05 : price,
    liquidity: {
      verdict: model ? 'thin' : 'liquid',
      reasons: [],
      metrics: {
        twoSided: true,
        relativeSpread: 0.05,
        spreadVolPoints: null,
        topSize: 5,
        depthInBand: null,
        quoteAgeSeconds: null,
        crossed: false,
        locked: false,
      },
    },
    fingerprint: 'bench',
  }
}

/** Park–Miller LCG on (0, 1). */
export const lcg = (seed: number): (() => number) => {
  let s = seed
  return (): number => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  }
}

/** Builds the book: surface, marks and `accounts` × `positions` synthetic accounts (defaults 100 000 × 10, seed 42). */
export const syntheticBook = async (
  opts: { readonly accounts?: number; readonly positions?: number; readonly seed?: number } = {},
): Promise<SyntheticBook> => {
  const n = opts.accounts ?? 100_000
  const p = opts.positions ?? 10
  const seed = opts.seed ?? 42
  const text = readFileSync(BENCH_CHAIN, 'utf8')
  const fitted = await fittedSurface(text)
  const surface = typeof fitted === 'string' ? standInSurface() : fitted
  const surfaceNote =
    typeof fitted === 'string' ? `stand-in SVI surface (${fitted})` : 'fitSurface on the example chain'
  const names = [
    ...new Set(
      text
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1] ?? '')
        .filter((x) => x.startsWith('BTC-')),
    ),
  ].sort()
  const marks = names.map((x, i) => markOf(surface, x, i)).filter((m): m is Mark => m !== undefined)
  const instruments = [...marks.map((m) => m.instrument), 'BTC-PERPETUAL', 'BTC-25SEP26', 'BTC-25DEC26']
  const rnd = lcg(seed)
  const accounts: Account[] = []
  for (let a = 0; a < n; a++) {
    const positions = []
    for (let j = 0; j < p; j++) {
      const instrument = instruments[Math.floor(rnd() * instruments.length)] as string
      const size = (rnd() < 0.5 ? -1 : 1) * (0.1 + 4.9 * rnd())
      positions.push(
        instrument.split('-').length === 4
          ? { instrument, size }
          : { instrument, size, entryPrice: 70000 + 15000 * rnd() },
      )
    }
    accounts.push({ id: `a${String(a)}`, collateral: { BTC: 3 * rnd(), USD: 200000 * rnd() }, positions })
  }
  return {
    marks,
    surface,
    surfaceNote,
    accounts,
    note: `${String(n)} accounts × ${String(p)} positions over ${String(instruments.length)} instruments, seed ${String(seed)}; ${surfaceNote}`,
  }
}
