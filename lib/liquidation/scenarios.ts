/**
 * Surface scenarios: a relative spot move applied with sticky moneyness (the implied vol at
 * log-moneyness k = ln(K/F) is unchanged when spot moves, so forwards move with spot and the
 * smile moves with them) and a DTE-scaled relative vol shock applied to the whole surface.
 * The risk-matrix scenario set of a {@link RiskMatrixParameters} preset is built here too.
 *
 * Reusable by the risk stage: {@link shockSurface} returns a `VolSurface`, and
 * {@link shockVol} is the plain per-option transform the scenario kernels use.
 *
 * @module
 * @since 0.1.0
 */
import type { VolSurface } from '../domain/surface.js'
import { DERIBIT_VOL_SHOCK_RULE, type RiskMatrixParameters, type VolShockRule } from './presets.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One surface scenario: spot (and every forward) multiplied by `1 + spotMove`; implied vols
 * transformed by {@link shockVol} with relative shock `volShock` (0 = unchanged).
 *
 * @category model
 * @since 0.1.0
 */
export interface SurfaceShock {
  /** Relative spot move, e.g. −0.16. Must be > −1. */
  readonly spotMove: number
  /** Relative vol shock at the reference tenor, e.g. +0.5 or −0.25; 0 leaves vols unchanged. */
  readonly volShock: number
}

/**
 * A margin scenario: a {@link SurfaceShock} with a name, a kind and the factor its loss is
 * multiplied by (1 for regular scenarios, the extended dampening otherwise).
 *
 * @category model
 * @since 0.1.0
 */
export interface MarginScenario extends SurfaceShock {
  /** e.g. `spot -16% vol up`. */
  readonly name: string
  /** `base` (no shock), `regular` or `extended`. */
  readonly kind: 'base' | 'regular' | 'extended'
  /** Loss multiplier. */
  readonly dampening: number
}

// -------------------------------------------------------------------------------------
// kernels
// -------------------------------------------------------------------------------------

const DAYS_PER_YEAR = 365

/**
 * The DTE scale of a vol shock: `(referenceDays / max(d, dteFloorDays))^p` with d = 365·T days,
 * p = shortPower if d < cutoffDays else longPower. Equals 1 at d = referenceDays.
 *
 * Verified by spec/liquidation/margin.spec.ts (values by hand).
 *
 * @example
 * volShockScale(30 / 365, DERIBIT_VOL_SHOCK_RULE) // 1
 *
 * @category kernels
 * @since 0.1.0
 */
export const volShockScale = (expiryYears: number, rule: VolShockRule): number => {
  const days = expiryYears * DAYS_PER_YEAR
  const d = days > rule.dteFloorDays ? days : rule.dteFloorDays
  const p = days < rule.cutoffDays ? rule.shortPower : rule.longPower
  return Math.pow(rule.referenceDays / d, p)
}

/**
 * Shocked implied vol: `σ' = σ·(1 + volShock·scale(T))` ({@link volShockScale}), floored at
 * `minVolUp` for up shocks and at `minDownFactor·σ` for down shocks; σ itself when `volShock = 0`.
 * Plain numbers in and out; NaN in gives NaN out.
 *
 * Verified by spec/liquidation/margin.spec.ts (values and floors by hand).
 *
 * @example
 * shockVol(0.5, 30 / 365, 0.5, DERIBIT_VOL_SHOCK_RULE) // 0.75
 *
 * @category kernels
 * @since 0.1.0
 */
export const shockVol = (vol: number, expiryYears: number, volShock: number, rule: VolShockRule): number => {
  if (volShock === 0) return vol
  const s = vol * (1 + volShock * volShockScale(expiryYears, rule))
  if (volShock > 0) return s > rule.minVolUp ? s : rule.minVolUp
  const floor = rule.minDownFactor * vol
  return s > floor ? s : floor
}

// -------------------------------------------------------------------------------------
// scenario sets
// -------------------------------------------------------------------------------------

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(Math.round(x * 1e4) / 100).toString()}%`

/**
 * The scenario set of a risk-matrix preset, base scenario first: spot moves
 * `−spotRange … +spotRange` in `2·spotSteps + 1` buckets × vol {up, unchanged, down} (the
 * unshocked move-0 scenario is the base), then the extended moves with vol up.
 * With the shipped preset: 1 + 26 + 8 = 35 scenarios.
 *
 * Verified by spec/liquidation/margin.spec.ts (35 scenarios).
 *
 * @category scenarios
 * @since 0.1.0
 */
export const riskMatrixScenarios = (p: RiskMatrixParameters): MarginScenario[] => {
  const out: MarginScenario[] = [{ name: 'base', kind: 'base', spotMove: 0, volShock: 0, dampening: 1 }]
  for (let i = -p.spotSteps; i <= p.spotSteps; i++) {
    const move = (p.spotRange * i) / p.spotSteps
    for (const [label, shock] of [
      ['up', p.volUp],
      ['unchanged', 0],
      ['down', -p.volDown],
    ] as const) {
      if (i === 0 && shock === 0) continue
      out.push({
        name: `spot ${pct(move)} vol ${label}`,
        kind: 'regular',
        spotMove: move,
        volShock: shock,
        dampening: 1,
      })
    }
  }
  for (const move of p.extendedMoves)
    out.push({
      name: `extended spot ${pct(move)} vol up`,
      kind: 'extended',
      spotMove: move,
      volShock: p.volUp,
      dampening: p.extendedDampening,
    })
  return out
}

// -------------------------------------------------------------------------------------
// surfaces
// -------------------------------------------------------------------------------------

/**
 * A shocked view of a surface: spot and forwards × (1 + spotMove); total variance at
 * log-moneyness k (against the shocked forward) is the base surface's at the same k, with vols
 * transformed by {@link shockVol}; discount factors unchanged. Slices keep the base fit's
 * parameters (exact for a pure spot move; a note says so when vols are shocked).
 *
 * Verified by spec/liquidation/margin.spec.ts (vol at fixed log-moneyness unchanged).
 *
 * @example
 * const down = shockSurface(surface, { spotMove: -0.1, volShock: 0 })
 * down.forward(0.25) // 0.9 · surface.forward(0.25)
 *
 * @category surfaces
 * @since 0.1.0
 */
export const shockSurface = (
  surface: VolSurface,
  shock: SurfaceShock,
  rule: VolShockRule = DERIBIT_VOL_SHOCK_RULE,
): VolSurface => {
  const m = 1 + shock.spotMove
  const v = shock.volShock
  const totalVariance = (k: number, t: number): number => {
    const w = surface.totalVariance(k, t)
    if (v === 0) return w
    const s = shockVol(Math.sqrt(w / t), t, v, rule)
    return s * s * t
  }
  const forward = (t: number): number => surface.forward(t) * m
  const note = `shocked view: spot ×${String(m)}, vol shock ${String(v)} (DTE-scaled); slice parameters are the unshocked fit's`
  return {
    asOf: surface.asOf,
    underlying: surface.underlying,
    spot: surface.spot * m,
    model: surface.model,
    vol: (strike: number, t: number): number =>
      Math.sqrt(totalVariance(Math.log(strike / forward(t)), t) / t),
    totalVariance,
    forward,
    discount: (t: number): number => surface.discount(t),
    slices: surface.slices.map((s) => ({ ...s, forward: s.forward * m })),
    diagnostics: { ...surface.diagnostics, notes: [...surface.diagnostics.notes, note] },
  }
}
