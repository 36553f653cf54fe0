// Who signs the installers, decided from the environment alone, so a build without certificates
// (any developer's machine, this one) skips signing with one line instead of failing or hunting
// the keychain for an identity. electron-builder reads the variables themselves; we only decide
// whether to ask it to sign and notarize, and say so.
//   macOS signing:   CSC_LINK (a .p12 file or its base64) and CSC_KEY_PASSWORD, or CSC_NAME (an
//                    identity already in the keychain)
//   notarization:    APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID
//                    (or APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER)
//   Windows signing: WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD (CSC_LINK too, when building on Windows)

const set = (env, name) => typeof env[name] === 'string' && env[name].trim() !== ''

/** @returns {{ signMac: boolean, notarize: boolean, signWindows: boolean, lines: string[] }} */
export function signingPlan(env, platform) {
  const signMac = set(env, 'CSC_LINK') || set(env, 'CSC_NAME')
  const notarize =
    signMac &&
    ((set(env, 'APPLE_ID') && set(env, 'APPLE_APP_SPECIFIC_PASSWORD') && set(env, 'APPLE_TEAM_ID')) ||
      (set(env, 'APPLE_API_KEY') && set(env, 'APPLE_API_KEY_ID') && set(env, 'APPLE_API_ISSUER')))
  const signWindows = set(env, 'WIN_CSC_LINK') || (platform === 'win32' && set(env, 'CSC_LINK'))
  const lines = []
  if (platform === 'darwin') {
    lines.push(
      signMac
        ? `signing: macOS app signed${notarize ? ' and notarized' : '; not notarized (set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID)'}`
        : 'signing: skipped for macOS: CSC_LINK (or CSC_NAME) is not set; the app is unsigned and Gatekeeper will warn',
    )
  }
  if (platform === 'win32' || signWindows) {
    lines.push(
      signWindows
        ? 'signing: Windows installer signed'
        : 'signing: skipped for Windows: WIN_CSC_LINK is not set; the installer is unsigned and SmartScreen will warn',
    )
  }
  if (platform === 'linux') lines.push('signing: none for Linux (AppImage and deb are not code-signed)')
  return { signMac, notarize, signWindows, lines }
}
