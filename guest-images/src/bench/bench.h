/*
 * The jvmx guest benchmark suite: one workload per program, the same object
 * code linked twice -- as a Multiboot kernel (mb.c: output to the debug
 * console 0xE9, end through isa-debug-exit 0xF4) and as a static i386 Linux
 * program (linux.c: write(2) and exit(2) by int $0x80) that runs natively.
 *
 * Output (harness.c), one line each, so a runner can timestamp the lines on
 * the host as they arrive:
 *
 *     bench NAME rounds R
 *     round 1 begin
 *     round 1 end XXXXXXXX        (the round's checksum, 8 hex digits)
 *     ...
 *     done XXXXXXXX               (the checksum of every round, or MISMATCH)
 *
 * Every round does the same work from the same data, so all checksums of a
 * run are equal, and equal to the native run's (the oracle).
 */
#ifndef JVMX_BENCH_H
#define JVMX_BENCH_H

#include <stdint.h>

#define BENCH_ROUNDS 5

/* Provided by each program. */
extern const char bench_name[];
void bench_setup(void);         /* once, before round 1 (not timed per round) */
uint32_t bench_round(void);     /* one round of the workload; its checksum    */

/* Provided by the platform file (mb.c or linux.c). */
void bench_write(const char *s, uint32_t n);
void bench_exit(int code) __attribute__((noreturn));

/* harness.c */
void bench_main(void) __attribute__((noreturn));

/* Shared helpers (harness.c). */
static inline uint32_t bench_xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static inline uint32_t bench_fnv(uint32_t h, uint32_t w)
{
    return (h ^ w) * 16777619u;
}

#define BENCH_FNV_INIT 2166136261u

#endif
