import type { EventMessage } from '../../../shared/api'

/** Fan-out of engine events to every open door. A listener that throws cannot stop the others. */
export class EventHub {
  private readonly listeners = new Set<(message: EventMessage) => void>()

  emit = (message: EventMessage): void => {
    for (const listener of this.listeners) {
      try {
        listener(message)
      } catch (err) {
        console.error('event listener failed:', err)
      }
    }
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
