/*
 * The jvmx guest CPU workload: CRC-32, a prime sieve and a sort.
 *
 * Portable C (fixed-width types, no libc): the same file is compiled
 * freestanding into the guest images and hosted into the native oracle
 * (src/host/oracle.c) that produces the expected output.
 */
#ifndef JVMX_WORKLOAD_H
#define JVMX_WORKLOAD_H

#include <stdint.h>

/*
 * The one knob for the amount of work: how many times the whole workload
 * runs. Every round computes the same results; later rounds are compared with
 * the first (a translator bug that shows only once code is hot shows up as a
 * mismatch). One round is about 33 million guest instructions (counted by
 * single-stepping the -m32 -O2 build natively), so 3 rounds are ~99 million.
 */
#ifndef WORKLOAD_ROUNDS
#define WORKLOAD_ROUNDS 3
#endif

#define WORKLOAD_CRC_BYTES   65536u    /* CRC-32 buffer: 64 KiB             */
#define WORKLOAD_SIEVE_LIMIT 1000000u  /* count primes below this           */
#define WORKLOAD_SORT_COUNT  10000u    /* number of xorshift values sorted  */

struct workload_result {
    uint32_t crc32;   /* CRC-32 (reflected, poly 0xEDB88320) of the buffer   */
    uint32_t primes;  /* number of primes below WORKLOAD_SIEVE_LIMIT         */
    uint32_t sort;    /* FNV-1a (word-wise) over the sorted array            */
    uint32_t ok;      /* 1 if the array came out sorted and all rounds agree */
};

extern struct workload_result workload_result;

/* Runs WORKLOAD_ROUNDS rounds and leaves the results in workload_result. */
void workload(void);

/*
 * Writes "crc32=xxxxxxxx primes=n sort=xxxxxxxx" (no line ending, NUL
 * terminated; plus " MISMATCH" if !ok) into buf, which holds at least 64 bytes.
 */
void workload_format(char *buf);

#endif
