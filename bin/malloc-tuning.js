// glibc's malloc gives each thread that allocates an arena of its own (up to 8 per core) and keeps
// freed blocks in the arena they came from; after a big block is freed it also raises the size from
// which blocks are mmapped (up to 32 MB), so the next decoded image lands in an arena too. libvips'
// and libuv's worker threads handle a few MB per image, so the arenas fill with holes and RSS climbs
// with the length of a batch (bench/memory.ts measures it side by side). Two arenas and a fixed 1 MiB
// mmap threshold (big blocks go back to the system when freed) keep it flat; sharp's install notes
// call glibc's allocator unsuitable for this kind of process.
// glibc reads these variables only when a process starts, so a launcher replaces its own process once
// (same pid, terminal, signals and exit code). A MALLOC_ARENA_MAX already set is the user's choice.
// Callers run this before any work: nothing after a successful relaunch runs.
// The Electron app is not covered: its main process is started by the Electron binary, whose
// allocator may not be glibc's at all (README, "Memory on Linux", says what works there).

/** What the launchers add to the environment of the engine's process. */
export const MALLOC_TUNING = Object.freeze({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' })

/** The commands that decode, convert or store images; only they are worth a second start. */
export const IMAGE_COMMANDS = new Set(['generate', 'run', 'batch', 'export', 'retry'])

/**
 * Whether a proofsheet command line (the arguments after the script) does image work. A relaunch
 * costs one more Node start, which a quick command (`providers`, `queue`, `keys`) would feel and
 * never repays: those handle no image. Global flags may come first (`--home DIR generate ...`).
 */
export function commandDoesImageWork(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--home') i++
    else if (!args[i].startsWith('-')) return IMAGE_COMMANDS.has(args[i])
  }
  return false
}

/**
 * On glibc Linux without MALLOC_ARENA_MAX, replaces this process with the same command plus
 * MALLOC_TUNING and never returns. Anywhere else (other systems, musl, a Node without
 * process.execve, a failed exec) it returns and the command runs as it is: tuning never stops one.
 * `worthIt` says whether this command line gains from it (every one, unless told).
 */
export function relaunchWithMallocTuning(proc = process, worthIt = () => true) {
  if (proc.platform !== 'linux' || proc.env.MALLOC_ARENA_MAX !== undefined) return
  if (!worthIt(proc.argv.slice(2))) return
  // process.execve arrived in Node 22.15; musl ignores these variables, so a relaunch would only cost time.
  if (typeof proc.execve !== 'function' || !runsOnGlibc(proc)) return
  try {
    proc.execve(proc.execPath, [proc.execPath, ...proc.execArgv, ...proc.argv.slice(1)], { ...MALLOC_TUNING, ...proc.env, MALLOC_ARENA_MAX: MALLOC_TUNING.MALLOC_ARENA_MAX })
  } catch {
    // execve failed and this process is unchanged: run untuned rather than not at all.
  }
}

function runsOnGlibc(proc) {
  try {
    return Boolean(proc.report?.getReport().header.glibcVersionRuntime)
  } catch {
    return false
  }
}
