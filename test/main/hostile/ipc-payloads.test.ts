/**
 * Hostile payloads through the Electron door: the IPC adapter (with stand-ins for ipcMain and
 * the window, as in test/main/electron/ipc-adapter.test.ts) in front of the real engine's router
 * over a real library. Each row is what a compromised or buggy renderer could send; each must come
 * back as a clear error object, write nothing, and leave the door answering the next call.
 */
import { describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/api'
import { resolveAppLocation } from '../../../src/main/electron/app-location'
import { CALL_CHANNEL, createIpcAdapter } from '../../../src/main/electron/ipc-adapter'
import type { FrameLike, InvokeEventLike } from '../../../src/main/electron/sender-check'
import { expectCleanRefusal, useSharedEngine, type Refusal, type Send } from '../../helpers/hostile'

const app = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/opt/ps/out/renderer/index.html' })

/** Our window as the adapter sees it: one main frame showing the app page. */
function ourWindow() {
  const frame: FrameLike = { url: app.url, frameTreeNodeId: 1, parent: null, top: null }
  return { id: 7, mainFrame: frame, isDestroyed: () => false, send: () => undefined, once: () => undefined }
}

const library = useSharedEngine()

function ipcDoor(): Send {
  let listener: ((event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) | undefined
  const ipcMain = {
    handle: (channel: string, fn: typeof listener) => void (channel === CALL_CHANNEL && (listener = fn)),
    removeHandler: () => undefined,
  }
  const win = ourWindow()
  createIpcAdapter({ ipcMain, router: library.engine.router, app, log: () => undefined }).attach(win)
  return async (name, input) => (await listener!({ sender: win, senderFrame: win.mainFrame }, name, input)) as Result<unknown>
}

const demo = { provider: 'demo', prompt: 'white mug', sizes: [{ width: 64, height: 64 }] }
const draft = { prompt: 'mug', templateId: null, templateValues: {}, providerId: null, keyId: null, sizes: [], format: 'png', quality: 'auto', background: 'auto', compression: null, n: 1 }
const MB = 1024 * 1024
const deep = (levels: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < levels; i++) value = { a: value }
  return value
}

interface Row {
  what: string
  name: unknown
  input: unknown
  want: Refusal
}

const rows: Row[] = [
  // Payloads that are not objects at all.
  { what: 'a string as input', name: 'jobs.list', input: 'limit=5', want: { field: 'input', says: /expected object/ } },
  { what: 'an array as input', name: 'jobs.list', input: [{ limit: 5 }], want: { field: 'input', says: /expected object/ } },
  { what: 'a number as input', name: 'jobs.list', input: 42, want: { field: 'input' } },
  { what: 'a boolean as input', name: 'jobs.list', input: true, want: { field: 'input' } },
  { what: 'a Map as input (structured clone allows it)', name: 'jobs.list', input: new Map([['limit', 5]]), want: { field: 'input' } },
  { what: 'a Date as input', name: 'queue.pause', input: new Date(0), want: { field: 'input' } },
  // Wrong types and values.
  { what: 'a number sent as text', name: 'jobs.list', input: { limit: '10' }, want: { field: 'limit', says: /expected number/ } },
  { what: 'NaN', name: 'jobs.list', input: { limit: Number.NaN }, want: { field: 'limit', says: /NaN/ } },
  { what: 'Infinity', name: 'jobs.list', input: { limit: Number.POSITIVE_INFINITY }, want: { field: 'limit' } },
  { what: '-Infinity as a count', name: 'jobs.generate', input: { ...demo, n: Number.NEGATIVE_INFINITY }, want: { field: 'n' } },
  { what: 'a fraction where a whole number goes', name: 'jobs.list', input: { limit: 2.5 }, want: { field: 'limit' } },
  { what: 'a Date where a number goes', name: 'jobs.list', input: { limit: new Date() }, want: { field: 'limit' } },
  { what: 'a typed array where text goes', name: 'jobs.get', input: { id: new Uint8Array(4) }, want: { field: 'id' } },
  { what: 'a NaN size', name: 'jobs.generate', input: { ...demo, sizes: [{ width: Number.NaN, height: 64 }] }, want: { field: /^sizes\.0/ } },
  { what: 'sizes as a string', name: 'jobs.generate', input: { ...demo, sizes: '64x64' }, want: { field: 'sizes' } },
  { what: 'a provider object', name: 'jobs.generate', input: { ...demo, provider: { id: 'demo' } }, want: { field: 'provider' } },
  { what: 'an unknown provider', name: 'jobs.generate', input: { ...demo, provider: 'nope' }, want: { field: 'provider', says: /nope/ } },
  { what: 'an empty id', name: 'jobs.get', input: { id: '' }, want: { field: 'id' } },
  { what: 'a budget of NaN', name: 'budgets.set', input: { scope: { kind: 'all', period: 'day' }, amount: Number.NaN }, want: { field: 'amount' } },
  { what: 'a file: base URL', name: 'jobs.generate', input: { ...demo, baseUrl: 'file:///etc/passwd' }, want: { field: 'baseUrl' } },
  { what: 'a javascript: base URL', name: 'jobs.generate', input: { ...demo, baseUrl: 'javascript:alert(1)' }, want: { field: 'baseUrl' } },
  { what: 'an environment variable name with a space', name: 'jobs.generate', input: { ...demo, key: { keyEnv: 'A B' } }, want: { field: /^key/ } },
  { what: 'a key for a provider that needs none', name: 'keys.add', input: { provider: 'demo', label: 'x', secret: 'sk-0123456789' }, want: { field: 'provider' } },
  { what: 'an image id that does not exist', name: 'gallery.get', input: { id: 'img_nope' }, want: { field: 'id', code: 'not_found' } },
  // Extra fields and prototype pollution.
  { what: 'an extra field', name: 'jobs.list', input: { limit: 5, admin: true }, want: { field: 'admin' } },
  { what: 'an extra field beside a size', name: 'jobs.generate', input: { ...demo, sizes: [{ width: 64, height: 64, depth: 3 }] }, want: { field: /^sizes\.0/ } },
  { what: '__proto__ as a key (JSON.parse makes it an own key)', name: 'jobs.list', input: JSON.parse('{"__proto__": {"polluted": true}}'), want: { field: '__proto__' } },
  { what: 'constructor.prototype as a key', name: 'jobs.list', input: { constructor: { prototype: { polluted: true } } }, want: { field: 'constructor' } },
  { what: '__proto__ inside a nested object', name: 'jobs.generate', input: { ...demo, sizes: [JSON.parse('{"width": 64, "height": 64, "__proto__": {"x": 1}}')] }, want: { field: /^sizes\.0/ } },
  { what: '__proto__ as a template default', name: 'templates.save', input: { name: 'pollute', body: 'a {{product}}', defaults: JSON.parse('{"__proto__": "x"}') }, want: { field: 'defaults.__proto__' } },
  { what: 'a custom profile with id __proto__', name: 'providers.save', input: { kind: 'custom', id: '__proto__', name: 'x', baseUrl: 'https://a.example', modelId: 'm', sizes: ['1024x1024'] }, want: { field: 'id' } },
  // Huge and deep inputs.
  { what: 'a 10 MB key label', name: 'keys.add', input: { provider: 'openai', label: 'x'.repeat(10 * MB), secret: 'sk-0123456789' }, want: { field: 'label' } },
  { what: 'a 1 MB id', name: 'jobs.get', input: { id: 'j'.repeat(MB) }, want: { field: 'id', code: 'not_found' } },
  { what: 'a 1 MB provider name', name: 'jobs.generate', input: { ...demo, provider: 'p'.repeat(MB) }, want: { field: 'provider' } },
  { what: 'a 1 MB gallery search', name: 'gallery.list', input: { search: 's'.repeat(MB) }, want: { field: 'search' } },
  // 200,000 keys in all: refused by the router's count before the schema walks them.
  { what: '100,000 sizes', name: 'jobs.generate', input: { ...demo, sizes: Array.from({ length: 100_000 }, () => ({ width: 64, height: 64 })) }, want: { field: 'input', says: /10,000 named fields/ } },
  {
    what: 'a draft with 20,000 template values (keys)',
    name: 'workspace.save',
    input: { draft: { ...draft, templateValues: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, 'x'])) } },
    want: { field: 'input', says: /more than 10,000 named fields/ },
  },
  { what: 'a million keys', name: 'jobs.list', input: Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i])), want: { field: 'input', says: /named fields/ } },
  { what: '250,000 ids (list items)', name: 'gallery.delete', input: { ids: Array.from({ length: 250_000 }, (_, i) => `img_${i}`) }, want: { field: 'input', says: /more than 200,000 list items/ } },
  { what: 'a value nested 5,000 levels deep', name: 'jobs.list', input: { limit: deep(5000) }, want: { field: 'limit' } },
  { what: 'an extra field nested 5,000 levels deep', name: 'jobs.list', input: { extra: deep(5000) }, want: { field: 'extra' } },
  // Call names that are not calls.
  { what: 'an unknown call', name: 'jobs.delete_everything', input: {}, want: { field: 'name', says: /jobs\.delete_everything/ } },
  { what: 'the call name __proto__', name: '__proto__', input: {}, want: { field: 'name' } },
  { what: 'the call name constructor', name: 'constructor', input: {}, want: { field: 'name' } },
  { what: 'the call name hasOwnProperty', name: 'hasOwnProperty', input: {}, want: { field: 'name' } },
  { what: 'a number as the call name', name: 42, input: {}, want: { field: 'name' } },
  { what: 'null as the call name', name: null, input: {}, want: { field: 'name' } },
  { what: 'an object as the call name', name: { toString: 'jobs.list' }, input: {}, want: { field: 'name' } },
  { what: 'a 1 MB call name', name: 'n'.repeat(MB), input: {}, want: { field: 'name' } },
]

describe('hostile IPC payloads: the adapter and the real router', () => {
  it.each(rows)('$what: a clear error, nothing written, the door still answers', async ({ name, input, want }) => {
    await expectCleanRefusal(library.home, ipcDoor(), name, input, want)
  })

  it('refuses to cancel or retry a finished job, saying what would work', async () => {
    const send = ipcDoor()
    const queued = await send('jobs.generate', { ...demo, prompt: 'finished mug' })
    const [job] = await library.engine.waitForJobs((queued as { value: { jobs: { id: string }[] } }).value.jobs.map((j) => j.id))
    expect(job?.status).toBe('succeeded')
    await expectCleanRefusal(library.home, send, 'jobs.cancel', { id: job!.id }, { field: 'id', code: 'conflict', says: /already succeeded/ })
    await expectCleanRefusal(library.home, send, 'jobs.retry', { id: job!.id }, { field: 'id', code: 'conflict', says: /only failed/ })
  })

  it('leaves Object.prototype untouched after every polluting row', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})
