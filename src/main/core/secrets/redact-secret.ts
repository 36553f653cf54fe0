/**
 * Some providers and proxies quote the credential they were sent in their error replies
 * ("Incorrect API key provided: sk-…"), and not always as sent: upper-cased, percent-, JSON- or
 * HTML-escaped, base64 or hex (a proxy dumping its request), or cut short. Such text becomes a
 * job's error, which is stored, shown and printed, so every part of the key longer than its last
 * four characters is cut out of it first, however it is written; only the last four stay.
 *
 * What counts as "the key" here, in the text as written or once %XX, \uXXXX, \/ and HTML character
 * references (&#x6b; &#107; &amp; …) are decoded:
 * - any run of 5 or more of its characters as they are;
 * - any run of 8 or more of them in another case (a key echoed upper- or lower-cased). Shorter
 *   runs must match exactly: case-blind, five letters match everyday words wherever a key holds
 *   one ("image", "toapis"), and the provider's own message would lose them;
 * - any run of 5 or more of its bytes in hex (either case);
 * - any 8 or more base64 (or base64url) characters that encode its bytes alone, at each of the
 *   three byte alignments, so the key is found inside a longer base64 string too. (Fewer than 8
 *   characters cannot be told from chance: base64 mixes neighbouring bytes into each group.)
 * The text is cut to MAX_REDACTED_CHARS first, so the work stays bounded whatever a provider sends.
 */

/** Longer provider text is cut here; error messages are short, and this bounds the scan. */
export const MAX_REDACTED_CHARS = 8_000
/** A run of the key this long is redacted: one more than the last four, which stay visible. */
const MIN_RUN = 5
/** A run in another case must be this long (see above). */
const CASELESS_RUN = 8
const HEX_RUN = MIN_RUN * 2
const BASE64_RUN = 8

/** Windows of each width that mark a piece of the key. */
interface Needles {
  exact: Set<string>
  lower: Set<string>
  hex: Set<string>
  base64: Set<string>
}

export function redactSecret(text: string, secret: string | null | undefined): string {
  const key = secret?.trim()
  if (!key || key.length < MIN_RUN) return text
  const bounded = text.length > MAX_REDACTED_CHARS ? `${text.slice(0, MAX_REDACTED_CHARS)}…` : text
  const needles = needlesFor(key)
  const view = decodedView(bounded)
  const hits: [number, number][] = []
  const mark = (from: number, width: number): void => {
    hits.push([view.starts[from]!, view.ends[from + width - 1]!])
  }
  scan(view.exact, MIN_RUN, needles.exact, mark)
  scan(view.lower, CASELESS_RUN, needles.lower, mark)
  scan(view.lower, HEX_RUN, needles.hex, mark)
  scan(view.exact, BASE64_RUN, needles.base64, mark)
  if (hits.length === 0) return bounded
  return replaceRanges(bounded, hits, `[key ····${key.slice(-4)}]`)
}

/** Built per call and dropped with it: no copy of the key outlives the redaction. */
function needlesFor(key: string): Needles {
  const bytes = Buffer.from(key, 'utf8')
  const base64 = new Set<string>()
  for (const shift of [0, 1, 2]) {
    for (const url of [false, true]) windows(base64Inside(bytes, shift, url), BASE64_RUN, base64)
  }
  return {
    exact: windows(key, MIN_RUN, new Set()),
    lower: windows(key.toLowerCase(), CASELESS_RUN, new Set()),
    hex: windows(bytes.toString('hex'), HEX_RUN, new Set()),
    base64,
  }
}

function windows(text: string, width: number, into: Set<string>): Set<string> {
  for (let i = 0; i + width <= text.length; i++) into.add(text.slice(i, i + width))
  return into
}

/**
 * The base64 characters that depend on the key's bytes alone when the key starts `shift` bytes
 * into a 3-byte group of a longer stream: the first group mixes in unknown bytes and is dropped.
 */
function base64Inside(bytes: Buffer, shift: number, url: boolean): string {
  const padded = Buffer.concat([Buffer.alloc(shift), bytes])
  const whole = Math.floor(padded.length / 3) * 3
  return padded.subarray(0, whole).toString(url ? 'base64url' : 'base64').slice(shift === 0 ? 0 : 4)
}

function scan(text: string, width: number, needles: Set<string>, mark: (from: number, width: number) => void): void {
  for (let i = 0; i + width <= text.length; i++) if (needles.has(text.slice(i, i + width))) mark(i, width)
}

/** The text with escapes decoded, and for each decoded character the span it came from. */
interface View {
  exact: string
  lower: string
  starts: number[]
  ends: number[]
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', lowbar: '_', hyphen: '-', dash: '-', period: '.',
  colon: ':', equals: '=', plus: '+', num: '#', percnt: '%', excl: '!', tilde: '~', dollar: '$',
}

function decodedView(text: string): View {
  let exact = ''
  const starts: number[] = []
  const ends: number[] = []
  for (let i = 0; i < text.length; ) {
    const [char, length] = escapeAt(text, i) ?? [text[i]!, 1]
    exact += char
    starts.push(i)
    ends.push(i + length)
    i += length
  }
  return { exact, lower: exact.toLowerCase(), starts, ends }
}

/** The character an escape at `i` stands for and the escape's length; null when there is none. */
function escapeAt(text: string, i: number): [string, number] | null {
  const c = text[i]
  if (c === '%') {
    const m = /^%([0-9a-fA-F]{2})/.exec(text.slice(i, i + 3))
    return m ? [String.fromCharCode(parseInt(m[1]!, 16)), 3] : null
  }
  if (c === '\\') {
    const next = text[i + 1]
    if (next === '/' || next === '\\' || next === '"') return [next, 2]
    const m = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(i, i + 6))
    return m ? [String.fromCharCode(parseInt(m[1]!, 16)), 6] : null
  }
  if (c === '&') {
    const m = /^&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z]{2,8}));?/.exec(text.slice(i, i + 12))
    if (!m) return null
    const code = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 10) : null
    if (code !== null) return code <= 0x10ffff ? [String.fromCodePoint(code), m[0].length] : null
    const named = NAMED[m[3]!.toLowerCase()]
    return named !== undefined ? [named, m[0].length] : null
  }
  return null
}

/** Replaces the union of the ranges with one mask per joined stretch. */
function replaceRanges(text: string, ranges: [number, number][], mask: string): string {
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let at = 0
  let open: [number, number] | null = null
  for (const [from, to] of ranges) {
    if (open && from <= open[1]) {
      open[1] = Math.max(open[1], to)
      continue
    }
    if (open) {
      out += text.slice(at, open[0]) + mask
      at = open[1]
    }
    open = [from, to]
  }
  if (open) {
    out += text.slice(at, open[0]) + mask
    at = open[1]
  }
  return out + text.slice(at)
}
