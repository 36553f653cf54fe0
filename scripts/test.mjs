#!/usr/bin/env node
// `npm test`: typecheck and lint (lint holds the import boundaries), build the app (end-to-end
// specs drive the built renderer), check it with electronegativity against the findings reviewed
// in SECURITY.md (scripts/electronegativity.ts), then run every vitest
// project inside a private D-Bus session with an unlocked gnome-keyring, so the keychain tests
// use a real Secret Service without touching the user's own keyring.
// Extra arguments go to vitest: `npm test -- test/main/store`.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const run = (cmd, argv, env = process.env) => spawnSync(cmd, argv, { stdio: 'inherit', env }).status ?? 1

function need(cmd, pkg) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) {
    console.error(`npm test needs ${cmd}. Install it: apt-get install -y ${pkg} (see .ci/run).`)
    process.exit(2)
  }
}

// PROOFSHEET_SKIP_BUILD=1 skips these steps when iterating on a few tests.
if (!process.env.PROOFSHEET_SKIP_BUILD && process.env.PROOFSHEET_IN_KEYRING !== '1') {
  const steps = [
    ['run', '-s', 'typecheck'],
    ['run', '-s', 'lint'],
    ['exec', '--', 'electron-vite', 'build'],
    ['run', '-s', 'electronegativity'],
  ]
  for (const step of steps) {
    const status = run('npm', step)
    if (status !== 0) {
      console.error(`npm test: "npm ${step.join(' ')}" failed; fix it before the tests run.`)
      process.exit(status)
    }
  }
}

if (process.env.PROOFSHEET_IN_KEYRING === '1') {
  process.exit(run('npx', ['vitest', 'run', ...args]))
}

need('dbus-run-session', 'dbus')
need('gnome-keyring-daemon', 'gnome-keyring')
need('unzip', 'unzip')
need('unshare', 'util-linux')
need('nsenter', 'util-linux')
const keyringHome = mkdtempSync(join(tmpdir(), 'proofsheet-keyring-'))
const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
const script = [
  `echo -n proofsheet-test | XDG_DATA_HOME='${keyringHome}' gnome-keyring-daemon --unlock --components=secrets >/dev/null`,
  `exec npx vitest run ${quoted}`,
].join('; ')
const status = run('dbus-run-session', ['--', 'sh', '-c', script], {
  ...process.env,
  PROOFSHEET_IN_KEYRING: '1',
  // Tests never write into the user's own log folder.
  PROOFSHEET_LOG_DIR: process.env.PROOFSHEET_LOG_DIR ?? join(keyringHome, 'logs'),
})
rmSync(keyringHome, { recursive: true, force: true })
process.exit(status)
