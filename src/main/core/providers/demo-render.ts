/**
 * The offline demo provider's pixels: a gradient picked from the prompt, with the prompt written
 * on it. It produces a real image at exactly the requested size and format, so every workflow
 * (queue, gallery, export) can be tried without a key. Not a generator: never use it as a fallback
 * for a failed provider call.
 */
import { createHash } from 'node:crypto'
import sharp, { type OverlayOptions } from 'sharp'
import { FORMAT_TRAITS, OUTPUT_FORMATS, type OutputFormat } from '../../../shared/api'

export type DemoFormat = OutputFormat

export interface DemoRenderOptions {
  width: number
  height: number
  format: DemoFormat
  prompt: string
  /** 'transparent' gives an alpha gradient for png and webp; jpeg has no alpha and stays opaque. */
  background?: 'auto' | 'transparent' | 'opaque'
  /** Varies the colours between images of one prompt (the demo adapter passes job id and index). */
  seed?: string
  /** A reference image (file path or bytes), shown as an inset so reference workflows can be tried. */
  reference?: string | Buffer
}

export const DEMO_MAX_SIDE = 16384

const FONT_FAMILY = 'DejaVu Sans, sans-serif'
const CAPTION = 'Proofsheet demo'
const ELLIPSIS = '\u2026'
// Tried largest first: a short prompt is set big, a long one shrinks before it is cut.
const FONT_SCALES = [1, 0.8, 0.64, 0.5] as const
const LINE_HEIGHT = 1.25
const MIN_TEXT_PX = 4
const LARGE_PIXELS = 4_000_000

export async function renderDemoImage(options: DemoRenderOptions): Promise<Buffer> {
  const { width, height, format } = options
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > DEMO_MAX_SIDE) {
      throw new RangeError(`${name} must be a whole number of pixels from 1 to ${DEMO_MAX_SIDE}, got ${value}.`)
    }
  }
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new RangeError(`format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${String(format)}.`)
  }

  const transparent = options.background === 'transparent' && FORMAT_TRAITS[format].alpha
  const palette = paletteFor(options.prompt, options.seed ?? '')
  const svg = buildSvg({ width, height, prompt: options.prompt, transparent, palette })

  // density 72 makes one SVG user unit one output pixel, which is what keeps the size exact.
  let image = sharp(Buffer.from(svg, 'utf8'), { density: 72, limitInputPixels: width * height })
  if (!transparent) image = image.flatten({ background: palette.stops[0] })
  if (options.reference !== undefined) {
    const inset = await referenceInset(options.reference, width, height)
    if (inset) image = image.composite([inset])
  }
  // Above ~4 MP the encoders' slower, smaller modes cost seconds (WebP with alpha took 10 s at
  // 4096 px on a 2-core machine) for a placeholder nobody keeps, so big images take fast settings.
  const large = width * height > LARGE_PIXELS
  if (format === 'png') return image.png({ compressionLevel: 6 }).toBuffer()
  if (format === 'jpeg') return image.jpeg({ quality: 88, optimiseCoding: !large }).toBuffer()
  return image.webp({ quality: 85, effort: large ? 0 : 4 }).toBuffer()
}

/** The reference scaled into the top-left corner (a quarter of the short side), with a margin. */
async function referenceInset(reference: string | Buffer, width: number, height: number): Promise<OverlayOptions | null> {
  const box = Math.floor(Math.min(width, height) * 0.25)
  if (box < 8) return null
  const margin = Math.floor(Math.min(width, height) * 0.04)
  const input = await sharp(reference).resize(box, box, { fit: 'inside' }).png().toBuffer()
  return { input, left: margin, top: margin }
}

interface Palette {
  stops: [string, string, string]
  /** Gradient direction, as objectBoundingBox end points. */
  x1: number
  y1: number
  x2: number
  y2: number
  glowX: number
  glowY: number
}

function paletteFor(prompt: string, seed: string): Palette {
  const h = createHash('sha256').update(prompt).update('\u0000').update(seed).digest()
  const byte = (i: number): number => h[i] ?? 0
  const hue = ((byte(0) << 8) | byte(1)) % 360
  const spread = 30 + (byte(2) % 50)
  const saturation = 55 + (byte(3) % 20)
  const lightness = 42 + (byte(4) % 14)
  const angle = ((byte(5) / 256) * 2 * Math.PI)
  const dx = Math.cos(angle) / 2
  const dy = Math.sin(angle) / 2
  return {
    stops: [
      hslToHex(hue, saturation, lightness),
      hslToHex(hue + spread, saturation + 5, lightness + 8),
      hslToHex(hue + 2 * spread, saturation, lightness - 6),
    ],
    x1: round(0.5 - dx, 3),
    y1: round(0.5 - dy, 3),
    x2: round(0.5 + dx, 3),
    y2: round(0.5 + dy, 3),
    glowX: round(0.2 + (byte(6) / 255) * 0.6, 3),
    glowY: round(0.15 + (byte(7) / 255) * 0.4, 3),
  }
}

function buildSvg(input: {
  width: number
  height: number
  prompt: string
  transparent: boolean
  palette: Palette
}): string {
  const { width, height, palette } = input
  const [c0, c1, c2] = palette.stops
  const opacity = input.transparent ? [0.92, 0.6, 0.28] : [1, 1, 1]
  const short = Math.min(width, height)
  const margin = short * 0.08
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs>',
    `<linearGradient id="bg" x1="${palette.x1}" y1="${palette.y1}" x2="${palette.x2}" y2="${palette.y2}">`,
    `<stop offset="0" stop-color="${c0}" stop-opacity="${opacity[0]}"/>`,
    `<stop offset="0.55" stop-color="${c1}" stop-opacity="${opacity[1]}"/>`,
    `<stop offset="1" stop-color="${c2}" stop-opacity="${opacity[2]}"/>`,
    '</linearGradient>',
    `<radialGradient id="glow" cx="${palette.glowX}" cy="${palette.glowY}" r="0.6">`,
    '<stop offset="0" stop-color="#ffffff" stop-opacity="0.28"/>',
    '<stop offset="1" stop-color="#ffffff" stop-opacity="0"/>',
    '</radialGradient>',
    '</defs>',
    '<rect width="100%" height="100%" fill="url(#bg)"/>',
    '<rect width="100%" height="100%" fill="url(#glow)"/>',
  ]

  const captionPx = round(Math.max(short * 0.03, Math.min(width, 1600) * 0.012), 2)
  const label = `${CAPTION} \u00b7 ${width}\u00d7${height}`
  // Skipped where it would be unreadable (tiny images) or would cover a thin strip.
  const captionFits = captionPx >= 6 && captionPx * 2.2 <= height / 4
  const caption = captionFits ? fitCaption(label, width - margin * 1.2, captionPx) : null
  const captionBand = caption === null ? 0 : captionPx * 2.2

  const block = layoutPrompt(input.prompt, {
    width: width - 2 * margin,
    height: height - 2 * margin - captionBand,
    basePx: short * 0.075,
  })
  if (block !== null) {
    const top = margin + (height - 2 * margin - captionBand - block.lines.length * block.lineHeight) / 2
    const cx = round(width / 2, 2)
    // A second, offset copy in dark makes white text readable on light hues without a blur filter,
    // which would be slow at 4096 px.
    const shadow = round(Math.max(1, block.fontPx * 0.06), 2)
    const layers = [
      { fill: '#000000', opacity: 0.35, offset: shadow },
      { fill: '#ffffff', opacity: 1, offset: 0 },
    ]
    for (const { fill, opacity: fillOpacity, offset } of layers) {
      parts.push(
        `<text font-family="${FONT_FAMILY}" font-size="${block.fontPx}" fill="${fill}" ` +
          `fill-opacity="${fillOpacity}" text-anchor="middle">`,
      )
      block.lines.forEach((line, i) => {
        const baseline = round(top + block.lineHeight * i + block.fontPx * 0.95 + offset, 2)
        parts.push(`<tspan x="${round(cx + offset, 2)}" y="${baseline}">${escapeXml(line)}</tspan>`)
      })
      parts.push('</text>')
    }
  }

  if (caption !== null) {
    parts.push(
      `<text x="${round(width - margin * 0.6, 2)}" y="${round(height - margin * 0.6, 2)}" ` +
        `font-family="${FONT_FAMILY}" font-size="${captionPx}" fill="#ffffff" fill-opacity="0.8" ` +
        `text-anchor="end">${escapeXml(caption)}</text>`,
    )
  }
  parts.push('</svg>')
  return parts.join('')
}

/** The caption with its size if it fits, else the bare caption, else nothing (tiny images). */
function fitCaption(label: string, room: number, px: number): string | null {
  for (const text of [label, CAPTION]) if (textEm(text) * px <= room) return text
  return null
}

interface TextBlock {
  lines: string[]
  fontPx: number
  lineHeight: number
}

/** Wraps the prompt into the box at the largest scale that fits; cuts with an ellipsis otherwise. */
function layoutPrompt(
  prompt: string,
  box: { width: number; height: number; basePx: number },
): TextBlock | null {
  const text = cleanText(prompt)
  if (text === '') return null
  let fallback: TextBlock | null = null
  for (const scale of FONT_SCALES) {
    const fontPx = round(box.basePx * scale, 2)
    const lineHeight = fontPx * LINE_HEIGHT
    const maxLines = Math.floor(box.height / lineHeight)
    if (fontPx < MIN_TEXT_PX || maxLines < 1) break
    const maxEm = box.width / fontPx
    const wrapped = wrapText(text, maxEm, maxLines)
    if (!wrapped.cut) return { lines: wrapped.lines, fontPx, lineHeight }
    fallback = { lines: withEllipsis(wrapped.lines, maxEm), fontPx, lineHeight }
  }
  return fallback
}

/**
 * Greedy word wrap by estimated width in em. Stops as soon as the box is full, so a 32,000
 * character prompt costs no more than one that just overflows.
 */
function wrapText(text: string, maxEm: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = []
  let line = ''
  let lineEm = 0
  const spaceEm = charEm(' ')
  const pushLine = (): boolean => {
    lines.push(line)
    line = ''
    lineEm = 0
    return lines.length >= maxLines
  }

  const words = text.split(' ')
  for (let w = 0; w < words.length; w++) {
    const word = words[w] ?? ''
    const wordEm = textEm(word)
    if (line !== '' && lineEm + spaceEm + wordEm <= maxEm) {
      line += ' ' + word
      lineEm += spaceEm + wordEm
      continue
    }
    if (line !== '' && pushLine()) return { lines, cut: true }
    if (wordEm <= maxEm) {
      line = word
      lineEm = wordEm
      continue
    }
    // A word wider than the line (a URL, a long CJK run) is broken between graphemes.
    for (const g of graphemes(word)) {
      const gEm = charEm(g)
      if (line !== '' && lineEm + gEm > maxEm && pushLine()) return { lines, cut: true }
      line += g
      lineEm += gEm
    }
  }
  if (line !== '') lines.push(line)
  return { lines, cut: false }
}

function withEllipsis(lines: string[], maxEm: number): string[] {
  const kept = lines.slice()
  const last = graphemes(kept.pop() ?? '')
  const ellipsisEm = charEm(ELLIPSIS)
  let lastEm = last.reduce((sum, g) => sum + charEm(g), 0)
  while (last.length > 0 && lastEm + ellipsisEm > maxEm) lastEm -= charEm(last.pop() ?? '')
  kept.push(last.join('').trimEnd() + ELLIPSIS)
  return kept
}

// Made at the first drawing, not when the module loads: the first Intl object sets up ICU (about
// 10 ms), which commands that never draw (`providers`, `queue`) should not pay at start-up.
let segmenter: Intl.Segmenter | null = null

function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  return Array.from(segmenter.segment(text), (s) => s.segment)
}

function textEm(text: string): number {
  let em = 0
  for (const g of graphemes(text)) em += charEm(g)
  return em
}

/**
 * Estimated advance of one grapheme in em for DejaVu Sans, rounded up so estimates overflow
 * rarely; wide (CJK, emoji) scripts take a full em.
 */
function charEm(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0
  if (cp === 0x20) return 0.32
  if (cp < 0x80) {
    if (/[.,:;!'|ijlIft()[\]]/.test(grapheme)) return 0.4
    if (/[A-Z0-9mwMW@%&#]/.test(grapheme)) return 0.78
    return 0.62
  }
  if (isWide(cp)) return 1.05
  return 0.7
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
}

/**
 * One line of plain text that XML 1.0 can carry: whitespace collapsed (we wrap it ourselves),
 * control characters dropped, lone surrogates replaced, since any of them would make librsvg
 * reject the whole document.
 */
function cleanText(text: string): string {
  let out = ''
  // for...of walks code points, so a lone surrogate arrives on its own and can be replaced.
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'
    else if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' '
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfffe || cp === 0xffff) continue
    else out += ch
  }
  return out.replace(/\s+/g, ' ').trim()
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const h = ((hue % 360) + 360) % 360
  const s = Math.min(100, Math.max(0, saturation)) / 100
  const l = Math.min(100, Math.max(0, lightness)) / 100
  const k = (n: number): number => (n + h / 30) % 12
  const a = s * Math.min(l, 1 - l)
  const channel = (n: number): string => {
    const value = l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${channel(0)}${channel(8)}${channel(4)}`
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
