import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { ApiError, type TemplateView } from '../../src/shared/api'
import { parseTemplate } from '../../src/shared/templates/template-text'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, type FakeApi } from './fake-api'

afterEach(cleanup)

const view = (overrides: Partial<TemplateView>): TemplateView => {
  const body = overrides.body ?? 'Packshot of {{product}} at {{angle}}'
  return {
    id: 'tpl_1',
    name: 'Packshot',
    body,
    variables: parseTemplate(body).variables,
    defaults: { angle: 'front' },
    notes: '',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  }
}

/** Templates kept in memory behind the fake engine, answering as the real routes do. */
function managerApi(initial: TemplateView[] = [view({}), view({ id: 'tpl_2', name: 'Social cover', body: 'Cover with {{product}}', defaults: {} })]) {
  let templates = [...initial]
  let next = 10
  const sorted = () => [...templates].sort((a, b) => a.name.localeCompare(b.name))
  const api: FakeApi = createFakeApi({
    'templates.list': () => ({ templates: sorted() }),
    'templates.save': (input) => {
      const clash = templates.find((t) => t.name.toLowerCase() === input.name.toLowerCase() && t.id !== input.id)
      if (clash) throw new ApiError('conflict', `A template named "${clash.name}" already exists.`, { field: 'name', fix: 'Choose another name.' })
      const saved = view({ id: input.id ?? `tpl_${next++}`, name: input.name, body: input.body, defaults: input.defaults ?? {}, notes: input.notes ?? '' })
      templates = [...templates.filter((t) => t.id !== saved.id), saved]
      return saved
    },
    'templates.duplicate': (input) => {
      const source = templates.find((t) => t.id === input.id)!
      const copy = { ...source, id: `tpl_${next++}`, name: `${source.name} copy` }
      templates.push(copy)
      return copy
    },
    'templates.remove': (input) => {
      const before = templates.length
      templates = templates.filter((t) => t.id !== input.id)
      return { removed: templates.length < before }
    },
    'templates.export': (input) => {
      const chosen = input.ids ? templates.filter((t) => input.ids!.includes(t.id)) : sorted()
      const json = JSON.stringify({ format: 'proofsheet.templates', version: 1, templates: chosen.map((t) => ({ name: t.name, body: t.body })) })
      return { fileName: 'proofsheet-templates-2026-02-03.json', json, count: chosen.length }
    },
    'templates.import': (input) => {
      const file = JSON.parse(input.json) as { templates: { name: string; body: string }[] }
      const clashes = file.templates.filter((e) => templates.some((t) => t.name === e.name))
      if (clashes.length && input.onClash === 'refuse') {
        throw new ApiError('conflict', `The library already has templates named "${clashes[0]!.name}". Nothing was imported.`, {
          field: 'onClash',
          fix: 'Import again and choose what to do with those: keep both (rename), replace, or skip.',
        })
      }
      const imported = file.templates.map((e) => {
        const clash = clashes.includes(e)
        const created = view({ id: `tpl_${next++}`, name: clash ? `${e.name} (imported)` : e.name, body: e.body, defaults: {} })
        templates.push(created)
        return clash ? { id: created.id, name: created.name, action: 'renamed' as const, from: e.name } : { id: created.id, name: e.name, action: 'created' as const }
      })
      return { imported, skipped: [] }
    },
  })
  return api
}

async function openSettings(api: FakeApi) {
  render(<App api={api} />)
  fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
  const region = screen.getByRole('region', { name: 'Templates' })
  await within(region).findByRole('listitem', { name: 'Packshot' })
  return region
}

/** Catches the download the page starts, instead of letting jsdom try to navigate. */
function catchDownloads(): Array<{ name: string; text: string }> {
  const downloads: Array<{ name: string; text: string }> = []
  const onClick = (event: MouseEvent): void => {
    const anchor = event.target as HTMLAnchorElement
    if (anchor.tagName !== 'A' || !anchor.download) return
    event.preventDefault()
    downloads.push({ name: anchor.download, text: decodeURIComponent(anchor.href.replace(/^data:[^,]*,/, '')) })
  }
  document.addEventListener('click', onClick)
  onTestFinished(() => document.removeEventListener('click', onClick))
  return downloads
}

describe('Template manager', () => {
  it('lists templates with their variables and defaults', async () => {
    const region = await openSettings(managerApi())
    const rows = within(region).getAllByRole('listitem').filter((li) => li.classList.contains('template-row'))
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual(['Packshot', 'Social cover'])
    const chips = within(rows[0]!).getByRole('list', { name: 'Variables' })
    expect(within(chips).getAllByRole('listitem').map((c) => c.textContent)).toEqual(['product', 'angle = front'])
  })

  it('creates a template: checks the body as it is typed, offers a default per variable, and saves', async () => {
    const api = managerApi()
    const region = await openSettings(api)
    fireEvent.click(within(region).getByRole('button', { name: 'New template' }))
    const form = within(region).getByRole('form', { name: 'New template' })
    const save = within(form).getByRole('button', { name: 'Save' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    expect(within(form).getByText('Give the template a name.')).toBeTruthy()

    fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), { target: { value: 'Poster' } })
    const body = within(form).getByRole('textbox', { name: 'Body' })
    fireEvent.change(body, { target: { value: 'Poster of {{product name}}' } })
    expect(body.getAttribute('aria-invalid')).toBe('true')
    expect(within(form).getByText(/line 1, column 11: "\{\{product name\}\}" is not a valid variable name.*Write it as \{\{product_name\}\}/)).toBeTruthy()
    expect(save.disabled).toBe(true)

    fireEvent.change(body, { target: { value: 'Poster of {{product}} in {{style}}' } })
    expect(within(form).getByText('Variables: product and style.')).toBeTruthy()
    fireEvent.change(within(form).getByRole('textbox', { name: 'Default for style' }), { target: { value: 'Bauhaus' } })
    fireEvent.change(within(form).getByRole('textbox', { name: 'Default for product' }), { target: { value: 'a lamp' } })
    // A default for a variable the body no longer uses is not sent.
    fireEvent.change(body, { target: { value: 'Poster in {{style}}' } })
    expect(within(form).queryByRole('textbox', { name: 'Default for product' })).toBeNull()
    expect(within(form).getByRole('region', { name: 'Preview with defaults' }).textContent).toBe('Poster in Bauhaus')
    fireEvent.change(within(form).getByRole('textbox', { name: 'Notes' }), { target: { value: 'A2 print' } })
    fireEvent.click(save)

    await within(region).findByRole('listitem', { name: 'Poster' })
    expect(api.callsTo('templates.save')).toEqual([{ name: 'Poster', body: 'Poster in {{style}}', defaults: { style: 'Bauhaus' }, notes: 'A2 print' }])
    expect(within(region).queryByRole('form')).toBeNull()
    expect(within(region).getByText('Saved “Poster”.')).toBeTruthy()

    // The Generate panel's picker shares the list.
    fireEvent.click(screen.getByRole('button', { name: 'Workspace' }))
    expect(within(screen.getByRole('combobox', { name: 'Template' })).getByRole('option', { name: 'Poster' })).toBeTruthy()
  })

  it('edits a template in place and shows the engine refusing a name that is taken', async () => {
    const api = managerApi()
    const region = await openSettings(api)
    fireEvent.click(within(region).getByRole('button', { name: 'Edit Packshot' }))
    const form = within(region).getByRole('form', { name: 'Edit Packshot' })
    expect((within(form).getByRole('textbox', { name: 'Default for angle' }) as HTMLInputElement).value).toBe('front')
    fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), { target: { value: 'social COVER' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    const alert = await within(form).findByRole('alert')
    expect(alert.textContent).toBe('A template named "Social cover" already exists.Choose another name.')

    fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), { target: { value: 'Packshot, square' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await within(region).findByRole('listitem', { name: 'Packshot, square' })
    expect(api.callsTo('templates.save').at(-1)).toMatchObject({ id: 'tpl_1', name: 'Packshot, square', defaults: { angle: 'front' } })
    expect(within(region).queryByRole('listitem', { name: 'Packshot' })).toBeNull()
  })

  it('Escape leaves the editor without saving', async () => {
    const api = managerApi()
    const region = await openSettings(api)
    fireEvent.click(within(region).getByRole('button', { name: 'New template' }))
    fireEvent.keyDown(within(region).getByRole('textbox', { name: 'Name' }), { key: 'Escape' })
    expect(within(region).queryByRole('form')).toBeNull()
    expect(api.callsTo('templates.save')).toEqual([])
  })

  it('duplicates, and deletes only after a confirmation', async () => {
    const api = managerApi()
    const region = await openSettings(api)
    fireEvent.click(within(region).getByRole('button', { name: 'Duplicate Packshot' }))
    await within(region).findByRole('listitem', { name: 'Packshot copy' })
    expect(within(region).getByText('Copied as “Packshot copy”.')).toBeTruthy()

    fireEvent.click(within(region).getByRole('button', { name: 'Delete Packshot copy' }))
    const row = within(region).getByRole('listitem', { name: 'Packshot copy' })
    expect(within(row).getByText('Delete “Packshot copy”?')).toBeTruthy()
    fireEvent.click(within(row).getByRole('button', { name: 'Keep' }))
    expect(api.callsTo('templates.remove')).toEqual([])

    fireEvent.click(within(region).getByRole('button', { name: 'Delete Packshot copy' }))
    fireEvent.click(within(within(region).getByRole('listitem', { name: 'Packshot copy' })).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(within(region).queryByRole('listitem', { name: 'Packshot copy' })).toBeNull())
    expect(api.callsTo('templates.remove')).toEqual([{ id: 'tpl_10' }])
    expect(within(region).getByText('Deleted “Packshot copy”.')).toBeTruthy()
  })

  it('exports all templates, or one, as a JSON download', async () => {
    const downloads = catchDownloads()
    const region = await openSettings(managerApi())
    fireEvent.click(within(region).getByRole('button', { name: 'Export all' }))
    await within(region).findByText('Exported 2 templates as proofsheet-templates-2026-02-03.json.')
    expect(downloads).toHaveLength(1)
    expect(downloads[0]!.name).toBe('proofsheet-templates-2026-02-03.json')
    expect(JSON.parse(downloads[0]!.text).templates.map((t: { name: string }) => t.name)).toEqual(['Packshot', 'Social cover'])

    fireEvent.click(within(region).getByRole('button', { name: 'Export Social cover' }))
    await within(region).findByText('Exported 1 template as proofsheet-templates-2026-02-03.json.')
    expect(JSON.parse(downloads[1]!.text).templates).toEqual([{ name: 'Social cover', body: 'Cover with {{product}}' }])
  })

  it('imports a file; on a name clash it asks, and "Keep both" imports under a new name', async () => {
    const api = managerApi()
    const region = await openSettings(api)
    const json = JSON.stringify({ format: 'proofsheet.templates', version: 1, templates: [{ name: 'Packshot', body: 'x' }, { name: 'Flat lay', body: 'y' }] })
    const input = within(region).getByLabelText('Import templates')
    fireEvent.change(input, { target: { files: [new File([json], 'templates.json', { type: 'application/json' })] } })

    const clashes = await within(region).findByRole('group', { name: 'Name clashes' })
    expect(within(region).getByRole('alert').textContent).toContain('The library already has templates named "Packshot". Nothing was imported.')
    expect(within(region).queryByRole('listitem', { name: 'Flat lay' })).toBeNull()

    fireEvent.click(within(clashes).getByRole('button', { name: 'Keep both' }))
    await within(region).findByRole('listitem', { name: 'Packshot (imported)' })
    expect(within(region).getByRole('listitem', { name: 'Flat lay' })).toBeTruthy()
    expect(within(region).getByText('Import done: added 1 template, added 1 under a new name.')).toBeTruthy()
    expect(within(region).queryByRole('group', { name: 'Name clashes' })).toBeNull()
    expect(api.callsTo('templates.import').map((c) => (c as { onClash: string }).onClash)).toEqual(['refuse', 'rename'])
  })

  it('shows why a bad file was refused', async () => {
    const refusing = createFakeApi({
      'templates.list': () => ({ templates: [view({})] }),
      'templates.import': () => {
        throw new ApiError('bad_input', 'Template 2 ("Broken"): body: line 1, column 5: "{{" is never closed with "}}"', {
          field: 'templates.1.body',
          fix: 'Close the variable with }}, or write \\{{ for literal braces.',
        })
      },
    })
    const region = await openSettings(refusing)
    fireEvent.change(within(region).getByLabelText('Import templates'), { target: { files: [new File(['{}'], 't.json')] } })
    const alert = await within(region).findByRole('alert')
    expect(alert.textContent).toContain('Template 2 ("Broken"): body: line 1, column 5')
    expect(alert.textContent).toContain('Close the variable with }}')
    expect(within(region).queryByRole('group', { name: 'Name clashes' })).toBeNull()
  })

  it('has a designed empty state', async () => {
    render(<App api={createFakeApi({})} />)
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    const region = screen.getByRole('region', { name: 'Templates' })
    await within(region).findByText(/^No templates\. Create one, import a file/)
    expect((within(region).getByRole('button', { name: 'Export all' }) as HTMLButtonElement).disabled).toBe(true)
  })
})
