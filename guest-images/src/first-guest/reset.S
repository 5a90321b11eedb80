/*
 * first-guest.rom: 64 KiB BIOS-style ROM, mapped at 0xFFFF0000 (and its
 * alias 0xF0000). The CPU starts at F000:FFF0 (linear 0xFFFFFFF0) in real
 * mode; we load a flat GDT, set CR0.PE, far-jump into 32-bit code, set up
 * segments and a stack at 0x90000, copy .data to RAM, zero .bss, bring up
 * the UART, print the banner and run the C workload (rom_main).
 *
 * Nothing here writes to the ROM: the GDT descriptors have their accessed
 * bits preset so the CPU has no reason to write them back.
 */
    .set STACK_TOP, 0x90000
    .set SEL_CODE, 0x08
    .set SEL_DATA, 0x10

/* ---- real mode, CS base 0xFFFF0000 ------------------------------------ */
    .section .text16, "ax"
    .code16
    .globl start16
start16:
    cli
    cld
    lgdtl   %cs:gdt_desc_off           /* 32-bit operand: full 32-bit base */
    movl    %cr0, %eax
    orl     $1, %eax                   /* CR0.PE */
    movl    %eax, %cr0
    ljmpl   $SEL_CODE, $start32

    .p2align 3
gdt:
    .quad   0x0000000000000000         /* null                               */
    .quad   0x00CF9B000000FFFF         /* 0x08: code, base 0, 4 GiB, 32-bit  */
    .quad   0x00CF93000000FFFF         /* 0x10: data, base 0, 4 GiB, 32-bit  */
gdt_end:
    .globl gdt_desc
gdt_desc:
    .word   gdt_end - gdt - 1
    .long   gdt

/* ---- protected mode ---------------------------------------------------- */
    .text
    .code32
start32:
    movw    $SEL_DATA, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movw    %ax, %fs
    movw    %ax, %gs
    movl    $STACK_TOP, %esp

    movl    $__data_lma, %esi          /* copy .data from ROM to RAM */
    movl    $__data_start, %edi
    movl    $__data_end, %ecx
    subl    %edi, %ecx
    rep movsb
    movl    $__bss_start, %edi         /* zero .bss */
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    rep stosb

    call    uart_init
    pushl   $banner
    call    uart_puts
    addl    $4, %esp
    call    rom_main
    .globl halt
halt:
    cli
    hlt
    jmp     halt

    .section .rodata
banner:
    .asciz  "jvmx first guest: real mode -> protected mode OK\r\n"

/* ---- reset vector at 0xFFFFFFF0 (F000:FFF0) ---------------------------- */
    .section .reset, "ax"
    .code16
    .globl reset_vector
reset_vector:
    jmp     start16                    /* near: CS base stays 0xFFFF0000 */
    .org    16, 0xF4

    .section .note.GNU-stack, "", @progbits
