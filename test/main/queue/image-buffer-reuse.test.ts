/**
 * The queue reuses the buffers replies are decoded into (queue/image-buffers.ts). A buffer given
 * back while its image was still being stored would be written over by the next reply, and the
 * library would keep another job's picture under this job's name without any error. This runs a
 * batch through the real queue, the real reply reader and the real media store, with the stores
 * held back while later replies are read, and checks every stored file is its own job's image.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { MediaStore } from '../../../src/main/core/media/media-store'
import type { CallResult, DialectCall } from '../../../src/main/core/providers/dialect'
import { readImageBody } from '../../../src/main/core/providers/http/streaming-image-reply'
import type { ImageSink } from '../../../src/main/core/queue/job-runner'
import { queueHarness } from '../../helpers/queue-harness'
import { until } from '../../helpers/wait'

const JOBS = 12
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** A different picture per job: its colour comes from the job's number in its prompt. */
function pictureFor(prompt: string): Promise<Buffer> {
  const n = Number(/job (\d+)/.exec(prompt)![1])
  return sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10 * n, g: 255 - 10 * n, b: 90 } } })
    .png()
    .toBuffer()
}

/** An OpenAI-style reply read by the real streaming reader, which borrows from call.imageBuffers. */
async function reply(call: DialectCall): Promise<CallResult> {
  const picture = await pictureFor(call.params.prompt)
  const body = Buffer.from(JSON.stringify({ created: 1, data: [{ b64_json: picture.toString('base64') }] }))
  // Cut in two so the base64 crosses a chunk edge, as network chunks do.
  const half = Math.floor(body.length / 2)
  const parsed = (await readImageBody(call, [body.subarray(0, half), body.subarray(half)], body.length)) as { data: { b64_json: Uint8Array }[] }
  return { images: [{ bytes: parsed.data[0]!.b64_json, revisedPrompt: null }], chargedCost: null }
}

/** The real media store, holding every write until `holdUntil` writes wait; notes each write's memory. */
function watchedMedia(media: MediaStore, holdUntil: number): { sink: ImageSink; memories: Set<ArrayBufferLike> } {
  const memories = new Set<ArrayBufferLike>()
  let waiting = 0
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return {
    memories,
    sink: {
      async writeImage(input) {
        memories.add(input.bytes.buffer)
        if (++waiting >= holdUntil) open()
        await opened
        return media.writeImage(input)
      },
      removeImage: (rel) => media.removeImage(rel),
    },
  }
}

describe('JobQueue: reused image buffers', () => {
  it('stores every job its own image while later replies are read into reused buffers', async () => {
    let watched!: ReturnType<typeof watchedMedia>
    // Four replies are read and held at the store while four more are read behind them: a buffer
    // given back before its image was stored would be lent to one of those and written over.
    const h = queueHarness({ profile: { concurrency: 4 }, storeSlots: 4, wrapMedia: (m) => (watched = watchedMedia(m, 4)).sink })
    h.dialect.script(...Array.from({ length: JOBS }, () => reply))
    const jobs = Array.from({ length: JOBS }, (_, i) => h.submit({ prompt: `job ${i + 1} of the batch` })[0]!)
    h.queue.start()
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'every job succeeds')

    for (const job of jobs) {
      const expected = sha256(await pictureFor(job.prompt))
      const [image] = h.store.images.forJob(job.id)
      expect(image!.sha256, job.prompt).toBe(expected)
      expect(sha256(readFileSync(join(h.home, image!.file))), job.prompt).toBe(expected)
    }
    // The point of the pool, and what makes this test able to fail: later replies reused memory.
    expect(watched.memories.size).toBeLessThan(JOBS)
  })
})
