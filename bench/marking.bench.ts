// Marking bench: time to mark a full chain (fit included: markSnapshot) as a ratio to the time to
// fit the same chain alone (fitSurface), per real Deribit chain and underlying, plus the
// leave-one-out backtest (one slice refit per hidden liquid quote) as a ratio to the full fit.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { readSnapshotText } from '../lib/io/readSnapshotFile.js'
import { markSnapshot } from '../lib/marking/mark.js'
import { leaveOneOut } from '../lib/marking/validate.js'
import { fitSurface } from '../lib/surface/fitSurface.js'
import { row, section, timeMs } from './harness.js'

const DIR = 'spec/fixtures/data/deribit-chains/'
const FILES = [
  'deribit_options_snapshot_20251230T173115Z.csv',
  'deribit_options_snapshot_20260205T155132Z.csv',
  'deribit_options_snapshot_20260822T153351Z.csv',
]

export const run = (): void => {
  section('marking: markSnapshot (fit + liquidity + marks + fingerprints) vs fitSurface alone, median of 5')
  for (const file of FILES) {
    const r = readSnapshotText(readFileSync(DIR + file, 'utf8'), file)
    if (E.isLeft(r)) throw new Error(r.left.message)
    for (const snap of r.right) {
      const fit = timeMs(() => {
        if (E.isLeft(fitSurface(snap))) throw new Error('fit failed')
      })
      const mark = timeMs(() => {
        if (E.isLeft(markSnapshot(snap))) throw new Error('mark failed')
      })
      const tag = `${file.slice(25, 40)} ${snap.underlying} (${snap.options.length} options)`
      row(`fitSurface ${tag}`, fit, 'ms', 1, 'baseline')
      row(`markSnapshot ${tag}`, mark, 'ms', mark / fit, `marking overhead ${(mark - fit).toFixed(1)} ms`)
      const loo = timeMs(() => {
        if (E.isLeft(leaveOneOut(snap))) throw new Error('validate failed')
      }, 1)
      row(`leaveOneOut ${tag}`, loo, 'ms', loo / fit, 'one slice refit per hidden liquid quote')
    }
  }
}
