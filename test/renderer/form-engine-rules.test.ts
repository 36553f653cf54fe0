/**
 * The Generate form applies the same reference and size rules as the engine (src/shared), so what
 * the form lets through is what the engine queues, and what it marks is what the engine refuses.
 */
import { describe, expect, it } from 'vitest'
import { customSizeProblem } from '../../src/renderer/src/generate/custom-size'
import { referenceProblem, type FileReference } from '../../src/renderer/src/generate/references/reference-rules'
import { demoProvider } from './fake-api'

const file = (bytes: number): FileReference => ({
  kind: 'file',
  id: 'r1',
  path: '/lib/refs/a.png',
  name: 'a.png',
  format: 'png',
  width: 64,
  height: 64,
  bytes,
  preview: 'blob:a',
})

describe('the form checks with the engine rules', () => {
  it('holds a custom size on a gpt-image model to the model’s multiple of 16, whatever the profile’s own multiple', () => {
    const custom = demoProvider({ id: 'mine', name: 'My gateway', modelId: 'openai/gpt-image-2', customSizes: { min: 256, max: 3840, multipleOf: 1 } })
    expect(customSizeProblem(custom, '1000x777')).toBe('Each side must be 256 to 3840 px, in multiples of 16.')
    expect(customSizeProblem(custom, '1008x784')).toBeNull()
    // Another model keeps the profile's own rule.
    expect(customSizeProblem({ ...custom, modelId: 'flux-dev' }, '1000x777')).toBeNull()
  })

  it('reads a file limit of 0 as "none documented", as the engine does', () => {
    const custom = demoProvider({ id: 'mine', name: 'My gateway', references: { accepts: ['file'], maxCount: 4, maxFileBytes: 0, mask: false } })
    expect(referenceProblem(custom, file(3_000_000))).toBeNull()
    const limited = demoProvider({ references: { accepts: ['file'], maxCount: 4, maxFileBytes: 1_000_000, mask: false } })
    expect(referenceProblem(limited, file(3_000_000))).toMatch(/^Over Demo's .* limit\.$/)
  })
})
