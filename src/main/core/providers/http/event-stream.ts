import { ProviderError } from '../provider-error'

/**
 * Reads a `text/event-stream` body one event at a time, the way the HTML standard's event-stream
 * parser does (`event:` and `data:` fields, `:` comments, LF, CRLF or CR line ends). One event's
 * data can be a whole image in base64, several MB: only the event being read is held, each is
 * capped at `maxEventBytes`, and the caller has the event before the next byte is read.
 *
 * A stream that ends inside an event drops that event, as the standard says; the caller tells
 * a stream cut short by the event it did not get.
 */
export interface StreamEvent {
  /** The `event:` field, or "message" when the event named none. */
  type: string
  /** The `data:` lines joined with "\n", as bytes (not decoded: it may be megabytes of base64). */
  data: Buffer
}

const LF = 0x0a
const CR = 0x0d
const COLON = 0x3a
const SPACE = 0x20

export async function* readEventStream(
  body: AsyncIterable<Uint8Array>,
  opts: { maxEventBytes: number; providerName: string },
): AsyncGenerator<StreamEvent> {
  let line: Buffer[] = []
  let lineBytes = 0
  let data: Buffer[] = []
  let dataBytes = 0
  let type = ''
  let skipLf = false

  const tooLarge = (): ProviderError =>
    new ProviderError('provider_down', `${opts.providerName} streamed an event over ${Math.round(opts.maxEventBytes / 2 ** 20)} MB.`, {
      code: 'too_large',
    })

  /** One whole line: a field of the event being read, a comment, or the blank line that ends it. */
  const takeLine = (text: Buffer): StreamEvent | null => {
    if (text.length === 0) {
      const event = data.length > 0 ? { type: type || 'message', data: joinData(data) } : null
      data = []
      dataBytes = 0
      type = ''
      return event
    }
    if (text[0] === COLON) return null
    const colon = text.indexOf(COLON)
    const name = (colon < 0 ? text : text.subarray(0, colon)).toString('latin1')
    let value = colon < 0 ? Buffer.alloc(0) : text.subarray(colon + 1)
    if (value[0] === SPACE) value = value.subarray(1)
    if (name === 'event') type = value.toString('utf8')
    else if (name === 'data') {
      data.push(value)
      dataBytes += value.length + 1
      if (dataBytes > opts.maxEventBytes) throw tooLarge()
    }
    // `id` and `retry` steer a browser's reconnection; a provider call is never resumed.
    return null
  }

  for await (const chunk of body) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let from = 0
    if (skipLf && buf[0] === LF) from = 1
    skipLf = false
    while (from < buf.length) {
      const end = nextLineEnd(buf, from)
      if (end < 0) {
        // Kept as a view, not copied: a stream's chunk belongs to its reader once read (only a
        // BYOB reader, which this is not, hands its buffer back), so the line is copied once, whole.
        line.push(buf.subarray(from))
        lineBytes += buf.length - from
        if (lineBytes + dataBytes > opts.maxEventBytes) throw tooLarge()
        break
      }
      const piece = buf.subarray(from, end)
      const whole = line.length === 0 ? piece : Buffer.concat([...line, piece])
      line = []
      lineBytes = 0
      if (whole.length + dataBytes > opts.maxEventBytes) throw tooLarge()
      if (buf[end] === CR) {
        if (end + 1 < buf.length) from = buf[end + 1] === LF ? end + 2 : end + 1
        else {
          skipLf = true
          from = end + 1
        }
      } else from = end + 1
      const event = takeLine(whole)
      if (event) yield event
    }
  }
}

function nextLineEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF, from)
  const cr = buf.indexOf(CR, from)
  if (lf < 0) return cr
  if (cr < 0) return lf
  return Math.min(lf, cr)
}

function joinData(parts: Buffer[]): Buffer {
  if (parts.length === 1) return parts[0]!
  const joined: Buffer[] = []
  for (const [i, part] of parts.entries()) {
    if (i > 0) joined.push(Buffer.from('\n'))
    joined.push(part)
  }
  return Buffer.concat(joined)
}
