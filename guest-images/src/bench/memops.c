/*
 * Block moves: rep stosl, rep movsl, rep movsb (odd length, unaligned) and
 * the same copies as plain C loops (word and byte at a time).
 */
#include "bench.h"

#define BYTES  (1024 * 1024)
#define PASSES 24

const char bench_name[] = "memops";

static uint32_t src[BYTES / 4];
static uint32_t dst[BYTES / 4];

static void rep_stosl(void *d, uint32_t v, uint32_t words)
{
    __asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(v) : "memory");
}

static void rep_movsl(void *d, const void *s, uint32_t words)
{
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
}

static void rep_movsb(void *d, const void *s, uint32_t bytes)
{
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
}

__attribute__((noinline)) static void copy_words(uint32_t *d, const uint32_t *s, uint32_t words)
{
    for (uint32_t i = 0; i < words; i++)
        d[i] = s[i];
}

__attribute__((noinline)) static void copy_bytes(uint8_t *d, const uint8_t *s, uint32_t bytes)
{
    while (bytes--)
        *d++ = *s++;
}

static uint32_t sum(const uint32_t *v, uint32_t words, uint32_t h)
{
    for (uint32_t i = 0; i < words; i += 7)
        h = bench_fnv(h, v[i]);
    return h;
}

void bench_setup(void)
{
    uint32_t s = 1;
    for (uint32_t i = 0; i < BYTES / 4; i++)
        src[i] = bench_xorshift(&s);
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    const uint32_t words = BYTES / 4;
    for (uint32_t p = 0; p < PASSES; p++) {
        rep_stosl(dst, 0x01010101u * (p + 1), words);
        h = sum(dst, words, h);
        rep_movsl(dst, src, words);
        h = sum(dst, words, h);
        rep_movsb((uint8_t *)dst + 3, (const uint8_t *)src + 1, BYTES - 5);
        h = sum(dst, words, h);
        copy_words(dst, src + p, words - p);
        h = sum(dst, words, h);
        copy_bytes((uint8_t *)dst + 1, (const uint8_t *)src + 2, BYTES - 3);
        h = sum(dst, words, h);
    }
    return h;
}
