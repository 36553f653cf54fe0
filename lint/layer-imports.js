// The layer rule behind eslint.config.js (in the spirit of VS Code's local/code-layering): each
// file may import only from the folders its layer lists. `no-restricted-imports` matches the text
// of a specifier, and '../x' means another folder at every depth, so this rule resolves each
// relative import to its place in the repository first and judges that place.
// Package imports (electron, node:*) are the process boundaries' business, not this rule's.
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SOURCE_EXTENSION = /\.(?:[cm]?[jt]sx?)$/

/** Repository path of what `specifier` names from `filename`, without extension; null for packages. */
function targetOf(filename, specifier) {
  if (!specifier.startsWith('.')) return null
  const file = isAbsolute(filename) ? filename : resolve(REPO, filename)
  const path = relative(REPO, resolve(dirname(file), specifier.split('?')[0]))
  return path.split('\\').join('/').replace(SOURCE_EXTENSION, '')
}

/**
 * An `allow` or `deny` entry is a folder (every file under it) or, ending in `/index`, one door: that file,
 * also when imported by its folder's name.
 */
function allows(entry, target) {
  if (entry.endsWith('/index')) return target === entry || target === entry.slice(0, -'/index'.length)
  return target === entry || target.startsWith(`${entry}/`)
}

/** @type {import('eslint').Rule.RuleModule} */
const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only from the layers below it and from itself.' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          allow: { type: 'array', items: { type: 'string' }, minItems: 1 },
          deny: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        required: ['layer', 'allow', 'why'],
        additionalProperties: false,
      },
    ],
    messages: {
      outside: "{{layer}} may import only {{allowed}}: '{{specifier}}' is {{target}}. {{why}}",
      above: "{{layer}} may not import {{target}} ('{{specifier}}'), which sits above it. {{why}}",
    },
  },
  create(context) {
    const [{ layer, allow, deny = [], why }] = context.options
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return
      const target = targetOf(context.filename, source.value)
      if (target === null) return
      if (deny.some((entry) => allows(entry, target))) {
        context.report({ node: source, messageId: 'above', data: { layer, specifier: source.value, target, why } })
        return
      }
      if (allow.some((entry) => allows(entry, target))) return
      context.report({
        node: source,
        messageId: 'outside',
        data: { layer, allowed: allow.join(', '), specifier: source.value, target, why },
      })
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source),
    }
  },
}

export default { rules: { 'layer-imports': layerImports } }
