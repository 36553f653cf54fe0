import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { AppCommand } from '../../../src/shared/api/desktop'
import { createRendererCrashGuard } from '../../../src/main/electron/renderer-crashes'
import { watchRenderer, type RecoverableContents } from '../../../src/main/electron/window-recovery'

/** A stand-in for the window's webContents: records reloads and loads; the test fires its events. */
class StandInContents extends EventEmitter implements RecoverableContents {
  reloads = 0
  loaded: string[] = []
  showsOurPage = true
  isDestroyed = () => false
  reload(): void {
    this.reloads++
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url)
    this.showsOurPage = false
  }
  crash(reason = 'crashed'): void {
    this.emit('render-process-gone', {}, { reason, exitCode: 139 })
  }
  finishLoad(): void {
    this.emit('did-finish-load')
  }
}

function setup(initialNotices: string[] = []) {
  let t = 0
  const contents = new StandInContents()
  const sent: AppCommand[] = []
  const logged: string[] = []
  watchRenderer(contents, {
    guard: createRendererCrashGuard({ now: () => t, logFolder: '/logs' }),
    send: (command) => (contents.showsOurPage ? (sent.push(command), true) : false),
    log: (...args) => logged.push(args.join(' ')),
    initialNotices,
  })
  return { contents, sent, logged, advance: (ms: number) => (t += ms) }
}

describe('the window after its renderer died', () => {
  it('is reloaded, and the reloaded page is told what happened once', () => {
    const { contents, sent, logged } = setup()
    contents.crash()
    expect(contents.reloads).toBe(1)
    expect(sent).toEqual([])
    contents.finishLoad()
    expect(sent).toEqual([{ kind: 'notice', text: expect.stringMatching(/crashed and was reloaded\. Queued work kept running/) }])
    contents.finishLoad()
    expect(sent).toHaveLength(1)
    expect(logged[0]).toMatch(/renderer gone: crashed \(exit 139\); reload/)
  })

  it('shows last run’s crash note after the first load', () => {
    const { contents, sent } = setup(['Proofsheet closed unexpectedly last time.'])
    contents.finishLoad()
    expect(sent).toEqual([{ kind: 'notice', text: 'Proofsheet closed unexpectedly last time.' }])
  })

  it('stops reloading in a crash loop and shows the page saying so', () => {
    const { contents, advance } = setup()
    for (let i = 0; i < 3; i++) {
      contents.crash()
      advance(10_000)
    }
    expect(contents.reloads).toBe(2)
    expect(contents.loaded).toHaveLength(1)
    expect(decodeURIComponent(contents.loaded[0]!)).toMatch(/^data:text\/html[\s\S]*stopped reloading/)
  })

  it('does nothing when the renderer exited cleanly', () => {
    const { contents } = setup()
    contents.crash('clean-exit')
    expect(contents.reloads).toBe(0)
    expect(contents.loaded).toEqual([])
  })
})
