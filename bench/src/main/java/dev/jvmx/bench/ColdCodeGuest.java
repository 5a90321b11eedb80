package dev.jvmx.bench;

import java.util.Random;

/**
 * A generated flat 32-bit guest of many distinct basic blocks, each reached once per run: the
 * shape of real guests' start-up code (firmware, a kernel's initialisation), where most blocks
 * run a handful of times. Instruction bytes are emitted directly (IA-32 encodings from the SDM
 * Vol. 2 opcode tables), from a seeded {@link Random}, so the same {@code (blocks, seed)} gives
 * the same bytes on every JVM.
 *
 * <p>Each block is 2 to 10 instructions drawn from a mix of integer ALU (register, immediate and
 * memory operands, ADC/SBB across blocks), MOV/MOVZX/LEA, shifts and rotates, IMUL, INC/DEC,
 * NOT/NEG, BSWAP, SETcc, CMOVcc, TEST, PUSH/POP and loads and stores to a 64 KiB data area, then
 * one of five ways to the next block: JMP rel32; Jcc rel32 followed by a JMP rel32 to the same
 * block (that JMP is a block of its own, run when the condition is false); MOV reg, imm32 and
 * JMP reg; PUSH imm32 and RET; CALL rel32 to a block that starts with a POP. The blocks sit in
 * memory in shuffled order within groups of 64, so the chain jumps back and forth over a few
 * pages as real code does. Block 0 loads EBP with the data area's address (EBP and ESP are
 * never written otherwise); the last block is {@code cli; hlt}. Nothing can fault: no division,
 * no memory operand but [EBP + disp32] inside the data area and the stack.
 */
final class ColdCodeGuest {
    /** Where the code starts (physical = linear: flat segments, paging off). */
    static final int CODE = 0x100000;
    /** Below the code: the stack grows down from here. */
    static final int STACK_TOP = 0x80000;
    static final int DATA_SIZE = 64 * 1024;
    /** Blocks whose memory order is shuffled together. */
    private static final int GROUP = 64;

    /** The code bytes, to load at {@link #CODE}; the entry is {@code CODE + entryOffset}. */
    final byte[] code;
    final int entryOffset;
    /** The data area's address and its initial bytes (random). */
    final int data;
    final byte[] dataInit;
    /** Guest RAM that holds stack, code and data. */
    final int ramBytes;
    final int blocks;
    /** The address after the final {@code hlt}: EIP when a run has ended as it should. */
    final int end;
    /** Blocks that end in Jcc + JMP: each adds a one-instruction block (the JMP) when its condition is false. */
    final int conditional;

    private ColdCodeGuest(byte[] code, int entryOffset, int end, int conditional, int data, byte[] dataInit,
                          int ramBytes, int blocks) {
        this.code = code;
        this.entryOffset = entryOffset;
        this.end = end;
        this.conditional = conditional;
        this.data = data;
        this.dataInit = dataInit;
        this.ramBytes = ramBytes;
        this.blocks = blocks;
    }

    int entry() {
        return CODE + entryOffset;
    }

    /** The registers ALU instructions write: EAX, ECX, EDX, EBX, ESI, EDI (never ESP, EBP). */
    private static final int[] REGS = {0, 1, 2, 3, 6, 7};
    /** ALU ops by their /digit: ADD OR ADC SBB AND SUB XOR CMP (opcode = digit << 3 | 1 for Ev,Gv). */
    private static final int ALU_OPS = 8;
    /** Shift and rotate /digits: ROL ROR RCL RCR SHL SHR SAR. */
    private static final int[] SHIFTS = {0, 1, 2, 3, 4, 5, 7};

    private enum Exit { JMP, JCC_JMP, JMP_REG, PUSH_RET, CALL, HLT }

    /** Generates {@code blocks} blocks (at least 2) from {@code seed}. */
    static ColdCodeGuest generate(int blocks, long seed) {
        if (blocks < 2) {
            throw new IllegalArgumentException("blocks must be at least 2: " + blocks);
        }
        Random rnd = new Random(seed);
        Exit[] exits = new Exit[blocks];
        byte[][] bodies = new byte[blocks][];
        int[] exitReg = new int[blocks];
        int[] cond = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            exits[i] = i == blocks - 1 ? Exit.HLT : pickExit(rnd);
            exitReg[i] = REGS[rnd.nextInt(REGS.length)];
            cond[i] = rnd.nextInt(16);
        }
        int dataPlaceholder = 0; // the data address is known only after layout; block 0 gets it below
        for (int i = 0; i < blocks; i++) {
            Bytes b = new Bytes();
            if (i == 0) {
                b.u8(0xBD).u32(dataPlaceholder); // mov ebp, imm32 (patched)
            }
            if (i > 0 && exits[i - 1] == Exit.CALL) {
                b.u8(0x58 | REGS[rnd.nextInt(REGS.length)]); // pop r32: drop the return address
            }
            int n = 2 + rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                instruction(b, rnd);
            }
            bodies[i] = b.toArray();
        }
        // Memory order: blocks shuffled within each group.
        int[] order = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            order[i] = i;
        }
        for (int g = 0; g < blocks; g += GROUP) {
            int end = Math.min(blocks, g + GROUP);
            for (int i = end - 1; i > g; i--) {
                int j = g + rnd.nextInt(i - g + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] addr = new int[blocks];
        int pc = CODE;
        for (int k = 0; k < blocks; k++) {
            int i = order[k];
            addr[i] = pc;
            pc += bodies[i].length + exitLength(exits[i]);
        }
        int codeEnd = pc;
        int data = (codeEnd + 0xFFF) & ~0xFFF;
        int ram = ((data + DATA_SIZE + 0xFFFFF) & ~0xFFFFF) + (1 << 20);
        byte[] code = new byte[codeEnd - CODE];
        for (int k = 0; k < blocks; k++) {
            int i = order[k];
            int at = addr[i] - CODE;
            byte[] body = bodies[i];
            System.arraycopy(body, 0, code, at, body.length);
            if (i == 0) {
                putU32(code, at + 1, data);
            }
            Bytes e = new Bytes();
            int from = addr[i] + body.length;
            int next = i + 1 < blocks ? addr[i + 1] : 0;
            switch (exits[i]) {
                case JMP:
                    e.u8(0xE9).u32(next - (from + 5));
                    break;
                case JCC_JMP:
                    e.u8(0x0F).u8(0x80 | cond[i]).u32(next - (from + 6));
                    e.u8(0xE9).u32(next - (from + 11));
                    break;
                case JMP_REG:
                    e.u8(0xB8 | exitReg[i]).u32(next); // mov r32, imm32
                    e.u8(0xFF).u8(0xE0 | exitReg[i]); // jmp r32
                    break;
                case PUSH_RET:
                    e.u8(0x68).u32(next).u8(0xC3); // push imm32; ret
                    break;
                case CALL:
                    e.u8(0xE8).u32(next - (from + 5));
                    break;
                default:
                    e.u8(0xFA).u8(0xF4); // cli; hlt
                    break;
            }
            byte[] x = e.toArray();
            System.arraycopy(x, 0, code, at + body.length, x.length);
        }
        byte[] dataInit = new byte[DATA_SIZE];
        rnd.nextBytes(dataInit);
        int last = blocks - 1;
        int end = addr[last] + bodies[last].length + exitLength(Exit.HLT);
        int conditional = 0;
        for (Exit x : exits) {
            conditional += x == Exit.JCC_JMP ? 1 : 0;
        }
        return new ColdCodeGuest(code, addr[0] - CODE, end, conditional, data, dataInit, ram, blocks);
    }

    private static Exit pickExit(Random rnd) {
        int p = rnd.nextInt(100);
        return p < 40 ? Exit.JMP : p < 70 ? Exit.JCC_JMP : p < 80 ? Exit.JMP_REG : p < 90 ? Exit.PUSH_RET : Exit.CALL;
    }

    private static int exitLength(Exit x) {
        switch (x) {
            case JMP: return 5;
            case JCC_JMP: return 11;
            case JMP_REG: return 7;
            case PUSH_RET: return 6;
            case CALL: return 5;
            default: return 2;
        }
    }

    /** A displacement into the data area for a dword access. */
    private static int disp(Random rnd) {
        return rnd.nextInt(DATA_SIZE / 4) * 4;
    }

    /** One instruction of the body's mix. ModRM: mod 11 = register; mod 10, r/m 101 = [EBP + disp32]. */
    private static void instruction(Bytes b, Random rnd) {
        int d = REGS[rnd.nextInt(REGS.length)];
        int s = REGS[rnd.nextInt(REGS.length)];
        switch (rnd.nextInt(20)) {
            case 0: case 1: case 2: // ALU r/m32, r32
                b.u8(rnd.nextInt(ALU_OPS) << 3 | 1).u8(0xC0 | s << 3 | d);
                break;
            case 3: // ALU r32, imm8 (sign-extended)
                b.u8(0x83).u8(0xC0 | rnd.nextInt(ALU_OPS) << 3 | d).u8(rnd.nextInt(256));
                break;
            case 4: // ALU r32, imm32
                b.u8(0x81).u8(0xC0 | rnd.nextInt(ALU_OPS) << 3 | d).u32(rnd.nextInt());
                break;
            case 5: // mov r32, imm32
                b.u8(0xB8 | d).u32(rnd.nextInt());
                break;
            case 6: // mov r32, r32
                b.u8(0x89).u8(0xC0 | s << 3 | d);
                break;
            case 7: // mov r32, [ebp + disp32]
                b.u8(0x8B).u8(0x80 | d << 3 | 5).u32(disp(rnd));
                break;
            case 8: // mov [ebp + disp32], r32
                b.u8(0x89).u8(0x80 | s << 3 | 5).u32(disp(rnd));
                break;
            case 9: // ALU r32, [ebp + disp32] (opcode digit << 3 | 3: Gv,Ev)
                b.u8(rnd.nextInt(ALU_OPS) << 3 | 3).u8(0x80 | d << 3 | 5).u32(disp(rnd));
                break;
            case 10: // ALU [ebp + disp32], r32 (read-modify-write)
                b.u8(rnd.nextInt(ALU_OPS) << 3 | 1).u8(0x80 | s << 3 | 5).u32(disp(rnd));
                break;
            case 11: { // lea r32, [base + index*scale + disp8]
                int index = REGS[rnd.nextInt(REGS.length)];
                b.u8(0x8D).u8(0x44 | d << 3).u8(rnd.nextInt(4) << 6 | index << 3 | s).u8(rnd.nextInt(256));
                break;
            }
            case 12: // shift/rotate r32, imm8
                b.u8(0xC1).u8(0xC0 | SHIFTS[rnd.nextInt(SHIFTS.length)] << 3 | d).u8(1 + rnd.nextInt(31));
                break;
            case 13: // imul r32, r32, imm8
                b.u8(0x6B).u8(0xC0 | d << 3 | s).u8(rnd.nextInt(256));
                break;
            case 14: // inc / dec r32
                b.u8((rnd.nextBoolean() ? 0x40 : 0x48) | d);
                break;
            case 15: // not / neg r32
                b.u8(0xF7).u8(0xC0 | (rnd.nextBoolean() ? 2 : 3) << 3 | d);
                break;
            case 16: // movzx r32, byte [ebp + disp32]
                b.u8(0x0F).u8(0xB6).u8(0x80 | d << 3 | 5).u32(rnd.nextInt(DATA_SIZE));
                break;
            case 17: // setcc r8 (AL, CL, DL, BL) or bswap r32
                if (rnd.nextBoolean()) {
                    b.u8(0x0F).u8(0x90 | rnd.nextInt(16)).u8(0xC0 | rnd.nextInt(4));
                } else {
                    b.u8(0x0F).u8(0xC8 | d);
                }
                break;
            case 18: // cmovcc r32, r32 or test r32, r32
                if (rnd.nextBoolean()) {
                    b.u8(0x0F).u8(0x40 | rnd.nextInt(16)).u8(0xC0 | d << 3 | s);
                } else {
                    b.u8(0x85).u8(0xC0 | s << 3 | d);
                }
                break;
            default: // push r32; pop r32
                b.u8(0x50 | s).u8(0x58 | d);
                break;
        }
    }

    private static void putU32(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }

    /** A little-endian byte buffer. */
    private static final class Bytes {
        private byte[] a = new byte[64];
        private int n;

        Bytes u8(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = (byte) v;
            return this;
        }

        Bytes u32(int v) {
            return u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24);
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
