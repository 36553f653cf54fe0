import type { EventMessage } from '../../../shared/api'

/** Fan-out of engine events to every open door. A listener that throws cannot stop the others. */
export class EventHub {
  private readonly listeners = new Set<(message: EventMessage) => void>()

  /** `logError` is the engine's log (its file in each door); console when none is given. */
  constructor(private readonly logError: (...args: unknown[]) => void = (...args) => console.error(...args)) {}

  emit = (message: EventMessage): void => {
    for (const listener of this.listeners) {
      try {
        listener(message)
      } catch (err) {
        this.logError('event listener failed:', err)
      }
    }
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
