/* A pcap-like capture file: a global header, then records of a fixed header followed by packet bytes.
 * Timestamps are a 32-bit seconds / microseconds pair as the classic format stores them. */
#ifndef STRUCTGEN_EXAMPLE_CAPTURE_H
#define STRUCTGEN_EXAMPLE_CAPTURE_H

#include <stdint.h>

#define CAPTURE_MAGIC 0xa1b2c3d4u
#define CAPTURE_MAGIC_NSEC 0xa1b23c4du
#define CAPTURE_VERSION_MAJOR 2
#define CAPTURE_VERSION_MINOR 4

enum link_type { LINK_NULL = 0, LINK_ETHERNET = 1, LINK_RAW = 101, LINK_IEEE802_11 = 105, LINK_LINUX_SLL = 113 };

struct capture_file_header {
  uint32_t magic;
  uint16_t version_major;
  uint16_t version_minor;
  int32_t thiszone;     /* GMT offset, seconds */
  uint32_t sigfigs;
  uint32_t snaplen;
  uint32_t network;     /* enum link_type */
};

struct capture_timestamp {
  uint32_t sec;
  uint32_t usec;
};

struct capture_record {
  struct capture_timestamp ts;
  uint32_t incl_len;
  uint32_t orig_len;
  uint8_t data[];       /* incl_len bytes follow */
};

#endif
