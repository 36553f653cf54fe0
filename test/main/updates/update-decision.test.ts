import { describe, expect, it } from 'vitest'
import { decideUpdate, type UpdateSituation } from '../../../src/main/core/updates/update-decision'
import { connectionCostOf } from '../../../src/shared/updates/connection-cost'

const generic = { kind: 'generic', url: 'https://updates.example.com/' } as const
const newer = { kind: 'newer', version: '1.4.0', sizeBytes: 98_000_000 } as const

function situation(over: Partial<UpdateSituation>): UpdateSituation {
  return { feed: generic, trigger: 'start', check: { kind: 'unchecked' }, connection: 'unknown', answer: null, ...over }
}

describe('update decision', () => {
  it('does nothing, not even a check, when no feed is configured', () => {
    expect(decideUpdate(situation({ feed: { kind: 'off' } }))).toEqual({ action: 'nothing', message: null })
    expect(decideUpdate(situation({ feed: { kind: 'off' }, trigger: 'manual' }))).toEqual({
      action: 'nothing',
      message: 'Updates are off: no update feed is configured.',
    })
  })

  it('checks on start quietly and when asked with a word, on any connection', () => {
    for (const connection of ['metered', 'unmetered', 'unknown'] as const) {
      expect(decideUpdate(situation({ connection }))).toEqual({ action: 'check', message: null })
      expect(decideUpdate(situation({ connection, trigger: 'manual' }))).toEqual({ action: 'check', message: 'Checking for updates…' })
      expect(decideUpdate(situation({ connection, feed: { kind: 'packaged' } })).action).toBe('check')
    }
  })

  it('says "latest" and check failures only when asked', () => {
    const current = { kind: 'current', version: '1.3.0' } as const
    expect(decideUpdate(situation({ check: current }))).toEqual({ action: 'nothing', message: null })
    expect(decideUpdate(situation({ check: current, trigger: 'manual' })).message).toBe('Proofsheet 1.3.0 is the latest version.')
    const failed = { kind: 'failed', reason: 'the feed answered 404.' } as const
    expect(decideUpdate(situation({ check: failed }))).toEqual({ action: 'nothing', message: null })
    expect(decideUpdate(situation({ check: failed, trigger: 'manual' })).message).toBe('Could not check for updates: the feed answered 404.')
  })

  it('downloads a newer version at once on an unmetered connection', () => {
    for (const trigger of ['start', 'manual'] as const) {
      expect(decideUpdate(situation({ trigger, check: newer, connection: 'unmetered' }))).toEqual({
        action: 'download',
        version: '1.4.0',
        message: 'Downloading Proofsheet 1.4.0.',
      })
    }
  })

  it('asks before downloading on a metered connection, with the size', () => {
    expect(decideUpdate(situation({ check: newer, connection: 'metered' }))).toEqual({
      action: 'ask',
      version: '1.4.0',
      message: 'Proofsheet 1.4.0 is available (98 MB). This connection is metered: download it now?',
    })
  })

  it('counts a connection it cannot judge as metered: it asks, also when the person asked for the check', () => {
    for (const trigger of ['start', 'manual'] as const) {
      const step = decideUpdate(situation({ trigger, check: { kind: 'newer', version: '2.0.0' }, connection: 'unknown' }))
      expect(step).toEqual({
        action: 'ask',
        version: '2.0.0',
        message: 'Proofsheet 2.0.0 is available. Proofsheet cannot tell whether this connection is metered: download it now?',
      })
    }
  })

  it('follows the answer: download downloads, later leaves it for the next check', () => {
    for (const connection of ['metered', 'unknown'] as const) {
      expect(decideUpdate(situation({ check: newer, connection, answer: 'download' }))).toMatchObject({ action: 'download', version: '1.4.0' })
      expect(decideUpdate(situation({ check: newer, connection, answer: 'later' }))).toEqual({
        action: 'nothing',
        message: 'Proofsheet 1.4.0 will be offered again at the next check.',
      })
    }
    // "Later" holds even when the connection turned unmetered meanwhile: the person said no.
    expect(decideUpdate(situation({ check: newer, connection: 'unmetered', answer: 'later' })).action).toBe('nothing')
  })

  it('never downloads with no feed, whatever the answer', () => {
    expect(decideUpdate(situation({ feed: { kind: 'off' }, check: newer, connection: 'unmetered', answer: 'download' })).action).toBe('nothing')
  })
})

describe('connection cost from navigator.connection', () => {
  it('is metered when data saving is on or the link is cellular', () => {
    expect(connectionCostOf({ saveData: true, type: 'ethernet' })).toBe('metered')
    expect(connectionCostOf({ type: 'cellular' })).toBe('metered')
  })

  it('is unmetered on ethernet only', () => {
    expect(connectionCostOf({ saveData: false, type: 'ethernet' })).toBe('unmetered')
  })

  it('is unknown without the API, on Wi-Fi (a phone hotspot is Wi-Fi too) and without a type', () => {
    expect(connectionCostOf(undefined)).toBe('unknown')
    expect(connectionCostOf(null)).toBe('unknown')
    expect(connectionCostOf({ type: 'wifi' })).toBe('unknown')
    expect(connectionCostOf({ saveData: false })).toBe('unknown')
  })
})
