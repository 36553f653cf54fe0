// `npm run package:check`: what can be checked of the installers without Electron's binary (its
// download is not reachable on our machines). Builds the unpacked Linux app (electron-builder's
// `dir` target) from the same configuration as `npm run dist`, with a stand-in for Electron
// (stand-in.mjs), then checks what went in: the asar's file list, the native modules unpacked
// beside it, package.json's main and version, the icons. Run `electron-vite build` first (the npm
// script does). Exit codes: 0 all checks pass, 1 a check failed, 2 the build itself failed.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ICNS_TYPES, ICO_SIZES, ICONS_DIR, PNG_SIZES } from './icons.mjs'
import { makeElectronStandIn, STAND_IN_MARKER } from './stand-in.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Builds the unpacked app into `workDir` with the stand-in; returns the app folder. */
export async function buildWithStandIn(workDir, { log = console.log } = {}) {
  const { build, Platform, Arch } = await import('electron-builder')
  walkDependenciesInWorktree(log)
  const { config } = await import('../../electron-builder.config.mjs')
  const standIn = makeElectronStandIn(join(workDir, 'electron-stand-in'))
  const output = join(workDir, 'dist')
  log(`package:check: building the unpacked app with the stand-in for Electron at ${standIn}`)
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: { ...config, electronDist: standIn, directories: { ...config.directories, output } },
  })
  return join(output, 'linux-unpacked')
}

/**
 * In a git worktree whose node_modules is a symlink to another checkout's, `npm list` counts every
 * package as extraneous and electron-builder's npm collector then leaves out hoisted dependencies
 * (electron-updater's, sharp's @img packages). There, collect by walking node_modules instead:
 * electron-builder's own fallback collector, which reads the folders as Node would resolve them.
 */
function walkDependenciesInWorktree(log) {
  if (!lstatSync(join(ROOT, 'node_modules')).isSymbolicLink()) return
  const collectors = createRequire(import.meta.url)('app-builder-lib/out/node-module-collector/index.js')
  const original = collectors.getCollectorByPackageManager
  if (original.walksWorktree) return
  const patched = (pm, dir, temp) => original(pm === collectors.PM.NPM ? collectors.PM.TRAVERSAL : pm, dir, temp)
  patched.walksWorktree = true
  collectors.getCollectorByPackageManager = patched
  log('package:check: node_modules is a symlink (a worktree): dependencies collected by walking node_modules, not by npm list')
}

function walk(dir) {
  const files = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...walk(path))
    else files.push(path)
  }
  return files
}

/**
 * Checks an unpacked app folder; each failure is one sentence naming what is wrong.
 * @returns {Promise<{ failures: string[], asarFiles: string[], unpacked: string[] }>}
 */
export async function checkPackagedApp(appDir, { projectRoot = ROOT } = {}) {
  const asar = await import('@electron/asar')
  const failures = []
  const resources = join(appDir, 'resources')
  const archive = join(resources, 'app.asar')
  if (!existsSync(archive)) return { failures: [`no app.asar in ${resources}`], asarFiles: [], unpacked: [] }

  // Paths in the asar start with a separator: /out/main/index.js, /node_modules/zod/...
  const asarFiles = asar.listPackage(archive, { isPack: false }).map((p) => p.replaceAll('\\', '/'))
  for (const folder of ['test', 'bench', 'src', 'scripts', 'docs', 'screenshots', 'lint', 'build', 'dist']) {
    const found = asarFiles.filter((p) => p === `/${folder}` || p.startsWith(`/${folder}/`))
    if (found.length > 0) failures.push(`the asar holds ${found.length} path(s) from ${folder}/ (first ${found[0]})`)
  }
  const typescript = asarFiles.filter((p) => /\.(ts|tsx|mts|cts)$/.test(p) && !p.endsWith('.d.ts'))
  if (typescript.length > 0) failures.push(`the asar holds ${typescript.length} TypeScript source(s) (first ${typescript[0]})`)
  const maps = asarFiles.filter((p) => p.endsWith('.map'))
  if (maps.length > 0) failures.push(`the asar holds ${maps.length} source map(s) (first ${maps[0]})`)
  for (const needed of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/resources/icon.png', '/README.md', '/SECURITY.md']) {
    if (!asarFiles.includes(needed)) failures.push(`the asar lacks ${needed}, which the app loads`)
  }

  const ours = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'))
  const packed = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'))
  if (packed.main !== ours.main) failures.push(`package.json in the asar has main ${packed.main}, expected ${ours.main}`)
  if (packed.version !== ours.version) failures.push(`package.json in the asar has version ${packed.version}, expected ${ours.version}`)
  if (!asarFiles.includes(`/${packed.main}`)) failures.push(`package.json's main (${packed.main}) is not in the asar`)

  // Native code must sit outside the asar, at the path the asar's entry names.
  const unpackedDir = join(resources, 'app.asar.unpacked')
  const unpacked = existsSync(unpackedDir) ? walk(unpackedDir).map((p) => relative(unpackedDir, p).replaceAll('\\', '/')) : []
  const natives = {
    'better-sqlite3': (p) => p === 'node_modules/better-sqlite3/prebuilds/linux-x64.node' || /^node_modules\/better-sqlite3\/build\/Release\/.*\.node$/.test(p),
    keytar: (p) => p.startsWith('node_modules/keytar/') && p.endsWith('.node'),
    sharp: (p) => p.startsWith('node_modules/@img/sharp-linux-x64/') && p.endsWith('.node'),
    "sharp's libvips": (p) => p.startsWith('node_modules/@img/sharp-libvips-linux-x64/') && /libvips-cpp\.so/.test(p),
  }
  for (const [name, matches] of Object.entries(natives)) {
    if (!unpacked.some(matches)) failures.push(`no native file of ${name} for linux-x64 under app.asar.unpacked`)
  }
  // Resolvable as the app requires them: each package at the top of node_modules with its entry.
  for (const name of ['better-sqlite3', 'keytar', 'sharp', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', 'zod', 'electron-log', 'electron-updater']) {
    if (!asarFiles.includes(`/node_modules/${name}/package.json`)) {
      failures.push(`${name} is not at node_modules/${name} in the asar, so the app cannot require it`)
      continue
    }
    const manifest = JSON.parse(asar.extractFile(archive, `node_modules/${name}/package.json`).toString('utf8'))
    const entry = typeof manifest.main === 'string' ? manifest.main.replace(/^\.\//, '') : null
    if (entry && !asarFiles.includes(`/node_modules/${name}/${entry}`) && !asarFiles.includes(`/node_modules/${name}/${entry}.js`)) {
      failures.push(`${name}'s entry (${manifest.main}) is not in the asar`)
    }
  }
  const foreign = unpacked.filter((p) => /^node_modules\/better-sqlite3\/prebuilds\//.test(p) && !p.endsWith('/linux-x64.node'))
  if (foreign.length > 0) failures.push(`better-sqlite3 builds for other platforms were packed: ${foreign.join(', ')}`)
  const packedNatives = asarFiles.filter((p) => p.endsWith('.node') && !unpacked.includes(p.slice(1)))
  if (packedNatives.length > 0) failures.push(`${packedNatives.length} .node file(s) packed inside the asar, not unpacked (first ${packedNatives[0]})`)

  // Icons: the Linux set electron-builder copied, and the macOS/Windows containers it was given.
  const iconsDir = join(resources, '..')
  const linuxIcons = existsSync(join(iconsDir, 'resources')) ? walk(appDir).filter((p) => p.endsWith('.png') && !p.includes('app.asar')) : []
  if (linuxIcons.length === 0 && !existsSync(join(ICONS_DIR, 'png', '512x512.png'))) failures.push('no Linux icon set (build/icons/png)')
  failures.push(...checkIconFiles(ICONS_DIR))
  if (existsSync(join(appDir, STAND_IN_MARKER)) === false) failures.push(`the build did not use the stand-in (no ${STAND_IN_MARKER})`)
  return { failures, asarFiles, unpacked }
}

/** The icon files the targets need, read back: sizes in the PNGs, entries in the ICO and ICNS. */
export function checkIconFiles(dir) {
  const failures = []
  for (const size of PNG_SIZES) {
    const file = join(dir, 'png', `${size}x${size}.png`)
    if (!existsSync(file)) failures.push(`icon ${file} is missing`)
    else {
      const png = readFileSync(file)
      if (png.readUInt32BE(16) !== size || png.readUInt32BE(20) !== size) failures.push(`icon ${file} is not ${size}x${size}`)
    }
  }
  const ico = existsSync(join(dir, 'icon.ico')) ? readFileSync(join(dir, 'icon.ico')) : null
  if (!ico || ico.readUInt16LE(2) !== 1 || ico.readUInt16LE(4) !== ICO_SIZES.length) failures.push(`icon.ico is missing or does not hold ${ICO_SIZES.length} images`)
  else if (!ICO_SIZES.every((size, i) => (ico[6 + 16 * i] || 256) === size)) failures.push('icon.ico does not hold the sizes 16 to 256')
  const icns = existsSync(join(dir, 'icon.icns')) ? readFileSync(join(dir, 'icon.icns')) : null
  if (!icns || icns.toString('latin1', 0, 4) !== 'icns' || icns.readUInt32BE(4) !== icns.length) failures.push('icon.icns is missing or its header is wrong')
  else {
    const types = []
    for (let at = 8; at + 8 <= icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.toString('latin1', at, at + 4))
    const missing = ICNS_TYPES.map(([type]) => type).filter((type) => !types.includes(type))
    if (missing.length > 0) failures.push(`icon.icns lacks ${missing.join(', ')}`)
  }
  return failures
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    console.error('package:check: out/main is not built. Run "npx electron-vite build" first (npm run package:check does).')
    process.exit(2)
  }
  const workDir = mkdtempSync(join(tmpdir(), 'proofsheet-package-check-'))
  const keep = process.argv.includes('--keep')
  let appDir
  try {
    appDir = await buildWithStandIn(workDir)
  } catch (err) {
    console.error(`package:check: electron-builder failed: ${err instanceof Error ? err.message : String(err)}`)
    if (!keep) rmSync(workDir, { recursive: true, force: true })
    process.exit(2)
  }
  const { failures, asarFiles, unpacked } = await checkPackagedApp(appDir)
  const size = (p) => statSync(p).size
  console.log(`package:check: ${asarFiles.length} paths in app.asar (${(size(join(appDir, 'resources/app.asar')) / 1e6).toFixed(1)} MB), ${unpacked.length} files unpacked`)
  for (const failure of failures) console.error(`FAIL ${failure}`)
  if (keep) console.log(`package:check: kept ${appDir}`)
  else rmSync(workDir, { recursive: true, force: true })
  if (failures.length > 0) process.exit(1)
  console.log('package:check: ok: no test/, bench/, src/ or TypeScript in the asar; better-sqlite3, keytar, sharp and libvips unpacked; main and version; icons')
}
