/** Builders for rows written straight through the repositories, for store-level tests. */
import type { ImageRecord, NewJob } from '../../src/main/core/store/records'

let counter = 0
const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36).padStart(4, '0')}`

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: `job_${unique()}`,
    batchId: null,
    provider: 'scripted',
    params: {
      quality: 'auto',
      format: 'png',
      n: 1,
      refs: [],
    },
    size: { width: 1024, height: 1024 },
    prompt: 'white sneaker on a white background',
    maxAttempts: 4,
    estimatedCost: 0.04,
    currency: 'USD',
    keyId: null,
    keyEnv: 'SCRIPTED_KEY',
    keyLabel: '$SCRIPTED_KEY',
    baseUrl: null,
    createdAt: 1_741_944_600_000,
    ...overrides,
  }
}

export function newImage(jobId: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  const id = overrides.id ?? `img_${unique()}`
  return {
    id,
    jobId,
    seq: 0,
    file: `images/2025/03/${id}.png`,
    thumb: `thumbs/2025/03/${id}.webp`,
    format: 'png',
    width: 1024,
    height: 1024,
    bytes: 123_456,
    sha256: 'a'.repeat(64),
    prompt: 'white sneaker on a white background',
    revisedPrompt: null,
    provider: 'scripted',
    keyLabel: null,
    favorite: false,
    createdAt: 1_741_944_600_000,
    ...overrides,
  }
}
