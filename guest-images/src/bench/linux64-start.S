/* x86-64 Linux entry: the kernel gives us a 16-byte aligned stack; run the suite. */
    .text
    .globl _start
_start:
    xorl    %ebp, %ebp
    andq    $-16, %rsp
    call    bench_main
1:  hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits
