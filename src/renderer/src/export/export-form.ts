import type { ExportOutput, ExportPreset, ExportRequest, ExportSelection, ExportState, OutputFormat } from '../../../shared/api'
import { plural, pluralWord } from '../../../shared/format/plural'

/**
 * The Export dialog's form as plain data: text as typed (a half-typed width is not a number
 * yet), turned into an ExportRequest for the engine, which does the real checking.
 */

export interface OutputDraft {
  /** Tells outputs apart in the list (React keys, edits, removal); unique, nothing more. */
  key: string
  label: string
  /** '' keeps the source format. */
  format: '' | OutputFormat
  quality: string
  width: string
  height: string
  fit: 'cover' | 'contain'
}

export interface ExportDraft {
  folder: string
  naming: string
  outputs: OutputDraft[]
  manifest: 'csv' | 'json' | 'none'
  zip: boolean
}

export function originalOutput(): OutputDraft {
  return { key: crypto.randomUUID(), label: '', format: '', quality: '', width: '', height: '', fit: 'cover' }
}

export function presetOutput(preset: ExportPreset): OutputDraft {
  const o = preset.output
  return { key: crypto.randomUUID(), label: o.label, format: o.format, quality: String(o.quality), width: String(o.width), height: String(o.height), fit: o.fit }
}

/** An output nobody has touched yet: a preset replaces it instead of adding beside it. */
export function isUntouched(output: OutputDraft): boolean {
  return !output.label && !output.format && !output.quality && !output.width && !output.height
}

const whole = (text: string): number | undefined => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim() === '' ? undefined : NaN)

export function toOutput(draft: OutputDraft): ExportOutput {
  const quality = whole(draft.quality)
  const width = whole(draft.width)
  const height = whole(draft.height)
  return {
    ...(draft.label.trim() ? { label: draft.label.trim() } : {}),
    ...(draft.format ? { format: draft.format } : {}),
    ...(quality !== undefined ? { quality } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    fit: draft.fit,
  }
}

export function toRequest(draft: ExportDraft, selection: ExportSelection): ExportRequest {
  return {
    folder: draft.folder.trim(),
    selection,
    naming: draft.naming,
    outputs: draft.outputs.map(toOutput),
    manifest: draft.manifest === 'none' ? null : draft.manifest,
    zip: draft.zip,
  }
}

export function describeSelection(selection: ExportSelection): string {
  switch (selection.kind) {
    case 'all':
      return 'All images'
    case 'batch':
      return `Batch ${selection.batchId}`
    case 'ids':
      return `${selection.ids.length} selected ${pluralWord(selection.ids.length, 'image')}`
    case 'filter':
      return selection.filter.search?.trim() ? `Images matching “${selection.filter.search.trim()}”` : 'Images shown in the gallery'
  }
}

export function progressText(state: ExportState): string {
  return `${state.imagesDone} of ${plural(state.images, 'image')} · ${plural(state.files, 'file')} written`
}

/** Joins a folder and a file name with the folder's own separator (Windows paths use "\\"). */
export function inFolder(folder: string, name: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/'
  return folder.endsWith(sep) ? `${folder}${name}` : `${folder}${sep}${name}`
}
