/*
 * Multi-precision arithmetic as the kernel's RSA self-test runs it in a Linux boot (about a
 * fifth of Debian's 686 kernel's start under jvmx): schoolbook multiply-accumulate and
 * multiply-subtract over 32-bit limbs, the 64-bit product formed from 16-bit halves as
 * portable C does, with the carry chains that make ADC, SETB and CMOV.
 */
#include "bench.h"

#define LIMBS  64          /* 2048-bit numbers */
#define PASSES 2000

const char bench_name[] = "bignum";

static uint32_t a0[LIMBS], a[LIMBS], b[LIMBS], m[LIMBS], prod[2 * LIMBS];

/* hi:lo = u * v, from 16-bit halves (no 32x32->64 multiply). */
#define MUL_PARTS(hi, lo, u, v) do {                                        \
        uint32_t ul_ = (u) & 0xFFFF, uh_ = (u) >> 16;                       \
        uint32_t vl_ = (v) & 0xFFFF, vh_ = (v) >> 16;                       \
        uint32_t x0_ = ul_ * vl_, x1_ = ul_ * vh_;                          \
        uint32_t x2_ = uh_ * vl_, x3_ = uh_ * vh_;                          \
        x1_ += x0_ >> 16;                                                   \
        x1_ += x2_;                                                         \
        if (x1_ < x2_)                                                      \
            x3_ += 0x10000;                                                 \
        (hi) = x3_ + (x1_ >> 16);                                           \
        (lo) = (x1_ << 16) + (x0_ & 0xFFFF);                                \
    } while (0)

/* r[0..n) += s[0..n) * k; returns the carry limb. */
static __attribute__((noinline)) uint32_t addmul(uint32_t *r, const uint32_t *s, int n, uint32_t k)
{
    uint32_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint32_t hi, lo;
        MUL_PARTS(hi, lo, s[i], k);
        lo += carry;
        carry = (lo < carry) + hi;
        uint32_t x = r[i] + lo;
        carry += x < lo;
        r[i] = x;
    }
    return carry;
}

/* r[0..n) -= s[0..n) * k; returns the borrow limb. */
static __attribute__((noinline)) uint32_t submul(uint32_t *r, const uint32_t *s, int n, uint32_t k)
{
    uint32_t borrow = 0;
    for (int i = 0; i < n; i++) {
        uint32_t hi, lo;
        MUL_PARTS(hi, lo, s[i], k);
        lo += borrow;
        borrow = (lo < borrow) + hi;
        uint32_t x = r[i];
        uint32_t y = x - lo;
        borrow += y > x;
        r[i] = y;
    }
    return borrow;
}

void bench_setup(void)
{
    uint32_t s = 7;
    for (int i = 0; i < LIMBS; i++) {
        a0[i] = bench_xorshift(&s);
        b[i] = bench_xorshift(&s);
        m[i] = bench_xorshift(&s);
    }
    m[LIMBS - 1] |= 0x80000000u;
}

uint32_t bench_round(void)
{
    uint32_t h = BENCH_FNV_INIT;
    for (int i = 0; i < LIMBS; i++)
        a[i] = a0[i];
    for (int p = 0; p < PASSES; p++) {
        for (int i = 0; i < 2 * LIMBS; i++)
            prod[i] = 0;
        for (int i = 0; i < LIMBS; i++)
            prod[i + LIMBS] = addmul(prod + i, a, LIMBS, b[i]);
        /* A reduction's inner step: subtract multiples of m from the top down. */
        for (int i = LIMBS - 1; i >= 0; i--)
            prod[i + LIMBS] -= submul(prod + i, m, LIMBS, prod[i + LIMBS] >> 1);
        for (int i = 0; i < LIMBS; i++)
            a[i] = prod[i] ^ prod[i + LIMBS];
        h = bench_fnv(h, a[p & (LIMBS - 1)]);
    }
    return h;
}
