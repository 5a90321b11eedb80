/* i386 Linux platform: write(2) and exit(2) through int $0x80, no libc. */
#include "bench.h"

void bench_write(const char *s, uint32_t n)
{
    while (n) {
        int r;
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(4), "b"(1), "c"(s), "d"(n) : "memory");
        if (r <= 0)
            bench_exit(2);
        s += r;
        n -= (uint32_t)r;
    }
}

void bench_exit(int code)
{
    for (;;)
        __asm__ volatile("int $0x80" : : "a"(1), "b"(code));
}
