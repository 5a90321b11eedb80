/* Multiboot platform: debug console 0xE9 out, isa-debug-exit 0xF4 to end. */
#include "bench.h"
#include "io.h"

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
    bench_main();
}
