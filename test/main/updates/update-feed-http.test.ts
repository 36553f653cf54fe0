/**
 * The update layer against electron-updater itself, outside Electron: a real generic feed on
 * 127.0.0.1 serving latest.yml, electron-updater's own version comparison (AppUpdater with an app
 * adapter instead of Electron's, and Node's HTTP instead of Electron's net), and our decision
 * on top. What it proves: no call at all without a feed, and no download on a connection that
 * may be metered until the person says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DebUpdater } from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter'
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor'
import { configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime'
import { parseUpdateFeed, type UpdateFeed } from '../../../src/main/core/updates/update-feed'
import { createUpdateController, type UpdateState } from '../../../src/main/electron/updates'
import type { ConnectionCost, UpdateAnswer } from '../../../src/main/core/updates/update-decision'

const LATEST_YML = `version: 1.4.0
files:
  - url: Proofsheet-1.4.0.deb
    sha512: ${'A'.repeat(86)}==
    size: 98000000
path: Proofsheet-1.4.0.deb
sha512: ${'A'.repeat(86)}==
releaseDate: '2026-12-01T10:00:00.000Z'
`

let server: Server
let feedUrl: string
const requests: string[] = []
let scratch: string

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'proofsheet-updates-'))
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url?.startsWith('/feed/latest-linux.yml') || req.url?.startsWith('/feed/latest.yml')) {
      res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(LATEST_YML)
      return
    }
    // The installer itself: refused, the test only needs to see that it was asked for.
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`
  // What the installer writes beside the app; a download reads its cache folder name from it.
  writeFileSync(join(scratch, 'app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: proofsheet-updater\n`)
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, { recursive: true, force: true })
})

/**
 * Node's HTTP executor with the one method Electron's adds (download to a file), written the way
 * electron-updater's own executor does it, over the shared base class's doDownload.
 */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined }
      configureRequestUrl(url, requestOptions)
      configureRequestOptions(requestOptions)
      const base = this as unknown as { doDownload(o: unknown, d: unknown, redirects: number): void }
      base.doDownload(requestOptions, { destination, options, onCancel, callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0)
    })
  }
}

/** electron-updater as the packaged app would run it, minus Electron. */
function realUpdater(currentVersion: string): () => Promise<DebUpdater> {
  return async () => {
    const app: AppAdapter = {
      version: currentVersion,
      name: 'Proofsheet',
      isPackaged: true,
      appUpdateConfigPath: join(scratch, 'app-update.yml'),
      userDataPath: scratch,
      baseCachePath: scratch,
      whenReady: () => Promise.resolve(),
      relaunch: () => undefined,
      quit: () => undefined,
      onQuit: () => undefined,
    }
    const updater = new DebUpdater(undefined, app)
    updater.logger = null
    // electron-updater's own executor uses Electron's net module; Node's speaks the same HTTP.
    ;(updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeDownloadExecutor()
    return updater
  }
}

async function run(opts: { feed: UpdateFeed; current: string; connection: ConnectionCost; answer?: UpdateAnswer; trigger?: 'start' | 'manual' }) {
  const asked: string[] = []
  const states: UpdateState[] = []
  let created = 0
  const make = realUpdater(opts.current)
  const controller = createUpdateController({
    feed: opts.feed,
    updater: () => {
      created++
      return make()
    },
    connection: async () => opts.connection,
    ask: async (message) => {
      asked.push(message)
      return opts.answer ?? 'later'
    },
    report: (state) => states.push(state),
  })
  requests.length = 0
  await controller.check(opts.trigger ?? 'start')
  return { asked, states, created, requests: [...requests] }
}

const feed = (): UpdateFeed => {
  const parsed = parseUpdateFeed(feedUrl, 'env')
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.feed
}

describe('updates against a local generic feed', () => {
  it('makes no call at all and creates no updater when no feed is configured', async () => {
    const result = await run({ feed: { kind: 'off' }, current: '1.3.0', connection: 'unmetered', trigger: 'manual' })
    expect(result.created).toBe(0)
    expect(result.requests).toEqual([])
    expect(result.states).toEqual([{ stage: 'off', message: 'Updates are off: no update feed is configured.' }])
  })

  it("finds a newer version by electron-updater's own comparison, and asks on an unknown connection without downloading", async () => {
    const result = await run({ feed: feed(), current: '1.3.0', connection: 'unknown' })
    expect(result.asked).toEqual(['Proofsheet 1.4.0 is available (98 MB). Proofsheet cannot tell whether this connection is metered: download it now?'])
    expect(result.requests.every((url) => url.includes('.yml'))).toBe(true)
    expect(result.requests.length).toBeGreaterThan(0)
    expect(result.states.at(-1)).toEqual({ stage: 'idle', message: 'Proofsheet 1.4.0 will be offered again at the next check.' })
  })

  it('says the running version is the latest when the feed has the same one', async () => {
    const result = await run({ feed: feed(), current: '1.4.0', connection: 'unmetered', trigger: 'manual' })
    expect(result.asked).toEqual([])
    expect(result.states.at(-1)).toEqual({ stage: 'idle', message: 'Proofsheet 1.4.0 is the latest version.' })
  })

  it('treats an older feed version as no update (no downgrade)', async () => {
    const result = await run({ feed: feed(), current: '2.0.0', connection: 'unmetered' })
    expect(result.requests.some((url) => url.endsWith('.deb'))).toBe(false)
    expect(result.states.at(-1)).toEqual({ stage: 'idle', message: null })
  })

  it('downloads once the person says so on a metered connection', async () => {
    const result = await run({ feed: feed(), current: '1.3.0', connection: 'metered', answer: 'download' })
    expect(result.asked[0]).toMatch(/This connection is metered: download it now\?$/)
    expect(result.states, JSON.stringify(result.states)).toContainEqual({ stage: 'downloading', version: '1.4.0', percent: 0 })
    expect(result.requests.some((url) => url.includes('Proofsheet-1.4.0.deb')), JSON.stringify({ r: result.requests, s: result.states })).toBe(true)
    // The stand-in feed has no installer: the failure is reported, not thrown.
    expect(result.states.at(-1)).toMatchObject({ stage: 'failed' })
  })
})
