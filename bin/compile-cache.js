// V8's code cache on disk for the compiled command: later runs skip most of parsing the bundle.
// In the user's own cache folder, not Node's default (a shared folder under /tmp), so no other
// account on the machine can place compiled code this command would then load.
// NODE_COMPILE_CACHE still chooses the folder, and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import * as nodeModule from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

export function enableUserCompileCache(env = process.env) {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  // Never throws: a cache that cannot be written only means a slower start.
  // Optional call: a Node without it (older than 22.1) still reaches the command's own version check.
  nodeModule.enableCompileCache?.(env.NODE_COMPILE_CACHE ? undefined : join(base, 'proofsheet', 'node-compile-cache'))
}
