/*
 * x87 oracle: runs one x87 instruction per record on the host CPU (64-bit program; the
 * instruction's memory operand is addressed as (%rsi)) and writes back the FNSAVE image.
 *
 * Record in (656 bytes): u32 length, u8 insn[16], u32 eflags, u8 pad[8],
 *   u8 state[112] (an FRSTOR image, 32-bit format, 108 bytes used), u8 mem[512].
 * Record out (656 bytes): u32 trap (0, or the signal number), u32 pad, u64 rflags, u16 ax,
 *   u8 pad[14], u8 state[112] (FNSAVE image; after a SIGFPE: cw, sw, abridged tag, registers
 *   from the signal frame), u8 mem[512].
 * Code per record: push rbx; xor eax,eax; push r8; popfq; frstor (rdi); INSN; fnsave (rdx);
 * pushfq; pop rbx; mov [rcx],rbx; mov [rcx+8],ax; pop rbx; ret.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "oraclepipe.h"

#define REC 656

static sigjmp_buf env;
static unsigned char trapstate[112];

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void) si;
    ucontext_t *uc = ctx;
    memset(trapstate, 0, sizeof trapstate);
    if (sig == SIGFPE && uc->uc_mcontext.fpregs) {
        struct _libc_fpstate *f = uc->uc_mcontext.fpregs;
        memcpy(trapstate + 0, &f->cwd, 2);
        memcpy(trapstate + 4, &f->swd, 2);
        memcpy(trapstate + 8, &f->ftw, 2);
        for (int i = 0; i < 8; i++) memcpy(trapstate + 28 + 10 * i, &f->_st[i], 10);
    }
    siglongjmp(env, sig);
}

int main(void) {
    static const unsigned char pre[] = {0x53, 0x31, 0xc0, 0x41, 0x50, 0x9d, 0xdd, 0x27};
    static const unsigned char post[] = {0xdd, 0x32, 0x9c, 0x5b, 0x48, 0x89, 0x19, 0x66, 0x89, 0x41, 0x08, 0x5b, 0xc3};
    unsigned char *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        fprintf(stderr, "x87oracle: cannot map executable memory\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    static unsigned char in[REC], out[REC];
    static unsigned char statein[112] __attribute__((aligned(64)));
    static unsigned char stateout[112] __attribute__((aligned(64)));
    static unsigned char mem[512] __attribute__((aligned(64)));
    static uint64_t res[2];
    for (;;) {
        int r = readfull(in, REC);
        if (r == 0) break;
        if (r < 0) {
            fprintf(stderr, "x87oracle: truncated record\n");
            return 2;
        }
        uint32_t len, eflags;
        memcpy(&len, in, 4);
        memcpy(&eflags, in + 20, 4);
        if (len > 16) {
            fprintf(stderr, "x87oracle: bad instruction length %u\n", len);
            return 2;
        }
        size_t n = 0;
        memcpy(code, pre, sizeof pre); n += sizeof pre;
        memcpy(code + n, in + 4, len); n += len;
        memcpy(code + n, post, sizeof post);
        memcpy(statein, in + 32, 112);
        memcpy(mem, in + 144, 512);
        memset(stateout, 0, sizeof stateout);
        res[0] = res[1] = 0;
        memset(out, 0, REC);
        int sig = sigsetjmp(env, 1);
        if (sig == 0) {
            void (*f)(void *, void *, void *, void *, uint64_t) = (void (*)(void *, void *, void *, void *, uint64_t)) code;
            f(statein, mem, stateout, res, (uint64_t) eflags);
            memcpy(out + 32, stateout, 112);
        } else {
            uint32_t t = sig;
            memcpy(out, &t, 4);
            memcpy(out + 32, trapstate, 112);
        }
        memcpy(out + 8, &res[0], 8);
        memcpy(out + 16, &res[1], 2);
        memcpy(out + 144, mem, 512);
        if (writefull(out, REC) < 0) return 2;
    }
    return 0;
}
