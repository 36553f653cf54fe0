import { DEFAULT_NAMING, NAMING_FIELD_HELP, NAMING_FIELDS, type ExportPreset } from '../../../shared/api'
import type { Handlers } from '../router'
import type { ExportService } from './export-service'

type ExportRouteName = 'exports.start' | 'exports.status' | 'exports.cancel' | 'exports.preview' | 'exports.presets'

/**
 * Channel presets the app offers as one-click outputs; a person can change any field after. Their
 * naming carries {source_size}: one SKU made at two sizes gives two files that say which source
 * each came from, instead of "...-2000x2000.jpg" and "...-2.jpg".
 */
export const PRESET_NAMING = '{sku}-{prompt_slug}-{source_size}-{output}.{ext}'

export const EXPORT_PRESETS: readonly ExportPreset[] = [
  {
    id: 'web-shop',
    label: 'Web shop 2000x2000 JPEG',
    naming: PRESET_NAMING,
    output: { label: 'shop', format: 'jpeg', quality: 90, width: 2000, height: 2000, fit: 'contain' },
  },
  {
    id: 'social-portrait',
    label: 'Social 1080x1350',
    naming: PRESET_NAMING,
    output: { label: 'social', format: 'jpeg', quality: 85, width: 1080, height: 1350, fit: 'cover' },
  },
]

export function createExportHandlers(exports: ExportService): Pick<Handlers, ExportRouteName> {
  return {
    'exports.start': (input) => exports.start(input),
    'exports.status': (input) => exports.status(input.id),
    'exports.cancel': (input) => exports.cancel(input.id),
    'exports.preview': (input) => exports.preview(input),
    'exports.presets': () => ({
      presets: [...EXPORT_PRESETS],
      fields: NAMING_FIELDS.map((name) => ({ name, help: NAMING_FIELD_HELP[name] })),
      defaultNaming: DEFAULT_NAMING,
    }),
  }
}
