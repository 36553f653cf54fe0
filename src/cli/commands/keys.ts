import { noPositionals, parse } from '../args'
import { CliError, EXIT_BAD_INPUT, EXIT_OK } from '../cli-error'
import { cliRemedy } from '../remedy-words'
import { EXITS_NO_JOBS, type Command } from '../command-help'
import type { CliContext } from '../context'
import { table } from '../output'
import { readSecret } from '../read-secret'

const USAGE = 'proofsheet keys add PROVIDER --label NAME (key on stdin) | keys list | keys remove ID'

export const KEYS = {
  options: { label: { type: 'string' } },
  help: {
    summary: 'store API keys in the OS keychain, list them, remove them',
    usage: ['keys add PROVIDER --label NAME   (the key is read from stdin, never from a flag)', 'keys list', 'keys remove ID'],
    flags: { label: 'NAME  (keys add) a name for the key, e.g. the project it pays for' },
    examples: ['printf %s "$KEY" | proofsheet keys add openai --label "spring catalog"', 'proofsheet keys list --json', 'proofsheet keys remove key_01H...'],
    exits: `${EXITS_NO_JOBS}; keys add exits 2 when no OS keychain can keep the key`,
  },
  run: keysCommand,
} as const satisfies Command

async function keysCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'add') return add(ctx, rest)
  if (sub === 'list') {
    const { positionals } = parse(rest, {}, 'proofsheet keys list')
    noPositionals(positionals, 'proofsheet keys list')
    const { keys, status } = await ctx.call('keys.list', {})
    ctx.out.result({ keys, status }, () =>
      keys.length === 0
        ? `No keys yet. ${status.message}`
        : `${table([['id', 'provider', 'label', 'last4', 'backend', 'available'], ...keys.map((k) => [k.id, k.provider, k.label, `…${k.last4}`, k.backend, k.available ? 'yes' : 'NO'])])}\n${status.message}`,
    )
    return EXIT_OK
  }
  if (sub === 'remove') {
    const { positionals } = parse(rest, {}, 'proofsheet keys remove ID')
    const [id, ...extra] = positionals
    if (!id) throw new CliError('keys remove needs the key id.', 'See ids with "proofsheet keys list".')
    noPositionals(extra, 'proofsheet keys remove ID')
    const result = await ctx.call('keys.remove', { id })
    if (!result.removed) throw new CliError(`No key with id ${id}.`, 'See ids with "proofsheet keys list".')
    ctx.out.result(result, () => `Removed key ${id}.`)
    return EXIT_OK
  }
  throw new CliError(sub ? `Unknown keys command "${sub}".` : 'keys needs a command.', `Usage: ${USAGE}`)
}

async function add(ctx: CliContext, argv: string[]): Promise<number> {
  const usage = 'proofsheet keys add PROVIDER --label NAME  (the key is read from stdin)'
  const { values, positionals } = parse(argv, KEYS.options, usage)
  const [provider, ...extra] = positionals
  if (!provider) throw new CliError('keys add needs the provider id.', `Usage: ${usage}`)
  noPositionals(extra, usage)
  if (!values.label) throw new CliError('--label is required.', 'Name the key after the project or workflow, e.g. --label "spring catalog".', 2, '--label')
  // Without an OS keychain the engine keeps keys in memory for its session; this command's session
  // ends as it exits, so a key "stored" that way would be gone before any job could use it.
  const { status } = await ctx.call('keys.list', {})
  if (!status.persistent) {
    throw new CliError(
      `No OS keychain can keep the key, so it was not stored: a key kept in memory would be gone when this command ends. (${status.message})`,
      cliRemedy({ code: 'keychain_needed', provider }),
      EXIT_BAD_INPUT,
      '--key-env',
    )
  }
  const secret = await readSecret(ctx.stdin, (text) => process.stderr.write(text))
  if (!secret) throw new CliError('No key arrived on stdin.', `Pipe it in, e.g. printf %s "$KEY" | ${usage}`, 2, 'stdin')
  const key = await ctx.call('keys.add', { provider, label: values.label, secret })
  ctx.out.result(key, () => `Stored key "${key.label}" for ${key.provider} (…${key.last4}) in the ${key.backend}. Id: ${key.id}`)
  return EXIT_OK
}

/** `--key LABEL` names a stored key by its label; jobs reference keys by id. */
export async function resolveKeyLabel(ctx: CliContext, provider: string, label: string): Promise<string> {
  const { keys } = await ctx.call('keys.list', {})
  const match = keys.find((k) => k.provider === provider && (k.label === label || k.id === label))
  if (!match) {
    const labels = keys.filter((k) => k.provider === provider).map((k) => k.label)
    throw new CliError(
      `No ${provider} key labelled "${label}".`,
      labels.length ? `Use one of: ${labels.join(', ')}.` : `Add one with "proofsheet keys add ${provider} --label ${JSON.stringify(label)}".`,
      2,
      '--key',
    )
  }
  return match.id
}
