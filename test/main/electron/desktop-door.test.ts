import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createDesktopDoor } from '../../../src/main/electron/desktop-door'
import { sampleImage } from '../media/sample-images'
import { tempDir } from '../../helpers/temp-dir'

// A real library folder with real images; Electron's shell, clipboard and WebContents are
// stood in for by recorders with the same method shapes.
class RecordedItem {
  constructor(readonly items: Record<string, Blob>) {}
}

async function setup() {
  const home = tempDir('proofsheet-desktop-')
  mkdirSync(join(home, 'images', '2026', '01'), { recursive: true })
  mkdirSync(join(home, 'thumbs', '2026', '01'), { recursive: true })
  writeFileSync(join(home, 'images', '2026', '01', 'a.webp'), await sampleImage('webp', 120, 80))
  writeFileSync(join(home, 'thumbs', '2026', '01', 'a.webp'), await sampleImage('webp', 12, 8))
  writeFileSync(join(home, 'secret.txt'), 'not an image')
  const revealed: string[] = []
  const written: RecordedItem[][] = []
  const door = createDesktopDoor({
    home,
    shell: { showItemInFolder: (path) => void revealed.push(path) },
    clipboard: { write: async (items) => void written.push(items as unknown as RecordedItem[]) },
    ClipboardItem: RecordedItem as never,
    dragIcon: '/app/resources/icon.png',
  })
  const drags: { file: string; icon: string }[] = []
  const sender = { id: 1, startDrag: (item: { file: string; icon: string }) => void drags.push(item) }
  return { home, door, revealed, written, drags, sender }
}

describe('desktop door', () => {
  it('copies an image to the clipboard as PNG, whatever its file format', async () => {
    const { door, written, sender } = await setup()
    expect(await door.run('copyImage', 'images/2026/01/a.webp', sender)).toEqual({ ok: true })
    const blob = written[0]![0]!.items['image/png']!
    expect(blob.type).toBe('image/png')
    const meta = await sharp(Buffer.from(await blob.arrayBuffer())).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 120, height: 80 })
  })

  it('reveals and drags the real file, with the app icon under the pointer', async () => {
    const { home, door, revealed, drags, sender } = await setup()
    expect(await door.run('revealInFolder', 'images/2026/01/a.webp', sender)).toEqual({ ok: true })
    expect(await door.run('startDrag', 'images/2026/01/a.webp', sender)).toEqual({ ok: true })
    const real = join(home, 'images', '2026', '01', 'a.webp')
    expect(revealed).toEqual([expect.stringMatching(/a\.webp$/)])
    expect(drags).toEqual([{ file: revealed[0], icon: '/app/resources/icon.png' }])
    expect(revealed[0]!.endsWith(real.slice(real.indexOf('images')))).toBe(true)
  })

  it.each(['../secret.txt', 'images/../secret.txt', 'thumbs/2026/01/a.webp', 'images/2026/01/missing.png', '/etc/passwd', ''])(
    'refuses %j without touching shell or clipboard',
    async (rel) => {
      const { door, revealed, written, drags, sender } = await setup()
      for (const action of ['copyImage', 'revealInFolder', 'startDrag'] as const) {
        expect(await door.run(action, rel, sender)).toEqual({ ok: false, message: 'That image is not in the library (any more).' })
      }
      expect([revealed, written, drags]).toEqual([[], [], []])
    },
  )
})
