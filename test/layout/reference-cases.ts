// The targeted layout cases: one small C snippet per layout rule (padding, bit-field units, zero-width and unnamed
// bit-fields, packed, aligned, #pragma pack, flexible and zero-length arrays, anonymous members, unions). Each
// defines `struct S` or `union S`; `npm run measure:reference` measures them with the compilers into
// reference-measured.json, which reference.test.ts reads.

export interface ReferenceCase {
  readonly name: string;
  readonly code: string;
  /** Member designators gcc is asked about: `offsetof` for members, a byte mask for bit-fields (trailing `:`). */
  readonly members: readonly string[];
}

const cases: ReferenceCase[] = [];
const c = (name: string, code: string, members = '') =>
  cases.push({ name, code, members: members.split(' ').filter(Boolean) });
const packed = (n: number | '', body: string) => `#pragma pack(${n})\n${body}\n#pragma pack()`;

// ---- ordinary members: alignment, padding between members and at the tail, nesting, arrays
c('pad_between', 'struct S { signed char k; int v; unsigned char t; };', 'k v t');
c('tail_padding', 'struct S { short h; char c; };', 'h c');
c('double_after_char', 'struct S { unsigned char u; double d; };', 'u d');
c('double_then_char', 'struct S { double d; unsigned char u; };', 'd u');
c('llong_after_char', 'struct S { unsigned char u; unsigned long long q; };', 'u q');
c('ldouble_after_char', 'struct S { unsigned char u; long double ld; };', 'u ld');
c('int128_after_char', 'struct S { unsigned char u; unsigned __int128 w; };', 'u w');
c('long_after_char', 'struct S { char c; long l; };', 'c l');
c('pointer_after_char', 'struct S { char c; void *p; };', 'c p');
c('float_after_short', 'struct S { short h; float f; };', 'h f');
c('nested_tail_kept', 'struct Inner { int n; char c; };\nstruct S { struct Inner in; char after; };', 'in in.c after');
c('nested_double', 'struct Inner { char c; double d; };\nstruct S { short s; struct Inner in; char e; };', 's in in.c in.d e');
c('struct_array', 'struct Elem { short s; char c; };\nstruct S { char c; struct Elem arr[4]; char e; };', 'c arr arr[1] arr[3].c e');
c('int_array', 'struct S { char c; unsigned int arr[2]; short e; };', 'c arr e');

// ---- bit-fields: storage units, straddling, mixed types
c('bf_same_unit', 'struct S { unsigned x:2; unsigned y:6; unsigned z:9; };', 'x: y: z:');
c('bf_straddle_32', 'struct S { unsigned x:29; unsigned y:5; };', 'x: y:');
c('bf_straddle_8', 'struct S { unsigned char x:6; unsigned char y:3; };', 'x: y:');
c('bf_char_int', 'struct S { signed char x:3; int y:5; };', 'x: y:');
c('bf_int_char', 'struct S { int x:5; signed char y:3; };', 'x: y:');
c('bf_char_char_short_char', 'struct S { char w:3; char x:5; short y:6; char z:2; };', 'w: x: y: z:');
c('bf_short_int_short', 'struct S { short x:5; int y:19; short z:3; };', 'x: y: z:');
c('bf_signed_unsigned', 'struct S { int x:6; unsigned y:6; };', 'x: y:');
c('bf_int_long', 'struct S { int x:6; long y:6; };', 'x: y:');
c('bf_int_llong', 'struct S { int x:6; long long y:6; };', 'x: y:');
c('bf_llong_straddle', 'struct S { long long x:36; long long y:32; };', 'x: y:');
c('bf_llong35_after_char', 'struct S { char c; long long y:35; };', 'c y:');
c('bf_llong36_after_int', 'struct S { int i; long long y:36; };', 'i y:');
c('member_then_bf', 'struct S { char c; int y:5; };', 'c y:');
c('members_then_bf_cross', 'struct S { char a; char b; char c; int y:10; };', 'a b c y:');
c('member_then_short_bf_cross', 'struct S { char c; short y:10; };', 'c y:');
c('bf_then_char', 'struct S { int x:5; char c; };', 'x: c');
c('bf_then_int', 'struct S { char x:5; int i; };', 'x: i');
c('bf_full_width', 'struct S { unsigned x:32; unsigned y:3; };', 'x: y:');
c('bf_bool', 'struct S { _Bool p:1; _Bool q:1; int r:5; };', 'p: q: r:');
c('bf_enum', 'enum Col { RED, GREEN, BLUE, GREY };\nstruct S { enum Col col:2; char c; };', 'col: c');
c('bf_long_18_18', 'struct S { long x:18; long y:18; };', 'x: y:');
c('bf_order', 'struct S { unsigned short x:5; unsigned short y:11; unsigned char z:2; unsigned char w:6; };', 'x: y: z: w:');

// ---- unnamed bit-fields (take space; their type's alignment does not count on GNU targets)
c('bf_unnamed_between', 'struct S { int x:4; int :6; int y:4; };', 'x: y:');
c('bf_unnamed_at_end', 'struct S { char c; int :5; };', 'c');
c('bf_unnamed_between_chars', 'struct S { char c; int :3; char d; };', 'c d');
c('bf_unnamed_first', 'struct S { int :6; char c; };', 'c');
c('bf_unnamed_llong', 'struct S { char c; long long :6; char d; };', 'c d');

// ---- zero-width bit-fields
c('zw_after_member', 'struct S { char c; int :0; short h; };', 'c h');
c('zw_after_bf', 'struct S { char x:2; int :0; char c; };', 'x: c');
c('zw_int_between_int_bfs', 'struct S { int x:5; int :0; int y:5; };', 'x: y:');
c('zw_char_between_int_bfs', 'struct S { int x:5; char :0; int y:5; };', 'x: y:');
c('zw_short_between_int_bfs', 'struct S { int x:5; short :0; int y:5; };', 'x: y:');
c('zw_first', 'struct S { int :0; short h; };', 'h');
c('zw_llong_after_member', 'struct S { char c; long long :0; short h; };', 'c h');
c('zw_llong_after_bf', 'struct S { char x:2; long long :0; char c; };', 'x: c');
c('zw_last_after_member', 'struct S { short h; int :0; };', 'h');
c('zw_last_after_bf', 'struct S { char x:3; int :0; };', 'x:');
c('zw_char_between_char_bfs', 'struct S { char x:4; char :0; char y:4; };', 'x: y:');
c('zw_int_between_char_bfs', 'struct S { char x:4; int :0; char y:4; };', 'x: y:');

// ---- bit-fields in unions
c('union_bfs', 'union S { int x:5; char y:6; long long z:36; };', 'x: y: z:');
c('union_small_bfs', 'union S { char x:5; short y:10; };', 'x: y:');

// ---- bit-fields with packed, #pragma pack and aligned
c('bf_packed_record', 'struct __attribute__((packed)) S { char c; int x:5; int y:29; };', 'c x: y:');
c('bf_packed_straddle', 'struct __attribute__((packed)) S { unsigned x:29; unsigned y:5; };', 'x: y:');
c('bf_packed_chars', 'struct __attribute__((packed)) S { char x:5; char y:5; };', 'x: y:');
c('bf_packed_char_int', 'struct __attribute__((packed)) S { char x:5; int y:5; };', 'x: y:');
c('bf_packed_member', 'struct S { unsigned x:29; unsigned y:5 __attribute__((packed)); };', 'x: y:');
c('bf_packed_member_llong', 'struct S { short x:16; long long y:7 __attribute__((packed)); char z:5; };', 'x: y: z:');
c('bf_packed_zw', 'struct __attribute__((packed)) S { char c; int :0; char d; };', 'c d');
c('bf_pack1', packed(1, 'struct S { char c; int x:5; int y:29; };'), 'c x: y:');
c('bf_pack1_straddle', packed(1, 'struct S { unsigned x:29; unsigned y:5; };'), 'x: y:');
c('bf_pack1_char_int', packed(1, 'struct S { char x:5; int y:5; };'), 'x: y:');
c('bf_pack1_zw', packed(1, 'struct S { char c; int :0; char d; };'), 'c d');
c('bf_pack2_straddle', packed(2, 'struct S { unsigned x:29; unsigned y:5; };'), 'x: y:');
c('bf_pack2_int_cross', packed(2, 'struct S { char c; unsigned y:18; };'), 'c y:');
c('bf_pack2_zw_llong', packed(2, 'struct S { unsigned x:14; long long :0; int i; };'), 'x: i');
c('bf_pack4_straddle', packed(4, 'struct S { unsigned x:29; unsigned y:5; };'), 'x: y:');
c('bf_pack8_straddle', packed(8, 'struct S { unsigned x:29; unsigned y:5; };'), 'x: y:');
c('bf_pack8_short_cross', packed(8, 'struct S { char c; short y:10; };'), 'c y:');
c('bf_aligned_fits', 'struct S { char x:3; char y:3 __attribute__((aligned(4))); };', 'x: y:');
c('bf_aligned8', 'struct S { char c; int y:5 __attribute__((aligned(8))); };', 'c y:');
c('bf_aligned2_cross', 'struct S { char x:3; int y:20 __attribute__((aligned(2))); };', 'x: y:');
c('bf_aligned1_cross', 'struct S { char x:5; unsigned short y:12 __attribute__((aligned(1))); };', 'x: y:');
c('bf_llong_aligned2', 'struct S { char c; long long y:9 __attribute__((aligned(2))); };', 'c y:');
c('bf_llong64_aligned2_at8', 'struct S { short h[4]; long long y:64 __attribute__((aligned(2))); };', 'h y:');
c('bf_llong64_aligned2_at4', 'struct S { int i; long long y:64 __attribute__((aligned(2))); };', 'i y:');
c('bf_pack1_aligned2', packed(1, 'struct S { char x:2; char y:5 __attribute__((aligned(2))); };'), 'x: y:');
c('bf_pack4_aligned8', packed(4, 'struct S { int x:27; short y:5 __attribute__((aligned(8))); };'), 'x: y:');
c('bf_pack4_aligned2', packed(4, 'struct S { int x:4; short y:5 __attribute__((aligned(2))); };'), 'x: y:');
c('llong_aligned2', 'struct S { char c; long long q __attribute__((aligned(2))); };', 'c q');
c('double_aligned4', 'struct S { char c; double d __attribute__((aligned(4))); };', 'c d');

// ---- ms_struct / gcc_struct on one record
c('bf_ms_struct', 'struct __attribute__((ms_struct)) S { char x:5; int y:5; };', 'x: y:');
c('bf_gcc_struct', 'struct __attribute__((gcc_struct)) S { char x:5; int y:5; };', 'x: y:');
c('bf_ms_struct_zw', 'struct __attribute__((ms_struct)) S { char c; int :0; char d; };', 'c d');

// ---- packed and aligned attributes
c('packed_record', 'struct __attribute__((packed)) S { char c; short h; int i; };', 'c h i');
c('packed_member', 'struct S { char c; int i __attribute__((packed)); short h; };', 'c i h');
c('packed_union', 'union __attribute__((packed)) S { char c; short h; int i; };', 'c h i');
c('packed_outer_plain_inner', 'struct Inner { int n; char c; };\nstruct __attribute__((packed)) S { char c; struct Inner in; };', 'c in in.n in.c');
c('plain_outer_packed_inner', 'struct __attribute__((packed)) Inner { char c; int n; };\nstruct S { char c; struct Inner in; };', 'c in in.n');
c('packed_array', 'struct __attribute__((packed)) S { char c; short arr[3]; };', 'c arr');
c('aligned_record', 'struct __attribute__((aligned(16))) S { short h; };', 'h');
c('aligned_record_lower', 'struct __attribute__((aligned(1))) S { long l; };', 'l');
c('aligned_member', 'struct S { char c; short h __attribute__((aligned(8))); };', 'c h');
c('aligned_member_lower', 'struct S { char c; int i __attribute__((aligned(1))); char d; };', 'c i d');
c('aligned_member_default', 'struct S { char c; short h __attribute__((aligned)); };', 'c h');
c('aligned_typedef', 'typedef short short8 __attribute__((aligned(8)));\nstruct S { char c; short8 h; };', 'c h');
c('aligned_typedef_lower', 'typedef long long ll2 __attribute__((aligned(2)));\nstruct S { char c; ll2 q; char d; };', 'c q d');
c('aligned_typedef_record', 'struct Inner { short h; };\ntypedef struct Inner Inner32 __attribute__((aligned(32)));\nstruct S { char c; Inner32 in; };', 'c in');
c('packed_aligned_record', 'struct __attribute__((packed, aligned(2))) S { char c; int i; };', 'c i');
c('packed_record_aligned_member', 'struct __attribute__((packed)) S { char c; int i __attribute__((aligned(2))); };', 'c i');
c('packed_record_alignas_member', 'struct __attribute__((packed)) S { char c; _Alignas(4) short h; };', 'c h');
c('packed_aligned_member', 'struct S { char c; long long q __attribute__((packed, aligned(4))); };', 'c q');
c('packed_record_aligned_typedef', 'typedef short short4 __attribute__((aligned(4)));\nstruct __attribute__((packed)) S { char c; short4 h; };', 'c h');
c('packed_record_aligned_inner', 'struct __attribute__((aligned(4))) Inner { char c; };\nstruct __attribute__((packed)) S { char c; struct Inner in; };', 'c in');
c('alignas_member', 'struct S { char c; _Alignas(4) short h; };', 'c h');
c('alignas_only_char', 'struct S { _Alignas(8) char c; };', 'c');
c('aligned_union_member', 'union S { short h; char c __attribute__((aligned(16))); };', 'h c');

// ---- #pragma pack
c('pack1', packed(1, 'struct S { char c; short h; int i; };'), 'c h i');
c('pack2', packed(2, 'struct S { char c; long long q; int i; };'), 'c q i');
c('pack4_double', packed(4, 'struct S { short h; double d; };'), 'h d');
c('pack16', packed(16, 'struct S { char c; short h; };'), 'c h');
c('pack_push_pop', '#pragma pack(push, 1)\nstruct P { char c; short h; };\n#pragma pack(pop)\nstruct S { char c; short h; struct P p; };', 'c h p p.h');
c('pack_reset', '#pragma pack(2)\nstruct P { char c; int i; };\n#pragma pack()\nstruct S { char c; int i; };', 'c i');
c('pack_push_nested', '#pragma pack(push, 2)\n#pragma pack(push, 1)\nstruct P { char c; int i; };\n#pragma pack(pop)\nstruct S { char c; int i; };\n#pragma pack(pop)', 'c i');
c('pack_push_then_set', '#pragma pack(push)\n#pragma pack(1)\nstruct S { char c; short h; };\n#pragma pack(pop)', 'c h');
c('pack1_aligned_member', packed(1, 'struct S { char c; short h __attribute__((aligned(4))); };'), 'c h');
c('pack1_alignas_member', packed(1, 'struct S { char c; _Alignas(4) short h; };'), 'c h');
c('pack2_aligned8_member', packed(2, 'struct S { char c; short h __attribute__((aligned(8))); };'), 'c h');
c('pack1_aligned_record', packed(1, 'struct __attribute__((aligned(4))) S { char c; short h; };'), 'c h');
c('pack2_aligned_typedef', 'typedef short short8 __attribute__((aligned(8)));\n' + packed(2, 'struct S { char c; short8 h; };'), 'c h');
c('pack1_inner', 'struct Inner { char c; short h; };\n' + packed(1, 'struct S { char c; struct Inner in; };'), 'c in in.h');
c('pack1_inner_aligned', 'struct __attribute__((aligned(4))) Inner { char c; };\n' + packed(1, 'struct S { char c; struct Inner in; };'), 'c in');
c('pack2_inner_aligned', 'struct __attribute__((aligned(16))) Inner { short h; };\n' + packed(2, 'struct S { char c; struct Inner in; };'), 'c in');
c('pack1_inner_member_aligned', 'struct Inner { short h __attribute__((aligned(4))); };\n' + packed(1, 'struct S { char c; struct Inner in; };'), 'c in');
c('pack4_packed_record', packed(4, 'struct __attribute__((packed)) S { char c; long long q; };'), 'c q');

// ---- flexible and zero-length arrays, empty records, anonymous members, unions
c('flex_int', 'struct S { short n; char c; int data[]; };', 'n c data');
c('flex_char', 'struct S { short n; char c; char data[]; };', 'n c data');
c('flex_double', 'struct S { short n; double data[]; };', 'n data');
c('flex_packed', 'struct __attribute__((packed)) S { char c; short data[]; };', 'c data');
c('zero_len_after_char', 'struct S { char c; short z[0]; };', 'c z');
c('zero_len_only', 'struct S { long z[0]; };', 'z');
c('zero_len_middle', 'struct S { char c; double z[0]; char d; };', 'c z d');
c('empty_struct', 'struct S { };');
c('empty_aligned4', 'struct __attribute__((aligned(4))) S { };');
c('empty_aligned16', 'struct __attribute__((aligned(16))) S { };');
c('empty_member', 'struct Nothing { };\nstruct S { short h; struct Nothing n; char c; };', 'h n c');
c('empty_union', 'union S { };');
c('anon_struct', 'struct S { short h; struct { char a; int b; }; char d; };', 'h a b d');
c('anon_union', 'struct S { char c; union { short h; long long q; }; char d; };', 'c h q d');
c('anon_struct_bfs', 'struct S { char c; struct { unsigned x:4; unsigned y:6; }; unsigned z:3; };', 'c x: y: z:');
c('union_plain', 'union S { char bytes[7]; short h; };', 'bytes h');
c('union_with_struct', 'union S { struct { char c; int i; } s; short h; };', 's s.i h');

export const REFERENCE_CASES: readonly ReferenceCase[] = cases;
