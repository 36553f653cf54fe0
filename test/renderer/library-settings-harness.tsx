import { useState, type ReactNode } from 'react'
import type { ApiClient } from '../../src/shared/api'
import { createStores, StoresContext } from '../../src/renderer/src/app/stores-context'
import { createLibraryStore } from '../../src/renderer/src/settings/library-store'
import { LibrarySettings } from '../../src/renderer/src/settings/LibrarySettings'

/** The Library section with the app's stores, its page reload replaced by a counter. */
export function StoresContextForTests({ api, reload }: { api: ApiClient; reload: () => void }): ReactNode {
  const [stores] = useState(() => ({ ...createStores(api), library: createLibraryStore(api, reload) }))
  return (
    <StoresContext.Provider value={stores}>
      <LibrarySettings />
    </StoresContext.Provider>
  )
}
