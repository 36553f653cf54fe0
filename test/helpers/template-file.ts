/** A prompt-template file as `proofsheet templates` exports it, for CLI batch tests. */
import { writeFileSync } from 'node:fs'

export function writeTemplateFile(path: string, templates: { name: string; body: string; defaults?: Record<string, string> }[]): string {
  const file = {
    format: 'proofsheet.templates',
    version: 1,
    exportedAt: '2026-01-01T00:00:00.000Z',
    templates: templates.map((t) => ({ defaults: {}, notes: '', ...t })),
  }
  writeFileSync(path, JSON.stringify(file))
  return path
}
