package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The thin layer over ASM that instruction families emit through, so that they read like
 * the SDM's pseudo-code. Conventions: every value on the JVM stack is an int zero-extended
 * from its operand size; guest registers, lazy flags, RAM and the TLB arrays are locals of
 * the translated method (DESIGN.md rules 1-3).
 */
public final class Emitter implements Opcodes {
    static final String CPU = "dev/jvmx/translator/cpu/Cpu";
    static final String MMU = "dev/jvmx/translator/mem/Mmu";
    static final String MEM = "dev/jvmx/translator/mem/PhysicalMemory";
    static final String FLAGS = "dev/jvmx/translator/flags/LazyFlags";
    static final String HELPERS = "dev/jvmx/translator/helpers/";
    static final String EXIT_BRIDGE = "dev/jvmx/translator/exit/ExitBridge";
    static final String FAULTS = "dev/jvmx/translator/cpu/Faults";

    // Local variable slots of the translated method.
    static final int L_CPU = 0;
    static final int L_REG0 = 1;          // eax..edi in 1..8
    static final int L_FOP = 9, L_FRES = 10, L_FA = 11, L_FB = 12;
    static final int L_RAM = 13, L_RTAG = 14, L_WTAG = 15, L_ADDEND = 16;
    static final int L_IDX = 17;
    static final int L_SEGBASE0 = 18;     // es..gs bases in 18..23
    static final int L_NEXT_EIP = 24, L_SLOT = 25;
    /** Instructions completed in this invocation, and the most the method may run before it looks at events. */
    static final int L_ICOUNT = 26, L_BUDGET = 27;
    /** The Cpu's register array ({@link Cpu#regs}), for spills and reloads. */
    static final int L_REGS = 28;
    static final int L_FIRST_TEMP = 29;
    /** L_IDX flag: the CPU object, not the locals, holds the guest state (a helper call is running). */
    static final int IDX_STATE_IN_CPU = 0x10000;

    public final MethodVisitor mv;
    final BlockCompiler block;
    /** The instruction being emitted. */
    public Insn insn;
    /** Its index in the block. */
    public int index;
    private int nextTemp = L_FIRST_TEMP;
    int maxTemp = L_FIRST_TEMP;

    /** Translation-time knowledge of the lazy flags: the op last stored, or -1. */
    int knownOp = -1;
    /** The last flag producer was CMP/SUB/NEG without borrow-in, so a,b compare directly. */
    boolean knownPlainSub;

    Emitter(MethodVisitor mv, BlockCompiler block) {
        this.mv = mv;
        this.block = block;
    }

    // ---- temporaries

    /** A fresh int local, valid until the end of the current instruction. */
    public int temp() {
        int t = nextTemp++;
        if (nextTemp > maxTemp) {
            maxTemp = nextTemp;
        }
        return t;
    }

    void resetTemps() {
        nextTemp = L_FIRST_TEMP;
    }

    public void iconst(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    public void iload(int local) {
        mv.visitVarInsn(ILOAD, local);
    }

    public void istore(int local) {
        mv.visitVarInsn(ISTORE, local);
    }

    public void op(int opcode) {
        mv.visitInsn(opcode);
    }

    public void aloadCpu() {
        mv.visitVarInsn(ALOAD, L_CPU);
    }

    /** Masks the int on the stack to {@code size} bytes. */
    public void mask(int size) {
        if (size == 1) {
            iconst(0xFF);
            op(IAND);
        } else if (size == 2) {
            iconst(0xFFFF);
            op(IAND);
        }
    }

    /** Sign-extends the zero-extended value of {@code size} bytes on the stack to 32 bits. */
    public void signExtend(int size) {
        if (size == 1) {
            op(I2B);
        } else if (size == 2) {
            op(I2S);
        }
    }

    // ---- registers

    public static int regLocal(int r32) {
        return L_REG0 + r32;
    }

    /** Pushes register {@code r} of {@code size} bytes (size 1 uses the AL..BH encoding). */
    public void loadReg(int r, int size) {
        if (size == 4) {
            iload(regLocal(r));
        } else if (size == 2) {
            iload(regLocal(r));
            mask(2);
        } else if (r < 4) {
            iload(regLocal(r));
            mask(1);
        } else {
            iload(regLocal(r - 4));
            iconst(8);
            op(IUSHR);
            mask(1);
        }
    }

    /** Pops a value into register {@code r} of {@code size} bytes, keeping the other bits. */
    public void storeReg(int r, int size) {
        if (size == 4) {
            istore(regLocal(r));
            return;
        }
        int t = temp();
        istore(t);
        int local = regLocal(size == 1 && r >= 4 ? r - 4 : r);
        int keep = size == 2 ? 0xFFFF0000 : r < 4 ? 0xFFFFFF00 : 0xFFFF00FF;
        iload(local);
        iconst(keep);
        op(IAND);
        iload(t);
        iconst(size == 2 ? 0xFFFF : 0xFF);
        op(IAND);
        if (size == 1 && r >= 4) {
            iconst(8);
            op(ISHL);
        }
        op(IOR);
        istore(local);
    }

    // ---- addresses

    /** Pushes the effective address (offset within the segment) of a memory operand. */
    public void effectiveAddress(Operand m) {
        boolean any = false;
        if (m.base >= 0) {
            iload(regLocal(m.base));
            any = true;
        }
        if (m.index >= 0) {
            iload(regLocal(m.index));
            if (m.scale != 0) {
                iconst(m.scale);
                op(ISHL);
            }
            if (any) {
                op(IADD);
            }
            any = true;
        }
        if (!any) {
            iconst(m.disp);
        } else if (m.disp != 0) {
            iconst(m.disp);
            op(IADD);
        }
        if (insn.addressSize == 2) {
            mask(2);
        }
    }

    /**
     * Adds the base of segment register {@code s} to the offset on the stack; nothing when the
     * block's mode says the base is 0 (protected-mode flat code, the common case).
     */
    public void addSegBase(int s) {
        if ((block.mode & (1 << (dev.jvmx.translator.helpers.Segmentation.MODE_ZERO_BASE_SHIFT + s))) != 0) {
            return;
        }
        block.useSegment(s);
        iload(L_SEGBASE0 + s);
        op(IADD);
    }

    /** Pushes the linear address of a memory operand. */
    public void linearAddress(Operand m) {
        effectiveAddress(m);
        addSegBase(m.seg);
    }

    /** Resolves an operand: for memory, its linear address is computed once into a temp. */
    public Loc resolve(Operand o) {
        if (o.kind == Operand.Kind.MEM) {
            int t = temp();
            if ((!block.protectedMode || block.v86) && insn.addressSize == 2 && o.size > 1) {
                // Real mode / V86: an operand that runs past offset FFFF exceeds the 64 KiB limit:
                // #GP(0), as the hardware-captured 286 tests show (it does not wrap to offset 0).
                Label inside = new Label();
                effectiveAddress(o);
                op(DUP);
                istore(t);
                iconst(0x10000 - o.size);
                mv.visitJumpInsn(IF_ICMPLE, inside);
                raise(dev.jvmx.translator.arch.Vector.GP, 0, true);
                mv.visitLabel(inside);
                iload(t);
                addSegBase(o.seg);
                istore(t);
                return Loc.memory(t);
            }
            if (segChecked(o.seg) || (!block.protectedMode || block.v86) && insn.addressSize == 4) {
                // A segment that is not flat (or a 32-bit offset in real mode): limit checks.
                effectiveAddress(o);
                istore(t);
                checkSegmentAccess(o.seg, t, o.size > 0 ? o.size : 1, writesOperand(o));
                iload(t);
                addSegBase(o.seg);
                istore(t);
                return Loc.memory(t);
            }
            linearAddress(o);
            istore(t);
            return Loc.memory(t);
        }
        if (o.kind == Operand.Kind.REG) {
            return Loc.register(o.reg);
        }
        return Loc.immediate(o.imm);
    }

    /**
     * The instruction writes memory operand {@code o} (its destination, for the families
     * that store there): the segment must then be writable. Read-modify-write is a write.
     */
    private boolean writesOperand(Operand o) {
        if (insn.operands.length == 0 || insn.operands[0] != o) {
            return false;
        }
        switch (insn.mnemonic) {
            case CMP: case TEST: case PUSH: case BT: case BOUND: case JMP_IND: case CALL_IND:
            case JMP_FAR_IND: case CALL_FAR_IND: case LGDT: case LIDT: case LLDT: case LTR:
            case LMSW: case VERR: case VERW: case INVLPG: case MOV_SEG_LOAD:
            case MUL: case IMUL: case DIV: case IDIV:
                return false;
            default:
                return true;
        }
    }

    /**
     * Checks an implicit-operand access (string instructions) of {@code size} bytes at the
     * offset in local {@code offLocal} through segment {@code s}, as {@link #resolve} does
     * for ModRM operands: real/V86 16-bit offsets may not run past FFFF; segments that are
     * not flat get the full limit and type check.
     */
    public void checkOffset(int s, int offLocal, int size, boolean write) {
        if ((!block.protectedMode || block.v86) && insn.addressSize == 2) {
            if (size > 1) {
                Label inside = new Label();
                iload(offLocal);
                iconst(0x10000 - size);
                mv.visitJumpInsn(IF_ICMPLE, inside);
                raise(dev.jvmx.translator.arch.Vector.GP, 0, true);
                mv.visitLabel(inside);
            }
        } else if (segChecked(s) || (!block.protectedMode || block.v86)) {
            checkSegmentAccess(s, offLocal, size, write);
        }
    }

    /** True when accesses through segment {@code s} need limit checks in this block's mode. */
    private boolean segChecked(int s) {
        return (block.mode & (1 << (dev.jvmx.translator.helpers.Segmentation.MODE_CHECK_SHIFT + s))) != 0;
    }

    /**
     * Emits the limit/type check of an access of {@code size} bytes at the offset in local
     * {@code eaLocal} through segment {@code s}: #GP(0) or #SS(0) when it fails.
     */
    private void checkSegmentAccess(int s, int eaLocal, int size, boolean write) {
        aloadCpu();
        iconst(s);
        iload(eaLocal);
        iconst(size);
        if (block.protectedMode && !block.v86) {
            iconst(write ? 1 : 0);
            mv.visitMethodInsn(INVOKESTATIC, HELPERS + "Segmentation", "checkAccess", "(L" + CPU + ";IIIZ)V", false);
        } else {
            mv.visitMethodInsn(INVOKESTATIC, HELPERS + "Segmentation", "checkRealLimit", "(L" + CPU + ";III)V", false);
        }
    }

    /** Pushes the value of a resolved operand. */
    public void load(Loc l, int size) {
        switch (l.kind) {
            case REG: loadReg(l.value, size); break;
            case IMM: iconst(size == 4 ? l.value : l.value & (size == 2 ? 0xFFFF : 0xFF)); break;
            default: read(size, l.value); break;
        }
    }

    /** Pops a value into a resolved operand. */
    public void store(Loc l, int size) {
        if (l.kind == Loc.Kind.REG) {
            storeReg(l.value, size);
        } else {
            int v = temp();
            istore(v);
            write(size, l.value, v);
        }
    }

    public void loadOperand(Operand o, int size) {
        if (o.kind == Operand.Kind.IMM) {
            iconst(size == 4 ? o.imm : o.imm & (size == 2 ? 0xFFFF : 0xFF));
        } else {
            load(resolve(o), size);
        }
    }

    // ---- guest memory: inline TLB probe, slow path on a miss (DESIGN.md rule 3)

    /** Pushes the {@code size}-byte value at the linear address in local {@code lin}. */
    public void read(int size, int lin) {
        Label slow = new Label();
        Label done = new Label();
        int idx = probe(L_RTAG, lin, size, slow);
        pushHostIndex(lin, idx);
        if (size == 1) {
            op(BALOAD);
            mask(1);
        } else if (size == 2) {
            mv.visitFieldInsn(GETSTATIC, MEM, "VH16", "Ljava/lang/invoke/VarHandle;");
            op(DUP_X2);
            op(POP);
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/VarHandle", "get", "([BI)S", false);
            mask(2);
        } else {
            mv.visitFieldInsn(GETSTATIC, MEM, "VH32", "Ljava/lang/invoke/VarHandle;");
            op(DUP_X2);
            op(POP);
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/VarHandle", "get", "([BI)I", false);
        }
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(slow);
        aloadCpu();
        mv.visitFieldInsn(GETFIELD, CPU, "mmu", "L" + MMU + ";");
        iload(lin);
        mv.visitMethodInsn(INVOKEVIRTUAL, MMU, "read" + size * 8, "(I)I", false);
        mv.visitLabel(done);
    }

    /** Writes the value in local {@code val} to the linear address in local {@code lin}. */
    public void write(int size, int lin, int val) {
        Label slow = new Label();
        Label done = new Label();
        int idx = probe(L_WTAG, lin, size, slow);
        if (size == 1) {
            pushHostIndex(lin, idx);
            iload(val);
            op(BASTORE);
        } else {
            mv.visitFieldInsn(GETSTATIC, MEM, size == 2 ? "VH16" : "VH32", "Ljava/lang/invoke/VarHandle;");
            pushHostIndex(lin, idx);
            iload(val);
            if (size == 2) {
                op(I2S);
                mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/VarHandle", "set", "([BIS)V", false);
            } else {
                mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/invoke/VarHandle", "set", "([BII)V", false);
            }
        }
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(slow);
        aloadCpu();
        mv.visitFieldInsn(GETFIELD, CPU, "mmu", "L" + MMU + ";");
        iload(lin);
        iload(val);
        mv.visitMethodInsn(INVOKEVIRTUAL, MMU, "write" + size * 8, "(II)V", false);
        mv.visitLabel(done);
    }

    /**
     * The TLB probe: computes the entry index of the address in local {@code lin} into a new
     * temp (returned) and jumps to {@code miss} unless the entry of tag array {@code tagLocal}
     * maps the page of the access's last byte.
     */
    private int probe(int tagLocal, int lin, int size, Label miss) {
        int idx = temp();
        tlbIndex(lin, idx);
        mv.visitVarInsn(ALOAD, tagLocal);
        iload(idx);
        op(IALOAD);
        tagOf(lin, size);
        mv.visitJumpInsn(IF_ICMPNE, miss);
        return idx;
    }

    /** Pushes RAM and the index of the access in it: lin + addend[idx]. */
    private void pushHostIndex(int lin, int idx) {
        mv.visitVarInsn(ALOAD, L_RAM);
        iload(lin);
        mv.visitVarInsn(ALOAD, L_ADDEND);
        iload(idx);
        op(IALOAD);
        op(IADD);
    }

    private void tlbIndex(int lin, int idx) {
        iload(lin);
        iconst(PhysicalMemory.PAGE_SHIFT);
        op(IUSHR);
        iconst(Mmu.TLB_MASK);
        op(IAND);
        istore(idx);
    }

    /** The tag an access must match: the page of its last byte, so page-crossing accesses miss. */
    private void tagOf(int lin, int size) {
        iload(lin);
        if (size > 1) {
            iconst(size - 1);
            op(IADD);
        }
        iconst(~(PhysicalMemory.PAGE_SIZE - 1));
        op(IAND);
    }

    // ---- the guest stack

    /** Pushes the stack pointer's value as the address size of the stack uses it. */
    private void newStackPointer(int delta, int tNewEsp) {
        iload(regLocal(Cpu.ESP));
        iconst(delta);
        op(IADD);
        if (!block.stack32) {
            mask(2);
            iload(regLocal(Cpu.ESP));
            iconst(0xFFFF0000);
            op(IAND);
            op(IOR);
        }
        istore(tNewEsp);
    }

    /** Pushes the value on the JVM stack onto the guest stack ({@code size} 2 or 4). */
    public void push(int size) {
        int v = temp();
        istore(v);
        int newEsp = temp();
        newStackPointer(-size, newEsp);
        int lin = temp();
        iload(newEsp);
        if (!block.stack32) {
            mask(2);
        }
        if (segChecked(Seg.SS)) {
            istore(lin);
            checkSegmentAccess(Seg.SS, lin, size, true);
            iload(lin);
        }
        addSegBase(Seg.SS);
        istore(lin);
        write(size, lin, v);
        iload(newEsp);
        istore(regLocal(Cpu.ESP));
    }

    /** Reads the top of the guest stack without popping; pushes the value. */
    public void peek(int size, int offset) {
        int lin = temp();
        iload(regLocal(Cpu.ESP));
        if (offset != 0) {
            iconst(offset);
            op(IADD);
        }
        if (!block.stack32) {
            mask(2);
        }
        if (!block.protectedMode || block.v86) {
            // Real mode / V86: a read past offset FFFF of the 64 KiB stack segment is #GP(0) (286 data), no wrap.
            Label inside = new Label();
            op(DUP);
            iconst(0x10000 - size);
            mv.visitJumpInsn(IF_ICMPLE, inside);
            raise(dev.jvmx.translator.arch.Vector.GP, 0, true);
            mv.visitLabel(inside);
        } else if (segChecked(Seg.SS)) {
            istore(lin);
            checkSegmentAccess(Seg.SS, lin, size, false);
            iload(lin);
        }
        addSegBase(Seg.SS);
        istore(lin);
        read(size, lin);
    }

    /** Pops {@code size} bytes from the guest stack onto the JVM stack. */
    public void pop(int size) {
        peek(size, 0);
        adjustEsp(size);
    }

    /** ESP += delta, in the stack's address size. */
    public void adjustEsp(int delta) {
        int t = temp();
        newStackPointer(delta, t);
        iload(t);
        istore(regLocal(Cpu.ESP));
    }

    // ---- lazy flags

    /** Records a lazy-flags producer: op constant and the values in three locals. */
    public void setFlags(int op, int res, int a, int b, boolean plainSub) {
        iconst(op);
        istore(L_FOP);
        iload(res);
        istore(L_FRES);
        iload(a);
        istore(L_FA);
        iload(b);
        istore(L_FB);
        knownOp = op;
        knownPlainSub = plainSub;
    }

    /** The six status flags, computed, are on the stack in EFLAGS positions. */
    public void setFlagsComputed() {
        istore(L_FRES);
        iconst(LazyFlags.OP_FLAGS);
        istore(L_FOP);
        knownOp = LazyFlags.OP_FLAGS;
        knownPlainSub = false;
    }

    /** Pushes the six status flags, materialised, in EFLAGS positions. */
    public void loadArithFlags() {
        pushLazy();
        mv.visitMethodInsn(INVOKESTATIC, FLAGS, "compute", "(IIII)I", false);
    }

    private void pushLazy() {
        iload(L_FOP);
        iload(L_FRES);
        iload(L_FA);
        iload(L_FB);
    }

    /** Pushes CF (0 or 1). */
    public void loadCf() {
        if (knownOp == LazyFlags.OP_FLAGS) {
            iload(L_FRES);
            iconst(1);
            op(IAND);
            return;
        }
        if (knownOp >= LazyFlags.OP_LOGIC && knownOp < LazyFlags.OP_LOGIC + 3) {
            iconst(0);
            return;
        }
        pushLazy();
        mv.visitMethodInsn(INVOKESTATIC, FLAGS, "cf", "(IIII)I", false);
    }

    /** Jumps to {@code target} when condition tttn {@code cc} holds; fuses CMP/TEST with the branch. */
    public void jumpIf(int cc, Label target) {
        if (knownOp >= 0 && fusedJump(cc, target)) {
            return;
        }
        iconst(cc);
        pushLazy();
        mv.visitMethodInsn(INVOKESTATIC, FLAGS, "cond", "(IIIII)Z", false);
        mv.visitJumpInsn(IFNE, target);
    }

    /** Pushes 1 when condition {@code cc} holds, else 0. */
    public void loadCond(int cc) {
        Label yes = new Label();
        Label done = new Label();
        jumpIf(cc, yes);
        iconst(0);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(yes);
        iconst(1);
        mv.visitLabel(done);
    }

    /** Pushes the lazy result sign-extended to 32 bits. */
    private void loadSignedRes(int size) {
        iload(L_FRES);
        signExtend(size);
    }

    /**
     * One JVM compare-and-branch for a condition after a known producer (DESIGN.md rule 2).
     * Returns false when the condition needs the generic evaluation.
     */
    private boolean fusedJump(int cc, Label target) {
        int op = knownOp;
        if (op == LazyFlags.OP_FLAGS) {
            return false;
        }
        int size = LazyFlags.sizeOf(op);
        boolean negate = (cc & 1) != 0;
        int base = cc & ~1;
        if (op >= LazyFlags.OP_SUB && op < LazyFlags.OP_SUB + 3 && knownPlainSub) {
            switch (base) {
                case 2: case 6: { // B, BE: unsigned a < b, a <= b
                    unsignedOperand(L_FA, size);
                    unsignedOperand(L_FB, size);
                    int jop = base == 2 ? (negate ? IF_ICMPGE : IF_ICMPLT) : (negate ? IF_ICMPGT : IF_ICMPLE);
                    mv.visitJumpInsn(jop, target);
                    return true;
                }
                case 4: // E
                    iload(L_FA);
                    iload(L_FB);
                    mv.visitJumpInsn(negate ? IF_ICMPNE : IF_ICMPEQ, target);
                    return true;
                case 12: case 14: { // L, LE: signed a < b, a <= b
                    iload(L_FA);
                    signExtend(size);
                    iload(L_FB);
                    signExtend(size);
                    int jop = base == 12 ? (negate ? IF_ICMPGE : IF_ICMPLT) : (negate ? IF_ICMPGT : IF_ICMPLE);
                    mv.visitJumpInsn(jop, target);
                    return true;
                }
                case 8: // S
                    loadSignedRes(size);
                    mv.visitJumpInsn(negate ? IFGE : IFLT, target);
                    return true;
                default:
                    return false;
            }
        }
        boolean logic = op >= LazyFlags.OP_LOGIC && op < LazyFlags.OP_LOGIC + 3;
        switch (base) {
            case 4: // E: ZF from the result for every lazy family
                iload(L_FRES);
                mv.visitJumpInsn(negate ? IFNE : IFEQ, target);
                return true;
            case 8: // S
                loadSignedRes(size);
                mv.visitJumpInsn(negate ? IFGE : IFLT, target);
                return true;
            default:
                break;
        }
        if (logic) {
            switch (base) {
                case 0: case 2: // O, B: always clear after a logic op
                    if (negate) {
                        mv.visitJumpInsn(GOTO, target);
                    }
                    return true;
                case 6: // BE = ZF
                    iload(L_FRES);
                    mv.visitJumpInsn(negate ? IFNE : IFEQ, target);
                    return true;
                case 12: // L = SF
                    loadSignedRes(size);
                    mv.visitJumpInsn(negate ? IFGE : IFLT, target);
                    return true;
                case 14: // LE = ZF or SF
                    loadSignedRes(size);
                    mv.visitJumpInsn(negate ? IFGT : IFLE, target);
                    return true;
                default:
                    return false;
            }
        }
        return false;
    }

    /** Pushes a masked operand so that a signed JVM compare orders it as unsigned. */
    private void unsignedOperand(int local, int size) {
        iload(local);
        if (size == 4) {
            iconst(Integer.MIN_VALUE);
            op(IXOR);
        }
    }

    /** Forgets translation-time flag knowledge (after a helper changed the lazy state). */
    public void flagsUnknown() {
        knownOp = -1;
        knownPlainSub = false;
    }

    // ---- calls out of translated code

    /** Stores the guest registers and lazy flags from the locals into the Cpu object. */
    public void spill() {
        for (int r = 0; r < 8; r++) {
            mv.visitVarInsn(ALOAD, L_REGS);
            iconst(r);
            iload(regLocal(r));
            op(IASTORE);
        }
        spillFlags();
    }

    void spillFlags() {
        String[] f = {"flagOp", "flagRes", "flagA", "flagB"};
        for (int i = 0; i < 4; i++) {
            aloadCpu();
            iload(L_FOP + i);
            mv.visitFieldInsn(PUTFIELD, CPU, f[i], "I");
        }
    }

    /** Reloads the guest registers and lazy flags from the Cpu object. */
    public void reload() {
        for (int r = 0; r < 8; r++) {
            mv.visitVarInsn(ALOAD, L_REGS);
            iconst(r);
            op(IALOAD);
            istore(regLocal(r));
        }
        String[] f = {"flagOp", "flagRes", "flagA", "flagB"};
        for (int i = 0; i < 4; i++) {
            aloadCpu();
            mv.visitFieldInsn(GETFIELD, CPU, f[i], "I");
            istore(L_FOP + i);
        }
        flagsUnknown();
    }

    /**
     * Calls a static helper that works on the Cpu object: the state is spilled, EIP is set
     * to this instruction, the call is made with the arguments the caller pushes in
     * {@code args}, and the state is reloaded. A fault inside the helper leaves the Cpu
     * object as the helper left it.
     */
    public void callWithState(String owner, String name, String desc, Runnable args) {
        spill();
        setEip(insn.address);
        stateInCpu(true);
        aloadCpu();
        if (args != null) {
            args.run();
        }
        mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
        stateInCpu(false);
        reload();
    }

    void stateInCpu(boolean inCpu) {
        iconst(inCpu ? index | IDX_STATE_IN_CPU : index);
        istore(L_IDX);
    }

    public void setEip(int eip) {
        aloadCpu();
        iconst(eip);
        mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
    }

    /** Raises a guest exception at this instruction (the fault handler restores its state). */
    public void raise(int vector, int errorCode, boolean hasErrorCode) {
        aloadCpu();
        iconst(vector);
        iconst(errorCode);
        iconst(hasErrorCode ? 1 : 0);
        mv.visitMethodInsn(INVOKESTATIC, FAULTS, "raise", "(L" + CPU + ";IIZ)Ldev/jvmx/translator/cpu/GuestFault;", false);
        op(ATHROW);
    }

    /** Counts a virtualization hole by name (issue: ring aliasing, non-faulting reads, IF ...). */
    public void countHole(String name) {
        aloadCpu();
        mv.visitLdcInsn(name);
        mv.visitMethodInsn(INVOKESTATIC, EXIT_BRIDGE, "hole", "(L" + CPU + ";Ljava/lang/String;)V", false);
    }

    // ---- block ends

    /** The block ends here and continues at the constant {@code eip}, chained through {@code slot}. */
    public void exitTo(int eip, int slot) {
        block.exitTo(this, eip, slot);
    }

    /**
     * One leg of a conditional block end: continues at {@code eip} through {@code slot}; the
     * caller emits the branch around it and ends the block with {@link #exitTo} for the other leg.
     */
    public void exitLeg(int eip, int slot) {
        block.exitLeg(this, eip, slot);
    }

    /** The block ends here and continues at the EIP on the JVM stack, without chaining. */
    public void exitIndirect() {
        block.exitIndirect(this, dev.jvmx.translator.codegen.CompiledBlock.UNCHAINED);
    }

    /** A near indirect branch: continues at the EIP on the JVM stack in the same mode (inline-cached). */
    public void exitIndirectNear() {
        block.exitIndirect(this, dev.jvmx.translator.codegen.CompiledBlock.INDIRECT);
    }

    /** The address of the next instruction, wrapped to the code segment's size. */
    public int nextEip() {
        int n = insn.address + insn.length;
        return block.code32 ? n : n & 0xFFFF;
    }

    public boolean code32() {
        return block.code32;
    }

    public boolean stack32() {
        return block.stack32;
    }

    public boolean protectedMode() {
        return block.protectedMode;
    }

    public boolean v86() {
        return block.v86;
    }

    public int cpl() {
        return block.cpl;
    }

    /** The instruction just emitted ended in a throw: nothing after it in the block is reachable. */
    public void endBlockHere() {
        block.endNow();
    }

    /** Ends the block after this instruction (its successor may depend on state it changed). */
    public void endBlockAfter() {
        block.endAfter = true;
    }
}
