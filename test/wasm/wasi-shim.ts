// The few WASI preview1 calls shapes.c's wasm32-wasi build imports (fd_write to stdout, fd_fdstat_get, fd_seek,
// fd_close), for the browser, which has no node:wasi: stdout is collected as text, everything else answers as a
// character device would. No Node built-ins: the browser test bundles this file into its page.

/** The import object for a wasm32-wasi reactor and what it printed; `bind` gives it the instance's memory. */
export function wasiShim(): { imports: WebAssembly.Imports; bind(memory: WebAssembly.Memory): void; output(): string } {
  let memory: WebAssembly.Memory | null = null;
  let text = '';
  const latin1 = new TextDecoder('latin1');
  const EBADF = 8;
  const ESPIPE = 70;
  const wasi = {
    fd_write(fd: number, iovs: number, n: number, written: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      const dv = new DataView(memory!.buffer);
      let total = 0;
      for (let k = 0; k < n; k++) {
        const p = dv.getUint32(iovs + k * 8, true);
        const len = dv.getUint32(iovs + k * 8 + 4, true);
        if (fd === 1) text += latin1.decode(new Uint8Array(memory!.buffer, p, len));
        total += len;
      }
      dv.setUint32(written, total, true);
      return 0;
    },
    fd_fdstat_get(fd: number, stat: number): number {
      if (fd > 2) return EBADF;
      const dv = new DataView(memory!.buffer);
      for (let k = 0; k < 24; k++) dv.setUint8(stat + k, 0);
      dv.setUint8(stat, 2); // a character device
      return 0;
    },
    fd_seek(): number {
      return ESPIPE;
    },
    fd_close(): number {
      return 0;
    },
  };
  return {
    imports: { wasi_snapshot_preview1: wasi },
    bind(m) { memory = m; },
    output() { const t = text; text = ''; return t; },
  };
}
