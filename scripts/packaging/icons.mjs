// The app's icons for the installers, made from resources/icon.svg: a PNG set (Linux, and the
// sizes inside the others), icon.ico (Windows) and icon.icns (macOS). We write the two container
// formats ourselves (a header, a table, PNG entries) so the build needs no converter of
// electron-builder's or the OS's. Written to build/icons/ (electron-builder's build resources).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
export const ICON_SOURCE = join(ROOT, 'resources/icon.svg')
export const ICONS_DIR = join(ROOT, 'build/icons')
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
/** Windows Explorer picks from these; 256 is the largest it shows, stored as PNG (Vista on). */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** Apple's PNG-bearing icon types: the OSType and the pixel size it holds. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic13', 512], // 256@2x
  ['ic14', 1024], // 512@2x
]

/** ICO: ICONDIR (reserved, type 1, count), one 16-byte entry per image, then the PNGs. */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, at) // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt8(0, at + 2) // no palette
    header.writeUInt8(0, at + 3)
    header.writeUInt16LE(1, at + 4) // colour planes
    header.writeUInt16LE(32, at + 6) // bits per pixel
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map(({ png }) => png)])
}

/** ICNS: 'icns' and the file length (big-endian), then entries of OSType, entry length, PNG. */
export function icnsFromPngs(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(8 + png.length, 4)
    return Buffer.concat([head, png])
  })
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + body.length, 4)
  return Buffer.concat([head, body])
}

function writeAtomically(path, data) {
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, data)
  renameSync(temp, path)
}

export async function makeIcons(outDir = ICONS_DIR) {
  const { default: sharp } = await import('sharp')
  const svg = readFileSync(ICON_SOURCE)
  const png = new Map()
  for (const size of PNG_SIZES) {
    // Rendered from the vector (512 units wide) at twice the size or more, then scaled down: the
    // large sizes stay sharp (1024 is not a 512 bitmap blown up) and the small ones anti-aliased.
    const density = Math.max(72, ((72 * size) / 512) * 2)
    png.set(size, await sharp(svg, { density }).resize(size, size).png().toBuffer())
  }
  mkdirSync(join(outDir, 'png'), { recursive: true })
  // Linux (electron-builder's icon folder): files named by their size.
  for (const size of PNG_SIZES) writeAtomically(join(outDir, 'png', `${size}x${size}.png`), png.get(size))
  writeAtomically(join(outDir, 'icon.png'), png.get(512))
  writeAtomically(join(outDir, 'icon.ico'), icoFromPngs(ICO_SIZES.map((size) => ({ size, png: png.get(size) }))))
  writeAtomically(join(outDir, 'icon.icns'), icnsFromPngs(ICNS_TYPES.map(([type, size]) => ({ type, png: png.get(size) }))))
  return outDir
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await makeIcons()
  console.log(`icons: ${dir} (png ${PNG_SIZES.join(', ')}; icon.ico; icon.icns)`)
}
