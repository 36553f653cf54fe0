import { describe, expect, it } from 'vitest'
import { createRendererCrashGuard } from '../../../src/main/electron/renderer-crashes'

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

const pageText = (dataUrl: string) => decodeURIComponent(dataUrl.replace(/^data:text\/html;charset=utf-8,/, ''))

describe('a renderer that dies', () => {
  it('is reloaded with a notice saying the queue kept running', () => {
    const c = clock()
    const guard = createRendererCrashGuard({ now: c.now, logFolder: '/home/ana/.config/Proofsheet/logs' })
    expect(guard.onGone('crashed')).toEqual({ action: 'reload', notice: expect.stringMatching(/window crashed and was reloaded\. Queued work kept running/) })
    c.advance(61_000)
    expect(guard.onGone('oom')).toMatchObject({ action: 'reload', notice: expect.stringContaining('ran out of memory') })
  })

  it('is left alone when it closed cleanly', () => {
    const guard = createRendererCrashGuard({ now: clock().now, logFolder: '/logs' })
    for (let i = 0; i < 10; i++) expect(guard.onGone('clean-exit')).toEqual({ action: 'ignore' })
    expect(guard.onGone('crashed').action).toBe('reload')
  })

  it('stops reloading after three crashes within a minute and shows a page saying so', () => {
    const c = clock()
    const guard = createRendererCrashGuard({ now: c.now, logFolder: '/home/ana/.config/Proofsheet/logs' })
    expect(guard.onGone('crashed').action).toBe('reload')
    c.advance(20_000)
    expect(guard.onGone('killed').action).toBe('reload')
    c.advance(20_000)
    const verdict = guard.onGone('crashed')
    expect(verdict.action).toBe('give-up')
    const text = pageText((verdict as { page: string }).page)
    expect(text).toMatch(/crashed 3 times within 60 seconds, so it is not reloaded again/)
    expect(text).toContain('/home/ana/.config/Proofsheet/logs')
    expect(text).not.toMatch(/<script/i)
  })

  it('forgets crashes older than the window, so a rare crash never ends the reloading', () => {
    const c = clock()
    const guard = createRendererCrashGuard({ now: c.now, logFolder: '/logs', limit: 3, windowMs: 60_000 })
    for (let i = 0; i < 10; i++) {
      expect(guard.onGone('crashed').action).toBe('reload')
      c.advance(31_000)
    }
  })

  it('escapes the log folder in the page', () => {
    const c = clock()
    const guard = createRendererCrashGuard({ now: c.now, logFolder: '/tmp/<b>"x"</b>', limit: 1 })
    const text = pageText((guard.onGone('crashed') as { page: string }).page)
    expect(text).not.toContain('<b>')
    expect(text).toContain('&#60;b&#62;')
  })
})
