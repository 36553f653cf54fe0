import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'

describe('proofsheet templates', () => {
  it('lists the library templates with their variables, as a table or as JSON', async () => {
    const home = tempDir('proofsheet-cli-templates-')
    const text = await cliInProcess(['templates', '--home', home])
    expect(text.code).toBe(0)
    const lines = text.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^name\s+variables\s+id$/)
    expect(lines[3]).toMatch(/^White background packshot\s+product, angle, finish\s+tpl_/)

    const json = await cliInProcess(['templates', '--json', '--home', home])
    expect(json.code).toBe(0)
    expect(json.json().templates.map((t: { name: string }) => t.name)).toEqual(['Lifestyle scene', 'Social cover', 'White background packshot'])
  })

  it('refuses arguments it does not take, with exit code 2', async () => {
    const run = await cliInProcess(['templates', 'extra', '--home', tempDir('proofsheet-cli-templates-')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('error:')
  })
})
