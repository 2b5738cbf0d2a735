// The QR decoders the camera bench compares, each behind one call: frame in, text or null out.
// "zxing-wasm (kiosk)" is what the kiosk UI's worker does (kiosk-ui/src/camera/): its options, and
// a second pass over a smoothed frame when the first finds nothing (tests/ui-camera.test.ts checks
// the settings stay equal; the bench cannot import the UI's sources, which build into dist/kiosk-ui).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import type { CameraFrame } from './frames/camera-frames.js';
import { Canvas } from './frames/render.js';

export interface Decoder {
  name: string;
  /** Input as the decoder gets it in the browser, prepared outside the timed call. */
  prepare(frame: CameraFrame): unknown;
  decode(input: unknown): Promise<string | null>;
}

/** What the kiosk UI passes to zxing-wasm. */
export const KIOSK_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  // Also try at half size: averaging 2×2 pixels halves sensor noise (640×480 is under the
  // default 500 px threshold, so without this there is no second, downscaled pass).
  tryDownscale: true,
  downscaleThreshold: 240,
  downscaleFactor: 2,
  maxNumberOfSymbols: 1,
  textMode: 'Plain',
};

/** The kiosk's second-pass smoothing (Gaussian sigma, px); the worker does it with a canvas filter. */
export const KIOSK_SMOOTHING_PX = 1;

/** RGBA, as a canvas hands a video frame to the decoder. */
function rgba(frame: Pick<CameraFrame, 'luma' | 'width' | 'height'>): { data: Uint8ClampedArray; width: number; height: number } {
  const data = new Uint8ClampedArray(frame.luma.length * 4);
  for (let i = 0; i < frame.luma.length; i++) {
    const v = frame.luma[i]!;
    data.set([v, v, v, 255], i * 4);
  }
  return { data, width: frame.width, height: frame.height };
}

export async function loadZxingWasm(): Promise<void> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
}

async function readWasm(image: ReturnType<typeof rgba>, options: ReaderOptions): Promise<string | null> {
  const results = await readBarcodes(image as ImageData, options);
  return results.find((r) => r.isValid)?.text ?? null;
}

function zxingWasm(name: string, options: ReaderOptions): Decoder {
  return { name, prepare: rgba, decode: (input) => readWasm(input as ReturnType<typeof rgba>, options) };
}

/** The kiosk worker's two passes. The smoothing runs in JS here, slower than the browser's canvas filter. */
function kioskWasm(name: string): Decoder {
  return {
    name,
    prepare: (frame) => ({ frame, image: rgba(frame) }),
    async decode(input) {
      const { frame, image } = input as { frame: CameraFrame; image: ReturnType<typeof rgba> };
      const first = await readWasm(image, KIOSK_READER_OPTIONS);
      if (first !== null) return first;
      const smoothed = Canvas.fromLuma(frame.luma, frame.width, frame.height).blur(KIOSK_SMOOTHING_PX).toLuma();
      return readWasm(rgba({ luma: smoothed, width: frame.width, height: frame.height }), KIOSK_READER_OPTIONS);
    },
  };
}

function zxingJs(name: string, tryHarder: boolean): Decoder {
  const reader = new QRCodeReader();
  const hints = new Map<DecodeHintType, unknown>(tryHarder ? [[DecodeHintType.TRY_HARDER, true]] : []);
  return {
    name,
    // @zxing/library gets the luminance directly: a small head start over the browser path.
    prepare: (frame) => frame,
    async decode(input) {
      const f = input as CameraFrame;
      try {
        const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(f.luma, f.width, f.height)));
        return reader.decode(bitmap, hints).getText();
      } catch {
        return null; // NotFound, Checksum and Format exceptions all mean "no code read"
      } finally {
        reader.reset();
      }
    },
  };
}

export function decoders(): Decoder[] {
  return [
    kioskWasm('zxing-wasm, as the kiosk runs it (options + smoothed second pass)'),
    zxingWasm('zxing-wasm, kiosk options, one pass', KIOSK_READER_OPTIONS),
    zxingWasm('zxing-wasm, library defaults (QR only)', { formats: ['QRCode'] }),
    zxingJs('@zxing/library QRCodeReader', false),
    zxingJs('@zxing/library TRY_HARDER', true),
  ];
}
