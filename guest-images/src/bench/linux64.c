/* x86-64 Linux platform: write(2) and exit(2) through syscall, no libc. The native contender
 * of bench/compare where the host cannot run the i386 build (linux.c). */
#include "bench.h"

void bench_write(const char *s, uint32_t n)
{
    while (n) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(1L), "D"(1L), "S"(s), "d"((long)n) : "rcx", "r11", "memory");
        if (r <= 0)
            bench_exit(2);
        s += r;
        n -= (uint32_t)r;
    }
}

void bench_exit(int code)
{
    for (;;)
        __asm__ volatile("syscall" : : "a"(60L), "D"((long)code) : "rcx", "r11");
}
