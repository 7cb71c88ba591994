import { configure } from 'vitest-browser-react/pure';

// Every component test renders under <StrictMode>: double effects must not double subscriptions.
configure({ reactStrictMode: true });
