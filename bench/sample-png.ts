/**
 * The images the benchmarks feed the engine. Random noise cannot compress, so a 1024x1024 RGB
 * noise PNG is as big as a real GPT-Image-2 reply (about 3.1 MB of PNG, about 4.2 MB of base64);
 * a flat PNG of the same size is a few KB, for measuring the queue without the per-image cost.
 * Each is made once with sharp and cached under the OS temp folder between runs.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'

export const NOISE_WIDTH = 1024
export const NOISE_HEIGHT = 1024

export type SampleKind = 'noise' | 'flat'

export function samplePngPath(kind: SampleKind, width: number, height: number): string {
  return join(tmpdir(), 'proofsheet-bench', `${kind}-${width}x${height}.png`)
}

/** The cached noise PNG, made on first use. */
export function noisePng(width = NOISE_WIDTH, height = NOISE_HEIGHT): Promise<Buffer> {
  return samplePng('noise', width, height)
}

/** The cached PNG of the given kind and size, made on first use. */
export async function samplePng(kind: SampleKind, width = NOISE_WIDTH, height = NOISE_HEIGHT): Promise<Buffer> {
  const path = samplePngPath(kind, width, height)
  try {
    return await readFile(path)
  } catch {
    // not made yet
  }
  const pixels = kind === 'noise' ? randomBytes(width * height * 3) : Buffer.alloc(width * height * 3, 0xc8)
  const png = await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer()
  await mkdir(join(tmpdir(), 'proofsheet-bench'), { recursive: true })
  // Two benchmark processes may race to make it: write aside, then rename into place.
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, png)
  await rename(temp, path)
  return png
}
