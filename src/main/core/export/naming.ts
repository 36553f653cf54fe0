import { badInput, NAMING_FIELDS, type NamingField } from '../../../shared/api'

/**
 * File names for exported images. A template such as "{sku}-{size}.{ext}" is checked once
 * (unknown fields are refused), filled per file, and the result made safe on Windows, macOS and
 * Linux alike, because an export folder often travels to another machine (a shop upload, a
 * shared drive). Names are compared case-insensitively: two names that differ only in case are
 * the same file on the default macOS and Windows filesystems.
 */

export type NamingValues = Record<NamingField, string>

type Part = { text: string } | { field: NamingField }

export interface NamingTemplate {
  readonly parts: readonly Part[]
}

const FIELD_SET = new Set<string>(NAMING_FIELDS)
const FIELD_LIST = NAMING_FIELDS.map((f) => `{${f}}`).join(', ')

export function parseNaming(template: string, field = 'naming'): NamingTemplate {
  const parts: Part[] = []
  let rest = template
  while (rest.length > 0) {
    const open = rest.indexOf('{')
    const close = rest.indexOf('}')
    if (close !== -1 && (open === -1 || close < open)) {
      throw badInput(field, `The naming template has a "}" with no "{" before it: "${template}".`, `Write fields as {name}, e.g. ${FIELD_LIST}.`)
    }
    if (open === -1) {
      parts.push({ text: rest })
      break
    }
    if (open > 0) parts.push({ text: rest.slice(0, open) })
    const end = rest.indexOf('}', open)
    if (end === -1) {
      throw badInput(field, `The naming template has a "{" that is never closed: "${template}".`, `Close it, e.g. {sku}. Fields: ${FIELD_LIST}.`)
    }
    const name = rest.slice(open + 1, end).trim().toLowerCase()
    if (!FIELD_SET.has(name)) {
      throw badInput(field, `The naming template uses an unknown field {${rest.slice(open + 1, end)}}.`, `Use only these fields: ${FIELD_LIST}.`)
    }
    parts.push({ field: name as NamingField })
    rest = rest.slice(end + 1)
  }
  if (parts.length === 0) throw badInput(field, 'The naming template is empty.', `Use fields such as ${FIELD_LIST}.`)
  return { parts }
}

/** The name before collision handling: the template filled in, made safe, ending in `.{ext}`. */
export function fillNaming(template: NamingTemplate, values: NamingValues): string {
  // Fields are cleaned one by one, so a "/" in a prompt or SKU cannot create a folder.
  const raw = template.parts.map((p) => ('text' in p ? p.text : cleanFieldValue(values[p.field]))).join('')
  return safeFileName(raw, values.ext)
}

function cleanFieldValue(value: string): string {
  return value.replace(/[/\\]/g, '-')
}

/** Lower-case words of a prompt joined by dashes, at most `max` characters, whole words only. */
export function promptSlug(prompt: string, max = 48): string {
  const words = prompt
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu)
  if (!words) return ''
  let slug = ''
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word
    if (next.length > max) return slug || word.slice(0, max)
    slug = next
  }
  return slug
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/g
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
/** Bytes, not characters: ext4 and APFS limit a name to 255 bytes of UTF-8. Room is kept for "-999". */
export const MAX_NAME_BYTES = 240

/**
 * A file name every common filesystem accepts: NFC, no characters Windows forbids, no
 * control characters, no leading dot (hidden, or mistaken for our temp files) or dash (read as
 * an option by shell tools), no trailing dot or space, not a reserved device name (CON, NUL,
 * COM1 ... also with an extension), and at most MAX_NAME_BYTES bytes.
 */
export function safeFileName(name: string, knownExt?: string): string {
  const flat = name.normalize('NFC').replace(/\s+/g, ' ').replace(FORBIDDEN, '-')
  // With a known extension the name must end in it: ".jpg" alone is an empty stem, not a stem.
  const split =
    knownExt === undefined
      ? splitExt(flat)
      : flat.toLowerCase().endsWith(`.${knownExt.toLowerCase()}`)
        ? { stem: flat.slice(0, -knownExt.length - 1), ext: flat.slice(-knownExt.length) }
        : { stem: flat, ext: knownExt }
  const ext = split.ext
  let stem = split.stem
    // Empty fields leave doubled or dangling separators ("-1024x1024" when {sku} is empty).
    .replace(/([-_ ])[-_ ]+/g, '$1')
    .replace(/[-_ ]*\.[-_. ]*/g, '.')
    .replace(/^[-_. ]+/, '')
    .replace(/[-_. ]+$/, '')
  if (stem === '') stem = 'image'
  if (RESERVED.test(stem.split('.')[0]!)) stem = `_${stem}`
  const extPart = ext ? `.${ext}` : ''
  stem = truncateBytes(stem, MAX_NAME_BYTES - byteLength(extPart)).replace(/[-_. ]+$/, '') || 'image'
  return `${stem}${extPart}`
}

export function splitExt(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' }
  const ext = name.slice(dot + 1)
  // "v1.5 bottle" has no extension: an extension is short and has no spaces.
  if (ext.length > 5 || /[^\p{L}\p{N}]/u.test(ext)) return { stem: name, ext: '' }
  return { stem: name.slice(0, dot), ext }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Cuts to at most `max` UTF-8 bytes without splitting a character (code points, not UTF-16 units). */
function truncateBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text
  let out = ''
  let bytes = 0
  for (const char of text) {
    const size = byteLength(char)
    if (bytes + size > max) break
    out += char
    bytes += size
  }
  return out
}

/**
 * Hands out names that are free in one folder: not taken by a file already there, nor by an
 * earlier name of this export. A taken name gets "-2", "-3", ... before its extension. Never
 * overwrites: a file that appears after the folder was read is caught by the writer's own check.
 */
export class NameAllocator {
  private readonly taken = new Set<string>()

  constructor(existing: Iterable<string> = []) {
    for (const name of existing) this.taken.add(key(name))
  }

  isTaken(name: string): boolean {
    return this.taken.has(key(name))
  }

  allocate(name: string): string {
    let candidate = name
    if (this.taken.has(key(candidate))) {
      const { stem, ext } = splitExt(name)
      for (let n = 2; ; n++) {
        candidate = `${stem}-${n}${ext ? `.${ext}` : ''}`
        if (!this.taken.has(key(candidate))) break
      }
    }
    this.taken.add(key(candidate))
    return candidate
  }
}

function key(name: string): string {
  return name.normalize('NFC').toLowerCase()
}
