/*
 * hello.elf: Multiboot v1 kernel. Prints a greeting and the memory sizes
 * from the multiboot info to the debug console (0xE9) and COM1, then exits
 * through isa-debug-exit (0xF4) with 0x10 (QEMU exit status 33).
 */
#include <stdint.h>
#include "io.h"
#include "uart.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MBI_FLAG_MEM 0x1u

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower;  /* KiB below 1 MiB          */
    uint32_t mem_upper;  /* KiB from 1 MiB upwards   */
};

static void out(const char *s)
{
    debugcon_puts(s);
    uart_puts(s);
}

static void out_dec(uint32_t v)
{
    char buf[11];
    int n = 10;
    buf[n] = '\0';
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    out(&buf[n]);
}

void kmain(uint32_t magic, const struct multiboot_info *mbi)
{
    uart_init();
    out("Hello from a multiboot kernel\n");
    if (magic != MULTIBOOT_LOADER_MAGIC) {
        out("bad multiboot magic\n");
        outb(DEBUG_EXIT_PORT, 0x11);
        return;
    }
    if (mbi->flags & MBI_FLAG_MEM) {
        out("mem_lower=");
        out_dec(mbi->mem_lower);
        out(" KiB mem_upper=");
        out_dec(mbi->mem_upper);
        out(" KiB\n");
    } else {
        out("no memory info\n");
    }
    outb(DEBUG_EXIT_PORT, 0x10);
}
