/**
 * Reads back a store-only ZIP (as the export's ZipWriter writes them), following the central
 * directory and its ZIP64 records, so tests check contents and CRCs themselves and do not rely
 * on an unzip tool alone.
 */
import { crc32 } from '../../src/main/core/export/zip-writer'

export { crc32 }

const MAX32 = 0xffffffff
const MAX16 = 0xffff

export function readZipEntries(zip: Buffer): { name: string; crc: number; data: Buffer }[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (endAt < 0) throw new Error('no end of central directory record')
  let count = zip.readUInt16LE(endAt + 10)
  let central = zip.readUInt32LE(endAt + 16)
  if (central === MAX32 || count === MAX16) {
    const locator = endAt - 20
    if (zip.readUInt32LE(locator) !== 0x07064b50) throw new Error('ZIP64 locator missing')
    const record = Number(zip.readBigUInt64LE(locator + 8))
    count = Number(zip.readBigUInt64LE(record + 32))
    central = Number(zip.readBigUInt64LE(record + 48))
  }
  const entries: { name: string; crc: number; data: Buffer }[] = []
  let at = central
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header at ${at}`)
    const crc = zip.readUInt32LE(at + 16)
    let size = zip.readUInt32LE(at + 24)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    let offset = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)
    if (extra.length >= 4 && extra.readUInt16LE(0) === 1) {
      const values: number[] = []
      for (let p = 4; p + 8 <= 4 + extra.readUInt16LE(2); p += 8) values.push(Number(extra.readBigUInt64LE(p)))
      // In order, each only when its 32-bit field holds 0xffffffff: size, compressed size, offset.
      let v = 0
      if (size === MAX32) size = values[v++]!
      if (zip.readUInt32LE(at + 20) === MAX32) v++
      if (offset === MAX32) offset = values[v]!
    }
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
    const localStart = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28)
    entries.push({ name, crc, data: zip.subarray(localStart, localStart + size) })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
