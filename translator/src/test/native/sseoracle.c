/*
 * SSE oracle: runs one SSE/SSE2 floating-point instruction per record on the host CPU (a 64-bit
 * program; the instruction's operands are XMM0 (destination), XMM1 (source) and EAX) and writes
 * back what it left. An unmasked SIMD floating-point exception (#XM) arrives as SIGFPE; the
 * handler takes MXCSR, XMM0, RAX and RFLAGS from the signal frame (the state at the fault).
 *
 * Record in (64 bytes): u8 insn[16], u8 xmm0[16], u8 xmm1[16], u32 mxcsr, u32 eax, u32 rflags,
 *   u32 length of insn.
 * Record out (64 bytes): u32 signal (0, or the signal number), u32 mxcsr, u64 rflags,
 *   u8 xmm0[16], u32 eax, u8 pad[28].
 * Code per record (rdi = record in, rsi = record out):
 *   push rbx; movdqu xmm0,[rdi+16]; movdqu xmm1,[rdi+32]; mov eax,[rdi+52]; mov ebx,[rdi+56];
 *   push rbx; popfq; ldmxcsr [rdi+48]; INSN; stmxcsr [rsi+4]; pushfq; pop rbx; mov [rsi+8],rbx;
 *   movdqu [rsi+16],xmm0; mov [rsi+32],eax; mov dword [rsi+36],1F80h; ldmxcsr [rsi+36];
 *   pop rbx; ret
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

#define REC 64

static sigjmp_buf env;
static unsigned char trapout[REC];

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void) si;
    ucontext_t *uc = ctx;
    memset(trapout, 0, sizeof trapout);
    if (uc->uc_mcontext.fpregs) {
        struct _libc_fpstate *f = uc->uc_mcontext.fpregs;
        memcpy(trapout + 4, &f->mxcsr, 4);
        memcpy(trapout + 16, &f->_xmm[0], 16);
    }
    uint64_t fl = uc->uc_mcontext.gregs[REG_EFL];
    uint32_t ax = (uint32_t) uc->uc_mcontext.gregs[REG_RAX];
    memcpy(trapout + 8, &fl, 8);
    memcpy(trapout + 32, &ax, 4);
    siglongjmp(env, sig);
}

int main(void) {
    static const unsigned char pre[] = {
        0x53,                               /* push rbx */
        0xF3, 0x0F, 0x6F, 0x47, 0x10,       /* movdqu xmm0,[rdi+16] */
        0xF3, 0x0F, 0x6F, 0x4F, 0x20,       /* movdqu xmm1,[rdi+32] */
        0x8B, 0x47, 0x34,                   /* mov eax,[rdi+52] */
        0x8B, 0x5F, 0x38,                   /* mov ebx,[rdi+56] */
        0x53, 0x9D,                         /* push rbx; popfq */
        0x0F, 0xAE, 0x57, 0x30,             /* ldmxcsr [rdi+48] */
    };
    static const unsigned char post[] = {
        0x0F, 0xAE, 0x5E, 0x04,             /* stmxcsr [rsi+4] */
        0x9C, 0x5B,                         /* pushfq; pop rbx */
        0x48, 0x89, 0x5E, 0x08,             /* mov [rsi+8],rbx */
        0xF3, 0x0F, 0x7F, 0x46, 0x10,       /* movdqu [rsi+16],xmm0 */
        0x89, 0x46, 0x20,                   /* mov [rsi+32],eax */
        0xC7, 0x46, 0x24, 0x80, 0x1F, 0x00, 0x00, /* mov dword [rsi+36],1F80h */
        0x0F, 0xAE, 0x56, 0x24,             /* ldmxcsr [rsi+36] */
        0x5B, 0xC3,                         /* pop rbx; ret */
    };
    unsigned char *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        fprintf(stderr, "sseoracle: cannot map executable memory\n");
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
    static unsigned char in[REC] __attribute__((aligned(64)));
    static unsigned char out[REC] __attribute__((aligned(64)));
    static unsigned char last[16];
    static uint32_t lastlen = 0xFFFFFFFF;
    for (;;) {
        int r = readfull(in, REC);
        if (r == 0) break;
        if (r < 0) {
            fprintf(stderr, "sseoracle: truncated record\n");
            return 2;
        }
        uint32_t len;
        memcpy(&len, in + 60, 4);
        if (len > 15) {
            fprintf(stderr, "sseoracle: bad instruction length %u\n", len);
            return 2;
        }
        /* rewrite the code only when the instruction changes (self-modifying code is slow) */
        if (len != lastlen || memcmp(last, in, len) != 0) {
            size_t n = 0;
            memcpy(code, pre, sizeof pre); n += sizeof pre;
            memcpy(code + n, in, len); n += len;
            memcpy(code + n, post, sizeof post);
            memcpy(last, in, len);
            lastlen = len;
        }
        memset(out, 0, REC);
        int sig = sigsetjmp(env, 1);
        if (sig == 0) {
            void (*f)(void *, void *) = (void (*)(void *, void *)) code;
            f(in, out);
        } else {
            memcpy(out, trapout, REC);
            uint32_t t = sig;
            memcpy(out, &t, 4);
            /* the handler ran with the kernel's default MXCSR; make sure it is back */
            uint32_t def = 0x1F80;
            __asm__ volatile("ldmxcsr %0" : : "m"(def));
        }
        if (writefull(out, REC) < 0) return 2;
    }
    return 0;
}
