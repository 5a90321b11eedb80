/* N-body in long double: the x87's 80-bit format throughout. */
#define REAL long double
#define CW 0x037F /* 64-bit precision, as FNINIT leaves it */
#include "bench.h"

const char bench_name[] = "nbody-ld";

/* The 80 bits: significand (64) and sign/exponent (16). */
static uint32_t hash_real(uint32_t h, long double v)
{
    uint32_t w[3] = {0, 0, 0};
    __builtin_memcpy(w, &v, 10);
    return bench_fnv(bench_fnv(bench_fnv(h, w[0]), w[1]), w[2] & 0xFFFF);
}

#include "nbody.h"
