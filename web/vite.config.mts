import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the API process from web/dist; `npm run console:dev` proxies the API to PORT (3000).
const api = `http://127.0.0.1:${process.env.PORT || 3000}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Vite 8 transforms JSX with Oxc: the automatic runtime, no Babel plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': api, '/auth': api } },
});
