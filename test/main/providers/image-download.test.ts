/**
 * Downloading a result link: the image is already paid for, so a passing failure is fetched again
 * before the call fails (a failed call makes the queue pay for a new image); a dead link is not.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Clock } from '../../../src/main/core/clock'
import { downloadImage } from '../../../src/main/core/providers/http/image-payload'
import { dialectCall } from '../../helpers/dialect-call'
import { lendingBuffers } from '../../helpers/lending-buffers'
import { providerFailure } from '../../helpers/provider-failure'
import { serve, type Answer } from '../../helpers/recording-server'

/** Sleeps pass at once; `delays` keeps what was asked for. */
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = []
  return {
    delays,
    now: () => 1_767_000_000_000,
    sleep: (ms: number) => {
      delays.push(ms)
      return Promise.resolve()
    },
  }
}

const IMAGE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])

async function host(answers: Answer[]) {
  return serve(() => answers.shift() ?? { bytes: IMAGE })
}

describe('downloadImage', () => {
  it('fetches a link again after a 503 and a proxy page, and returns the image', async () => {
    const server = await host([{ status: 503, json: {} }, { status: 502, bytes: new TextEncoder().encode('<html>502</html>') }])
    const clock = recordingClock()
    const bytes = await downloadImage(dialectCall('getimg', server.url, { clock }), `${server.url}/files/a.png`)
    expect(Buffer.from(bytes).equals(Buffer.from(IMAGE))).toBe(true)
    expect(server.seen).toHaveLength(3)
    expect(clock.delays).toEqual([1000, 3000])
  })

  it('gives up after three tries with the last failure, for the queue to retry', async () => {
    const server = await host([{ status: 503, json: {} }, { status: 503, json: {} }, { status: 429, json: {} }])
    const clock = recordingClock()
    const err = await providerFailure(downloadImage(dialectCall('getimg', server.url, { clock }), `${server.url}/files/a.png`))
    expect(err).toMatchObject({ kind: 'provider_down', code: 'download_429' })
    expect(server.seen).toHaveLength(3)
  })

  it('does not fetch a dead link twice', async () => {
    for (const status of [404, 403, 410]) {
      const server = await host([{ status, json: {} }])
      const clock = recordingClock()
      const err = await providerFailure(downloadImage(dialectCall('getimg', server.url, { clock }), `${server.url}/files/a.png`))
      expect(err.code).toBe(`download_${status}`)
      expect(server.seen).toHaveLength(1)
      expect(clock.delays).toEqual([])
    }
  })

  it('stops at once when the job is canceled between tries', async () => {
    const server = await host([{ status: 503, json: {} }])
    const controller = new AbortController()
    const reason = new Error('canceled')
    const clock: Clock = {
      now: () => 0,
      sleep: () => {
        controller.abort(reason)
        return Promise.reject(reason)
      },
    }
    await expect(downloadImage(dialectCall('getimg', server.url, { clock, signal: controller.signal }), `${server.url}/files/a.png`)).rejects.toBe(reason)
    expect(server.seen).toHaveLength(1)
  })

  it('downloads into a buffer borrowed from the call when it lends one, sized by content-length', async () => {
    const image = randomBytes(300_000)
    const server = await serve(() => ({ bytes: image, headers: { 'content-length': String(image.length) } }))
    const call = dialectCall('getimg', server.url, { clock: recordingClock() })
    const lending = lendingBuffers()
    call.imageBuffers = lending
    const borrowed = lending.lent
    const bytes = await downloadImage(call, `${server.url}/files/a.png`)
    expect(borrowed.map((b) => b.asked)).toEqual([image.length])
    expect(bytes.buffer === borrowed[0]!.buffer.buffer).toBe(true)
    expect(Buffer.from(bytes).equals(image)).toBe(true)
  })
})
