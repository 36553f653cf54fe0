import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import type { Output, RouteName, TemplateView } from '../../../src/shared/api'
import { tempDir } from '../../helpers/temp-dir'

// The templates.* routes through the engine's router, on a real library folder: what every door
// (IPC, browser bridge, CLI) gets, error objects included.

async function open(home = tempDir('proofsheet-templates-')): Promise<Engine> {
  return createEngine({
    home,
    demoDelayMs: 1,
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'test' } }),
  })
}

async function ok<N extends RouteName>(engine: Engine, name: N, input: unknown): Promise<Output<N>> {
  const result = await engine.router.handle(name, input)
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value as Output<N>
}

const names = async (engine: Engine): Promise<string[]> =>
  (await ok(engine, 'templates.list', {})).templates.map((t: TemplateView) => t.name)

describe('templates routes', () => {
  it('a fresh library lists the built-ins with their variables; a deleted one stays deleted after a restart', async () => {
    const home = tempDir('proofsheet-templates-')
    let engine = await open(home)
    const { templates } = await ok(engine, 'templates.list', {})
    expect(templates.map((t) => [t.name, t.variables])).toEqual([
      ['Lifestyle scene', ['product', 'setting', 'light', 'palette']],
      ['Social cover', ['product', 'placement', 'copy_space', 'background']],
      ['White background packshot', ['product', 'angle', 'finish']],
    ])
    expect(await ok(engine, 'templates.remove', { id: templates[1]!.id })).toEqual({ removed: true })
    await engine.close()

    engine = await open(home)
    expect(await names(engine)).toEqual(['Lifestyle scene', 'White background packshot'])
    await engine.close()
  })

  it('saves, gets, edits, duplicates and removes', async () => {
    const engine = await open()
    const saved = await ok(engine, 'templates.save', { name: 'Poster', body: 'Poster of {{ product }}', defaults: { product: 'a lamp' } })
    expect(saved).toMatchObject({ name: 'Poster', body: 'Poster of {{ product }}', variables: ['product'], defaults: { product: 'a lamp' }, notes: '' })
    expect(await ok(engine, 'templates.get', { id: saved.id })).toEqual(saved)

    const edited = await ok(engine, 'templates.save', { id: saved.id, name: 'Poster draft', body: 'Poster of {{product}}', notes: 'A2' })
    expect(edited).toMatchObject({ id: saved.id, name: 'Poster draft', defaults: {}, notes: 'A2' })

    const copy = await ok(engine, 'templates.duplicate', { id: saved.id })
    expect(copy).toMatchObject({ name: 'Poster draft copy', body: edited.body })
    expect(await ok(engine, 'templates.remove', { id: saved.id })).toEqual({ removed: true })
    expect(await ok(engine, 'templates.remove', { id: saved.id })).toEqual({ removed: false })
    expect(await engine.router.handle('templates.get', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } })
    await engine.close()
  })

  it('answers bad input with an error object that names the field', async () => {
    const engine = await open()
    const call = (name: string, input: unknown) => engine.router.handle(name, input)
    expect(await call('templates.save', { name: '  ', body: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'name' } })
    expect(await call('templates.save', { name: 'x', bdy: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'body' } })
    expect(await call('templates.save', { name: 'x', body: 'x', colour: 1 })).toMatchObject({ ok: false, error: { field: 'colour' } })
    expect(await call('templates.save', { name: 'x', body: 'a {{b c}}' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input', field: 'body', fix: 'Write it as {{b_c}}, or write \\{{ for literal braces.' },
    })
    expect(await call('templates.save', { name: 'social COVER', body: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name', message: 'A template named "Social cover" already exists.' },
    })
    expect(await call('templates.import', { json: '{}', onClash: 'merge' })).toMatchObject({
      ok: false,
      error: { field: 'onClash', fix: 'Use one of: refuse, rename, replace, skip.' },
    })
    expect(await names(engine)).toHaveLength(3)
    await engine.close()
  })

  it('exports a library and imports it into another one; a clash is refused until the caller chooses', async () => {
    const a = await open()
    await ok(a, 'templates.save', { name: 'Poster', body: 'Poster of {{product}}', defaults: { product: 'a lamp' }, notes: 'A2' })
    const exported = await ok(a, 'templates.export', {})
    expect(exported.count).toBe(4)
    expect(exported.fileName).toMatch(/^proofsheet-templates-\d{4}-\d{2}-\d{2}\.json$/)

    const b = await open()
    const refused = await b.router.handle('templates.import', { json: exported.json })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', field: 'onClash' } })
    expect(await names(b)).toHaveLength(3)

    const skipped = await ok(b, 'templates.import', { json: exported.json, onClash: 'skip' })
    expect(skipped.skipped).toEqual(['Lifestyle scene', 'Social cover', 'White background packshot'])
    expect(skipped.imported).toMatchObject([{ name: 'Poster', action: 'created' }])
    const view = (await ok(b, 'templates.list', {})).templates.find((t) => t.name === 'Poster')
    expect(view).toMatchObject({ body: 'Poster of {{product}}', defaults: { product: 'a lamp' }, notes: 'A2', variables: ['product'] })

    const only = await ok(b, 'templates.export', { ids: [view!.id] })
    expect(JSON.parse(only.json).templates).toEqual([{ name: 'Poster', body: 'Poster of {{product}}', defaults: { product: 'a lamp' }, notes: 'A2' }])
    await a.close()
    await b.close()
  })

  it('refuses a damaged file without importing any of it', async () => {
    const engine = await open()
    const file = JSON.parse((await ok(engine, 'templates.export', {})).json)
    file.templates = [
      { name: 'Good one', body: 'fine {{x}}' },
      { name: 'Broken', body: 'not {{closed' },
    ]
    const result = await engine.router.handle('templates.import', { json: JSON.stringify(file), onClash: 'rename' })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'bad_input', field: 'templates.1.body', message: 'Template 2 ("Broken"): body: line 1, column 5: "{{" is never closed with "}}"' },
    })
    expect(await names(engine)).not.toContain('Good one')
    await engine.close()
  })
})
