import { noPositionals, parse } from '../args'
import { EXIT_OK } from '../cli-error'
import type { CliContext } from '../context'
import { table } from '../output'

/** `proofsheet templates`: the library's prompt templates with their variables (read only). */
export async function templatesCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {}, 'proofsheet templates')
  noPositionals(positionals, 'proofsheet templates')
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
