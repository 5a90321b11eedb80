/*
 * systest-v86.elf: virtual-8086 mode (SDM Vol. 3A, chapter 20). Entry by IRET with
 * EFLAGS.VM in the image and by a task switch to a TSS whose EFLAGS has VM; a #GP
 * monitor at CPL 0 (stack from the TSS's SS0:ESP0) that emulates CLI, STI, PUSHF,
 * POPF, INT n (reflected through the IVT at linear 0) and IRET when IOPL < 3; INT n
 * through the protected-mode IDT when IOPL = 3 (gate DPL 3, handler at CPL 0 with the
 * v86 segment registers on its stack and DS..GS null); IN/OUT through the TSS I/O
 * permission bitmap (consulted in v86 mode whatever IOPL is, SDM 20.2.8.1 and 19.5.2).
 * CR4.VME stays clear.
 *
 * The v86 code is copied to linear 0x8000 (CS = 0x0800); its results go to 0x6800.
 */
#include "lib.h"
#include "io.h"

#define LOW     0x8000u
#define RES     0x6800u
#define R16(o)  (*(volatile uint16_t *)(RES + (o)))
#define EFL_IF  0x200u
#define EFL_VM  0x20000u
#define IOPL3   0x3000u

extern char v86_blob[], v86_blob_end[], v86_s1[], v86_s2[], v86_s3[], v86_int60[], v86_after61[];
void v86_gp_entry(void), v86_int61(void);
uint32_t enter_v86(uint32_t ip, uint32_t eflags);
extern volatile uint32_t h61_ds, h61_esp, h61_cs, h61_frame[9];

/* ---- the v86 programs (16-bit, position independent: offsets from v86_blob) ---- */
__asm__(
    ".text\n"
    ".code16\n"
    "v86_blob:\n"
    /* Session 1, IOPL 0: DS = ES = 0x1000 on entry. */
    "v86_s1:\n"
    "    movw $0x1234, 0x0010\n"           /* linear 0x10010 */
    "    mov $0x1001, %ax\n"
    "    mov %ax, %es\n"
    "    mov %es:0x0000, %bx\n"            /* 0x1001:0000 = linear 0x10010 */
    "    xor %ax, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %bx, 0x6800\n"
    "    lcall $0x0801, $(v86_far - v86_blob - 0x10)\n"
    "    cli\n"                            /* #GP: monitor clears the virtual IF */
    "    pushf\n"                          /* #GP: monitor pushes flags with the virtual IF */
    "    pop %ax\n"
    "    mov %ax, 0x6802\n"
    "    sti\n"
    "    pushf\n"
    "    pop %cx\n"
    "    mov %cx, 0x6804\n"
    "    push $0x0001\n"
    "    popf\n"                           /* #GP: monitor loads CF = 1 */
    "    sbb %dx, %dx\n"
    "    mov %dx, 0x6806\n"
    "    int $0x60\n"                      /* #GP: monitor reflects through IVT[0x60] */
    "    mov %si, 0x6808\n"
    "    mov $0x3ff, %dx\n"                /* UART scratch register: allowed by the bitmap */
    "    mov $0x5a, %al\n"
    "    out %al, %dx\n"
    "    xor %al, %al\n"
    "    in %dx, %al\n"
    "    mov %al, 0x680a\n"
    "    out %al, $0x80\n"                 /* denied: #GP, the monitor skips it */
    "    mov $0x3fe, %dx\n"
    "    in %dx, %ax\n"                    /* 0x3FE denied, 0x3FF allowed: #GP */
    "    hlt\n"                            /* #GP: the monitor leaves v86 mode */
    "v86_far:\n"
    "    movw $0xfa11, 0x680c\n"
    "    lret\n"
    "v86_int60:\n"
    "    mov $0x6060, %si\n"
    "    iret\n"                           /* #GP: monitor emulates IRET */
    /* Session 2, IOPL 3. */
    "v86_s2:\n"
    "    xor %ax, %ax\n"
    "    mov %ax, %ds\n"
    "    cli\n"
    "    pushf\n"
    "    pop %ax\n"
    "    mov %ax, 0x6820\n"
    "    sti\n"
    "    pushf\n"
    "    pop %cx\n"
    "    mov %cx, 0x6822\n"
    "    cli\n"
    "    pushf\n"
    "    push %cs\n"
    "    push $(v86_s2_ret - v86_blob)\n"
    "    iret\n"
    "    hlt\n"
    "v86_s2_ret:\n"
    "    movw $0x1e7e, 0x6824\n"
    "    int $0x61\n"                      /* IDT gate DPL 3: ring-0 handler sets EAX */
    "v86_after61:\n"
    "    mov %ax, 0x6826\n"
    "    int $0x62\n"                      /* IDT gate DPL 0: #GP(0x62 * 8 + 2) */
    "    out %al, $0x80\n"                 /* the bitmap still applies with IOPL 3 */
    "    hlt\n"
    /* Session 3: entered by a task switch (DS = 0 from the TSS). */
    "v86_s3:\n"
    "    mov %cs, %ax\n"
    "    mov %ax, 0x6830\n"
    "    mov %ss, %ax\n"
    "    mov %ax, 0x6832\n"
    "    mov %sp, 0x6834\n"
    "    movw $0x7a5c, 0x6836\n"
    "    hlt\n"
    "v86_blob_end:\n"
    ".code32\n"

    /* #GP while v86 tests run: the monitor decides to resume (IRET) or leave. */
    "v86_gp_entry:\n"
    "    pushal\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    push %esp\n"
    "    call v86_monitor\n"
    "    add $4, %esp\n"
    "    test %eax, %eax\n"
    "    jnz v86_leave\n"
    "    popal\n"
    "    add $4, %esp\n"                   /* error code */
    "    iretl\n"

    /* uint32_t enter_v86(uint32_t ip, uint32_t eflags): IRET into v86 at 0800:ip. */
    "enter_v86:\n"
    "    push %ebp\n"
    "    push %ebx\n"
    "    push %esi\n"
    "    push %edi\n"
    "    mov %esp, v86_saved_esp\n"
    "    mov 20(%esp), %eax\n"
    "    mov 24(%esp), %edx\n"
    "    pushl $0\n"                       /* GS */
    "    pushl $0\n"                       /* FS */
    "    pushl $0x1000\n"                  /* DS */
    "    pushl $0x1000\n"                  /* ES */
    "    pushl $0x0700\n"                  /* SS */
    "    pushl $0x0ff0\n"                  /* ESP */
    "    pushl %edx\n"                     /* EFLAGS (VM) */
    "    pushl $0x0800\n"                  /* CS */
    "    pushl %eax\n"                     /* EIP */
    "    iretl\n"
    "v86_leave:\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %ax, %fs\n"
    "    mov %ax, %gs\n"
    "    mov v86_saved_esp, %esp\n"
    "    pop %edi\n"
    "    pop %esi\n"
    "    pop %ebx\n"
    "    pop %ebp\n"
    "    mov v86_leave_code, %eax\n"
    "    ret\n"

    /* INT 0x61 from v86 (IDT gate DPL 3): record what the CPU set up, return EAX = 0x61AA. */
    "v86_int61:\n"
    "    mov %ds, %ax\n"
    "    movzwl %ax, %eax\n"
    "    mov %eax, %ss:h61_ds\n"
    "    mov %esp, %ss:h61_esp\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov %ax, %es\n"
    "    mov %cs, %ax\n"
    "    movzwl %ax, %eax\n"
    "    mov %eax, h61_cs\n"
    "    push %ecx\n"
    "    push %esi\n"
    "    push %edi\n"
    "    lea 12(%esp), %esi\n"
    "    mov $h61_frame, %edi\n"
    "    mov $9, %ecx\n"
    "    cld\n"
    "    rep movsl\n"
    "    pop %edi\n"
    "    pop %esi\n"
    "    pop %ecx\n"
    "    mov $0x61aa, %eax\n"
    "    iretl\n"
    ".data\n"
    "v86_saved_esp: .long 0\n"
    ".globl h61_ds, h61_esp, h61_cs, h61_frame\n"
    "h61_ds: .long 0xffff\nh61_esp: .long 0\nh61_cs: .long 0\nh61_frame: .fill 9,4,0\n"
    ".text\n");

/* ---- the monitor ---- */
struct v86_frame {
    uint32_t edi, esi, ebp, esp_, ebx, edx, ecx, eax;
    uint32_t err, eip, cs, eflags, esp, ss, es, ds, fs, gs;
};

volatile uint32_t v86_leave_code;
static uint32_t vif, gp_count, gp_nonzero_err, n_cli, n_sti, n_pushf, n_popf, n_int, n_iret;
static uint32_t io_ports[4], n_io, int_vec, gate_err, n_gate_err;

static uint8_t *v86_lin(uint32_t seg, uint32_t off) { return (uint8_t *)((seg << 4) + (off & 0xFFFF)); }

static void push16(struct v86_frame *f, uint32_t v)
{
    f->esp = (f->esp & 0xFFFF0000) | ((f->esp - 2) & 0xFFFF);
    *(uint16_t *)v86_lin(f->ss, f->esp) = (uint16_t)v;
}

static uint32_t pop16(struct v86_frame *f)
{
    uint32_t v = *(uint16_t *)v86_lin(f->ss, f->esp);
    f->esp = (f->esp & 0xFFFF0000) | ((f->esp + 2) & 0xFFFF);
    return v;
}

/* The image of FLAGS that the guest sees: the real arithmetic flags, the virtual IF. */
static uint32_t guest_flags(struct v86_frame *f) { return (f->eflags & 0xFFFF & ~EFL_IF) | (vif ? EFL_IF : 0); }

/* POPF/IRET: arithmetic flags, TF, DF from the image; IF virtual; IOPL, VM unchanged. */
static void load_flags(struct v86_frame *f, uint32_t v)
{
    f->eflags = (f->eflags & ~0x0FD5u) | (v & 0x0FD5u);
    vif = (v & EFL_IF) != 0;
}

int v86_monitor(struct v86_frame *f)
{
    uint8_t *ip = v86_lin(f->cs, f->eip);
    gp_count++;
    if (!(f->eflags & EFL_VM)) {
        v86_leave_code = 0xDEAD0000 | f->eip;    /* #GP in protected mode: give up */
        return 1;
    }
    if (f->err != 0 && ip[0] != 0xCD)
        gp_nonzero_err++;
    switch (ip[0]) {
    case 0xFA: n_cli++; vif = 0; f->eip++; return 0;
    case 0xFB: n_sti++; vif = 1; f->eip++; return 0;
    case 0x9C: n_pushf++; push16(f, guest_flags(f)); f->eip++; return 0;
    case 0x9D: n_popf++; load_flags(f, pop16(f)); f->eip++; return 0;
    case 0xCD:
        if (f->err != 0) {                 /* IOPL 3: the IDT gate refused the software interrupt */
            gate_err = f->err;
            n_gate_err++;
            f->eip += 2;
            return 0;
        }
        n_int++;
        int_vec = ip[1];
        push16(f, guest_flags(f));
        push16(f, f->cs);
        push16(f, f->eip + 2);
        vif = 0;
        f->eip = *(uint16_t *)(int_vec * 4);
        f->cs = *(uint16_t *)(int_vec * 4 + 2);
        return 0;
    case 0xCF: {
        n_iret++;
        uint32_t nip = pop16(f), ncs = pop16(f);
        load_flags(f, pop16(f));
        f->eip = nip;
        f->cs = ncs;
        return 0;
    }
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:
        if (n_io < 4) io_ports[n_io] = ip[1];
        n_io++;
        f->eip += 2;
        return 0;
    case 0xEC: case 0xED: case 0xEE: case 0xEF:
        if (n_io < 4) io_ports[n_io] = f->edx & 0xFFFF;
        n_io++;
        f->eip += 1;
        return 0;
    case 0xF4:
        v86_leave_code = 0xF4;
        return 1;
    default:
        v86_leave_code = 0xBAD00000 | ip[0];
        return 1;
    }
}

/* ---- the TSSs: the main one with an I/O permission bitmap, one for the v86 task ---- */
static struct {
    uint32_t t[26];
    uint8_t iomap[8192 + 1];
} __attribute__((packed, aligned(128))) vtss;
static uint32_t tss_v86task[26] __attribute__((aligned(128)));
static uint32_t v86_ring0_stack[1024] __attribute__((aligned(16)));
static uint32_t task_ring0_stack[1024] __attribute__((aligned(16)));
#define ESP0 ((uint32_t)(v86_ring0_stack + 1024))

/* A pointer to low memory the compiler cannot see through (no -Warray-bounds on 0x180). */
static volatile uint16_t *low16(uint32_t a)
{
    __asm__("" : "+r"(a));
    return (volatile uint16_t *)a;
}

static uint32_t gdt_high(int index) { return (uint32_t)(gdt[index] >> 32); }

static void reset_counts(void)
{
    gp_count = gp_nonzero_err = n_cli = n_sti = n_pushf = n_popf = n_int = n_iret = 0;
    n_io = int_vec = gate_err = n_gate_err = 0;
    for (int i = 0; i < 4; i++) io_ports[i] = 0;
    v86_leave_code = 0;
    vif = 0;
}

/* The v86 task ends with HLT: #GP through the IDT inside that task; the monitor hands
 * back by IRET with NT set (SDM 7.3): a task switch to the back-link, the main task. */
void v86_task_gp(void);
__asm__(
    ".text\n"
    "v86_task_gp:\n"
    "    mov $0x10, %ax\n"
    "    mov %ax, %ds\n"
    "    mov 8(%esp), %eax\n"              /* CS:EIP of the HLT */
    "    shl $4, %eax\n"
    "    add 4(%esp), %eax\n"
    "    movzbl (%eax), %eax\n"
    "    mov %eax, task_gp_opcode\n"
    "    mov (%esp), %eax\n"
    "    mov %eax, task_gp_err\n"
    "    mov 12(%esp), %eax\n"
    "    mov %eax, task_gp_eflags\n"
    "    pushfl\n"
    "    orl $0x4000, (%esp)\n"            /* NT: IRET returns to the task that called */
    "    popfl\n"
    "    iretl\n"
    ".data\n"
    "task_gp_opcode: .long 0\ntask_gp_err: .long 0xffff\ntask_gp_eflags: .long 0\n"
    ".text\n");
extern volatile uint32_t task_gp_opcode, task_gp_err, task_gp_eflags;

void kmain(uint32_t magic, const void *mbi)
{
    (void)magic;
    (void)mbi;
    lib_init();
    puts("systest-v86\r\n");
    outb(0x21, 0xFF);                      /* mask every PIC line: STI runs in v86 below */
    outb(0xA1, 0xFF);

    uint8_t *dst = (uint8_t *)LOW;
    for (char *p = v86_blob; p < v86_blob_end; p++)
        *dst++ = (uint8_t)*p;
    for (int i = 0; i < 0x40; i++)
        *(volatile uint8_t *)(RES + i) = 0;
    volatile uint16_t *ivt = low16(0x60 * 4);
    ivt[0] = (uint16_t)(v86_int60 - v86_blob);
    ivt[1] = 0x0800;

    /* TSS with ESP0/SS0 and an I/O bitmap that allows only port 0x3FF; selector 0x30. */
    vtss.t[1] = ESP0;
    vtss.t[2] = SEL_DATA0;
    vtss.t[25] = 104u << 16;
    for (int i = 0; i < 8192 + 1; i++)
        vtss.iomap[i] = 0xFF;
    vtss.iomap[0x3FF >> 3] &= (uint8_t)~(1u << (0x3FF & 7));
    set_seg(6, (uint32_t)&vtss, sizeof(vtss) - 1, 0x89, 0);
    __asm__ volatile("mov $0x30, %%ax; ltr %%ax" : : : "eax");
    set_gate(13, (uint32_t)v86_gp_entry, SEL_CODE0, 0x8E);
    set_gate(0x61, (uint32_t)v86_int61, SEL_CODE0, 0xEE);   /* DPL 3 */
    set_gate(0x62, (uint32_t)v86_int61, SEL_CODE0, 0x8E);   /* DPL 0 */

    /* ---- session 1: IOPL 0, everything sensitive goes to the monitor ---- */
    reset_counts();
    uint32_t leave = enter_v86((uint32_t)(v86_s1 - v86_blob), EFL_VM | 0x2);
    check("v86.iret_entry_and_hlt_leave", leave == 0xF4, "leave", leave, 0xF4);
    check("v86.seg_arith_1000_0010_is_1001_0000", R16(0) == 0x1234, "word", R16(0), 0x1234);
    check("v86.far_call_ret", R16(12) == 0xFA11, "marker", R16(12), 0xFA11);
    check("v86.cli_sti_gp_iopl0", n_cli == 1 && n_sti == 1, "cli+sti", n_cli * 16 + n_sti, 0x11);
    check("v86.pushf_gp_virtual_if0", n_pushf == 2 && (R16(2) & EFL_IF) == 0, "flags", R16(2), 0x2);
    check("v86.pushf_virtual_if1", (R16(4) & EFL_IF) != 0, "flags", R16(4), 0x202);
    check("v86.popf_gp_emulated", n_popf == 1 && R16(6) == 0xFFFF, "sbb", R16(6), 0xFFFF);
    check("v86.int_n_gp_reflected_ivt", n_int == 1 && int_vec == 0x60 && R16(8) == 0x6060, "si", R16(8), 0x6060);
    check("v86.iret_gp_iopl0", n_iret == 1, "irets", n_iret, 1);
    check("v86.io_bitmap_allowed", R16(10) == 0x5A, "scratch", R16(10), 0x5A);
    check("v86.io_bitmap_denied_byte", n_io >= 1 && io_ports[0] == 0x80, "port", io_ports[0], 0x80);
    check("v86.io_bitmap_denied_word_half", n_io == 2 && io_ports[1] == 0x3FE, "port", io_ports[1], 0x3FE);
    check("v86.gp_error_code_0", gp_nonzero_err == 0, "nonzero", gp_nonzero_err, 0);
    check("v86.gp_count", gp_count == 10, "count", gp_count, 10);

    /* ---- session 2: IOPL 3 ---- */
    reset_counts();
    leave = enter_v86((uint32_t)(v86_s2 - v86_blob), EFL_VM | IOPL3 | 0x2);
    check("v86.iopl3_leave", leave == 0xF4, "leave", leave, 0xF4);
    check("v86.iopl3_cli_pushf_direct", (R16(0x20) & EFL_IF) == 0 && (R16(0x20) & IOPL3) == IOPL3,
          "flags", R16(0x20), 0x3002);
    check("v86.iopl3_sti_pushf_direct", (R16(0x22) & EFL_IF) != 0, "flags", R16(0x22), 0x3202);
    check("v86.iopl3_iret_direct", R16(0x24) == 0x1E7E, "marker", R16(0x24), 0x1E7E);
    check("v86.iopl3_int_idt_cpl0", h61_cs == SEL_CODE0, "cs", h61_cs, SEL_CODE0);
    check("v86.iopl3_int_idt_ds_null", h61_ds == 0, "ds", h61_ds, 0);
    check("v86.iopl3_int_idt_esp0", h61_esp == ESP0 - 36, "esp", h61_esp, ESP0 - 36);
    check("v86.iopl3_int_frame_cs_eflags", h61_frame[1] == 0x0800 && (h61_frame[2] & (EFL_VM | IOPL3)) == (EFL_VM | IOPL3),
          "eflags", h61_frame[2], EFL_VM | IOPL3 | 2);
    check("v86.iopl3_int_frame_ss_segs", h61_frame[4] == 0x0700 && h61_frame[5] == 0x1000 && h61_frame[6] == 0
          && h61_frame[7] == 0 && h61_frame[8] == 0, "es", h61_frame[5], 0x1000);
    check("v86.iopl3_int_frame_eip", h61_frame[0] == (uint32_t)(v86_after61 - v86_blob), "eip", h61_frame[0],
          (uint32_t)(v86_after61 - v86_blob));
    check("v86.iopl3_int_idt_return_eax", R16(0x26) == 0x61AA, "ax", R16(0x26), 0x61AA);
    check("v86.iopl3_int_gate_dpl0_gp", n_gate_err == 1 && gate_err == 0x62 * 8 + 2, "err", gate_err, 0x62 * 8 + 2);
    check("v86.iopl3_io_bitmap_denied", n_io == 1 && io_ports[0] == 0x80, "port", io_ports[0], 0x80);
    check("v86.iopl3_no_gp_for_flags", n_cli + n_sti + n_pushf + n_popf + n_iret + n_int == 0 && gp_count == 3,
          "gp count", gp_count, 3);

    /* ---- session 3: CALL to a TSS whose EFLAGS has VM (SDM 7.3 step 11, 20.2.5) ---- */
    for (int i = 0; i < 26; i++)
        tss_v86task[i] = 0;
    tss_v86task[1] = (uint32_t)(task_ring0_stack + 1024);
    tss_v86task[2] = SEL_DATA0;
    tss_v86task[8] = (uint32_t)(v86_s3 - v86_blob);     /* EIP */
    tss_v86task[9] = EFL_VM | 0x2;                      /* EFLAGS */
    tss_v86task[14] = 0x0ffe;                           /* ESP */
    tss_v86task[18] = 0;                                /* ES */
    tss_v86task[19] = 0x0800;                           /* CS */
    tss_v86task[20] = 0x0600;                           /* SS */
    tss_v86task[21] = tss_v86task[22] = tss_v86task[23] = 0;   /* DS FS GS */
    tss_v86task[25] = 104u << 16;
    set_seg(7, (uint32_t)tss_v86task, 103, 0x89, 0);    /* 0x38 */
    set_gate(13, (uint32_t)v86_task_gp, SEL_CODE0, 0x8E);
    __asm__ volatile("lcall $0x38, $0" : : : "memory", "eax", "ecx", "edx");
    set_gate(13, (uint32_t)v86_gp_entry, SEL_CODE0, 0x8E);
    __asm__ volatile("clts");
    check("v86.task_entry_cs", R16(0x30) == 0x0800, "cs", R16(0x30), 0x0800);
    check("v86.task_entry_ss_sp", R16(0x32) == 0x0600 && R16(0x34) == 0x0ffe, "ss", R16(0x32), 0x0600);
    check("v86.task_entry_ran", R16(0x36) == 0x7A5C, "marker", R16(0x36), 0x7A5C);
    check("v86.task_hlt_gp", task_gp_opcode == 0xF4 && task_gp_err == 0, "opcode", task_gp_opcode, 0xF4);
    check("v86.task_gp_frame_vm", (task_gp_eflags & EFL_VM) != 0, "eflags", task_gp_eflags, EFL_VM | 2);
    check("v86.task_iret_back_not_busy", (gdt_high(7) >> 8 & 0xF) == 0x9, "type", gdt_high(7) >> 8 & 0xF, 9);
    finish();
}
