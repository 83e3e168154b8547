// A/B of a kernel between two versions of lib/: the version in this checkout (B) against a
// baseline checkout (A), alternated in one process — interleaved paired rounds of CPU time over
// the same inputs, as in the benches (bench/harness.ts `pairedRounds`); the row of B reads B/A.
// Both versions' results are first compared bit for bit. Each kernel's two loops are written out:
// a loop shared by A and B, or one taking the kernel as an argument, would call it through one
// call site with two targets, which V8 does not inline — it would time the call, not the kernel.
//
// Run:  git worktree add --detach /tmp/base <rev> && ln -s "$PWD/node_modules" /tmp/base/node_modules
//       npx tsx bench/ab.ts /tmp/base iv      (impliedVolUnsafe on the pricing bench's 100,000 options)
//       npx tsx bench/ab.ts /tmp/base sabr    (sabrVolUnsafe, hagan2002, β = 0.7, 65,536 options)
//       npx tsx bench/ab.ts /tmp/base b76     (black76PriceUnsafe on the pricing bench's options)
import { pathToFileURL } from 'node:url'
import { makeInputs, PRICING_SEED } from './pricing.bench.js'
import type { black76PriceUnsafe } from '../lib/pricing/black76.js'
import type { impliedVolUnsafe } from '../lib/pricing/impliedVol.js'
import type { sabrVolUnsafe } from '../lib/pricing/sabr.js'
import { consume, pairedRounds, row, section } from './harness.js'
import { makeInputs as makeSabrInputs } from './sabr.bench.js'

// the kernels' own signatures (the baseline checkout's are the same)
type Iv = typeof impliedVolUnsafe
type B76 = typeof black76PriceUnsafe
type Sabr = typeof sabrVolUnsafe

const [baseRoot, kernel = 'iv'] = process.argv.slice(2)
if (baseRoot === undefined || (kernel !== 'iv' && kernel !== 'sabr' && kernel !== 'b76')) {
  throw new Error('usage: npx tsx bench/ab.ts <baseline checkout> iv|sabr|b76')
}
const load = async <T>(root: string, module: string, name: string): Promise<T> =>
  ((await import(pathToFileURL(`${root}/lib/pricing/${module}.ts`).href)) as Record<string, T>)[name]!
const here = new URL('..', import.meta.url).pathname

/** Counts results that differ bit for bit (NaN equals NaN) and their largest relative difference. */
const compare = (n: number, a: (i: number) => number, b: (i: number) => number): void => {
  let differ = 0
  let worst = 0
  for (let i = 0; i < n; i++) {
    const x = a(i)
    const y = b(i)
    if (!Object.is(x, y)) {
      differ++
      worst = Math.max(worst, Math.abs(x - y) / Math.abs(x))
    }
  }
  row(
    `results that differ (of ${n}); largest relative difference`,
    differ,
    'count',
    undefined,
    worst.toExponential(2),
  )
}

if (kernel === 'iv') {
  const A = await load<Iv>(baseRoot, 'impliedVol', 'impliedVolUnsafe')
  const B = await load<Iv>(here, 'impliedVol', 'impliedVolUnsafe')
  const { q, F, K, T, D, price } = makeInputs(100_000, PRICING_SEED)
  const n = F.length
  section(`A/B impliedVolUnsafe: A = ${baseRoot}, B = this checkout`)
  compare(
    n,
    (i) => A(q[i] as 1 | -1, price[i]!, F[i]!, K[i]!, T[i]!, D[i]!),
    (i) => B(q[i] as 1 | -1, price[i]!, F[i]!, K[i]!, T[i]!, D[i]!),
  )
  pairedRounds(
    [
      [
        'A (baseline)',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += A(q[i] as 1 | -1, price[i]!, F[i]!, K[i]!, T[i]!, D[i]!)
          consume(acc)
        },
      ],
      [
        'B (this checkout): B/A',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += B(q[i] as 1 | -1, price[i]!, F[i]!, K[i]!, T[i]!, D[i]!)
          consume(acc)
        },
      ],
    ],
    n,
    41,
  )
} else if (kernel === 'b76') {
  const A = await load<B76>(baseRoot, 'black76', 'black76PriceUnsafe')
  const B = await load<B76>(here, 'black76', 'black76PriceUnsafe')
  const { q, F, K, T, v, D } = makeInputs(100_000, PRICING_SEED)
  const n = F.length
  section(`A/B black76PriceUnsafe: A = ${baseRoot}, B = this checkout`)
  compare(
    n,
    (i) => A(q[i] as 1 | -1, F[i]!, K[i]!, T[i]!, v[i]!, D[i]!),
    (i) => B(q[i] as 1 | -1, F[i]!, K[i]!, T[i]!, v[i]!, D[i]!),
  )
  pairedRounds(
    [
      [
        'A (baseline)',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += A(q[i] as 1 | -1, F[i]!, K[i]!, T[i]!, v[i]!, D[i]!)
          consume(acc)
        },
      ],
      [
        'B (this checkout): B/A',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += B(q[i] as 1 | -1, F[i]!, K[i]!, T[i]!, v[i]!, D[i]!)
          consume(acc)
        },
      ],
    ],
    n,
    41,
  )
} else {
  const A = await load<Sabr>(baseRoot, 'sabr', 'sabrVolUnsafe')
  const B = await load<Sabr>(here, 'sabr', 'sabrVolUnsafe')
  const n = 1 << 16
  const { F, K, T, alpha, rho, nu } = makeSabrInputs(n, 0.7, 7) // the SABR bench's inputs at β = 0.7
  section(`A/B sabrVolUnsafe (hagan2002, β = 0.7): A = ${baseRoot}, B = this checkout`)
  compare(
    n,
    (i) => A(F[i]!, K[i]!, T[i]!, alpha[i]!, 0.7, rho[i]!, nu[i]!, 0),
    (i) => B(F[i]!, K[i]!, T[i]!, alpha[i]!, 0.7, rho[i]!, nu[i]!, 0),
  )
  pairedRounds(
    [
      [
        'A (baseline)',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += A(F[i]!, K[i]!, T[i]!, alpha[i]!, 0.7, rho[i]!, nu[i]!, 0)
          consume(acc)
        },
      ],
      [
        'B (this checkout): B/A',
        () => {
          let acc = 0
          for (let i = 0; i < n; i++) acc += B(F[i]!, K[i]!, T[i]!, alpha[i]!, 0.7, rho[i]!, nu[i]!, 0)
          consume(acc)
        },
      ],
    ],
    n,
    41,
  )
}
