/*
 * Multiboot platform: debug console 0xE9 out, isa-debug-exit 0xF4 to end.
 * Built with BENCH_PAGING (images/bench/paged/), the program runs with paging on, as every
 * program under an operating system does: 4 MiB pages (CR4.PSE) map the first 256 MiB to
 * themselves, so the program computes what it does without paging. Built with BENCH_SSE (the SSE
 * programs, nbody-sse2), it turns SSE on first.
 */
#include "bench.h"
#include "io.h"

#ifdef BENCH_PAGING
static uint32_t page_directory[1024] __attribute__((aligned(4096)));

static void paging_on(void)
{
    for (uint32_t i = 0; i < 64; i++)
        page_directory[i] = (i << 22) | 0x83; /* present, writable, 4 MiB page */
    uint32_t cr4, cr0;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4 | 0x10)); /* PSE */
    __asm__ volatile("mov %0, %%cr3" :: "r"(page_directory));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" :: "r"(cr0 | 0x80000000u) : "memory"); /* PG */
}
#endif

#ifdef BENCH_SSE
/* SSE on, as an operating system turns it on: CR4.OSFXSR and OSXMMEXCPT set, CR0.EM clear, MP set. */
static void sse_on(void)
{
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4 | 0x600));
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" :: "r"((cr0 & ~4u) | 2u));
}
#endif

void bench_write(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        outb(DEBUGCON_PORT, (uint8_t)s[i]);
}

void bench_exit(int code)
{
    outb(DEBUG_EXIT_PORT, (uint8_t)code); /* QEMU exits with (code << 1) | 1 */
    for (;;)
        __asm__ volatile("cli; hlt");
}

void kmain(uint32_t magic, const void *mbi)
{
    (void)magic;
    (void)mbi;
#ifdef BENCH_PAGING
    paging_on();
#endif
#ifdef BENCH_SSE
    sse_on();
#endif
    bench_main();
}
