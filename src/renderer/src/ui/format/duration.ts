/** "0.6 s", "12 s", "1 min 05 s": short enough for a queue row, precise where it is short. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms)
  if (safe < 10_000) return `${(Math.round(safe / 100) / 10).toFixed(1)} s`
  const seconds = Math.round(safe / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}
