/* A WAV/RIFF-like media header: four-character chunk ids, little-endian sizes, and a packed
 * format chunk whose fields sit at odd offsets when embedded after a chunk id. */
#ifndef STRUCTGEN_EXAMPLE_WAVE_H
#define STRUCTGEN_EXAMPLE_WAVE_H

#include <stdint.h>

#define WAVE_FORMAT_PCM 0x0001
#define WAVE_FORMAT_IEEE_FLOAT 0x0003
#define WAVE_FORMAT_EXTENSIBLE 0xFFFE

struct riff_chunk {
  char id[4];           /* "RIFF", "fmt ", "data" */
  uint32_t size;
};

struct riff_header {
  struct riff_chunk chunk;
  char format[4];       /* "WAVE" */
};

struct __attribute__((packed)) wave_format {
  uint16_t format_tag;
  uint16_t channels;
  uint32_t samples_per_sec;
  uint32_t avg_bytes_per_sec;
  uint16_t block_align;
  uint16_t bits_per_sample;
  uint16_t extra_size;
  union {
    uint16_t valid_bits_per_sample;
    uint16_t samples_per_block;
  } samples;
  uint32_t channel_mask;
  uint8_t sub_format[16];
};

struct __attribute__((packed)) wave_fmt_chunk {
  char id[4];
  uint32_t size;
  struct wave_format fmt;
};

struct wave_cue_point {
  uint32_t id;
  uint32_t position;
  char chunk[4];
  uint32_t chunk_start;
  uint32_t block_start;
  uint32_t sample_offset;
};

#endif
