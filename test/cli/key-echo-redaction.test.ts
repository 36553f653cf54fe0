/**
 * A provider that echoes the key back in its error reply, in every form proxies have been seen to
 * use (as sent, upper case, cut by one character, base64 at three alignments, base64url, hex,
 * percent-, JSON- and HTML-escaped), through real `proofsheet` processes: what `generate --wait
 * --json` and `queue` print and what the job's row stores keep only the key's last four
 * characters. The scanner looks for every encoding of the key (key-leak-scan.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli-process'
import { findLeaks, findLeaksInTree } from '../helpers/key-leak-scan'
import { useProviderServer } from '../helpers/provider-server-per-file'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))
const home = mkdtempSync(join(tmpdir(), 'proofsheet-cli-echo-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const cli = (args: string[], env: Record<string, string> = {}) => startCli([...args, '--home', home], { env }).done

function echoedForms(key: string): string {
  const bytes = Buffer.from(key)
  return [
    `raw=${key}`,
    `upper=${key.toUpperCase()}`,
    `cut=${key.slice(1)}`,
    `short=${key.slice(0, -1)}`,
    `b64=${bytes.toString('base64')}`,
    `b64inside=${Buffer.concat([Buffer.from('Bearer '), bytes]).toString('base64')}`,
    `b64inside1=${Buffer.concat([Buffer.from('{'), bytes, Buffer.from('}')]).toString('base64')}`,
    `b64url=${Buffer.concat([Buffer.from('u:'), bytes]).toString('base64url')}`,
    `hex=${bytes.toString('hex')}`,
    `HEX=${bytes.toString('hex').toUpperCase()}`,
    `url=${[...bytes].map((b) => `%${b.toString(16).toUpperCase()}`).join('')}`,
    `json=${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}`,
    `html=${[...key].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}`,
    `htmldec=${key.replace(/-/g, '&#45;')}`,
  ].join(' ')
}

describe('a provider echoing the key in any encoding', () => {
  it('gets none of it into what the CLI prints or the job stores', async () => {
    const key = server.validKey('openai')
    server.inject('openai', { status: 403 }, { message: `Gateway refused the credential: ${echoedForms(key)}` })
    const env = { ECHO_KEY: key }
    const gen = await cli(['generate', '--provider', 'openai', '--base-url', server.baseUrl('openai'), '--key-env', 'ECHO_KEY', '--prompt', 'echo test', '--size', '1024x1024', '--wait', '--json'], env)
    expect(gen.code, gen.stderr).toBe(1)
    const job = JSON.parse(gen.stdout).jobs[0]
    expect(job).toMatchObject({ status: 'failed', error: { kind: 'auth' } })
    // The reply really quoted the forms, and the error kept the words around them.
    expect(job.error.message).toContain('Gateway refused the credential')
    expect(job.error.message).toContain(`[key ····${key.slice(-4)}]`)
    expect(job.error.message).toContain('hex=[key')
    const queue = await cli(['queue'], env)
    const queueJson = await cli(['queue', '--json'], env)
    expect(queueJson.stdout).toContain('Gateway refused the credential')
    const printed = [gen, queue, queueJson].flatMap((r, i) => [...findLeaks(`stdout ${i}`, r.stdout, [key]), ...findLeaks(`stderr ${i}`, r.stderr, [key])])
    expect(printed).toEqual([])
    expect(findLeaksInTree(home, [key])).toEqual([])
  }, 120_000)
})
