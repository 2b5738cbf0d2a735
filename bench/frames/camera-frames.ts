// Synthetic 640×480 grayscale camera frames in classes, deterministic per seed: a KQ1 code printed
// on paper, held in front of a webcam, over a cluttered background. Every frame gets what any cheap
// webcam adds (slight defocus, sensor noise, uneven light, a hand's few degrees of roll and tilt);
// each class then pushes one degradation to a hard but still decodable level. `no-code` frames show
// paper with text lines or a random module grid (a QR without finder patterns): a decoder must
// return nothing for them.
import QRCode from 'qrcode';
import { Canvas, projectSquare, type Pose, type Sheet } from './render.js';
import { Rng } from './rng.js';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

export const FRAME_CLASSES = ['clean', 'noise', 'blur', 'low-contrast', 'small', 'rotation', 'perspective', 'no-code'] as const;
export type FrameClass = (typeof FRAME_CLASSES)[number];

export interface CameraFrame {
  cls: FrameClass;
  width: number;
  height: number;
  /** One byte of luminance per pixel, row-major. */
  luma: Uint8ClampedArray;
  /** The text encoded in the frame, or null for a frame without a code. */
  text: string | null;
}

interface Conditions {
  /** Pixels per QR module, face-on. */
  modulePx: number;
  roll: number;
  tiltX: number;
  tiltY: number;
  /** Gaussian blur sigma, in pixels, or in modules of the code as drawn (defocus class). */
  blurPx: number;
  blurModules?: number;
  noise: number;
  ink: number;
  paper: number;
  light: number;
}

const deg = (d: number) => (d * Math.PI) / 180;

/** What every frame has: a webcam a hand's length from a printed code. */
function baseline(rng: Rng): Conditions {
  return {
    modulePx: rng.between(3.2, 5),
    roll: deg(rng.between(-10, 10)),
    tiltX: deg(rng.between(-10, 10)),
    tiltY: deg(rng.between(-10, 10)),
    blurPx: rng.between(0.4, 0.8),
    noise: rng.between(2, 5),
    ink: rng.between(20, 55),
    paper: rng.between(185, 235),
    light: rng.between(0, 0.25),
  };
}

/** Each class: the baseline with one thing made hard. */
function conditions(cls: FrameClass, rng: Rng): Conditions {
  const c = baseline(rng);
  switch (cls) {
    case 'noise':
      return { ...c, noise: rng.between(18, 28) };
    case 'blur':
      // Defocus: sigma 0.3–0.42 of a module keeps 40–65 % modulation on the finest pattern
      // (alternating modules); past ~0.45 a code's single modules melt into their neighbours.
      return { ...c, blurModules: rng.between(0.3, 0.42) };
    case 'low-contrast': {
      const mid = rng.between(90, 160), spread = rng.between(25, 40);
      return { ...c, ink: mid - spread / 2, paper: mid + spread / 2, light: rng.between(0.1, 0.3) };
    }
    case 'small':
      return { ...c, modulePx: rng.between(2, 2.6) };
    case 'rotation':
      return { ...c, roll: deg(rng.between(0, 360)) };
    case 'perspective': {
      // A sheet tilted 25–40° away from the camera about a random axis in its plane.
      const tilt = deg(rng.between(25, 40)), axis = rng.between(0, 2 * Math.PI);
      return { ...c, tiltX: tilt * Math.cos(axis), tiltY: tilt * Math.sin(axis), modulePx: rng.between(3.6, 5) };
    }
    default:
      return c;
  }
}

function qrSheet(text: string, c: Conditions, rng: Rng): Sheet {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  const quiet = 4; // the printed quiet zone; more paper beyond it on some sides
  return {
    size,
    margin: { left: quiet + rng.between(0, 12), top: quiet + rng.between(0, 12), right: quiet + rng.between(0, 12), bottom: quiet + rng.between(0, 12) },
    paper: c.paper,
    ink: c.ink,
    inked: (u, v) => data[Math.floor(v) * size + Math.floor(u)] === 1,
  };
}

/** Paper that is not a code: lines of text-like blocks, or a random module grid without finders. */
function decoySheet(c: Conditions, rng: Rng): Sheet {
  const size = rng.int(45, 70);
  const margin = { left: 4, top: 4, right: 4, bottom: 4 };
  if (rng.next() < 0.5) {
    const cells = Uint8Array.from({ length: size * size }, () => (rng.next() < 0.5 ? 1 : 0));
    return { size, margin, paper: c.paper, ink: c.ink, inked: (u, v) => cells[Math.floor(v) * size + Math.floor(u)] === 1 };
  }
  // Text: rows of glyph-sized blocks with word gaps.
  const rowH = rng.between(2.5, 4), glyph = rowH * 0.8;
  const gaps = Uint8Array.from({ length: 4096 }, () => (rng.next() < 0.18 ? 1 : 0));
  return {
    size, margin, paper: c.paper, ink: c.ink,
    inked: (u, v) => {
      const row = Math.floor(v / rowH), inRow = v - row * rowH;
      if (inRow > glyph) return false;
      const col = Math.floor(u / (glyph * 0.9));
      return gaps[(row * 97 + col) % 4096] === 0 && u - col * glyph * 0.9 < glyph * 0.75;
    },
  };
}

/** One frame of class `cls`; `text` is what the code encodes (ignored for `no-code`). */
export function cameraFrame(cls: FrameClass, text: string, seed: number): CameraFrame {
  const rng = new Rng(seed);
  const c = conditions(cls, rng);
  const canvas = new Canvas(FRAME_WIDTH, FRAME_HEIGHT).clutter(rng);
  const sheet = cls === 'no-code' ? decoySheet(c, rng) : qrSheet(text, c, rng);
  // Somewhere in view, the quiet zone too: shrink the code until its projection fits the frame
  // (a person moves the paper back until the whole code is on screen).
  let pose: Pose = { center: [0, 0], sizePx: sheet.size * c.modulePx, roll: c.roll, tiltX: c.tiltX, tiltY: c.tiltY };
  const padded = (sheet.size + 8) / sheet.size;
  for (;;) {
    const outline = projectSquare({ ...pose, sizePx: pose.sizePx * padded });
    const xs = outline.map((p) => p[0]), ys = outline.map((p) => p[1]);
    const spanX = Math.max(...xs) - Math.min(...xs), spanY = Math.max(...ys) - Math.min(...ys);
    if (spanX <= FRAME_WIDTH - 8 && spanY <= FRAME_HEIGHT - 8) {
      const slackX = (FRAME_WIDTH - 8 - spanX) / 2, slackY = (FRAME_HEIGHT - 8 - spanY) / 2;
      const offX = -(Math.max(...xs) + Math.min(...xs)) / 2, offY = -(Math.max(...ys) + Math.min(...ys)) / 2;
      pose = { ...pose, center: [FRAME_WIDTH / 2 + offX + rng.between(-slackX, slackX), FRAME_HEIGHT / 2 + offY + rng.between(-slackY, slackY)] };
      break;
    }
    pose = { ...pose, sizePx: pose.sizePx * 0.95 };
  }
  const blurPx = c.blurModules === undefined ? c.blurPx : c.blurModules * (pose.sizePx / sheet.size);
  canvas.drawSheet(sheet, projectSquare(pose)).light(rng, c.light).blur(blurPx);
  return { cls, width: FRAME_WIDTH, height: FRAME_HEIGHT, luma: canvas.expose(rng, c.noise), text: cls === 'no-code' ? null : text };
}

/** `perClass` frames of every class, codes drawn from `texts` in turn. */
export function* frameSet(texts: readonly string[], perClass: number, seed = 1): Generator<CameraFrame> {
  let k = 0;
  for (const [ci, cls] of FRAME_CLASSES.entries()) {
    for (let i = 0; i < perClass; i++) yield cameraFrame(cls, texts[k++ % texts.length]!, seed * 1_000_003 + ci * 10_007 + i);
  }
}
