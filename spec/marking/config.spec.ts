// Marking parameter presets: lookup, typed error, premium default.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  CBOE_V1,
  DERIBIT_V1,
  DERIBIT_V2,
  MARKING_PRESETS,
  markingPreset,
  presetForPremium,
} from '../../lib/marking/config.js'

describe('marking presets', () => {
  it('looks presets up by name', () => {
    expect(markingPreset('deribit-v1')).toEqual(E.right(DERIBIT_V1))
    expect(markingPreset('cboe-v1')).toEqual(E.right(CBOE_V1))
    expect(markingPreset('deribit-v2')).toEqual(E.right(DERIBIT_V2))
  })
  it('deribit-v2 is deribit-v1 plus the far-wing rule', () => {
    const { wing, ...mark } = DERIBIT_V2.mark
    expect(wing).toEqual({ mode: 'flat-beyond-last-two-sided' })
    expect(mark).toEqual(DERIBIT_V1.mark)
    expect(DERIBIT_V2.liquidity).toEqual(DERIBIT_V1.liquidity)
    expect(DERIBIT_V1.mark.wing).toBeUndefined()
  })
  it('an unknown name is a typed error listing the known ones', () => {
    const r = markingPreset('deribit-v9')
    expect(E.isLeft(r) && r.left).toEqual({
      _tag: 'UnknownParameterSet',
      name: 'deribit-v9',
      known: ['cboe-v1', 'deribit-v1', 'deribit-v2'],
      message: 'field parameters = "deribit-v9": must be one of cboe-v1, deribit-v1, deribit-v2',
    })
    expect(E.isLeft(markingPreset('toString'))).toBe(true)
  })
  it('every preset name ends in its version', () => {
    for (const [k, p] of Object.entries(MARKING_PRESETS)) {
      expect(p.name).toBe(k)
      expect(k.endsWith(`-v${p.version}`)).toBe(true)
    }
  })
  it('coin premiums default to deribit-v2, linear to cboe-v1', () => {
    expect(presetForPremium('coin')).toBe(DERIBIT_V2)
    expect(presetForPremium('quote')).toBe(CBOE_V1)
  })
})
