/**
 * Hostile command lines: unknown, missing, repeated and malformed flags, odd numbers and sizes,
 * unicode and control characters, a --home that is a file. Each must exit 2 with "error: ..."
 * naming the flag and "fix: ...", print exactly one JSON error document under --json, write
 * nothing to the library, and leave the next good command working.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { librarySnapshot } from '../helpers/hostile'

let root = ''
let home = ''
const at = (name: string): string => join(root, name)

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'proofsheet-hostile-cli-'))
  home = join(root, 'library')
  mkdirSync(home)
  writeFileSync(at('a-file'), 'not a folder')
  writeFileSync(at('rows.csv'), 'product\nmug\n')
  writeFileSync(at('empty.csv'), '')
  writeFileSync(at('binary.csv'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 3) % 256)))
  writeFileSync(at('nul.csv'), 'product\nmug\u0000\n')
  writeFileSync(at('empty.json'), '')
  writeFileSync(at('packshot.json'), JSON.stringify({ format: 'proofsheet.templates', version: 1, templates: [{ name: 'P', body: '{{product}} on white' }] }))
  // Opening the library once makes the database the rows compare against.
  expect((await cliInProcess(['templates', '--home', home])).code).toBe(0)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const est = ['estimate', '--provider', 'demo', '--prompt', 'white mug']
const gen = ['generate', '--provider', 'demo', '--prompt', 'white mug', '--size', '64x64']
const batch = () => ['batch', at('rows.csv'), '--template', at('packshot.json'), '--sizes', '64x64', '--provider', 'demo']

interface Row {
  what: string
  args: () => string[]
  /** What stderr's error line must say (it names the flag). */
  says: RegExp
  /** Where the library is another than the shared one (a --home row). */
  ownHome?: boolean
}

const rows: Row[] = [
  // Unknown, missing and repeated flags.
  { what: 'an unknown flag', args: () => [...est, '--size', '64x64', '--szie', '64x64'], says: /Unknown flag --szie/ },
  { what: 'an unknown command', args: () => ['genrate', ...gen.slice(1)], says: /Unknown command "genrate"/ },
  { what: 'a flag missing its value at the end', args: () => [...est, '--size'], says: /--size needs a value/ },
  { what: 'a flag followed by another flag', args: () => ['estimate', '--provider', '--prompt', 'x', '--size', '64x64'], says: /--provider/ },
  { what: 'an empty flag value', args: () => ['estimate', '--provider=', '--prompt', 'x', '--size', '64x64'], says: /--provider is required/ },
  { what: 'a repeated --provider', args: () => [...est, '--size', '64x64', '--provider', 'openai'], says: /--provider is given twice \("demo", then "openai"\)/ },
  { what: 'a repeated --prompt', args: () => [...gen, '--prompt', 'red kettle'], says: /--prompt is given twice/ },
  { what: 'a repeated --home', args: () => [...est, '--size', '64x64', '--home', at('other')], says: /--home is given twice/ },
  { what: 'a repeated --home, the first as --home=DIR', args: () => ['--home=' + at('other'), ...est, '--size', '64x64'], says: /--home is given twice/ },
  { what: 'a repeated --wait', args: () => [...gen, '--wait', '--wait'], says: /--wait is given twice/ },
  { what: 'a stray positional', args: () => ['generate', '--provider', 'demo', '--prompt', 'white', 'mug', '--size', '64x64'], says: /Unexpected argument "mug"/ },
  { what: '--key with --key-env', args: () => [...gen, '--key', 'studio', '--key-env', 'KEY'], says: /--key and --key-env cannot be used together/ },
  // Sizes and numbers.
  { what: 'a 0x0 size', args: () => [...est, '--size', '0x0'], says: /--size "0x0" is not WIDTHxHEIGHT/ },
  { what: 'a -5x5 size', args: () => [...est, '--size', '-5x5'], says: /--size needs a value; "-5x5" looks like a flag/ },
  { what: 'a -5x5 size given with =', args: () => [...est, '--size=-5x5'], says: /--size "-5x5" is not WIDTHxHEIGHT/ },
  { what: 'a 99999x99999 size', args: () => [...est, '--size', '99999x99999'], says: /--size: .*16384/ },
  { what: 'a 1e3x1e3 size', args: () => [...est, '--size', '1e3x1e3'], says: /--size "1e3x1e3" is not WIDTHxHEIGHT/ },
  { what: 'a NaN size', args: () => [...est, '--size', 'NaNxNaN'], says: /--size "NaNxNaN"/ },
  { what: 'an Infinity size', args: () => [...est, '--size', 'Infinityx64'], says: /--size "Infinityx64"/ },
  { what: 'a size in full-width digits', args: () => [...est, '--size', '６４x６４'], says: /--size "６４x６４"/ },
  { what: 'a size with a capital X', args: () => [...est, '--size', '64X64'], says: /--size "64X64"/ },
  { what: 'a size outside the provider', args: () => [...est, '--size', '8192x8192'], says: /8192x8192 is outside what Demo/ },
  { what: 'an aspect without a ratio', args: () => [...est, '--aspect', 'wide'], says: /--aspect "wide"/ },
  { what: '--n NaN', args: () => [...est, '--size', '64x64', '--n', 'NaN'], says: /--n must be a whole number from 1 to 10 \(got "NaN"\)/ },
  { what: '--n 0', args: () => [...est, '--size', '64x64', '--n', '0'], says: /--n must be a whole number/ },
  { what: '--n 2.5', args: () => [...est, '--size', '64x64', '--n', '2.5'], says: /--n must be a whole number/ },
  { what: '--n 1e1', args: () => [...est, '--size', '64x64', '--n', '1e1'], says: /--n must be a whole number/ },
  { what: '--n 0x10', args: () => [...est, '--size', '64x64', '--n', '0x10'], says: /--n must be a whole number/ },
  { what: '--n -1', args: () => [...est, '--size', '64x64', '--n', '-1'], says: /--n needs a value; "-1" looks like a flag/ },
  { what: '--n 99999999999999999999', args: () => [...est, '--size', '64x64', '--n', '99999999999999999999'], says: /--n must be a whole number/ },
  { what: '--compression 101', args: () => [...est, '--size', '64x64', '--format', 'jpeg', '--compression', '101'], says: /--compression must be a whole number from 0 to 100/ },
  { what: 'an unknown format', args: () => [...est, '--size', '64x64', '--format', 'gif'], says: /--format/ },
  { what: 'an unknown quality', args: () => [...est, '--size', '64x64', '--quality', 'ultra'], says: /--quality/ },
  { what: 'a gallery limit of 0', args: () => ['gallery', '--limit', '0'], says: /--limit must be a whole number from 1 to 500/ },
  { what: 'a gallery limit in words', args: () => ['gallery', '--limit', 'ten'], says: /--limit/ },
  { what: 'a queue status that is none', args: () => ['queue', '--status', 'done'], says: /--status "done" is not a job status/ },
  { what: 'a budget of NaN', args: () => [...batch(), '--budget', 'NaN'], says: /--budget "NaN" is not an amount/ },
  { what: 'a budget of Infinity', args: () => [...batch(), '--budget', 'Infinity'], says: /--budget "Infinity" is not an amount/ },
  { what: 'a negative budget', args: () => [...batch(), '--budget=-5'], says: /--budget "-5" is not an amount/ },
  { what: 'batch sizes of 0x0', args: () => [...batch().slice(0, 4), '--sizes', '0x0', '--provider', 'demo'], says: /--sizes "0x0" is not a size/ },
  { what: 'export at size 0x0', args: () => ['export', '--out', at('out'), '--size', '0x0'], says: /--size "0x0" is not WIDTHxHEIGHT/ },
  { what: 'export quality NaN', args: () => ['export', '--out', at('out'), '--quality', 'NaN'], says: /--quality must be a whole number from 1 to 100/ },
  // Files named by flags: missing, empty, binary, folders.
  { what: 'a batch CSV that does not exist', args: () => ['batch', at('missing.csv'), ...batch().slice(2)], says: /missing\.csv/ },
  { what: 'a zero-byte batch CSV', args: () => ['batch', at('empty.csv'), ...batch().slice(2)], says: /empty/ },
  { what: 'a binary batch CSV', args: () => ['batch', at('binary.csv'), ...batch().slice(2)], says: /binary\.csv/ },
  { what: 'a batch CSV with a NUL in a cell', args: () => ['batch', at('nul.csv'), ...batch().slice(2)], says: /U\+0000/ },
  { what: 'a folder as the batch CSV', args: () => ['batch', root, ...batch().slice(2)], says: /EISDIR/ },
  { what: 'a zero-byte templates file', args: () => ['batch', at('rows.csv'), '--template', at('empty.json'), ...batch().slice(4)], says: /--template .*not valid JSON/ },
  { what: 'a CSV as the templates file', args: () => ['batch', at('rows.csv'), '--template', at('rows.csv'), ...batch().slice(4)], says: /--template .*not valid JSON/ },
  { what: '/etc/passwd as the templates file', args: () => ['batch', at('rows.csv'), '--template', '/etc/passwd', ...batch().slice(4)], says: /--template/ },
  // Text: unicode, control characters, huge values.
  { what: 'a provider in full-width letters', args: () => ['estimate', '--provider', 'ｄｅｍｏ', '--prompt', 'x', '--size', '64x64'], says: /Unknown provider "ｄｅｍｏ"/ },
  { what: 'a provider with a terminal escape', args: () => ['estimate', '--provider', 'demo\u001b[2J\u001b]0;owned\u0007', '--prompt', 'x', '--size', '64x64'], says: /Unknown provider "demo\\u\{1b\}\[2J\\u\{1b\}\]0;owned\\u\{7\}"/ },
  { what: 'a prompt with a NUL', args: () => ['generate', '--provider', 'demo', '--prompt', 'mug\u0000', '--size', '64x64'], says: /--prompt: prompt contains the control character U\+0000/ },
  { what: 'a prompt of zero-width characters', args: () => ['generate', '--provider', 'demo', '--prompt', '\u200b\u200d', '--size', '64x64'], says: /--prompt: prompt is empty/ },
  { what: 'a 1 MB prompt', args: () => ['generate', '--provider', 'demo', '--prompt', 'p'.repeat(1024 * 1024), '--size', '64x64'], says: /--prompt: prompt is longer than 32,000 characters/ },
  { what: 'an empty --ref', args: () => [...gen, '--ref', ''], says: /--ref is empty/ },
  { what: 'a --ref that is /etc/passwd', args: () => [...gen, '--ref', '/etc/passwd'], says: /\/etc\/passwd is not a PNG, JPEG or WebP/ },
  { what: 'a --ref that is a folder', args: () => [...gen, '--ref', root], says: /is not a file/ },
  { what: 'a file: base URL', args: () => [...gen, '--base-url', 'file:///etc/passwd'], says: /--base-url/ },
  { what: 'a --key-env that is no variable name', args: () => [...gen, '--key-env', 'MY KEY'], says: /--key-env/ },
  { what: 'a job id with ../', args: () => ['cancel', '../../etc/passwd'], says: /No job with id \.\.\/\.\.\/etc\/passwd/ },
  // Library folders that are not folders.
  { what: '--home pointing at a file', args: () => [...est, '--size', '64x64', '--home', at('a-file')], says: /a-file is a file/, ownHome: true },
  { what: '--home through a file', args: () => [...est, '--size', '64x64', '--home', join(at('a-file'), 'lib')], says: /is a file, or inside one/, ownHome: true },
  { what: 'an empty --home', args: () => [...est, '--size', '64x64', '--home', ''], says: /--home is empty/, ownHome: true },
  { what: '--home without a value', args: () => [...est, '--size', '64x64', '--home'], says: /--home needs a value/, ownHome: true },
]

/** Where a run that lost its --home would go instead of the user's real library; it must stay absent. */
const cli = (argv: string[]) => cliInProcess(argv, { PROOFSHEET_HOME: at('fallback-library') })

// eslint-disable-next-line no-control-regex -- a raw control character in terminal output is the failure
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/

describe('hostile command lines', () => {
  it.each(rows)('$what: exit 2, the flag and a fix, nothing written', async ({ args, says, ownHome }) => {
    const argv = ownHome ? args() : [...args(), '--home', home]
    const before = librarySnapshot(home)

    const run = await cli(argv)
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toMatch(/^error: /)
    expect(run.stderr.split('\n')[0]).toMatch(says)
    expect(run.stderr).toMatch(/\nfix: \S/)
    expect(run.stderr).not.toMatch(RAW_CONTROL)
    expect(run.stdout).toBe('')

    const json = await cli([...argv, '--json'])
    expect(json.code).toBe(2)
    const doc = json.json()
    expect(doc.error.message).toMatch(/\S/)
    expect(doc.error.fix).toMatch(/\S/)

    expect(librarySnapshot(home)).toEqual(before)
    expect(existsSync(at('fallback-library'))).toBe(false)
    const good = await cliInProcess(['estimate', '--provider', 'demo', '--prompt', 'still fine', '--size', '64x64', '--home', home, '--json'])
    expect(good.code, good.stderr).toBe(0)
    expect(good.json()).toMatchObject({ provider: 'demo', total: 0 })
  })

  it.each(['"unbalanced', 'NOT', 'AND OR', '*', 'NEAR(', 'prompt:"', '\u200b'])('answers gallery --search %j with no images and exit 0', async (search) => {
    const run = await cli(['gallery', '--search', search, '--home', home, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.json().images).toEqual([])
  })

  it('left the file given as --home untouched', () => {
    expect(readFileSync(at('a-file'), 'utf8')).toBe('not a folder')
  })
})
