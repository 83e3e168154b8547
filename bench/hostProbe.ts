// Probe of the machine's state, not of the library: loops of one operation each (a dependent
// division, a dependent square root, Math.log, Math.exp, a multiply-add chain) and a loop that
// streams seven columns of 65,536 doubles (the SABR bench's footprint), each as CPU ns per
// iteration, medians of 12 rounds. Run it pinned to each vCPU to see whether they differ:
//
//   taskset -c 0 npx tsx bench/hostProbe.ts ; taskset -c 1 npx tsx bench/hostProbe.ts
//
// On the 2-vCPU machines of this project the vCPUs at times differ by ≈ 40% on compiled kernels;
// in one pinned pair (2026-12-04 19:01 UTC) Math.log and Math.exp took 8.9–9.2 ns on one and
// 12.1–12.8 ns on the other, division, square root and multiply-add the same on both, and the
// streaming loop 4–11 ns a row on either (docs/methodology/sabr.md).
import { consume, mulberry32 } from './harness.js'

const n = 1 << 16
const u = mulberry32(1)
const a = Float64Array.from({ length: n }, () => 1 + u())
const b = Float64Array.from({ length: n }, () => 0.5 + u())
const cols = Array.from({ length: 7 }, () => Float64Array.from({ length: n }, () => u()))

const probes: readonly (readonly [string, () => number])[] = [
  [
    'dependent division',
    () => {
      let acc = 1.5
      for (let i = 0; i < n; i++) acc = a[i]! / acc
      return acc
    },
  ],
  [
    'dependent Math.sqrt',
    () => {
      let acc = 1.5
      for (let i = 0; i < n; i++) acc = Math.sqrt(acc + a[i]!)
      return acc
    },
  ],
  [
    'Math.log',
    () => {
      let acc = 0
      for (let i = 0; i < n; i++) acc += Math.log(a[i]!)
      return acc
    },
  ],
  [
    'Math.exp',
    () => {
      let acc = 0
      for (let i = 0; i < n; i++) acc += Math.exp(a[i]!)
      return acc
    },
  ],
  [
    'multiply-add chain',
    () => {
      let acc = 1.5
      for (let i = 0; i < n; i++) acc = acc * a[i]! * 0.5 + b[i]!
      return acc
    },
  ],
  [
    'stream 7 columns',
    () => {
      const [c0, c1, c2, c3, c4, c5, c6] = cols as [
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
      ]
      let acc = 0
      for (let i = 0; i < n; i++) acc += c0[i]! + c1[i]! + c2[i]! + c3[i]! + c4[i]! + c5[i]! + c6[i]!
      return acc
    },
  ],
]

const times = probes.map(() => [] as number[])
for (let round = 0; round < 15; round++) {
  probes.forEach(([, f], j) => {
    const c = process.cpuUsage()
    consume(f())
    const d = process.cpuUsage(c)
    if (round >= 3) times[j]!.push(((d.user + d.system) * 1000) / n)
  })
}
const median = (xs: readonly number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!
console.log(
  probes.map(([name], j) => `${name} ${median(times[j]!).toFixed(2)}`).join(' | '),
  'CPU ns/iteration',
)
