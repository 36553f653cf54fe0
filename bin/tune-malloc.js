// `node --import ./bin/tune-malloc.js ENTRY`: the malloc tuning of bin/malloc-tuning.js for an entry
// point that is not bin/proofsheet.js (`npm run web`, `npm run cli`). As a preloaded module it runs
// before the entry loads the engine, so the relaunch happens before any image work.
// `npm run cli` follows the installed command's rule (only commands that handle images); browser
// mode runs the queue, so it always relaunches.
import { basename } from 'node:path'
import { commandDoesImageWork, relaunchWithMallocTuning } from './malloc-tuning.js'

const isCli = basename(process.argv[1] ?? '') === 'cli.mjs'
relaunchWithMallocTuning(process, isCli ? commandDoesImageWork : () => true)
