// How the kiosk asks zxing-wasm to read a camera frame. bench/camera-decoders.ts measures these
// exact settings (tests/ui-camera.test.ts keeps the two equal); change them together.
import type { ReaderOptions } from 'zxing-wasm/reader';

export const READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  // QR finder patterns are found at any angle; the 90° retries are for 1D codes.
  tryRotate: false,
  // Printed codes and phone screens are dark on light.
  tryInvert: false,
  // Also try at half size: averaging 2×2 pixels halves sensor noise (640×480 is under the
  // default 500 px threshold, so without this there is no second, downscaled pass).
  tryDownscale: true,
  downscaleThreshold: 240,
  downscaleFactor: 2,
  maxNumberOfSymbols: 1,
  textMode: 'Plain',
};

/**
 * When a frame yields nothing, it is read once more smoothed by a Gaussian of this sigma (px):
 * in dim light a webcam's noise flips single pixels, and 1 px of smoothing brings the noisy frame
 * class from 92 % to 99 % (npm run bench -- camera).
 */
export const SMOOTHING_PX = 1;
