# The gdb stub's test guest: a Multiboot (v1) kernel, linked at 1 MiB by GdbGuest.
# It loads known values into the registers (checked at `known`), turns paging on with
# 4 MiB pages (linear 0-4 MiB and 0x40000000-0x403FFFFF both map physical 0-4 MiB), then runs
# a hot loop that stores its count in `counter` and sums it in `total` until the count reaches
# `limit` (a debugger lowers it to end the run), and leaves through isa-debug-exit with 0x10
# (exit code 33).
        .intel_syntax noprefix
        .text
        .p2align 2                      # the Multiboot header: magic, flags 0, checksum
        .long 0x1BADB002, 0, -0x1BADB002
        .globl _start, known, after_add, hot, store, inner, check, next, done
_start: mov esp, offset stack_top
        mov eax, 0x11111111
        mov ecx, 0x33333333
        mov edx, 0x44444444
        mov ebx, 0x22222222
        mov ebp, 0x77777777
        mov esi, 0x55555555
        mov edi, 0x66666666
known:  add eax, ecx                    # EAX becomes 0x44444444, flags PF (0x44 has two bits set)
after_add:
        mov dword ptr [page_dir], 0x83  # PDE 0: 4 MiB page at 0, present, writable
        mov dword ptr [page_dir + 0x100 * 4], 0x83   # PDE 0x100: linear 0x40000000 -> physical 0
        mov eax, cr4
        or eax, 0x10                    # CR4.PSE
        mov cr4, eax
        mov eax, offset page_dir
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000              # CR0.PG
        mov cr0, eax
        xor ecx, ecx
hot:    inc ecx
store:  mov [counter], ecx
inner:  add [total], ecx
check:  cmp [limit], ecx
next:   ja hot
done:   mov al, 0x10
        out 0xf4, al
        cli
        hlt

        .data
        .p2align 12                     # not on the code's page: stores there would be self-modifying-code checks
        .globl counter, total, limit
counter: .long 0
total:  .long 0
limit:  .long 0x7fffffff

        .bss
        .p2align 12
page_dir: .skip 4096
        .skip 4096
stack_top:
