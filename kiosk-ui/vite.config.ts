import { defineConfig } from 'vite';

// Builds the Lit UI into dist/kiosk-ui, which the daemon serves at `/`.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  build: { outDir: new URL('../dist/kiosk-ui', import.meta.url).pathname, emptyOutDir: true, target: 'es2022' },
});
