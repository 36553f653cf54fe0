/** What is really on disk in a library folder. */
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import sharp from 'sharp'

/** Every file under images/ and thumbs/, library-relative with forward slashes. */
export function mediaFiles(home: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else out.push(relative(home, path).split('\\').join('/'))
    }
  }
  walk(join(home, 'images'))
  walk(join(home, 'thumbs'))
  return out.sort()
}

/** Format and pixel size of an image file, as a decoder reads it. */
export async function pixelSize(path: string): Promise<{ format: string | undefined; width: number | undefined; height: number | undefined }> {
  const meta = await sharp(path).metadata()
  return { format: meta.format, width: meta.width, height: meta.height }
}
