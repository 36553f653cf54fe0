import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// Runs the repository's real eslint.config.js on snippets placed at fake paths, to prove the
// process boundaries are enforced where the design says they are.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../../..', import.meta.url)) })

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message)
}

describe('process boundaries (eslint)', () => {
  it('refuses electron in the engine, and says why', async () => {
    const errors = await boundaryErrors('src/main/core/x.ts', "import { app } from 'electron'\nexport const a = app\n")
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('the engine runs under plain Node')
  })

  it('refuses even a type-only electron import in the engine, the CLI and browser mode', async () => {
    for (const file of ['src/main/core/queue/x.ts', 'src/cli/x.ts', 'src/web/x.ts']) {
      expect(await boundaryErrors(file, "import type { App } from 'electron'\nexport type A = App\n"), file).toHaveLength(1)
    }
  })

  it('refuses the engine reaching into the Electron-only folder', async () => {
    expect(await boundaryErrors('src/main/core/media/x.ts', "export { x } from '../../electron/window'\n")).toHaveLength(1)
  })

  it('refuses node builtins in the renderer, prefixed or bare', async () => {
    for (const source of ['node:fs', 'fs', 'fs/promises', 'path', 'child_process', 'os', 'crypto']) {
      const errors = await boundaryErrors('src/renderer/src/x.tsx', `import m from '${source}'\nexport const a = m\n`)
      expect(errors, source).toHaveLength(1)
    }
  })

  it('refuses Node globals in the renderer, which TypeScript alone would let through', async () => {
    const [result] = await eslint.lintText('export const mode = process.env.NODE_ENV\n', { filePath: 'src/renderer/src/x.ts' })
    expect(result?.messages.map((m) => m.ruleId)).toEqual(['no-restricted-globals'])
  })

  it('refuses electron and src/main in the renderer', async () => {
    expect(await boundaryErrors('src/renderer/src/x.tsx', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n")).toHaveLength(1)
    expect(await boundaryErrors('src/renderer/src/views/x.tsx', "import { createEngine } from '../../../main/core/engine'\nexport const a = createEngine\n")).toHaveLength(1)
  })

  it('refuses node and electron in shared code', async () => {
    expect(await boundaryErrors('src/shared/api/x.ts', "import { join } from 'node:path'\nexport const a = join\n")).toHaveLength(1)
    expect(await boundaryErrors('src/shared/api/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toHaveLength(1)
  })

  it('lets the preload import electron and types only', async () => {
    const ok = "import { ipcRenderer } from 'electron'\nimport type { Result } from '../shared/api/errors'\nexport type R = Result<unknown>\nexport const a = ipcRenderer\n"
    expect(await boundaryErrors('src/preload/x.ts', ok)).toEqual([])
    const runtime = await boundaryErrors('src/preload/x.ts', "import { api } from '../shared/api/contract'\nexport const a = api\n")
    expect(runtime).toHaveLength(1)
    expect(runtime[0]).toContain('sandboxed preload')
  })

  it('passes legitimate imports', async () => {
    const cases: Array<[string, string]> = [
      ['src/renderer/src/x.tsx', "import { createApiClient } from '../../shared/api'\nimport { create } from 'zustand'\nexport const a = [createApiClient, create]\n"],
      ['src/main/core/x.ts', "import { readFile } from 'node:fs/promises'\nimport { z } from 'zod'\nexport const a = [readFile, z]\n"],
      ['src/main/electron/x.ts', "import { app } from 'electron'\nimport { createEngine } from '../core'\nexport const a = [app, createEngine]\n"],
      ['src/shared/api/x.ts', "import { z } from 'zod'\nexport const a = z\n"],
    ]
    for (const [file, code] of cases) {
      const [result] = await eslint.lintText(code, { filePath: file })
      expect(result?.messages, file).toEqual([])
    }
  })
})
