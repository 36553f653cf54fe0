import { useEffect, useRef, type ReactNode } from 'react'
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
      // The accent as the theme resolves it (the canvas's CSS `color`), so dark and light both fit.
      ctx.fillStyle = getComputedStyle(target).color
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
