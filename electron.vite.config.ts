import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // Main's worker threads, each its own file next to index.js (main/app/worker-file.ts): the
        // inventory file reader, a saved view's first rows at start.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'inventory-worker': resolve(__dirname, 'src/main/app/inventory-worker.ts'),
          'view-head-worker': resolve(__dirname, 'src/main/app/view-head-worker.ts'),
          // The leak scan: its job off the main event loop, and the job's own file workers.
          'scan-job': resolve(__dirname, 'src/main/app/scan-job.ts'),
          'scan-worker': resolve(__dirname, 'src/scan/scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot require() from node_modules: bundle everything into one CommonJS file.
    build: {
      externalizeDeps: false,
      rolldownOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // Minified: the window parses and compiles less before its first screen.
    build: { minify: true, rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
  },
});
