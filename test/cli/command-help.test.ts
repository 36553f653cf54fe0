import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/main'
import { helpText } from '../../src/cli/command-help'
import { cliInProcess } from '../helpers/cli-in-process'

const ROOT = join(import.meta.dirname, '..', '..')
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/** The `--flag` names listed under "Flags:" in a command's help. */
function flagsInHelp(text: string): string[] {
  const section = text.split('\nFlags:\n')[1]?.split('\n\n')[0] ?? ''
  return section.split('\n').map((line) => /^ {2}--([a-z][a-z-]*)/.exec(line)?.[1]).filter((f): f is string => f !== undefined)
}

describe('proofsheet --version', () => {
  it('prints the package version for --version and -V, and { version } with --json', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await cliInProcess([flag])
      expect(run.code).toBe(0)
      expect(run.stdout.trim()).toBe(`proofsheet ${version}`)
    }
    const json = await cliInProcess(['--version', '--json'])
    expect(json.code).toBe(0)
    expect(json.json()).toEqual({ version })
  })
})

describe('each command has its own help', () => {
  it('every flag the parser takes is in its help, and every flag in its help is one the parser takes', () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const listed = flagsInHelp(helpText(name, command.help)).sort()
      expect({ name, listed }).toEqual({ name, listed: Object.keys(command.options).sort() })
    }
  })

  it('export --help and help export print export\'s flags, examples and exit codes, not the global help', async () => {
    for (const args of [['export', '--help'], ['help', 'export'], ['export', '-h']]) {
      const run = await cliInProcess(args)
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^proofsheet export: /)
      expect(run.stdout).toMatch(/--manifest csv\|json\|none/)
      expect(run.stdout).toMatch(/Examples:\n {2}proofsheet export --out/)
      expect(run.stdout).toMatch(/Exit codes: 0 all done, 1 /)
      expect(run.stdout).not.toMatch(/^Commands:/m)
    }
  })

  it('the global help lists every command with its summary and says how to get one command\'s help', async () => {
    const run = await cliInProcess(['help'])
    expect(run.code).toBe(0)
    for (const [name, command] of Object.entries(COMMANDS)) expect(run.stdout).toContain(`${name}`.padEnd(9) + `  ${command.help.summary}`)
    expect(run.stdout).toMatch(/proofsheet COMMAND --help/)
    expect(run.stdout).toMatch(/--version, -V/)
  })

  it('help for a command that does not exist exits 2 and lists the commands', async () => {
    const run = await cliInProcess(['help', 'exprot'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Unknown command "exprot"[\s\S]*fix: Commands: providers, .*export/)
  })
})
