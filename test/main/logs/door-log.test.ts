import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDoorLog } from '../../../src/main/core/logs'
import { tempDir } from '../../helpers/temp-dir'

describe("a door's log", () => {
  it('is one file per path, while each opener keeps its own echo (the first opener does not decide for the next)', () => {
    // The CLI opens cli.log for its crash hook without echo (Node prints the crash), then for the
    // engine with the console: the engine's warnings must still reach the console.
    const dir = tempDir('proofsheet-door-log-')
    const crashHook = openDoorLog({ fileName: 'cli.log', dir })
    const echoed: unknown[][] = []
    const engineLog = openDoorLog({ fileName: 'cli.log', dir, echo: (level, args) => echoed.push([level, ...args]) })
    crashHook.error('[crash] uncaughtException: boom')
    engineLog.warn('the provider answered slowly')
    expect(echoed).toEqual([['warn', 'the provider answered slowly']])
    expect(engineLog.file).toBe(crashHook.file)
    const text = readFileSync(join(dir, 'cli.log'), 'utf8')
    expect(text).toMatch(/\[crash\] uncaughtException: boom[\s\S]*the provider answered slowly/)
    // A key one opener learns is redacted for the other too: one file, one redaction.
    engineLog.rememberSecret('sk-door-log-secret-0123456789')
    crashHook.error('leaked sk-door-log-secret-0123456789?')
    expect(readFileSync(join(dir, 'cli.log'), 'utf8')).not.toContain('sk-door-log-secret-0123456789')
  })
})
