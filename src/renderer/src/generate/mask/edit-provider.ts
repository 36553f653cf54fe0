import type { KeyInfo, ProviderSummary } from '../../../../shared/api'

/**
 * Which provider an "Edit" runs on: one that takes a reference image as a file and a mask. The
 * chosen provider stays when it can; otherwise the first that can and is ready to use (no key
 * needed, or a stored key that can be read), else the first that can at all.
 */
export function editsWithMask(provider: ProviderSummary): boolean {
  const rule = provider.references
  return rule !== null && rule.mask && rule.accepts.includes('file')
}

export function editProvider(providers: readonly ProviderSummary[], keys: readonly KeyInfo[]): ProviderSummary | undefined {
  const able = providers.filter(editsWithMask)
  const ready = (p: ProviderSummary): boolean => !p.needsKey || keys.some((k) => k.provider === p.id && k.available)
  return able.find((p) => p.needsKey && ready(p)) ?? able.find(ready) ?? able[0]
}
