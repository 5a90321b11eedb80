/*
 * bootdisk.img: a two-stage BIOS boot disk in 16-bit real mode.
 *
 * Stage 1 (the boot sector, loaded by the BIOS at 0000:7C00 with DL = boot drive)
 * prints a line, reads stage 2 (sectors 2..1+STAGE2_SECTORS) to 0000:7E00 with
 * INT 13h AH=02h and jumps to it. Stage 2 lists the memory map from INT 15h
 * EAX=E820h, one line per entry, and ends the run through isa-debug-exit
 * (writes 0x10 to port 0xF4; QEMU exits with status 0x21 = 33).
 *
 * Every character goes to the screen through INT 10h AH=0Eh and to COM1 (a
 * 16550 at 0x3F8, programmed here for 115200 8N1, transmitter polled).
 */
        .code16
        .section .text
        .globl  _start

        .set    COM1, 0x3F8
        .set    STAGE2_SECTORS, 2
        .set    E820_BUF, 0x0600        /* 24-byte entry buffer, below the stack */

_start:
        cli
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    $0x7C00, %sp
        ljmp    $0, $1f                 /* CS:IP = 0000:7Cxx whatever the BIOS used */
1:      sti
        cld
        movb    %dl, boot_drive

        call    serial_init
        movw    $msg_stage1, %si
        call    puts

        /* INT 13h AH=02h: read STAGE2_SECTORS from C/H/S 0/0/2 to ES:BX = 0000:7E00. */
        movw    $3, %bp                 /* tries */
2:      movw    $0x7E00, %bx
        movw    $(0x0200 | STAGE2_SECTORS), %ax
        movw    $0x0002, %cx            /* cylinder 0, sector 2 */
        xorb    %dh, %dh                /* head 0 */
        movb    boot_drive, %dl
        int     $0x13
        jnc     3f
        xorb    %ah, %ah                /* reset the drive and retry */
        movb    boot_drive, %dl
        int     $0x13
        decw    %bp
        jnz     2b
        movw    $msg_readerr, %si
        call    puts
        movb    $0x11, %al              /* failure: exit code 0x11 */
        jmp     debug_exit
3:      cmpw    $0x5332, stage2_magic   /* "2S": the second stage really is there */
        jne     4f
        jmp     stage2
4:      movw    $msg_badstage2, %si
        call    puts
        movb    $0x12, %al
        jmp     debug_exit

/* ---- shared helpers (in the boot sector, used by both stages) ---- */

/* Writes AL to port 0xF4 (isa-debug-exit); halts if nothing is there. */
debug_exit:
        outb    %al, $0xF4
        cli
5:      hlt
        jmp     5b

serial_init:
        movw    $COM1+1, %dx            /* IER: no interrupts */
        xorb    %al, %al
        outb    %al, %dx
        movw    $COM1+3, %dx            /* LCR: DLAB */
        movb    $0x80, %al
        outb    %al, %dx
        movw    $COM1+0, %dx            /* divisor 1 = 115200 baud */
        movb    $1, %al
        outb    %al, %dx
        movw    $COM1+1, %dx
        xorb    %al, %al
        outb    %al, %dx
        movw    $COM1+3, %dx            /* 8N1, DLAB off */
        movb    $0x03, %al
        outb    %al, %dx
        movw    $COM1+2, %dx            /* FIFOs on and cleared */
        movb    $0x07, %al
        outb    %al, %dx
        movw    $COM1+4, %dx            /* DTR | RTS */
        movb    $0x03, %al
        outb    %al, %dx
        ret

/* Prints the NUL-terminated string at DS:SI. */
puts:
        lodsb
        testb   %al, %al
        jz      6f
        call    putc
        jmp     puts
6:      ret

/* Prints AL on the screen (INT 10h teletype) and on COM1. Preserves all registers. */
putc:
        pusha
        movb    %al, %cl
        movb    $0x0E, %ah
        movw    $0x0007, %bx            /* page 0, light grey */
        int     $0x10
        movw    $COM1+5, %dx            /* wait for THRE, at most 65536 polls */
        xorw    %si, %si
7:      inb     %dx, %al
        testb   $0x20, %al
        jnz     8f
        decw    %si
        jnz     7b
8:      movw    $COM1, %dx
        movb    %cl, %al
        outb    %al, %dx
        popa
        ret

boot_drive:     .byte 0
msg_stage1:     .asciz "bootdisk: stage 1 running, loading stage 2 with INT 13h\r\n"
msg_readerr:    .asciz "bootdisk: INT 13h read failed\r\n"
msg_badstage2:  .asciz "bootdisk: stage 2 signature missing\r\n"

        .org    510
        .byte   0x55, 0xAA

/* ---- stage 2: sector 2 on, at 0000:7E00 ---- */
stage2_magic:   .ascii "2S"
stage2:
        movw    $msg_stage2, %si
        call    puts

        xorl    %ebx, %ebx              /* continuation value */
        xorw    %bp, %bp                /* entries seen */
9:      movl    $0xE820, %eax
        movl    $0x534D4150, %edx       /* 'SMAP' */
        movl    $24, %ecx
        movw    $E820_BUF, %di
        movl    $1, E820_BUF+20         /* ACPI 3.0 extended attributes: valid */
        int     $0x15
        jc      10f
        cmpl    $0x534D4150, %eax
        jne     10f
        incw    %bp
        call    print_entry
        testl   %ebx, %ebx
        jz      11f
        cmpw    $64, %bp
        jb      9b
        jmp     11f
10:     movw    $msg_e820err, %si       /* CF or no 'SMAP' before the last entry */
        call    puts
11:     movw    $msg_count, %si
        call    puts
        movw    %bp, %ax
        call    puthex16
        movw    $msg_crlf, %si
        call    puts
        movw    $msg_done, %si
        call    puts
        movb    $0x10, %al
        jmp     debug_exit

/* "e820: BBBBBBBBBBBBBBBB LLLLLLLLLLLLLLLL T\r\n" from the buffer at E820_BUF. */
print_entry:
        movw    $msg_entry, %si
        call    puts
        movl    E820_BUF+4, %eax
        call    puthex32
        movl    E820_BUF+0, %eax
        call    puthex32
        movb    $' ', %al
        call    putc
        movl    E820_BUF+12, %eax
        call    puthex32
        movl    E820_BUF+8, %eax
        call    puthex32
        movb    $' ', %al
        call    putc
        movl    E820_BUF+16, %eax
        call    puthex4
        movw    $msg_crlf, %si
        call    puts
        ret

/* Hex printers: EAX (8 digits), AX (4 digits), AL low nibble (1 digit). */
puthex32:
        rorl    $16, %eax
        call    puthex16
        rorl    $16, %eax
puthex16:
        rorw    $8, %ax
        call    puthex8
        rorw    $8, %ax
puthex8:
        rorb    $4, %al
        call    puthex4
        rorb    $4, %al
puthex4:
        pushw   %ax
        andb    $0x0F, %al
        addb    $'0', %al
        cmpb    $'9', %al
        jbe     12f
        addb    $('a' - '0' - 10), %al
12:     call    putc
        popw    %ax
        ret

msg_stage2:     .asciz "bootdisk: stage 2 loaded from disk, INT 15h E820 memory map:\r\n"
msg_entry:      .asciz "e820: "
msg_e820err:    .asciz "bootdisk: INT 15h E820 failed\r\n"
msg_count:      .asciz "e820 entries: "
msg_crlf:       .asciz "\r\n"
msg_done:       .asciz "bootdisk: done, exiting through isa-debug-exit\r\n"

        .org    512 * (1 + STAGE2_SECTORS) - 1
        .byte   0
