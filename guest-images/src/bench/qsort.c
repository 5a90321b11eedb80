/* Quicksort (median of three, insertion sort below 16) of xorshift32 values. */
#include "bench.h"

#define COUNT (128 * 1024)
#define SORTS 6

const char bench_name[] = "qsort";

static uint32_t a[COUNT];

void bench_setup(void)
{
}

static void insertion(uint32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void swap(uint32_t *v, int i, int j)
{
    uint32_t t = v[i];
    v[i] = v[j];
    v[j] = t;
}

__attribute__((noinline)) static void quicksort(uint32_t *v, int n)
{
    while (n > 16) {
        int m = n / 2;
        if (v[m] < v[0]) swap(v, m, 0);
        if (v[n - 1] < v[0]) swap(v, n - 1, 0);
        if (v[n - 1] < v[m]) swap(v, n - 1, m);
        uint32_t pivot = v[m];
        int i = -1, j = n;
        for (;;) {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j)
                break;
            swap(v, i, j);
        }
        /* recurse into the smaller half, loop on the larger: O(log n) stack */
        int left = j + 1;
        if (left < n - left) {
            quicksort(v, left);
            v += left;
            n -= left;
        } else {
            quicksort(v + left, n - left);
            n = left;
        }
    }
    insertion(v, n);
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    uint32_t s = 1;
    for (int k = 0; k < SORTS; k++) {
        for (int i = 0; i < COUNT; i++)
            a[i] = bench_xorshift(&s);
        quicksort(a, COUNT);
        for (int i = 0; i < COUNT; i++)
            h = bench_fnv(h, a[i]);
        for (int i = 1; i < COUNT; i++)
            if (a[i - 1] > a[i])
                return 0xBAD50F7u;      /* not sorted */
    }
    return h;
}
