import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { VitePWA } from 'vite-plugin-pwa';

// main and preload are bundled whole (no node_modules in the package); the preload must be one
// CommonJS file because sandboxed preloads cannot load modules.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      sourcemap: false,
      lib: { entry: resolve('main/index.ts'), formats: ['es'], fileName: () => 'index.js' },
      rollupOptions: { external: ['electron', /^node:/] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      sourcemap: false,
      lib: { entry: resolve('main/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    plugins: [
      react(),
      // The browser host's app shell stays available once loaded: a Workbox service worker
      // precaches the built files (registered in renderer/host/service-worker.ts, never in
      // Electron, where app:// serves them from disk). It caches nothing else: no API call to the
      // backend, no config.json.
      VitePWA({
        injectRegister: false,
        registerType: 'autoUpdate',
        manifest: false,
        strategies: 'generateSW',
        workbox: {
          globPatterns: ['**/*.{html,js,css,svg,woff2,wasm}'],
          navigateFallback: 'index.html',
          navigateFallbackDenylist: [/^\/v1\//, /\/config\.json$/],
          runtimeCaching: [],
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: true,
          inlineWorkboxRuntime: true,
          sourcemap: false,
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        },
      }),
    ],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      sourcemap: false,
      target: 'chrome130',
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    worker: { format: 'es' },
  },
});
