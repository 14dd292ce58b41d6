/* The C side of the WebAssembly memory test (test/wasm/): builds the structures of shapes.h in the module's linear
 * memory with the module's own allocator, exports their addresses, and prints every value it stored, one per line,
 * so that the test can compare what structgen's views read with what C wrote. Built with clang-16 for
 * wasm32-wasi (wasi-libc: printf, malloc) and, freestanding, for wasm64 (memory64: a bump allocator, output through
 * an imported function).
 *
 * Output lines: `PATH KIND:VALUE`, KIND one of i (a decimal integer), f (a float in C's %a hexadecimal form, exact),
 * s (a string's bytes in hexadecimal, up to its NUL), p (an address, decimal; 0 is NULL). A node's, a tree node's
 * and the roots' own addresses are printed at their path (`list[3] p:70000`). */
#include "shapes.h"

#if defined(__wasi__)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void out(const char *s, size_t n) { fwrite(s, 1, n, stdout); }
static void flush(void) { fflush(stdout); }
#define EXPORT(name) __attribute__((export_name(name)))
#else
/* freestanding (wasm64): no libc, so the little this program needs is here */
__attribute__((import_module("env"), import_name("write"))) void host_write(const char *s, size_t n);
static void out(const char *s, size_t n) { host_write(s, n); }
static void flush(void) {}
#define EXPORT(name) __attribute__((export_name(name)))
extern unsigned char __heap_base;
static uintptr_t brk_at;
EXPORT("malloc") void *malloc(size_t n) {
  if (!brk_at) brk_at = (uintptr_t)&__heap_base;
  uintptr_t p = (brk_at + 15) & ~(uintptr_t)15;
  uintptr_t end = p + n;
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) return 0;
  brk_at = end;
  return (void *)p;
}
EXPORT("free") void free(void *p) { (void)p; }
/* what clang calls for struct copies and zeroing must exist with these names */
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *a = d; const unsigned char *b = s;
  while (n--) *a++ = *b++;
  return d;
}
void *memset(void *d, int c, size_t n) {
  unsigned char *a = d;
  while (n--) *a++ = (unsigned char)c;
  return d;
}
#endif

/* ---- output ---------------------------------------------------------------------------------------------------- */
static char line[512];
static size_t at;
static void put(const char *s) { size_t n = strlen(s); if (at + n < sizeof line) { memcpy(line + at, s, n); at += n; } }
static void putc1(char c) { if (at + 1 < sizeof line) line[at++] = c; }
static void put_u(uint64_t v) {
  char b[24]; int i = 0;
  do { b[i++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (i) putc1(b[--i]);
}
static void put_i(int64_t v) { if (v < 0) { putc1('-'); put_u(0 - (uint64_t)v); } else put_u((uint64_t)v); }
static void put_x(uint64_t v, int digits) {
  static const char hex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; i--) putc1(hex[(v >> (i * 4)) & 15]);
}
static void path(const char *a, long i, const char *b) {
  at = 0;
  put(a);
  if (i >= 0) { putc1('['); put_u((uint64_t)i); putc1(']'); }
  put(b);
  putc1(' ');
}
static void end(void) { putc1('\n'); out(line, at); }
static void int_(const char *a, long i, const char *b, int64_t v) { path(a, i, b); put("i:"); put_i(v); end(); }
static void ptr_(const char *a, long i, const char *b, const void *p) { path(a, i, b); put("p:"); put_u((uintptr_t)p); end(); }
static void str_(const char *a, long i, const char *b, const void *s) {
  path(a, i, b);
  if (!s) { put("p:0"); end(); return; }
  put("s:");
  for (const unsigned char *c = s; *c; c++) put_x(*c, 2);
  end();
}
/* C's %a form, exactly: 0x1.<13 hex digits>p<exponent>, or the subnormal and special forms (unused here) */
static void dbl_(const char *a, long i, const char *b, double d) {
  union { double d; uint64_t u; } x = { d };
  path(a, i, b);
  put("f:");
  if (x.u >> 63) putc1('-');
  int e = (int)((x.u >> 52) & 0x7ff);
  uint64_t m = x.u & 0xfffffffffffffull;
  if (e == 0 && m == 0) { put("0x0p+0"); end(); return; }
  put("0x1.");
  put_x(m, 13);
  putc1('p');
  put_i(e - 1023);
  end();
}

/* ---- the structures -------------------------------------------------------------------------------------------- */
static struct roots roots;
static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static char *text(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  memcpy(p, s, n);
  return p;
}
static char *numbered(const char *prefix, uint32_t n) {
  at = 0;
  put(prefix);
  put_u(n);
  line[at] = 0;
  return text(line);
}

static struct node *list(uint32_t n, int32_t base, int labels) {
  struct node *head = 0, **tail = &head;
  for (uint32_t i = 0; i < n; i++) {
    struct node *x = malloc(sizeof *x);
    x->value = base + (int32_t)i * 3 - 7;
    x->weight = (double)i / 8.0 - 1.25 + (double)(rnd() % 1000) * 1e-7;
    x->label = labels ? (i % 5 == 4 ? text("caf\xc3\xa9 \xe2\x86\x92 n\xc5\x93ud") : numbered("node ", i)) : 0;
    x->next = 0;
    *tail = x;
    tail = &x->next;
  }
  return head;
}

static uint32_t tree_count;
static struct tree *tree_insert(struct tree *t, struct tree *parent, uint32_t key, int depth) {
  if (!t) {
    t = malloc(sizeof *t);
    t->key = key;
    t->depth = (signed char)(-depth);
    t->name = (unsigned char *)numbered("k", key);
    t->left = t->right = 0;
    t->parent = parent;
    tree_count++;
    return t;
  }
  if (key < t->key) t->left = tree_insert(t->left, t, key, depth + 1);
  else if (key > t->key) t->right = tree_insert(t->right, t, key, depth + 1);
  return t;
}

static int visit_node(const struct node *n) { return n ? n->value : 0; }

static void print_list(const char *name, const struct node *n, long limit) {
  for (long i = 0; n && i < limit; i++, n = n->next) {
    ptr_(name, i, "", n);
    int_(name, i, ".value", n->value);
    dbl_(name, i, ".weight", n->weight);
    str_(name, i, ".label", n->label);
    ptr_(name, i, ".next", n->next);
  }
}

static char tpath[256];
static void print_tree(const struct tree *t, size_t len) {
  if (!t) return;
  tpath[len] = 0;
  ptr_(tpath, -1, "", t);
  int_(tpath, -1, ".key", t->key);
  int_(tpath, -1, ".depth", t->depth);
  str_(tpath, -1, ".name", t->name);
  ptr_(tpath, -1, ".parent", t->parent);
  ptr_(tpath, -1, ".left", t->left);
  ptr_(tpath, -1, ".right", t->right);
  if (len + 7 >= sizeof tpath) return;
  memcpy(tpath + len, ".left", 6);
  print_tree(t->left, len + 5);
  memcpy(tpath + len, ".right", 7);
  print_tree(t->right, len + 6);
  tpath[len] = 0;
}

/** Builds every structure; returns the address of `roots`. */
EXPORT("build") struct roots *build(uint32_t list_length, uint32_t tree_size) {
  roots.list = list(list_length, 100, 1);
  roots.list_length = list_length;
  roots.tree = 0;
  tree_count = 0;
  for (uint32_t i = 0; i < tree_size; i++) roots.tree = tree_insert(roots.tree, 0, rnd() % 1000, 0);
  roots.tree_size = tree_count;

  struct inventory *inv = malloc(sizeof *inv);
  inv->count = 5;
  inv->items = malloc(inv->count * sizeof *inv->items);
  for (uint32_t i = 0; i < inv->count; i++) {
    struct item *it = &inv->items[i];
    memcpy(it, &(struct item){0}, sizeof *it);
    it->id = (uint16_t)(40000 + i * 1111);
    it->shade = i % 3 == 0 ? SHADE_NONE : i % 3 == 1 ? SHADE_LIGHT : SHADE_DARK;
    it->stamp = (int64_t)-1700000000000000000ll + (int64_t)i * 123456789012345ll;
    it->score = (float)i * 0.1f - 0.3f;
    memcpy(it->tag, i == 2 ? "eightchr" : "tag", i == 2 ? 8 : 4); /* item 2's tag fills its array: no NUL */
    it->note = i % 2 ? (signed char *)numbered("note ", i) : 0;
  }
  inv->nscores = 7;
  inv->scores = malloc(inv->nscores * sizeof *inv->scores);
  for (uint32_t i = 0; i < inv->nscores; i++) inv->scores[i] = (int32_t)(i * i) - 20;
  inv->title = text("inventory \xe2\x84\x96 1");
  roots.inventory = inv;

  roots.name_count = 4;
  roots.names = malloc(roots.name_count * sizeof *roots.names);
  roots.names[0] = text("alpha");
  roots.names[1] = text("");
  roots.names[2] = text("\xce\xb3\xce\xac\xce\xbc\xce\xbc\xce\xb1");
  roots.names[3] = numbered("name ", 3);
  roots.opaque = malloc(24);
  roots.visit = visit_node;
  roots.either.as_node = roots.list ? roots.list->next : 0;
  roots.ring = list(4, -50, 1);
  struct node *last = roots.ring;
  while (last->next) last = last->next;
  last->next = roots.ring;
  roots.grown = 0;
  roots.empty = 0;
  return &roots;
}

/** Prints every value `build` (and `grow`) stored. */
EXPORT("dump") void dump(void) {
  ptr_("roots", -1, "", &roots);
  print_list("list", roots.list, 1L << 30);
  int_("list_length", -1, "", roots.list_length);
  memcpy(tpath, "tree", 5);
  print_tree(roots.tree, 4);
  int_("tree_size", -1, "", roots.tree_size);
  const struct inventory *inv = roots.inventory;
  int_("inventory.count", -1, "", inv->count);
  for (uint32_t i = 0; i < inv->count; i++) {
    const struct item *it = &inv->items[i];
    int_("inventory.items", i, ".id", it->id);
    int_("inventory.items", i, ".shade", it->shade);
    int_("inventory.items", i, ".stamp", it->stamp);
    dbl_("inventory.items", i, ".score", it->score);
    path("inventory.items", i, ".tag");
    put("s:");
    for (int k = 0; k < 8 && it->tag[k]; k++) put_x((unsigned char)it->tag[k], 2);
    end();
    str_("inventory.items", i, ".note", it->note);
  }
  int_("inventory.nscores", -1, "", inv->nscores);
  for (uint32_t i = 0; i < inv->nscores; i++) int_("inventory.scores", i, "", inv->scores[i]);
  str_("inventory.title", -1, "", inv->title);
  int_("name_count", -1, "", roots.name_count);
  for (uint32_t i = 0; i < roots.name_count; i++) str_("names", i, "", roots.names[i]);
  ptr_("opaque", -1, "", roots.opaque);
  ptr_("visit", -1, "", (const void *)roots.visit);
  int_("either.as_address", -1, "", (int64_t)roots.either.as_address);
  print_list("ring", roots.ring, 4);
  print_list("grown", roots.grown, 1L << 30);
  ptr_("empty", -1, "", roots.empty);
  flush();
}

static unsigned char *volatile ballast;

/** Grows the memory by allocating `mib` MiB (kept, filled), then builds `roots.grown` (`length` nodes) beyond it;
 * returns the memory's size in bytes before. */
EXPORT("grow") size_t grow(uint32_t mib, uint32_t length) {
  size_t before = __builtin_wasm_memory_size(0) * 65536;
  unsigned char *big = malloc((size_t)mib << 20);
  ballast = big; /* kept where the optimiser cannot prove it unused */
  for (size_t i = 0; big && i < ((size_t)mib << 20); i += 4096) big[i] = (unsigned char)i;
  roots.grown = list(length, 9000, 1);
  return before;
}

/** A list of `n` nodes with no labels, for the benchmark; returns its head. */
EXPORT("make_list") struct node *make_list(uint32_t n) { return list(n, 0, 0); }

/** Sums a list's values in C (what the host's walk must agree with). */
EXPORT("sum_list") int64_t sum_list(const struct node *n) {
  int64_t s = 0;
  for (; n; n = n->next) s += n->value;
  return s;
}

/** The memory's size in bytes. */
EXPORT("memory_bytes") size_t memory_bytes(void) { return __builtin_wasm_memory_size(0) * 65536; }
