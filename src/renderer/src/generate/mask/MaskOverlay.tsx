import { useEffect, useRef, type ReactNode } from 'react'
import { stripeWidth } from './mask-raster'
import './mask.css'

/**
 * A saved mask shown over its reference: the accent colour, translucent, where the provider
 * repaints (the mask's transparent pixels), nothing where it keeps the image. Drawn on a canvas
 * from the mask file itself, so what is shown is what the provider will read.
 */
export function MaskOverlay({ src, className }: { src: string; className?: string }): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const target = canvas.current
    if (!target) return
    let live = true
    const image = new Image()
    image.onload = () => {
      if (!live) return
      target.width = image.naturalWidth
      target.height = image.naturalHeight
      const ctx = target.getContext('2d')
      if (!ctx) return
      // Stripes of the accent (as the theme resolves it: the canvas's CSS `color`) and white, as
      // in the painter, so the area shows on an image of any hue.
      const band = stripeWidth(target.width, target.height)
      const tile = document.createElement('canvas')
      tile.width = tile.height = band * 2
      const t = tile.getContext('2d')
      if (!t) return
      t.fillStyle = '#fff'
      t.fillRect(0, 0, tile.width, tile.height)
      t.fillStyle = getComputedStyle(target).color
      t.beginPath()
      // One diagonal band of accent across the tile, continued over its corners so tiles join.
      for (const shift of [-2 * band, 0, 2 * band]) {
        t.moveTo(shift, 0)
        t.lineTo(shift + band, 0)
        t.lineTo(shift + band - 2 * band, 2 * band)
        t.lineTo(shift - 2 * band, 2 * band)
      }
      t.fill()
      ctx.fillStyle = ctx.createPattern(tile, 'repeat') ?? getComputedStyle(target).color
      ctx.fillRect(0, 0, target.width, target.height)
      // Punches the tint out where the mask is opaque: what stays is where the provider repaints.
      ctx.globalCompositeOperation = 'destination-out'
      ctx.drawImage(image, 0, 0)
      ctx.globalCompositeOperation = 'source-over'
    }
    image.src = src
    return () => {
      live = false
    }
  }, [src])
  return <canvas ref={canvas} className={className ? `mask-overlay-tint ${className}` : 'mask-overlay-tint'} aria-hidden="true" />
}
