// `node --import ./bin/tune-malloc.js ENTRY`: the malloc tuning of bin/malloc-tuning.js for an entry
// point that is not bin/proofsheet.js (`npm run web`, `npm run cli`). As a preloaded module it runs
// before the entry loads the engine, so the relaunch happens before any image work.
import { relaunchWithMallocTuning } from './malloc-tuning.js'

relaunchWithMallocTuning()
