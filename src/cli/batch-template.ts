import { readFileSync, statSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { ApiError, templateNameKey, type TemplateFieldsInput, type TemplateView } from '../shared/api'
import { parseTemplate } from '../shared/templates/template-text'
import { readTemplateFile } from '../main/core'
import { CliError, EXIT_BAD_INPUT } from './cli-error'
import { cliFix } from './remedy-words'

/**
 * What `batch --template X` names, told apart by what X is rather than by more flags: a file whose
 * text is JSON is a templates file exported from Proofsheet; any other file is a template's body
 * with {{variables}}; a name that is no file is a template saved in the library. A name that is
 * both a file here and a saved template is refused, never guessed.
 */
export async function batchTemplate(
  given: string,
  templateName: string | undefined,
  savedTemplates: () => Promise<TemplateView[]>,
): Promise<TemplateFieldsInput> {
  const file = isFile(given)
  const saved = await savedTemplates()
  const named = saved.filter((t) => t.id === given || templateNameKey(t.name) === templateNameKey(given))
  if (file && named.length > 0 && !/[/\\]/.test(given)) {
    throw new CliError(
      `--template "${given}" is both a file here and the name of a saved template.`,
      `Write ./${given} for the file, or rename the file to use the saved template.`,
      EXIT_BAD_INPUT,
      '--template',
    )
  }
  if (file) return fromFile(given, templateName)
  if (templateName !== undefined) throw new CliError('--template-name picks a template inside a templates file.', `Leave it out, or pass a templates file as --template.`, EXIT_BAD_INPUT, '--template-name')
  const [found, ...others] = named
  if (found && others.length === 0) return { name: found.name, body: found.body, defaults: found.defaults, notes: found.notes }
  if (found) {
    throw new CliError(`--template "${given}" names ${named.length} saved templates.`, `Use one of their ids: ${named.map((t) => t.id).join(', ')}.`, EXIT_BAD_INPUT, '--template')
  }
  const names = saved.map((t) => `"${t.name}"`).join(', ')
  throw new CliError(
    `--template "${given}" is not a file, and no saved template has that name.`,
    `Pass a saved template's name${names ? ` (${names})` : ''}, a text file with {{variables}}, or a templates file exported from Proofsheet.`,
    EXIT_BAD_INPUT,
    '--template',
  )
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function fromFile(path: string, templateName: string | undefined): TemplateFieldsInput {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(`Cannot read the template file ${path} (${code ?? (err as Error).message}).`, 'Check the path given as --template.', EXIT_BAD_INPUT, '--template')
  }
  // An exported file is a JSON object; a template's own text never starts with "{" (that would be a variable or stray brace).
  const content = text.replace(/^\uFEFF/, '')
  if (content.trimStart().startsWith('{') && !content.trimStart().startsWith('{{')) return fromTemplatesFile(path, content, templateName)
  if (templateName !== undefined) {
    throw new CliError(`--template-name picks a template inside a templates file; ${path} is a template's text.`, 'Leave --template-name out.', EXIT_BAD_INPUT, '--template-name')
  }
  const parsed = parseTemplate(content)
  const [error] = parsed.errors
  if (error) throw new CliError(`--template ${path}, ${error.message}`, error.fix, EXIT_BAD_INPUT, '--template')
  if (parsed.variables.length === 0) {
    throw new CliError(
      `--template ${path} is neither a templates file (it is not valid JSON) nor a template with {{variables}} for the rows to fill.`,
      'Pass a saved template\'s name, a text file such as "Packshot of {{product}} on white", or a templates file exported from Proofsheet.',
      EXIT_BAD_INPUT,
      '--template',
    )
  }
  return { name: basename(path, extname(path)), body: content.trim() }
}

function fromTemplatesFile(path: string, content: string, wanted: string | undefined): TemplateFieldsInput {
  let templates
  try {
    templates = readTemplateFile(content)
  } catch (err) {
    if (err instanceof ApiError) throw new CliError(`--template ${path}: ${err.message}`, cliFix(err), EXIT_BAD_INPUT, '--template')
    throw err
  }
  const names = templates.map((t) => t.name)
  if (wanted !== undefined) {
    const found = templates.find((t) => templateNameKey(t.name) === templateNameKey(wanted))
    if (!found) throw new CliError(`${path} has no template named "${wanted}".`, `It has: ${names.join(', ')}.`, EXIT_BAD_INPUT, '--template-name')
    return found
  }
  if (templates.length !== 1) {
    throw new CliError(`${path} holds ${templates.length} templates; a batch uses one.`, `Add --template-name with one of: ${names.join(', ')}.`, EXIT_BAD_INPUT, '--template-name')
  }
  return templates[0]!
}
