/*
 * Multiboot v1 header and entry, shared by hello.elf and crc-mb.elf.
 * The loader enters _start in flat 32-bit protected mode with
 * EAX = 0x2BADB002 and EBX = physical address of the multiboot info.
 * We set up our own stack, zero .bss and call kmain(magic, info).
 */
    .set MB_MAGIC, 0x1BADB002
    .set MB_FLAGS, 0x00000002          /* bit 1: want mem_lower/mem_upper */

    .section .multiboot, "a"
    .p2align 2
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    cli
    cld
    movl    %eax, %esi                 /* keep magic and info across the clear */
    movl    %ebx, %edx
    movl    $__bss_start, %edi
    movl    $__bss_end, %ecx
    subl    %edi, %ecx
    xorl    %eax, %eax
    rep stosb
    movl    $stack_top, %esp
    pushl   %edx
    pushl   %esi
    call    kmain
halt:
    cli
    hlt
    jmp     halt

    .bss
    .p2align 4
stack:
    .space  16384
stack_top:

    .section .note.GNU-stack, "", @progbits
