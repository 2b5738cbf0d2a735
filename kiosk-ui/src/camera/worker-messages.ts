// Messages between the camera scanner (main thread) and the decoding worker.

/** Main thread → worker: one video frame, transferred. */
export interface FrameRequest {
  frame: ImageBitmap;
}

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  /** One frame decoded: its text (null for none) and the worker's time on it, readback included. */
  | { type: 'result'; text: string | null; ms: number };
