/* A telemetry record from firmware: a tagged union of sample kinds, anonymous members, booleans,
 * 64-bit counters, floats, a fixed-size name, a signed bit-field and a flexible array of readings. */
#ifndef STRUCTGEN_EXAMPLE_TELEMETRY_H
#define STRUCTGEN_EXAMPLE_TELEMETRY_H

#include <stdbool.h>
#include <stdint.h>

#define TELEMETRY_NAME_LEN 16
#define TELEMETRY_VERSION 3
#define TELEMETRY_MAX_READINGS 64

enum sample_kind { SAMPLE_NONE = 0, SAMPLE_TEMP = 1, SAMPLE_GPS = 2, SAMPLE_COUNTER = 3, SAMPLE_ERROR = -1 };

struct gps_fix {
  double latitude;
  double longitude;
  float altitude_m;
  uint8_t satellites;
  bool valid;
};

struct reading {
  uint32_t offset_ms;
  int16_t value;
  uint8_t channel;
  uint8_t quality : 3;
  int8_t trend : 2;
  bool saturated : 1;
};

struct telemetry_record {
  uint32_t magic;
  uint16_t version;
  uint16_t kind;                /* enum sample_kind */
  uint64_t timestamp_ns;
  char name[TELEMETRY_NAME_LEN];
  union {
    float temperature_c;
    struct gps_fix gps;
    uint64_t counter;
    struct {
      int32_t code;
      uint32_t line;
    } error;
  } sample;
  struct {
    uint32_t sequence;
    uint16_t flags;
  };
  bool calibrated;
  uint8_t n_readings;
  struct reading readings[];
};

#endif
