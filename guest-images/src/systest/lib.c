/* Library part in C: descriptor tables, output, verdicts. */
#include "lib.h"
#include "io.h"
#include "uart.h"

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8)));
uint64_t idt[256] __attribute__((aligned(8)));
uint32_t tss_main[26] __attribute__((aligned(128)));
static uint32_t ring0_stack[2048] __attribute__((aligned(16)));
static int failures;

void puts(const char *s) { uart_puts(s); }

void puthex(uint32_t v)
{
    char b[11];
    b[0] = '0';
    b[1] = 'x';
    for (int i = 0; i < 8; i++) {
        uint32_t d = (v >> (28 - 4 * i)) & 15;
        b[2 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    b[10] = 0;
    uart_puts(b);
}

void check(const char *name, int ok, const char *what, uint32_t got, uint32_t want)
{
    if (ok) {
        uart_puts("PASS ");
        uart_puts(name);
        uart_puts("\r\n");
        return;
    }
    failures++;
    uart_puts("FAIL ");
    uart_puts(name);
    uart_puts(": ");
    uart_puts(what);
    uart_puts(" got ");
    puthex(got);
    uart_puts(" want ");
    puthex(want);
    uart_puts("\r\n");
}

void finish(void)
{
    uart_puts(failures ? "DONE with failures\r\n" : "DONE\r\n");
    outb(DEBUG_EXIT_PORT, failures ? 1 : 0);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void unexpected_exception(void)
{
    failures++;
    uart_puts("FAIL unexpected exception ");
    puthex(last_vec);
    uart_puts(" error ");
    puthex(last_err);
    uart_puts(" at ");
    puthex(last_cs);
    uart_puts(":");
    puthex(last_eip);
    uart_puts("\r\n");
    finish();
}

/* access = byte 5 of the descriptor (P, DPL, S, type); flags = high nibble of byte 6 (G, D/B). */
void set_seg(int index, uint32_t base, uint32_t limit, uint32_t access, uint32_t flags)
{
    uint32_t lo = (limit & 0xFFFF) | (base << 16);
    uint32_t hi = ((base >> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | ((flags & 0xF) << 20)
                  | (base & 0xFF000000);
    gdt[index] = ((uint64_t)hi << 32) | lo;
}

/* type_attr = byte 5 of the gate (P, DPL, 0, type). */
void set_gate(int vector, uint32_t offset, uint16_t sel, uint32_t type_attr)
{
    uint32_t lo = (offset & 0xFFFF) | ((uint32_t)sel << 16);
    uint32_t hi = (offset & 0xFFFF0000) | (type_attr << 8);
    idt[vector] = ((uint64_t)hi << 32) | lo;
}

void set_call_gate(int index, uint32_t offset, uint16_t sel, int dpl, int params)
{
    uint32_t lo = (offset & 0xFFFF) | ((uint32_t)sel << 16);
    uint32_t hi = (offset & 0xFFFF0000) | ((0x8Cu | (uint32_t)dpl << 5) << 8) | (params & 31);
    gdt[index] = ((uint64_t)hi << 32) | lo;
}

void lib_init(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } d;
    uart_init();
    set_seg(1, 0, 0xFFFFF, 0x9A, 0xC);   /* 0x08 ring-0 code */
    set_seg(2, 0, 0xFFFFF, 0x92, 0xC);   /* 0x10 ring-0 data */
    set_seg(3, 0, 0xFFFFF, 0xFA, 0xC);   /* 0x18 ring-3 code */
    set_seg(4, 0, 0xFFFFF, 0xF2, 0xC);   /* 0x20 ring-3 data */
    tss_main[1] = (uint32_t)(ring0_stack + 2048);   /* ESP0 */
    tss_main[2] = SEL_DATA0;                        /* SS0 */
    tss_main[25] = 104u << 16;                      /* I/O map base past the limit */
    set_seg(5, (uint32_t)tss_main, 103, 0x89, 0);   /* 0x28 32-bit TSS, available */
    d.limit = sizeof(gdt) - 1;
    d.base = (uint32_t)gdt;
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp $0x08, $1f\n1:\t"
                     "mov $0x10, %%ax\n\tmov %%ax, %%ds\n\tmov %%ax, %%es\n\tmov %%ax, %%ss\n\t"
                     "mov %%ax, %%fs\n\tmov %%ax, %%gs\n\t"
                     "mov $0x28, %%ax\n\tltr %%ax" : : "m"(d) : "eax", "memory");
    for (int v = 0; v < 48; v++)
        set_gate(v, isr_stubs[v], SEL_CODE0, 0x8E);
    set_gate(0x80, isr_stubs[47], SEL_CODE0, 0xEE);  /* INT 0x80 from ring 3: back to the kernel */
    set_gate(3, isr_stubs[3], SEL_CODE0, 0xEE);      /* INT3 allowed from ring 3 */
    d.limit = sizeof(idt) - 1;
    d.base = (uint32_t)idt;
    __asm__ volatile("lidt %0" : : "m"(d));
}
