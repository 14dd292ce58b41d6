/* IPv4/TCP-like headers: big-endian (network order) fields and bit-fields whose declaration order
 * follows the target's bit order, the way the Linux headers switch on __BYTE_ORDER__. */
#ifndef STRUCTGEN_EXAMPLE_NETPROTO_H
#define STRUCTGEN_EXAMPLE_NETPROTO_H

#include <stdint.h>

typedef uint16_t __be16;
typedef uint32_t __be32;

#define IP_VERSION_4 4
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff

enum ip_protocol { IPPROTO_ICMP_ = 1, IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17 };

struct ipv4_header {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint8_t ihl : 4, version : 4;
#else
  uint8_t version : 4, ihl : 4;
#endif
  uint8_t tos;
  __be16 tot_len;
  __be16 id;
  __be16 frag_off;
  uint8_t ttl;
  uint8_t protocol;
  __be16 check;
  __be32 saddr;
  __be32 daddr;
};

struct tcp_header {
  __be16 source;
  __be16 dest;
  __be32 seq;
  __be32 ack_seq;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint16_t res1 : 4, doff : 4, fin : 1, syn : 1, rst : 1, psh : 1, ack : 1, urg : 1, ece : 1, cwr : 1;
#else
  uint16_t doff : 4, res1 : 4, cwr : 1, ece : 1, urg : 1, ack : 1, psh : 1, rst : 1, syn : 1, fin : 1;
#endif
  __be16 window;
  __be16 check;
  __be16 urg_ptr;
};

struct udp_header {
  __be16 source;
  __be16 dest;
  __be16 len;
  __be16 check;
};

struct ipv4_pseudo_header {
  __be32 saddr;
  __be32 daddr;
  uint8_t zero;
  uint8_t protocol;
  __be16 length;
};

#endif
