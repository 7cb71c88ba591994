import { defineConfig } from 'vitest/config';

import { jsdomProject } from './vitest.shared';

// Hooks, providers and test helpers on React 19 (see vitest.shared.ts).
export default defineConfig(jsdomProject(false));
