/* Exception stubs and the try/recover mechanism of the system tests. */
    .text
    .globl isr_stubs, try_call, try_user, last_vec, last_err, last_eip, last_cs, recover_esp

    .macro STUB n
    .p2align 4
stub_\n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
    .else
    pushl   $0
    .endif
    pushl   $\n
    jmp     isr_common
    .endm

    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    STUB \n
    .endr
    .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46
    STUB \n
    .endr
    .p2align 4
stub_128:
    pushl   $0
    pushl   $0x80
    jmp     isr_common

isr_common:
    pushl   %eax
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    popl    %eax
    popl    last_vec
    popl    last_err
    popl    last_eip
    popl    last_cs
    movw    $0x10, %ax
    movw    %ax, %ss
    movw    %ax, %fs
    movw    %ax, %gs
    cmpl    $0, recover_esp
    je      1f
    movl    recover_esp, %esp
    movl    last_vec, %eax
    jmp     try_return
1:  movl    $emergency_top, %esp
    call    unexpected_exception
2:  hlt
    jmp     2b

/* int try_call(void (*fn)(void)) */
try_call:
    pushl   %ebp
    pushl   %ebx
    pushl   %esi
    pushl   %edi
    pushfl
    movl    %esp, recover_esp
    movl    $-1, last_vec
    call    *24(%esp)
    movl    $-1, %eax
try_return:
    movl    $0, recover_esp
    popfl
    popl    %edi
    popl    %esi
    popl    %ebx
    popl    %ebp
    ret

/* int try_user(void (*fn)(void)): IRET to fn at CPL 3 on a user stack. */
try_user:
    pushl   %ebp
    pushl   %ebx
    pushl   %esi
    pushl   %edi
    pushfl
    movl    %esp, recover_esp
    movl    $-1, last_vec
    movl    24(%esp), %eax
    pushl   $0x23                   /* SS */
    pushl   $user_stack_top         /* ESP */
    pushl   $0x002                  /* EFLAGS: IF=0, IOPL=0 */
    pushl   $0x1B                   /* CS */
    pushl   %eax                    /* EIP */
    movw    $0x23, %ax
    movw    %ax, %ds
    movw    %ax, %es
    iretl

    .data
    .p2align 4
isr_stubs:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .long stub_\n
    .endr
    .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46
    .long stub_\n
    .endr
    .long stub_128
last_vec:    .long 0
last_err:    .long 0
last_eip:    .long 0
last_cs:     .long 0
recover_esp: .long 0

    .bss
    .p2align 4
    .space 4096
emergency_top:
    .space 8192
    .globl user_stack_top
user_stack_top:

    .section .note.GNU-stack, "", @progbits
