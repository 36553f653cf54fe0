/**
 * A library database with many image rows for the gallery benchmark, written through the real
 * repositories in a few big transactions: 4 images per job, prompts made of product-shot words
 * (so full-text search has a real vocabulary to index), providers, key labels, sizes, batches,
 * favorites and tags spread the way a busy studio library would be. Rows only, no files: the
 * gallery's queries read rows, and the benchmark never opens an image.
 */
import type { ImageRecord, NewJob } from '../src/main/core/store/records'
import type { Store } from '../src/main/core/store/store'
import { seededRandom } from '../test/helpers/seeded-random'
import { newImage, newJob } from '../test/helpers/store-rows'

const PRODUCTS = ['sneaker', 'teapot', 'mug', 'lamp', 'backpack', 'watch', 'chair', 'candle', 'headphones', 'vase', 'sunglasses', 'wallet', 'perfume bottle', 'desk', 'bicycle', 'kettle', 'notebook', 'camera', 'ring', 'scarf', 'blender', 'sofa', 'speaker', 'jacket', 'helmet', 'skateboard', 'teacup', 'bowl', 'clock', 'plant pot']
const MATERIALS = ['walnut', 'ceramic', 'brushed steel', 'leather', 'glass', 'linen', 'matte black', 'oak', 'copper', 'marble', 'recycled plastic', 'terracotta', 'velvet', 'bamboo', 'chrome', 'wool', 'porcelain', 'brass', 'concrete', 'rattan']
const SCENES = ['on a white background', 'on a marble countertop', 'in a sunlit kitchen', 'on a wooden table', 'in a minimalist studio', 'on a beach at dusk', 'in a cozy living room', 'on a concrete plinth', 'in a forest clearing', 'on a city rooftop', 'in a modern office', 'against a pastel backdrop', 'on wet pebbles', 'in a snowy cabin', 'on a velvet cloth']
const LIGHT = ['soft daylight', 'golden hour light', 'hard studio flash', 'moody low-key lighting', 'overcast light', 'neon glow', 'rim light', 'window light from the left', 'candlelight', 'high-key lighting', 'dramatic shadows', 'diffused softbox light']
const STYLE = ['product photography', 'editorial style', 'catalog shot', 'lifestyle photo', 'hero shot, shallow depth of field', 'flat lay', 'macro detail', '35mm film look', 'isometric render', 'high-end advertising', 'e-commerce listing photo', 'magazine cover style']

export const GALLERY_PROVIDERS = ['openai', 'tokenhub', 'toapis', 'getimg', 'gettoken', 'demo']
export const GALLERY_SIZES = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
  { width: 2048, height: 2048 },
  { width: 1792, height: 1024 },
]
const KEY_LABELS = ['studio', 'client-a', 'client-b', 'personal', null]
/** Tag, and the share of images that carry it. */
export const GALLERY_TAGS: readonly (readonly [string, number])[] = [
  ['approved', 0.2],
  ['summer', 0.1],
  ['hero shot', 0.05],
  ['client review', 0.02],
  ['reject', 0.01],
]
const IMAGES_PER_JOB = 4
const START = Date.UTC(2025, 0, 1)
/** About two years of images at this count: one every ~10 minutes on average. */
const SPAN_MS = 2 * 365 * 86_400_000

export interface GalleryLibraryFacts {
  images: number
  jobs: number
  batches: number
  tagged: Record<string, number>
  favorites: number
  buildMs: number
}

/** Fills an empty store with `count` images (a multiple of 4); returns what it wrote. */
export function fillGalleryLibrary(store: Store, count: number): GalleryLibraryFacts {
  const started = performance.now()
  const random = seededRandom(20_261_201).next
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const batches = Math.max(1, Math.floor(count / 2000))
  store.transaction(() => {
    for (let b = 0; b < batches; b++) store.batches.insert({ id: `batch_${b}`, name: `Batch ${b + 1}`, budget: null, createdAt: START + b * (SPAN_MS / batches) })
  })
  const jobs: NewJob[] = []
  const images: ImageRecord[] = []
  const step = SPAN_MS / count
  for (let j = 0; j < count / IMAGES_PER_JOB; j++) {
    const provider = pick(GALLERY_PROVIDERS)
    const size = pick(GALLERY_SIZES)
    const prompt = `A ${pick(MATERIALS)} ${pick(PRODUCTS)} ${pick(SCENES)}, ${pick(LIGHT)}, ${pick(STYLE)}`
    const keyLabel = pick(KEY_LABELS)
    // A third of the jobs come from batches, whose images then carry the batch id too.
    const batchId = random() < 1 / 3 ? `batch_${Math.floor(random() * batches)}` : null
    const createdAt = Math.round(START + j * IMAGES_PER_JOB * step)
    const job = newJob({ id: `job_${j.toString(36).padStart(6, '0')}`, batchId, provider, prompt, size, keyLabel, createdAt })
    jobs.push(job)
    for (let seq = 0; seq < IMAGES_PER_JOB; seq++) {
      const id = `img_${(j * IMAGES_PER_JOB + seq).toString(36).padStart(7, '0')}`
      images.push(
        newImage(job.id, {
          id,
          seq,
          ...size,
          bytes: 1_500_000 + Math.floor(random() * 2_000_000),
          prompt,
          // Some providers rewrite the prompt; search looks at both.
          revisedPrompt: random() < 0.3 ? `${prompt}, photorealistic, 8k detail` : null,
          provider,
          keyLabel,
          favorite: random() < 0.08,
          // Images of one job land a few seconds apart; two may share a millisecond elsewhere.
          createdAt: createdAt + seq * 3000,
        }),
      )
    }
  }
  store.jobs.insertMany(jobs)
  const CHUNK = 10_000
  for (let i = 0; i < images.length; i += CHUNK) store.transaction(() => images.slice(i, i + CHUNK).forEach((image) => store.images.insert(image)))
  const tagged: Record<string, number> = {}
  for (const [tag, share] of GALLERY_TAGS) {
    const ids = images.filter(() => random() < share).map((image) => image.id)
    store.tags.add(ids, [tag])
    tagged[tag] = ids.length
  }
  // No ANALYZE: the app never runs one, so the planner sees what it sees in a real library.
  return { images: images.length, jobs: jobs.length, batches, tagged, favorites: images.filter((i) => i.favorite).length, buildMs: performance.now() - started }
}
