/**
 * The image the benchmark's fake provider returns: a PNG of random noise, so it cannot compress
 * and its base64 is as big as a real GPT-Image-2 reply (1024x1024 RGB: about 3.1 MB of PNG, about
 * 4.2 MB of base64). Made once with sharp and cached under the OS temp folder between runs.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'

export const NOISE_WIDTH = 1024
export const NOISE_HEIGHT = 1024

export function noisePngPath(): string {
  return join(tmpdir(), 'proofsheet-bench', `noise-${NOISE_WIDTH}x${NOISE_HEIGHT}.png`)
}

/** The cached noise PNG, made on first use. */
export async function noisePng(): Promise<Buffer> {
  const path = noisePngPath()
  try {
    return await readFile(path)
  } catch {
    // not made yet
  }
  const raw = randomBytes(NOISE_WIDTH * NOISE_HEIGHT * 3)
  const png = await sharp(raw, { raw: { width: NOISE_WIDTH, height: NOISE_HEIGHT, channels: 3 } }).png().toBuffer()
  await mkdir(join(tmpdir(), 'proofsheet-bench'), { recursive: true })
  // Two benchmark processes may race to make it: write aside, then rename into place.
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, png)
  await rename(temp, path)
  return png
}
