import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { ApiClient, JobView } from '../../../shared/api'
import { createGalleryStore, type GalleryState, type GalleryStore } from '../gallery/gallery-store'
import { restoreDraft, rememberDraft } from '../generate/draft-memory'
import { createGenerateStore, followProviders, watchEstimates, type GenerateState, type GenerateStore } from '../generate/generate-store'
import { createTemplatesStore, type TemplatesStore } from '../templates/templates-store'
import { createPromptHistoryStore, type PromptHistoryState, type PromptHistoryStore } from '../generate/history/history-store'
import { createProvidersStore, type ProvidersState, type ProvidersStore } from './providers-store'
import { createQueueStore, type QueueStoreState, type QueueStore } from '../queue/queue-store'
import { createLayoutStore, type LayoutState, type LayoutStore } from './layout-store'
import { createViewStore, type ViewState, type ViewStore } from './view-store'
import { createBatchesStore, type BatchesStore } from '../batches/batch-store'
import { createExportsStore, type ExportsStore } from '../export/export-store'
import { createSpendStore, type SpendStore } from '../spend/spend-store'
import { createCompareStore, type CompareStore } from '../gallery/compare/compare-store'
import { createLibraryStore, type LibraryStore } from '../settings/library-store'

/**
 * One set of stores per ApiClient, handed down through context, so tests can render the app
 * against a fake client without module mocks. Components read state with the hooks below.
 */

export interface Stores {
  api: ApiClient
  providers: ProvidersStore
  generate: GenerateStore
  queue: QueueStore
  gallery: GalleryStore
  view: ViewStore
  layout: LayoutStore
  templates: TemplatesStore
  batches: BatchesStore
  exports: ExportsStore
  spend: SpendStore
  compare: CompareStore
  promptHistory: PromptHistoryStore
  library: LibraryStore
}

export function createStores(api: ApiClient): Stores {
  const providers = createProvidersStore(api)
  const queue = createQueueStore(api)
  const gallery = createGalleryStore(api)
  const promptHistory = createPromptHistoryStore(api)
  const onQueued = (jobs: JobView[]): void => {
    promptHistory.getState().invalidate()
    queue.getState().addJobs(jobs)
    gallery.getState().watchRequested(jobs.map((job) => job.id))
  }
  const templates = createTemplatesStore(api)
  const generate = createGenerateStore(api, { onQueued, providers, templates })
  return {
    api,
    providers,
    generate,
    queue,
    gallery,
    view: createViewStore(),
    layout: createLayoutStore(api),
    templates,
    batches: createBatchesStore(api),
    exports: createExportsStore(api),
    spend: createSpendStore(api),
    compare: createCompareStore(api),
    promptHistory,
    // After a library switch every store holds the old library: the page starts over.
    library: createLibraryStore(api, () => window.location.reload()),
  }
}

/** Reads what the workspace remembered for this library and hands each part to its store. */
async function loadWorkspaceMemory(stores: Stores): Promise<void> {
  let memory
  try {
    memory = await stores.api.call('workspace.get', {})
  } catch {
    memory = { layout: {}, draft: null }
  }
  stores.layout.getState().hydrate(memory.layout)
  await restoreDraft(stores, memory.draft)
}

/** Exported for tests that mount one section with stores of their own making. */
export const StoresContext = createContext<Stores | null>(null)

/** Creates the stores, subscribes them to engine events and loads the first data. */
export function StoresProvider({ api, children }: { api: ApiClient; children: ReactNode }): ReactNode {
  const [stores] = useState(() => createStores(api))
  useEffect(() => {
    const stopQueue = stores.queue.getState().start()
    const stopGallery = stores.gallery.getState().start()
    const stopEstimates = watchEstimates(stores.generate, stores.api)
    const stopFollowing = followProviders(stores.generate, stores.providers)
    const stopRemembering = rememberDraft(stores)
    void stores.providers.getState().load()
    void stores.queue.getState().load()
    void stores.gallery.getState().load()
    void loadWorkspaceMemory(stores)
    return () => {
      stopQueue()
      stopGallery()
      stopEstimates()
      stopFollowing()
      stopRemembering()
    }
  }, [stores])
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>
}

export function useStores(): Stores {
  const stores = useContext(StoresContext)
  if (!stores) throw new Error('useStores must be used inside <StoresProvider>')
  return stores
}

export function useApi(): ApiClient {
  return useStores().api
}

export function useProviders<T>(select: (state: ProvidersState) => T): T {
  return useStore(useStores().providers, select)
}

export function useGenerate<T>(select: (state: GenerateState) => T): T {
  return useStore(useStores().generate, select)
}

export function useQueue<T>(select: (state: QueueStoreState) => T): T {
  return useStore(useStores().queue, select)
}

export function useView<T>(select: (state: ViewState) => T): T {
  return useStore(useStores().view, select)
}

export function useGallery<T>(select: (state: GalleryState) => T): T {
  return useStore(useStores().gallery, select)
}

/** The library's prompt templates (picker and manager share it); loads the list the first time anyone asks. */
export function useTemplatesStore(): TemplatesStore {
  const store = useStores().templates
  useEffect(() => {
    if (store.getState().status === 'idle') void store.getState().load()
  }, [store])
  return store
}

export function useLayout<T>(select: (state: LayoutState) => T): T {
  return useStore(useStores().layout, select)
}

export function usePromptHistory<T>(select: (state: PromptHistoryState) => T): T {
  return useStore(useStores().promptHistory, select)
}
