import { describe, expect, it } from 'vitest'
import { z } from 'zod'

// zod hands every schema it builds, once built, to this global hook (it reads it at each build).
let built = 0
const config = ((globalThis as { __zod_globalConfig?: { postProcessor?: (schema: unknown) => void } }).__zod_globalConfig ??= {})
config.postProcessor = () => built++

/** Schemas built while `work` runs. */
async function buildsDuring(work: () => unknown): Promise<number> {
  const before = built
  await work()
  return built - before
}

describe('the contract builds its schemas on first use', () => {
  it('loading it builds (almost) none; a call builds its own prefix only; listing the routes builds them all', async () => {
    let contract!: typeof import('../../../src/shared/api')
    // Only the two option lists read at load (OUTPUT_FORMATS, QUALITIES) are built then.
    expect(await buildsDuring(async () => (contract = await import('../../../src/shared/api')))).toBeLessThan(10)
    const { api, isRouteName, fromZodError } = contract

    const providers = await buildsDuring(() => {
      expect(isRouteName('providers.remove')).toBe(true)
      const parsed = api['providers.remove'].input.safeParse({})
      expect(parsed.success).toBe(false)
      // The same error as before: the field named, and what to do.
      expect(fromZodError(parsed.error!).toJSON()).toMatchObject({ code: 'bad_input', field: 'id' })
    })
    expect(providers).toBeGreaterThan(0)

    // Names that are no route's stay unknown, and build nothing.
    expect(await buildsDuring(() => ['providers.nope', 'nope.list', 'providers', 'toString', '__proto__.x', 'constructor.name'].map(isRouteName))).toBe(0)
    expect(['providers.nope', 'toString', 'constructor.name'].some(isRouteName)).toBe(false)
    // Asked again, the built map answers: nothing is built twice.
    expect(await buildsDuring(() => [api['providers.list'].output, api['providers.save'].input, isRouteName('providers.list')])).toBe(0)

    const everything = await buildsDuring(() => Object.keys(api))
    // The other thirteen prefixes hold far more than this one.
    expect(everything).toBeGreaterThan(providers)
    const names = Object.keys(api)
    expect(names).toContain('gallery.list')
    expect(names).toContain('library.open')
    expect(names.every(isRouteName)).toBe(true)
    expect(new Set(names.map((n) => n.slice(0, n.indexOf('.'))))).toEqual(
      new Set(['providers', 'keys', 'refs', 'jobs', 'queue', 'batches', 'gallery', 'templates', 'spend', 'budgets', 'exports', 'workspace', 'prompts', 'library']),
    )
  })

  it('a schema declared with onFirstUse is a zod schema in every way a caller can tell', async () => {
    const { onFirstUse } = await import('../../../src/shared/api/on-first-use')
    let builds = 0
    const Shape = onFirstUse(() => {
      builds++
      return z.strictObject({ size: z.number().int().min(16, 'at least 16'), format: z.enum(['png', 'jpeg']).default('png') })
    })
    const Wider = onFirstUse(() => Shape.extend({ label: z.string().optional() }))
    const Outer = onFirstUse(() => z.object({ shape: Shape.optional() }))
    expect(builds).toBe(0)

    expect(Outer.parse({ shape: { size: 32 } })).toEqual({ shape: { size: 32, format: 'png' } })
    expect(builds).toBe(1)
    expect(Shape instanceof z.ZodObject).toBe(true)
    expect(Object.keys(Shape.shape)).toEqual(['size', 'format'])
    expect(Shape.safeParse({ size: 8 }).error?.issues[0]?.message).toBe('at least 16')
    expect(Shape.safeParse({ size: 32, extra: 1 }).error?.issues[0]?.code).toBe('unrecognized_keys')
    expect(Wider.parse({ size: 16, label: 'x' })).toEqual({ size: 16, format: 'png', label: 'x' })
    // Listing its properties (as a test's deep equality does) keeps to what a proxy may report.
    expect(() => Object.values(Shape)).not.toThrow()
    expect(builds).toBe(1)
  })
})
