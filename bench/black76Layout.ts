// Where the time of a Black-76 value goes, and what a loop layout can win: on the pricing bench's
// 100,000 options, in interleaved paired rounds (bench/harness.ts `pairedRounds`), the per-option
// kernel in one loop, black76PriceBatch (three passes per chunk of 256 rows: x and s, the
// normalised function, the value; each pass a short loop body, so the processor overlaps
// consecutive rows), and the three passes timed one by one. And the normalised Black function over
// the same (x, s) once in random order and once sorted by the region its dispatch takes
// (asymptotic, small-t table, small-t Miller, Cody), so that the region branches are always
// predicted: the most any batch that groups rows by region could gain on that part.
// Bench only: nothing here is in lib/.
//
// Run: npx tsx bench/black76Layout.ts   (optionally under `taskset -c 0` or `-c 1`: bench/hostProbe.ts)
import { black76PriceBatch, black76PriceUnsafe, logMoneyness, sqrtProduct } from '../lib/pricing/black76.js'
import { normalisedBlackCall } from '../lib/pricing/normalisedBlack.js'
import { consume, floorLoop, pairedRounds, row, section } from './harness.js'
import { makeInputs, PRICING_SEED } from './pricing.bench.js'

const N = 100_000
const { q, F, K, T, v, D } = makeInputs(N, PRICING_SEED)

const cols = { q, forward: F, strike: K, expiry: T, vol: v, discount: D }
const out = new Float64Array(N)

// The region normalisedBlackCall(x ≤ 0, s) takes: its dispatch conditions with its constants
// (lib/pricing/normalisedBlack.ts: η = −10, τ = 2ε^{1/16}, table nodes up to w₀ = 164/16), copied
// because the library does not export its dispatch. If that dispatch changes, this copy must follow:
// a stale copy only mis-sorts the rows (the printed counts show it), it cannot change a value.
const ETA = -10
const TAU = 2 * Math.pow(Number.EPSILON, 1 / 16)
const TAB_W_MAX = 164 / 16
const REGION_NAMES = ['asymptotic', 'small-t table', 'small-t Miller', 'Cody'] as const
const region = (x: number, s: number): number => {
  if (x < s * ETA && 0.5 * s * s + x < s * (TAU + ETA)) return 0
  if (0.5 * s < TAU || (x <= -2 * s && 2 * s * s < -x)) return -x <= TAB_W_MAX * s && x > -5 ? 1 : 2
  return 3
}
const xs = new Float64Array(N)
const ss = new Float64Array(N)
for (let i = 0; i < N; i++) {
  xs[i] = -Math.abs(logMoneyness(F[i]!, K[i]!))
  ss[i] = v[i]! * Math.sqrt(T[i]!)
}
const regionOf = Int8Array.from(xs, (x, i) => region(x, ss[i]!))
const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => regionOf[a]! - regionOf[b]! || a - b)
const xsSorted = Float64Array.from(order, (i) => xs[i]!)
const ssSorted = Float64Array.from(order, (i) => ss[i]!)
const counts = REGION_NAMES.map((name, r) => `${name} ${regionOf.filter((g) => g === r).length}`)

section(
  `Black-76 loop layouts — ${N.toLocaleString('en')} options of the pricing bench; ratio = time / floor`,
)
row('rows per region of the normalised function', N, 'rows', undefined, counts.join(', '))
pairedRounds(
  [
    ['floor: 1 log + 1 sqrt + 2 exp', () => floorLoop(F, K, T, v)],
    [
      'black76PriceUnsafe, one loop',
      () => {
        let acc = 0
        for (let i = 0; i < N; i++)
          acc += black76PriceUnsafe(q[i] as 1 | -1, F[i]!, K[i]!, T[i]!, v[i]!, D[i]!)
        consume(acc)
      },
    ],
    ['black76PriceBatch (three passes per chunk of 256)', () => consume(black76PriceBatch(cols, out)[0]!)],
    [
      'pass 1 alone: logMoneyness and σ√T',
      () => {
        let acc = 0
        for (let i = 0; i < N; i++) acc += v[i]! * Math.sqrt(T[i]!) - Math.abs(logMoneyness(F[i]!, K[i]!))
        consume(acc)
      },
    ],
    [
      'pass 2 alone: normalisedBlackCall, random order',
      () => {
        let acc = 0
        for (let i = 0; i < N; i++) acc += normalisedBlackCall(xs[i]!, ss[i]!)
        consume(acc)
      },
    ],
    [
      'pass 2 alone: normalisedBlackCall, region-sorted',
      () => {
        let acc = 0
        for (let i = 0; i < N; i++) acc += normalisedBlackCall(xsSorted[i]!, ssSorted[i]!)
        consume(acc)
      },
    ],
    [
      'pass 3 alone: D·(intrinsic + √(FK)·b)',
      () => {
        let acc = 0
        for (let i = 0; i < N; i++) {
          const e = 0.5 * q[i]! * (F[i]! - K[i]!)
          acc += D[i]! * (e + Math.abs(e) + sqrtProduct(F[i]!, K[i]!) * ss[i]!)
        }
        consume(acc)
      },
    ],
  ],
  N,
)
