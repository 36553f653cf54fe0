/**
 * The engine's field names as the flags a user typed, so messages and fixes point at the command
 * line (cli-error.ts for messages, remedy-words.ts for a remedy that names a field).
 */
const FLAG_FOR_FIELD: Record<string, string> = {
  prompt: '--prompt',
  provider: '--provider',
  sizes: '--size',
  size: '--size',
  resolution: '--resolution',
  aspect: '--aspect',
  format: '--format',
  quality: '--quality',
  background: '--background',
  compression: '--compression',
  n: '--n',
  refs: '--ref',
  mask: '--mask',
  baseUrl: '--base-url',
  partialImages: '--partial-images',
  key: '--key / --key-env',
  'key.keyEnv': '--key-env',
  label: '--label',
  secret: 'the key on stdin',
  home: '--home',
  library: '--home',
  limit: '--limit',
  search: '--search',
  folder: '--out',
  naming: '--naming',
  selection: '--batch / --search / --ids',
  'selection.batchId': '--batch',
  'selection.ids': '--ids',
  outputs: '--format / --size',
}

export function flagFor(field: string | undefined): string | undefined {
  if (!field) return undefined
  return FLAG_FOR_FIELD[field] ?? FLAG_FOR_FIELD[field.split('.')[0] ?? ''] ?? field
}

