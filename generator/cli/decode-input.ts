// The input of `structgen decode` and `structgen dump`, read a window at a time: a regular file (also on stdin) is
// read where it is needed (an offset is a seek, never a read of the bytes before it); a pipe, a FIFO, a terminal or a
// device (`/dev/zero`, `/dev/urandom`) is read in order, the bytes before the offset read and dropped, and only the
// bytes of the record being decoded are kept. So memory is bounded by the largest record, whatever the input's size,
// and an endless input is read only as far as the records asked for reach.

import * as fs from 'node:fs';

/** Bytes of the input from `start` on: `bytes[0]` is the byte at `start`. */
export interface Window {
  readonly bytes: Uint8Array;
  readonly start: number;
}

interface Reader {
  /** Reads into `buf` at `off`, at most `len` bytes, from `pos` (a regular file) or the current position; 0 at the
   * end. */
  read(buf: Uint8Array, off: number, len: number, pos: number): Promise<number>;
  close(): Promise<void>;
}

const CHUNK = 1 << 20;

/** Whether a device reads at a given position (pread): a terminal does not (ESPIPE). */
async function readsAt(fh: fs.promises.FileHandle): Promise<boolean> {
  try {
    await fh.read(new Uint8Array(1), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The input: its bytes from some position on, kept in one buffer that grows to the largest window asked for. */
export class ByteInput {
  private buf = new Uint8Array(CHUNK);
  /** Position in the input of `buf[0]`. */
  private start = 0;
  /** Bytes of `buf` that hold input. */
  private len = 0;
  private eof = false;

  /** `seekable`: a regular file or a device read where needed; `size`: a regular file's size (which a file in /proc
   * does not tell: 0), else null. */
  private constructor(private readonly reader: Reader, readonly seekable: boolean, readonly size: number | null) {}

  /** Opens `file` (or stdin for null). A FIFO no program writes to yet waits for one, as `cat` does; after a second
   * `onWait` is called once (to say why nothing happens). */
  static async open(file: string | null, onWait: (what: string) => void): Promise<ByteInput> {
    if (file === null) return ByteInput.stdin();
    let timer: NodeJS.Timeout | null = null;
    try {
      const st = await fs.promises.stat(file);
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
      if (st.isFIFO()) timer = setTimeout(() => onWait(`waiting for a program to write to the FIFO '${file}' (Ctrl-C stops)`), 1000);
      const fh = await fs.promises.open(file, 'r');
      if (timer) clearTimeout(timer);
      const fst = await fh.stat();
      // a device that reads at a position (a disk, /dev/zero) is read where needed too: a large --offset is a seek
      const positional = fst.isFile() || ((fst.isBlockDevice() || fst.isCharacterDevice()) && await readsAt(fh));
      return new ByteInput({
        read: async (buf, off, len, pos) => (await fh.read(buf, off, len, positional ? pos : null)).bytesRead,
        close: () => fh.close(),
      }, positional, fst.isFile() ? fst.size : null);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private static stdin(): ByteInput {
    let st: fs.Stats | null = null;
    try { st = fs.fstatSync(0); } catch { /* closed: read as a stream, which ends at once */ }
    if (st?.isFile()) {
      const read = (buf: Uint8Array, off: number, len: number, pos: number) => new Promise<number>((res, rej) => {
        fs.read(0, buf, off, len, pos, (e, n) => (e ? rej(e) : res(n)));
      });
      return new ByteInput({ read, close: async () => { /* the caller's */ } }, true, st.size);
    }
    // a pipe or a terminal: Node's stream (it copes with a non-blocking descriptor), pulled a chunk at a time, so
    // that it pauses while a record is decoded
    const it = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let rest: Buffer | null = null;
    return new ByteInput({
      read: async (buf, off, len) => {
        if (!rest || !rest.length) {
          const r = await it.next();
          if (r.done) return 0;
          rest = r.value;
        }
        const n = Math.min(len, rest.length);
        buf.set(rest.subarray(0, n), off);
        rest = rest.subarray(n);
        return n;
      },
      close: async () => { process.stdin.destroy(); },
    }, false, null);
  }

  close(): Promise<void> {
    return this.reader.close();
  }

  /** Whether the input can still be read from `pos` (a file can be read again anywhere; a stream from what it kept). */
  canRead(pos: number): boolean {
    return this.seekable || pos >= this.start;
  }

  /**
   * The bytes from `at` on, at least `n` of them where the input has them (fewer only at its end): the window's
   * bytes are valid until the next call. Bytes before `at` are dropped; reading a stream past bytes not yet read
   * reads and drops them a chunk at a time.
   */
  async window(at: number, n: number): Promise<Window> {
    if (at < this.start) {
      if (!this.seekable) throw new Error(`structgen: the input cannot go back to byte ${at}`);
      this.start = at;
      this.len = 0;
      this.eof = false;
    }
    if (at > this.start + this.len) {
      if (this.seekable) { this.start = at; this.len = 0; this.eof = false; }
      else {
        // drop what is kept, then read and drop up to `at`
        this.start += this.len;
        this.len = 0;
        while (this.start < at && !this.eof) {
          const k = await this.reader.read(this.buf, 0, Math.min(this.buf.length, at - this.start), 0);
          if (k === 0) this.eof = true;
          this.start += k;
        }
        if (this.start < at) return { bytes: this.buf.subarray(0, 0), start: at };
      }
    }
    // keep the bytes from `at`: at the front of the buffer, which grows to hold `n`
    const skip = at - this.start;
    if (skip > 0 && (this.len - skip < n || skip >= this.buf.length / 2)) {
      this.buf.copyWithin(0, skip, this.len);
      this.start = at;
      this.len -= skip;
    }
    const from = at - this.start;
    while (this.len - from < n && !this.eof) {
      if (this.len === this.buf.length) {
        // grown as bytes arrive, not to `n` at once: `n` may be a limit the input never reaches
        const bigger = new Uint8Array(Math.min(2 * this.buf.length, from + n));
        bigger.set(this.buf.subarray(0, this.len));
        this.buf = bigger;
      }
      const k = await this.reader.read(this.buf, this.len, this.buf.length - this.len, this.start + this.len);
      if (k === 0) this.eof = true;
      this.len += k;
    }
    return { bytes: this.buf.subarray(from, this.len), start: at };
  }
}
