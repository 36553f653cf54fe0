import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ZipWriter } from '../../../src/main/core/export/zip-writer'
import { findLeaks, findLeaksInTree } from '../../helpers/key-leak-scan'
import { tempDir } from '../../helpers/temp-dir'

// The leak tests pass only if this scanner would have seen a key: here every form of it is
// planted on purpose, so "no leak found" cannot come from a scanner that looks at nothing.

const key = `sk-proj-test-${randomBytes(12).toString('hex')}`
const junk = (n: number) => randomBytes(n).toString('latin1')

/** Each encoding the scanner claims, as it would appear in the middle of other text or bytes. */
const planted: [string, (k: string) => Buffer][] = [
  ['raw', (k) => Buffer.from(`error: ${k} refused`)],
  ['utf-16', (k) => Buffer.concat([Buffer.from('xx', 'utf16le'), Buffer.from(k, 'utf16le')])],
  ['base64+0', (k) => Buffer.from(Buffer.from(k).toString('base64'))],
  ['base64+1', (k) => Buffer.from(Buffer.from(`:${k}`).toString('base64'))],
  ['base64+2', (k) => Buffer.from(Buffer.from(`u:${k}`).toString('base64'))],
  ['base64url+1', (k) => Buffer.from(Buffer.from(`?${k}`).toString('base64url'))],
  ['hex', (k) => Buffer.from(`0x${Buffer.from(k).toString('hex')}`)],
  ['HEX', (k) => Buffer.from(Buffer.from(k).toString('hex').toUpperCase())],
  ['percent-encoded', (k) => Buffer.from(`?key=${[...Buffer.from(k)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')}`)],
  ['upper case', (k) => Buffer.from(`Invalid key ${k.toUpperCase()}`)],
  ['cut by its first character', (k) => Buffer.from(`key=${k.slice(1)}`)],
  ['base64 of the key cut by its first character', (k) => Buffer.from(Buffer.from(k.slice(1)).toString('base64'))],
  ['html-hex', (k) => Buffer.from(`<p>${[...k].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}</p>`)],
  ['html-decimal', (k) => Buffer.from(`<p>${[...k].map((c) => `&#${c.charCodeAt(0)};`).join('')}</p>`)],
  ['json-unicode', (k) => Buffer.from(`{"k":"${[...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`)],
]

describe('the key-leak scanner', () => {
  it.each(planted)('finds a key written as %s inside other data, and not another key', (_encoding, write) => {
    const other = `sk-proj-test-${randomBytes(12).toString('hex')}`
    const data = Buffer.concat([Buffer.from(junk(37), 'latin1'), write(key), Buffer.from(junk(23), 'latin1')])
    // (Where two encodings coincide for this key, e.g. base64 and base64url, either name may be reported.)
    expect(findLeaks('planted', data, [key])).not.toEqual([])
    expect(findLeaks('planted', data, [other])).toEqual([])
  })

  it('finds a key with its prefix masked, and allows the last four characters alone', () => {
    expect(findLeaks('masked', `sk-****${key.slice(13)}`, [key])).not.toEqual([])
    expect(findLeaks('last4', `Autumn lookbook ····${key.slice(-4)} sk-proj-test-`, [key])).toEqual([])
  })

  it('reads every file under a folder, a SQLite WAL and the entries of a ZIP', async () => {
    const dir = tempDir('proofsheet-scan-')
    mkdirSync(join(dir, 'images', '2025', '03'), { recursive: true })
    writeFileSync(join(dir, 'images', '2025', '03', '.tmp-1'), `…${key}…`)
    const db = new BetterSqlite3(join(dir, 'library.sqlite'))
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE t (v TEXT)')
    db.prepare('INSERT INTO t VALUES (?)').run(`secret ${key}`)
    // Still open: the row is in library.sqlite-wal, not yet in the main file.
    const leaks = findLeaksInTree(dir, [key]).map((l) => l.where)
    db.close()
    expect(leaks).toContain(join('images', '2025', '03', '.tmp-1'))
    expect(leaks).toContain('library.sqlite-wal')

    const zipPath = join(dir, 'out.zip')
    const handle = await open(zipPath, 'w')
    const zip = new ZipWriter(handle)
    await zip.add('manifest.json', Buffer.from(JSON.stringify({ key })))
    await zip.finish()
    await handle.close()
    expect(findLeaksInTree(dir, [key]).map((l) => l.where)).toContain('out.zip!manifest.json')
  })
})
