// Lint for the whole repository, and the place the process boundaries are enforced: each folder
// may import only what the process it runs in can load. A rule here that fails is a design
// problem to fix in the code, not a line to disable.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import doorWords from './lint/door-words.js'
import layers from './lint/layer-imports.js'

const ALL_SOURCES = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'
const under = (...folders) => folders.map((folder) => `${folder}/${ALL_SOURCES}`)

const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'))

const WHY = {
  engineElectron:
    'the engine runs under plain Node (CLI, browser mode, tests): keep Electron in src/main/electron and pass what the engine needs in through an interface.',
  sharedElectron: 'src/shared is loaded by every process, the renderer included: it must not depend on Electron.',
  sharedNode:
    'src/shared is bundled into the renderer, which has no Node: keep Node APIs in src/main/core and share only types and schemas.',
  rendererElectron:
    'the renderer is a sandboxed web page: talk to the engine through window.proofsheet (the preload) or the API client, never Electron.',
  rendererNode:
    'the renderer is a sandboxed web page without Node: ask the engine for it through a contract route in src/shared/api.',
  rendererMain:
    'the renderer must not reach into the main process or the preload: share types and schemas through src/shared.',
  preload:
    'a sandboxed preload cannot require other files: import only from electron at runtime (type-only imports are fine, they are erased).',
}

// ---- Layers inside the repository (lint/layer-imports.js resolves each relative import) ----
// Later entries win for the files they match, so each nested layer lists its whole allowance.
const SHARED = 'src/shared'
const CORE = 'src/main/core'
const ENGINE_DOOR = 'src/main/core/index'
const THROUGH_THE_DOOR = 'A door uses the engine only through its public entry, src/main/core/index.ts: export what the door needs there.'
const LAYERS = [
  {
    files: under(CORE),
    ignores: [`${ENGINE_DOOR}.ts`],
    layer: 'The engine (src/main/core)',
    allow: [SHARED, CORE],
    // The door and the wiring sit on top: a module that imports them runs in a circle.
    deny: [ENGINE_DOOR, `${CORE}/engine`],
    why: 'The engine is what every door opens onto: it must not know the CLI, browser mode, the renderer, the preload or the Electron shell, nor its own wiring (engine.ts, index.ts). Pass what it needs in through EngineOptions or its constructor.',
  },
  {
    files: under(`${CORE}/store`),
    layer: 'The store (src/main/core/store)',
    allow: [SHARED, `${CORE}/store`, `${CORE}/files`],
    why: 'The store sits below the services: keep a row type in store/records.ts, a rule both sides need in src/shared, and let the service import the store, not the other way round. A migration freezes the data it needs.',
  },
  {
    files: under(`${CORE}/files`),
    layer: 'File primitives (src/main/core/files)',
    allow: [SHARED, `${CORE}/files`],
    why: 'Atomic writes and storage checks sit below the store and every service that writes: they cannot depend on them.',
  },
  {
    files: [...under('src/main/electron'), 'src/main/index.ts'],
    layer: 'The Electron shell (src/main/index.ts, src/main/electron)',
    allow: [SHARED, 'src/main/electron', ENGINE_DOOR],
    why: THROUGH_THE_DOOR,
  },
  {
    files: under('src/web'),
    layer: 'Browser mode (src/web)',
    allow: [SHARED, 'src/web', ENGINE_DOOR],
    why: THROUGH_THE_DOOR,
  },
  {
    files: under('src/cli'),
    layer: 'The CLI (src/cli)',
    allow: [SHARED, 'src/cli', ENGINE_DOOR],
    why: THROUGH_THE_DOOR,
  },
  {
    files: under(SHARED),
    layer: 'Shared code (src/shared)',
    allow: [SHARED],
    why: 'Every process loads src/shared, the renderer included: it depends on nothing outside itself.',
  },
  {
    files: under('src/renderer'),
    layer: 'The renderer (src/renderer)',
    allow: ['src/renderer', SHARED],
    why: 'The renderer reaches the engine through the contract (src/shared/api) and the preload at run time, never by import.',
  },
  {
    files: under('src/preload'),
    layer: 'The preload (src/preload)',
    allow: ['src/preload', SHARED],
    why: 'The preload only exposes the contract: its types come from src/shared.',
  },
]
const layerRules = LAYERS.map(({ files, ignores, ...option }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'proofsheet/layer-imports': ['error', option] },
}))

/** Restriction entries, composed per folder so that each file gets exactly one rule setting. */
const noElectron = (message) => ({
  paths: [{ name: 'electron', message }],
  patterns: [{ regex: '^electron/', message }],
})
const noNode = (message) => ({
  paths: NODE_BUILTINS.map((name) => ({ name, message })),
  patterns: [{ regex: '^node:', message }],
})
const restrict = (...parts) => [
  'error',
  {
    paths: parts.flatMap((part) => part.paths ?? []),
    patterns: parts.flatMap((part) => part.patterns ?? []),
  },
]

const boundary = (files, ...parts) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': restrict(...parts) },
})

// Node's globals exist in neither the page nor a bundle made for it. (TypeScript does not catch
// them there: the preload's Electron types bring @types/node into the renderer's program.)
const NODE_GLOBALS = ['process', 'Buffer', 'global', 'require', 'module', 'exports', '__dirname', '__filename', 'setImmediate', 'clearImmediate']
const noNodeGlobals = (files, message) => ({
  files,
  rules: { 'no-restricted-globals': ['error', ...NODE_GLOBALS.map((name) => ({ name, message }))] },
})

export default defineConfig(
  { ignores: ['out/', 'node_modules/', 'dist/', 'coverage/', 'test-results/'] },

  js.configs.recommended,
  { files: ['**/*.{ts,tsx,mts,cts}'], extends: [tseslint.configs.recommended] },
  {
    // The boundary rule below comes from this plugin (it understands `import type`), so it must be
    // available for plain .js files as well as TypeScript.
    plugins: { '@typescript-eslint': tseslint.plugin, proofsheet: { rules: { ...layers.rules, ...doorWords.rules } } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // ---- Process boundaries ----
  boundary(under('src/main/core', 'src/cli', 'src/web'), noElectron(WHY.engineElectron), {
    patterns: [
      // Reaching into the Electron-only folder brings Electron in through the back door.
      { regex: '(?:^|/)main/electron(?:/|$)', message: WHY.engineElectron },
      { regex: '^(?:\\.\\./)+electron(?:/|$)', message: WHY.engineElectron },
    ],
  }),
  boundary(under('src/shared'), noElectron(WHY.sharedElectron), noNode(WHY.sharedNode)),
  boundary(under('src/renderer'), noElectron(WHY.rendererElectron), noNode(WHY.rendererNode), {
    patterns: [
      { regex: '^(?:\\.\\./)+(?:src/)?(?:main|preload)(?:/|$)', message: WHY.rendererMain },
      { regex: '(?:^|/)src/(?:main|preload)(?:/|$)', message: WHY.rendererMain },
    ],
  }),
  noNodeGlobals(under('src/shared'), WHY.sharedNode),
  noNodeGlobals(under('src/renderer'), WHY.rendererNode),
  boundary(under('src/preload'), {
    patterns: [{ regex: '^(?!electron$)', allowTypeImports: true, message: WHY.preload }],
  }),

  // ---- Layers ----
  ...layerRules,

  // ---- Words: the engine and the contract speak to every door, so they name none ----
  { files: under(CORE, SHARED), rules: { 'proofsheet/no-door-words': 'error' } },
)
