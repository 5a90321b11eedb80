/*
 * diskwriter.elf: Multiboot v1 kernel for the storage durability tests. It drives the
 * primary master disk directly (ATA PIO, LBA28, polled, nIEN set) and writes numbered
 * sectors pass after pass: sectors 1..N-1 (sector 0 is left alone) in batches of BATCH
 * sectors with one WRITE SECTORS command each, then FLUSH CACHE. After every flush that
 * succeeded it prints on COM1
 *
 *     flushed PASS LBA
 *
 * meaning every sector up to LBA holds pass PASS and is durable; the test that kills the
 * emulator reads these lines to know what must have survived. Sector LBA of pass P holds
 * "JVMXDW01", LBA (LE32), P (LE32), then bytes (LBA * 31 + P * 7 + i) mod 256 for i = 16..511.
 *
 * It runs until killed, or (cmdline "once") for one pass, then writes 0x10 to isa-debug-exit.
 * An ATA error prints "error CMD status=SS error=EE lba=LBA pass=P" and writes 0x12.
 */
#include <stdint.h>
#include "io.h"
#include "uart.h"

#define ATA_DATA     0x1F0
#define ATA_ERROR    0x1F1
#define ATA_COUNT    0x1F2
#define ATA_LBA0     0x1F3
#define ATA_LBA1     0x1F4
#define ATA_LBA2     0x1F5
#define ATA_DEVICE   0x1F6
#define ATA_STATUS   0x1F7
#define ATA_CONTROL  0x3F6

#define ST_BSY 0x80
#define ST_DRQ 0x08
#define ST_ERR 0x01

#define CMD_WRITE_SECTORS 0x30
#define CMD_FLUSH_CACHE   0xE7
#define CMD_IDENTIFY      0xEC

#define BATCH 8

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MBI_FLAG_CMDLINE 0x4u

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower;
    uint32_t mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
};

static uint16_t sector[256];

static void put_dec(uint32_t v)
{
    char buf[11];
    int n = 10;
    buf[n] = '\0';
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    uart_puts(&buf[n]);
}

static void put_hex8(uint8_t v)
{
    static const char digits[] = "0123456789abcdef";
    uart_putc(digits[v >> 4]);
    uart_putc(digits[v & 15]);
}

static void debug_exit(uint8_t v)
{
    outb(DEBUG_EXIT_PORT, v);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Waits for BSY clear (bounded) and returns the status. */
static uint8_t wait_not_busy(void)
{
    uint8_t st = inb(ATA_STATUS);
    for (uint32_t i = 0; i < 10000000u && (st & ST_BSY); i++)
        st = inb(ATA_STATUS);
    return st;
}

static void fail(const char *cmd, uint8_t status, uint32_t lba, uint32_t pass)
{
    uart_puts("error ");
    uart_puts(cmd);
    uart_puts(" status=");
    put_hex8(status);
    uart_puts(" error=");
    put_hex8(inb(ATA_ERROR));
    uart_puts(" lba=");
    put_dec((uint32_t)inb(ATA_LBA0) | (uint32_t)inb(ATA_LBA1) << 8 | (uint32_t)inb(ATA_LBA2) << 16
            | (uint32_t)(inb(ATA_DEVICE) & 0x0F) << 24);
    uart_puts(" pass=");
    put_dec(pass);
    uart_puts(" at=");
    put_dec(lba);
    uart_puts("\n");
    debug_exit(0x12);
}

static void command(uint8_t cmd, uint32_t lba, uint8_t count)
{
    outb(ATA_COUNT, count);
    outb(ATA_LBA0, (uint8_t)lba);
    outb(ATA_LBA1, (uint8_t)(lba >> 8));
    outb(ATA_LBA2, (uint8_t)(lba >> 16));
    outb(ATA_DEVICE, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
    outb(ATA_STATUS, cmd);
}

static void fill(uint32_t lba, uint32_t pass)
{
    uint8_t *b = (uint8_t *)sector;
    const char magic[8] = {'J', 'V', 'M', 'X', 'D', 'W', '0', '1'};
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)magic[i];
    for (int i = 0; i < 4; i++) {
        b[8 + i] = (uint8_t)(lba >> (8 * i));
        b[12 + i] = (uint8_t)(pass >> (8 * i));
    }
    for (int i = 16; i < 512; i++)
        b[i] = (uint8_t)(lba * 31 + pass * 7 + (uint32_t)i);
}

static uint32_t identify_sectors(void)
{
    outb(ATA_DEVICE, 0xE0);
    outb(ATA_STATUS, CMD_IDENTIFY);
    uint8_t st = wait_not_busy();
    if ((st & ST_ERR) || !(st & ST_DRQ))
        fail("identify", st, 0, 0);
    for (int i = 0; i < 256; i++)
        sector[i] = inw(ATA_DATA);
    return (uint32_t)sector[60] | (uint32_t)sector[61] << 16;
}

static int has_word(const char *s, const char *w)
{
    for (; s && *s; s++) {
        const char *a = s, *b = w;
        while (*b && *a == *b) {
            a++;
            b++;
        }
        if (!*b)
            return 1;
    }
    return 0;
}

void kmain(uint32_t magic, const struct multiboot_info *mbi)
{
    uart_init();
    int once = magic == MULTIBOOT_LOADER_MAGIC && (mbi->flags & MBI_FLAG_CMDLINE)
            && has_word((const char *)mbi->cmdline, "once");
    outb(ATA_CONTROL, 0x02); /* nIEN: polled */
    uint32_t n = identify_sectors();
    uart_puts("diskwriter: ");
    put_dec(n);
    uart_puts(" sectors\n");
    for (uint32_t pass = 1;; pass++) {
        for (uint32_t lba = 1; lba < n; lba += BATCH) {
            uint32_t count = n - lba < BATCH ? n - lba : BATCH;
            command(CMD_WRITE_SECTORS, lba, (uint8_t)count);
            for (uint32_t s = 0; s < count; s++) {
                uint8_t st = wait_not_busy();
                if ((st & ST_ERR) || !(st & ST_DRQ))
                    fail("write", st, lba + s, pass);
                fill(lba + s, pass);
                outsw(ATA_DATA, sector, 256);
            }
            uint8_t st = wait_not_busy();
            if (st & ST_ERR)
                fail("write", st, lba + count - 1, pass);
            outb(ATA_DEVICE, 0xE0);
            outb(ATA_STATUS, CMD_FLUSH_CACHE);
            st = wait_not_busy();
            if (st & ST_ERR)
                fail("flush", st, lba + count - 1, pass);
            uart_puts("flushed ");
            put_dec(pass);
            uart_puts(" ");
            put_dec(lba + count - 1);
            uart_puts("\n");
        }
        if (once) {
            uart_puts("done\n");
            debug_exit(0x10);
        }
    }
}
