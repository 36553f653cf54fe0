/**
 * `proofsheet batch --dry-run` with a template whose variables are named like members of every
 * JavaScript object (constructor, toString, hasOwnProperty) and a table with a `__proto__` column:
 * the preview fills them from their columns and defaults like any other name.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'
import { writeTemplateFile } from '../helpers/template-file'

describe('proofsheet batch --dry-run with prototype-named variables', () => {
  it('fills {{constructor}}, {{toString}} and {{hasOwnProperty}}, JSON and words alike', async () => {
    const dir = tempDir('proofsheet-cli-proto-')
    const template = writeTemplateFile(join(dir, 'proto.json'), [
      { name: 'Proto', body: '{{constructor}} by {{toString}} on {{hasOwnProperty}}', defaults: { hasOwnProperty: 'oak' } },
    ])
    const csv = join(dir, 'rows.csv')
    writeFileSync(csv, 'sku,constructor,toString,__proto__\nA1,kettle,Ada,x\nA2,lamp,Bo,y\n')
    const args = ['batch', csv, '--template', template, '--provider', 'demo', '--sizes', '1024x1024', '--dry-run', '--home', join(dir, 'home')]

    const json = await cliInProcess([...args, '--json'])
    expect(json.stderr).toBe('')
    expect(json.code).toBe(0)
    expect(json.json().rows.map((r: { prompt: string }) => r.prompt)).toEqual(['kettle by Ada on oak', 'lamp by Bo on oak'])
    expect(json.json()).toMatchObject({ validRows: 2, invalidRows: 0, unmatchedHeaders: ['__proto__'] })

    const words = await cliInProcess(args)
    expect(words.code).toBe(0)
    expect(words.stdout).toContain('kettle by Ada on oak')
  })
})
