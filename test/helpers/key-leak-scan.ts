/**
 * Looks for API keys where they must never be: files, logs, network traffic, heap snapshots. A key
 * counts as leaked when the part of it a user is never shown again (everything but its last four
 * characters) turns up raw or in a common encoding: upper or lower case, UTF-16, base64 and
 * base64url at every byte alignment, hex, percent-encoding, JSON \u escapes and HTML character
 * references; also cut by its first character. ZIP archives are also read entry by entry.
 * Its own test (key-leak-scan.test.ts) plants keys in every encoding, so a clean scan means
 * something.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { readZipEntries } from './zip-reader'

export interface Leak {
  /** Which artifact: a file path, "stdout of …", a URL. */
  where: string
  /** How the key was written there: "raw", "base64+1", "hex", … */
  encoding: string
}

interface Needle {
  encoding: string
  bytes: Buffer
}

/** The part of a key that must never be shown: all but its last four characters. */
function hiddenParts(key: string): string[] {
  const hidden = key.slice(0, -4)
  // The random tail alone, so a leak that masks or drops the well-known prefix is found too.
  const tail = key.length >= 28 ? key.slice(-24, -4) : hidden
  // Cut by its first character: the encodings of the whole hidden part would miss it.
  const cut = key.length >= 13 ? key.slice(1, -4) : hidden
  return [...new Set([hidden, tail, cut])]
}

/**
 * Base64 of `text` as it looks inside a longer base64 stream that starts `shift` bytes before it:
 * only the characters that depend on `text` alone (whole 3-byte groups), so the needle matches
 * whatever surrounds it.
 */
function base64Inside(text: Buffer, shift: 0 | 1 | 2, url: boolean): string {
  const padded = Buffer.concat([Buffer.alloc(shift), text])
  const skip = shift === 0 ? 0 : 4 // the first group mixes in unknown bytes
  const whole = Math.floor(padded.length / 3) * 3
  const encoded = padded.subarray(0, whole).toString(url ? 'base64url' : 'base64')
  return encoded.slice(skip)
}

function percentAll(text: string, upper: boolean): string {
  const hex = Buffer.from(text, 'utf8').toString('hex')
  const pairs = hex.match(/../g) ?? []
  return pairs.map((p) => `%${upper ? p.toUpperCase() : p}`).join('')
}

function htmlReferences(text: string, radix: 10 | 16): string {
  return [...text].map((c) => (radix === 16 ? `&#x${c.charCodeAt(0).toString(16)};` : `&#${c.charCodeAt(0)};`)).join('')
}

function jsonUnicode(text: string): string {
  return [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
}

function needlesFor(key: string): Needle[] {
  const out: Needle[] = []
  const add = (encoding: string, text: string | Buffer): void => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
    if (bytes.length >= 8 && !out.some((n) => n.bytes.equals(bytes))) out.push({ encoding, bytes })
  }
  for (const part of hiddenParts(key)) {
    const utf8 = Buffer.from(part, 'utf8')
    add('raw', part)
    add('upper case', part.toUpperCase())
    add('lower case', part.toLowerCase())
    add('utf-16', Buffer.from(part, 'utf16le'))
    for (const shift of [0, 1, 2] as const) {
      add(`base64+${shift}`, base64Inside(utf8, shift, false))
      add(`base64url+${shift}`, base64Inside(utf8, shift, true))
    }
    add('hex', utf8.toString('hex'))
    add('HEX', utf8.toString('hex').toUpperCase())
    add('url-encoded', encodeURIComponent(part))
    add('percent-encoded', percentAll(part, true))
    add('percent-encoded (lower)', percentAll(part, false))
    add('json-escaped', JSON.stringify(part).slice(1, -1))
    add('json-unicode', jsonUnicode(part))
    add('html-hex', htmlReferences(part, 16))
    add('html-decimal', htmlReferences(part, 10))
  }
  return out
}

/** Every way each key shows up in `data`. */
export function findLeaks(where: string, data: string | Buffer, keys: readonly string[]): Leak[] {
  const haystack = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const leaks: Leak[] = []
  for (const key of keys) {
    for (const needle of needlesFor(key)) {
      if (haystack.includes(needle.bytes)) leaks.push({ where, encoding: needle.encoding })
    }
  }
  for (const entry of zipEntries(haystack)) leaks.push(...findLeaks(`${where}!${entry.name}`, entry.data, keys))
  return leaks
}

/** The entries of a complete ZIP; none for anything else (a half-written one is scanned raw above). */
function zipEntries(data: Buffer): { name: string; data: Buffer }[] {
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) return []
  try {
    return readZipEntries(data)
  } catch {
    return []
  }
}

/** Every file under `dir` (all of them: databases, -wal and -shm files, images, temp files). */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() || statSync(path).isFile()) out.push(path)
    }
  }
  walk(dir)
  return out.sort()
}

/** Scans every file under `dir`; `where` names each by its path inside `dir`. */
export function findLeaksInTree(dir: string, keys: readonly string[]): Leak[] {
  return filesUnder(dir).flatMap((path) => findLeaks(relative(dir, path), readFileSync(path), keys))
}
