/*
 * N-body in double. x87 code keeps values in 80-bit registers; precision control
 * 53 bits (control word 027F) rounds every result to double, so that where a
 * compiler spills or returns a value (x86-64 returns doubles in SSE registers)
 * does not change it: the i386 and x86-64 builds agree.
 */
#define REAL double
#define CW 0x027F
#include "bench.h"

#ifndef BENCH_NAME
#define BENCH_NAME "nbody"
#endif
const char bench_name[] = BENCH_NAME;

static uint32_t hash_real(uint32_t h, double v)
{
    uint32_t w[2];
    __builtin_memcpy(w, &v, sizeof w);
    return bench_fnv(bench_fnv(h, w[0]), w[1]);
}

#include "nbody.h"
