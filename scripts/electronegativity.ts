#!/usr/bin/env node
// `npm run electronegativity`, and a step of `npm test` after the build: runs Doyensec's
// electronegativity over the app and fails on any finding that SECURITY.md does not list as
// reviewed (or on a listed one that no longer occurs). It reads src/ (every file parses, and the
// findings point at the lines we edit) together with the built out/renderer and out/preload (what
// runs beside untrusted content, third-party code included). Not out/main: that is src/main again
// plus the bundled engine, whose private class fields the tool's parser cannot read.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { asTableRow, compareFindings, parseReviewedFindings, type Finding } from './electronegativity-review'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

// The tool fetches translations and Electron's release list from the web on every run. This
// machine (and CI) reaches no network but the package registry, so its HTTP client is replaced
// by one that fails at once, before anything is sent; the tool falls back to its bundled texts.
const toolEntry = require.resolve('@doyensec/electronegativity')
const gotPath = createRequire(toolEntry).resolve('got')
const offline = Object.assign(() => Promise.reject(new Error('offline: electronegativity may not use the network here')), {
  head: () => Promise.reject(new Error('offline')),
})
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) } as NodeJS.Module

interface ToolIssue extends Finding {
  readonly location?: { line: number }
  readonly severity?: { name: string }
  readonly confidence?: { name: string }
}
type Run = (options: Record<string, unknown>) => Promise<{ issues: ToolIssue[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>
const tool = require('@doyensec/electronegativity') as { default?: Run } & Run
const run = tool.default ?? tool

const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version

const built = ['out/renderer', 'out/preload']
for (const dir of built) {
  if (!existsSync(join(root, dir))) {
    console.error(`electronegativity: ${dir} is missing; run npm run build first.`)
    process.exit(2)
  }
}
// One folder holding both, so the global checks (navigation, permissions) see main's handlers.
const input = mkdtempSync(join(tmpdir(), 'proofsheet-electronegativity-'))
let result: Awaited<ReturnType<Run>>
try {
  for (const dir of ['src', ...built]) cpSync(join(root, dir), join(input, dir), { recursive: true })
  result = await run({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    // Needs Electron's release list from the web; Electron upgrades are npm's business (npm audit).
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  })
} finally {
  rmSync(input, { recursive: true, force: true })
}

const findings: Finding[] = result.issues.map((issue) => ({
  id: issue.id,
  file: issue.file,
  ...(issue.location ? { line: issue.location.line } : {}),
  ...(issue.sample !== undefined ? { sample: issue.sample } : {}),
  ...(issue.description !== undefined ? { description: issue.description } : {}),
}))
const { unreviewed, stale } = compareFindings(findings, parseReviewedFindings(readFileSync(join(root, 'SECURITY.md'), 'utf8')))
// A file the tool could not parse is a file it did not check.
const unparsed = result.errors.filter((error) => !error.tolerable)

for (const error of unparsed) console.error(`electronegativity could not parse ${error.file}: ${error.message}`)
if (unreviewed.length > 0) {
  console.error('electronegativity: findings not reviewed in SECURITY.md (fix them, or add a row saying why each is fine):')
  for (const finding of unreviewed) console.error(asTableRow(finding))
}
for (const entry of stale) console.error(`electronegativity: SECURITY.md lists ${entry.id} in ${entry.file} (${entry.code || 'no code'}), which no longer occurs: remove the row.`)

if (unparsed.length + unreviewed.length + stale.length > 0) process.exit(1)
console.log(`electronegativity: ${findings.length} findings, all reviewed in SECURITY.md (Electron ${electronVersion}; src/, out/renderer, out/preload).`)
