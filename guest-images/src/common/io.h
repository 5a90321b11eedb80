/* Port I/O for the freestanding guests. */
#ifndef JVMX_IO_H
#define JVMX_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/* REP OUTSW: count words from buf to port. */
static inline void outsw(uint16_t port, const void *buf, uint32_t count)
{
    __asm__ volatile("cld; rep outsw" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

#define DEBUGCON_PORT   0xE9  /* QEMU/Bochs debug console              */
#define DEBUG_EXIT_PORT 0xF4  /* isa-debug-exit: host exit = (v<<1)|1 */

static inline void debugcon_puts(const char *s)
{
    while (*s)
        outb(DEBUGCON_PORT, (uint8_t)*s++);
}

#endif
