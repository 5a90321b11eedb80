/*
 * The host oracles' pipe to the test (sseoracle.c, x87oracle.c): fixed-size records on stdin and
 * stdout, read and written whole however the kernel splits them.
 */
#include <sys/types.h>
#include <unistd.h>

/* 1 when n bytes were read, 0 at a clean end of input, -1 on an error or a short record. */
static int readfull(unsigned char *b, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, b + got, n - got);
        if (r <= 0) return got == 0 ? 0 : -1;
        got += r;
    }
    return 1;
}

/* 0 when n bytes were written, -1 on an error. */
static int writefull(const unsigned char *b, size_t n) {
    size_t put = 0;
    while (put < n) {
        ssize_t r = write(1, b + put, n - put);
        if (r <= 0) return -1;
        put += r;
    }
    return 0;
}
