import { defineConfig } from 'vitest/config';

import { jsdomProject } from './vitest.shared';

// Hooks, providers and test helpers on React 18 (see vitest.shared.ts).
export default defineConfig(jsdomProject(true));
