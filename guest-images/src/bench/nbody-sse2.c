/*
 * nbody.c's N-body as SSE2 code (-msse2 -mfpmath=sse): scalar doubles in XMM registers, the
 * square root by SQRTSD, as compilers emit for i686 with SSE2 and for x86-64. The x87 build
 * rounds every result to double (control word 027F), so both compute the same bits and print
 * the same checksum. Its Multiboot platform turns SSE on first (mb.c with BENCH_SSE).
 */
#define BENCH_NAME "nbody-sse2"
#include "nbody.c"
