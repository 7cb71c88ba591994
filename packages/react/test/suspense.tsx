import { type ReactNode, Suspense, useEffect, useRef } from 'react';

import { ErrorBoundary } from './browser/ErrorBoundary';

/** How often a `<Suspense>` boundary showed its fallback, and what reached its error boundary. */
export interface SuspenseLog {
  /** Times the fallback appeared (StrictMode's effect replay on one appearance counts once). */
  fallbacks: number;
  /** Errors the boundary caught. */
  readonly errors: unknown[];
  fallbackShown(): void;
}

export function suspenseLog(): SuspenseLog {
  const log: SuspenseLog = {
    fallbacks: 0,
    errors: [],
    fallbackShown: () => void log.fallbacks++,
  };
  return log;
}

function Fallback({ log }: { log: SuspenseLog }) {
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current) return;
    shown.current = true;
    log.fallbackShown();
  });
  return <p data-testid="fallback">loading</p>;
}

/** `children` under an error boundary and a `<Suspense>` whose fallback appearances are counted. */
export function Suspended({ log, children }: { log: SuspenseLog; children: ReactNode }) {
  return (
    <ErrorBoundary onError={(error) => log.errors.push(error)}>
      <Suspense fallback={<Fallback log={log} />}>{children}</Suspense>
    </ErrorBoundary>
  );
}
