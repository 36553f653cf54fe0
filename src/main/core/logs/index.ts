/** The log folder, the redacted log file and the crash note, for every door. */
export { APP_FOLDER_NAME, LOG_DIR_ENV, logFolder, type LogFolderInput } from './log-folder'
export { createLogRedactor, type LogRedactor } from './log-redaction'
export { createFileLog, DEFAULT_KEEP, DEFAULT_MAX_BYTES, type FileLog, type FileLogOptions, type Log, type LogLevel } from './file-log'
export { CRASH_NOTE_FILE, crashNoteNotice, installCrashHandlers, takeCrashNote, writeCrashNote, type CrashNote } from './crash-note'
export { echoToConsole, logUncaught, openDoorLog, type DoorLogOptions } from './door-log'
