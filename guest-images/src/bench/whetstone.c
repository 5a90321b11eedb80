/*
 * A Whetstone-like kernel in double (x87 code): the classic modules -- simple
 * variables, array elements, an array passed to a procedure, conditional
 * jumps, integer arithmetic, trigonometric functions, procedure calls, array
 * references, standard functions -- freestanding, so the elementary functions
 * are computed here from additions, multiplications and divisions (range
 * reduction and a polynomial, as a libm does), with FSQRT for the square root.
 *
 * Not the x87's FSIN, FCOS, FPATAN, F2XM1 and FYL2X: jvmx gives their host
 * results bit for bit, QEMU does not (with them this kernel's checksum under
 * QEMU differs from the native run's), and bench/compare times only runs that
 * print the native checksum.
 */
#include "bench.h"

#ifndef BENCH_NAME
#define BENCH_NAME "whetstone"
#endif
const char bench_name[] = BENCH_NAME;

#define LOOPS 1000

static const double t = 0.499975, t1 = 0.50025, t2 = 2.0;
/* On a page of its own, away from the code (see nbody.h). */
static double e1[4] __attribute__((aligned(4096)));
static int j, k, l;

#define PI_2   1.57079632679489661923
#define LN2    0.69314718055994530942

/* round(x) as an integer: the cast chops, so FISTP runs under a changed control word. */
static int nearest(double x)
{
    return (int)(x < 0 ? x - 0.5 : x + 0.5);
}

/* sin(r) and cos(r) for |r| <= pi/4: Taylor polynomials to r^17 and r^16. */
static double sin_poly(double r)
{
    double r2 = r * r, s = 1.0, term = 1.0;
    for (int n = 2; n <= 16; n += 2) {
        term *= -r2 / (n * (n + 1));
        s += term;
    }
    return r * s;
}

static double cos_poly(double r)
{
    double r2 = r * r, s = 1.0, term = 1.0;
    for (int n = 1; n <= 15; n += 2) {
        term *= -r2 / (n * (n + 1));
        s += term;
    }
    return s;
}

/* x = q pi/2 + r: sin and cos by the quadrant. */
static double sine(double x)
{
    int q = nearest(x / PI_2);
    double r = x - q * PI_2;
    switch (q & 3) {
    case 0: return sin_poly(r);
    case 1: return cos_poly(r);
    case 2: return -sin_poly(r);
    default: return -cos_poly(r);
    }
}

static double cosine(double x)
{
    return sine(x + PI_2);
}

static double root(double x)
{
#ifdef __SSE2_MATH__
    return __builtin_sqrt(x); /* SQRTSD (whetstone-sse2; -fno-math-errno) */
#else
    double r;
    __asm__("fsqrt" : "=t"(r) : "0"(x));
    return r;
#endif
}

/* atan: halve the argument twice (atan x = 2 atan(x / (1 + sqrt(1 + x^2)))), then the series. */
static double arctan(double x)
{
    double y = x;
    for (int h = 0; h < 2; h++)
        y = y / (1.0 + root(1.0 + y * y));
    double y2 = y * y, s = 0.0, p = y;
    for (int n = 1; n <= 25; n += 2) {
        s += p / n;
        p *= -y2;
    }
    return 4.0 * s;
}

/* exp: x = k ln 2 + r, e^r by its series, times 2^k. */
static double expo(double x)
{
    int k2 = nearest(x / LN2);
    double r = x - k2 * LN2, s = 1.0, term = 1.0;
    for (int n = 1; n <= 14; n++) {
        term *= r / n;
        s += term;
    }
    double two = k2 < 0 ? 0.5 : 2.0;
    for (int i = k2 < 0 ? -k2 : k2; i > 0; i--)
        s *= two;
    return s;
}

/* log: x = m 2^e with m in [1, 2), ln m = 2 atanh((m - 1) / (m + 1)). */
static double loga(double x)
{
    int e = 0;
    while (x >= 2.0) {
        x *= 0.5;
        e++;
    }
    while (x < 1.0) {
        x *= 2.0;
        e--;
    }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, s = 0.0, p = z;
    for (int n = 1; n <= 31; n += 2) {
        s += p / n;
        p *= z2;
    }
    return 2.0 * s + e * LN2;
}

__attribute__((noinline)) static void pa(double *e)
{
    for (int n = 0; n < 6; n++) {
        e[0] = (e[0] + e[1] + e[2] - e[3]) * t;
        e[1] = (e[0] + e[1] - e[2] + e[3]) * t;
        e[2] = (e[0] - e[1] + e[2] + e[3]) * t;
        e[3] = (-e[0] + e[1] + e[2] + e[3]) / t2;
    }
}

__attribute__((noinline)) static void p3(double x, double y, double *z)
{
    double x1 = t * (x + y);
    double y1 = t * (x1 + y);
    *z = (x1 + y1) / t2;
}

__attribute__((noinline)) static void p0(void)
{
    e1[j] = e1[k];
    e1[k] = e1[l];
    e1[l] = e1[j];
}

static uint32_t hash_double(uint32_t h, double v)
{
    uint32_t w[2];
    __builtin_memcpy(w, &v, sizeof w);
    return bench_fnv(bench_fnv(h, w[0]), w[1]);
}

/* Precision control 53 bits (027F), as nbody.c: every result a double, wherever it lives. */
void bench_setup(void)
{
    static const uint16_t cw = 0x027F;
    __asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw));
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    int n1 = 0, n2 = 12 * LOOPS, n3 = 14 * LOOPS, n4 = 345 * LOOPS, n6 = 210 * LOOPS, n7 = 32 * LOOPS,
        n8 = 899 * LOOPS, n9 = 616 * LOOPS, n10 = 0, n11 = 93 * LOOPS;
    double x1, x2, x3, x4, x, y, z;

    /* Simple identifiers. */
    x1 = 1.0; x2 = -1.0; x3 = -1.0; x4 = -1.0;
    for (int i = 0; i < n1; i++) {
        x1 = (x1 + x2 + x3 - x4) * t;
        x2 = (x1 + x2 - x3 + x4) * t;
        x3 = (x1 - x2 + x3 + x4) * t;
        x4 = (-x1 + x2 + x3 + x4) * t;
    }

    /* Array elements. */
    e1[0] = 1.0; e1[1] = -1.0; e1[2] = -1.0; e1[3] = -1.0;
    for (int i = 0; i < n2; i++) {
        e1[0] = (e1[0] + e1[1] + e1[2] - e1[3]) * t;
        e1[1] = (e1[0] + e1[1] - e1[2] + e1[3]) * t;
        e1[2] = (e1[0] - e1[1] + e1[2] + e1[3]) * t;
        e1[3] = (-e1[0] + e1[1] + e1[2] + e1[3]) * t;
    }
    h = hash_double(hash_double(h, e1[0]), e1[3]);

    /* An array as a parameter. */
    for (int i = 0; i < n3; i++)
        pa(e1);
    h = hash_double(hash_double(h, e1[1]), e1[2]);

    /* Conditional jumps. */
    j = 1;
    for (int i = 0; i < n4; i++) {
        j = j == 1 ? 2 : 3;
        j = j > 2 ? 0 : 1;
        j = j < 1 ? 1 : 0;
    }

    /* Integer arithmetic. */
    j = 1; k = 2; l = 3;
    for (int i = 0; i < n6; i++) {
        j = j * (k - j) * (l - k);
        k = l * k - (l - j) * k;
        l = (l - k) * (k + j);
        e1[l - 2] = j + k + l;
        e1[k - 2] = j * k * l;
    }
    h = bench_fnv(bench_fnv(bench_fnv(h, (uint32_t)j), (uint32_t)k), (uint32_t)l);

    /* Trigonometric functions. */
    x = 0.5; y = 0.5;
    for (int i = 0; i < n7; i++) {
        x = t * arctan(t2 * sine(x) * cosine(x) / (cosine(x + y) + cosine(x - y) - 1.0));
        y = t * arctan(t2 * sine(y) * cosine(y) / (cosine(x + y) + cosine(x - y) - 1.0));
    }
    h = hash_double(hash_double(h, x), y);

    /* Procedure calls. */
    x = 1.0; y = 1.0; z = 1.0;
    for (int i = 0; i < n8; i++)
        p3(x, y, &z);
    h = hash_double(h, z);

    /* Array references. */
    j = 0; k = 1; l = 2;
    e1[0] = 1.0; e1[1] = 2.0; e1[2] = 3.0;
    for (int i = 0; i < n9; i++)
        p0();
    h = hash_double(hash_double(h, e1[0]), e1[2]);

    /* Integer arithmetic again. */
    j = 2; k = 3;
    for (int i = 0; i < n10; i++) {
        j = j + k;
        k = j + k;
        j = k - j;
        k = k - j - j;
    }

    /* Standard functions. */
    x = 0.75;
    for (int i = 0; i < n11; i++)
        x = root(expo(loga(x) / t1));
    h = hash_double(h, x);
    h = hash_double(h, x1 + x2 + x3 + x4);
    return h;
}
