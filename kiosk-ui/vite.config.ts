import { defineConfig } from 'vite';

// Builds the Lit UI into dist/kiosk-ui, which the daemon serves at `/`. Everything the UI loads
// comes from there, the camera decoder's worker and .wasm included (the kiosk has no internet).
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  build: { outDir: new URL('../dist/kiosk-ui', import.meta.url).pathname, emptyOutDir: true, target: 'es2022' },
  // The camera's decoding worker is a module worker: it imports zxing-wasm and its .wasm URL.
  worker: { format: 'es' },
});
