/*
 * cdboot.bin: an El Torito "no emulation" boot image (2048 bytes, loaded by the BIOS at
 * 0000:7C00 with DL = the CD-ROM's drive number) for testing CD-ROM boot.
 *
 * It checks the INT 13h extensions (AH=41h), prints the drive's sector size (AH=48h),
 * reads the ISO 9660 primary volume descriptor (LBA 16) with AH=42h and prints its volume
 * identifier, finds HELLO.TXT;1 in the root directory, reads the whole file with one
 * AH=42h call, prints its first line and the 32-bit sum of its bytes, then ends the run
 * through isa-debug-exit (writes 0x10 to port 0xF4; QEMU exits with status 33). Any
 * failure prints a line and writes 0x11.
 *
 * Every character goes to the screen through INT 10h AH=0Eh and to COM1 (115200 8N1).
 */
        .code16
        .section .text
        .globl  _start

        .set    COM1, 0x3F8
        .set    DAP, 0x0500             /* INT 13h disk address packet */
        .set    PARAMS, 0x0520          /* INT 13h AH=48h result buffer */
        .set    SECTOR, 0x0800          /* one CD sector: 0000:0800-0FFF */
        .set    FILE_SEG, 0x1000        /* the file: 1000:0000, at most 32 KiB */
        .set    FILE_MAX_SECTORS, 16

_start:
        cli
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    $0x7C00, %sp
        ljmp    $0, $1f
1:      sti
        cld
        movb    %dl, boot_drive

        call    serial_init
        movw    $msg_start, %si
        call    puts
        movb    boot_drive, %al
        call    puthex8
        call    crlf

        /* INT 13h AH=41h: are the extensions there? BX=AA55h, AH=version, CX=support bits. */
        movb    $0x41, %ah
        movw    $0x55AA, %bx
        movb    boot_drive, %dl
        int     $0x13
        jc      no_ext
        cmpw    $0xAA55, %bx
        jne     no_ext
        pushw   %cx
        pushw   %ax
        movw    $msg_ext, %si
        call    puts
        popw    %ax
        movb    %ah, %al
        call    puthex8
        movw    $msg_support, %si
        call    puts
        popw    %ax
        call    puthex16
        call    crlf

        /* INT 13h AH=48h: drive parameters; bytes per sector at offset 24. */
        movw    $0x1A, PARAMS
        movb    $0x48, %ah
        movb    boot_drive, %dl
        movw    $PARAMS, %si
        int     $0x13
        jc      no_params
        movw    $msg_bps, %si
        call    puts
        movw    PARAMS+24, %ax
        call    puthex16
        call    crlf

        /* The primary volume descriptor: type 1, "CD001", volume identifier at 40 (32 bytes). */
        movl    $16, %eax
        movw    $1, %cx
        xorw    %dx, %dx
        movw    $SECTOR, %bx
        call    read_sectors
        cmpb    $1, SECTOR
        jne     bad_pvd
        cmpl    $0x30304443, SECTOR+1   /* "CD00" */
        jne     bad_pvd
        cmpb    $'1', SECTOR+5
        jne     bad_pvd
        movw    $msg_volume, %si
        call    puts
        movw    $SECTOR+40, %si
        movw    $32, %cx
2:      lodsb
        call    putc
        loop    2b
        movb    $'|', %al
        call    putc
        call    crlf

        /* The root directory record is at 156: extent LBA at +2, data length at +10 (both-endian). */
        movl    SECTOR+156+2, %eax
        movw    $1, %cx                 /* a small disc's root directory fits in one sector */
        xorw    %dx, %dx
        movw    $SECTOR, %bx
        call    read_sectors
        movw    $SECTOR, %bx
3:      movzbw  (%bx), %ax              /* record length; 0 ends the records */
        testw   %ax, %ax
        jz      no_file
        cmpb    $11, 32(%bx)            /* file identifier length */
        jne     4f
        leaw    33(%bx), %si
        movw    $name, %di
        movw    $11, %cx
        repe cmpsb
        je      found
4:      addw    %ax, %bx
        cmpw    $SECTOR+2048, %bx
        jb      3b
        jmp     no_file

found:  movl    2(%bx), %eax            /* extent */
        movl    10(%bx), %ecx           /* size in bytes */
        movl    %ecx, file_size
        addl    $2047, %ecx
        shrl    $11, %ecx
        cmpl    $FILE_MAX_SECTORS, %ecx
        jbe     5f
        movw    $FILE_MAX_SECTORS, %cx
        movl    $FILE_MAX_SECTORS*2048, file_size
5:      movw    $FILE_SEG, %dx
        xorw    %bx, %bx
        call    read_sectors

        /* Its first line, then the sum of its bytes. */
        movw    $msg_line, %si
        call    puts
        pushw   %ds
        movw    $FILE_SEG, %ax
        movw    %ax, %ds
        xorw    %si, %si
        movw    $80, %cx
6:      lodsb
        cmpb    $'\n', %al
        je      7f
        call    putc
        loop    6b
7:      popw    %ds
        call    crlf

        movw    $msg_sum, %si
        call    puts
        pushw   %ds
        movw    $FILE_SEG, %ax
        movw    %ax, %ds
        xorl    %edx, %edx
        xorw    %si, %si
        movl    %cs:file_size, %ecx
8:      jecxz   9f
        lodsb
        movzbl  %al, %eax
        addl    %eax, %edx
        decl    %ecx
        jmp     8b
9:      popw    %ds
        movl    %edx, %eax
        call    puthex32
        call    crlf

        movw    $msg_done, %si
        call    puts
        movb    $0x10, %al
        jmp     debug_exit

no_ext: movw    $msg_no_ext, %si
        jmp     fail
no_params:
        movw    $msg_no_params, %si
        jmp     fail
bad_pvd:
        movw    $msg_bad_pvd, %si
        jmp     fail
no_file:
        movw    $msg_no_file, %si
fail:   call    puts
        movb    $0x11, %al
        jmp     debug_exit

/* Reads CX sectors from LBA EAX to DX:BX with INT 13h AH=42h; stops the run on a failure. */
read_sectors:
        movb    $0x10, DAP
        movb    $0, DAP+1
        movw    %cx, DAP+2
        movw    %bx, DAP+4
        movw    %dx, DAP+6
        movl    %eax, DAP+8
        movl    $0, DAP+12
        movb    $0x42, %ah
        movb    boot_drive, %dl
        movw    $DAP, %si
        int     $0x13
        jc      10f
        ret
10:     movb    %ah, %bl
        movw    $msg_readerr, %si
        call    puts
        movb    %bl, %al
        call    puthex8
        call    crlf
        movb    $0x11, %al
        jmp     debug_exit

/* Writes AL to port 0xF4 (isa-debug-exit); halts if nothing is there. */
debug_exit:
        outb    %al, $0xF4
        cli
11:     hlt
        jmp     11b

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

crlf:   movw    $msg_crlf, %si
/* Prints the NUL-terminated string at DS:SI. */
puts:   lodsb
        testb   %al, %al
        jz      12f
        call    putc
        jmp     puts
12:     ret

/* Prints AL on the screen (INT 10h teletype) and on COM1. Preserves all registers. */
putc:   pusha
        movb    %al, %cl
        movb    $0x0E, %ah
        movw    $0x0007, %bx
        int     $0x10
        movw    $COM1+5, %dx            /* wait for THRE, at most 65536 polls */
        xorw    %si, %si
13:     inb     %dx, %al
        testb   $0x20, %al
        jnz     14f
        decw    %si
        jnz     13b
14:     movw    $COM1, %dx
        movb    %cl, %al
        outb    %al, %dx
        popa
        ret

/* Hex printers: EAX (8 digits), AX (4 digits), AL (2 digits). */
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
        jbe     15f
        addb    $('a' - '0' - 10), %al
15:     call    putc
        popw    %ax
        ret

boot_drive:     .byte 0
file_size:      .long 0
name:           .ascii "HELLO.TXT;1"
msg_start:      .asciz "cdboot: El Torito no-emulation image running, boot drive "
msg_ext:        .asciz "cdboot: INT 13h extensions version "
msg_support:    .asciz ", support bits "
msg_bps:        .asciz "cdboot: bytes per sector "
msg_volume:     .asciz "cdboot: volume |"
msg_line:       .asciz "cdboot: HELLO.TXT: "
msg_sum:        .asciz "cdboot: byte sum "
msg_done:       .asciz "cdboot: done, exiting through isa-debug-exit\r\n"
msg_crlf:       .asciz "\r\n"
msg_no_ext:     .asciz "cdboot: no INT 13h extensions\r\n"
msg_no_params:  .asciz "cdboot: INT 13h AH=48h failed\r\n"
msg_bad_pvd:    .asciz "cdboot: no ISO 9660 primary volume descriptor at LBA 16\r\n"
msg_no_file:    .asciz "cdboot: HELLO.TXT not in the root directory\r\n"
msg_readerr:    .asciz "cdboot: INT 13h AH=42h failed, AH="

        .org    2048 - 1
        .byte   0
