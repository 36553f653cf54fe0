/**
 * A file size as people read it: "812 B", "48 KB", "2.4 MB". One rule for the engine's messages
 * and the interface; each names the smallest unit its own way (the engine writes "812 bytes").
 */
export function formatBytes(bytes: number, unit = 'B'): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} ${unit}`
}
