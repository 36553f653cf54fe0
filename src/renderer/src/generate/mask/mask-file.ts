import { coverageFromPixels, maskPixels, type Coverage } from './mask-raster'

/**
 * The painter's trips between coverage and image files, through a canvas: reading a saved or
 * picked mask back, and writing the PNG the provider gets. Browser only (jsdom has no canvas).
 */

/** Reads a mask image into coverage at the reference's size (a picked mask of another size is scaled). */
export async function loadCoverage(src: string, width: number, height: number): Promise<Coverage> {
  const image = new Image()
  image.src = src
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('no 2D canvas')
  ctx.drawImage(image, 0, 0, width, height)
  return coverageFromPixels(width, height, ctx.getImageData(0, 0, width, height).data)
}

/** The provider's mask file: a PNG of the reference's size, alpha 0 where painted. */
export function encodeMask(coverage: Coverage): Promise<Blob> {
  const canvas = document.createElement('canvas')
  canvas.width = coverage.width
  canvas.height = coverage.height
  const ctx = canvas.getContext('2d')
  if (!ctx) return Promise.reject(new Error('This browser cannot draw on a canvas.'))
  ctx.putImageData(new ImageData(maskPixels(coverage), coverage.width, coverage.height), 0, 0)
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The mask could not be written as PNG.'))), 'image/png'))
}
