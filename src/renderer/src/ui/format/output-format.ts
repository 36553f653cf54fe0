import type { OutputFormat } from '../../../../shared/api'

/** How the interface names each output format; keyed by the contract's enum, so a new format cannot go unnamed. */
export const FORMAT_NAMES: Readonly<Record<OutputFormat, string>> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' }
