import { readFileSync } from 'node:fs'

/**
 * The version `proofsheet --version` prints: package.json's own, so a release bumps one place.
 * Read when asked, not imported: the doors may import only src/shared and the engine's entry. The
 * source (src/cli/) and the built command (out/cli/) both sit two folders below the package root.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}
