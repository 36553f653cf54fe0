import {
  ApiError,
  badInput,
  TEMPLATE_FILE_FORMAT,
  TEMPLATE_FILE_VERSION,
  TemplateFields,
  templateNameKey,
  type TemplateFile,
  type Remedy,
} from '../../../shared/api'
import { protoKeyPath } from '../raw-input'
import { checkTemplate } from './template-rules'

/**
 * The exported templates file, version 1:
 *   { "format": "proofsheet.templates", "version": 1, "exportedAt": ISO time,
 *     "templates": [{ "name", "body", "defaults": { variable: text }, "notes" }] }
 * Reading checks every entry before returning any, and names the entry and field at fault, so an
 * import is all or nothing. Library-local details (ids, dates) are not part of the file.
 */

export function writeTemplateFile(templates: readonly TemplateFields[], now: number): TemplateFile {
  return {
    format: TEMPLATE_FILE_FORMAT,
    version: TEMPLATE_FILE_VERSION,
    exportedAt: new Date(now).toISOString(),
    templates: templates.map((t) => ({ name: t.name, body: t.body, defaults: t.defaults, notes: t.notes })),
  }
}

const FIX_FILE: Remedy = { code: 'templates_file' }

function entryLabel(index: number, entry: unknown): string {
  const name = typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined
  return typeof name === 'string' && name.trim() ? `Template ${index + 1} ("${name.trim()}")` : `Template ${index + 1}`
}

function entryError(index: number, entry: unknown, path: string, message: string, fix: string): ApiError {
  return badInput(`templates.${index}.${path}`, `${entryLabel(index, entry)}: ${path}: ${message}`, fix)
}

function readEntry(index: number, entry: unknown): TemplateFields {
  const parsed = TemplateFields.safeParse(entry)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
    const path = [...issue.path.map(String), ...(extra ? [extra] : [])].join('.') || 'entry'
    const message = issue.code === 'unrecognized_keys' ? 'is not a field of a template' : issue.message
    throw entryError(index, entry, path, message, 'Each template has a name and a body, and may have defaults (text per variable) and notes.')
  }
  const checked = checkTemplate(parsed.data)
  if (!checked.ok) throw entryError(index, entry, checked.problem.path, checked.problem.message, checked.problem.fix)
  return checked.value
}

/** Parses and checks a whole file; throws a bad_input ApiError naming the first problem. */
export function readTemplateFile(json: string): TemplateFields[] {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch (err) {
    throw badInput('json', `The file is not valid JSON (${(err as Error).message}).`, FIX_FILE)
  }
  // A record schema would assign a "__proto__" key (changing the prototype), so its value would vanish unreported.
  const proto = protoKeyPath(data)
  if (proto !== null) throw badInput(proto, `${proto}: "__proto__" cannot be used as a name in a templates file.`, FIX_FILE)
  const envelope = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  if (envelope.format !== TEMPLATE_FILE_FORMAT) {
    throw badInput('format', `This is not a Proofsheet templates file: "format" should be "${TEMPLATE_FILE_FORMAT}".`, FIX_FILE)
  }
  const { version, templates } = envelope
  if (typeof version === 'number' && version > TEMPLATE_FILE_VERSION) {
    throw badInput(
      'version',
      `The file was written by a newer Proofsheet (templates file version ${version}; this version reads ${TEMPLATE_FILE_VERSION}).`,
      'Update Proofsheet, or export the templates again from this version.',
    )
  }
  if (version !== TEMPLATE_FILE_VERSION) {
    throw badInput('version', `"version" should be ${TEMPLATE_FILE_VERSION}.`, FIX_FILE)
  }
  if (!Array.isArray(templates)) throw badInput('templates', '"templates" should be a list of templates.', FIX_FILE)

  const entries = templates.map((entry, index) => readEntry(index, entry))
  const seen = new Map<string, number>()
  entries.forEach((entry, index) => {
    const key = templateNameKey(entry.name)
    const first = seen.get(key)
    if (first !== undefined) {
      throw badInput(
        `templates.${index}.name`,
        `Templates ${first + 1} and ${index + 1} are both named "${entry.name}".`,
        'Give each template in the file its own name.',
      )
    }
    seen.set(key, index)
  })
  return entries
}
