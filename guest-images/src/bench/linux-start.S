/* i386 Linux entry: the kernel gives us a stack; align it and run the suite. */
    .text
    .globl _start
_start:
    xorl    %ebp, %ebp
    andl    $-16, %esp
    call    bench_main
1:  hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits
