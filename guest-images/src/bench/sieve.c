/* Sieve of Eratosthenes over a byte array; checksum = count and sum of primes. */
#include "bench.h"

#define LIMIT  (2 * 1024 * 1024)
#define PASSES 12

const char bench_name[] = "sieve";

static uint8_t composite[LIMIT];

void bench_setup(void)
{
}

static uint32_t sieve(void)
{
    for (uint32_t i = 0; i < LIMIT; i++)
        composite[i] = 0;
    for (uint32_t i = 2; i * i < LIMIT; i++) {
        if (composite[i])
            continue;
        for (uint32_t j = i * i; j < LIMIT; j += i)
            composite[j] = 1;
    }
    uint32_t count = 0, sum = 0;
    for (uint32_t i = 2; i < LIMIT; i++) {
        if (!composite[i]) {
            count++;
            sum += i;
        }
    }
    return bench_fnv(bench_fnv(BENCH_FNV_INIT, count), sum);
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    for (int p = 0; p < PASSES; p++)
        h = bench_fnv(h, sieve() + (uint32_t)p);
    return h;
}
