import { OUTPUT_FORMATS, referenceText } from '../../../shared/api'
import type { DialectAdapter } from './dialect'
import type { ProviderProfile } from './profile'
import { renderDemoImage } from './demo-render'

/** The offline provider: real images, no network, no key, no cost. */
export const demoProfile: ProviderProfile = {
  id: 'demo',
  name: 'Demo (offline, free)',
  dialect: 'demo',
  baseUrl: 'local://demo',
  auth: 'none',
  modelId: 'demo',
  sizes: {
    kind: 'pixels',
    suggested: ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '512x512'],
    custom: { min: 16, max: 4096, multipleOf: 1 },
  },
  formats: [...OUTPUT_FORMATS],
  // Local files only (it is offline); the first one is drawn into the image as an inset.
  refs: { accepts: ['file'], maxCount: 16, maxFileBytes: 50 * 1024 * 1024, mask: true, maxMaskBytes: 50 * 1024 * 1024 },
  maxImagesPerCall: 4,
  maxImagesPerJob: 10,
  maxPromptLength: 32000,
  pricing: { currency: 'USD', tiers: [{ tier: 'image', price: 0 }], source: 'Demo provider: always free' },
  typicalLatencyMs: 1500,
  concurrency: 2,
  safeToResubmit: true,
}

export function createDemoAdapter(options: { delayMs: number }): DialectAdapter {
  return {
    async generate(call) {
      if (!('width' in call.size)) throw new Error('demo renders pixel sizes only')
      await call.clock.sleep(options.delayMs, call.signal)
      const images = []
      for (let i = 0; i < call.count; i++) {
        call.signal.throwIfAborted()
        const bytes = await renderDemoImage({
          width: call.size.width,
          height: call.size.height,
          format: call.params.format,
          prompt: call.params.prompt,
          background: call.params.background,
          seed: `${call.jobId}:${call.firstIndex + i}`,
          ...(call.params.refs[0] !== undefined ? { reference: referenceText(call.params.refs[0]) } : {}),
        })
        images.push({ bytes, revisedPrompt: null })
      }
      return { images, chargedCost: 0 }
    },
  }
}
