import { join } from 'node:path'
import { integerFlag, noPositionals, parse } from '../args'
import { EXIT_OK } from '../cli-error'
import { EXITS_NO_JOBS, usageLine, type Command } from '../command-help'
import type { CliContext } from '../context'
import { table } from '../output'
import { sizeLabel } from '../../shared/api'

export const GALLERY = {
  options: { search: { type: 'string' }, provider: { type: 'string' }, favorites: { type: 'boolean' }, limit: { type: 'string' } },
  help: {
    summary: 'list images in the library, newest first',
    usage: ['gallery [--search TEXT] [--provider ID] [--favorites] [--limit N]'],
    flags: {
      search: 'TEXT  images whose prompt or details match',
      provider: 'ID  images from this provider',
      favorites: 'starred images only',
      limit: 'N  at most N images (1-500, default 20)',
    },
    examples: ['proofsheet gallery --search sneaker', 'proofsheet gallery --favorites --limit 100 --json'],
    exits: EXITS_NO_JOBS,
  },
  run: galleryCommand,
} as const satisfies Command

export const PROVIDERS = {
  options: {},
  help: {
    summary: 'list provider profiles with their dialect, sizes and prices',
    usage: ['providers'],
    flags: {},
    examples: ['proofsheet providers', 'proofsheet providers --json'],
    exits: EXITS_NO_JOBS,
  },
  run: providersCommand,
} as const satisfies Command

async function galleryCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = usageLine(GALLERY.help)
  const { values, positionals } = parse(argv, GALLERY.options, usage)
  noPositionals(positionals, usage)
  const limit = integerFlag('limit', values.limit, 1, 500) ?? 20
  const page = await ctx.call('gallery.list', {
    limit,
    ...(values.search !== undefined ? { search: values.search } : {}),
    ...(values.provider !== undefined ? { provider: values.provider } : {}),
    ...(values.favorites ? { favorite: true } : {}),
  })
  const images = page.images.map((i) => ({ ...i, path: join(ctx.home, i.file) }))
  ctx.out.result({ images, next: page.next }, () =>
    images.length === 0
      ? 'No images match.'
      : table([
          ['id', 'size', 'format', 'provider', 'created', 'prompt'],
          ...images.map((i) => [i.id, sizeLabel({ width: i.width, height: i.height }), i.format, i.provider, new Date(i.createdAt).toISOString().slice(0, 16), i.prompt.slice(0, 50)]),
        ]),
  )
  return EXIT_OK
}

async function providersCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { positionals } = parse(argv, PROVIDERS.options, usageLine(PROVIDERS.help))
  noPositionals(positionals, usageLine(PROVIDERS.help))
  const listed = (await ctx.call('providers.list', {})).providers
  // Sizes print as text, in --json too (scripts read "16:9@2K"), in the spelling --size and --sizes take.
  const providers = listed.map((p) => ({ ...p, sizes: p.sizes.map(sizeLabel) }))
  ctx.out.result({ providers }, () =>
    table([
      ['id', 'dialect', 'key', 'sizes', 'prices', 'base URL'],
      ...providers.map((p) => [
        p.id,
        p.dialect,
        p.needsKey ? 'yes' : 'no',
        p.sizes.slice(0, 4).join(' ') + (p.sizes.length > 4 ? ' …' : ''),
        p.prices.map((t) => `${t.tier} ${ctx.out.money(t.price, p.currency)}`).join(', '),
        p.baseUrl,
      ]),
    ]),
  )
  return EXIT_OK
}
