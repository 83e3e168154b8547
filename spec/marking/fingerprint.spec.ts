// Canonical JSON and SHA-256 fingerprints. The SHA-256 vector is NIST FIPS 180-2's "abc" example.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  LIBRARY_VERSION,
  canonicalJson,
  fingerprint,
  sha256Hex,
  surfaceIdentity,
} from '../../lib/marking/fingerprint.js'
import { stubSurface } from './stubSurface.js'

describe('fingerprint', () => {
  it('SHA-256 of "abc" is the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  it('canonical JSON sorts keys, drops undefined, spells non-finite numbers, folds -0', () => {
    expect(canonicalJson({ b: 1, a: [Number.NaN, -0, Infinity, -Infinity], c: undefined, d: null })).toBe(
      '{"a":["NaN",0,"Infinity","-Infinity"],"b":1,"d":null}',
    )
    expect(canonicalJson({ z: { y: 'é"', x: true } })).toBe('{"z":{"x":true,"y":"é\\""}}')
    expect(canonicalJson(new Float64Array([0.1, 2]))).toBe('[0.1,2]')
    expect(canonicalJson([undefined, 1])).toBe('[null,1]')
  })
  it('is independent of key order and sensitive to any value', () => {
    expect(fingerprint({ a: 1, b: [1, 2] })).toBe(fingerprint({ b: [1, 2], a: 1 }))
    expect(fingerprint({ a: 1, b: [1, 2] })).not.toBe(fingerprint({ a: 1, b: [2, 1] }))
    expect(fingerprint({ a: 0.1 + 0.2 })).not.toBe(fingerprint({ a: 0.3 }))
  })
  it('the library version matches package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
    expect(LIBRARY_VERSION).toEqual({ name: pkg.name, version: pkg.version })
  })
  it('surface identity holds the slice parameters, not the closures', () => {
    const s = stubSurface({
      asOf: '2026-01-01T00:00:00.000Z',
      forward: 100,
      expiries: ['2026-02-01T08:00:00.000Z'],
    })
    const id = JSON.parse(canonicalJson(surfaceIdentity(s))) as {
      slices: { parameters: { model: string } }[]
    }
    expect(id.slices[0]?.parameters.model).toBe('svi')
    expect(fingerprint(surfaceIdentity(s))).toBe(fingerprint(surfaceIdentity({ ...s })))
  })
})
