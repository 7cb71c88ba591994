import Module from 'node:module';

// The React 18 project: Vite's alias covers the modules Vitest transforms, this covers the ones
// Node loads itself with require() (react-dom@18 and @testing-library/react are CommonJS). With
// pnpm, react-dom@18's own `require('react')` would otherwise get the workspace's React 19.
const targets: Record<string, string | undefined> = {
  react: process.env.PRESENCEKIT_REACT18_DIR,
  'react-dom': process.env.PRESENCEKIT_REACT_DOM18_DIR,
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request);
  const target = match ? targets[match[1] ?? ''] : undefined;
  return resolve.call(this, target ? target + (match?.[2] ?? '') : request, ...rest);
};
