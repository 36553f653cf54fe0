import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileLog } from '../../../src/main/core/logs'
import { findLeaks, findLeaksInTree } from '../../helpers/key-leak-scan'
import { tempDir } from '../../helpers/temp-dir'

const newKey = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`

describe('the log file', () => {
  it('gets each line with its level, and the door still gets the call as it was', () => {
    const dir = tempDir('proofsheet-log-')
    const echoed: unknown[][] = []
    const log = createFileLog({ dir, fileName: 'cli.log', echo: (level, args) => echoed.push([level, ...args]) })
    log.info('queue started')
    log.warn('slow provider', { ms: 1200 })
    log.error('orphan sweep failed:', new Error('disk gone'))
    const text = readFileSync(join(dir, 'cli.log'), 'utf8')
    expect(text).toMatch(/\[info\]\s+queue started/)
    expect(text).toMatch(/\[warn\]\s+slow provider.*1200/)
    expect(text).toMatch(/\[error\]\s+orphan sweep failed:[\s\S]*Error: disk gone[\s\S]*at /)
    expect(echoed[0]).toEqual(['info', 'queue started'])
    expect(echoed[2]?.[0]).toBe('error')
  })

  it('makes neither its folder nor its file until the first line is written', () => {
    // A door opens its log at every start and most commands log nothing: they leave no trace.
    const dir = join(tempDir('proofsheet-log-'), 'not-yet', 'logs')
    const log = createFileLog({ dir, fileName: 'cli.log' })
    log.rememberSecret(newKey('sk-'))
    expect(existsSync(dir)).toBe(false)
    log.warn('first line')
    expect(readFileSync(join(dir, 'cli.log'), 'utf8')).toMatch(/\[warn\]\s+first line/)
  })

  it('never holds a key it was told of, in any encoding, nor anything shaped like a key', () => {
    const dir = tempDir('proofsheet-log-')
    const log = createFileLog({ dir, fileName: 'main.log' })
    const used = newKey('th-img-')
    const unknown = newKey('sk-proj-')
    log.rememberSecret(used)
    log.error(`401 from provider: Incorrect API key provided: ${used}`)
    log.error('proxy dump', { header: `Bearer ${Buffer.from(used).toString('base64')}`, hex: Buffer.from(used).toString('hex') })
    log.warn(new Error(`fetch failed for key ${used.toUpperCase()}`))
    log.warn(`a key we never saw: ${unknown}; and in a header x-api-key: ${newKey('zz')}`)
    log.info(`Authorization: Bearer ${newKey('tok')}`)
    const text = readFileSync(log.file, 'utf8')
    expect(findLeaks('main.log', text, [used, unknown])).toEqual([])
    expect(text).not.toMatch(/zz[0-9a-f]{24}|tok[0-9a-f]{24}/)
    // The last four stay, so a person can tell which key it was.
    expect(text).toContain(`····${used.slice(-4)}`)
    expect(text).toContain('Incorrect API key provided')
  })

  it('rotates by size and keeps only the newest old files', () => {
    const dir = tempDir('proofsheet-log-')
    const log = createFileLog({ dir, fileName: 'main.log', maxBytes: 2_000, keep: 3 })
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(80)}`)
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log'])
    const last = readFileSync(join(dir, 'main.log'), 'utf8')
    expect(last).toContain('line 199 ')
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).not.toContain('line 199 ')
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).length).toBeLessThan(2_000 + 200)
    expect(findLeaksInTree(dir, [])).toEqual([])
  })
})
