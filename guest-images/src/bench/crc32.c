/* CRC-32 (reflected, poly 0xEDB88320), one table lookup per byte. */
#include "bench.h"

#define BYTES  (64 * 1024)
#define PASSES 320

const char bench_name[] = "crc32";

static uint32_t table[256];
static uint8_t buf[BYTES];

void bench_setup(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    uint32_t s = 1;
    for (uint32_t i = 0; i < BYTES; i += 4) {
        uint32_t w = bench_xorshift(&s);
        buf[i] = (uint8_t)w;
        buf[i + 1] = (uint8_t)(w >> 8);
        buf[i + 2] = (uint8_t)(w >> 16);
        buf[i + 3] = (uint8_t)(w >> 24);
    }
}

uint32_t bench_round(void)
{
    uint32_t c = 0xFFFFFFFFu;
    for (int p = 0; p < PASSES; p++)
        for (uint32_t i = 0; i < BYTES; i++)
            c = table[(c ^ buf[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}
