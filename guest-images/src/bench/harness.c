/* The rounds loop and its marker lines; see bench.h. */
#include "bench.h"

static uint32_t put_str(char *p, const char *s)
{
    uint32_t n = 0;
    while (s[n]) {
        p[n] = s[n];
        n++;
    }
    return n;
}

static uint32_t put_dec(char *p, uint32_t v)
{
    char tmp[10];
    uint32_t n = 0, k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        p[n++] = tmp[--k];
    return n;
}

static uint32_t put_hex(char *p, uint32_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xF];
    return 8;
}

static void line(const char *a, uint32_t round, const char *b, int hex, uint32_t value)
{
    char buf[80];
    uint32_t n = put_str(buf, a);
    if (round)
        n += put_dec(buf + n, round);
    n += put_str(buf + n, b);
    if (hex)
        n += put_hex(buf + n, value);
    buf[n++] = '\n';
    bench_write(buf, n);
}

void bench_main(void)
{
    char head[64];
    uint32_t n = put_str(head, "bench ");
    n += put_str(head + n, bench_name);
    n += put_str(head + n, " rounds ");
    n += put_dec(head + n, BENCH_ROUNDS);
    head[n++] = '\n';
    bench_write(head, n);

    bench_setup();
    uint32_t first = 0;
    int same = 1;
    for (uint32_t r = 1; r <= BENCH_ROUNDS; r++) {
        line("round ", r, " begin", 0, 0);
        uint32_t c = bench_round();
        line("round ", r, " end ", 1, c);
        if (r == 1)
            first = c;
        else if (c != first)
            same = 0;
    }
    if (same) {
        line("done ", 0, "", 1, first);
        bench_exit(0);
    }
    line("done MISMATCH", 0, "", 0, 0);
    bench_exit(1);
}
