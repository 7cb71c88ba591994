import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

import { demoApi } from './server/demo-api.ts';

export default defineConfig({
  plugins: [react(), demoApi()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  // ably and @ably/chat are most of the bundle (~500 kB before gzip); that is expected.
  build: { chunkSizeWarningLimit: 800 },
});
