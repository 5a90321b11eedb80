/* first-guest.rom, C part: run the workload and report on the UART. */
#include "uart.h"
#include "workload.h"

void rom_main(void)
{
    char line[64];
    workload();
    workload_format(line);
    uart_puts(line);
    uart_puts("\r\n");
    uart_puts("done\r\n");
}
