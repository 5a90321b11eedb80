/*
 * whetstone.c as SSE2 code (-msse2 -mfpmath=sse): scalar doubles in XMM registers, the square
 * root by SQRTSD, the integer conversions by CVTSI2SD and CVTTSD2SI, the comparisons by COMISD
 * and UCOMISD, as compilers emit for i686 with SSE2 and for x86-64. It prints whetstone's checksum
 * (the x87 build rounds every result to double, control word 027F). Its Multiboot platform turns
 * SSE on first (mb.c with BENCH_SSE).
 */
#define BENCH_NAME "whetstone-sse2"
#include "whetstone.c"
