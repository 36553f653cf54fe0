// electron-builder's configuration: a module rather than YAML or a `build` key in package.json,
// because signing is decided from the environment (scripts/packaging/signing.mjs) and
// `npm run package:check` reuses this same object with its stand-in for Electron.
// `npm run dist` builds the installers for the current OS; see README "Installing".
import { publishEntry } from './scripts/packaging/publish.mjs'
import { signingPlan } from './scripts/packaging/signing.mjs'

const plan = signingPlan(process.env, process.platform)

/** @type {import('electron-builder').Configuration} */
export const config = {
  appId: 'app.proofsheet.desktop',
  productName: 'Proofsheet',
  copyright: 'Copyright © Proofsheet contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // Only what the app runs: the built main, preload and renderer, the window icon, package.json;
  // production dependencies are added by electron-builder. No sources, tests, benchmarks, maps.
  files: [
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    'resources/icon.png',
    'package.json',
    // Help → README and Security Notes open these from the app's own folder.
    'README.md',
    'SECURITY.md',
    '!**/*.map',
    // What dependencies carry for their own build or docs, never loaded at run time.
    '!**/node_modules/**/*.{ts,mts,cts,map,md,markdown,gyp,gypi,cc,c,cpp,h,hpp}',
    '!**/node_modules/**/{test,tests,__tests__,docs,example,examples,benchmark,bench}/**',
    '!**/node_modules/better-sqlite3/{deps,src}/**',
    // better-sqlite3 ships a build for every platform; keep the one for this target only.
    '!**/node_modules/better-sqlite3/prebuilds/!(${platform}-${arch}).node',
    '!**/node_modules/keytar/{src,build/Release/obj.target}/**',
    '!**/node_modules/**/build/Release/{obj,obj.target,.deps}/**',
  ],
  asar: true,
  // Native code cannot be loaded from inside an asar: these files go to app.asar.unpacked.
  asarUnpack: [
    '**/node_modules/better-sqlite3/**/*.node',
    '**/node_modules/keytar/**/*.node',
    '**/node_modules/sharp/**',
    '**/node_modules/@img/**',
  ],
  // better-sqlite3, keytar and sharp ship Node-API builds, which load in Electron as they are;
  // a rebuild would need Electron's headers from the network for nothing.
  npmRebuild: false,
  nodeGypRebuild: false,
  afterPack: './scripts/packaging/after-pack.mjs',
  // The update feed baked into the app (scripts/packaging/publish.mjs); none unless the build sets one.
  publish: publishEntry(process.env),
  mac: {
    category: 'public.app-category.graphics-design',
    icon: 'build/icons/icon.icns',
    // One build per architecture rather than universal: sharp's native package differs per arch
    // (@img/sharp-darwin-x64 vs -arm64), which @electron/universal cannot merge as one tree, and
    // each download is half the size.
    target: [
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ],
    hardenedRuntime: true,
    // null skips signing outright instead of searching the keychain for any identity.
    ...(plan.signMac ? {} : { identity: null }),
    notarize: plan.notarize,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: {
    icon: 'build/icons/icon.ico',
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  // A per-user install: no administrator prompt, the app in the user's own folder.
  nsis: { oneClick: true, perMachine: false, artifactName: '${productName}-Setup-${version}.${ext}' },
  linux: {
    icon: 'build/icons/png',
    category: 'Graphics',
    target: ['AppImage', 'deb'],
    maintainer: 'Proofsheet contributors',
  },
}

for (const line of plan.lines) console.log(line)

export default config
