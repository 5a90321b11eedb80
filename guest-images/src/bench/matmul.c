/* Integer matrix multiply C = A * B, 32-bit wrap-around arithmetic. */
#include "bench.h"

#define N    128
#define REPS 8

const char bench_name[] = "matmul";

static int32_t A[N][N], B[N][N], C[N][N];

void bench_setup(void)
{
    uint32_t s = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (int32_t)(bench_xorshift(&s) % 2001) - 1000;
            B[i][j] = (int32_t)(bench_xorshift(&s) % 2001) - 1000;
        }
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    for (int r = 0; r < REPS; r++) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++)
                C[i][j] = 0;
            for (int k = 0; k < N; k++) {
                int32_t aik = A[i][k] + r;
                for (int j = 0; j < N; j++)
                    C[i][j] += aik * B[k][j];
            }
        }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                h = bench_fnv(h, (uint32_t)C[i][j]);
    }
    return h;
}
