// Where the installed app looks for updates: electron-builder writes this `publish` entry into the
// app as app-update.yml, which src/main/core/updates reads as "the installer's own feed".
// Chosen at build time by PROOFSHEET_PUBLISH_FEED, spelled as the app's own PROOFSHEET_UPDATE_FEED:
// `https://host/folder/` (a generic feed serving latest.yml) or `github:owner/repo`. Unset, the
// build carries no feed and the installed app's updates stay off: no address is ever made up.

export const PUBLISH_FEED_ENV = 'PROOFSHEET_PUBLISH_FEED'

/** The `publish` entry for electron-builder, or null (no app-update.yml, updates off). */
export function publishEntry(env) {
  const value = (env[PUBLISH_FEED_ENV] ?? '').trim()
  if (value === '' || value.toLowerCase() === 'off') return null
  const github = /^github:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/i.exec(value)
  if (github) return { provider: 'github', owner: github[1], repo: github[2] }
  let url
  try {
    url = new URL(value)
  } catch {
    url = null
  }
  // An update is code the app will run: only https, with no credentials in the address.
  if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
    throw new Error(`${PUBLISH_FEED_ENV} "${value}" is not a feed: give https://host/folder/ (serving latest.yml) or github:owner/repo, or leave it unset for a build without updates.`)
  }
  return { provider: 'generic', url: url.href.endsWith('/') ? url.href : `${url.href}/` }
}
