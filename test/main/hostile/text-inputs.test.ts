/**
 * Hostile text through the router: prompts, prompt templates and template files, gallery searches
 * and export naming templates. Refusals must be clear and write nothing; what is accepted (a
 * search that is FTS syntax, a naming template with "../") must come out harmless.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ExportPreview } from '../../../src/shared/api'
import { TEMPLATE_FILE_FORMAT } from '../../../src/shared/api'
import { expectCleanRefusal, expectStillWorking, librarySnapshot, useSharedEngine, type Refusal, type Send } from '../../helpers/hostile'

const library = useSharedEngine()
const send: Send = (name, input) => library.engine.router.handle(name, input)

beforeAll(async () => {
  // One image in the gallery, so searches have something to miss and naming has something to name.
  const queued = await send('jobs.generate', { provider: 'demo', prompt: 'blue ceramic mug on oak', sizes: [{ width: 64, height: 64 }] })
  if (!queued.ok) throw new Error(JSON.stringify(queued.error))
  const [done] = await library.engine.waitForJobs((queued.value as { jobs: { id: string }[] }).jobs.map((j) => j.id))
  if (done?.status !== 'succeeded') throw new Error(`the demo job ended ${done?.status}`)
})

const generate = (prompt: string) => ({ provider: 'demo', prompt, sizes: [{ width: 64, height: 64 }] })
const file = (templates: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: TEMPLATE_FILE_FORMAT, version: 1, exportedAt: '2026-01-01T00:00:00.000Z', templates, ...extra })

interface Row {
  what: string
  name: string
  input: unknown
  want: Refusal
}

const refusals: Row[] = [
  // Prompts.
  { what: 'a 1 MB prompt', name: 'jobs.generate', input: generate('p'.repeat(1024 * 1024)), want: { field: 'prompt', says: /32,000/ } },
  { what: 'a prompt one character over the limit', name: 'jobs.generate', input: generate('p'.repeat(32_001)), want: { field: 'prompt' } },
  { what: 'a prompt with a NUL', name: 'jobs.generate', input: generate('white mug\u0000 on a desk'), want: { field: 'prompt', says: /U\+0000 at character 10/ } },
  { what: 'a prompt with a terminal escape', name: 'jobs.generate', input: generate('mug \u001b[2J'), want: { field: 'prompt', says: /U\+001B/ } },
  { what: 'a prompt of zero-width characters only', name: 'jobs.generate', input: generate('\u200b\u200c\u200d\u2060\ufeff'), want: { field: 'prompt', says: /only invisible/ } },
  { what: 'a prompt of direction marks only', name: 'jobs.generate', input: generate('\u200f\u202e\u2067\u2069'), want: { field: 'prompt', says: /only invisible/ } },
  { what: 'a prompt of spaces only', name: 'jobs.generate', input: generate(' \t\n\u00a0'), want: { field: 'prompt' } },
  // Templates typed in the editor.
  { what: 'an unclosed variable', name: 'templates.save', input: { name: 'broken', body: 'a {{product on white' }, want: { field: 'body', says: /never closed/ } },
  { what: 'an empty variable', name: 'templates.save', input: { name: 'broken', body: 'a {{ }} mug' }, want: { field: 'body' } },
  { what: 'a variable name that starts with a digit', name: 'templates.save', input: { name: 'broken', body: 'a {{1st}} mug' }, want: { field: 'body' } },
  { what: 'a variable name of 41 characters', name: 'templates.save', input: { name: 'broken', body: `a {{${'v'.repeat(41)}}}` }, want: { field: 'body' } },
  { what: 'a default for a variable the body lacks', name: 'templates.save', input: { name: 'broken', body: 'a {{product}}', defaults: { colour: 'red' } }, want: { field: 'defaults.colour' } },
  { what: 'a default of 2,001 characters', name: 'templates.save', input: { name: 'broken', body: 'a {{product}}', defaults: { product: 'd'.repeat(2001) } }, want: { field: 'defaults.product' } },
  { what: 'a body with a NUL', name: 'templates.save', input: { name: 'nul', body: '{{product}}\u0000 on white' }, want: { field: 'body', says: /body contains the control character U\+0000 at character 12/ } },
  { what: 'an imported body with an escape', name: 'templates.import', input: { json: file([{ name: 'esc', body: '{{product}} \u001b[31m' }]) }, want: { field: 'templates.0.body', says: /U\+001B/ } },
  { what: 'a 33 KB body', name: 'templates.save', input: { name: 'huge', body: 'b'.repeat(33_000) }, want: { field: 'body', says: /32,000/ } },
  { what: 'a name of 81 characters', name: 'templates.save', input: { name: 'n'.repeat(81), body: 'a {{product}}' }, want: { field: 'name' } },
  { what: 'a duplicate of a built-in name', name: 'templates.save', input: { name: 'WHITE BACKGROUND PACKSHOT', body: 'a {{product}}' }, want: { field: 'name', code: 'conflict' } },
  // Template files (Settings → Templates → Import).
  { what: 'a file that is not JSON', name: 'templates.import', input: { json: 'name,body\nmug,"a {{x}}"' }, want: { field: 'json', says: /not valid JSON/ } },
  { what: 'an empty file', name: 'templates.import', input: { json: '' }, want: { field: 'json' } },
  { what: 'a JSON array', name: 'templates.import', input: { json: '[{"name":"a","body":"b"}]' }, want: { field: 'format' } },
  { what: 'JSON null', name: 'templates.import', input: { json: 'null' }, want: { field: 'format' } },
  { what: 'JSON nested 100,000 levels deep', name: 'templates.import', input: { json: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }, want: { field: 'format' } },
  { what: 'a file from a newer version', name: 'templates.import', input: { json: file([], { version: 99 }) }, want: { field: 'version', says: /newer/ } },
  { what: 'templates that are not a list', name: 'templates.import', input: { json: file({ name: 'a', body: 'b' }) }, want: { field: 'templates' } },
  { what: 'a name that is a number', name: 'templates.import', input: { json: file([{ name: 5, body: 'b' }]) }, want: { field: 'templates.0.name' } },
  { what: 'an entry with an unknown field', name: 'templates.import', input: { json: file([{ name: 'a', body: 'b', script: 'x' }]) }, want: { field: 'templates.0.script' } },
  { what: 'an entry with an unclosed variable', name: 'templates.import', input: { json: file([{ name: 'ok', body: 'fine' }, { name: 'bad', body: 'a {{x' }]) }, want: { field: 'templates.1.body' } },
  { what: 'two entries with one name', name: 'templates.import', input: { json: file([{ name: 'twin', body: 'a' }, { name: 'TWIN', body: 'b' }]) }, want: { field: 'templates.1.name' } },
  { what: 'an entry with a __proto__ default', name: 'templates.import', input: { json: file([{ name: 'p', body: 'a {{product}}', defaults: JSON.parse('{"__proto__": "x"}') }]) }, want: { field: /__proto__/ } },
  { what: 'an entry with a __proto__ field', name: 'templates.import', input: { json: '{"format":"proofsheet.templates","version":1,"templates":[{"name":"p","body":"b","__proto__":{"isAdmin":true}}]}' }, want: { field: /__proto__/ } },
  { what: 'a file over 5 MB', name: 'templates.import', input: { json: ' '.repeat(5_000_001) }, want: { field: 'json', says: /5 MB/ } },
  // Gallery search: what is too long is refused; everything shorter is answered (below).
  { what: 'a search of 501 characters', name: 'gallery.list', input: { search: 's'.repeat(501) }, want: { field: 'search' } },
  // Export naming templates that cannot be filled.
  { what: 'an unknown naming field', name: 'exports.preview', input: { naming: '{sku}-{password}' }, want: { field: 'naming', says: /unknown field/ } },
  { what: 'an unclosed naming field', name: 'exports.preview', input: { naming: '{sku-{size}' }, want: { field: 'naming' } },
  { what: 'a stray closing brace', name: 'exports.preview', input: { naming: 'sku}.{ext}' }, want: { field: 'naming' } },
  { what: 'a naming template of 301 characters', name: 'exports.preview', input: { naming: 'n'.repeat(301) }, want: { field: 'naming' } },
  { what: 'an empty naming template', name: 'exports.preview', input: { naming: '   ' }, want: { field: 'naming' } },
  { what: 'an export folder given as ../', name: 'exports.start', input: { folder: '../../exports' }, want: { field: 'folder', says: /not a full path/ } },
]

describe('hostile text: refused clearly, nothing written', () => {
  it.each(refusals)('$what ($name)', async ({ name, input, want }) => {
    await expectCleanRefusal(library.home, send, name, input, want)
  })
})

describe('hostile export folders', () => {
  it.each([
    ['a file', (home: string) => join(home, 'library.sqlite'), /not a folder|is a file|exists/],
    ["the library's images folder", (home: string) => join(home, 'images', 'export'), /library/],
    ["the library's refs folder", (home: string) => join(home, 'refs'), /library/],
    ['a path through a file', (home: string) => join(home, 'library.sqlite', 'out'), /./],
  ])('refuses %s as the folder and writes nothing there or in the library', async (_what, folder, says) => {
    const path = folder(library.home)
    const existed = existsSync(path)
    await expectCleanRefusal(library.home, send, 'exports.start', { folder: path }, { field: 'folder', says })
    // Not even an empty folder is made (the file list above cannot see one).
    expect(existsSync(path)).toBe(existed)
  })
})

describe('hostile text that is fine to accept', () => {
  it('keeps right-to-left text, direction marks and joiners inside a real prompt', async () => {
    const prompt = 'כוס קפה \u200fعلى طاولة\u200e 👩\u200d🍳 mug'
    const result = await send('jobs.generate', generate(prompt))
    expect(result).toMatchObject({ ok: true, value: { jobs: [{ prompt, status: 'queued' }] } })
    await send('jobs.cancel', { id: (result as { value: { jobs: { id: string }[] } }).value.jobs[0]!.id })
  })

  it('counts a variable used twice once and keeps variables that differ in case apart', async () => {
    const result = await send('templates.save', { name: 'twice', body: '{{product}} and {{product}} and {{Product}}' })
    expect(result).toMatchObject({ ok: true, value: { variables: ['product', 'Product'] } })
  })

  const searches = ['"unbalanced', 'mug"', 'NOT', 'AND', 'OR mug', 'NOT mug', '*', 'mug*', '^mug', 'NEAR(mug', 'prompt:mug', '(', ')', '-mug', "'", '""', '\u0000', '🎨', 'مُج', ':', '{', 'a'.repeat(500), 'mug '.repeat(125)]
  it.each(searches)('answers the search %j without an error or a write', async (search) => {
    const before = librarySnapshot(library.home)
    const result = await send('gallery.list', { search })
    expect(result).toMatchObject({ ok: true, value: { images: expect.any(Array) } })
    const words = search.match(/[\p{L}\p{N}]+/gu) ?? []
    // Operators are words like any other; a search whose words are all in the prompt finds it.
    const expected = words.length > 0 && words.every((w) => 'blue ceramic mug on oak'.split(' ').some((p) => p.startsWith(w.toLowerCase()))) ? 1 : words.length === 0 ? 1 : 0
    expect((result as { value: { images: unknown[] } }).value.images).toHaveLength(expected)
    expect(librarySnapshot(library.home)).toEqual(before)
    await expectStillWorking(send)
  })

  const namings: Array<[string, RegExp]> = [
    ['../../{prompt_slug}.{ext}', /^blue-ceramic-mug-on-oak\.png$/],
    ['/etc/passwd', /^etc-passwd\.png$/],
    ['..\\..\\Windows\\System32\\{index}', /^Windows-System32-001\.png$/],
    ['CON', /^_CON\.png$/],
    ['nul.{ext}', /^_nul\.png$/],
    ['LPT1.txt', /^_LPT1\.txt\.png$/],
    ['.hidden-{index}', /^hidden-001\.png$/],
    ['{index}\u0000\u001b[2J', /^001-\[2J\.png$/],
    ['{index}-ünïcødé-画像-🎨', /^001-ünïcødé-画像-🎨\.png$/],
    ['x'.repeat(300), /^x{236}\.png$/],
  ]
  it.each(namings)('makes the naming template %j a plain file name inside the folder', async (naming, name) => {
    const result = await send('exports.preview', { folder: `${library.home}-exports`, naming })
    expect(result).toMatchObject({ ok: true })
    const [example] = (result as { value: ExportPreview }).value.examples
    expect(example).toMatch(name)
    expect(example).not.toMatch(/[/\\]/)
  })
})
