import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A global install as a user makes one: `npm pack` (its prepack builds the command), then
// `npm install -g` of the tarball into a temp prefix, then the installed `proofsheet` run by the
// project's Node 22 and by an older Node on the machine (Node 20 here), which must refuse with
// the version it needs instead of crashing in a native module. The dependencies come from npm's
// cache when it holds them (--prefer-offline), else from the registry npm reaches. About 30 s.
const ROOT = join(import.meta.dirname, '..', '..')
const NODE_22 = process.execPath // the `node` package's Node 22: vitest runs on it
const work = mkdtempSync(join(tmpdir(), 'proofsheet-global-'))
const prefix = join(work, 'prefix')
const home = join(work, 'home')
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The first `node` on PATH older than 22.12 (the system's Node), or null. */
function olderNode(): string | null {
  const found = spawnSync('sh', ['-c', 'which -a node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
  for (const candidate of [...found, '/usr/bin/node']) {
    if (!existsSync(candidate)) continue
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
    const [major = 0, minor = 0] = version.split('.').map(Number)
    if (major < 22 || (major === 22 && minor < 12)) return candidate
  }
  return null
}

const run = (node: string, args: string[]) =>
  spawnSync(node, [join(prefix, 'bin', 'proofsheet'), ...args], {
    cwd: home,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), PROOFSHEET_HOME: join(home, 'library') },
    timeout: 60_000,
  })

beforeAll(() => {
  execFileSync('mkdir', ['-p', prefix, home])
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 })
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))
  expect(tarball, 'npm pack made no tarball').toBeDefined()
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball!)], {
    cwd: work,
    stdio: 'pipe',
    timeout: 240_000,
  })
}, 300_000)

describe('proofsheet installed globally from npm pack', () => {
  it('ships the built command and its launcher, not the sources', () => {
    const files = execFileSync('tar', ['tzf', join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!)], { encoding: 'utf8' }).split('\n')
    expect(files).toContain('package/bin/proofsheet.js')
    expect(files).toContain('package/out/cli/proofsheet.mjs')
    expect(files.filter((f) => /^package\/(src|test|bench|scripts)\//.test(f))).toEqual([])
  })

  it('runs on Node 22: --help and providers --json', () => {
    const help = run(NODE_22, ['--help'])
    expect(help.stderr).toBe('')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^proofsheet <command>/)
    const providers = run(NODE_22, ['providers', '--json'])
    expect(providers.status, providers.stderr).toBe(0)
    const ids = (JSON.parse(providers.stdout) as { providers: { id: string }[] }).providers.map((p) => p.id)
    expect(ids).toContain('demo')
  })

  it('refuses an older Node with the version it needs, exit 1, no crash', () => {
    const node = olderNode()
    expect(node, 'this test needs a Node older than 22.12 on the machine (the system Node); none was found').not.toBeNull()
    const result = run(node!, ['providers', '--json'])
    expect(result.signal).toBeNull()
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^error: proofsheet needs Node 22\.12 or newer; this is Node \d+\./)
  })
})
