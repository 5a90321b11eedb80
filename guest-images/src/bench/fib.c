/* Recursive Fibonacci: call, ret and the stack. */
#include "bench.h"

const char bench_name[] = "fib";

static volatile uint32_t fib_n = 33;

__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

void bench_setup(void)
{
}

uint32_t bench_round(void)
{
    return fib(fib_n);
}
