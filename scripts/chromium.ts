/**
 * How every browser run of the workspace (component, emulator and Storybook tests, the examples'
 * e2e, the benchmarks) starts Chromium: Debian's package, never a downloaded browser, and flags
 * that keep a headless run from phoning home (component updates, sync, first-run pings), which the
 * offline machine would only time out on.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
};
