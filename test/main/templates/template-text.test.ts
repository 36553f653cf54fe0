import { describe, expect, it } from 'vitest'
import {
  describeTemplateProblem,
  escapeTemplateText,
  listNames,
  parseTemplate,
  renderTemplate,
  suggestVariableName,
} from '../../../src/shared/templates/template-text'

describe('parseTemplate', () => {
  it('lists each variable once, in order of first use, with spaces inside the braces ignored', () => {
    const parsed = parseTemplate('{{ product }} in {{colour}}, a {{product}} on {{  surface}} and {{colour }}')
    expect(parsed.variables).toEqual(['product', 'colour', 'surface'])
    expect(parsed.errors).toEqual([])
    expect(parsed.parts).toEqual([
      { kind: 'variable', name: 'product' },
      { kind: 'text', text: ' in ' },
      { kind: 'variable', name: 'colour' },
      { kind: 'text', text: ', a ' },
      { kind: 'variable', name: 'product' },
      { kind: 'text', text: ' on ' },
      { kind: 'variable', name: 'surface' },
      { kind: 'text', text: ' and ' },
      { kind: 'variable', name: 'colour' },
    ])
  })

  it('treats names as case-sensitive identifiers: letters, digits, underscores, starting with a letter', () => {
    expect(parseTemplate('{{Product}} {{product}} {{p2_x}}').variables).toEqual(['Product', 'product', 'p2_x'])
    expect(parseTemplate('{{' + 'a'.repeat(40) + '}}').errors).toEqual([])
  })

  it('names the position and suggests a valid name for a bad one', () => {
    const parsed = parseTemplate('A mug\nin {{product name}} on {{2nd}}')
    expect(parsed.variables).toEqual([])
    expect(parsed.errors.map((e) => [e.line, e.column, e.index])).toEqual([
      [2, 4, 9],
      [2, 24, 29],
    ])
    expect(parsed.errors[0]!.message).toBe(
      'line 2, column 4: "{{product name}}" is not a valid variable name (use letters, digits and underscores, starting with a letter)',
    )
    expect(parsed.errors[0]!.fix).toBe('Write it as {{product_name}}, or write \\{{ for literal braces.')
    expect(parsed.errors[1]!.fix).toContain('{{nd}}')
  })

  it('reports empty braces, unclosed braces, nested braces and over-long names', () => {
    expect(parseTemplate('a {{ }} b').errors[0]!.message).toBe('line 1, column 3: empty {{ }} has no variable name')
    expect(parseTemplate('a {{product b').errors[0]!.message).toBe('line 1, column 3: "{{" is never closed with "}}"')
    const nested = parseTemplate('{{a {{b}}')
    expect(nested.errors.map((e) => e.column)).toEqual([1])
    expect(nested.variables).toEqual(['b'])
    expect(parseTemplate('{{' + 'a'.repeat(41) + '}}').errors[0]!.message).toContain('longer than 40 characters')
    expect(parseTemplate('{{{product}}}').errors[0]!.fix).toContain('{{product}}')
  })

  it('keeps single braces, stray closing braces and backslashes as text; \\{{ is a literal {{', () => {
    const parsed = parseTemplate('json {"a": 1} }} C:\\path \\{{not_a_var}} {{real}}')
    expect(parsed.errors).toEqual([])
    expect(parsed.variables).toEqual(['real'])
    expect(renderTemplate(parsed, { real: 'yes' }).text).toBe('json {"a": 1} }} C:\\path {{not_a_var}} yes')
  })
})

describe('renderTemplate', () => {
  const body = 'A {{product}} on {{surface}}, {{product}} in focus'

  it('fills repeated variables everywhere; values win over defaults; both are trimmed', () => {
    const r = renderTemplate(body, { product: '  ceramic mug ' }, { product: 'vase', surface: ' oak table ' })
    expect(r).toEqual({
      text: 'A ceramic mug on oak table, ceramic mug in focus',
      segments: [
        { kind: 'text', text: 'A ' },
        { kind: 'value', name: 'product', text: 'ceramic mug' },
        { kind: 'text', text: ' on ' },
        { kind: 'value', name: 'surface', text: 'oak table' },
        { kind: 'text', text: ', ' },
        { kind: 'value', name: 'product', text: 'ceramic mug' },
        { kind: 'text', text: ' in focus' },
      ],
      variables: ['product', 'surface'],
      missing: [],
      unknown: [],
      errors: [],
      complete: true,
    })
  })

  it('falls back to the default for a blank value, and reports what has neither', () => {
    const r = renderTemplate(body, { product: '   ', surface: '' }, { product: 'vase' })
    expect(r.text).toBe('A vase on {{surface}}, vase in focus')
    expect(r.missing).toEqual(['surface'])
    expect(r.segments[3]).toEqual({ kind: 'missing', name: 'surface', text: '{{surface}}' })
    expect(r.complete).toBe(false)
    expect(describeTemplateProblem(r)).toBe('Fill in surface.')

    const none = renderTemplate('{{a}} {{b}} {{c}} {{a}}')
    expect(none.missing).toEqual(['a', 'b', 'c'])
    expect(none.text).toBe('{{a}} {{b}} {{c}} {{a}}')
    expect(describeTemplateProblem(none)).toBe('Fill in a, b and c.')
  })

  it('reports values for names the body does not use, without failing the render', () => {
    const r = renderTemplate(body, { product: 'mug', surface: 'slate', sku: 'MUG-01', Product: 'x' })
    expect(r.unknown).toEqual(['sku', 'Product'])
    expect(r.complete).toBe(true)
    expect(describeTemplateProblem(r)).toBeNull()
  })

  it('is never complete with a syntax error, and says the error before any missing value', () => {
    const r = renderTemplate('{{product}} on {{bad name}}', { product: 'mug' })
    expect(r.complete).toBe(false)
    expect(r.text).toBe('mug on {{bad name}}')
    expect(describeTemplateProblem(r)).toMatch(/^line 1, column 16: "\{\{bad name\}\}" is not a valid variable name/)
    expect(describeTemplateProblem(renderTemplate('{{}} {{ }}'))).toMatch(/\(and 1 more problem\(s\)\)$/)
  })

  it('inserts values literally: braces inside a value are not variables', () => {
    expect(renderTemplate('{{a}} and {{b}}', { a: '{{b}}', b: 'x' }).text).toBe('{{b}} and x')
  })

  it('renders a body without variables as itself', () => {
    expect(renderTemplate('plain prompt, no variables')).toMatchObject({ text: 'plain prompt, no variables', complete: true })
    expect(renderTemplate('')).toMatchObject({ text: '', variables: [], complete: true })
  })
})

describe('escapeTemplateText', () => {
  it('turns any literal text into a body that renders back to exactly that text, with no variables', () => {
    const samples = ['{{product}}', '\\{{x}}', '{{{{', '{{{', 'a\\', '\\\\{{', '}}{{', 'plain', '', '{ {', '{{ }}\n{{bad name']
    // Plus strings built from the characters that matter, so odd combinations are covered too.
    const alphabet = ['{', '}', '\\', 'a', ' ']
    let seed = 7
    for (let n = 0; n < 500; n++) {
      let s = ''
      for (let k = 0; k < 12; k++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        s += alphabet[seed % alphabet.length]
      }
      samples.push(s)
    }
    for (const text of samples) {
      const body = escapeTemplateText(text)
      const r = renderTemplate(body)
      expect(r.errors, JSON.stringify(text)).toEqual([])
      expect(r.variables, JSON.stringify(text)).toEqual([])
      expect(r.text, JSON.stringify(text)).toBe(text)
    }
  })
})

describe('helpers', () => {
  it('suggests a valid name and lists names in prose', () => {
    expect(suggestVariableName(' Product Name! ')).toBe('Product_Name')
    expect(suggestVariableName('2nd')).toBe('nd')
    expect(suggestVariableName('---')).toBe('name')
    expect(listNames([])).toBe('')
    expect(listNames(['a'])).toBe('a')
    expect(listNames(['a', 'b'])).toBe('a and b')
  })
})
