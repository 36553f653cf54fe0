/**
 * A small real filesystem for disk-full and read-only tests: a tmpfs mounted in a private mount
 * namespace, so nothing outside this test sees it and it vanishes with its holder process. Tests
 * run as root, where chmod does not stop a write; a full tmpfs and a read-only remount do.
 *
 * A holder process (`unshare --mount ... exec cat`) owns the namespace; commands run inside it
 * with `nsenter`, and this process reaches its files through /proc/PID/root. Where plain
 * `unshare --mount` is not allowed (no CAP_SYS_ADMIN), a user namespace mapped to root is used.
 * Needs util-linux (unshare, nsenter, mount).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export interface PrivateDisk {
  /** The mount point, as processes inside the namespace see it. */
  readonly dir: string
  /** A path under the mount, as this process reaches it (through /proc/PID/root). */
  outside(...parts: string[]): string
  /** Runs a command inside the namespace, in the repository folder. */
  exec(command: string[], env?: Record<string, string>): Promise<Run>
  /** The real command line (`npm run cli`), inside the namespace. */
  cli(args: string[], env?: Record<string, string>): Promise<Run>
  /** Mounts another small tmpfs at `dir/sub` (images/ on its own disk, say). */
  mountSub(sub: string, sizeBytes: number): Promise<void>
  remount(sub: string, mode: 'ro' | 'rw'): Promise<void>
  /** Free bytes on the mount at `dir/sub`. */
  freeBytes(sub?: string): number
  /** Writes a ballast file so that about `leave` bytes stay free (0: the disk is full). */
  fill(leave: number, sub?: string, name?: string): void
}

type Mode = 'root' | 'user'
let workingMode: Mode | null = null

export async function privateDisk(sizeBytes: number): Promise<PrivateDisk> {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-disk-'))
  const holder = await startHolder(dir, sizeBytes)
  const pid = holder.child.pid!
  onTestFinished(() => {
    holder.child.stdin?.end()
    holder.child.kill()
    rmSync(dir, { recursive: true, force: true })
  })
  const enter = holder.mode === 'root' ? ['-m'] : ['-U', '-m', '--preserve-credentials']
  const outside = (...parts: string[]): string => join(`/proc/${pid}/root`, dir, ...parts)
  const exec = (command: string[], env: Record<string, string> = {}): Promise<Run> =>
    collect(spawn('nsenter', ['-t', String(pid), ...enter, `--wd=${ROOT}`, '--', ...command], { env: { ...process.env, ...env } }))
  const must = async (command: string[]): Promise<void> => {
    const run = await exec(command)
    if (run.code !== 0) throw new Error(`${command.join(' ')} failed (${run.code}): ${run.stderr}`)
  }
  const freeBytes = (sub = ''): number => {
    const fs = statfsSync(outside(sub))
    return Number(fs.bavail) * Number(fs.bsize)
  }
  return {
    dir,
    outside,
    exec,
    cli: (args, env = {}) => exec(['npm', 'run', '-s', 'cli', '--', ...args], { PROOFSHEET_DEMO_DELAY_MS: '50', ...env }),
    mountSub: async (sub, size) => {
      await must(['mkdir', '-p', join(dir, sub)])
      await must(['mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', join(dir, sub)])
    },
    remount: (sub, mode) => must(['mount', '-o', `remount,${mode}`, join(dir, sub)]),
    freeBytes,
    fill(leave, sub = '', name = 'ballast') {
      const size = freeBytes(sub) - leave
      // Written in one go; a tmpfs counts whole pages, so `leave` is approximate by a page.
      try {
        writeFileSync(outside(sub, name), Buffer.alloc(Math.max(0, size)))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      }
    },
  }
}

async function startHolder(dir: string, sizeBytes: number): Promise<{ child: ChildProcess; mode: Mode }> {
  const errors: string[] = []
  for (const mode of workingMode ? [workingMode] : (['root', 'user'] as const)) {
    const ns = mode === 'root' ? ['--mount'] : ['--user', '--map-root-user', '--mount']
    const child = spawn('unshare', [...ns, '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=${sizeBytes} tmpfs "$0" && echo ready && exec cat`, dir], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const ready = await new Promise<string | null>((resolve) => {
      let err = ''
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      child.stdout!.once('data', () => resolve(null))
      child.on('error', (e) => resolve(e.message))
      child.on('exit', (code) => resolve(`exit ${code}: ${err.trim()}`))
    })
    if (ready === null) {
      workingMode = mode
      return { child, mode }
    }
    errors.push(`unshare ${ns.join(' ')}: ${ready}`)
  }
  throw new Error(`Cannot make a private tmpfs for the disk tests (util-linux unshare/nsenter, and CAP_SYS_ADMIN or user namespaces, are needed):\n${errors.join('\n')}`)
}

function collect(child: ChildProcess): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin?.end()
  })
}

/** Bytes of the ballast a test wrote, so it can free them again ("the user frees space"). */
export function freeBallast(disk: PrivateDisk, sub = '', name = 'ballast'): void {
  rmSync(disk.outside(sub, name), { force: true })
}
