import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliInProcess } from './test/helpers/cli-in-process'
const home = mkdtempSync(join(tmpdir(), 'hc-'))
const file = join(home, 'afile'); writeFileSync(file, 'x')
const cases: string[][] = [
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--bogus'],
  ['estimate', '--provider'],
  ['estimate', '--provider', 'demo', '--provider', 'openai', '--prompt', 'x', '--size', '64x64'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '0x0'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '-5x5'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '99999x99999'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '1e3x1e3'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', 'NaNxNaN'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '６４x６４'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--n', 'NaN'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--n', '1e1'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--n', '-1'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--n', '0x10'],
  ['estimate', '--provider', 'de\u0000mo', '--prompt', 'x', '--size', '64x64'],
  ['estimate', '--provider', 'demo\u001b[31m', '--prompt', 'x', '--size', '64x64'],
  ['generate', '--provider', 'demo', '--prompt', 'a\u0000b', '--size', '64x64'],
  ['generate', '--provider', 'demo', '--prompt', 'x'.repeat(1_000_000), '--size', '64x64'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--home', file],
  ['gallery', '--home', file],
  ['gallery', '--home'],
  ['gallery', '--limit', 'abc'],
  ['gallery', '--limit', '99999999999999999999'],
  ['gallery', '--search', '"unbalanced NOT'],
  ['queue', '--status', 'bogus'],
  ['cancel'],
  ['cancel', '../../etc'],
  ['export', '--out'],
  ['export', '--out', 'relative/dir'],
  ['export', '--out', join(home, 'ex'), '--naming', '../../{sku}'],
  ['export', '--out', join(home, 'ex'), '--size', '0x0'],
  ['export', '--out', join(home, 'ex'), '--quality', 'NaN'],
  ['batch', join(home, 'nofile.csv'), '--template', file, '--sizes', '64x64', '--provider', 'demo'],
  ['batch', file, '--template', file, '--sizes', '64x64', '--provider', 'demo'],
  ['batch', file, '--template', join(home), '--sizes', '64x64', '--provider', 'demo'],
  ['batch', file, '--template', file, '--sizes', '64x64', '--provider', 'demo', '--budget', 'NaN'],
  ['batch', file, '--template', file, '--sizes', '64x64', '--provider', 'demo', '--budget', '-5'],
  ['batch', file, '--template', file, '--sizes', '64x64', '--provider', 'demo', '--budget', 'Infinity'],
  ['keys', 'add', 'openai'],
  ['keys', 'bogus'],
  ['frobnicate'],
  ['--json'],
  ['estimate', '--provider=', '--prompt', 'x', '--size', '64x64'],
  ['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--ref', '/etc/passwd'],
  ['generate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--ref', '/etc/passwd'],
  ['generate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--ref', ''],
]
for (const args of cases) {
  const withHome = args.includes('--home') ? args : [...args, '--home', home]
  const run = await cliInProcess(withHome)
  console.log(run.code, JSON.stringify(args.map(a=>a.slice(0,40))), '|', JSON.stringify(run.stderr.slice(0, 250)), run.code===0? run.stdout.slice(0,100):'')
}
