import { browserProject } from './vitest.browser.config.js';

// The components again on React 18 (forwardRef, useId and useSyncExternalStore must behave the
// same): every component test in Chromium, with react/react-dom aliased to React 18.
export default browserProject({
  name: 'react18-browser',
  include: ['src/components/**/*.browser.test.{ts,tsx}', 'test/browser/*.browser.test.{ts,tsx}'],
  react18: true,
});
