import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-unknown-prices'
import { migration0003 } from './0003-prompt-templates'
import { migration0004 } from './0004-budgets'
import { migration0005 } from './0005-gallery-tags'
import { migration0006 } from './0006-batch-rows'
import { migration0007 } from './0007-failed-tasks'
import { migration0008 } from './0008-key-hosts'
import { migration0009 } from './0009-job-usage'
import { migration0010 } from './0010-prompt-history'
import { migration0011 } from './0011-gallery-filter-indexes'
import { migration0012 } from './0012-tag-favorite-index'
import type { Migration } from './types'

/** In order. Never edit a released migration: add the next number instead. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012]
export type { Migration }
