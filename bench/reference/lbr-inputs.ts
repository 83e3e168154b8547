// Writes the pricing bench's 100k seeded options (same generator and domain as
// bench/pricing.bench.ts, undiscounted) as little-endian doubles [q, F, K, T, σ, price] per option,
// for the reference-code harness lbr-harness.cpp. Run: npx tsx bench/reference/lbr-inputs.ts <out.bin>
import { writeFileSync } from 'node:fs'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'

const N = 100_000
const MINUTE = 1 / (365 * 24 * 60)
// mulberry32, seed 20261124: the draws of bench/pricing.bench.ts's makeInputs, in the same order.
const rng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const u = rng(20261124)
const logU = (lo: number, hi: number): number => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)))
const out = new Float64Array(N * 6)
for (let i = 0; i < N; i++) {
  const q = u() < 0.5 ? 1 : -1
  const F = logU(0.01, 2e5)
  const T = logU(15 * MINUTE, 5)
  const v = logU(0.02, 5)
  const K = F * Math.exp((12 * u() - 6) * v * Math.sqrt(T))
  if (!(u() < 0.5)) u() // the bench's discount draws; the reference harness prices undiscounted
  out.set([q, F, K, T, v, black76PriceUnsafe(q, F, K, T, v, 1)], i * 6)
}
writeFileSync(process.argv[2] ?? 'lbr-inputs.bin', Buffer.from(out.buffer))
