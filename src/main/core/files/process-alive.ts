/**
 * Whether a process id names a live process on this machine. EPERM means it lives under another
 * user. Only meaningful for a pid recorded on this same host: callers check the host first.
 */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
