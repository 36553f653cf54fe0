/**
 * CPU time of this process by kind of thread, from /proc (Linux; elsewhere nothing), so a
 * benchmark can say which part of the engine used its CPU: the main thread (JavaScript, the event
 * loop and V8's pauses), libvips' threads (decodes, thumbnails), libuv's pool (file writes,
 * fsync, WebCrypto hashes) and V8's helper threads (concurrent marking and sweeping, compiling).
 * A thread that ended during the run is missing from the second reading: its time is lost, so
 * the groups may add up to less than process.cpuUsage().
 */
import { readdirSync, readFileSync } from 'node:fs'

export type ThreadGroup = 'main' | 'libvips' | 'libuv pool' | 'V8 helpers' | 'other'
export type ThreadCpu = Map<string, { group: ThreadGroup; ms: number }>

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

function groupOf(tid: string, comm: string): ThreadGroup {
  if (tid === String(process.pid)) return 'main'
  if (comm.startsWith('libvips')) return 'libvips'
  if (comm.startsWith('libuv-worker')) return 'libuv pool'
  // Node names its platform's worker threads after the process; V8 names its own "V8 ...".
  if (comm === 'node' || comm.startsWith('V8') || comm.startsWith('v8')) return 'V8 helpers'
  return 'other'
}

/** Every live thread's CPU so far; empty where /proc is not there. */
export function readThreadCpu(): ThreadCpu {
  const threads: ThreadCpu = new Map()
  let tids: string[]
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return threads
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(fields[11]) + Number(fields[12])
      threads.set(tid, { group: groupOf(tid, comm), ms: (ticks * 1000) / TICKS_PER_SECOND })
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads
}

/** CPU ms per group between two readings. */
export function threadCpuSince(before: ThreadCpu, after: ThreadCpu = readThreadCpu()): Partial<Record<ThreadGroup, number>> {
  const groups: Partial<Record<ThreadGroup, number>> = {}
  for (const [tid, { group, ms }] of after) groups[group] = (groups[group] ?? 0) + ms - (before.get(tid)?.ms ?? 0)
  return groups
}
