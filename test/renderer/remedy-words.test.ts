/**
 * The app words every engine remedy with its own controls and never with the CLI's flags or
 * commands (the CLI's words and the neutral ones: test/main/errors/remedy-words.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiError, Remedy } from '../../src/shared/api'
import { appFix, appRemedy, libraryFix, noticeText } from '../../src/renderer/src/ui/format/remedy-words'

/** A value of each field's type: built from the schema, so a new remedy code is covered as it is added. */
function sampleOf(field: z.ZodType): unknown {
  if (field instanceof z.ZodOptional) return sampleOf(field.unwrap() as z.ZodType)
  if (field instanceof z.ZodLiteral) return field.value
  if (field instanceof z.ZodEnum) return field.options[0]
  if (field instanceof z.ZodArray) return ['studio', 'backup']
  if (field instanceof z.ZodBoolean) return true
  if (field instanceof z.ZodString) return 'sample'
  throw new Error('A remedy field of a new type: teach sampleOf to fill it.')
}

const remedies: Remedy[] = Remedy.options.map((option) => Remedy.parse(Object.fromEntries(Object.entries(option.shape).map(([key, field]) => [key, sampleOf(field as z.ZodType)]))))

describe("the app's words for a remedy", () => {
  it('cover every code without a flag or a command of the CLI', () => {
    expect(new Set(remedies.map((r) => r.code)).size).toBe(Remedy.options.length)
    for (const remedy of remedies) {
      const words = appRemedy(remedy)
      expect(words, remedy.code).toMatch(/\.$/)
      expect(words, remedy.code).not.toMatch(/--[a-z]|proofsheet [a-z]/)
    }
  })

  it('name the controls a designer has', () => {
    expect(appRemedy({ code: 'add_key', provider: 'openai' })).toBe('Add a key for it under Settings → Keys.')
    expect(appRemedy({ code: 'choose_key', provider: 'openai', labels: ['studio', 'backup'] })).toBe('Choose one of its keys in the API key menu: "studio" and "backup".')
    expect(libraryFix('disk_full')).toBe('Free some space on that disk, then press Resume all.')
    // A damaged library is restored from a backup, not resumed.
    expect(libraryFix('damaged')).not.toMatch(/Resume all/)
    expect(noticeText({ message: 'OpenAI now sends to proxy.example.com.', remedy: { code: 'reenter_keys', provider: 'openai', labels: ['studio'] } })).toBe(
      'OpenAI now sends to proxy.example.com. Enter the key again under Settings → Keys (Rotate "studio"), so it is stored for the new address.',
    )
  })

  it("show the engine's plain fix as it is, and the remedy's words over its neutral ones", () => {
    expect(appFix(new ApiError('bad_input', 'Too long.', { fix: 'Shorten the prompt.' }))).toBe('Shorten the prompt.')
    const refused = new ApiError('bad_input', 'Not stored.', { field: 'refs', remedy: { code: 'stored_reference', field: 'refs' } })
    expect(refused.fix).toBe('Add the image to the library first, or use its https link.')
    expect(appFix(refused)).toBe('Add the image under Reference images (drop, paste or pick it), or use its https link.')
  })
})
