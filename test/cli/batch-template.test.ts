/**
 * `batch --template` takes what a user has at hand: a saved template's name, a plain text file
 * with {{variables}}, or a templates file exported from Proofsheet; told apart by content.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'
import { writeTemplateFile } from '../helpers/template-file'

function folder() {
  const dir = tempDir('proofsheet-cli-batch-template-')
  const csv = join(dir, 'rows.csv')
  writeFileSync(csv, 'sku,product\nK-1,red kettle\nK-2,steel toaster\n')
  return { dir, csv, home: join(dir, 'home') }
}

const dryRun = (csv: string, home: string, template: string, extra: string[] = [], cwd?: string) => {
  const args = ['batch', csv, '--template', template, '--sizes', '1024x1024', '--provider', 'demo', '--dry-run', '--json', '--home', home, ...extra]
  if (!cwd) return cliInProcess(args)
  const before = process.cwd()
  process.chdir(cwd)
  return cliInProcess(args).finally(() => process.chdir(before))
}

describe('batch --template', () => {
  it('takes a saved template by name (any case), with its defaults', async () => {
    const { csv, home } = folder()
    const run = await dryRun(csv, home, 'lifestyle SCENE')
    expect(run.code, run.stderr).toBe(0)
    const prompts = run.json().rows.map((r: { prompt: string }) => r.prompt)
    expect(prompts[0]).toMatch(/^red kettle in everyday use in a bright Scandinavian kitchen/)
    expect(prompts[1]).toMatch(/^steel toaster in everyday use/)
  })

  it('takes a plain text file with {{variables}}', async () => {
    const { dir, csv, home } = folder()
    const text = join(dir, 'prompt.txt')
    writeFileSync(text, 'Packshot of {{product}} on seamless white\n')
    const run = await dryRun(csv, home, text)
    expect(run.code, run.stderr).toBe(0)
    expect(run.json().rows.map((r: { prompt: string }) => r.prompt)).toEqual(['Packshot of red kettle on seamless white', 'Packshot of steel toaster on seamless white'])
  })

  it('still takes an exported templates file, choosing with --template-name', async () => {
    const { dir, csv, home } = folder()
    const file = writeTemplateFile(join(dir, 'mine.json'), [
      { name: 'Front', body: 'Front view of {{product}}' },
      { name: 'Back', body: 'Back view of {{product}}' },
    ])
    const run = await dryRun(csv, home, file, ['--template-name', 'back'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.json().rows[0].prompt).toBe('Back view of red kettle')
  })

  it('refuses, naming --template, a name that is no file and no saved template, listing the saved ones', async () => {
    const { csv, home } = folder()
    const run = await dryRun(csv, home, 'Lifestlye scene')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^error: --template "Lifestlye scene" is not a file, and no saved template has that name\./m)
    expect(run.stderr).toMatch(/^fix: Pass a saved template's name \(.*"Lifestyle scene".*\), a text file with \{\{variables\}\}, or a templates file exported from Proofsheet\./m)
    expect(run.json()).toMatchObject({ error: { flag: '--template' } })
  })

  it('refuses a text file without {{variables}} and a name that is both a file here and a saved template', async () => {
    const { dir, csv, home } = folder()
    const flat = join(dir, 'flat.txt')
    writeFileSync(flat, 'A kettle on white\n')
    const noVariables = await dryRun(csv, home, flat)
    expect(noVariables.code).toBe(2)
    expect(noVariables.stderr).toMatch(/--template .*flat\.txt is neither a templates file .* nor a template with \{\{variables\}\}/)

    writeFileSync(join(dir, 'Social cover'), 'Cover with {{product}}\n')
    const both = await dryRun(csv, home, 'Social cover', [], dir)
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--template "Social cover" is both a file here and the name of a saved template[\s\S]*fix: Write \.\/Social cover for the file/)
    const explicit = await dryRun(csv, home, './Social cover', [], dir)
    expect(explicit.code, explicit.stderr).toBe(0)
    expect(explicit.json().rows[0].prompt).toBe('Cover with red kettle')
  })
})
