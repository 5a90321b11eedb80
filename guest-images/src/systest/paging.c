/*
 * systest-paging.elf: 2-level paging with 4 KiB and 4 MiB pages, accessed and
 * dirty bits, #PF error codes and CR2, CR0.WP, user/supervisor, INVLPG, PAE;
 * self-modifying code (a loop rewriting its own code, a write into the running
 * block) and one physical page at two linear addresses, written through one and
 * executed/read through the other. Expected values from SDM Vol. 3A chapter 4
 * and 11.6 (self-modifying code).
 */
#include "lib.h"

#define PTE_P 1u
#define PTE_W 2u
#define PTE_U 4u
#define PTE_A 0x20u
#define PTE_D 0x40u
#define PDE_PS 0x80u
#define ALIAS 0x40000000u     /* PDE 256: test page table */
#define BIG   0x80000000u     /* PDE 512: a 4 MiB page */

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt_low[4][1024] __attribute__((aligned(4096)));   /* identity 0..16 MiB, user */
static uint32_t pt_test[1024] __attribute__((aligned(4096)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_ro[4096] __attribute__((aligned(4096)));
static uint8_t page_sup[4096] __attribute__((aligned(4096)));
uint8_t code_page[4096] __attribute__((aligned(4096), section(".data")));
/* PAE structures */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pae_pd0[512] __attribute__((aligned(4096)));
static uint64_t pae_pd1[512] __attribute__((aligned(4096)));
static uint64_t pae_pt[512] __attribute__((aligned(4096)));

volatile uint32_t probe_addr, probe_val;
void t_read(void), t_write(void), u_read_sup(void);
extern uint8_t smc_fn[], smc_inline[];
int call_smc_inline(uint32_t v);
__asm__(
    ".text\n"
    "t_read:  movl probe_addr,%eax; movl (%eax),%eax; movl %eax,probe_val; ret\n"
    "t_write: movl probe_addr,%eax; movl $0x5a5a5a5a,(%eax); ret\n"
    "u_read_sup: movl 0x40002000,%eax; int $0x80\n"
    ".data\n"
    "smc_fn: movl $0,%eax; ret\n"
    /* writes the immediate of the very next instruction, in the same basic block */
    "call_smc_inline: movl 4(%esp),%ecx; movl %ecx, smc_target+1\n"
    "smc_target: movl $0,%eax; ret\n"
    ".text\n");

static uint32_t pte_of(uint32_t lin) { return pt_low[lin >> 22][(lin >> 12) & 1023]; }
static void set_pte_low(uint32_t lin, uint32_t v) { pt_low[lin >> 22][(lin >> 12) & 1023] = v; invlpg(lin); }

static void expect_pf(const char *name, void (*fn)(void), uint32_t addr, uint32_t err)
{
    probe_addr = addr;
    int v = try_call(fn);
    if (v != 14) {
        check(name, 0, "vector", (uint32_t)v, 14);
        return;
    }
    uint32_t cr2 = read_cr2();
    check(name, last_err == err && cr2 == addr, last_err != err ? "error code" : "cr2",
          last_err != err ? last_err : cr2, last_err != err ? err : addr);
}

static void two_level(void)
{
    for (uint32_t t = 0; t < 4; t++) {
        for (uint32_t i = 0; i < 1024; i++)
            pt_low[t][i] = ((t * 1024 + i) << 12) | PTE_P | PTE_W | PTE_U;
        pd[t] = (uint32_t)pt_low[t] | PTE_P | PTE_W | PTE_U;
    }
    pd[ALIAS >> 22] = (uint32_t)pt_test | PTE_P | PTE_W | PTE_U;
    pt_test[0] = 0;                                                  /* 0x40000000 not present */
    pt_test[1] = (uint32_t)page_ro | PTE_P | PTE_U;                  /* read-only */
    pt_test[2] = (uint32_t)page_sup | PTE_P | PTE_W;                 /* supervisor */
    pt_test[3] = (uint32_t)code_page | PTE_P | PTE_W;                /* alias of code_page */
    pt_test[4] = (uint32_t)page_a | PTE_P | PTE_W;
    write_cr4(read_cr4() | 0x10);                                    /* CR4.PSE */
    pd[BIG >> 22] = 0x00400000u | PDE_PS | PTE_P | PTE_W;            /* 4 MiB page -> 4 MiB */
    write_cr3((uint32_t)pd);
    write_cr0(read_cr0() | 0x80000000u);
    (void)*(volatile uint32_t *)page_a;          /* a read through the new mapping sets A */
    check("pg.enabled_identity", pte_of((uint32_t)page_a) == ((uint32_t)page_a | 7 | PTE_A), "pte",
          pte_of((uint32_t)page_a), (uint32_t)page_a | 7 | PTE_A);

    /* Accessed and dirty bits (SDM 4.8): a read sets A only, a write sets D. */
    set_pte_low((uint32_t)page_b, (uint32_t)page_b | PTE_P | PTE_W | PTE_U);
    probe_addr = (uint32_t)page_b;
    try_call(t_read);
    uint32_t e = pte_of((uint32_t)page_b);
    check("pg.read_sets_accessed_only", (e & (PTE_A | PTE_D)) == PTE_A, "pte", e, (uint32_t)page_b | 7 | PTE_A);
    try_call(t_write);
    e = pte_of((uint32_t)page_b);
    check("pg.write_sets_dirty", (e & (PTE_A | PTE_D)) == (PTE_A | PTE_D), "pte", e, (uint32_t)page_b | 7 | 0x60);
    check("pg.pde_accessed", (pd[0] & PTE_A) != 0, "pde", pd[0], pd[0] | PTE_A);

    /* #PF error codes (SDM 4.7): bit 0 P, bit 1 W/R, bit 2 U/S; CR2 = linear address. */
    expect_pf("pg.pf_read_not_present", t_read, ALIAS + 0x10, 0);
    expect_pf("pg.pf_write_not_present", t_write, ALIAS + 0x20, 2);
    probe_addr = ALIAS + 0x1000;
    check("pg.wp0_supervisor_write_ro_ok", try_call(t_write) == -1, "vector", last_vec, 0xFFFFFFFF);
    write_cr0(read_cr0() | 0x10000);                                 /* CR0.WP */
    expect_pf("pg.wp1_supervisor_write_ro_pf", t_write, ALIAS + 0x1000, 3);
    write_cr0(read_cr0() & ~0x10000u);
    int v = try_user(u_read_sup);
    check("pg.user_read_supervisor_pf", v == 14 && last_err == 5 && read_cr2() == ALIAS + 0x2000,
          "error", last_err, 5);

    /* 4 MiB page: physical 0x400010 written through the identity map, read at 0x80000010. */
    *(volatile uint32_t *)0x400010 = 0xB16B00B5;
    check("pg.pse_4m_page", *(volatile uint32_t *)(BIG + 0x10) == 0xB16B00B5, "value",
          *(volatile uint32_t *)(BIG + 0x10), 0xB16B00B5);
    check("pg.pse_pde_accessed", (pd[BIG >> 22] & PTE_A) != 0, "pde", pd[BIG >> 22], pd[BIG >> 22] | PTE_A);

    /* One physical page at two linear addresses: code written at ALIAS+0x3000, run at code_page. */
    int bad = 0;
    volatile uint8_t *w = (volatile uint8_t *)(ALIAS + 0x3000);
    for (uint32_t i = 0; i < 50; i++) {
        w[0] = 0xB8;                         /* mov $imm32, %eax */
        *(volatile uint32_t *)(w + 1) = i * 7 + 1;
        w[5] = 0xC3;                         /* ret */
        uint32_t r = ((uint32_t (*)(void))code_page)();
        if (r != i * 7 + 1)
            bad++;
    }
    check("smc.alias_write_then_execute", bad == 0, "mismatches", (uint32_t)bad, 0);
    ((volatile uint32_t *)page_a)[3] = 0x600DF00D;
    check("pg.alias_read", *(volatile uint32_t *)(ALIAS + 0x400C) == 0x600DF00D, "value",
          *(volatile uint32_t *)(ALIAS + 0x400C), 0x600DF00D);
    /* INVLPG: remap ALIAS+0x4000 to page_b; the next access sees page_b. */
    ((volatile uint32_t *)page_b)[3] = 0x0B0B0B0B;
    pt_test[4] = (uint32_t)page_b | PTE_P | PTE_W;
    invlpg(ALIAS + 0x4000);
    check("pg.invlpg_remap", *(volatile uint32_t *)(ALIAS + 0x400C) == 0x0B0B0B0B, "value",
          *(volatile uint32_t *)(ALIAS + 0x400C), 0x0B0B0B0B);

    write_cr0(read_cr0() & ~0x80000000u);
}

static void smc(void)
{
    int bad = 0;
    for (uint32_t i = 1; i <= 100; i++) {
        *(volatile uint32_t *)(smc_fn + 1) = i;    /* rewrite the immediate, then run it */
        uint32_t r = ((uint32_t (*)(void))smc_fn)();
        if (r != i)
            bad++;
    }
    check("smc.loop_rewrites_own_code", bad == 0, "mismatches", (uint32_t)bad, 0);
    bad = 0;
    for (uint32_t i = 1; i <= 100; i++)
        if ((uint32_t)call_smc_inline(i * 3) != i * 3)
            bad++;
    check("smc.write_into_running_block", bad == 0, "mismatches", (uint32_t)bad, 0);
}

static void pae(void)
{
    for (int i = 0; i < 8; i++)
        pae_pd0[i] = ((uint64_t)i << 21) | 0x80 | PTE_P | PTE_W | PTE_U;   /* 2 MiB pages, 0..16 MiB */
    pae_pd1[0] = (uint32_t)pae_pt | PTE_P | PTE_W;
    pae_pt[0] = (uint32_t)page_a | PTE_P | PTE_W;
    pae_pt[1] = 0;
    pdpt[0] = (uint32_t)pae_pd0 | PTE_P;
    pdpt[1] = (uint32_t)pae_pd1 | PTE_P;
    pdpt[2] = pdpt[3] = 0;
    ((volatile uint32_t *)page_a)[5] = 0xAE000001;
    write_cr4(read_cr4() | 0x20);                                   /* CR4.PAE */
    write_cr3((uint32_t)pdpt);
    write_cr0(read_cr0() | 0x80000000u);
    check("pae.4k_page_read", *(volatile uint32_t *)(ALIAS + 0x14) == 0xAE000001, "value",
          *(volatile uint32_t *)(ALIAS + 0x14), 0xAE000001);
    expect_pf("pae.pf_not_present", t_read, ALIAS + 0x1008, 0);
    probe_addr = ALIAS + 0x18;
    try_call(t_write);
    check("pae.pte_dirty", (pae_pt[0] & 0x60) == 0x60, "pte", (uint32_t)pae_pt[0], (uint32_t)pae_pt[0] | 0x60);
    check("pae.2m_pde_accessed", (pae_pd0[0] & PTE_A) != 0, "pde", (uint32_t)pae_pd0[0], (uint32_t)pae_pd0[0] | 0x20);
    write_cr0(read_cr0() & ~0x80000000u);
    write_cr4(read_cr4() & ~0x20u);
}

void kmain(uint32_t magic, const void *mbi)
{
    (void)magic;
    (void)mbi;
    lib_init();
    puts("systest-paging\r\n");
    two_level();
    smc();
    pae();
    finish();
}
