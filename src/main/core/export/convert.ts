import sharp from 'sharp'
import { FORMAT_TRAITS, type OutputFormat, type ParsedExportOutput } from '../../../shared/api'

/**
 * Turns one library image into the bytes of one export output. With no conversion asked for
 * (same format, no size) the result names the library file to copy byte for byte (the writer
 * copies it in the kernel, or clones it on a filesystem that can), so its sha256 stays the one
 * the gallery shows. Pixel sizes of the result are read back from what sharp produced, never
 * assumed from the request.
 */

interface Shape {
  format: OutputFormat
  width: number
  height: number
}

/** Either the bytes sharp produced, or the path of a library file to copy unchanged. */
export type EncodedFile = Shape & ({ data: Buffer; copyOf?: undefined } | { copyOf: string; data?: undefined })

export interface SourceImage {
  path: string
  format: OutputFormat
  width: number
  height: number
}

export const DEFAULT_QUALITY: Record<OutputFormat, number> = { png: 100, jpeg: 90, webp: 90 }

/** Format and pixel size the output will have, known before encoding (for names and previews). */
export function plannedShape(source: SourceImage, output: ParsedExportOutput): { format: OutputFormat; width: number; height: number } {
  return {
    format: output.format ?? source.format,
    width: output.width ?? source.width,
    height: output.height ?? source.height,
  }
}

export async function encodeOutput(source: SourceImage, output: ParsedExportOutput): Promise<EncodedFile> {
  const format = output.format ?? source.format
  const resize = output.width !== undefined && output.height !== undefined
  if (!resize && format === source.format && output.quality === undefined) {
    return { copyOf: source.path, format, width: source.width, height: source.height }
  }
  let pipeline = sharp(source.path, { failOn: 'error' })
  const meta = await pipeline.metadata()
  const transparent = meta.hasAlpha === true && FORMAT_TRAITS[format].alpha
  const white = { r: 255, g: 255, b: 255, alpha: 1 }
  if (resize) {
    pipeline = pipeline.resize(output.width, output.height, {
      fit: output.fit,
      position: 'attention',
      background: transparent ? { r: 255, g: 255, b: 255, alpha: 0 } : white,
    })
  }
  // JPEG has no alpha: transparent areas become white rather than black.
  if (!FORMAT_TRAITS[format].alpha) pipeline = pipeline.flatten({ background: white })
  const quality = output.quality ?? DEFAULT_QUALITY[format]
  if (format === 'png') pipeline = pipeline.png({ compressionLevel: 6 })
  else if (format === 'jpeg') pipeline = pipeline.jpeg({ quality, mozjpeg: true })
  else pipeline = pipeline.webp({ quality })
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
  return { data, format, width: info.width, height: info.height }
}
