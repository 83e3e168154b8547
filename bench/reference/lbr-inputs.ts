// Writes the pricing bench's 100k seeded options (bench/pricing.bench.ts makeInputs, same seed and
// domain), priced undiscounted, as little-endian doubles [q, F, K, T, σ, price] per option, for the
// reference-code harness lbr-harness.cpp. Run: npx tsx bench/reference/lbr-inputs.ts <out.bin>
import { writeFileSync } from 'node:fs'
import { black76PriceUnsafe } from '../../lib/pricing/black76.js'
import { PRICING_SEED, makeInputs } from '../pricing.bench.js'

const N = 100_000
const inp = makeInputs(N, PRICING_SEED)
const out = new Float64Array(N * 6)
for (let i = 0; i < N; i++) {
  const q = inp.q[i] === 1 ? 1 : -1
  const [F, K, T, v] = [inp.F[i]!, inp.K[i]!, inp.T[i]!, inp.v[i]!]
  out.set([q, F, K, T, v, black76PriceUnsafe(q, F, K, T, v, 1)], i * 6)
}
writeFileSync(process.argv[2] ?? 'lbr-inputs.bin', Buffer.from(out.buffer))
