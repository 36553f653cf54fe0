import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFolderTrash } from '../../../src/main/core/gallery/trash'
import { systemTrash } from '../../../src/main/electron/os-trash'
import { tempDir } from '../../helpers/temp-dir'

describe('the library trash folder', () => {
  it('moves files into <home>/trash and never replaces a file already there', async () => {
    const home = tempDir('proofsheet-trash-')
    const trash = createFolderTrash(home)
    expect(trash.info).toEqual({ kind: 'folder', description: expect.stringContaining(join(home, 'trash')) })
    for (const content of ['first', 'second', 'third']) {
      const file = join(home, 'a.png')
      writeFileSync(file, content)
      await trash.moveToTrash(file)
      expect(existsSync(file)).toBe(false)
    }
    expect(readFileSync(join(home, 'trash', 'a.png'), 'utf8')).toBe('first')
    expect(readFileSync(join(home, 'trash', 'a-2.png'), 'utf8')).toBe('second')
    expect(readFileSync(join(home, 'trash', 'a-3.png'), 'utf8')).toBe('third')
  })

  it('fails loudly when the file cannot be moved', async () => {
    const home = tempDir('proofsheet-trash-')
    await expect(createFolderTrash(home).moveToTrash(join(home, 'missing.png'))).rejects.toThrow(/ENOENT/)
  })
})

describe('the system trash (Electron shell)', () => {
  it('hands the path to shell.trashItem and names the trash the way the OS does', async () => {
    const moved: string[] = []
    const shell = { trashItem: async (path: string) => void moved.push(path) }
    await systemTrash(shell, 'linux').moveToTrash('/library/images/2026/01/a.png')
    expect(moved).toEqual(['/library/images/2026/01/a.png'])
    expect(systemTrash(shell, 'darwin').info).toEqual({ kind: 'system', description: 'the system Trash' })
    expect(systemTrash(shell, 'win32').info.description).toBe('the Recycle Bin')
  })
})
