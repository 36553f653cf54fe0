import { describe, expect, it } from 'vitest'
import type { ProviderServer } from '../../provider-server'
import { download, errorJson, getJson, okJson, postJson, providerServer, wholeImage } from './helpers'

const GEN = '/images/generations'
const body = { model: 'gpt-image-2', prompt: 'premium product poster', size: '1:1', resolution: '1K' }

interface TaskReply {
  id: string
  object: string
  model: string
  status: string
  progress: number
  created_at: number
  metadata: Record<string, unknown>
  result?: { type: string; data: Array<{ url: string }>; completed_at: number; expires_at: number }
  url?: string
  images?: Array<{ url: string }>
  error?: { code: string; message: string }
}

async function submit(server: ProviderServer, extra: Record<string, unknown> = {}): Promise<TaskReply> {
  return okJson<TaskReply>(await postJson(server, 'toapis', GEN, { ...body, ...extra }))
}

async function poll(server: ProviderServer, id: string): Promise<TaskReply> {
  return okJson<TaskReply>(await getJson(server, 'toapis', `${GEN}/${id}`))
}

async function pollUntilDone(server: ProviderServer, id: string, max = 20): Promise<{ task: TaskReply; statuses: string[] }> {
  const statuses: string[] = []
  for (let i = 0; i < max; i++) {
    const task = await poll(server, id)
    statuses.push(task.status)
    if (task.status === 'completed' || task.status === 'failed') return { task, statuses }
  }
  throw new Error(`task ${id} still running after ${max} polls`)
}

describe('ToAPIs', () => {
  it('queues a task, moves it along per poll, and completes with result.data[].url', async () => {
    const server = await providerServer()
    expect(server.baseUrl('toapis')).toBe(`${server.origin}/toapis/v1`)
    const task = await submit(server)
    expect(task).toMatchObject({ object: 'generation.task', model: 'gpt-image-2', status: 'queued', progress: 0 })
    expect(typeof task.created_at).toBe('number')
    const { task: done, statuses } = await pollUntilDone(server, task.id)
    expect(statuses).toEqual(['in_progress', 'completed'])
    expect(done.progress).toBe(100)
    expect(done.result).toMatchObject({ type: 'image', data: [{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/toapis\//) }] })
    expect(done.result!.expires_at - done.result!.completed_at).toBe(24 * 60 * 60)
    const image = await download(done.result!.data[0]!.url)
    expect(await wholeImage(image.bytes)).toEqual({ format: 'png', width: 1024, height: 1024 })
    expect(server.billed('toapis')).toMatchObject({ charges: 1, images: 1, usd: 0.015 })
    expect(server.tasks).toMatchObject([{ id: task.id, polls: 2, status: 'completed', billed: true }])
    expect(server.submissionsFor('toapis', body.prompt)).toBe(1)
  })

  it('bills a completed task once however often it is polled', async () => {
    const server = await providerServer()
    const { id } = await submit(server, { size: '16:9', resolution: '2K' })
    await pollUntilDone(server, id)
    await poll(server, id)
    await poll(server, id)
    expect(server.billed('toapis')).toMatchObject({ charges: 1, usd: 0.02 })
    expect(server.charges.toapis[0]).toMatchObject({ taskId: id, images: 1 })
  })

  it('reads the resolution from metadata.resolution, as in the page example', async () => {
    const server = await providerServer()
    const { id } = await submit(server, { resolution: undefined, size: '16:9', n: 1, response_format: 'b64_json', metadata: { resolution: '2K', orientation: 'landscape' } })
    const { task } = await pollUntilDone(server, id)
    expect(await wholeImage((await download(task.result!.data[0]!.url)).bytes)).toMatchObject({ width: 2048, height: 1152 })
    expect(task.metadata).toEqual({ resolution: '2K', orientation: 'landscape' })
  })

  it('can answer submitted, several queued polls, and the other two result shapes', async () => {
    const server = await providerServer({
      settings: { toapis: { submitStatus: 'submitted', statusesBeforeCompletion: ['queued', 'in_progress', 'in_progress'], resultShape: 'url' } },
    })
    const { id, status } = await submit(server)
    expect(status).toBe('submitted')
    const { task, statuses } = await pollUntilDone(server, id)
    expect(statuses).toEqual(['queued', 'in_progress', 'in_progress', 'completed'])
    expect(task.url).toMatch(/\/files\/toapis\//)
    expect(task.result).toBeUndefined()
    server.configure({ toapis: { resultShape: 'images' } })
    const again = await poll(server, id)
    expect(again.images).toEqual([{ url: task.url }])
  })

  it('refuses a wrong key with its 401 envelope', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'toapis', GEN, body, { key: 'sk-wrong' }))).toEqual({
      status: 401,
      body: { error: { code: 401, message: 'Missing Authorization header or invalid API key.', type: 'authentication_error' } },
    })
    const { id } = await submit(server)
    expect((await getJson(server, 'toapis', `${GEN}/${id}`, { key: null })).status).toBe(401)
  })

  it.each([
    ['16:9', '1K'],
    ['1:1', '4K'],
    ['1024x1024', '1K'],
    ['1:1', '8K'],
  ])('refuses size %s at %s with 400 invalid_request_error', async (size, resolution) => {
    const server = await providerServer()
    const { status, body: reply } = await errorJson(await postJson(server, 'toapis', GEN, { ...body, size, resolution }))
    expect(status).toBe(400)
    expect(reply).toMatchObject({ error: { code: 400, type: 'invalid_request_error' } })
    expect(server.tasks).toHaveLength(0)
  })

  it('can name the invalid-request type the way the API notes do', async () => {
    const server = await providerServer({ settings: { toapis: { invalidRequestType: 'invalid_request' } } })
    expect(await errorJson(await postJson(server, 'toapis', GEN, { ...body, model: 'gpt-image-1' }))).toMatchObject({
      status: 400,
      body: { error: { code: 400, type: 'invalid_request' } },
    })
  })

  it('refuses base64 or local-path reference images with invalid_reference_images', async () => {
    const server = await providerServer()
    for (const ref of ['data:image/png;base64,iVBORw0KGgo=', '/Users/me/shot.png', 'file:///Users/me/shot.png']) {
      expect(await errorJson(await postJson(server, 'toapis', GEN, { ...body, reference_images: [ref] }))).toMatchObject({
        status: 400,
        body: { error: { code: 400, type: 'invalid_reference_images' } },
      })
    }
    expect((await postJson(server, 'toapis', GEN, { ...body, reference_images: ['https://cdn.example.com/a.png'] })).status).toBe(200)
  })

  it('answers 404 for a task it never made', async () => {
    const server = await providerServer()
    expect(await errorJson(await getJson(server, 'toapis', `${GEN}/task_nope`))).toMatchObject({
      status: 404,
      body: { error: { code: 404, type: 'not_found_error' } },
    })
  })
})
