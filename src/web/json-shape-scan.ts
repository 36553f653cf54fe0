/**
 * Counts the object keys and array items of a JSON body while it is still arriving, so a body
 * with a million keys is refused before JSON.parse and the router spend seconds on it (and before
 * the rest of it is even read). It does not validate JSON: JSON.parse does that afterwards, on a
 * body this let through. Strings are skipped with native searches, so the one large string a
 * reference image travels in costs little.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OBJECT = 0
const ARRAY = 1

export interface ShapeLimits {
  maxKeys: number
  maxItems: number
}

export type ShapeVerdict = 'ok' | 'too-many-keys' | 'too-many-items'

export interface JsonShapeScanner {
  /** Takes the next chunk of the body; says whether the body so far is within the limits. */
  push(chunk: Buffer): ShapeVerdict
}

export function createJsonShapeScanner(limits: ShapeLimits): JsonShapeScanner {
  let keys = 0
  let items = 0
  let inString = false
  let escaped = false
  // Right after '[': the next value, unless it is ']', is the array's first item.
  let awaitingFirstItem = false
  const containers: number[] = []

  return {
    push(chunk) {
      let pos = 0
      let nextBackslash = -2
      while (pos < chunk.length) {
        if (inString) {
          if (escaped) {
            escaped = false
            pos++
            continue
          }
          // The string's end is the next quote, unless a backslash comes first.
          const quote = chunk.indexOf(QUOTE, pos)
          if (nextBackslash !== -1 && nextBackslash < pos) nextBackslash = chunk.indexOf(BACKSLASH, pos)
          if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
            escaped = true
            pos = nextBackslash + 1
            continue
          }
          if (quote === -1) break
          inString = false
          pos = quote + 1
          continue
        }
        const byte = chunk[pos]!
        pos++
        if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
        if (awaitingFirstItem) {
          awaitingFirstItem = false
          if (byte !== 0x5d) items++
        }
        switch (byte) {
          case QUOTE:
            inString = true
            break
          case 0x7b: // {
            containers.push(OBJECT)
            break
          case 0x5b: // [
            containers.push(ARRAY)
            awaitingFirstItem = true
            break
          case 0x7d: // }
          case 0x5d: // ]
            containers.pop()
            break
          case 0x3a: // :
            keys++
            break
          case 0x2c: // ,
            if (containers[containers.length - 1] === ARRAY) items++
            break
        }
      }
      if (keys > limits.maxKeys) return 'too-many-keys'
      if (items > limits.maxItems) return 'too-many-items'
      return 'ok'
    },
  }
}
