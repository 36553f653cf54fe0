import { describe, expect, it } from 'vitest'
import { createJsonShapeScanner, type ShapeVerdict } from '../../src/web/json-shape-scan'

// The bridge's count of keys and items must agree with the router's on any body, however the
// body is cut into chunks: whatever it counts inside strings would refuse good calls.

/** Feeds `text` in chunks of `size` bytes and returns the last verdict. */
function scan(text: string, limits: { maxKeys: number; maxItems: number }, size: number): ShapeVerdict {
  const scanner = createJsonShapeScanner(limits)
  const bytes = Buffer.from(text, 'utf8')
  let verdict: ShapeVerdict = 'ok'
  for (let at = 0; at < bytes.length; at += size) verdict = scanner.push(bytes.subarray(at, at + size))
  return verdict
}

describe('json-shape-scan', () => {
  const body = JSON.stringify({
    name: 'x',
    input: { a: [1, [2, 3], [], [[]], { b: 'c' }], 'd:e': 'f,g[h]{i}:"j"\\', k: ['l\\"m,n', ''] },
  })
  // Keys: name, input, a, b, d:e, k = 6. Items: 5 in a, 2, 0, 1 ([] inside [[]]), 2 in k = 10.

  it.each([1, 2, 3, 7, 64, 100_000])('counts keys and items outside strings exactly, in chunks of %i bytes', (size) => {
    expect(scan(body, { maxKeys: 6, maxItems: 10 }, size)).toBe('ok')
    expect(scan(body, { maxKeys: 5, maxItems: 10 }, size)).toBe('too-many-keys')
    expect(scan(body, { maxKeys: 6, maxItems: 9 }, size)).toBe('too-many-items')
  })

  it('is not fooled by escaped quotes and backslashes at a chunk boundary', () => {
    const tricky = `{"s":"${'\\\\'.repeat(5)}\\":,:,[","t":1}`
    expect(JSON.parse(tricky)).toMatchObject({ t: 1 })
    for (let size = 1; size <= tricky.length; size++) expect(scan(tricky, { maxKeys: 2, maxItems: 0 }, size), `chunks of ${size}`).toBe('ok')
  })
})
