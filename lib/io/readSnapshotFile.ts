/**
 * One entry point for every input layout: sniffs the format from the text and dispatches to the
 * matching reader.
 *
 * @module
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import {
  type InputError,
  emptyInput,
  malformedInput,
  unreadableFile,
  unrecognisedFormat,
} from '../domain/inputErrors.js'
import type { MarketSnapshot } from '../domain/snapshot.js'
import { readCboeQuotes } from './cboe.js'
import { readDeribitChain } from './deribitChain.js'
import { readDeribitOrderBook } from './deribitOrderBook.js'
import { readSnapshotJsonDocument } from './snapshotJson.js'

/**
 * A layout {@link sniffFormat} can recognise.
 *
 * @category model
 * @since 0.1.0
 */
export type SnapshotLayout = 'deribit-chain' | 'deribit-orderbook' | 'cboe-quotes' | 'snapshot-json'

const firstLines = (text: string, n: number): string[] => {
  const out: string[] = []
  let at = 0
  while (out.length < n && at <= text.length) {
    const i = text.indexOf('\n', at)
    const end = i < 0 ? text.length : i
    out.push(text.slice(at, end).replace(/\r$/, ''))
    if (i < 0) break
    at = i + 1
  }
  return out
}

const headerCells = (line: string): string[] => line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))

/**
 * Recognises the layout of an input text, or `undefined`.
 *
 * Rules, in order: first non-blank character `{` or `[` → `snapshot-json`; header (first line)
 * with `instrument_name`, `expiry_datetime` and `underlying_name` → `deribit-chain`; header with
 * `instrument_name`, `expiration_timestamp`, `bids` and `asks` → `deribit-orderbook`; third line
 * with `Calls`, `Strike` and `Puts` (CBOE quote table; its first line is `^SYMBOL (name),last,…`)
 * → `cboe-quotes`. A leading byte-order mark is ignored.
 *
 * Verified by spec/io/readSnapshotFile.spec.ts (every real fixture and an unrecognised text).
 *
 * @category readers
 * @since 0.1.0
 */
export const sniffFormat = (text: string): SnapshotLayout | undefined => {
  const t = text.replace(/^\uFEFF/, '')
  const start = t.trimStart()[0]
  if (start === '{' || start === '[') return 'snapshot-json'
  const lines = firstLines(t, 3)
  const header = new Set(headerCells(lines[0] ?? ''))
  if (header.has('instrument_name') && header.has('expiry_datetime') && header.has('underlying_name'))
    return 'deribit-chain'
  if (
    header.has('instrument_name') &&
    header.has('expiration_timestamp') &&
    header.has('bids') &&
    header.has('asks')
  )
    return 'deribit-orderbook'
  const third = new Set(headerCells(lines[2] ?? ''))
  if (third.has('Calls') && third.has('Strike') && third.has('Puts')) return 'cboe-quotes'
  return undefined
}

/**
 * Reads any supported layout from its text: a Deribit chain CSV, a Deribit order-book CSV, a CBOE
 * quote table or the project's snapshot JSON (one object or an array), as recognised by
 * {@link sniffFormat}. `fileName` is recorded in `source.file` of CSV-derived snapshots (JSON
 * snapshots are returned exactly as decoded).
 *
 * Errors (Left): `EmptyInput` (blank text); `UnrecognisedFormat` (no layout recognised;
 * message shows the first line); `MalformedInput` (JSON syntax); otherwise whatever the chosen
 * reader returns ({@link readDeribitChain}, {@link readDeribitOrderBook}, {@link readCboeQuotes},
 * {@link readSnapshotJsonDocument}).
 *
 * Verified by spec/io/readSnapshotFile.spec.ts.
 *
 * Example, from spec/io/examples.spec.ts:
 * {@includeCode ../../spec/io/examples.spec.ts#readSnapshotFile}
 *
 * @category readers
 * @since 0.1.0
 */
export const readSnapshotText = (text: string, fileName?: string): E.Either<InputError, MarketSnapshot[]> => {
  if (text.trim() === '') return E.left(emptyInput('snapshot-file', 'no text'))
  const opts = fileName === undefined ? {} : { fileName }
  switch (sniffFormat(text)) {
    case 'snapshot-json': {
      let value: unknown
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ''))
      } catch (e) {
        return E.left(malformedInput('snapshot-json', null, e instanceof Error ? e.message : String(e)))
      }
      return readSnapshotJsonDocument(value)
    }
    case 'deribit-chain':
      return readDeribitChain(text, opts)
    case 'deribit-orderbook':
      return readDeribitOrderBook(text, opts)
    case 'cboe-quotes':
      return E.map((s: MarketSnapshot) => [s])(readCboeQuotes(text, opts))
    case undefined:
      return E.left(
        unrecognisedFormat(
          'snapshot-file',
          'expected a Deribit chain CSV, a Deribit order-book CSV, a CBOE quote table or snapshot JSON',
          firstLines(text.replace(/^\uFEFF/, ''), 1)[0] ?? '',
        ),
      )
  }
}

/**
 * Reads a snapshot file of any supported layout (see {@link readSnapshotText}); the file's base
 * name goes into `source.file`. Reads synchronously (UTF-8).
 *
 * Errors (Left): `UnreadableFile` (missing file, directory, permissions), then as
 * {@link readSnapshotText}.
 *
 * Verified by spec/io/readSnapshotFile.spec.ts.
 *
 * @category readers
 * @since 0.1.0
 */
export const readSnapshotFile = (path: string): E.Either<InputError, MarketSnapshot[]> => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    return E.left(unreadableFile(path, e instanceof Error ? e.message : String(e)))
  }
  return readSnapshotText(text, basename(path))
}
