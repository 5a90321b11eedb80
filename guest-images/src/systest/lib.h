/*
 * jvmx system tests: a tiny ring-0 kernel library (Multiboot v1, flat 32-bit).
 * Every test prints "PASS name" or "FAIL name: ..." on COM1 and the kernel ends
 * with "DONE" and an isa-debug-exit write. Expected values come from the SDM
 * (Vol. 3A); each image is checked under QEMU (TCG) before jvmx.
 */
#ifndef SYSTEST_LIB_H
#define SYSTEST_LIB_H
#include <stdint.h>

#define SEL_CODE0  0x08
#define SEL_DATA0  0x10
#define SEL_CODE3  0x1B
#define SEL_DATA3  0x23
#define SEL_TSS    0x28
#define GDT_ENTRIES 32

extern uint64_t gdt[GDT_ENTRIES];
extern uint64_t idt[256];
extern uint32_t tss_main[26];
extern volatile uint32_t last_vec, last_err, last_eip, last_cs;

void lib_init(void);
void puts(const char *s);
void puthex(uint32_t v);
void check(const char *name, int ok, const char *what, uint32_t got, uint32_t want);
void finish(void) __attribute__((noreturn));

/* Runs fn(); returns -1 if it returns normally, else the vector of the exception it raised
 * (last_err/last_eip hold the error code and faulting EIP). INT 0x80 from any ring returns 0x80. */
int try_call(void (*fn)(void));
/* Runs fn at CPL 3 (flat ring-3 segments, IOPL 0); fn must end with int $0x80. */
int try_user(void (*fn)(void));

void set_seg(int index, uint32_t base, uint32_t limit, uint32_t access, uint32_t flags);
void set_gate(int vector, uint32_t offset, uint16_t sel, uint32_t type_attr);
void set_call_gate(int index, uint32_t offset, uint16_t sel, int dpl, int params);
extern void isr_stub_table(void);
extern uint32_t isr_stubs[48];

static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0,%0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2,%0" : "=r"(v)); return v; }
static inline uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4,%0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0,%%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0,%%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0,%%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uint32_t a) { __asm__ volatile("invlpg (%0)" : : "r"(a) : "memory"); }
#endif
