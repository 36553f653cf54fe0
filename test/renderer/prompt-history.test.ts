import { describe, expect, it } from 'vitest'
import type { TemplateView } from '../../src/shared/api'
import { arrangeGallery } from '../../src/renderer/src/gallery/gallery-items'
import { isHistoryKey, NO_RECALL, stepRecall, type Recall } from '../../src/renderer/src/generate/history/history-recall'
import { createPromptHistoryStore } from '../../src/renderer/src/generate/history/history-store'
import { templateToRestore, templateUseFor } from '../../src/renderer/src/generate/template-use'
import { createFakeApi, image, job } from './fake-api'

// The creative loop's pure rules: stepping through earlier prompts like a shell, the template a
// prompt records and brings back, and a rerun placed right above the generation it repeats.

const prompts = ['newest', 'middle', 'oldest']
const caret = (text: string, at = text.length, end = at) => ({ text, selectionStart: at, selectionEnd: end })

/** Presses `keys` from `text`, as the prompt box would, and says what is shown after each. */
function press(text: string, keys: Array<'up' | 'down'>): string[] {
  let recall: Recall = NO_RECALL
  const shown: string[] = []
  for (const key of keys) {
    const step = stepRecall(recall, prompts, key === 'up' ? 1 : -1, text)
    if (step) {
      recall = step.recall
      text = step.text
    }
    shown.push(text)
  }
  return shown
}

describe('prompt recall (Up/Down)', () => {
  it('steps back through the history and returns to what was being written', () => {
    expect(press('', ['up', 'up', 'up', 'up'])).toEqual(['newest', 'middle', 'oldest', 'oldest'])
    expect(press('my draft', ['up', 'up', 'down', 'down', 'down'])).toEqual(['newest', 'middle', 'newest', 'my draft', 'my draft'])
  })

  it('takes the arrows only on an empty prompt, at the caret’s start or end, or while a recalled prompt is unchanged', () => {
    expect(isHistoryKey('ArrowUp', caret(''), NO_RECALL)).toBe(true)
    expect(isHistoryKey('ArrowUp', caret('a mug', 0), NO_RECALL)).toBe(true)
    expect(isHistoryKey('ArrowUp', caret('a mug', 3), NO_RECALL)).toBe(false)
    expect(isHistoryKey('ArrowUp', caret('a mug', 0, 5), NO_RECALL)).toBe(false)
    // Nothing is newer than what the user writes: Down leaves the caret to the textarea.
    expect(isHistoryKey('ArrowDown', caret('a mug'), NO_RECALL)).toBe(false)
    const browsing: Recall = { index: 0, draft: '', shown: 'newest' }
    expect(isHistoryKey('ArrowUp', caret('newest', 3), browsing)).toBe(true)
    expect(isHistoryKey('ArrowDown', caret('newest', 3), browsing)).toBe(true)
    // Edited: an ordinary prompt again, whose middle lines the arrows move through.
    expect(isHistoryKey('ArrowUp', caret('newest!', 3), browsing)).toBe(false)
    expect(isHistoryKey('ArrowDown', caret('newest!'), browsing)).toBe(true)
    expect(isHistoryKey('Enter', caret(''), NO_RECALL)).toBe(false)
  })

  it('treats an edited recalled prompt as the user’s own text', () => {
    const first = stepRecall(NO_RECALL, prompts, 1, '')!
    const edited = stepRecall(first.recall, prompts, 1, 'newest, tweaked')!
    expect(edited.text).toBe('newest')
    expect(stepRecall(edited.recall, prompts, -1, edited.text)!.text).toBe('newest, tweaked')
  })
})

describe('the prompt history store', () => {
  it('reads once until a Generate adds a prompt, and searches through the engine', async () => {
    const entry = (prompt: string, starred = 0) => ({ prompt, lastUsedAt: 1, starred })
    const api = createFakeApi({
      'prompts.history': (input) => ({ prompts: input.search ? [entry('red mug', 2)] : [entry('red mug', 2), entry('blue teapot')] }),
    })
    const history = createPromptHistoryStore(api, 0)
    expect((await history.getState().ensure()).map((e) => e.prompt)).toEqual(['red mug', 'blue teapot'])
    await history.getState().ensure()
    expect(api.callsTo('prompts.history')).toHaveLength(1)
    history.getState().invalidate()
    await history.getState().ensure()
    expect(api.callsTo('prompts.history')).toHaveLength(2)

    history.getState().setSearch('red')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(history.getState().results).toEqual([entry('red mug', 2)])
    expect(api.callsTo('prompts.history').at(-1)).toEqual({ search: 'red' })
    history.getState().setSearch('')
    expect(history.getState().results).toHaveLength(2)
  })
})

const packshot: TemplateView = {
  id: 'tpl_packshot',
  name: 'Packshot',
  body: 'Packshot of {{product}} in {{light}}',
  variables: ['product', 'light'],
  defaults: { light: 'daylight' },
  notes: '',
  createdAt: 1,
  updatedAt: 1,
}

describe('the template a prompt records', () => {
  it('is the active template with every value (defaults too) while it makes the prompt', () => {
    const state = { activeId: 'tpl_packshot', templates: [packshot], values: { product: 'a mug' } }
    expect(templateUseFor(state, 'Packshot of a mug in daylight')).toEqual({ id: 'tpl_packshot', name: 'Packshot', values: { product: 'a mug', light: 'daylight' } })
    expect(templateUseFor(state, 'Packshot of a mug in daylight, edited')).toBeUndefined()
    expect(templateUseFor({ ...state, activeId: null }, 'Packshot of a mug in daylight')).toBeUndefined()
    expect(templateUseFor({ ...state, values: { product: 'x'.repeat(5001) } }, `Packshot of ${'x'.repeat(5001)} in daylight`)).toBeUndefined()
  })

  it('comes back when the template still makes the same prompt, and is named when it cannot', () => {
    const use = { id: 'tpl_packshot', name: 'Packshot', values: { product: 'a mug', light: 'daylight' } }
    expect(templateToRestore([packshot], use, 'Packshot of a mug in daylight')).toEqual({ restore: { id: 'tpl_packshot', values: use.values } })
    expect(templateToRestore([{ ...packshot, body: 'Shot of {{product}}' }], use, 'Packshot of a mug in daylight')).toEqual({
      note: 'the template “Packshot” has changed since, so the prompt is kept as that image had it',
    })
    expect(templateToRestore([], use, 'Packshot of a mug in daylight')).toEqual({ note: 'the template “Packshot” is no longer in the library, so the prompt is kept as text' })
  })
})

describe('a rerun in the grouped gallery', () => {
  it('sits right above the generation it repeats, and says so', () => {
    const images = [
      image({ id: 'img_new', jobId: 'job_new', groupId: 'job_new', prompt: 'something else' }),
      image({ id: 'img_r2', jobId: 'job_r2', groupId: 'job_r2', prompt: 'mug', rerunOf: { jobId: 'job_old', groupId: 'batch_old' } }),
      image({ id: 'img_mid', jobId: 'job_mid', groupId: 'job_mid', prompt: 'teapot' }),
      image({ id: 'img_old', jobId: 'job_old', groupId: 'batch_old', prompt: 'mug' }),
      image({ id: 'img_lost', jobId: 'job_lost', groupId: 'job_lost', prompt: 'vase', rerunOf: { jobId: 'job_gone', groupId: 'job_gone' } }),
    ]
    const running = job({ id: 'job_r3', status: 'running', rerunOf: { jobId: 'job_r2', groupId: 'job_r2' } })
    const placeholder = { key: 'pending:job_r3:0', job: running, groupId: 'job_r3', state: 'running' as const, label: 'Running', slot: 0 }
    const sections = arrangeGallery(images, [placeholder], true)
    expect(sections.map((s) => [s.key, s.summary?.rerun ?? null])).toEqual([
      ['job_new', null],
      ['job_mid', null],
      ['job_r3', 'below'],
      ['job_r2', 'below'],
      ['batch_old', null],
      ['job_lost', 'earlier'],
    ])
    // The flat view keeps plain newest-first order.
    expect(arrangeGallery(images, [], false)[0]!.items.map((i) => i.key)).toEqual(images.map((i) => i.id))
  })
})
