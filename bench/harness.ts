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

/**
 * The floor as a plain loop for the interleaved paired rounds (`pairedRounds`): the body of
 * {@link floorNsPerOp} over every option, summed into a local and consumed once per pass, so that
 * no per-option call is added to it (nor to the kernels' loops it is paired with).
 */
export const floorLoop = (F: Float64Array, K: Float64Array, T: Float64Array, v: Float64Array): void => {
  let acc = 0
  for (let i = 0; i < F.length; i++) {
    const x = Math.log((F[i] as number) / (K[i] as number))
    const s = (v[i] as number) * Math.sqrt(T[i] as number)
    acc += Math.exp(x * 0.5 + s) + Math.exp(-x * 0.5 - s)
  }
  consume(acc)
}

/** Prints one table row: name, value, unit, ratio to the baseline and a note. */
export const row = (name: string, value: number, unit: string, ratio?: number, note = ''): void => {
  const r = ratio === undefined ? '' : `${ratio.toFixed(2)}×`
  console.log(
    `${name.padEnd(58)} ${value.toFixed(value < 10 ? 3 : 1).padStart(12)} ${unit.padEnd(8)} ${r.padStart(9)}  ${note}`,
  )
}

/**
 * Interleaved paired rounds over plain loops (no closure call per option): every round runs each
 * loop once, in order, and times it in CPU time (`process.cpuUsage`) and wall time. The first
 * loop is the baseline (the floor). Per loop, one row: its median CPU ns per option, the median
 * over rounds of its CPU time divided by the baseline's in the same round (load on a shared
 * machine hits both alike), the range of those paired ratios and the ratio of minimum wall times.
 * The first `warm` rounds are not kept (JIT warm-up). `n` = options per loop call.
 */
export const pairedRounds = (
  loops: readonly (readonly [string, () => void])[],
  n: number,
  rounds = 21,
  warm = 3,
): void => {
  const wall = loops.map(() => [] as number[])
  const cpu = loops.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    loops.forEach(([, body], j) => {
      const c0 = process.cpuUsage()
      const t0 = process.hrtime.bigint()
      body()
      const t1 = process.hrtime.bigint()
      const c = process.cpuUsage(c0)
      if (round < warm) return
      wall[j]!.push(Number(t1 - t0) / n)
      cpu[j]!.push(((c.user + c.system) * 1000) / n)
    })
  }
  const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  loops.forEach(([name], j) => {
    const paired = cpu[j]!.map((t, r) => t / cpu[0]![r]!)
    const minWall = Math.min(...wall[j]!)
    row(
      name,
      median(cpu[j]!),
      'cpu ns/op',
      median(paired),
      `paired CPU-time median; paired range ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}; wall min ${minWall.toFixed(1)} ns = ${(minWall / Math.min(...wall[0]!)).toFixed(2)}× the first row's`,
    )
  })
}

/** Prints a section heading. */
export const section = (title: string): void => {
  console.log(`\n## ${title}`)
}
