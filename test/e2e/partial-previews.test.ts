import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { sizeChoice, callBridge, loadedImageSize, showMoreOptions, startBrowserMode, type BrowserMode } from './browser-mode'

// Partial previews end to end: browser mode with the openai profile pointed at the local server
// that speaks OpenAI's streamed images API, real Chromium. The server holds the final event back
// until the test has seen the partial on the placeholder tile, so "before" is a fact, not a race.

let server: ProviderServer
let mode: BrowserMode
let page: Page

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode()
  page = mode.page
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
})

const bridge = (name: string, input: unknown) => callBridge<{ id?: string }>(page, name, input)

describe('browser mode: partial previews', () => {
  it('shows a partial image on the placeholder tile before the final image replaces it', async () => {
    await page.goto(mode.appUrl)
    expect((await bridge('providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })).ok).toBe(true)
    const key = await bridge('keys.add', { provider: 'openai', label: 'studio', secret: server.validKey('openai') })
    expect(key.ok).toBe(true)
    await page.reload()

    const prompt = 'Glass teapot on linen, streamed'
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('openai')
    await page.getByRole('combobox', { name: 'API key' }).selectOption(key.value!.id!)
    const size = sizeChoice(page, '1024x1024')
    if (!(await size.isChecked())) await size.check()
    await showMoreOptions(page)
    await page.getByRole('combobox', { name: 'Partial previews' }).selectOption('2')

    const release = server.holdStreams()
    await page.getByRole('button', { name: 'Generate' }).click()

    const gallery = page.getByRole('region', { name: 'Gallery' })
    const partial = gallery.getByRole('img', { name: 'Partial preview 2 of 1024x1024' })
    await partial.waitFor({ timeout: 30_000 })
    // Drawn by the browser: a real (downscaled) image, on a tile that is still a placeholder.
    expect(await loadedImageSize(page, 'Partial preview 2 of 1024x1024')).toEqual({ width: 128, height: 128 })
    const tile = gallery.getByRole('gridcell').filter({ has: page.getByRole('img', { name: 'Partial preview 2 of 1024x1024' }) })
    expect(await tile.getByRole('progressbar').count()).toBe(1)
    expect(await gallery.getByRole('img', { name: prompt }).count()).toBe(0)
    const body = server.requestsTo('openai', 'generations')[0]!.body
    expect(body.kind === 'json' ? body.value : null).toMatchObject({ stream: true, partial_images: 2 })

    release()
    await loadedImageSize(page, prompt)
    await gallery.getByRole('img', { name: /^Partial preview/ }).waitFor({ state: 'detached', timeout: 30_000 })
    expect(await gallery.getByRole('progressbar').count()).toBe(0)
  })

  it('cancels a bad start from the placeholder tile while its partials are showing', async () => {
    const prompt = 'Glass teapot on linen, a bad start'
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
    const release = server.holdStreams()
    await page.getByRole('button', { name: 'Generate' }).click()

    const gallery = page.getByRole('region', { name: 'Gallery' })
    const tile = gallery.getByRole('gridcell').filter({ has: page.getByRole('img', { name: 'Partial preview 2 of 1024x1024' }) })
    await tile.waitFor({ timeout: 30_000 })
    await tile.getByRole('button', { name: 'Cancel 1024x1024' }).click()
    await tile.waitFor({ state: 'detached', timeout: 30_000 })
    expect(await gallery.getByRole('progressbar').count()).toBe(0)
    release()

    // The queue's cancel: the job says so, and nothing of it reached the gallery or the bill.
    const jobs = await callBridge<{ jobs: { prompt: string; status: string; chargedCost: number | null; imageIds: string[] }[] }>(page, 'jobs.list', {})
    const job = jobs.value?.jobs.find((j) => j.prompt === prompt)
    expect(job).toMatchObject({ status: 'canceled', imageIds: [] })
    expect(job?.chargedCost ?? 0).toBe(0)
    expect(await gallery.getByRole('img', { name: prompt }).count()).toBe(0)
  })
})
