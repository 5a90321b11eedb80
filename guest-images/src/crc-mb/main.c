/*
 * crc-mb.elf: the first guest's workload as a Multiboot v1 kernel. Prints
 * the result line to the debug console (0xE9) and exits through
 * isa-debug-exit (0xF4) with 0 (QEMU exit status 1).
 */
#include <stdint.h>
#include "io.h"
#include "workload.h"

void kmain(uint32_t magic, const void *mbi)
{
    char line[64];
    (void)magic;
    (void)mbi;
    workload();
    workload_format(line);
    debugcon_puts(line);
    debugcon_puts("\n");
    outb(DEBUG_EXIT_PORT, 0x00);
}
