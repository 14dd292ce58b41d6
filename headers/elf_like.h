/* An ELF-like object file header: identification bytes, 64-bit addresses and offsets, program and
 * section header tables, and a symbol whose info byte packs binding and type. */
#ifndef STRUCTGEN_EXAMPLE_ELF_LIKE_H
#define STRUCTGEN_EXAMPLE_ELF_LIKE_H

#include <stdint.h>

#define OBJ_IDENT_SIZE 16
#define OBJ_MAGIC "\177OBJ"
#define OBJ_CLASS64 2
#define OBJ_DATA_LSB 1
#define OBJ_DATA_MSB 2

enum obj_type { OBJ_NONE = 0, OBJ_REL = 1, OBJ_EXEC = 2, OBJ_DYN = 3, OBJ_CORE = 4 };

enum seg_kind { SEG_NULL = 0, SEG_LOAD = 1, SEG_DYNAMIC = 2, SEG_INTERP = 3, SEG_NOTE = 4, SEG_PHDR = 6 };

#define SEG_FLAG_X (1u << 0)
#define SEG_FLAG_W (1u << 1)
#define SEG_FLAG_R (1u << 2)

struct obj_header {
  unsigned char ident[OBJ_IDENT_SIZE];
  uint16_t type;        /* enum obj_type */
  uint16_t machine;
  uint32_t version;
  uint64_t entry;
  uint64_t phoff;
  uint64_t shoff;
  uint32_t flags;
  uint16_t ehsize;
  uint16_t phentsize;
  uint16_t phnum;
  uint16_t shentsize;
  uint16_t shnum;
  uint16_t shstrndx;
};

struct obj_segment {
  uint32_t kind;        /* enum seg_kind */
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t paddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
};

typedef struct {
  uint32_t name;
  uint32_t type;
  uint64_t flags;
  uint64_t addr;
  uint64_t offset;
  uint64_t size;
  uint32_t link;
  uint32_t info;
  uint64_t addralign;
  uint64_t entsize;
} obj_section_t;

struct obj_symbol {
  uint32_t name;
  unsigned char type : 4;
  unsigned char bind : 4;
  unsigned char other;
  uint16_t shndx;
  uint64_t value;
  uint64_t size;
};

#endif
