/*
 * systest-prot.elf: segmentation and protection, call gates, interrupts and
 * exceptions (error codes, #DF), task switching (JMP/CALL/IRET, busy bit, NT and
 * back-link, a #DF task gate). Expected values from SDM Vol. 3A chapters 5-7.
 */
#include "lib.h"

/* ---- test bodies (top-level asm: exact instructions, no compiler surprises) ---- */
void t_es_limit_ok(void), t_es_limit_over(void), t_expdown_low(void), t_expdown_ok(void);
void t_null_es(void), t_ss_over(void), t_bad_ds_sel(void), t_np_ds(void), t_ss_readonly(void);
void t_ro_write(void), t_user_cli(void), t_user_int_dpl0(void), t_user_callgate(void);
void t_ud2(void), t_int3(void), t_de(void), gate_target(void);
extern uint32_t gate_cpl, gate_p1, gate_p2, gate_ret_ok;
__asm__(
    ".text\n"
    "t_es_limit_ok:  mov $0x40,%ax; mov %ax,%es; movl %es:0xffc,%eax; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_es_limit_over: mov $0x40,%ax; mov %ax,%es; movl %es:0xffd,%eax; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_expdown_low:  mov $0x48,%ax; mov %ax,%es; movb %es:0xfff,%al; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_expdown_ok:   mov $0x48,%ax; mov %ax,%es; movl %es:0x1000,%eax; movl %es:0xfffffffc,%eax; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_null_es:      xor %eax,%eax; mov %ax,%es; movl %es:0x1000,%eax; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_ss_over:      mov $0x50,%ax; mov %ax,%ss; movl %ss:0x3000000,%eax; mov $0x10,%ax; mov %ax,%ss; ret\n"
    "t_bad_ds_sel:   mov $0x1f8,%ax; mov %ax,%ds; ret\n"
    "t_np_ds:        mov $0x58,%ax; mov %ax,%ds; ret\n"
    "t_ss_readonly:  mov $0x60,%ax; mov %ax,%ss; ret\n"
    "t_ro_write:     mov $0x60,%ax; mov %ax,%es; movl %es:0x1000,%eax; movl %eax,%es:0x1000; mov $0x10,%ax; mov %ax,%es; ret\n"
    "t_user_cli:     cli; int $0x80\n"
    "t_user_int_dpl0: int $0x30; int $0x80\n"
    "t_user_callgate: pushl $0x1111; pushl $0x2222; lcall $0x6b,$0\n"
    "                movl %cs,%eax; andl $3,%eax; cmpl $3,%eax; jne 1f; movl $1,gate_ret_ok\n"
    "1:              int $0x80\n"
    "gate_target:    movl %cs,%eax; andl $3,%eax; movl %eax,gate_cpl\n"
    "                movl 8(%esp),%eax; movl %eax,gate_p2\n"     /* params: [esp+8]=2nd pushed? see check */
    "                movl 12(%esp),%eax; movl %eax,gate_p1\n"
    "                lret $8\n"
    "t_ud2:          ud2; ret\n"
    "t_int3:         int3; ret\n"
    "t_de:           xor %ecx,%ecx; mov $1,%eax; xor %edx,%edx; div %ecx; ret\n"
    ".data\n"
    "gate_cpl: .long 9\ngate_p1: .long 0\ngate_p2: .long 0\ngate_ret_ok: .long 0\n"
    ".text\n");

/* ---- stack-segment limits (SDM Vol. 2 PUSHA/POPA/ENTER/LEAVE/CALL/RET/PUSHF: #SS(0) when
 * the stack access runs past SS's limit). Run at CPL 3 on a small stack segment (0x83: base
 * stack_small, limit 0xFFF, B = 1) so the fault switches to the ring-0 stack. ---- */
void t_ss_pusha_ok(void), t_ss_pusha_over(void), t_ss_popa_over(void), t_ss_leave_over(void);
void t_ss_enter_over(void), t_ss_lcall_over(void), t_ss_lret_over(void), t_ss_pushf_over(void);
__asm__(
    ".text\n"
    "t_ss_pusha_ok:    mov $0x83,%ax; mov %ax,%ss; mov $0x100,%esp; pusha; popa; enter $8,$0; leave; int $0x80\n"
    "t_ss_pusha_over:  mov $0x83,%ax; mov %ax,%ss; mov $0x10,%esp; pusha; int $0x80\n"
    "t_ss_popa_over:   mov $0x83,%ax; mov %ax,%ss; mov $0xff0,%esp; popa; int $0x80\n"
    "t_ss_leave_over:  mov $0x83,%ax; mov %ax,%ss; mov $0x100,%esp; mov $0xffe,%ebp; leave; int $0x80\n"
    "t_ss_enter_over:  mov $0x83,%ax; mov %ax,%ss; mov $0x2,%esp; enter $0,$0; int $0x80\n"
    "t_ss_lcall_over:  mov $0x83,%ax; mov %ax,%ss; mov $0x4,%esp; lcall $0x1b,$t_ss_far; int $0x80\n"
    "t_ss_far:         lret\n"
    "t_ss_lret_over:   mov $0x83,%ax; mov %ax,%ss; mov $0xffc,%esp; lret; int $0x80\n"
    "t_ss_pushf_over:  mov $0x83,%ax; mov %ax,%ss; xor %esp,%esp; pushfl; int $0x80\n");
static uint8_t stack_small[4096] __attribute__((aligned(16)));

static void expect_user_ss(const char *name, void (*fn)(void))
{
    int v = try_user(fn);
    check(name, v == 12 && last_err == 0, "vector", (uint32_t)v, 12);
}

/* ---- tasks ---- */
uint32_t tss_b[26] __attribute__((aligned(128)));
uint32_t tss_df[26] __attribute__((aligned(128)));
static uint32_t stack_b[1024] __attribute__((aligned(16)));
static uint32_t stack_df[1024] __attribute__((aligned(16)));
volatile uint32_t b_eax, b_eflags, b_link, b_runs, df_ran, df_err, df_link;
void task_b_jmp(void), task_b_call(void), task_df(void), t_df_via_gate(void);
__asm__(
    ".text\n"
    "task_b_jmp:  movl %eax,b_eax; incl b_runs; ljmp $0x28,$0\n"          /* back to the main task */
    "task_b_call: movl %eax,b_eax; pushfl; popl b_eflags; incl b_runs; movzwl tss_b,%eax; movl %eax,b_link; iretl\n"
    "             jmp task_b_call\n"
    "task_df:     popl df_err; movl $1,df_ran; movzwl tss_df,%eax; movl %eax,df_link\n"
    "             orl $0x8000,idt+13*8+4\n"        /* make #GP's gate present again */
    "             iretl\n"
    "             jmp task_df\n"
    "t_df_via_gate: mov $0x1f8,%ax; mov %ax,%ds; ret\n");

static void init_tss(uint32_t *t, void (*eip)(void), uint32_t *stack_top, uint32_t eax)
{
    for (int i = 0; i < 26; i++)
        t[i] = 0;
    t[7] = 0;                              /* CR3: paging is off, any value */
    t[8] = (uint32_t)eip;
    t[9] = 0x2;                            /* EFLAGS: IF=0 */
    t[10] = eax;
    t[14] = (uint32_t)stack_top;
    t[18] = t[20] = t[21] = t[22] = t[23] = SEL_DATA0;   /* ES SS DS FS GS */
    t[19] = SEL_CODE0;                                   /* CS */
    t[25] = 104u << 16;
}

static uint32_t gdt_high(int index) { return (uint32_t)(gdt[index] >> 32); }

static void expect_fault(const char *name, void (*fn)(void), int vec, uint32_t err)
{
    int v = try_call(fn);
    if (v != vec) {
        check(name, 0, "vector", (uint32_t)v, (uint32_t)vec);
        return;
    }
    check(name, vec < 0 || last_err == err, "error code", last_err, err);
}

void kmain(uint32_t magic, const void *mbi)
{
    (void)magic;
    (void)mbi;
    lib_init();
    puts("systest-prot\r\n");

    /* Segment limits (SDM 5.3): 0x40 = data, base 0x200000, byte limit 0xFFF. */
    set_seg(8, 0x200000, 0xFFF, 0x92, 0x4);
    expect_fault("limit.dword_at_limit-3", t_es_limit_ok, -1, 0);
    expect_fault("limit.dword_past_limit_gp0", t_es_limit_over, 13, 0);
    /* 0x48 = expand-down, B=1, limit 0xFFF: valid offsets 0x1000..0xFFFFFFFF. */
    set_seg(9, 0x0, 0xFFF, 0x96, 0x4);
    expect_fault("limit.expand_down_below_gp0", t_expdown_low, 13, 0);
    expect_fault("limit.expand_down_above_ok", t_expdown_ok, -1, 0);
    expect_fault("limit.null_es_gp0", t_null_es, 13, 0);
    /* 0x50 = stack segment limit 16 MiB (G=1): an SS: access past it is #SS(0). */
    set_seg(10, 0, 0xFFF, 0x92, 0xC);
    expect_fault("limit.ss_past_limit_ss0", t_ss_over, 12, 0);
    /* Descriptor loads (SDM 5.5, MOV): past the GDT limit, not present, read-only SS. */
    expect_fault("load.ds_past_gdt_limit_gp", t_bad_ds_sel, 13, 0x1F8);
    set_seg(11, 0, 0xFFFFF, 0x12, 0xC);   /* 0x58: data, not present */
    expect_fault("load.ds_not_present_np", t_np_ds, 11, 0x58);
    set_seg(12, 0, 0xFFFFF, 0x90, 0xC);   /* 0x60: read-only data */
    expect_fault("load.ss_readonly_gp", t_ss_readonly, 13, 0x60);
    expect_fault("limit.write_readonly_gp0", t_ro_write, 13, 0);

    /* Privilege: CLI at CPL 3 with IOPL 0 is #GP(0); INT n to a DPL-0 gate is #GP(n*8+2). */
    int v = try_user(t_user_cli);
    check("priv.cli_cpl3_gp0", v == 13 && last_err == 0, "vector", (uint32_t)v, 13);
    v = try_user(t_user_int_dpl0);
    check("priv.int_dpl0_gate_gp", v == 13 && last_err == 0x30 * 8 + 2, "error", last_err, 0x30 * 8 + 2);

    /* Call gate 0x68 (DPL 3, 2 dword parameters) to ring 0; RET far imm back to ring 3. */
    set_call_gate(13, (uint32_t)gate_target, SEL_CODE0, 3, 2);
    v = try_user(t_user_callgate);
    check("gate.call_returns", v == 0x80, "vector", (uint32_t)v, 0x80);
    check("gate.cpl0_inside", gate_cpl == 0, "cpl", gate_cpl, 0);
    check("gate.param_copy", gate_p1 == 0x1111 && gate_p2 == 0x2222, "p1", gate_p1, 0x1111);
    check("gate.back_at_cpl3", gate_ret_ok == 1, "flag", gate_ret_ok, 1);

    /* Exceptions: #UD, #BP (trap: EIP after INT3), #DE (fault: EIP at DIV). */
    expect_fault("exc.ud2", t_ud2, 6, 0);
    check("exc.ud2_eip", last_eip == (uint32_t)t_ud2, "eip", last_eip, (uint32_t)t_ud2);
    expect_fault("exc.int3", t_int3, 3, 0);
    check("exc.int3_eip_after", last_eip == (uint32_t)t_int3 + 1, "eip", last_eip, (uint32_t)t_int3 + 1);
    expect_fault("exc.de", t_de, 0, 0);
    check("exc.de_eip_at_div", last_eip == (uint32_t)t_de + 9, "eip", last_eip, (uint32_t)t_de + 9);

    /* #DF (Table 6-5): #GP whose gate is not present raises #NP: contributory twice = #DF(0). */
    idt[13] &= ~(1ull << 47);
    expect_fault("exc.double_fault", t_bad_ds_sel, 8, 0);
    idt[13] |= 1ull << 47;

    /* Task switch by JMP to a TSS (SDM 7.3): registers from the new TSS, old TSS not busy. */
    init_tss(tss_b, task_b_jmp, stack_b + 1024, 0x12345678);
    set_seg(14, (uint32_t)tss_b, 103, 0x89, 0);           /* 0x70 */
    b_runs = 0;
    __asm__ volatile("ljmp $0x70,$0" : : : "memory", "eax", "ecx", "edx");
    check("task.jmp_ran", b_runs == 1, "runs", b_runs, 1);
    check("task.jmp_eax_from_tss", b_eax == 0x12345678, "eax", b_eax, 0x12345678);
    check("task.jmp_main_busy", (gdt_high(5) >> 8 & 0xF) == 0xB, "main type", gdt_high(5) >> 8 & 0xF, 0xB);
    check("task.jmp_b_not_busy", (gdt_high(14) >> 8 & 0xF) == 0x9, "B type", gdt_high(14) >> 8 & 0xF, 0x9);
    check("task.cr0_ts", (read_cr0() & 8) != 0, "cr0", read_cr0(), 8);
    __asm__ volatile("clts");

    /* CALL: NT set in the new task, back-link = old TSS; IRET returns and clears busy. */
    init_tss(tss_b, task_b_call, stack_b + 1024, 0xCAFE0001);
    set_seg(14, (uint32_t)tss_b, 103, 0x89, 0);
    b_runs = 0;
    __asm__ volatile("lcall $0x70,$0" : : : "memory", "eax", "ecx", "edx");
    check("task.call_ran", b_runs == 1, "runs", b_runs, 1);
    check("task.call_nt_set", (b_eflags & 0x4000) != 0, "eflags", b_eflags, 0x4002);
    check("task.call_backlink", b_link == SEL_TSS, "link", b_link, SEL_TSS);
    check("task.iret_b_not_busy", (gdt_high(14) >> 8 & 0xF) == 0x9, "B type", gdt_high(14) >> 8 & 0xF, 0x9);
    uint32_t fl;
    __asm__ volatile("pushfl; popl %0" : "=r"(fl));
    check("task.main_nt_clear", (fl & 0x4000) == 0, "eflags", fl, 0);
    /* CALL to a busy TSS (the running one) is #GP(selector). */
    __asm__ volatile("clts");

    /* #DF through a task gate (as Linux does): IDT[8] = task gate to TSS DF (0x78). */
    init_tss(tss_df, task_df, stack_df + 1024, 0);
    set_seg(15, (uint32_t)tss_df, 103, 0x89, 0);
    set_gate(8, 0, 0x78, 0x85);
    idt[13] &= ~(1ull << 47);
    df_ran = 0;
    v = try_call(t_df_via_gate);   /* #GP -> #NP -> #DF task; it repairs IDT[13] and IRETs: #GP again */
    check("task.df_gate_ran", df_ran == 1, "ran", df_ran, 1);
    check("task.df_error_code_on_new_stack", df_err == 0, "err", df_err, 0);
    check("task.df_backlink", df_link == SEL_TSS, "link", df_link, SEL_TSS);
    check("task.df_then_gp", v == 13 && last_err == 0x1F8, "vector", (uint32_t)v, 13);
    check("task.df_not_busy_after_iret", (gdt_high(15) >> 8 & 0xF) == 0x9, "type", gdt_high(15) >> 8 & 0xF, 9);
    set_gate(8, isr_stubs[8], SEL_CODE0, 0x8E);
    __asm__ volatile("clts");

    /* Stack-segment limits at CPL 3 (QEMU TCG checks none of these: they FAIL there). */
    set_seg(16, (uint32_t)stack_small, 0xFFF, 0xF2, 0x4);    /* 0x83 */
    v = try_user(t_ss_pusha_ok);
    check("sslimit.inside_ok", v == 0x80, "vector", (uint32_t)v, 0x80);
    expect_user_ss("sslimit.pusha_ss0", t_ss_pusha_over);
    expect_user_ss("sslimit.popa_ss0", t_ss_popa_over);
    expect_user_ss("sslimit.leave_ss0", t_ss_leave_over);
    expect_user_ss("sslimit.enter_ss0", t_ss_enter_over);
    expect_user_ss("sslimit.lcall_ss0", t_ss_lcall_over);
    expect_user_ss("sslimit.lret_ss0", t_ss_lret_over);
    expect_user_ss("sslimit.pushf_ss0", t_ss_pushf_over);
    finish();
}
