/**
 * Instrument names as on Deribit: `BTC-25SEP26-120000-P` (option), `BTC-25SEP26` (future),
 * `BTC-PERPETUAL` (perpetual). Options and futures expire at 08:00 UTC on the named date.
 *
 * @module
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidInput, invalidInput } from './errors.js'
import type { OptionKind } from './units.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A parsed instrument name. `expiry` is the UTC ISO timestamp of expiry (08:00 UTC).
 *
 * @category model
 * @since 0.1.0
 */
export type Instrument =
  | {
      readonly type: 'option'
      readonly name: string
      readonly underlying: string
      readonly expiry: string
      readonly strike: number
      readonly kind: OptionKind
    }
  | { readonly type: 'future'; readonly name: string; readonly underlying: string; readonly expiry: string }
  | { readonly type: 'perpetual'; readonly name: string; readonly underlying: string }

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 0,
  FEB: 1,
  MAR: 2,
  APR: 3,
  MAY: 4,
  JUN: 5,
  JUL: 6,
  AUG: 7,
  SEP: 8,
  OCT: 9,
  NOV: 10,
  DEC: 11,
}

/**
 * Deribit's expiry hour (UTC).
 *
 * @category constants
 * @since 0.1.0
 */
export const DERIBIT_EXPIRY_HOUR_UTC = 8

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/**
 * Parses a Deribit date code `DMMMYY` (e.g. `5FEB26`, `25SEP26`) to the UTC ISO expiry at 08:00;
 * `undefined` when malformed or not a real calendar date.
 *
 * Verified by spec/domain/instrument.spec.ts.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseDeribitDate = (code: string): string | undefined => {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(code)
  if (m === null) return undefined
  const day = Number(m[1])
  const month = MONTHS[m[2] as string]
  if (month === undefined) return undefined
  const year = 2000 + Number(m[3])
  const ms = Date.UTC(year, month, day, DERIBIT_EXPIRY_HOUR_UTC)
  const d = new Date(ms)
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month) return undefined
  return d.toISOString()
}

/**
 * Parses a Deribit instrument name. Strikes may use `d` as the decimal point (`XRP_USDC-…-0d625-C`).
 * Fails with {@link InvalidInput} on `instrument` naming the rule broken.
 *
 * Verified by spec/domain/instrument.spec.ts.
 *
 * @example
 * parseInstrument('BTC-25SEP26-120000-P')
 * // right({ type: 'option', underlying: 'BTC', expiry: '2026-09-25T08:00:00.000Z', strike: 120000, kind: 'put', ... })
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseInstrument = (name: string): E.Either<InvalidInput, Instrument> => {
  const parts = name.split('-')
  const underlying = parts[0] ?? ''
  if (underlying === '')
    return E.left(invalidInput('instrument', name, 'must start with the underlying symbol'))
  if (parts.length === 2 && parts[1] === 'PERPETUAL') return E.right({ type: 'perpetual', name, underlying })
  const expiry = parts[1] === undefined ? undefined : parseDeribitDate(parts[1])
  if (expiry === undefined)
    return E.left(
      invalidInput('instrument', name, 'must be UNDERLYING-DMMMYY[-STRIKE-C|P] or UNDERLYING-PERPETUAL'),
    )
  if (parts.length === 2) return E.right({ type: 'future', name, underlying, expiry })
  if (parts.length !== 4)
    return E.left(
      invalidInput('instrument', name, 'must be UNDERLYING-DMMMYY[-STRIKE-C|P] or UNDERLYING-PERPETUAL'),
    )
  const strike = Number((parts[2] as string).replace('d', '.'))
  if (!(Number.isFinite(strike) && strike > 0))
    return E.left(invalidInput('instrument', name, 'strike must be a finite number in (0, ∞)'))
  const k = parts[3]
  if (k !== 'C' && k !== 'P') return E.left(invalidInput('instrument', name, 'option kind must be C or P'))
  return E.right({ type: 'option', name, underlying, expiry, strike, kind: k === 'C' ? 'call' : 'put' })
}
