// Raster pieces for synthetic camera frames: a flat sheet (a printed code or a decoy) seen through
// a pinhole camera, over a cluttered background, then the camera's blur, lighting and sensor noise.
// Grayscale only: decoders work on luminance, and the browser turns RGBA into luminance first.
import type { Rng } from './rng.js';

type Mat3 = [number, number, number, number, number, number, number, number, number];
export type Point = readonly [number, number];

/** Homography taking the unit square (0,0) (1,0) (1,1) (0,1) onto the quad p0..p3 (Heckbert). */
function squareToQuad([p0, p1, p2, p3]: readonly [Point, Point, Point, Point]): Mat3 {
  const [x0, y0] = p0, [x1, y1] = p1, [x2, y2] = p2, [x3, y3] = p3;
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const h = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

export interface Pose {
  /** Where the sheet's square (the code area) is centred, in pixels. */
  center: Point;
  /** Width of the square in pixels when seen face-on. */
  sizePx: number;
  /** In-plane rotation, radians. */
  roll: number;
  /** Tilt of the sheet away from the camera about the image x and y axes, radians. */
  tiltX: number;
  tiltY: number;
}

const FOCAL_PX = 560; // ~60° horizontal field of view at 640 px, a common webcam

/** Corners of the code square as a pinhole camera sees the tilted, rotated sheet. */
export function projectSquare(p: Pose): [Point, Point, Point, Point] {
  const half = p.sizePx / 2;
  const [cr, sr, cx, sx, cy, sy] = [Math.cos(p.roll), Math.sin(p.roll), Math.cos(p.tiltX), Math.sin(p.tiltX), Math.cos(p.tiltY), Math.sin(p.tiltY)];
  const corner = (u: number, v: number): Point => {
    // tilt about y, then about x, then roll in the image plane
    let x = u * cy, y = v, z = -u * sy;
    [y, z] = [y * cx - z * sx, y * sx + z * cx];
    [x, y] = [x * cr - y * sr, x * sr + y * cr];
    const k = FOCAL_PX / (FOCAL_PX + z);
    return [p.center[0] + x * k, p.center[1] + y * k];
  };
  return [corner(-half, -half), corner(half, -half), corner(half, half), corner(-half, half)];
}

/** A printed sheet: `size` units square of content, on paper reaching `margin` units beyond it. */
export interface Sheet {
  size: number;
  margin: { left: number; top: number; right: number; bottom: number };
  paper: number;
  ink: number;
  /** Is there ink at content coordinates (u, v), 0 ≤ u, v < size? */
  inked(u: number, v: number): boolean;
}

export class Canvas {
  readonly px: Float32Array;
  constructor(readonly width: number, readonly height: number) {
    this.px = new Float32Array(width * height);
  }

  /** Smooth background with clutter: desk, shadows, other objects' edges. */
  clutter(rng: Rng): this {
    const { width: w, height: h, px } = this;
    const base = rng.between(70, 170), gx = rng.between(-60, 60) / w, gy = rng.between(-60, 60) / h;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = base + gx * (x - w / 2) + gy * (y - h / 2);
    const shapes = rng.int(8, 20);
    for (let s = 0; s < shapes; s++) {
      const x0 = rng.int(-50, w), y0 = rng.int(-50, h), rw = rng.int(6, 220), rh = rng.int(3, 160), v = rng.between(20, 235);
      for (let y = Math.max(0, y0); y < Math.min(h, y0 + rh); y++) for (let x = Math.max(0, x0); x < Math.min(w, x0 + rw); x++) px[y * w + x] = v;
    }
    return this;
  }

  /** Draw a sheet with 3×3 supersampling per pixel (the lens integrates over each pixel). */
  drawSheet(sheet: Sheet, quad: [Point, Point, Point, Point]): this {
    const { width: w, height: h, px } = this;
    const [a, b, c, d, e, f, g, hh, i] = invert(squareToQuad(quad));
    const { size, margin } = sheet;
    const u0 = -margin.left, v0 = -margin.top, u1 = size + margin.right, v1 = size + margin.bottom;
    // Only pixels inside the paper's bounding box can change.
    const corners = [[u0, v0], [u1, v0], [u1, v1], [u0, v1]].map(([u, v]) => mapPoint(squareToQuad(quad), u! / size, v! / size));
    const bx0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0])))), bx1 = Math.min(w, Math.ceil(Math.max(...corners.map((p) => p[0]))) + 1);
    const by0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1])))), by1 = Math.min(h, Math.ceil(Math.max(...corners.map((p) => p[1]))) + 1);
    for (let y = by0; y < by1; y++) {
      for (let x = bx0; x < bx1; x++) {
        let sum = 0;
        for (let sy = 0; sy < 3; sy++) {
          for (let sx = 0; sx < 3; sx++) {
            const X = x + (sx + 0.5) / 3 - 0.5, Y = y + (sy + 0.5) / 3 - 0.5;
            const z = g * X + hh * Y + i;
            const u = ((a * X + b * Y + c) / z) * size, v = ((d * X + e * Y + f) / z) * size;
            if (u < u0 || u >= u1 || v < v0 || v >= v1) sum += px[y * w + x]!;
            else sum += u >= 0 && v >= 0 && u < size && v < size && sheet.inked(u, v) ? sheet.ink : sheet.paper;
          }
        }
        px[y * w + x] = sum / 9;
      }
    }
    return this;
  }

  /** Uneven light: a linear falloff of up to `strength` across the frame in a random direction. */
  light(rng: Rng, strength: number): this {
    const { width: w, height: h, px } = this;
    const angle = rng.between(0, 2 * Math.PI), cx = Math.cos(angle) / w, cy = Math.sin(angle) / h;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x]! *= 1 - strength * (0.5 + cx * (x - w / 2) + cy * (y - h / 2));
    return this;
  }

  /** Separable Gaussian blur (defocus, cheap optics). */
  blur(sigma: number): this {
    if (sigma <= 0) return this;
    const r = Math.ceil(sigma * 3);
    const k = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-((j - r) ** 2) / (2 * sigma * sigma)));
    const sum = k.reduce((s, v) => s + v, 0);
    const kernel = Float32Array.from(k, (v) => v / sum);
    const { width: w, height: h } = this;
    const tmp = new Float32Array(w * h);
    const pass = (src: Float32Array, dst: Float32Array, horizontal: boolean) => {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let acc = 0;
          for (let j = -r; j <= r; j++) {
            const xx = horizontal ? Math.min(w - 1, Math.max(0, x + j)) : x;
            const yy = horizontal ? y : Math.min(h - 1, Math.max(0, y + j));
            acc += src[yy * w + xx]! * kernel[j + r]!;
          }
          dst[y * w + x] = acc;
        }
      }
    };
    pass(this.px, tmp, true);
    pass(tmp, this.px, false);
    return this;
  }

  /** Sensor noise, then 8-bit quantisation. */
  expose(rng: Rng, noiseSigma: number): Uint8ClampedArray {
    const out = new Uint8ClampedArray(this.px.length);
    for (let j = 0; j < out.length; j++) out[j] = Math.round(this.px[j]! + noiseSigma * rng.gaussian());
    return out;
  }
}

function mapPoint(m: Mat3, u: number, v: number): Point {
  const z = m[6] * u + m[7] * v + m[8];
  return [(m[0] * u + m[1] * v + m[2]) / z, (m[3] * u + m[4] * v + m[5]) / z];
}
