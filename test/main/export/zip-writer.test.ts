import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ZipWriter } from '../../../src/main/core/export/zip-writer'
import { tempDir } from '../../helpers/temp-dir'
import { crc32, readZipEntries } from '../../helpers/zip-reader'

const files: [string, Buffer][] = [
  ['shoe-2000x2000.jpg', randomBytes(70_000)],
  ['social/étagère 1080x1350.webp', randomBytes(1234)],
  ['empty.txt', Buffer.alloc(0)],
  ['manifest.csv', Buffer.from('file,sku\r\nshoe-2000x2000.jpg,SKU-1\r\n')],
]

async function writeZip(path: string, options: { forceZip64?: boolean } = {}): Promise<Buffer> {
  const handle = await open(path, 'w')
  const zip = new ZipWriter(handle, options)
  for (const [name, data] of files) await zip.add(name, data, new Date(2025, 2, 14, 9, 30, 12))
  await zip.finish()
  await handle.close()
  return readFile(path)
}

describe('ZIP writer', () => {
  it('computes the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926')
  })

  it.each([false, true])('writes an archive unzip accepts and reads back byte for byte (ZIP64 records: %s)', async (forceZip64) => {
    const dir = tempDir()
    const path = join(dir, 'out.zip')
    const zip = await writeZip(path, { forceZip64 })

    const entries = readZipEntries(zip)
    expect(entries.map((e) => e.name)).toEqual(files.map(([name]) => name))
    for (const [i, entry] of entries.entries()) {
      expect(entry.data.equals(files[i]![1])).toBe(true)
      expect(entry.crc).toBe(crc32(files[i]![1]))
    }

    // The system's unzip checks every CRC and the directory structure itself.
    const test = execFileSync('unzip', ['-t', path], { encoding: 'utf8' })
    expect(test).toMatch(/No errors detected/)
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' })
    expect(listing.trim().split('\n')).toEqual(files.map(([name]) => name))
    const extracted = execFileSync('unzip', ['-p', path, 'shoe-2000x2000.jpg'])
    expect(extracted.equals(files[0]![1])).toBe(true)
  })
})
