import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import dts from 'vite-plugin-dts';

const external = [/^react($|\/)/, /^react-dom($|\/)/, /^ably($|\/)/, /^@ably\/chat($|\/)/];

export default defineConfig({
  plugins: [react(), dts({ tsconfigPath: './tsconfig.build.json' })],
  build: {
    lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
    rolldownOptions: { external, output: { banner: "'use client';" } },
    sourcemap: true,
    minify: false,
  },
});
