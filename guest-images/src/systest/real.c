/*
 * systest-real.elf: real-mode details (SDM Vol. 3A 9.9 and 21.1; the PC's A20 gate).
 *  - A20 through port 0x92 (bit 1) and through the 8042 (command 0xD1 + output-port bit 1,
 *    commands 0xDD/0xDF, read back with 0xD0): when off, physical address bit 20 is
 *    forced to 0, so a write at 0x190000 shows at 0x090000; when on it does not.
 *  - 16-bit code in protected mode: a code segment with D = 0 runs with 16-bit operand
 *    (and address) defaults; 0x66 selects 32 bits; a far JMP past its limit is #GP(0).
 *  - Back to real mode (SDM 9.9.2) and unreal mode: FS/GS keep the 4 GiB limit cached in
 *    protected mode through the switch and through real-mode reloads (which change only
 *    selector and base), so 32-bit offsets above 1 MiB work; DS, loaded with a 64 KiB
 *    descriptor before the switch, faults (#GP through the real-mode IVT) on a 32-bit
 *    offset past 0xFFFF. INT n through an IVT moved by LIDT; A20 seen as FFFF:xxxx wrap.
 * The low-memory code is copied to 0x8000 (it must run below 1 MiB: with A20 off the
 * kernel at 1 MiB is not addressable). Results go to 0x6800.
 */
#include "lib.h"
#include "io.h"

#define LOW     0x8000u
#define RES     0x6800u
#define IVT     0x6000u
#define R32(o)  (*(volatile uint32_t *)(RES + (o)))
#define SEL_CODE16 0x38
#define SEL_DATA16 0x40

extern char rb_blob[], rb_blob_end[], a20_probe[], go_real[], code16_pm[], rm_gp[], rm_int41[], rm_other[], rm_after_gp[];
void t_jmp16_past_limit(void), t_jmp16_at_limit(void);

__asm__(
    ".text\n"
    ".code32\n"
    "rb_blob:\n"
    /* void a20_probe(uint32_t op1, uint32_t op2): ops are (kind << 8) | value,
     * kind 0 = port 0x92 bit 1 := value, 1 = 8042 command 0xD1 with data value,
     * 2 = 8042 command value. Then write 0x090000 and 0x190000, read 0x090000 back. */
    "a20_probe:\n"
    "    push %ebx\n"
    "    push %esi\n"
    "    push %edi\n"
    "    push %ebp\n"
    "    mov 20(%esp), %esi\n"
    "    mov 24(%esp), %edi\n"
    "    mov %esp, %ebp\n"
    "    mov $0x7ff0, %esp\n"
    "    mov %esi, %eax\n"
    "    call a20_op\n"
    "    mov %edi, %eax\n"
    "    call a20_op\n"
    "    movl $0x11111111, 0x090000\n"
    "    movl $0x22222222, 0x190000\n"
    "    mov 0x090000, %eax\n"
    "    mov %eax, 0x6800\n"
    "    in $0x92, %al\n"
    "    movzbl %al, %eax\n"
    "    mov %eax, 0x6808\n"
    "1:  in $0x64, %al\n"                  /* drain the output buffer, then read the output port */
    "    test $1, %al\n"
    "    jz 2f\n"
    "    in $0x60, %al\n"
    "    jmp 1b\n"
    "2:  call kbc_wait\n"
    "    mov $0xd0, %al\n"
    "    out %al, $0x64\n"
    "3:  in $0x64, %al\n"
    "    test $1, %al\n"
    "    jz 3b\n"
    "    in $0x60, %al\n"
    "    movzbl %al, %eax\n"
    "    mov %eax, 0x680c\n"
    "    in $0x92, %al\n"                  /* A20 on again before returning to 1 MiB */
    "    or $2, %al\n"
    "    and $0xfe, %al\n"
    "    out %al, $0x92\n"
    "    mov %ebp, %esp\n"
    "    pop %ebp\n"
    "    pop %edi\n"
    "    pop %esi\n"
    "    pop %ebx\n"
    "    ret\n"
    "a20_op:\n"
    "    mov %eax, %ecx\n"
    "    shr $8, %ecx\n"
    "    cmp $1, %ecx\n"
    "    je 5f\n"
    "    ja 6f\n"
    "    mov %eax, %edx\n"                 /* port 0x92: never set bit 0 (fast reset) */
    "    in $0x92, %al\n"
    "    and $0xfc, %al\n"
    "    test $1, %dl\n"
    "    jz 4f\n"
    "    or $2, %al\n"
    "4:  out %al, $0x92\n"
    "    ret\n"
    "5:  mov %eax, %edx\n"
    "    call kbc_wait\n"
    "    mov $0xd1, %al\n"
    "    out %al, $0x64\n"
    "    call kbc_wait\n"
    "    mov %dl, %al\n"
    "    out %al, $0x60\n"
    "    call kbc_wait\n"
    "    ret\n"
    "6:  mov %eax, %edx\n"
    "    call kbc_wait\n"
    "    mov %dl, %al\n"
    "    out %al, $0x64\n"
    "    call kbc_wait\n"
    "    ret\n"
    "kbc_wait:\n"
    "    in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz kbc_wait\n"
    "    ret\n"

    /* void code16_pm(void): a D = 0 code segment in protected mode. */
    "code16_pm:\n"
    "    pushal\n"
    "    mov %esp, 0x6ff0\n"
    "    ljmp $0x38, $(0x8000 + c16 - rb_blob)\n"
    ".code16\n"
    "c16:\n"
    "    mov %esp, %esi\n"
    "    push $0x1234\n"                   /* 16-bit default: 2 bytes */
    "    mov %esp, %edi\n"
    "    pop %ax\n"
    "    sub %edi, %esi\n"
    "    mov %esi, 0x6820\n"
    "    xor %eax, %eax\n"                 /* 66 31 C0 */
    "    dec %ax\n"                        /* 48: AX only */
    "    mov %eax, 0x6824\n"
    "    mov %esp, %edx\n"
    "    call c16_sub\n"                   /* pushes a 2-byte IP */
    "    sub %ecx, %edx\n"
    "    mov %edx, 0x6828\n"
    "    movl $0x12345678, %ebx\n"         /* 66 BB id */
    "    mov %ebx, 0x682c\n"
    "    ljmpl $0x08, $(0x8000 + c16_back - rb_blob)\n"
    "c16_sub:\n"
    "    mov %esp, %ecx\n"
    "    ret\n"
    ".code32\n"
    "c16_back:\n"
    "    mov 0x6ff0, %esp\n"
    "    popal\n"
    "    ret\n"

    /* void go_real(void): protected -> real (SDM 9.9.2), tests, real -> protected. */
    "go_real:\n"
    "    pushal\n"
    "    mov %esp, 0x6ff0\n"
    "    sidt 0x6fe0\n"
    "    mov $0x7ff0, %esp\n"
    "    mov $0x40, %ax\n"                 /* 64 KiB data segments for DS, ES, SS */
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %ss\n"
    "    mov $0x10, %ax\n"                 /* 4 GiB for FS and GS: unreal mode */
    "    mov %ax, %fs\n"
    "    mov %ax, %gs\n"
    "    ljmp $0x38, $(0x8000 + rm16 - rb_blob)\n"
    ".code16\n"
    "rm16:\n"
    "    lidt (0x8000 + rm_idt - rb_blob)\n"
    "    mov %cr0, %eax\n"
    "    and $0xfffffffe, %eax\n"
    "    mov %eax, %cr0\n"
    "    ljmp $0x0000, $(0x8000 + rm - rb_blob)\n"
    "rm:\n"
    "    xor %ax, %ax\n"
    "    mov %ax, %ss\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %fs\n"                   /* FS: base 0, the 4 GiB limit stays */
    "    mov $0x1000, %ax\n"
    "    mov %ax, %gs\n"                   /* GS: base 0x10000, the 4 GiB limit stays */
    "    mov $0x7ff0, %esp\n"
    "    mov %cr0, %eax\n"
    "    mov %eax, 0x6840\n"
    "    mov $0x200000, %ebx\n"
    "    movl $0x5a5a1234, %fs:(%ebx)\n"
    "    movl %fs:(%ebx), %eax\n"
    "    mov %eax, 0x6844\n"
    "    mov $0x1f0004, %ecx\n"
    "    movl $0x7e57ab1e, %gs:(%ecx)\n"  /* linear 0x10000 + 0x1f0004 = 0x200004 */
    "    movl %gs:(%ecx), %eax\n"
    "    mov %eax, 0x6848\n"
    "    movl %ds:(%ebx), %eax\n"          /* DS limit 0xFFFF: #GP, IVT[13] */
    "rm_after_gp:\n"
    "    int $0x41\n"
    "    mov %si, 0x6850\n"
    "    mov %di, 0x685c\n"
    /* A20 off (8042 and port 0x92): FFFF:7810 is linear 0x107800, physical 0x007800. */
    "    call rm_kbc_wait\n"
    "    mov $0xdd, %al\n"
    "    out %al, $0x64\n"
    "    call rm_kbc_wait\n"
    "    in $0x92, %al\n"
    "    and $0xfc, %al\n"
    "    out %al, $0x92\n"
    "    movl $0, 0x7800\n"
    "    mov $0xffff, %ax\n"
    "    mov %ax, %es\n"
    "    movl $0xa5c3e1f0, %es:0x7810\n"
    "    mov 0x7800, %eax\n"
    "    mov %eax, 0x6854\n"
    "    mov $0xdf, %al\n"                 /* A20 on again, both ways */
    "    out %al, $0x64\n"
    "    call rm_kbc_wait\n"
    "    in $0x92, %al\n"
    "    or $2, %al\n"
    "    and $0xfe, %al\n"
    "    out %al, $0x92\n"
    /* Segment arithmetic: 0680:0008 and 0000:6808 are the same byte. */
    "    mov $0x0680, %ax\n"
    "    mov %ax, %es\n"
    "    movl $0x51e6a417, %es:0x0058\n"
    "    mov 0x6858, %eax\n"
    "    mov %eax, 0x6860\n"
    /* Back to protected mode. */
    "    mov %cr0, %eax\n"
    "    or $1, %eax\n"
    "    mov %eax, %cr0\n"
    "    ljmpl $0x08, $(0x8000 + pm_back - rb_blob)\n"
    "rm_kbc_wait:\n"
    "    in $0x64, %al\n"
    "    test $2, %al\n"
    "    jnz rm_kbc_wait\n"
    "    ret\n"
    /* Real-mode handlers (IVT at 0x6000). */
    "rm_gp:\n"
    "    push %bp\n"
    "    mov %sp, %bp\n"
    "    movw $(0x8000 + rm_after_gp - rb_blob), 2(%bp)\n"
    "    movl $0x0d0d, 0x684c\n"
    "    pop %bp\n"
    "    iret\n"
    "rm_int41:\n"
    "    mov $0x4141, %si\n"
    "    mov %sp, %bp\n"
    "    mov (%bp), %di\n"                 /* the IP that INT pushed */
    "    iret\n"
    "rm_other:\n"
    "    movl $0xbad, 0x6864\n"
    "    iret\n"
    "rm_idt:\n"
    "    .word 0x3ff\n"
    "    .long 0x6000\n"
    ".code32\n"
    "pm_back:\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %ss\n"
    "    mov %ax, %fs\n"
    "    mov %ax, %gs\n"
    "    mov 0x6ff0, %esp\n"
    "    lidt 0x6fe0\n"
    "    popal\n"
    "    ret\n"
    ".code16\n"
    "c16_at_limit: ljmpl $0x08, $t_jmp16_ret\n"
    ".code32\n"
    "rb_blob_end:\n"

    "t_jmp16_at_limit: ljmp $0x38, $(0x8000 + c16_at_limit - rb_blob)\n"
    "t_jmp16_past_limit: ljmp $0x38, $0x10000\n"
    "t_jmp16_ret: ret\n");

#define OP92(v)   (0x000u | (v))
#define OPD1(v)   (0x100u | (v))
#define OPCMD(c)  (0x200u | (c))
#define LOWFN(sym) ((uint32_t)(LOW + (uint32_t)((sym) - rb_blob)))

static void probe(uint32_t op1, uint32_t op2)
{
    void (*fn)(uint32_t, uint32_t) = (void (*)(uint32_t, uint32_t))LOWFN(a20_probe);
    R32(0) = R32(8) = R32(0xC) = 0;
    fn(op1, op2);
}

static void set_ivt(int v, char *handler)
{
    volatile uint16_t *e = (volatile uint16_t *)(IVT + 4 * v);
    e[0] = (uint16_t)LOWFN(handler);
    e[1] = 0;
}

void kmain(uint32_t magic, const void *mbi)
{
    (void)magic;
    (void)mbi;
    lib_init();
    puts("systest-real\r\n");
    outb(0x21, 0xFF);                      /* no PIC interrupts in real mode either */
    outb(0xA1, 0xFF);
    uint8_t *dst = (uint8_t *)LOW;
    for (char *p = rb_blob; p < rb_blob_end; p++)
        *dst++ = (uint8_t)*p;
    for (int i = 0; i < 0x80; i++)
        *(volatile uint8_t *)(RES + i) = 0;
    set_seg(7, 0, 0xFFFF, 0x9A, 0x0);      /* 0x38: 16-bit code, base 0, limit 64 KiB */
    set_seg(8, 0, 0xFFFF, 0x92, 0x0);      /* 0x40: 16-bit data, base 0, limit 64 KiB */

    /* ---- A20: port 0x92 with the 8042's gate off, the 8042 with port 0x92's off ---- */
    probe(OPCMD(0xDD), OP92(0));
    check("a20.port92_off_wraps", R32(0) == 0x22222222, "at 0x90000", R32(0), 0x22222222);
    check("a20.port92_reads_off", (R32(8) & 2) == 0, "port 0x92", R32(8), 0);
    probe(OPCMD(0xDD), OP92(1));
    check("a20.port92_on_no_wrap", R32(0) == 0x11111111, "at 0x90000", R32(0), 0x11111111);
    check("a20.port92_reads_on", (R32(8) & 2) == 2, "port 0x92", R32(8), 2);
    probe(OP92(0), OPD1(0xDF));
    check("a20.kbc_d1_on_no_wrap", R32(0) == 0x11111111, "at 0x90000", R32(0), 0x11111111);
    check("a20.kbc_d0_reads_on", (R32(0xC) & 2) == 2, "output port", R32(0xC), 2);
    probe(OP92(0), OPD1(0xDD));
    check("a20.kbc_d1_off_wraps", R32(0) == 0x22222222, "at 0x90000", R32(0), 0x22222222);
    check("a20.kbc_d0_reads_off", (R32(0xC) & 2) == 0, "output port", R32(0xC), 0);
    probe(OP92(0), OPCMD(0xDF));
    check("a20.kbc_cmd_df_on", R32(0) == 0x11111111, "at 0x90000", R32(0), 0x11111111);
    probe(OP92(0), OPCMD(0xDD));
    check("a20.kbc_cmd_dd_off", R32(0) == 0x22222222, "at 0x90000", R32(0), 0x22222222);
    probe(OPCMD(0xDF), OP92(1));
    check("a20.both_on", R32(0) == 0x11111111, "at 0x90000", R32(0), 0x11111111);

    /* ---- 16-bit code segment in protected mode ---- */
    ((void (*)(void))LOWFN(code16_pm))();
    check("code16.push_imm_2_bytes", R32(0x20) == 2, "esp delta", R32(0x20), 2);
    check("code16.dec_ax_16bit", R32(0x24) == 0xFFFF, "eax", R32(0x24), 0xFFFF);
    check("code16.call_pushes_2", R32(0x28) == 2, "esp delta", R32(0x28), 2);
    check("code16.prefix66_32bit", R32(0x2C) == 0x12345678, "ebx", R32(0x2C), 0x12345678);
    int v = try_call(t_jmp16_at_limit);
    check("code16.jmp_inside_limit", v == -1, "vector", (uint32_t)v, (uint32_t)-1);
    v = try_call(t_jmp16_past_limit);
    check("code16.jmp_past_limit_gp0", v == 13 && last_err == 0, "vector", (uint32_t)v, 13);

    /* ---- real mode and unreal mode ---- */
    for (int i = 0; i < 256; i++)
        set_ivt(i, rm_other);
    set_ivt(13, rm_gp);
    set_ivt(0x41, rm_int41);
    *(volatile uint32_t *)0x200000 = 0;
    *(volatile uint32_t *)0x200004 = 0;
    ((void (*)(void))LOWFN(go_real))();
    check("real.cr0_pe_clear", (R32(0x40) & 1) == 0, "cr0", R32(0x40), 0x10);
    check("real.unreal_fs_above_1mib", R32(0x44) == 0x5A5A1234 && *(volatile uint32_t *)0x200000 == 0x5A5A1234,
          "fs:[0x200000]", R32(0x44), 0x5A5A1234);
    check("real.unreal_gs_reload_keeps_limit", R32(0x48) == 0x7E57AB1E && *(volatile uint32_t *)0x200004 == 0x7E57AB1E,
          "gs:[0x1f0004]", R32(0x48), 0x7E57AB1E);
    /* QEMU TCG does not check real-mode segment limits: this one FAILs there. */
    check("real.ds_64k_limit_gp", R32(0x4C) == 0x0D0D, "flag", R32(0x4C), 0x0D0D);
    check("real.int_ivt_moved_by_lidt", R32(0x50 ) == 0x4141, "si", R32(0x50), 0x4141);
    check("real.int_pushed_ip", (R32(0x5C) & 0xFFFF) == LOWFN(rm_after_gp) + 2, "ip", R32(0x5C) & 0xFFFF,
          LOWFN(rm_after_gp) + 2);
    check("real.a20_off_ffff_wraps", R32(0x54) == 0xA5C3E1F0, "at 0x7800", R32(0x54), 0xA5C3E1F0);
    check("real.seg_arith_0680_0058", R32(0x60) == 0x51E6A417, "at 0x6858", R32(0x60), 0x51E6A417);
    check("real.no_stray_interrupt", R32(0x64) == 0, "flag", R32(0x64), 0);
    finish();
}
