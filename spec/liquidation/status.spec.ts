// Status thresholds (strict inequalities; NaN equity is never healthy).
import { describe, expect, it } from 'vitest'
import { accountStatus, statusCode } from '../../lib/liquidation/status.js'

describe('status', () => {
  it('thresholds', () => {
    expect(accountStatus(100, 90, 80)).toBe('healthy')
    expect(accountStatus(85, 90, 80)).toBe('margin-call')
    expect(accountStatus(79, 90, 80)).toBe('liquidatable')
    expect(accountStatus(-1, 90, 80)).toBe('insolvent')
    expect(statusCode(NaN, 0, 0)).toBe(3)
    expect(accountStatus(80, 90, 80)).toBe('margin-call') // equity = MM is not below MM
  })
})
