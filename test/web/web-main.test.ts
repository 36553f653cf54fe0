import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The command line of `npm run web`: a bad flag is a usage error (exit 2) that names the flag.

const REPO = fileURLToPath(new URL('../..', import.meta.url))

function runWeb(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/web/main.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: result.status, stderr: result.stderr, stdout: result.stdout }
}

describe('npm run web command line', () => {
  it.each([
    [['--bogus'], '--bogus'],
    [['--port', 'eighty'], '--port'],
    [['--port', '70000'], '--port'],
    [['--demo-delay', '-5'], '--demo-delay'],
    [['--home'], '--home'],
    [['stray'], 'stray'],
  ])('refuses %j with exit 2, naming %s', (args, named) => {
    const result = runWeb(args)
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(named)
    expect(result.stderr).toContain('Usage: npm run web --')
    expect(result.stdout).toBe('')
  })
})
