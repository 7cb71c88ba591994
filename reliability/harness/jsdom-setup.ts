import { version } from 'react';
import { version as domVersion } from 'react-dom';

// Each jsdom project says which React it runs (PRESENCEKIT_EXPECT_REACT): refuse to run the
// tests on another one, so a broken alias cannot pass silently on the wrong React.
const expected = process.env.PRESENCEKIT_EXPECT_REACT;
if (expected && (version.split('.')[0] !== expected || domVersion.split('.')[0] !== expected)) {
  throw new Error(`expected React ${expected}, got react ${version} and react-dom ${domVersion}`);
}

// Hook updates in these tests come from real network events, as in an app, not from code the
// test wraps in act(): tell React this is not an act() environment so it schedules them as it
// would in a browser instead of warning about each one. Testing Library's own render/act calls
// still switch it on for their duration.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
