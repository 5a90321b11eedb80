/* 16550 UART at COM1 (0x3F8), polled. */
#ifndef JVMX_UART_H
#define JVMX_UART_H

void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);

#endif
