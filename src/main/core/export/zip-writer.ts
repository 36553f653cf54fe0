import type { FileHandle } from 'node:fs/promises'

/**
 * A ZIP archive writer, store-only (images are already compressed; deflating them again costs
 * time and saves almost nothing). Written from the PKWARE APPNOTE: local header + data per entry,
 * then the central directory and its end record. Names are UTF-8 (flag bit 11). ZIP64 records
 * are added when an archive passes 4 GiB or 65,535 entries, which a folder of 4K images can.
 * The caller gives whole file contents one at a time, so memory stays at one file.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(data: Uint8Array, seed = 0): number {
  let crc = ~seed >>> 0
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}

const MAX32 = 0xffffffff
const MAX16 = 0xffff
const VERSION_ZIP64 = 45
const VERSION_STORE = 20
const FLAG_UTF8 = 0x0800

interface Entry {
  name: Buffer
  crc: number
  size: number
  offset: number
  dosTime: number
  dosDate: number
  zip64: boolean
}

export class ZipWriter {
  private readonly entries: Entry[] = []
  private offset = 0

  /** `forceZip64` writes ZIP64 records even for small archives (tests use it). */
  constructor(
    private readonly out: FileHandle,
    private readonly options: { forceZip64?: boolean } = {},
  ) {}

  async add(name: string, data: Uint8Array, modified: Date = new Date()): Promise<void> {
    const nameBytes = Buffer.from(name.normalize('NFC'), 'utf8')
    if (nameBytes.length > MAX16) throw new Error(`ZIP entry name is too long: ${name}`)
    const zip64 = this.options.forceZip64 === true || data.length >= MAX32 || this.offset >= MAX32
    const { dosTime, dosDate } = dosDateTime(modified)
    const entry: Entry = { name: nameBytes, crc: crc32(data), size: data.length, offset: this.offset, dosTime, dosDate, zip64 }
    const extra = zip64 ? zip64Extra([entry.size, entry.size]) : Buffer.alloc(0)
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_STORE, 4)
    header.writeUInt16LE(FLAG_UTF8, 6)
    header.writeUInt16LE(0, 8) // method: stored
    header.writeUInt16LE(dosTime, 10)
    header.writeUInt16LE(dosDate, 12)
    header.writeUInt32LE(entry.crc, 14)
    header.writeUInt32LE(zip64 ? MAX32 : entry.size, 18)
    header.writeUInt32LE(zip64 ? MAX32 : entry.size, 22)
    header.writeUInt16LE(nameBytes.length, 26)
    header.writeUInt16LE(extra.length, 28)
    await this.write(Buffer.concat([header, nameBytes, extra]))
    await this.write(data)
    this.entries.push(entry)
  }

  /** Writes the central directory; the archive is complete after this resolves. */
  async finish(): Promise<number> {
    const centralStart = this.offset
    for (const e of this.entries) {
      const needs64 = e.zip64 || e.offset >= MAX32
      const extra = needs64 ? zip64Extra([e.size, e.size, e.offset]) : Buffer.alloc(0)
      const h = Buffer.alloc(46)
      h.writeUInt32LE(0x02014b50, 0)
      h.writeUInt16LE((3 << 8) | (needs64 ? VERSION_ZIP64 : VERSION_STORE), 4) // made by: Unix
      h.writeUInt16LE(needs64 ? VERSION_ZIP64 : VERSION_STORE, 6)
      h.writeUInt16LE(FLAG_UTF8, 8)
      h.writeUInt16LE(0, 10)
      h.writeUInt16LE(e.dosTime, 12)
      h.writeUInt16LE(e.dosDate, 14)
      h.writeUInt32LE(e.crc, 16)
      h.writeUInt32LE(needs64 ? MAX32 : e.size, 20)
      h.writeUInt32LE(needs64 ? MAX32 : e.size, 24)
      h.writeUInt16LE(e.name.length, 28)
      h.writeUInt16LE(extra.length, 30)
      h.writeUInt16LE(0, 32) // comment length
      h.writeUInt16LE(0, 34) // disk number
      h.writeUInt16LE(0, 36) // internal attributes
      h.writeUInt32LE(((0o100644 << 16) >>> 0) >>> 0, 38) // external: a regular file, rw-r--r--
      h.writeUInt32LE(needs64 ? MAX32 : e.offset, 42)
      await this.write(Buffer.concat([h, e.name, extra]))
    }
    const centralSize = this.offset - centralStart
    const count = this.entries.length
    const needs64 = this.options.forceZip64 === true || count >= MAX16 || centralStart >= MAX32 || centralSize >= MAX32
    if (needs64) {
      const zip64End = this.offset
      const r = Buffer.alloc(56)
      r.writeUInt32LE(0x06064b50, 0)
      r.writeBigUInt64LE(44n, 4) // size of the rest of this record
      r.writeUInt16LE((3 << 8) | VERSION_ZIP64, 12)
      r.writeUInt16LE(VERSION_ZIP64, 14)
      r.writeUInt32LE(0, 16)
      r.writeUInt32LE(0, 20)
      r.writeBigUInt64LE(BigInt(count), 24)
      r.writeBigUInt64LE(BigInt(count), 32)
      r.writeBigUInt64LE(BigInt(centralSize), 40)
      r.writeBigUInt64LE(BigInt(centralStart), 48)
      const locator = Buffer.alloc(20)
      locator.writeUInt32LE(0x07064b50, 0)
      locator.writeUInt32LE(0, 4)
      locator.writeBigUInt64LE(BigInt(zip64End), 8)
      locator.writeUInt32LE(1, 16)
      await this.write(Buffer.concat([r, locator]))
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(needs64 ? MAX16 : count, 8)
    end.writeUInt16LE(needs64 ? MAX16 : count, 10)
    end.writeUInt32LE(needs64 ? MAX32 : centralSize, 12)
    end.writeUInt32LE(needs64 ? MAX32 : centralStart, 16)
    await this.write(end)
    return this.offset
  }

  private async write(data: Uint8Array): Promise<void> {
    let done = 0
    while (done < data.length) {
      const { bytesWritten } = await this.out.write(data, done, data.length - done)
      done += bytesWritten
    }
    this.offset += data.length
  }
}

/** The ZIP64 extended-information extra field with the given 8-byte values. */
function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length)
  b.writeUInt16LE(0x0001, 0)
  b.writeUInt16LE(8 * values.length, 2)
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i))
  return b
}

/** MS-DOS date and time in local time, 2-second resolution; dates before 1980 become 1980. */
function dosDateTime(d: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, d.getFullYear())
  return {
    dosTime: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  }
}
