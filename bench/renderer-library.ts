/**
 * The library the renderer benchmark opens in browser mode: the gallery benchmark's 100,000 image
 * rows (bench/gallery-library.ts, same seed) plus 24 with a rare word, with real thumbnail files, and 500 jobs waiting in a
 * paused queue, plus a few failed and interrupted ones. Everything goes through the product's own
 * code: the rows through the repositories, the queued jobs through the jobs.generate route of a
 * real engine, so the web server opens it like any library (migrations, pragmas, runner lock).
 *
 * Thumbnails: a few hundred distinct WebP files, made once with sharp and cached under the OS temp
 * folder, then hard-linked into the library under every row's own thumbnail path
 * (thumbs/2025/03/<image id>.webp, as the rows say). Every tile therefore has its own URL, so the
 * browser fetches and decodes each one as it would in a real library (no cache hit between two
 * tiles), while the disk holds only the few hundred files.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { systemClock } from '../src/main/core/clock'
import { createEngine } from '../src/main/core/engine'
import { THUMBNAIL_MAX_SIDE } from '../src/main/core/media/media-store'
import type { ImageRecord, NewJob } from '../src/main/core/store/records'
import { Store } from '../src/main/core/store/store'
import { SessionSecretStore } from '../src/main/core/secrets'
import { seededRandom } from '../test/helpers/seeded-random'
import { newImage, newJob } from '../test/helpers/store-rows'
import { fillGalleryLibrary, GALLERY_SIZES } from './gallery-library'

export const RENDERER_IMAGES = 100_000
export const RENDERER_QUEUED = 500
export const RENDERER_FAILED = 20
export const RENDERER_INTERRUPTED = 5
/** A word no other prompt has (and no other word starts with "peri"): the search benchmark types it. */
export const RARE_WORD = 'periwinkle'
/** Images whose prompt carries the rare word (besides the 100,000): 6 jobs of 4, spread over the library's two years. */
const RARE_JOBS = 6
/**
 * A near miss: its word starts with every letter of the rare word but the last, so the prefix
 * search matches it until the last key is typed. Without it the results would be final a key
 * early and "after the last keystroke" would time a search that changes nothing on screen.
 */
export const NEAR_MISS_WORD = 'periwinkly'
const NEAR_MISS_JOBS = 3
const IMAGES_PER_JOB = 4
/** Distinct thumbnail files per thumbnail shape. */
const VARIANTS_PER_SHAPE = 75
const THUMB_CACHE = join(tmpdir(), 'proofsheet-bench', 'thumbs-v1')

const QUEUE_PRODUCTS = ['sneaker', 'teapot', 'mug', 'lamp', 'backpack', 'watch', 'chair', 'candle', 'vase', 'wallet']
const QUEUE_SCENES = ['on a white background', 'on a marble countertop', 'in a sunlit kitchen', 'on a wooden table', 'in a minimalist studio']
const QUEUE_SIZES = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
]

export interface RendererLibraryFacts {
  images: number
  rareImages: number
  /** Images whose prompt has NEAR_MISS_WORD, found until the rare word's last letter is typed. */
  nearMissImages: number
  galleryJobs: number
  queued: number
  failed: number
  interrupted: number
  thumbnailFiles: number
  thumbnailBytes: { min: number; median: number; max: number }
  rowsMs: number
  thumbsMs: number
  queueMs: number
}

/** The thumbnail's pixel size for an image, as MediaStore makes it (longest side 384, never enlarged). */
function thumbShape(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMBNAIL_MAX_SIDE / Math.max(width, height))
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}

/**
 * A photo-like thumbnail: a few soft colour blobs (a tiny random image scaled up) with a little
 * grain, as WebP quality 80 like MediaStore's. About as large and as costly to decode as a real one.
 */
async function makeThumb(width: number, height: number, seed: number): Promise<Buffer> {
  const random = seededRandom(seed).next
  const small = Buffer.alloc(5 * 5 * 3)
  for (let i = 0; i < small.length; i++) small[i] = 40 + Math.floor(random() * 200)
  const { data } = await sharp(small, { raw: { width: 5, height: 5, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + Math.floor(random() * 24) - 12))
  return sharp(data, { raw: { width, height, channels: 3 } }).webp({ quality: 80 }).toBuffer()
}

/** The cached thumbnail files for one shape, made on first use; returns their paths. */
async function thumbVariants(width: number, height: number): Promise<string[]> {
  await mkdir(THUMB_CACHE, { recursive: true })
  const paths: string[] = []
  for (let k = 0; k < VARIANTS_PER_SHAPE; k++) {
    const path = join(THUMB_CACHE, `${width}x${height}-${k}.webp`)
    if (!existsSync(path)) {
      const temp = `${path}.${process.pid}.tmp`
      await writeFile(temp, await makeThumb(width, height, width * 7919 + height * 104_729 + k))
      await rename(temp, path)
    }
    paths.push(path)
  }
  return paths
}

/** Hard-links `from` to `to` (a copy when they are on different file systems). */
function place(from: string, to: string): void {
  try {
    linkSync(from, to)
  } catch (err) {
    if ((err as { code?: string }).code !== 'EXDEV') throw err
    copyFileSync(from, to)
  }
}

/** Rows whose prompt carries `word`: a handful of results for the search benchmark. */
function wordRows(word: string, idPrefix: string, count: number): { jobs: NewJob[]; images: ImageRecord[] } {
  const start = Date.UTC(2025, 0, 1)
  const step = (2 * 365 * 86_400_000) / count
  const jobs: NewJob[] = []
  const images: ImageRecord[] = []
  for (let j = 0; j < count; j++) {
    const size = GALLERY_SIZES[j % GALLERY_SIZES.length]!
    const prompt = `A ${word} ceramic vase on a linen cloth, soft daylight, catalog shot, variation ${j + 1}`
    const createdAt = Math.round(start + j * step + step / 3)
    const job = newJob({ id: `job_${idPrefix}_${j}`, provider: 'openai', prompt, size, keyLabel: 'studio', createdAt })
    jobs.push(job)
    for (let seq = 0; seq < IMAGES_PER_JOB; seq++) {
      images.push(newImage(job.id, { id: `img_${idPrefix}_${j}_${seq}`, seq, ...size, bytes: 2_000_000, prompt, provider: 'openai', keyLabel: 'studio', createdAt: createdAt + seq * 3000 }))
    }
  }
  return { jobs, images }
}

/** The 24 rows with the rare word, and the 12 near misses that only its last letter rules out. */
function rareRows(): { jobs: NewJob[]; images: ImageRecord[] } {
  const rare = wordRows(RARE_WORD, 'rare', RARE_JOBS)
  const near = wordRows(NEAR_MISS_WORD, 'near', NEAR_MISS_JOBS)
  return { jobs: [...rare.jobs, ...near.jobs], images: [...rare.images, ...near.images] }
}

/**
 * Fills `home` (an empty folder) with the library. `log` reports each step's time. Deterministic:
 * the same rows, files and jobs every time (the queued jobs are stamped after the gallery's newest
 * row, or after now if the machine's clock is later).
 */
export async function buildRendererLibrary(home: string, log: (line: string) => void): Promise<RendererLibraryFacts> {
  let started = performance.now()
  const store = Store.open(join(home, 'library.sqlite'))
  let galleryJobs: number
  let shapes: { id: string; thumb: string; width: number; height: number }[]
  try {
    const rare = rareRows()
    const facts = fillGalleryLibrary(store, RENDERER_IMAGES)
    store.jobs.insertMany(rare.jobs)
    store.transaction(() => rare.images.forEach((image) => store.images.insert(image)))
    // Rows written straight through the repositories start out queued: these jobs are long done.
    const now = Date.now()
    const jobIds = store.db.prepare("SELECT id FROM jobs WHERE status = 'queued'").pluck().all() as string[]
    store.transaction(() => {
      for (const id of jobIds) {
        if (!store.jobs.claim(id, now) || !store.jobs.succeed(id, now)) throw new Error(`could not mark job ${id} succeeded`)
      }
    })
    galleryJobs = facts.jobs + rare.jobs.length
    shapes = store.db.prepare('SELECT id, thumb, width, height FROM images ORDER BY id').all() as typeof shapes
  } finally {
    store.close()
  }
  const rowsMs = performance.now() - started
  log(`renderer: ${shapes.length} image rows in ${galleryJobs} jobs written in ${(rowsMs / 1000).toFixed(1)} s`)

  started = performance.now()
  const variants = new Map<string, string[]>()
  for (const size of GALLERY_SIZES) {
    const shape = thumbShape(size.width, size.height)
    const key = `${shape.width}x${shape.height}`
    if (!variants.has(key)) variants.set(key, await thumbVariants(shape.width, shape.height))
  }
  const made = new Set<string>()
  for (const [i, row] of shapes.entries()) {
    const shape = thumbShape(row.width, row.height)
    const files = variants.get(`${shape.width}x${shape.height}`) ?? (await thumbVariants(shape.width, shape.height))
    const to = join(home, ...row.thumb.split('/'))
    const folder = dirname(to)
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true })
      made.add(folder)
    }
    place(files[i % files.length]!, to)
  }
  const allVariants = [...variants.values()].flat()
  const sizes = (await Promise.all(allVariants.map(async (p) => (await readFile(p)).length))).sort((a, b) => a - b)
  const thumbsMs = performance.now() - started
  log(`renderer: ${shapes.length} thumbnails placed (${allVariants.length} distinct files, hard links) in ${(thumbsMs / 1000).toFixed(1)} s`)

  started = performance.now()
  // The gallery's rows run up to 2027-01-01: the queued jobs come after them, so they are the
  // newest jobs (the queue lists newest first), one second apart.
  let tick = Math.max(Date.now(), Date.UTC(2027, 0, 1, 12))
  const engine = await createEngine({
    home,
    clock: { now: () => (tick += 1000), sleep: systemClock.sleep },
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'benchmark' } }),
  })
  const random = seededRandom(20_261_207).next
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const ids: string[] = []
  try {
    const paused = await engine.router.handle('queue.pause', {})
    if (!paused.ok) throw new Error(`queue.pause: ${paused.error.message}`)
    const total = RENDERER_QUEUED + RENDERER_FAILED + RENDERER_INTERRUPTED
    for (let i = 0; i < total; i++) {
      const queued = await engine.router.handle('jobs.generate', {
        provider: 'demo',
        prompt: `A ${pick(QUEUE_PRODUCTS)} ${pick(QUEUE_SCENES)}, queued job ${i + 1}`,
        sizes: [pick(QUEUE_SIZES)],
        format: 'png',
        n: 1 + Math.floor(random() * 4),
      })
      if (!queued.ok) throw new Error(`jobs.generate: ${queued.error.message}`)
      ids.push(...(queued.value as { jobs: { id: string }[] }).jobs.map((j) => j.id))
    }
  } finally {
    await engine.close()
  }
  // A few that ran and failed or were cut off by a crash, as the queue itself records them
  // (claimed, then failed or interrupted). None is left running: the web server's queue start
  // would recover it at once.
  const after = Store.open(join(home, 'library.sqlite'))
  try {
    const now = tick
    after.transaction(() => {
      for (const id of ids.slice(0, RENDERER_FAILED)) {
        after.jobs.claim(id, now)
        after.jobs.fail(id, { kind: 'retryable', code: 'rate_limited', message: 'The provider said too many requests (HTTP 429); retries used up.' }, now)
      }
      for (const id of ids.slice(RENDERER_FAILED, RENDERER_FAILED + RENDERER_INTERRUPTED)) {
        after.jobs.claim(id, now)
        after.jobs.interrupt(id, 'The app stopped while this job was running; it was not sent again.', now)
      }
    })
    const counts = after.jobs.counts()
    if (counts.queued !== RENDERER_QUEUED) throw new Error(`expected ${RENDERER_QUEUED} queued jobs, found ${counts.queued}`)
  } finally {
    after.close()
  }
  const queueMs = performance.now() - started
  log(`renderer: ${ids.length} jobs through jobs.generate (${RENDERER_QUEUED} left queued, queue paused) in ${(queueMs / 1000).toFixed(1)} s`)

  return {
    images: shapes.length,
    rareImages: RARE_JOBS * IMAGES_PER_JOB,
    nearMissImages: NEAR_MISS_JOBS * IMAGES_PER_JOB,
    galleryJobs,
    queued: RENDERER_QUEUED,
    failed: RENDERER_FAILED,
    interrupted: RENDERER_INTERRUPTED,
    thumbnailFiles: allVariants.length,
    thumbnailBytes: { min: sizes[0]!, median: sizes[Math.floor(sizes.length / 2)]!, max: sizes.at(-1)! },
    rowsMs,
    thumbsMs,
    queueMs,
  }
}
