import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ApiError, TEMPLATE_FILE_FORMAT, type TemplateFields } from '../../../src/shared/api'
import { renderTemplate } from '../../../src/shared/templates/template-text'
import { Store } from '../../../src/main/core/store/store'
import { builtinTemplates, type BuiltinTemplate } from '../../../src/main/core/templates/builtin-templates'
import { BUILTINS_META_KEY, TemplateLibrary } from '../../../src/main/core/templates/template-library'
import { tempDir } from '../../helpers/temp-dir'

// The template library on a real SQLite file in a temp folder; time is a counter.

function openLibrary(file = join(tempDir('proofsheet-templates-'), 'library.sqlite'), builtins: readonly BuiltinTemplate[] = []) {
  const store = Store.open(file)
  let clock = 1_750_000_000_000
  const library = new TemplateLibrary({ store, now: () => (clock += 1000), builtins })
  return { store, library, file, close: () => store.close() }
}

/** The error a call throws, for asserting on code, field, message and fix. */
function thrown(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('expected the call to throw')
}

const mug: TemplateFields = {
  name: 'Mug packshot',
  body: 'A {{product}} in {{colour}} on white',
  defaults: { colour: 'matte black' },
  notes: 'for the shop',
}

describe('built-in templates', () => {
  it('are valid product-shot templates whose only variable without a default is the product', () => {
    expect(builtinTemplates.map((t) => t.name)).toEqual(['White background packshot', 'Lifestyle scene', 'Social cover'])
    for (const t of builtinTemplates) {
      const rendered = renderTemplate(t.body, {}, t.defaults)
      expect(rendered.errors, t.name).toEqual([])
      expect(rendered.missing, t.name).toEqual(['product'])
      expect(Object.keys(t.defaults).every((name) => rendered.variables.includes(name)), t.name).toBe(true)
      expect(t.notes.length, t.name).toBeGreaterThan(20)
    }
  })

  it('are written into a fresh library once; a deleted or renamed one does not come back', () => {
    const first = openLibrary(undefined, builtinTemplates)
    expect(first.library.seedBuiltins()).toBe(3)
    const [packshot, lifestyle] = first.library.list()
    expect(packshot).toMatchObject({ name: 'Lifestyle scene' }) // sorted by name
    expect(lifestyle).toMatchObject({ name: 'Social cover' })
    first.library.remove(packshot!.id)
    first.library.save({ ...first.library.get(lifestyle!.id), name: 'Our cover' })
    first.close()

    const again = openLibrary(first.file, builtinTemplates)
    expect(again.library.seedBuiltins()).toBe(0)
    expect(again.library.list().map((t) => t.name)).toEqual(['Our cover', 'White background packshot'])
    expect(again.store.getMeta(BUILTINS_META_KEY)).toBe('1')
    again.close()
  })

  it('of a later edition reach an existing library, without reviving deleted ones or taking a user name', () => {
    const v1 = openLibrary(undefined, builtinTemplates)
    v1.library.seedBuiltins()
    v1.library.remove(v1.library.list().find((t) => t.name === 'Social cover')!.id)
    v1.library.save({ ...mug, name: 'poster draft' })
    v1.close()

    const edition2: BuiltinTemplate[] = [
      ...builtinTemplates,
      { edition: 2, name: 'Poster draft', body: 'Poster of {{product}}', defaults: {}, notes: '' },
      { edition: 2, name: 'Flat lay', body: 'Flat lay of {{product}}', defaults: {}, notes: '' },
    ]
    const v2 = openLibrary(v1.file, edition2)
    expect(v2.library.seedBuiltins()).toBe(1)
    expect(v2.library.list().map((t) => t.name)).toEqual(['Flat lay', 'Lifestyle scene', 'poster draft', 'White background packshot'])
    expect(v2.library.list().find((t) => t.name === 'poster draft')?.body).toBe(mug.body)
    v2.close()
  })
})

describe('saving', () => {
  it('creates, lists with variables, and updates in place keeping createdAt', () => {
    const { library, close } = openLibrary()
    const created = library.save(mug)
    expect(created).toMatchObject({ ...mug, variables: ['product', 'colour'] })
    expect(created.id).toMatch(/^tpl_/)

    const updated = library.save({ id: created.id, ...mug, body: 'A {{product}} on {{surface}}', defaults: { surface: ' oak ' } })
    expect(updated).toMatchObject({ id: created.id, variables: ['product', 'surface'], defaults: { surface: 'oak' }, createdAt: created.createdAt })
    expect(updated.updatedAt).toBeGreaterThan(created.updatedAt)
    expect(library.list()).toEqual([updated])
    close()
  })

  it('keeps names unique regardless of case, but lets a template change the case of its own name', () => {
    const { library, close } = openLibrary()
    const created = library.save(mug)
    const clash = thrown(() => library.save({ ...mug, name: '  MUG PACKSHOT ' }))
    expect(clash).toMatchObject({ code: 'conflict', field: 'name', message: 'A template named "Mug packshot" already exists.' })
    expect(library.save({ ...mug, id: created.id, name: 'mug Packshot' }).name).toBe('mug Packshot')
    expect(library.list()).toHaveLength(1)
    close()
  })

  it('refuses a body with a syntax error and a default for a variable the body lacks, naming the field', () => {
    const { library, close } = openLibrary()
    const body = thrown(() => library.save({ ...mug, body: 'A {{product name}}' }))
    expect(body).toMatchObject({ code: 'bad_input', field: 'body', fix: 'Write it as {{product_name}}, or write \\{{ for literal braces.' })
    expect(body.message).toMatch(/^body: line 1, column 3: /)

    const stale = thrown(() => library.save({ ...mug, defaults: { colour: 'red', size: 'large' } }))
    expect(stale).toMatchObject({
      code: 'bad_input',
      field: 'defaults.size',
      message: 'defaults.size: there is a default for "size", but the body has no {{size}}',
      fix: 'Remove that default, or use {{size}} in the body.',
    })
    expect(library.list()).toEqual([])
    close()
  })

  it('drops blank defaults, since blank means "no default"', () => {
    const { library, close } = openLibrary()
    expect(library.save({ ...mug, defaults: { colour: '  ', product: 'mug' } }).defaults).toEqual({ product: 'mug' })
    close()
  })

  it('says which id is unknown when updating, getting or duplicating', () => {
    const { library, close } = openLibrary()
    expect(thrown(() => library.save({ ...mug, id: 'tpl_gone' }))).toMatchObject({ code: 'not_found', field: 'id' })
    expect(thrown(() => library.get('tpl_gone'))).toMatchObject({ code: 'not_found', message: 'No template with id tpl_gone.' })
    expect(thrown(() => library.duplicate('tpl_gone'))).toMatchObject({ code: 'not_found' })
    expect(library.remove('tpl_gone')).toBe(false)
    close()
  })
})

describe('duplicate and remove', () => {
  it('copies under "<name> copy", then "copy 2", or under a given name; remove deletes one', () => {
    const { library, close } = openLibrary()
    const original = library.save(mug)
    const copy = library.duplicate(original.id)
    expect(copy).toMatchObject({ name: 'Mug packshot copy', body: mug.body, defaults: mug.defaults, notes: mug.notes })
    expect(copy.id).not.toBe(original.id)
    expect(library.duplicate(original.id).name).toBe('Mug packshot copy 2')
    expect(library.duplicate(original.id, 'Mug, blue').name).toBe('Mug, blue')
    expect(thrown(() => library.duplicate(original.id, 'mug, BLUE'))).toMatchObject({ code: 'conflict', field: 'name' })

    expect(library.remove(copy.id)).toBe(true)
    expect(library.list().map((t) => t.name)).toEqual(['Mug packshot', 'Mug packshot copy 2', 'Mug, blue'])
    close()
  })

  it('keeps a copy of a long name within 80 characters', () => {
    const { library, close } = openLibrary()
    const long = library.save({ ...mug, name: 'x'.repeat(80) })
    const copy = library.duplicate(long.id)
    expect(copy.name).toBe(`${'x'.repeat(75)} copy`)
    close()
  })
})

describe('export and import', () => {
  it('round-trips every template into another library', () => {
    const a = openLibrary(undefined, builtinTemplates)
    a.library.seedBuiltins()
    a.library.save(mug)
    a.library.save({ name: 'Braces', body: 'literal \\{{ braces }} and {{x}}', defaults: {}, notes: '' })
    const exported = a.library.export()
    const file = JSON.parse(exported.json)
    expect(file).toMatchObject({ format: TEMPLATE_FILE_FORMAT, version: 1 })
    expect(exported).toEqual({ count: 5, json: exported.json, fileName: `proofsheet-templates-${file.exportedAt.slice(0, 10)}.json` })
    expect(new Date(file.exportedAt).toISOString()).toBe(file.exportedAt)
    expect(Object.keys(file.templates[0]).sort()).toEqual(['body', 'defaults', 'name', 'notes'])

    const b = openLibrary()
    const result = b.library.import(exported.json, 'refuse')
    expect(result.skipped).toEqual([])
    expect(result.imported.map((i) => [i.name, i.action])).toEqual(a.library.list().map((t) => [t.name, 'created']))
    const fields = (l: TemplateLibrary) => l.list().map(({ name, body, defaults, notes, variables }) => ({ name, body, defaults, notes, variables }))
    expect(fields(b.library)).toEqual(fields(a.library))
    a.close()
    b.close()
  })

  it('exports only the chosen templates, and names an unknown id', () => {
    const { library, close } = openLibrary()
    const one = library.save(mug)
    library.save({ ...mug, name: 'Other' })
    const exported = library.export([one.id])
    expect(JSON.parse(exported.json).templates.map((t: TemplateFields) => t.name)).toEqual(['Mug packshot'])
    expect(thrown(() => library.export([one.id, 'tpl_gone']))).toMatchObject({ code: 'not_found', field: 'ids' })
    close()
  })

  const fileWith = (templates: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ format: TEMPLATE_FILE_FORMAT, version: 1, exportedAt: '2026-01-01T00:00:00.000Z', templates, ...extra })

  it.each([
    ['not JSON', '{"format": ', 'json', /^The file is not valid JSON/],
    ['another kind of file', JSON.stringify({ hello: 1 }), 'format', /^This is not a Proofsheet templates file/],
    ['a newer version', fileWith([], { version: 2 }), 'version', /newer Proofsheet \(templates file version 2/],
    ['a missing list', JSON.stringify({ format: TEMPLATE_FILE_FORMAT, version: 1 }), 'templates', /should be a list/],
    ['an entry without a body', fileWith([mug, { name: 'Second' }]), 'templates.1.body', /^Template 2 \("Second"\): body: /],
    ['an unknown field', fileWith([{ ...mug, deafults: {} }]), 'templates.0.deafults', /^Template 1 \("Mug packshot"\): deafults: is not a field/],
    ['a default that is not text', fileWith([mug, mug, { ...mug, name: 'Third', defaults: { colour: 3 } }]), 'templates.2.defaults.colour', /^Template 3 \("Third"\)/],
    ['a bad variable', fileWith([mug, { ...mug, name: 'Bad', body: '{{two words}}' }]), 'templates.1.body', /^Template 2 \("Bad"\): body: line 1, column 1: /],
    ['a stale default', fileWith([{ ...mug, defaults: { gone: 'x' } }]), 'templates.0.defaults.gone', /the body has no \{\{gone\}\}/],
    ['a name used twice', fileWith([mug, { ...mug, name: 'mug PACKSHOT' }]), 'templates.1.name', /^Templates 1 and 2 are both named "mug PACKSHOT"/],
    ['an entry that is not an object', fileWith([mug, 'oops']), 'templates.1.entry', /^Template 2: entry: /],
  ])('refuses %s, names the entry and field, and imports nothing', (_what, json, field, message) => {
    const { library, close } = openLibrary()
    library.save({ ...mug, name: 'Existing' })
    const before = library.list()
    const error = thrown(() => library.import(json, 'rename'))
    expect(error).toMatchObject({ code: 'bad_input', field })
    expect(error.message).toMatch(message)
    expect(error.fix).toBeTruthy()
    expect(library.list()).toEqual(before)
    close()
  })

  describe('name clashes', () => {
    const incoming = [
      { ...mug, notes: 'from the file' },
      { name: 'Fresh', body: 'Fresh {{product}}', defaults: {}, notes: '' },
    ]
    const setup = () => {
      const opened = openLibrary()
      const existing = opened.library.save({ ...mug, name: 'MUG packshot' })
      opened.library.save({ ...mug, name: 'Mug packshot (imported)' })
      return { ...opened, existing }
    }

    it('by default imports nothing and names the clashing templates', () => {
      const { library, close } = setup()
      const before = library.list()
      const error = thrown(() => library.import(fileWith(incoming), 'refuse'))
      expect(error).toMatchObject({ code: 'conflict', field: 'onClash' })
      expect(error.message).toBe('The library already has templates named "Mug packshot". Nothing was imported.')
      expect(library.list()).toEqual(before)
      close()
    })

    it('rename keeps both, under a name free in the library and in the file', () => {
      const { library, close } = setup()
      const result = library.import(fileWith(incoming), 'rename')
      expect(result.imported).toMatchObject([
        { name: 'Mug packshot (imported 2)', action: 'renamed', from: 'Mug packshot' },
        { name: 'Fresh', action: 'created' },
      ])
      expect(library.list()).toHaveLength(4)
      close()
    })

    it('replace overwrites the existing template in place', () => {
      const { library, existing, close } = setup()
      const result = library.import(fileWith(incoming), 'replace')
      expect(result.imported).toMatchObject([{ id: existing.id, name: 'Mug packshot', action: 'replaced' }, { action: 'created' }])
      expect(library.get(existing.id)).toMatchObject({ name: 'Mug packshot', notes: 'from the file', createdAt: existing.createdAt })
      expect(library.list()).toHaveLength(3)
      close()
    })

    it('skip leaves the existing template alone and imports the rest', () => {
      const { library, existing, close } = setup()
      const result = library.import(fileWith(incoming), 'skip')
      expect(result).toMatchObject({ skipped: ['Mug packshot'], imported: [{ name: 'Fresh', action: 'created' }] })
      expect(library.get(existing.id)).toEqual(existing)
      close()
    })
  })
})
