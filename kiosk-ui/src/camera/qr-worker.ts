/// <reference types="vite/client" />
// The decoding worker: reads QR codes from video frames with zxing-wasm (ZXing-C++), off the main
// thread so the touchscreen stays responsive. The .wasm is a Vite asset of the kiosk's own bundle,
// fetched from the kiosk itself (never the library's default CDN: the kiosk has no internet).
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { READER_OPTIONS, SMOOTHING_PX } from './reader-options.js';
import type { FrameRequest, WorkerReply } from './worker-messages.js';

const reply = (m: WorkerReply) => postMessage(m);

let ctx: OffscreenCanvasRenderingContext2D | null = null;

function pixels(frame: ImageBitmap, filter: string): ImageData {
  const { width, height } = frame;
  if (!ctx || ctx.canvas.width !== width || ctx.canvas.height !== height) {
    ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas in the worker');
  }
  ctx.filter = filter;
  ctx.drawImage(frame, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

async function read(image: ImageData): Promise<string | null> {
  const results = await readBarcodes(image, READER_OPTIONS);
  return results.find((r) => r.isValid)?.text ?? null;
}

async function decode(frame: ImageBitmap): Promise<string | null> {
  try {
    return (await read(pixels(frame, 'none'))) ?? (await read(pixels(frame, `blur(${SMOOTHING_PX}px)`)));
  } finally {
    frame.close();
  }
}

addEventListener('message', (e: MessageEvent<FrameRequest>) => {
  const t0 = performance.now();
  decode(e.data.frame).then(
    (text) => reply({ type: 'result', text, ms: performance.now() - t0 }),
    (err: unknown) => reply({ type: 'error', message: String(err) }),
  );
});

const load = prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path) },
  fireImmediately: true,
});
load.then(
  () => reply({ type: 'ready' }),
  (err: unknown) => reply({ type: 'error', message: `decoder failed to load: ${String(err)}` }),
);
