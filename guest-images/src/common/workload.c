/*
 * The jvmx guest CPU workload. See workload.h.
 *
 * Data: one xorshift32 generator (x ^= x << 13; x ^= x >> 17; x ^= x << 5),
 * seeded with 1 at the start of every round, yields 16384 words that fill the
 * 64 KiB CRC buffer (little-endian) and then the WORKLOAD_SORT_COUNT values
 * that are sorted.
 */
#include "workload.h"

struct workload_result workload_result;

static uint32_t crc_table[256];
static uint8_t crc_buf[WORKLOAD_CRC_BYTES];
static uint32_t sieve_bits[(WORKLOAD_SIEVE_LIMIT + 31) / 32];
static uint32_t sort_array[WORKLOAD_SORT_COUNT];

static uint32_t xorshift_state;

static uint32_t xorshift32(void)
{
    uint32_t x = xorshift_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    xorshift_state = x;
    return x;
}

static void crc_make_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(const uint8_t *p, uint32_t len)
{
    uint32_t c = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < len; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint32_t count_primes(void)
{
    const uint32_t n = WORKLOAD_SIEVE_LIMIT;   /* bit i set: i is composite */
    for (uint32_t w = 0; w < (n + 31) / 32; w++)
        sieve_bits[w] = 0;
    for (uint32_t i = 2; i * i < n; i++) {
        if (sieve_bits[i >> 5] & (1u << (i & 31)))
            continue;
        for (uint32_t j = i * i; j < n; j += i)
            sieve_bits[j >> 5] |= 1u << (j & 31);
    }
    uint32_t count = 0;
    for (uint32_t i = 2; i < n; i++)
        if (!(sieve_bits[i >> 5] & (1u << (i & 31))))
            count++;
    return count;
}

static void insertion_sort(uint32_t *a, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* Quicksort (Hoare partition, median of three), insertion sort below 16. */
static void quicksort(uint32_t *a, int lo, int hi)
{
    while (hi - lo >= 16) {
        int mid = lo + (hi - lo) / 2;
        uint32_t x = a[lo], y = a[mid], z = a[hi];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x))
                               : (x < z ? x : (y < z ? z : y));
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j)
                break;
            uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
        }
        /* recurse into the smaller half, loop on the larger one */
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

static void one_round(struct workload_result *r)
{
    xorshift_state = 1;
    for (uint32_t i = 0; i < WORKLOAD_CRC_BYTES; i += 4) {
        uint32_t w = xorshift32();
        crc_buf[i] = (uint8_t)w;
        crc_buf[i + 1] = (uint8_t)(w >> 8);
        crc_buf[i + 2] = (uint8_t)(w >> 16);
        crc_buf[i + 3] = (uint8_t)(w >> 24);
    }
    crc_make_table();
    r->crc32 = crc32(crc_buf, WORKLOAD_CRC_BYTES);

    r->primes = count_primes();

    for (uint32_t i = 0; i < WORKLOAD_SORT_COUNT; i++)
        sort_array[i] = xorshift32();
    quicksort(sort_array, 0, (int)WORKLOAD_SORT_COUNT - 1);
    uint32_t h = 2166136261u;
    r->ok = 1;
    for (uint32_t i = 0; i < WORKLOAD_SORT_COUNT; i++) {
        h = (h ^ sort_array[i]) * 16777619u;
        if (i > 0 && sort_array[i - 1] > sort_array[i])
            r->ok = 0;
    }
    r->sort = h;
}

void workload(void)
{
    struct workload_result first, r;
    one_round(&first);
    for (int round = 1; round < WORKLOAD_ROUNDS; round++) {
        one_round(&r);
        if (r.crc32 != first.crc32 || r.primes != first.primes
                || r.sort != first.sort || !r.ok)
            first.ok = 0;
    }
    workload_result = first;
}

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_hex32(char *p, uint32_t v)
{
    for (int shift = 28; shift >= 0; shift -= 4)
        *p++ = "0123456789abcdef"[(v >> shift) & 0xF];
    return p;
}

static char *put_dec32(char *p, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

void workload_format(char *buf)
{
    const struct workload_result *r = &workload_result;
    char *p = buf;
    p = put_str(p, "crc32=");
    p = put_hex32(p, r->crc32);
    p = put_str(p, " primes=");
    p = put_dec32(p, r->primes);
    p = put_str(p, " sort=");
    p = put_hex32(p, r->sort);
    if (!r->ok)
        p = put_str(p, " MISMATCH");
    *p = '\0';
}
