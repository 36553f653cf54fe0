import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// Runs the repository's real eslint.config.js on snippets placed at paths inside each layer, to
// prove the layering (core < doors, store < services, shared and renderer on their own) fails lint
// when an import runs the wrong way, and lets the allowed imports through.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) })

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'proofsheet/layer-imports').map((m) => m.message)
}

const importing = (specifier: string, typeOnly = false): string =>
  typeOnly ? `import type { X } from '${specifier}'\nexport type Y = X\n` : `import { x } from '${specifier}'\nexport const y = x\n`

describe('layers (eslint)', () => {
  it('keeps the engine off the CLI, browser mode, the renderer, the preload and the Electron shell', async () => {
    const cases: Array<[string, string]> = [
      ['src/main/core/x.ts', '../../cli/context'],
      ['src/main/core/queue/x.ts', '../../../web/bridge-server'],
      ['src/main/core/gallery/x.ts', '../../../renderer/src/gallery/gallery-store'],
      ['src/main/core/x.ts', '../../preload/index'],
      ['src/main/core/media/x.ts', '../../electron/media-url'],
      ['src/main/core/x.ts', '../index'],
    ]
    for (const [file, specifier] of cases) {
      const errors = await layerErrors(file, importing(specifier))
      expect(errors, `${file} → ${specifier}`).toHaveLength(1)
      expect(errors[0]).toContain('The engine (src/main/core) may import only src/shared, src/main/core')
    }
    // Nothing inside the engine imports its door or its wiring; the door itself may.
    const upward: Array<[string, string]> = [
      ['src/main/core/gallery/x.ts', '../engine'],
      ['src/main/core/x.ts', './index'],
      ['src/main/core/queue/x.ts', '..'],
    ]
    for (const [file, specifier] of upward) {
      const errors = await layerErrors(file, importing(specifier))
      expect(errors, `${file} → ${specifier}`).toHaveLength(1)
      expect(errors[0]).toContain('which sits above it')
    }
    expect(await layerErrors('src/main/core/index.ts', "export { createEngine } from './engine'\n")).toEqual([])
    expect(await layerErrors('src/main/core/gallery/x.ts', importing('../store/store'))).toEqual([])
    // A type is a dependency too: the engine must compile without the doors.
    expect(await layerErrors('src/main/core/x.ts', importing('../../cli/cli-error', true))).toHaveLength(1)
  })

  it('keeps the store below the services, at any depth inside it', async () => {
    const cases: Array<[string, string, string]> = [
      ['src/main/core/store/keys-repo.ts', '../secrets/key-vault', 'src/main/core/secrets/key-vault'],
      ['src/main/core/store/x.ts', '../queue/scheduler', 'src/main/core/queue/scheduler'],
      ['src/main/core/store/migrations/0099-x.ts', '../../providers/builtin-profiles', 'src/main/core/providers/builtin-profiles'],
      ['src/main/core/store/x.ts', '../engine', 'src/main/core/engine'],
    ]
    for (const [file, specifier, target] of cases) {
      for (const typeOnly of [false, true]) {
        const errors = await layerErrors(file, importing(specifier, typeOnly))
        expect(errors, `${file} → ${specifier}`).toHaveLength(1)
        expect(errors[0]).toContain(`'${specifier}' is ${target}`)
        expect(errors[0]).toContain('The store sits below the services')
      }
    }
  })

  it('lets the store import itself, the file primitives and shared code', async () => {
    const cases: Array<[string, string]> = [
      ['src/main/core/store/x.ts', './records'],
      ['src/main/core/store/migrations/0099-x.ts', '../records'],
      ['src/main/core/store/migrations/0099-x.ts', './types'],
      ['src/main/core/store/x.ts', '../files/storage-check'],
      ['src/main/core/store/x.ts', '../../../shared/api'],
      ['src/main/core/store/migrations/0099-x.ts', '../../../../shared/api/keys'],
    ]
    for (const [file, specifier] of cases) expect(await layerErrors(file, importing(specifier)), `${file} → ${specifier}`).toEqual([])
  })

  it('keeps the file primitives below the store', async () => {
    expect(await layerErrors('src/main/core/files/x.ts', importing('../store/database'))).toHaveLength(1)
    expect(await layerErrors('src/main/core/files/x.ts', importing('./process-alive'))).toEqual([])
  })

  it('lets the doors reach the engine only through src/main/core/index.ts', async () => {
    const deep: Array<[string, string]> = [
      ['src/main/electron/x.ts', '../core/media/library-path'],
      ['src/main/electron/x.ts', '../core/engine'],
      ['src/main/index.ts', './core/home'],
      ['src/web/x.ts', '../main/core/raw-input'],
      ['src/cli/x.ts', '../main/core/files/storage-check'],
      ['src/cli/commands/x.ts', '../../main/core/templates/template-file'],
    ]
    for (const [file, specifier] of deep) {
      for (const typeOnly of [false, true]) {
        const errors = await layerErrors(file, importing(specifier, typeOnly))
        expect(errors, `${file} → ${specifier}`).toHaveLength(1)
        expect(errors[0]).toContain('only through its public entry, src/main/core/index.ts')
      }
    }
    const door: Array<[string, string]> = [
      ['src/main/electron/x.ts', '../core'],
      ['src/main/electron/x.ts', '../core/index'],
      ['src/main/index.ts', './core'],
      ['src/main/index.ts', './electron/window'],
      ['src/web/x.ts', '../main/core'],
      ['src/cli/commands/x.ts', '../../main/core/index.ts'],
      ['src/cli/x.ts', '../shared/api'],
    ]
    for (const [file, specifier] of door) expect(await layerErrors(file, importing(specifier)), `${file} → ${specifier}`).toEqual([])
  })

  it('keeps the doors apart from each other', async () => {
    expect(await layerErrors('src/cli/x.ts', importing('../web/bridge-server'))).toHaveLength(1)
    expect(await layerErrors('src/web/x.ts', importing('../cli/context'))).toHaveLength(1)
    expect(await layerErrors('src/main/electron/x.ts', importing('../../cli/output'))).toHaveLength(1)
  })

  it('keeps shared code to itself', async () => {
    for (const specifier of ['../../main/core/clock', '../../renderer/src/ui/format/money', '../../cli/output']) {
      const errors = await layerErrors('src/shared/api/x.ts', importing(specifier, true))
      expect(errors, specifier).toHaveLength(1)
      expect(errors[0]).toContain('Shared code (src/shared) may import only src/shared')
    }
    expect(await layerErrors('src/shared/api/x.ts', importing('../gallery/generation-group'))).toEqual([])
  })

  it('lets the renderer import only itself and shared code', async () => {
    for (const specifier of ['../../../main/core/engine', '../../../preload/index', '../../../web/bridge-guard', '../../../cli/output']) {
      expect(await layerErrors('src/renderer/src/gallery/x.tsx', importing(specifier, true)), specifier).toHaveLength(1)
    }
    for (const specifier of ['../../../shared/api', '../ui/format/money', './gallery-store']) {
      expect(await layerErrors('src/renderer/src/gallery/x.tsx', importing(specifier)), specifier).toEqual([])
    }
  })

  it('leaves package imports to the process boundaries', async () => {
    expect(await layerErrors('src/main/core/store/x.ts', importing('better-sqlite3'))).toEqual([])
    expect(await layerErrors('src/shared/api/x.ts', importing('zod'))).toEqual([])
  })
})

async function doorWordErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'proofsheet/no-door-words').map((m) => m.message)
}

describe('words (eslint)', () => {
  it('refuses a flag, a command or a control of the app in engine and contract text', async () => {
    const cases: Array<[string, string, string]> = [
      ['src/main/core/queue/x.ts', "export const fix = 'Pass --key with one of: a, b.'", 'a command-line flag'],
      ['src/main/core/x.ts', 'export const fix = (id: string) => `Retry it, or run "proofsheet retry ${id}".`', 'a command of the CLI'],
      ['src/main/core/store/x.ts', "export const fix = 'Free some space, then press Resume all.'", 'a control of the app'],
      ['src/shared/api/x.ts', "export const fix = 'Enter the key again under Settings → Keys.'", 'a control of the app'],
      ['src/main/core/spend/x.ts', 'export const fix = `Raise the budget in Spend, or wait.`', 'a control of the app'],
    ]
    for (const [file, code, what] of cases) {
      const errors = await doorWordErrors(file, code)
      expect(errors, code).toHaveLength(1)
      expect(errors[0]).toContain(`is ${what}: the engine serves every door`)
    }
  })

  it('lets the engine speak plainly, and the doors name their own controls', async () => {
    const plain = "export const fix = 'Free some space on that disk, then try again; a retry buys the image again.'"
    expect(await doorWordErrors('src/main/core/files/x.ts', plain)).toEqual([])
    // A multipart boundary and a SQL comment are not flags.
    expect(await doorWordErrors('src/main/core/x.ts', 'export const body = (b: string) => `--${b}\\r\\n-- a comment`')).toEqual([])
    expect(await doorWordErrors('src/cli/x.ts', "export const fix = 'Pass --key with one of: a, b.'")).toEqual([])
    expect(await doorWordErrors('src/renderer/src/queue/x.ts', "export const fix = 'Free some space, then press Resume all.'")).toEqual([])
  })
})
