// Camera scanning on the main thread's side: opens the camera into a <video>, hands the decoding
// worker one frame at a time (the newest, whenever it is free, so a slow frame never queues up
// stale ones) and reports the first code read. Decoding stays in the worker; the main thread only
// copies a frame into an ImageBitmap.
import type { WorkerReply } from './worker-messages.js';

export interface CameraScannerOptions {
  video: HTMLVideoElement;
  onCode(text: string): void;
  /** The camera or the decoder failed; the scanner has stopped. */
  onError(error: unknown): void;
}

export interface CameraScanStats {
  frames: number;
  /** The worker's time per frame (readback and decoding), most recent last, up to 300. */
  decodeMs: number[];
}

export class CameraScanner {
  private stream: MediaStream | undefined;
  private worker: Worker | undefined;
  private running = false;
  readonly stats: CameraScanStats = { frames: 0, decodeMs: [] };

  constructor(private readonly options: CameraScannerOptions) {}

  async start(): Promise<void> {
    const { video } = this.options;
    this.running = true;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'environment', width: { ideal: 640 }, height: { ideal: 480 } },
    });
    if (!this.running) return this.stop(); // stopped while the permission prompt was open
    video.srcObject = this.stream;
    await video.play();
    if (!this.running) return this.stop();
    this.worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module', name: 'qr-decoder' });
    this.worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => this.onReply(e.data));
    this.worker.addEventListener('error', (e) => this.fail(new Error(e.message || 'decoder worker failed')));
  }

  stop(): void {
    this.running = false;
    this.worker?.terminate();
    this.worker = undefined;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = undefined;
    this.options.video.srcObject = null;
  }

  private onReply(m: WorkerReply): void {
    if (!this.running) return;
    if (m.type === 'error') return this.fail(new Error(m.message));
    if (m.type === 'result') {
      this.stats.frames++;
      this.stats.decodeMs.push(m.ms);
      if (this.stats.decodeMs.length > 300) this.stats.decodeMs.shift();
      if (m.text !== null) {
        this.stop();
        this.options.onCode(m.text);
        return;
      }
    }
    this.nextFrame(); // after 'ready', and after every frame without a code
  }

  private nextFrame(): void {
    const { video } = this.options;
    const grab = () => void this.sendFrame();
    // A new video frame rather than the one just decoded, where the browser can tell.
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(grab);
    else setTimeout(grab, 33);
  }

  private async sendFrame(): Promise<void> {
    const { video } = this.options;
    if (!this.running || !this.worker) return;
    if (video.videoWidth === 0) return this.nextFrame();
    try {
      const frame = await createImageBitmap(video);
      if (!this.worker) return frame.close();
      this.worker.postMessage({ frame }, [frame]);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(error: unknown): void {
    if (!this.running) return;
    this.stop();
    this.options.onError(error);
  }
}
