import type { Handlers } from '../router'
import type { WorkspaceMemoryStore } from './workspace-memory'

type WorkspaceHandlers = Pick<Handlers, 'workspace.get' | 'workspace.save'>

export function createWorkspaceHandlers(memory: WorkspaceMemoryStore): WorkspaceHandlers {
  return {
    'workspace.get': () => memory.get(),
    'workspace.save': (input) => {
      memory.save(input)
      return { ok: true as const }
    },
  }
}
