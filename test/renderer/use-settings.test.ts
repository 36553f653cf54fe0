import { describe, expect, it } from 'vitest'
import type { TemplateView } from '../../src/shared/api'
import { createProvidersStore } from '../../src/renderer/src/app/providers-store'
import { createGenerateStore, followProviders } from '../../src/renderer/src/generate/generate-store'
import { createTemplatesStore } from '../../src/renderer/src/templates/templates-store'
import { createFakeApi, demoProvider, sizesOf } from './fake-api'

// "Use these settings" and Generate on real stores over a fake engine: every size of the
// generation and the template with its values come back; Generate records the template.

const demo = demoProvider({ sizes: sizesOf('1024x1024', '1536x1024', '1024x1536') })
const packshot: TemplateView = {
  id: 'tpl_packshot',
  name: 'Packshot',
  body: 'Packshot of {{product}}',
  variables: ['product'],
  defaults: {},
  notes: '',
  createdAt: 1,
  updatedAt: 1,
}

function setup() {
  const api = createFakeApi({
    'providers.list': () => ({ providers: [demo] }),
    'templates.list': () => ({ templates: [packshot] }),
    'jobs.generate': () => ({ batchId: null, jobs: [], estimate: { lines: [], total: 0, currency: 'USD', unknownPrices: [] } as never }),
  })
  const providers = createProvidersStore(api)
  const templates = createTemplatesStore(api)
  const generate = createGenerateStore(api, { onQueued: () => {}, providers, templates })
  const stop = followProviders(generate, providers)
  return { api, providers, templates, generate, stop }
}

const settings = {
  provider: 'demo',
  prompt: 'Packshot of a red mug',
  size: '1536x1024',
  sizes: ['1024x1024', '1536x1024'],
  format: 'webp' as const,
  quality: 'high' as const,
  background: null,
  compression: 60,
  n: 2,
  keyId: null,
  template: { id: 'tpl_packshot', name: 'Packshot', values: { product: 'a red mug' } },
}

describe('"Use these settings"', () => {
  it('brings back every size of the generation, the options and the template with its values', async () => {
    const { providers, templates, generate, stop } = setup()
    await providers.getState().load()
    // The templates are not read yet: loading the settings reads them, then picks the template.
    await generate.getState().loadSettings(settings)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(generate.getState()).toMatchObject({ prompt: 'Packshot of a red mug', sizes: ['1024x1024', '1536x1024'], format: 'webp', quality: 'high', compression: 60, n: 2 })
    expect(templates.getState()).toMatchObject({ activeId: 'tpl_packshot', values: { product: 'a red mug' } })
    stop()
  })

  it('keeps the prompt as text and says so when the template changed since', async () => {
    const { providers, templates, generate, stop } = setup()
    await providers.getState().load()
    await templates.getState().load()
    await generate.getState().loadSettings({ ...settings, prompt: 'Packshot of a red mug, older wording' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(templates.getState().activeId).toBeNull()
    expect(generate.getState().switchNote).toBe('From that image: the template “Packshot” has changed since, so the prompt is kept as that image had it.')
    stop()
  })
})

describe('Generate', () => {
  it('records the template the prompt was filled from, and none for a hand-written prompt', async () => {
    const { api, providers, templates, generate, stop } = setup()
    await providers.getState().load()
    await templates.getState().load()
    templates.getState().choose('tpl_packshot')
    templates.getState().setValue('product', 'a blue teapot')
    generate.getState().setPrompt('Packshot of a blue teapot')
    await generate.getState().generate()
    expect(api.callsTo('jobs.generate').at(-1)).toMatchObject({ prompt: 'Packshot of a blue teapot', template: { id: 'tpl_packshot', name: 'Packshot', values: { product: 'a blue teapot' } } })
    templates.getState().choose(null)
    generate.getState().setPrompt('A hand-written prompt')
    await generate.getState().generate()
    expect(api.callsTo('jobs.generate').at(-1)).not.toHaveProperty('template')
    stop()
  })
})
