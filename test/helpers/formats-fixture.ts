// The header and options of the override, counted-tail and tagged-union tests (test/emit/formats*.test.ts).

import type { GenerateOptions } from '../../generator/pipeline.js';

export const FORMATS_H = `
#include <stdint.h>
enum color { RED = 1, GREEN = 2, BLUE = 4 };
enum msg_type { MSG_PING = 1, MSG_DATA = 2 };
#define MSG_CLOSE 7
struct ovr {
  uint8_t label[8];
  char raw[4];
  char name[6];
  uint32_t enabled;
  uint16_t color;
  uint16_t colors[2];
  uint64_t size;
  int64_t delta;
  uint32_t port;
  uint8_t flags : 3, on : 1;
};
struct samples {
  uint16_t kind;
  uint16_t n;
  int32_t v[];
};
struct blob {
  uint32_t len;
  uint8_t data[];
};
struct ping { uint32_t seq; };
struct data { uint16_t len; uint8_t bytes[6]; };
struct msg {
  uint16_t type;
  uint16_t flags;
  union { struct ping ping; struct data data; uint32_t code; } body;
  uint32_t crc;
};
`;

export const FORMATS_OPTIONS: GenerateOptions = {
  fields: {
    'ovr.label': { as: 'string' },
    'ovr.raw': { as: 'bytes' },
    'ovr.name': { encoding: 'latin1' },
    'ovr.enabled': { as: 'bool' },
    'ovr.color': { enum: 'color' },
    'ovr.colors': { enum: 'color' },
    'ovr.size': { as: 'number' },
    'ovr.delta': { as: 'number' },
    'ovr.on': { as: 'bool' },
    'samples.v': { countedBy: 'n' },
    'blob.data': { countedBy: 'len' },
  },
  endian: { 'ovr.port': 'big' },
  unions: { 'msg.body': { tag: 'msg.type', cases: { MSG_PING: 'ping', MSG_DATA: 'data', MSG_CLOSE: 'code', 9: 'code' } } },
};
