/**
 * A fix that names a door's controls travels as a remedy (a code with parameters) and each door
 * words it: the CLI with its flags and commands, the app with its controls, and everyone else
 * (stored job errors, batch previews) with neutral words that pass the engine's own lint. The
 * app's words are tested beside the renderer (test/renderer/remedy-words.test.ts).
 */
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ApiError, ApiErrorSchema, neutralFix, Remedy, type RemedyCode } from '../../../src/shared/api'
import { cliFix, cliJobFix, cliRemedy } from '../../../src/cli/remedy-words'

/** One of each: a new code fails to typecheck here until it has a sample, and so a test. */
const SAMPLES: { [C in RemedyCode]: Extract<Remedy, { code: C }> } = {
  add_key: { code: 'add_key', provider: 'openai' },
  choose_key: { code: 'choose_key', provider: 'openai', labels: ['studio', 'backup'] },
  key_for_host: { code: 'key_for_host', provider: 'openai', host: '127.0.0.1:9443', perJob: true },
  reenter_keys: { code: 'reenter_keys', provider: 'studio-proxy', labels: ['proxy key'] },
  key_apart_from_url: { code: 'key_apart_from_url' },
  set_key_env: { code: 'set_key_env', env: 'STUDIO_KEY' },
  size_kind: { code: 'size_kind', takes: 'aspect', examples: ['1K: 1:1 16:9', '2K: 1:1'] },
  stored_reference: { code: 'stored_reference', field: 'refs' },
  library: { code: 'library', problem: 'disk_full', then: 'resume' },
  known_id: { code: 'known_id', of: 'batch' },
  templates_file: { code: 'templates_file' },
  keychain_needed: { code: 'keychain_needed', provider: 'openai' },
  correct_field: { code: 'correct_field', field: 'sizes.0.width' },
}
const remedies = Object.values(SAMPLES) as Remedy[]

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../../..', import.meta.url)) })
async function doorWordsIn(text: string): Promise<string[]> {
  const [result] = await eslint.lintText(`export const fix = ${JSON.stringify(text)}\n`, { filePath: 'src/main/core/x.ts' })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'proofsheet/no-door-words').map((m) => m.message)
}

const CLI_WORDS = /--[a-z]|"proofsheet [a-z]/
const APP_CONTROLS = /Settings →|press [A-Z]|Reference images|API key menu|the Queue/

describe('remedies', () => {
  it('are each worded neutrally in words the engine may use, and cross every door as data', async () => {
    for (const remedy of remedies) {
      expect(Remedy.parse(remedy)).toEqual(remedy)
      const neutral = neutralFix(remedy)
      expect(await doorWordsIn(neutral), `${remedy.code}: ${neutral}`).toEqual([])
      const error = new ApiError('bad_input', 'Refused.', { field: 'x', remedy })
      // The plain words fill `fix`, so a door that knows no remedy still shows a fix.
      expect(error.toJSON()).toEqual({ code: 'bad_input', message: 'Refused.', field: 'x', fix: neutral, remedy })
      expect(ApiError.from(ApiErrorSchema.parse(JSON.parse(JSON.stringify(error.toJSON()))))).toMatchObject({ fix: neutral, remedy })
    }
  })

  it('are worded by the CLI with its flags or commands, never the app\'s controls', () => {
    for (const remedy of remedies) {
      const words = cliRemedy(remedy)
      expect(words, remedy.code).toMatch(CLI_WORDS)
      expect(words, remedy.code).not.toMatch(APP_CONTROLS)
    }
    expect(cliRemedy(SAMPLES.choose_key)).toBe('Pass --key with one of: "studio" and "backup".')
    expect(cliRemedy(SAMPLES.library)).toBe('Free some space on that disk, then run "proofsheet run" again; or choose another library folder with --home.')
    // A damaged library is restored, not resumed.
    expect(cliRemedy({ code: 'library', problem: 'damaged', then: 'resume' })).not.toMatch(/proofsheet run/)
  })

  it('leave a plain fix as it is at every door', () => {
    const plain = new ApiError('bad_input', 'The prompt is too long.', { field: 'prompt', fix: 'Shorten the prompt.' })
    expect(plain.remedy).toBeUndefined()
    expect(cliFix(plain)).toBe('Shorten the prompt.')
  })

  it('leave the retry of a failed, possibly billed job to the CLI, which names its command', () => {
    const interrupted = { id: 'job_7', error: { kind: 'interrupted' as const, code: null, message: 'Proofsheet stopped…' } }
    expect(cliJobFix(interrupted)).toContain('"proofsheet retry job_7"')
    const full = { id: 'job_8', error: { kind: 'internal' as const, code: 'disk_full', message: 'The provider returned 1 image(s)…' } }
    expect(cliJobFix(full)).toMatch(/^Free some space on that disk, then run "proofsheet run" again.*"proofsheet retry job_8" sends this job again only if you still want it/)
    expect(cliJobFix({ id: 'job_9', error: { kind: 'content_policy', code: null, message: 'Refused.' } })).toBeNull()
    expect(cliJobFix({ id: 'job_10', error: null })).toBeNull()
  })
})
