/*
 * A byte-code interpreter: a small register machine (8 registers, 4-byte
 * instructions) dispatched twice over -- through a switch (one indirect jump
 * through a table) and threaded with computed gotos (an indirect jump at the
 * end of every handler).
 */
#include "bench.h"

#define OUTER 200   /* outer loop count of the byte-code program */

const char bench_name[] = "interp";

enum { HALT, LI, ADD, SUB, XOR, AND, SHL, SHR, MUL, ADDI, JNZ, JMP, LD, ST, MOV, NOP };

#define I(op, a, b, c) (op), (a), (b), (c)
#define IW(op, a, v) (op), (a), ((v) & 0xFF), (((v) >> 8) & 0xFF)   /* 16-bit operand */

/* r0 outer, r1 inner, r2 LCG state, r3 multiplier, r4 increment, r6 = 255 */
static uint8_t program[] = {
    IW(LI, 3, 0x41C6),
    I(SHL, 3, 3, 16),
    IW(LI, 5, 0x4E6D),
    I(ADD, 3, 3, 5),          /* r3 = 1103515245 */
    IW(LI, 4, 12345),
    IW(LI, 2, 1),
    IW(LI, 6, 255),
    IW(LI, 0, OUTER),
    /* 8: outer */
    IW(LI, 1, 1000),
    /* 9: inner */
    I(MUL, 2, 2, 3),
    I(ADD, 2, 2, 4),
    I(SHR, 5, 2, 16),
    I(AND, 5, 5, 6),
    I(LD, 7, 5, 0),
    I(XOR, 7, 7, 2),
    I(SUB, 7, 7, 1),
    I(ST, 7, 5, 0),
    I(MOV, 5, 7, 0),
    I(NOP, 0, 0, 0),
    I(ADDI, 1, 1, 0xFF),      /* r1 -= 1 */
    IW(JNZ, 1, 9),
    I(ADDI, 0, 0, 0xFF),
    IW(JNZ, 0, 8),
    IW(JMP, 0, 25),
    I(HALT, 0, 0, 0),         /* 24: never reached */
    I(HALT, 0, 0, 0),         /* 25 */
};

static uint32_t reg[8];
static uint32_t mem[256];

#define IMM16(p) ((uint32_t)(p)[2] | (uint32_t)(p)[3] << 8)

__attribute__((noinline)) static void run_switch(const uint8_t *code)
{
    uint32_t *r = reg;
    uint32_t pc = 0;
    for (;;) {
        const uint8_t *p = code + 4 * pc++;
        switch (p[0]) {
        case HALT: return;
        case LI:   r[p[1]] = IMM16(p); break;
        case ADD:  r[p[1]] = r[p[2]] + r[p[3]]; break;
        case SUB:  r[p[1]] = r[p[2]] - r[p[3]]; break;
        case XOR:  r[p[1]] = r[p[2]] ^ r[p[3]]; break;
        case AND:  r[p[1]] = r[p[2]] & r[p[3]]; break;
        case SHL:  r[p[1]] = r[p[2]] << (p[3] & 31); break;
        case SHR:  r[p[1]] = r[p[2]] >> (p[3] & 31); break;
        case MUL:  r[p[1]] = r[p[2]] * r[p[3]]; break;
        case ADDI: r[p[1]] = r[p[2]] + (uint32_t)(int32_t)(int8_t)p[3]; break;
        case JNZ:  if (r[p[1]]) pc = IMM16(p); break;
        case JMP:  pc = IMM16(p); break;
        case LD:   r[p[1]] = mem[(r[p[2]] + p[3]) & 255]; break;
        case ST:   mem[(r[p[2]] + p[3]) & 255] = r[p[1]]; break;
        case MOV:  r[p[1]] = r[p[2]]; break;
        default:   break;
        }
    }
}

__attribute__((noinline)) static void run_threaded(const uint8_t *code)
{
    static const void *const op[16] = {
        &&halt, &&li, &&add, &&sub, &&xor, &&and, &&shl, &&shr,
        &&mul, &&addi, &&jnz, &&jmp, &&ld, &&st, &&mov, &&nop,
    };
    uint32_t *r = reg;
    const uint8_t *p = code;
#define NEXT do { p += 4; goto *op[p[0] & 15]; } while (0)
    goto *op[p[0] & 15];
li:   r[p[1]] = IMM16(p); NEXT;
add:  r[p[1]] = r[p[2]] + r[p[3]]; NEXT;
sub:  r[p[1]] = r[p[2]] - r[p[3]]; NEXT;
xor:  r[p[1]] = r[p[2]] ^ r[p[3]]; NEXT;
and:  r[p[1]] = r[p[2]] & r[p[3]]; NEXT;
shl:  r[p[1]] = r[p[2]] << (p[3] & 31); NEXT;
shr:  r[p[1]] = r[p[2]] >> (p[3] & 31); NEXT;
mul:  r[p[1]] = r[p[2]] * r[p[3]]; NEXT;
addi: r[p[1]] = r[p[2]] + (uint32_t)(int32_t)(int8_t)p[3]; NEXT;
jnz:  if (r[p[1]]) { p = code + 4 * IMM16(p); goto *op[p[0] & 15]; } NEXT;
jmp:  p = code + 4 * IMM16(p); goto *op[p[0] & 15];
ld:   r[p[1]] = mem[(r[p[2]] + p[3]) & 255]; NEXT;
st:   mem[(r[p[2]] + p[3]) & 255] = r[p[1]]; NEXT;
mov:  r[p[1]] = r[p[2]]; NEXT;
nop:  NEXT;
halt: return;
#undef NEXT
}

static uint32_t state_hash(uint32_t h)
{
    for (int i = 0; i < 8; i++)
        h = bench_fnv(h, reg[i]);
    for (int i = 0; i < 256; i++)
        h = bench_fnv(h, mem[i]);
    return h;
}

static void clear(void)
{
    for (int i = 0; i < 8; i++)
        reg[i] = 0;
    for (int i = 0; i < 256; i++)
        mem[i] = (uint32_t)i;
}

void bench_setup(void)
{
}

uint32_t bench_round(void)
{
    clear();
    run_switch(program);
    uint32_t h = state_hash(BENCH_FNV_INIT);
    clear();
    run_threaded(program);
    return state_hash(h);
}
