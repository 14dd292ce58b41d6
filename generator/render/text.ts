// `structgen layout` (`--format text`, the default): the pahole-style view. One block per record with offsets, sizes,
// bit-fields, holes, bit holes and tail padding, and a summary line; members at every depth in declaration order
// (a nested record's members under it), the padding of the top level where it lies. Optional ANSI colours (the CLI
// turns them on for a terminal only): types dim, names bold, each top-level member's own colour, padding red.
// Pure string formatting over the layout report; no Node built-ins.

import type { LayoutReport, RecordReport } from '../layout/report.js';
import { fmtBits } from './model.js';

export interface TextOptions {
  /** ANSI colours (SGR sequences). */
  readonly color?: boolean;
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** Foreground colours for members, cycled (the 256-colour-free basic set, readable on dark and light). */
const MEMBER_COLOURS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];

interface Paint { dim(s: string): string; bold(s: string): string; fg(s: string, code: number): string; pad(s: string): string }

function painter(on: boolean): Paint {
  if (!on) return { dim: (s) => s, bold: (s) => s, fg: (s) => s, pad: (s) => s };
  return {
    dim: (s) => `\x1b[2m${s}\x1b[22m`,
    bold: (s) => `\x1b[1m${s}\x1b[22m`,
    fg: (s, code) => `\x1b[${code}m${s}\x1b[39m`,
    pad: (s) => `\x1b[31m${s}\x1b[39m`,
  };
}

export function formatRecord(r: RecordReport, opts: TextOptions = {}): string {
  const c = painter(opts.color === true);
  const lines: string[] = [];
  const marks = [r.packed ? 'packed' : '', r.pack ? `#pragma pack(${r.pack})` : ''].filter(Boolean).join(', ');
  lines.push(`${c.bold(`${r.kind} ${r.name}`)} {${' '.repeat(Math.max(1, 50 - r.kind.length - r.name.length))}${c.dim(`/* ${r.file}:${r.line}${marks ? ` (${marks})` : ''} */`)}`);
  const pads = [...r.padding].sort((a, b) => a.bitOffset - b.bitOffset);
  let nextPad = 0;
  const padLine = (p: RecordReport['padding'][number]) => {
    const what = p.kind === 'tail' ? 'padding' : p.bitSize % 8 || p.bitOffset % 8 ? 'bit hole' : 'hole';
    return c.pad(`    /* XXX ${fmtBits(p.bitSize)} ${what} at ${Math.floor(p.bitOffset / 8)}${p.bitOffset % 8 ? `:${p.bitOffset % 8}` : ''} */`);
  };
  let top = -1;
  for (const f of r.fields) {
    const parts = f.path.split('.');
    const depth = parts.length - 1;
    if (depth === 0) {
      top++;
      // the padding of the top level lies between top-level members: print what comes before this one
      while (nextPad < pads.length && pads[nextPad]!.bitOffset < f.bitOffset) lines.push(padLine(pads[nextPad++]!));
    }
    const name = parts[parts.length - 1]! + (f.bitfield ? `:${f.bitSize}` : '');
    const indent = '    '.repeat(depth + 1);
    const loc = f.bitfield
      ? `${lpad(String(Math.floor(f.bitOffset / 8)), 5)}:${lpad(String(f.bitOffset % 8), 2)} ${lpad(String(f.bitSize), 3)} bit${f.bitSize === 1 ? ' ' : 's'}`
      : `${lpad(String(f.bitOffset / 8), 5)}    ${lpad(String(f.bitSize / 8), 5)}`;
    const colour = MEMBER_COLOURS[Math.max(0, top) % MEMBER_COLOURS.length]!;
    const typeCol = pad(f.type, 28 - indent.length + 4);
    const nameCol = pad(`${name};`, 22);
    lines.push(`${indent}${c.dim(typeCol)}${c.fg(c.bold(nameCol.trimEnd()), colour)}${nameCol.slice(nameCol.trimEnd().length)}${c.dim(`/* ${loc} */`)}`);
  }
  while (nextPad < pads.length) lines.push(padLine(pads[nextPad++]!));
  const holes = r.padding.filter((p) => p.kind === 'hole');
  const tail = r.padding.find((p) => p.kind === 'tail');
  lines.push('');
  lines.push(c.dim(`    /* size: ${r.size}, align: ${r.align}, members: ${r.fields.filter((f) => !f.path.includes('.')).length}, ` +
    `holes: ${holes.length} (${fmtBits(holes.reduce((s, h) => s + h.bitSize, 0))}), padding: ${tail ? fmtBits(tail.bitSize) : '0 bytes'} */`));
  lines.push('};');
  return lines.join('\n');
}

export function formatReport(rep: LayoutReport, opts: TextOptions = {}): string {
  const head = `/* structgen ${rep.version}: ${rep.records.length} record${rep.records.length === 1 ? '' : 's'} for ${rep.target} */`;
  return [head, ...rep.records.map((r) => formatRecord(r, opts))].join('\n\n') + '\n';
}
