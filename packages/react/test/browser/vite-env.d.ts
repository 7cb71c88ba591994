// CSS imports in browser tests and stories are handled by Vite.
/// <reference types="vite/client" />
