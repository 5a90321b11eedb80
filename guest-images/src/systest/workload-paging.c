/*
 * workload-flat.elf / workload-paged.elf: the first guest's workload as a
 * Multiboot kernel, with paging off, or on with the first 64 MiB identity-mapped
 * by 4 KiB pages (built with -DPAGING=1). Output as crc-mb.elf: the result line
 * on the debug console (0xE9), then isa-debug-exit 0.
 */
#include <stdint.h>
#include "io.h"
#include "workload.h"

#define MAPPED_TABLES 16     /* 16 page tables x 4 MiB = 64 MiB */

static uint32_t page_dir[1024] __attribute__((aligned(4096), used));
static uint32_t page_tables[MAPPED_TABLES][1024] __attribute__((aligned(4096), used));

void kmain(uint32_t magic, const void *mbi)
{
    char line[64];
    (void)magic;
    (void)mbi;
#ifdef PAGING
    for (uint32_t t = 0; t < MAPPED_TABLES; t++) {
        for (uint32_t i = 0; i < 1024; i++)
            page_tables[t][i] = ((t * 1024 + i) << 12) | 3;   /* present, writable */
        page_dir[t] = (uint32_t)page_tables[t] | 3;
    }
    __asm__ volatile("mov %0, %%cr3\n\t"
                     "mov %%cr0, %%eax\n\t"
                     "or $0x80000000, %%eax\n\t"
                     "mov %%eax, %%cr0" : : "r"(page_dir) : "eax", "memory");
#else
    (void)page_dir;
    (void)page_tables;
#endif
    workload();
    workload_format(line);
    debugcon_puts(line);
    debugcon_puts("\n");
    outb(DEBUG_EXIT_PORT, 0x00);
}
