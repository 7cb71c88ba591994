import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The inspector page (src/inspector/ui), built at package build time into dist/inspector/ui,
 * where the emulator serves it from (src/inspector/assets.ts). React is bundled into the page:
 * the emulator itself does not depend on it. No source maps: they would point at files the
 * package does not ship.
 */
export default defineConfig({
  root: 'src/inspector/ui',
  base: '/inspector/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '../../../dist/inspector/ui',
    emptyOutDir: true,
    sourcemap: false,
    // Everything in one script and one stylesheet: the page is read from loopback.
    modulePreload: false,
  },
});
