// Types for bin/malloc-tuning.js, which stays plain JavaScript so the installed command runs it as is.
export declare const MALLOC_TUNING: Readonly<{ MALLOC_ARENA_MAX: string; MALLOC_MMAP_THRESHOLD_: string }>
export declare const IMAGE_COMMANDS: ReadonlySet<string>
export declare function commandDoesImageWork(args: readonly string[]): boolean
export declare function relaunchWithMallocTuning(proc?: NodeJS.Process, worthIt?: (args: string[]) => boolean): void
