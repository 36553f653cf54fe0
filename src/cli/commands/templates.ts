import { noPositionals, parse } from '../args'
import { EXIT_OK } from '../cli-error'
import { EXITS_NO_JOBS, usageLine, type Command } from '../command-help'
import type { CliContext } from '../context'
import { table } from '../output'

export const TEMPLATES = {
  options: {},
  help: {
    summary: 'list the library\'s prompt templates with their variables',
    usage: ['templates'],
    flags: {},
    examples: ['proofsheet templates', 'proofsheet templates --json'],
    exits: EXITS_NO_JOBS,
  },
  run: templatesCommand,
} as const satisfies Command

/** `proofsheet templates`: the library's prompt templates with their variables (read only). */
async function templatesCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { positionals } = parse(argv, TEMPLATES.options, usageLine(TEMPLATES.help))
  noPositionals(positionals, usageLine(TEMPLATES.help))
  const { templates } = await ctx.call('templates.list', {})
  ctx.out.result({ templates }, () =>
    templates.length === 0
      ? 'No templates. Create some in the app (Settings → Templates).'
      : table([
          ['name', 'variables', 'id'],
          ...templates.map((t) => [t.name, t.variables.join(', ') || '—', t.id]),
        ]),
  )
  return EXIT_OK
}
