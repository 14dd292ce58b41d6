/* The structures a C program (shapes.c) builds in its WebAssembly linear memory and structgen's memory views walk
 * from JavaScript (test/wasm/): a linked list, a binary tree with parent links (cycles), an array of records with
 * its count, strings of every character type, an array of strings, and pointers that stay addresses. structgen
 * reads this header for the wasm targets; clang-16 compiles it into the module. */
#ifndef STRUCTGEN_TEST_WASM_SHAPES_H
#define STRUCTGEN_TEST_WASM_SHAPES_H

#include <stddef.h>
#include <stdint.h>

/* structgen predefines __counted_by(m) as the attribute; clang 16 has no counted_by, so it is empty there. */
#ifndef __counted_by
#define __counted_by(m)
#endif

enum shade { SHADE_NONE = 0, SHADE_LIGHT = 3, SHADE_DARK = 7 };

/** One node of a singly linked list. */
struct node {
  int32_t value;
  double weight;
  const char *label;   /* a NUL-terminated UTF-8 string */
  struct node *next;   /* NULL ends the list */
};

/** A binary search tree; `parent` points back up, so the graph has cycles. */
struct tree {
  uint32_t key;
  signed char depth;
  unsigned char *name;  /* a string through unsigned char * */
  struct tree *left;
  struct tree *right;
  struct tree *parent;
};

struct item {
  uint16_t id;
  uint8_t shade;        /* enum shade */
  int64_t stamp;
  float score;
  char tag[8];
  signed char *note;    /* a string through signed char *, or NULL */
};

/** An array of records and its count (__counted_by), and a counted array of scalars whose count the config names
 * (countedBy: inventory.scores -> nscores). */
struct inventory {
  uint32_t count;
  struct item *items __counted_by(count);
  uint16_t nscores;
  int32_t *scores;
  const char *title;
};

typedef int (*visit_fn)(const struct node *);

union either {
  struct node *as_node;
  uintptr_t as_address;
};

/** Where everything starts: the module exports its address. */
struct roots {
  struct node *list;
  uint32_t list_length;
  struct tree *tree;
  uint32_t tree_size;
  struct inventory *inventory;
  uint32_t name_count;
  char **names __counted_by(name_count);
  void *opaque;          /* stays an address */
  visit_fn visit;        /* a function pointer: an index into the module's table */
  union either either;
  struct node *ring;     /* a list whose last node points back to its first */
  struct node *grown;    /* a list built after the memory grew */
  struct node *empty;    /* always NULL */
};

#endif
