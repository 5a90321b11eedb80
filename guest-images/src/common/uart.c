/* 16550 UART at COM1 (0x3F8), polled output. */
#include "io.h"
#include "uart.h"

#define COM1 0x3F8
#define UART_THR 0  /* transmit holding (DLAB=0), divisor latch low (DLAB=1) */
#define UART_IER 1  /* interrupt enable (DLAB=0), divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_8N1  0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07  /* enable FIFOs, clear receive and transmit */
#define MCR_DTR_RTS 0x03
#define LSR_THRE 0x20

/* Give up waiting for THRE after this many polls (a missing UART reads 0xFF
   on a PC, but a broken one must not hang the guest forever). */
#define THRE_POLL_LIMIT 1000000u

void uart_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_THR, 0x01);       /* divisor 1: 115200 baud */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
    outb(COM1 + UART_MCR, MCR_DTR_RTS);
}

void uart_putc(char c)
{
    for (unsigned n = 0; n < THRE_POLL_LIMIT; n++)
        if (inb(COM1 + UART_LSR) & LSR_THRE)
            break;
    outb(COM1 + UART_THR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}
