// The pahole-style text view of `structgen layout`: one block per record with offsets, sizes, bit-fields,
// holes, bit holes and tail padding, and a summary line. Pure string formatting over the layout report.

import type { LayoutReport, RecordReport } from '../pipeline.js';

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function fmtBits(bits: number): string {
  if (bits % 8 === 0) return `${bits / 8} byte${bits === 8 ? '' : 's'}`;
  if (bits < 8) return `${bits} bit${bits === 1 ? '' : 's'}`;
  return `${Math.floor(bits / 8)} byte${bits < 16 ? '' : 's'} ${bits % 8} bit${bits % 8 === 1 ? '' : 's'}`;
}

export function formatRecord(r: RecordReport): string {
  const lines: string[] = [];
  const marks = [r.packed ? 'packed' : '', r.pack ? `#pragma pack(${r.pack})` : ''].filter(Boolean).join(', ');
  lines.push(`${r.kind} ${r.name} {${' '.repeat(Math.max(1, 50 - r.kind.length - r.name.length))}/* ${r.file}:${r.line}${marks ? ` (${marks})` : ''} */`);
  const items: Array<{ at: number; order: number; text: string }> = [];
  r.fields.forEach((f, i) => {
    const depth = f.path.split('.').length - 1;
    const name = f.path.split('.').pop()! + (f.bitfield ? `:${f.bitSize}` : '');
    const indent = '    '.repeat(depth + 1);
    const loc = f.bitfield
      ? `${lpad(String(Math.floor(f.bitOffset / 8)), 5)}:${lpad(String(f.bitOffset % 8), 2)} ${lpad(String(f.bitSize), 3)} bit${f.bitSize === 1 ? ' ' : 's'}`
      : `${lpad(String(f.bitOffset / 8), 5)}    ${lpad(String(f.bitSize / 8), 5)}`;
    items.push({ at: f.bitOffset, order: i, text: `${indent}${pad(f.type, 28 - indent.length + 4)}${pad(`${name};`, 22)}/* ${loc} */` });
  });
  for (const p of r.padding) {
    const what = p.kind === 'tail' ? 'padding' : p.bitSize % 8 || p.bitOffset % 8 ? 'bit hole' : 'hole';
    items.push({ at: p.bitOffset, order: -1, text: `    /* XXX ${fmtBits(p.bitSize)} ${what} at ${Math.floor(p.bitOffset / 8)}${p.bitOffset % 8 ? `:${p.bitOffset % 8}` : ''} */` });
  }
  // holes never overlap members, so offset order (members first at equal offsets) places them right
  items.sort((x, y) => x.at - y.at || (x.order === -1 ? 1 : 0) - (y.order === -1 ? 1 : 0) || x.order - y.order);
  for (const it of items) lines.push(it.text);
  const holes = r.padding.filter((p) => p.kind === 'hole');
  const tail = r.padding.find((p) => p.kind === 'tail');
  lines.push('');
  lines.push(`    /* size: ${r.size}, align: ${r.align}, members: ${r.fields.filter((f) => !f.path.includes('.')).length}, ` +
    `holes: ${holes.length} (${fmtBits(holes.reduce((s, h) => s + h.bitSize, 0))}), padding: ${tail ? fmtBits(tail.bitSize) : '0 bytes'} */`);
  lines.push('};');
  return lines.join('\n');
}

export function formatReport(rep: LayoutReport): string {
  const head = `/* structgen ${rep.version}: ${rep.records.length} record${rep.records.length === 1 ? '' : 's'} for ${rep.target} */`;
  return [head, ...rep.records.map(formatRecord)].join('\n\n') + '\n';
}
