import { describe, expect, it } from 'vitest'
import { parseSizeText, sizeLabel, type ProviderSummary, type SizeSpec } from '../../../src/shared/api'
import { CHANNEL_PRESETS } from '../../../src/shared/sizes/channel-presets'
import { exportOf, sizeForTarget, type SizeOffer } from '../../../src/shared/sizes/channel-size'
import { pixelSizeOf, shapeOf } from '../../../src/shared/sizes/size-shapes'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const sizes = (...labels: string[]): SizeSpec[] => labels.map((l) => parseSizeText(l)!)
const offer = (labels: string[], customSizes: SizeOffer['customSizes'] = null, modelId = 'gpt-image-2'): SizeOffer => ({ sizes: sizes(...labels), customSizes, modelId })
const GPT_CUSTOM = { min: 256, max: 3840, multipleOf: 16, maxAspect: 3, minPixels: 655_360, maxPixels: 8_294_400 }

describe('channel presets on every built-in provider', () => {
  it('map to a size the engine itself accepts and prices', async () => {
    const engine = await openEngine(tempDir())
    const { providers } = await call(engine, 'providers.list', {})
    expect(providers.map((p) => p.id).sort()).toEqual(['demo', 'getimg', 'gettoken', 'openai', 'toapis', 'tokenhub', 'tokensmart'])
    for (const provider of providers) {
      for (const preset of CHANNEL_PRESETS) {
        const chosen = sizeForTarget(provider, preset)
        expect(chosen, `${provider.id} ${preset.id}`).not.toBeNull()
        const request = { provider: provider.id, prompt: 'a packshot', sizes: [chosen!.size], n: 1, format: provider.formats[0]! }
        const result = await engine.router.handle('jobs.estimate', request)
        expect(result.ok, `${provider.id} ${preset.id} -> ${sizeLabel(chosen!.size)}: ${JSON.stringify(result.ok ? null : result.error)}`).toBe(true)
      }
    }
  })

  it('the check it relies on refuses sizes a provider does not make (so the test above can fail)', async () => {
    const engine = await openEngine(tempDir())
    const error = await refused(engine, 'jobs.estimate', { provider: 'openai', prompt: 'x', sizes: [{ width: 2480, height: 3520 }], n: 1, format: 'png' })
    expect(error.message).toContain('pixels')
    expect((await refused(engine, 'jobs.estimate', { provider: 'getimg', prompt: 'x', sizes: [{ aspect: '16:9', resolution: '4K' }], n: 1, format: 'png' })).message).toContain('no 4K tier')
  })
})

describe('sizeForTarget', () => {
  const toapisLike = offer(['1:1@1K', '3:2@1K', '2:3@1K', '1:1@2K', '4:5@2K', '16:9@2K', '21:9@2K', '16:9@4K', '21:9@4K'])

  it('takes the nearest shape, then the smallest size that covers the target', () => {
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 2000, height: 2000 })!.size)).toBe('1:1@2K')
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 1000, height: 1000 })!.size)).toBe('1:1@1K')
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 1080, height: 1350 })!.size)).toBe('4:5@2K')
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 1920, height: 600 })!.size)).toBe('21:9@2K')
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 4000, height: 1714 })!.size)).toBe('21:9@4K')
  })

  it('lets shapes nearly as near compete on size, so A4 gets a 2K 3:4 rather than a 1K 2:3', () => {
    expect(sizeLabel(sizeForTarget(offer(['2:3@1K', '3:4@2K']), { width: 2480, height: 3508 })!.size)).toBe('3:4@2K')
  })

  it('takes the largest of the nearest shape when none covers the target', () => {
    expect(sizeLabel(sizeForTarget(offer(['1024x1024', '1536x1024', '1024x1536']), { width: 2480, height: 3508 })!.size)).toBe('1024x1536')
    expect(sizeLabel(sizeForTarget(toapisLike, { width: 3000, height: 3000 })!.size)).toBe('1:1@2K')
  })

  it('makes the exact size where the provider takes custom sizes, kept inside its limits', () => {
    const openai = offer(['1024x1024', '1536x1024', '1024x1536', '2048x2048', '3840x2160', '2160x3840'], GPT_CUSTOM)
    expect(sizeLabel(sizeForTarget(openai, { width: 2000, height: 2000 })!.size)).toBe('2000x2000')
    // 1080 is no multiple of 16: the next one up, same shape, cropped by a few pixels.
    expect(sizeLabel(sizeForTarget(openai, { width: 1080, height: 1350 })!.size)).toBe('1088x1360')
    // 3.2:1 is wider than 3:1: the widest it allows.
    expect(sizeLabel(sizeForTarget(openai, { width: 1920, height: 600 })!.size)).toBe('1920x640')
    // A4 at 300 dpi has more pixels than the model makes: the largest of that shape.
    expect(sizeLabel(sizeForTarget(openai, { width: 2480, height: 3508 })!.size)).toBe('2416x3424')
    // A small target is raised to the fewest pixels the model makes.
    const small = sizeForTarget(openai, { width: 400, height: 400 })!.made
    expect(small.width * small.height).toBeGreaterThanOrEqual(655_360)
  })

  it('returns null when the provider has only auto', () => {
    expect(sizeForTarget({ sizes: [{ auto: true }], customSizes: null, modelId: 'x' }, { width: 100, height: 100 })).toBeNull()
  })
})

describe('exportOf words what export does', () => {
  it('scales when the shape is the same, crops when it is not', () => {
    expect(exportOf({ width: 2048, height: 2048 }, { width: 2000, height: 2000 }).note).toBe('made at 2048 × 2048, exported at 2000 × 2000 by scaling down')
    expect(exportOf({ width: 1024, height: 1024 }, { width: 2000, height: 2000 }).note).toBe('made at 1024 × 1024, exported at 2000 × 2000 by scaling up')
    expect(exportOf({ width: 2000, height: 2000 }, { width: 2000, height: 2000 }).note).toBe('made at 2000 × 2000, exactly the size needed')
    expect(exportOf({ width: 3840, height: 2160 }, { width: 1920, height: 600 }).note).toBe('made at 3840 × 2160 (16:9); cropped to 1920 × 600 on export')
    expect(exportOf({ width: 1536, height: 1024 }, { width: 1920, height: 600 })).toEqual({ export: 'crop', note: 'made at 1536 × 1024 (3:2); cropped to 1920 × 600 on export after scaling up' })
  })
})

describe('size shapes', () => {
  it('gives an aspect at a tier its nominal pixels and groups pixel sizes under the nearest named shape', () => {
    expect(pixelSizeOf({ aspect: '16:9', resolution: '2K' })).toEqual({ width: 2048, height: 1152 })
    expect(pixelSizeOf({ aspect: '9:16', resolution: '4K' })).toEqual({ width: 2160, height: 3840 })
    expect(shapeOf({ width: 1792, height: 1024 })).toBe('16:9')
    expect(shapeOf({ width: 1536, height: 1024 })).toBe('3:2')
    expect(shapeOf({ width: 1000, height: 777 })).toBe('1.29:1')
    expect(shapeOf({ width: 1200, height: 640 })).toBe('15:8')
  })
})

// Keeps the summary type honest: ProviderSummary is what the renderer hands sizeForTarget.
export const summaryIsAnOffer = (p: ProviderSummary): SizeOffer => p
