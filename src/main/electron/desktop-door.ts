/**
 * What the desktop app does that a web page cannot: put an image on the OS clipboard, show its
 * file in the file manager, and drag the file itself into another program. The renderer names a
 * library-relative path; only a file resolveLibraryFile vouches for (inside images/ of this
 * library) is ever touched. Electron's modules are passed in, so this runs and is tested under Node.
 */
import type { Clipboard, ClipboardItem, Shell } from 'electron'
import sharp from 'sharp'
import type { DesktopAction, DesktopResult } from '../../shared/api/desktop'
import { resolveLibraryFile } from '../core'
import type { DesktopDoor } from './ipc-adapter'
import type { InvokeEventLike } from './sender-check'

export interface DesktopDoorDeps {
  readonly home: string
  readonly shell: Pick<Shell, 'showItemInFolder'>
  readonly clipboard: Pick<Clipboard, 'write'>
  readonly ClipboardItem: new (items: Record<string, Blob>) => ClipboardItem
  /** A small PNG shown under the pointer while dragging (macOS requires one). */
  readonly dragIcon: string
  readonly resolveFile?: (home: string, rel: string) => Promise<string | null>
}

export function createDesktopDoor(deps: DesktopDoorDeps): DesktopDoor {
  const resolveFile = deps.resolveFile ?? resolveLibraryFile
  const actions: Record<DesktopAction, (file: string, sender: InvokeEventLike['sender']) => Promise<DesktopResult> | DesktopResult> = {
    async copyImage(file) {
      // PNG is the one image type every program pastes; JPEG and WebP files are converted.
      const png = await sharp(file).png().toBuffer()
      await deps.clipboard.write([new deps.ClipboardItem({ 'image/png': new Blob([new Uint8Array(png)], { type: 'image/png' }) })])
      return { ok: true }
    },
    revealInFolder(file) {
      deps.shell.showItemInFolder(file)
      return { ok: true }
    },
    startDrag(file, sender) {
      if (!sender.startDrag) return { ok: false, message: 'This window cannot start a drag.' }
      sender.startDrag({ file, icon: deps.dragIcon })
      return { ok: true }
    },
  }
  return {
    async run(action, relPath, sender) {
      // Only full images: thumbnails are ours, not something to hand to another program.
      const file = relPath.startsWith('images/') ? await resolveFile(deps.home, relPath) : null
      if (file === null) return { ok: false, message: 'That image is not in the library (any more).' }
      return actions[action](file, sender)
    },
  }
}
