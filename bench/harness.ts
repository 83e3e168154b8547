// Shared benchmark harness: every figure is printed as a ratio to a baseline timed in the same
// run, because absolute timings on shared 2-core machines are noisy. Median of repeated runs.

/** Median wall time in nanoseconds per call of `body(i)` over `n` iterations, `repeats` runs. */
export const timePerOp = (n: number, body: (i: number) => void, repeats = 7): number => {
  // warm-up so the JIT has compiled the body before timing
  for (let i = 0; i < Math.min(n, 20_000); i++) body(i)
  const samples: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) body(i)
    const t1 = process.hrtime.bigint()
    samples.push(Number(t1 - t0) / n)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] as number
}

/** Median wall time in milliseconds of `body()` over `repeats` runs (after one warm-up). */
export const timeMs = (body: () => void, repeats = 5): number => {
  body()
  const samples: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint()
    body()
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] as number
}

/**
 * Deterministic uniform [0, 1) generator (mulberry32), so every run times the same inputs.
 * The one seeded generator of the benches' random inputs.
 */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A sink the optimiser cannot remove. */
export let sink = 0
/** Adds to the sink. */
export const consume = (x: number): void => {
  sink += x
}

/**
 * The "floor": one log, one sqrt and two exp per option on the same inputs — the bare
 * transcendental cost every Black-76 evaluation must pay.
 */
export const floorNsPerOp = (F: Float64Array, K: Float64Array, T: Float64Array, v: Float64Array): number =>
  timePerOp(F.length, (i) => {
    const x = Math.log((F[i] as number) / (K[i] as number))
    const s = (v[i] as number) * Math.sqrt(T[i] as number)
    consume(Math.exp(x * 0.5 + s) + Math.exp(-x * 0.5 - s))
  })

/** Prints one table row: name, value, unit, ratio to the baseline and a note. */
export const row = (name: string, value: number, unit: string, ratio?: number, note = ''): void => {
  const r = ratio === undefined ? '' : `${ratio.toFixed(2)}×`
  console.log(
    `${name.padEnd(58)} ${value.toFixed(value < 10 ? 3 : 1).padStart(12)} ${unit.padEnd(8)} ${r.padStart(9)}  ${note}`,
  )
}

/** Prints a section heading. */
export const section = (title: string): void => {
  console.log(`\n## ${title}`)
}
