// The QR decoders the camera bench compares, each behind one call: frame in, text or null out.
// "zxing-wasm (kiosk)" is what the kiosk UI's worker does (kiosk-ui/src/camera/): its options, and
// a second pass over a smoothed frame when the first finds nothing (tests/ui-camera.test.ts checks
// the settings stay equal; the bench cannot import the UI's sources, which build into dist/kiosk-ui).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import type { CameraFrame } from './frames/camera-frames.js';

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

type ImageLike = { data: Uint8ClampedArray; width: number; height: number };

/** RGBA, as a canvas hands a video frame to the decoder. */
function rgba(frame: CameraFrame): ImageLike {
  const data = new Uint8ClampedArray(frame.luma.length * 4);
  for (let i = 0; i < frame.luma.length; i++) {
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = frame.luma[i]!;
    data[i * 4 + 3] = 255;
  }
  return { data, width: frame.width, height: frame.height };
}

export async function loadZxingWasm(): Promise<void> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
}

async function readWasm(image: ImageLike, options: ReaderOptions): Promise<string | null> {
  const results = await readBarcodes(image as ImageData, options);
  return results.find((r) => r.isValid)?.text ?? null;
}

function zxingWasm(name: string, options: ReaderOptions): Decoder {
  return { name, prepare: rgba, decode: (input) => readWasm(input as ImageLike, options) };
}

/**
 * Gaussian smoothing straight into a grey RGBA image, as the worker's canvas `blur()` filter does
 * natively: separable, edges clamped, kernel to 3 sigma.
 */
function smoothToRgba(luma: Uint8ClampedArray, width: number, height: number, sigma: number): ImageLike {
  const r = Math.ceil(sigma * 3);
  const weights = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-((j - r) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const k = Float32Array.from(weights, (w) => w / total);
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const xx = x + j < 0 ? 0 : x + j >= width ? width - 1 : x + j;
        acc += luma[row + xx]! * k[j + r]!;
      }
      rows[row + x] = acc;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const yy = y + j < 0 ? 0 : y + j >= height ? height - 1 : y + j;
        acc += rows[yy * width + x]! * k[j + r]!;
      }
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = acc + 0.5;
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

/** The kiosk worker's two passes: the kiosk options, then again on a smoothed frame. */
function kioskWasm(name: string): Decoder {
  return {
    name,
    prepare: (frame) => ({ frame, image: rgba(frame) }),
    async decode(input) {
      const { frame, image } = input as { frame: CameraFrame; image: ImageLike };
      const first = await readWasm(image, KIOSK_READER_OPTIONS);
      if (first !== null) return first;
      return readWasm(smoothToRgba(frame.luma, frame.width, frame.height, KIOSK_SMOOTHING_PX), KIOSK_READER_OPTIONS);
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
