/**
 * Fingerprints: SHA-256 over a canonical JSON rendering of the inputs, the parameter set and the
 * library version that produced a mark. Two marks with the same fingerprint were computed from
 * byte-identical inputs by the same rules; an auditor recomputes the fingerprint from the
 * recorded inputs to show which inputs a mark came from.
 *
 * Canonical JSON: object keys sorted by UTF-16 code unit order, no whitespace, `undefined`
 * members dropped, numbers in ECMAScript's shortest round-trip form (`Number.prototype.toString`),
 * with `NaN`, `Infinity` and `-Infinity` written as the strings `"NaN"`, `"Infinity"`,
 * `"-Infinity"`, and `-0` as `0`. This is the JSON Canonicalization Scheme of RFC 8785
 * (A. Rundgren, B. Jordan, S. Erdtman, 2020) extended to non-finite numbers; the hash is SHA-256
 * (NIST FIPS 180-4) from node:crypto.
 *
 * @module
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import type { VolSurface } from '../domain/surface.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * Library name and version that enter every fingerprint (kept equal to package.json's
 * `version`; spec/marking/fingerprint.spec.ts checks it).
 *
 * @category constants
 * @since 0.1.0
 */
export const LIBRARY_VERSION = { name: 'mark-to-model', version: '0.1.0' } as const

// -------------------------------------------------------------------------------------
// fingerprints
// -------------------------------------------------------------------------------------

/**
 * Canonical JSON of a JSON-like value (see the module comment for the rules). Functions and
 * symbols are dropped like `undefined`.
 *
 * Verified by spec/marking/fingerprint.spec.ts.
 *
 * @example
 * canonicalJson({ b: 1, a: [NaN, -0] }) // '{"a":["NaN",0],"b":1}'
 *
 * @category fingerprints
 * @since 0.1.0
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return '"NaN"'
      if (!Number.isFinite(value)) return value > 0 ? '"Infinity"' : '"-Infinity"'
      return Object.is(value, -0) ? '0' : String(value)
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return JSON.stringify(value.toString())
    case 'object': {
      if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        const arr = Array.from(value as ArrayLike<unknown>)
        return '[' + arr.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']'
      }
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function' && typeof obj[k] !== 'symbol')
        .sort()
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}'
    }
    default:
      return 'null'
  }
}

/**
 * Lower-case hex SHA-256 of a UTF-8 string (node:crypto).
 *
 * Verified by spec/marking/fingerprint.spec.ts (NIST test vector for "abc").
 *
 * @category fingerprints
 * @since 0.1.0
 */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * `sha256:` + SHA-256 of the canonical JSON of `value`.
 *
 * Verified by spec/marking/fingerprint.spec.ts.
 *
 * @example
 * fingerprint({ a: 1 }) === fingerprint({ a: 1 }) // true, and independent of key order
 *
 * @category fingerprints
 * @since 0.1.0
 */
export const fingerprint = (value: unknown): string => 'sha256:' + sha256Hex(canonicalJson(value))

/**
 * The plain data that identifies a fitted surface: instant, underlying, spot, model and, per
 * slice, every field but the diagnostics (expiry, forward, discount, fitted parameters, residual
 * vol, and any correction the fitter adds). Together with the library
 * version (which fixes the interpolation rules) it determines every value the surface returns.
 *
 * Verified by spec/marking/fingerprint.spec.ts.
 *
 * @category fingerprints
 * @since 0.1.0
 */
export const surfaceIdentity = (surface: VolSurface): unknown => ({
  asOf: surface.asOf,
  underlying: surface.underlying,
  spot: surface.spot,
  model: surface.model,
  // every field of a slice except its diagnostics (so fields a fitter adds, such as a smooth
  // correction to the parametric total variance, enter the identity too)
  slices: surface.slices.map(({ diagnostics: _diagnostics, ...slice }) => slice),
})
