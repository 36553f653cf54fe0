// The engine and the shared contract serve every door (the app, browser mode, the command line),
// so their text may not name one door's controls: no flags ("--key"), no commands ("proofsheet
// run"), no buttons or views ("press Retry", "Settings → Keys"). A fix that needs them is a
// remedy (src/shared/api/remedy.ts) that each door words itself.

/** What gives a door away, and what to call it in the report. */
const DOOR_WORDS = [
  { pattern: /(?:^|[\s("'`])--[a-z][a-z-]*/, what: 'a command-line flag' },
  { pattern: /\bproofsheet (?:keys|run|retry|queue|batch|generate|export|gallery|templates|web)\b/, what: 'a command of the CLI' },
  { pattern: /Settings →|\b(?:press|click)(?:es|ed)? (?:the )?[A-Z]|\bResume all\b|\bthe Queue\b|\bin Spend\b|\bReference images\b|\bMore options\b/, what: 'a control of the app' },
]

/** @type {import('eslint').Rule.RuleModule} */
const noDoorWords = {
  meta: {
    type: 'problem',
    docs: { description: 'Engine and contract text names no flag, command or control of a door.' },
    schema: [],
    messages: {
      door: '"{{found}}" is {{what}}: the engine serves every door. Put the fix in a remedy (src/shared/api/remedy.ts) and word it in src/cli/remedy-words.ts and the renderer\'s ui/format/remedy-words.ts.',
    },
  },
  create(context) {
    const check = (node, text) => {
      if (typeof text !== 'string') return
      for (const { pattern, what } of DOOR_WORDS) {
        const match = pattern.exec(text)
        if (match) {
          context.report({ node, messageId: 'door', data: { found: match[0].trim(), what } })
          return
        }
      }
    }
    return {
      Literal: (node) => check(node, node.value),
      TemplateElement: (node) => check(node, node.value.cooked),
    }
  },
}

export default { rules: { 'no-door-words': noDoorWords } }
