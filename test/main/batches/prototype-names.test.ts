/**
 * Variable names and column headers that are also members of every JavaScript object
 * (`constructor`, `toString`, `hasOwnProperty`, `valueOf`, `__proto__`) are ordinary names in a
 * batch: the preview through the engine's router fills them from their columns, uses their
 * defaults, reports them missing when empty, and never finds Object.prototype's functions instead.
 */
import { describe, expect, it } from 'vitest'
import type { BatchInputDraft } from '../../../src/shared/api'
import { renderTemplate } from '../../../src/shared/templates/template-text'
import { call, openEngine } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const body = '{{constructor}} by {{toString}}, {{hasOwnProperty}} ({{valueOf}})'

function demoBatch(table: string, defaults: Record<string, string> = {}): BatchInputDraft {
  return {
    template: { name: 'Prototype names', body, defaults },
    table,
    sourceName: 'rows.csv',
    settings: { provider: 'demo', sizes: [{ width: 1024, height: 1024 }] },
  }
}

describe('variables named like Object.prototype members', () => {
  it('render as missing when nothing fills them, and from values and defaults when given (shared rules)', () => {
    const empty = renderTemplate(body)
    expect(empty.missing).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])
    expect(empty.text).toBe(body)
    const filled = renderTemplate(body, { constructor: 'kettle', toString: 'Ada' }, { hasOwnProperty: 'oak', valueOf: 'v1' })
    expect(filled).toMatchObject({ text: 'kettle by Ada, oak (v1)', complete: true, unknown: [] })
    // `{{__proto__}}` is not a variable name (it starts with an underscore): a syntax problem, not a crash.
    expect(renderTemplate('{{__proto__}} shot').errors[0]?.message).toMatch(/not a valid variable name/)
  })

  it('fill from their columns in the batch preview, with a __proto__ column left unmatched', async () => {
    const engine = await openEngine(tempDir('proofsheet-proto-'), { runQueue: false })
    const table = 'constructor,toString,hasOwnProperty,__proto__\nkettle,Ada,oak,x\n,Bo,,y\n'
    const preview = await call(engine, 'batches.preview', demoBatch(table, { valueOf: 'v1', hasOwnProperty: 'linen' }))
    expect(preview.columns.map((c) => [c.header, c.role, c.variables])).toEqual([
      ['constructor', 'variable', ['constructor']],
      ['toString', 'variable', ['toString']],
      ['hasOwnProperty', 'variable', ['hasOwnProperty']],
      ['__proto__', 'unmatched', []],
    ])
    expect(preview.unfilledVariables).toEqual([{ name: 'valueOf', default: 'v1' }])
    expect(preview.rows[0]).toMatchObject({ prompt: 'kettle by Ada, oak (v1)', problems: [] })
    expect(preview.rows[1]!.prompt).toBe('{{constructor}} by Bo, linen (v1)')
    expect(preview.rows[1]!.problems).toEqual([{ field: 'constructor', message: expect.stringContaining('"constructor" is empty on this row') }])
    expect(preview).toMatchObject({ validRows: 1, invalidRows: 1 })
  })

  it('with no column and no default are reported missing, by name', async () => {
    const engine = await openEngine(tempDir('proofsheet-proto-'), { runQueue: false })
    const preview = await call(engine, 'batches.preview', demoBatch('sku\nA1\n'))
    expect(preview.unfilledVariables).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((name) => ({ name, default: null })))
    expect(preview.rows[0]!.problems.map((p) => p.field)).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])
  })
})
