import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import dts from 'vite-plugin-dts';

// Peers stay imports, never bundled.
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^ably($|\/)/, /^@ably\/chat($|\/)/];

const packageDir = fileURLToPath(new URL('.', import.meta.url));
const srcDir = join(packageDir, 'src');
const distDir = join(packageDir, 'dist');
const stylesSource = join(srcDir, 'styles/presencekit.css');

/**
 * Node's ESM resolution (TypeScript `node16`/`nodenext`) needs full file names in relative imports
 * of the emitted .d.ts files, while the sources import extensionless (bundler style). This adds
 * `.js` or `/index.js` by looking at what exists in `src/`.
 */
function addDeclarationExtensions(filePath: string, content: string): { content: string } {
  const sourceDir = join(srcDir, relative(distDir, dirname(filePath)));
  const withExtension = (specifier: string): string => {
    if (/\.(js|mjs|cjs|json|css)$/.test(specifier)) return specifier;
    const base = join(sourceDir, specifier);
    if (['.ts', '.tsx', '.d.ts'].some((ext) => existsSync(base + ext))) return `${specifier}.js`;
    if (['index.ts', 'index.tsx'].some((file) => existsSync(join(base, file)))) {
      return `${specifier}/index.js`;
    }
    return specifier;
  };
  return {
    content: content.replace(
      /(from\s+|import\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
      (_match, lead: string, quote: string, specifier: string) =>
        `${lead}${quote}${withExtension(specifier)}${quote}`,
    ),
  };
}

/**
 * Ships the components' stylesheet as `dist/styles.css` (the `./styles.css` export). It is a plain
 * copy: users import it once, and `sideEffects` keeps bundlers from dropping it.
 */
function copyStyles(): Plugin {
  return {
    name: 'presencekit:copy-styles',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'styles.css',
        source: existsSync(stylesSource) ? readFileSync(stylesSource, 'utf8') : '',
      });
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    dts({ tsconfigPath: './tsconfig.build.json', beforeWriteFile: addDeclarationExtensions }),
    copyStyles(),
  ],
  build: {
    lib: {
      // Each entry is a file in dist/ with its .d.ts beside it (see package.json "exports").
      entry: {
        index: 'src/index.ts',
        hooks: 'src/hooks/index.ts',
        'testing/index': 'src/testing/index.ts',
        // <PresenceKitDevtools>: the panel in development, `() => null` in production. The panel
        // is an entry too (not exported) only to give it a file of its own: an app's production
        // build, which uses just the `() => null`, then drops that file whole with its imports of
        // React, where imports left in the entry file itself would stay in the app's bundle.
        'devtools/index': 'src/devtools/index.ts',
        'devtools/panel': 'src/devtools/DevtoolsPanel.tsx',
        // Server helpers: no React, and no 'use client' (see the banner below).
        'server/index': 'src/server/index.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: {
        // The client entries hold hooks and context: the directive lets Next.js Server Components
        // import them; it must be the first statement of the file. Shared chunks need none (what a
        // client entry imports is client code already), and the server entry must have none:
        // marked 'use client', its functions and error class would reach Server Components as
        // client references instead of code.
        banner: (chunk) => (chunk.isEntry && chunk.name !== 'server/index' ? "'use client';" : ''),
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
    sourcemap: true,
    minify: false,
  },
});
