import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { MarketSnapshot } from '../../lib/domain/snapshot.js'
import { newYorkToUtcMs, readCboeQuotes } from '../../lib/io/cboe.js'
import { readSnapshotJson } from '../../lib/io/snapshotJson.js'

const FILE = 'spec/fixtures/data/spx/spx_quotedata_20190510_close.dat'
const text = readFileSync(FILE, 'utf8')

const read = (opts = {}): MarketSnapshot => {
  const r = readCboeQuotes(text, opts)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

// Oracle by a plain line split (the table has no quoted fields; asserted below).
const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
const data = lines.slice(3).map((l) => l.split(','))
const expiredRows = data.filter((c) => c[0] === '05/10/2019').length
const live = data.filter((c) => c[0] !== '05/10/2019')
const liveExpiries = new Set(live.map((c) => `${c[0]} ${/^SPXW/.test(c[1] as string) ? 'PM' : 'AM'}`))
const zeroBids = live.reduce((n, c) => n + (Number(c[4]) === 0 ? 1 : 0) + (Number(c[15]) === 0 ? 1 : 0), 0)

describe('readCboeQuotes on the real SPX table', () => {
  const s = read({ fileName: 'spx.dat' })

  it('the oracle is valid: no quotes, 22 fields per row, 6,972 rows (README)', () => {
    expect(text.includes('"')).toBe(false)
    expect(data.every((c) => c.length === 22)).toBe(true)
    expect(data.length).toBe(6972)
  })

  it('two options per data row: options + rejected = 2 × rows; the 05/10/2019 rows are rejected as expired', () => {
    expect(s.options.length + (s.rejected?.length ?? 0)).toBe(2 * data.length)
    expect(s.rejected?.length).toBe(2 * expiredRows)
    expect(
      s.rejected?.every((r) => r.field === 'Expiration Date' && r.reason.startsWith('expired option')),
    ).toBe(true)
    expect(s.warnings).toEqual([])
  })

  it('snapshot: SPX, last 2881.4, quote premium, close of Friday 2019-05-10 (16:00 EDT), no forwards', () => {
    expect(s.underlying).toBe('SPX')
    expect(s.spot).toBe(2881.4)
    expect(s.premium).toBe('quote')
    expect(s.timestamp).toBe('2019-05-10T20:00:00.000Z')
    expect(s.forwards).toEqual([])
    expect(s.source).toEqual({ format: 'cboe-quotes', file: 'spx.dat' })
  })

  it('expiries: SPXW at 16:00 ET, SPX monthlies at 09:30 ET, DST-correct', () => {
    expect(new Set(s.options.map((q) => q.expiry)).size).toBe(liveExpiries.size)
    const expiryOf = (name: string) => s.options.find((q) => q.instrument === name)?.expiry
    expect(expiryOf('SPXW190517C02900000')).toBe('2019-05-17T20:00:00.000Z') // EDT, PM
    expect(expiryOf('SPX190517C02900000')).toBe('2019-05-17T13:30:00.000Z') // EDT, AM
    expect(expiryOf('SPX191220C02900000')).toBe('2019-12-20T14:30:00.000Z') // EST, AM
    expect(expiryOf('SPXW191231P02900000')).toBe('2019-12-31T21:00:00.000Z') // EST, PM
  })

  it('zero bids are null; strikes and kinds follow the symbols', () => {
    expect(s.options.filter((q) => q.bid === null).length).toBe(zeroBids)
    for (const q of s.options) {
      const m = /^[A-Z]+\d{6}([CP])(\d{8})$/.exec(q.instrument)
      expect(m).not.toBeNull()
      expect(q.kind).toBe(m?.[1] === 'C' ? 'call' : 'put')
      expect(q.strike).toBe(Number(m?.[2]) / 1000)
    }
  })

  it('decodes with the codec, round-trips through JSON, and is deterministic', () => {
    expect(E.isRight(MarketSnapshot.decode(s))).toBe(true)
    expect(readSnapshotJson(JSON.parse(JSON.stringify(s)))).toEqual(E.right(s))
    expect(JSON.stringify(read({ fileName: 'spx.dat' }))).toBe(JSON.stringify(s))
  })

  it('options.timestamp overrides the default; an invalid one is an InvalidInput', () => {
    const later = read({ timestamp: '2019-05-13T14:00:00-04:00' })
    expect(later.timestamp).toBe('2019-05-13T18:00:00.000Z')
    // now the 05/13 weeklies (16:00 EDT) are still live, the 05/10 ones expired
    expect(later.options.length + (later.rejected?.length ?? 0)).toBe(2 * data.length)
    const bad = readCboeQuotes(text, { timestamp: '2019-05-10 16:00' })
    expect(E.isLeft(bad) && bad.left._tag).toBe('InvalidInput')
  })

  it('the default time is the last weekday close at or before the download time', () => {
    const withDownload = (line2: string) => {
      const t = text.split('\r\n')
      t[1] = line2
      const r = readCboeQuotes(t.join('\r\n'))
      return E.isRight(r) ? r.right.timestamp : r.left.message
    }
    expect(withDownload('May 13 2019 @ 04:47 ET,Bid,1')).toBe('2019-05-10T20:00:00.000Z') // Monday morning → Friday
    expect(withDownload('May 14 2019 @ 16:00 ET,Bid,1')).toBe('2019-05-14T20:00:00.000Z') // at the close → same day
    expect(withDownload('Jan 7 2020 @ 17:15 ET,Bid,1')).toBe('2020-01-07T21:00:00.000Z') // EST
    expect(withDownload('no time here,Bid,1')).toMatch(/^cboe-quotes: malformed input at line 2: /)
  })
})

describe('newYorkToUtcMs', () => {
  it('agrees with Intl (America/New_York) at 09:30 and 16:00 on every day of 2005-2030', () => {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    let checked = 0
    for (let ms = Date.UTC(2005, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 86_400_000) {
      const d = new Date(ms)
      const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
      for (const [hh, mm] of [
        [9, 30],
        [16, 0],
      ] as const) {
        const utc = newYorkToUtcMs(y, m, day, hh, mm)
        const p = Object.fromEntries(fmt.formatToParts(new Date(utc)).map((x) => [x.type, x.value]))
        expect(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`).toBe(
          `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`,
        )
        checked++
      }
    }
    expect(checked).toBe(2 * 9496)
  })
})
