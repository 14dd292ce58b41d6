/* The records the decoder benchmark measures: the flat record of issue 19 (u32, u16, u8, u8, i64, double, char[8]),
 * a flat record of mixed scalars and a string, a network header with bit-fields and big-endian fields, and a record
 * of nested structs and arrays. */
#include <stdint.h>

typedef uint16_t __be16;
typedef uint32_t __be32;

/* 32 bytes: the flat record the decoders must read and write at least as fast as hand-written code */
struct plain {
  uint32_t id;
  uint16_t port;
  uint8_t kind;
  uint8_t flags;
  int64_t stamp;
  double value;
  char tag[8];
};

/* 40 bytes: mixed scalars (a nanosecond timestamp near 1.7e18, a double, a float) and an ASCII char[8] tag */
struct flat {
  uint32_t id;
  int16_t temp;
  uint8_t kind;
  uint8_t flags;
  int64_t stamp;
  double value;
  float scale;
  uint32_t count;
  char tag[8];
};

/* 20 bytes: bit-fields and big-endian fields, like an IPv4 header */
struct wire {
  uint8_t ihl : 4, version : 4;
  uint8_t tos;
  __be16 len;
  __be16 id;
  uint16_t frag : 13, df : 1, mf : 1, rsv : 1;
  uint8_t ttl;
  uint8_t proto;
  __be16 csum;
  __be32 src;
  __be32 dst;
};

/* 52 bytes: nested structs and arrays */
struct point { int32_t x, y; };
struct shape {
  uint16_t id;
  uint8_t n;
  uint8_t layer;
  struct point origin;
  struct point pts[4];
  uint16_t weights[4];
};
