package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitReason;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The thin layer over ASM that instruction emitters write through, so that they read like the
 * SDM's pseudo-code. Conventions: every value on the JVM stack is an int zero-extended from its
 * operand size.
 *
 * <p>One emitter serves both execution tiers (STYLE.md, "one semantics, several tiers"):
 * <ul>
 * <li>a <b>translated block</b> (second tier): guest registers and lazy flags live in locals of
 * the method (DESIGN.md rules 1-2), every value of the instruction is a constant;</li>
 * <li>a <b>handler</b> (first tier): one method shared by every instruction of a form
 * ({@link Insn#form()}), called with the instruction record; the guest state stays in the
 * {@link Cpu}, and per-instance values (register numbers, immediates, displacements, addresses)
 * are read from the record, and what depends on the VM-execution controls is asked when the
 * handler runs, so the handler does not depend on them.</li>
 * </ul>
 * Instruction emitters ask the emitter for every per-instance value ({@link #operand},
 * {@link #pushNext}, {@link #knownImm} ...) and never read the {@link Insn} themselves, so the
 * same code serves both; mode questions ({@link #protectedMode()} ...) are recorded, so that a
 * handler is reused in every mode that answers them alike.
 */
public final class Emitter implements Opcodes {
    // Local variable slots of a translated block.
    static final int L_CPU = 0;
    static final int L_REG0 = 1;          // eax..edi in 1..8
    static final int L_FOP = 9, L_FRES = 10, L_FA = 11, L_FB = 12;
    /** RAM, and the TLB's read and write entries ({@link Mmu#entry}). */
    static final int L_RAM = 13, L_TLB_READ = 14, L_TLB_WRITE = 15;
    /**
     * The code-page flags ({@link PhysicalMemory#codePageFlags}), in code that stores to RAM
     * directly ({@link #directWrites}).
     */
    static final int L_CODE_PAGE = 16;
    static final int L_IDX = 17;
    static final int L_SEGBASE0 = 18;     // es..gs bases in 18..23
    static final int L_NEXT_EIP = 24, L_SLOT = 25;
    /** Instructions completed in this invocation, and the most the method may run before it looks at events. */
    static final int L_ICOUNT = 26, L_BUDGET = 27;
    /** The Cpu's register array ({@link Cpu#regs}). */
    static final int L_REGS = 28;
    static final int L_FIRST_TEMP = 29;
    /**
     * XMM r's quadword q (0: bits 63:0, 1: bits 127:64) is local {@code L_XMM + 4r + 2q} in a
     * translation that keeps them in locals ({@link #xmmInLocals}), and {@code L_XMM_ARRAY} holds
     * the FPU state's array of them: above any instruction's temporaries, below 256 so that each
     * load or store stays two bytes.
     */
    static final int L_XMM = 200, L_XMM_ARRAY = L_XMM + 32;
    /** A handler's second argument: the instruction record. */
    static final int L_INSN = 1;
    /** L_IDX flag: the CPU object, not the locals, holds the guest state (a helper call is running). */
    static final int IDX_STATE_IN_CPU = 0x10000;

    public final MethodVisitor mv;
    private final Unit unit;
    /** True for a first-tier handler: the guest state is in the Cpu, not in locals. */
    final boolean handler;
    /** Per-instance values are translation-time constants (a translated block, not a handler). */
    final boolean valuesKnown;
    private Insn insn;
    /** Its index in the block (translated blocks). */
    int index;
    private int nextTemp = L_FIRST_TEMP;
    /**
     * After {@link #loadForUpdate}: the local holding the linear address it read, and the local
     * holding the RAM index the write TLB gave for it (-1 after a miss); -1 when there is none.
     */
    private int updateLin = -1, updateHost = -1;
    int maxTemp = L_FIRST_TEMP;

    /** The segments whose bases a translation's prologue loads into locals (see {@link BlockCompiler}). */
    final boolean[] segUsed = new boolean[6];

    /**
     * A translation whose instructions name XMM registers keeps those registers in long locals:
     * the prologue loads them, and they are stored back where the guest state goes to the Cpu
     * (the epilogue, the fault handler, {@link #callWithState}) and around every helper that reads
     * or writes them in the FPU state ({@link SseInstructions#touchesXmm}); BlockCompiler drops the moves of
     * registers the code does not use. A handler (the first tier) keeps them in the FPU state.
     */
    boolean xmmInLocals;

    /** Translation-time knowledge of the lazy flags: the op last stored, or -1. */
    int knownOp = -1;
    /** The last flag producer was CMP/SUB/NEG without borrow-in, so a,b compare directly. */
    boolean knownPlainSub;
    /**
     * The CPUID features whose SSE gate (helpers.SseOps.check) every path to this point of a
     * translated block has passed since the gate's inputs last could have changed: CR0 and CR4
     * change only in a call that holds the guest state in the Cpu ({@link #callWithState}: the
     * system instructions, the exits), and paths join only where a region's member starts.
     */
    private int simdGated;

    Emitter(MethodVisitor mv, Unit unit, boolean handler) {
        this.mv = mv;
        this.unit = unit;
        this.handler = handler;
        this.valuesKnown = !handler;
    }

    /** Starts the instruction {@code i} (number {@code index} in its block). */
    void begin(Insn i, int index) {
        this.insn = i;
        this.index = index;
        this.nextTemp = L_FIRST_TEMP;
        this.updateLin = -1;
    }

    Insn insn() {
        return insn;
    }

    // ---- the instruction's shape (the same for every instance of its form)

    public Mnemonic mnemonic() {
        return insn.mnemonic;
    }

    /** The operation size in bytes: 1, 2 or 4. */
    public int size() {
        return insn.operandSize;
    }

    public int addressSize() {
        return insn.addressSize;
    }

    public int operandCount() {
        return insn.operands.length;
    }

    public Operand.Kind kind(int i) {
        return insn.operands[i].kind;
    }

    public boolean isMem(int i) {
        return insn.operands[i].kind == Operand.Kind.MEM;
    }

    public boolean isReg(int i) {
        return insn.operands[i].kind == Operand.Kind.REG;
    }

    public boolean isImm(int i) {
        return insn.operands[i].kind == Operand.Kind.IMM;
    }

    /** Operand i's size in bytes. */
    public int operandSize(int i) {
        return insn.operands[i].size;
    }

    /** The number of a segment, control or debug register operand (part of the form). */
    public int fixedRegister(int i) {
        Operand o = insn.operands[i];
        if (o.kind != Operand.Kind.SEG && o.kind != Operand.Kind.CR && o.kind != Operand.Kind.DR) {
            throw new IllegalStateException("operand " + i + " of " + insn.mnemonic + " is a " + o.kind);
        }
        return o.reg;
    }

    public boolean hasPrefix(int prefixBit) {
        return insn.hasPrefix(prefixBit);
    }

    /** -1, or the segment of a segment-override prefix. */
    public int segOverride() {
        return insn.segOverride;
    }

    // ---- per-instance values

    /**
     * Whether the instruction's per-instance values (immediates, registers, displacement) are
     * constants of the code: in a translation, not in a handler, which serves every instance of
     * its form.
     */
    public boolean valuesKnown() {
        return valuesKnown;
    }

    /** Operand i's immediate (as decoded) when it is a translation-time constant, else null. */
    public Integer knownImm(int i) {
        return valuesKnown ? insn.operands[i].imm : null;
    }

    /** Pushes operand i's per-instance value: a register number (general, x87, XMM or MMX), an immediate, an offset. */
    public void pushValue(int i) {
        if (valuesKnown) {
            Operand o = insn.operands[i];
            iconst(o.kind == Operand.Kind.REG || o.kind == Operand.Kind.ST || o.kind == Operand.Kind.XMM
                    || o.kind == Operand.Kind.MMX ? o.reg : o.imm);
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_VALUE[i].get(mv);
        }
    }

    /** Pushes immediate operand i masked to {@code size} bytes. */
    public void pushImm(int i, int size) {
        if (valuesKnown) {
            int v = insn.operands[i].imm;
            iconst(size == 4 ? v : v & (size == 2 ? 0xFFFF : 0xFF));
        } else {
            pushValue(i);
            mask(size);
        }
    }

    /** Pushes the address of the next instruction. */
    public void pushNext() {
        pushInsnField(Fields.INSN_NEXT, insn.next);
    }

    /** Pushes this instruction's address. */
    public void pushAddress() {
        pushInsnField(Fields.INSN_ADDRESS, insn.address);
    }

    /** Pushes an x87 instruction's 11-bit opcode (its {@link Insn#fop}). */
    public void pushFop() {
        if (valuesKnown) {
            iconst(insn.fop);
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_FOP.get(mv);
        }
    }

    /** Pushes a FAR operand's selector. */
    public void pushSelector() {
        if (valuesKnown) {
            iconst(insn.selector);
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_SELECTOR.get(mv);
        }
    }

    /** Pushes a relative branch's target. */
    public void pushTarget() {
        pushInsnField(Fields.INSN_TARGET, insn.target);
    }

    /** Addresses are constants in a translated block and fields of the record in every handler. */
    private void pushInsnField(FieldRef f, int constant) {
        if (handler) {
            mv.visitVarInsn(ALOAD, L_INSN);
            f.get(mv);
        } else {
            iconst(constant);
        }
    }

    /** The address of the next instruction, for a translated block. */
    int nextEip() {
        return insn.next;
    }

    int targetEip() {
        return insn.target;
    }

    int address() {
        return insn.address;
    }

    // ---- the mode the code is made for (asking records the dependency)

    private boolean modeBit(int bit) {
        unit.consult(bit);
        return (unit.mode() & bit) != 0;
    }

    public boolean code32() {
        return modeBit(BlockMode.CODE32);
    }

    public boolean stack32() {
        return modeBit(BlockMode.STACK32);
    }

    public boolean protectedMode() {
        return modeBit(BlockMode.PE);
    }

    public boolean v86() {
        return modeBit(BlockMode.VM);
    }

    /** Real-address or virtual-8086 mode: 64 KiB segments, no descriptor checks. */
    public boolean realOrV86() {
        return !protectedMode() || v86();
    }

    public int cpl() {
        unit.consult(BlockMode.CPL_MASK);
        return BlockMode.cpl(unit.mode());
    }

    /** True when accesses through segment {@code s} need limit checks in this mode. */
    boolean segChecked(int s) {
        return modeBit(1 << (Segmentation.MODE_CHECK_SHIFT + s));
    }

    private boolean zeroBase(int s) {
        return modeBit(1 << (Segmentation.MODE_ZERO_BASE_SHIFT + s));
    }

    /** The VM-execution controls in force (code is discarded when they change). */
    public ExecutionControls controls() {
        return unit.controls();
    }

    // ---- temporaries and plain bytecode

    /** A fresh int local, valid until the end of the current instruction. */
    public int temp() {
        int t = nextTemp++;
        if (nextTemp > maxTemp) {
            maxTemp = nextTemp;
            if (xmmInLocals && maxTemp > L_XMM) {
                throw new IllegalStateException("an instruction's temporaries reach the XMM locals");
            }
        }
        return t;
    }

    /** A fresh long local (two slots). */
    public int tempLong() {
        int t = temp();
        temp();
        return t;
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

    public void lconst(long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(v == 0 ? LCONST_0 : LCONST_1);
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

    public void lload(int local) {
        mv.visitVarInsn(LLOAD, local);
    }

    public void lstore(int local) {
        mv.visitVarInsn(LSTORE, local);
    }

    public void op(int opcode) {
        mv.visitInsn(opcode);
    }

    public void jump(int opcode, Label target) {
        mv.visitJumpInsn(opcode, target);
    }

    public void label(Label l) {
        mv.visitLabel(l);
    }

    public void aloadCpu() {
        mv.visitVarInsn(ALOAD, L_CPU);
    }

    /** Pushes a field of the Cpu. */
    void getCpu(FieldRef f) {
        aloadCpu();
        f.get(mv);
    }

    /** Pops the value on the stack into a field of the Cpu. */
    void putCpu(FieldRef f) {
        aloadCpu();
        if (f.descriptor.equals("J") || f.descriptor.equals("D")) {
            op(DUP_X2);
            op(POP);
        } else {
            op(SWAP);
        }
        f.put(mv);
    }

    /** Stores int local {@code local} into a field of the Cpu. */
    void putCpuFromLocal(FieldRef f, int local) {
        aloadCpu();
        iload(local);
        f.put(mv);
    }

    /**
     * Calls a helper whose arguments are on the stack; around one that works on the XMM registers
     * in the FPU state, the registers go there first and come back after.
     */
    public void call(HelperCall c) {
        if (xmmInLocals && SseInstructions.touchesXmm(c)) {
            spillXmm();
            c.invoke(mv);
            reloadXmm();
            return;
        }
        c.invoke(mv);
    }

    // ---- XMM registers (SseInstructions, MmxInstructions)

    static int xmmLocal(int r, int q) {
        return L_XMM + 4 * r + 2 * q;
    }

    /** Pushes quadword q (0: bits 63:0, 1: bits 127:64) of XMM operand i as a long. */
    public void loadXmm(int i, int q) {
        if (xmmInLocals) {
            lload(xmmLocal(insn.operands[i].reg, q));
            return;
        }
        aloadCpu();
        pushValue(i);
        call(q == 0 ? Calls.SSE_LOW64 : Calls.SSE_HIGH64);
    }

    /** Pops a long into quadword q of XMM operand i. */
    public void storeXmm(int i, int q) {
        if (xmmInLocals) {
            lstore(xmmLocal(insn.operands[i].reg, q));
            return;
        }
        int v = tempLong();
        lstore(v);
        aloadCpu();
        pushValue(i);
        lload(v);
        call(q == 0 ? Calls.SSE_SET_LOW64 : Calls.SSE_SET_HIGH64);
    }

    /** Stores the XMM locals into the FPU state (recorded as state moves, trimmed like the registers'). */
    private void spillXmm() {
        for (int k = 0; k < 16; k++) {
            AbstractInsnNode before = lastNode();
            mv.visitVarInsn(ALOAD, L_XMM_ARRAY);
            iconst(k);
            lload(L_XMM + 2 * k);
            op(LASTORE);
            moved(L_XMM + 2 * k, true, before);
        }
    }

    /** Loads the XMM locals from the FPU state. */
    private void reloadXmm() {
        for (int k = 0; k < 16; k++) {
            AbstractInsnNode before = lastNode();
            mv.visitVarInsn(ALOAD, L_XMM_ARRAY);
            iconst(k);
            op(LALOAD);
            lstore(L_XMM + 2 * k);
            moved(L_XMM + 2 * k, false, before);
        }
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

    private void aloadRegs() {
        mv.visitVarInsn(ALOAD, L_REGS);
    }

    /** Pushes 32-bit register {@code r}. */
    public void loadReg32(int r) {
        if (handler) {
            aloadRegs();
            iconst(r);
            op(IALOAD);
        } else {
            iload(regLocal(r));
        }
    }

    /** Pops a value into 32-bit register {@code r}. */
    public void storeReg32(int r) {
        if (handler) {
            int t = temp();
            istore(t);
            aloadRegs();
            iconst(r);
            iload(t);
            op(IASTORE);
        } else {
            istore(regLocal(r));
        }
    }

    /** Pushes register {@code r} of {@code size} bytes (size 1 uses the AL..BH encoding). */
    public void loadReg(int r, int size) {
        if (size == 4) {
            loadReg32(r);
        } else if (size == 2) {
            loadReg32(r);
            mask(2);
        } else if (r < 4) {
            loadReg32(r);
            mask(1);
        } else {
            loadReg32(r - 4);
            iconst(8);
            op(IUSHR);
            mask(1);
        }
    }

    /** Pops a value into register {@code r} of {@code size} bytes, keeping the other bits. */
    public void storeReg(int r, int size) {
        if (size == 4) {
            storeReg32(r);
            return;
        }
        int t = temp();
        istore(t);
        int r32 = size == 1 && r >= 4 ? r - 4 : r;
        int keep = size == 2 ? 0xFFFF0000 : r < 4 ? 0xFFFFFF00 : 0xFFFF00FF;
        loadReg32(r32);
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
        storeReg32(r32);
    }

    /** Pushes the register whose number is operand i's run-time value, {@code size} bytes of it. */
    private void loadRegOf(int i, int size) {
        aloadRegs();
        pushValue(i);
        if (size == 1) {
            iconst(3);
            op(IAND);
            op(IALOAD);
            pushValue(i);
            iconst(4);
            op(IAND);
            iconst(1);
            op(ISHL);
            op(IUSHR);
        } else {
            op(IALOAD);
        }
        mask(size);
    }

    /** Pops a value into the register whose number is operand i's run-time value. */
    private void storeRegOf(int i, int size) {
        int v = temp();
        istore(v);
        if (size == 4) {
            aloadRegs();
            pushValue(i);
            iload(v);
            op(IASTORE);
            return;
        }
        int slot = temp(), shift = temp();
        pushValue(i);
        if (size == 1) {
            iconst(3);
            op(IAND);
        }
        istore(slot);
        if (size == 1) {
            pushValue(i);
            iconst(4);
            op(IAND);
            iconst(1);
            op(ISHL);
        } else {
            iconst(0);
        }
        istore(shift);
        int m = size == 1 ? 0xFF : 0xFFFF;
        aloadRegs();
        iload(slot);
        aloadRegs();
        iload(slot);
        op(IALOAD);
        iconst(m);
        iload(shift);
        op(ISHL);
        iconst(-1);
        op(IXOR);
        op(IAND);
        iload(v);
        iconst(m);
        op(IAND);
        iload(shift);
        op(ISHL);
        op(IOR);
        op(IASTORE);
    }

    // ---- operands

    /**
     * Resolves operand i: a register or an immediate (known now or read from the record), or a
     * memory operand whose linear address is computed once, after its checks, into a temp.
     */
    public Loc operand(int i) {
        Operand o = insn.operands[i];
        switch (o.kind) {
            case MEM:
                return resolveMemory(i);
            case REG:
                return valuesKnown ? Loc.register(o.reg) : Loc.registerOf(i);
            case IMM:
                return valuesKnown ? Loc.immediate(o.imm) : Loc.immediateOf(i);
            default:
                throw new IllegalStateException("operand " + i + " of " + insn.mnemonic + " is a " + o.kind);
        }
    }

    /** A fixed general register as an operand (EAX for the accumulator forms ...). */
    public Loc gpr(int r) {
        return Loc.register(r);
    }

    /** Pushes the value of a resolved operand. */
    public void load(Loc l, int size) {
        switch (l.kind) {
            case REG: loadReg(l.value, size); break;
            case REG_OF_OPERAND: loadRegOf(l.value, size); break;
            case IMM: iconst(size == 4 ? l.value : l.value & (size == 2 ? 0xFFFF : 0xFF)); break;
            case IMM_OF_OPERAND: pushImm(l.value, size); break;
            default: read(size, l.value); break;
        }
    }

    /**
     * Pushes the value of the destination of a read-modify-write that {@link #store} writes back
     * later in the instruction. Through the TLB, memory is read with the write side's entry, which
     * maps only pages the store may go to: a hit serves the read and the store with one probe.
     * A miss reads through the helper, and the store then goes through its own helper as well, so
     * faults, accessed and dirty bits and writes into translated code are the slow path's, as for
     * a read and a write apart. Without the TLB (DIRECT_RAM), and in a first-tier handler (which
     * reads and writes through DataAccess, see {@link #read}), this is {@link #load}.
     */
    public void loadForUpdate(Loc l, int size) {
        if (l.kind != Loc.Kind.MEM || directRam() || handler) {
            load(l, size);
            return;
        }
        int lin = l.value;
        Label slow = new Label();
        Label done = new Label();
        int host = probeWrite(lin, size, slow);
        mv.visitVarInsn(ALOAD, L_RAM);
        iload(host);
        loadRam(size);
        jump(GOTO, done);
        label(slow);
        iconst(-1);
        istore(host);
        readThroughMmu(size, lin);
        label(done);
        updateLin = lin;
        updateHost = host;
    }

    /** Pops a value into a resolved operand. */
    public void store(Loc l, int size) {
        switch (l.kind) {
            case REG: storeReg(l.value, size); break;
            case REG_OF_OPERAND: storeRegOf(l.value, size); break;
            case MEM: {
                int v = temp();
                istore(v);
                if (l.value == updateLin) {
                    // The write-back of loadForUpdate: where its probe hit, no second one (CMPXCHG
                    // has two, one on each of its paths).
                    Label slow = new Label();
                    Label done = new Label();
                    iload(updateHost);
                    jump(IFLT, slow);
                    mv.visitVarInsn(ALOAD, L_RAM);
                    iload(updateHost);
                    iload(v);
                    storeRam(size);
                    jump(GOTO, done);
                    label(slow);
                    writeThroughMmu(size, l.value, v);
                    label(done);
                } else {
                    write(size, l.value, v);
                }
                break;
            }
            default: throw new IllegalStateException("store to an immediate");
        }
    }

    /** Pushes operand i's value, {@code size} bytes of it. */
    public void loadOperand(int i, int size) {
        load(operand(i), size);
    }

    /** Pops a value into operand i. */
    public void storeOperand(int i, int size) {
        store(operand(i), size);
    }

    // ---- addresses

    /** Pushes the effective address (offset within its segment) of memory operand i. */
    public void effectiveAddress(int i) {
        Operand m = insn.operands[i];
        if (valuesKnown) {
            boolean any = false;
            if (m.base >= 0) {
                loadReg32(m.base);
                any = true;
            }
            if (m.index >= 0) {
                loadReg32(m.index);
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
        } else {
            // base + (index << scale) + disp, with the always-zero register for an absent part.
            aloadRegs();
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_BASE.get(mv);
            op(IALOAD);
            aloadRegs();
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_INDEX.get(mv);
            op(IALOAD);
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_SCALE.get(mv);
            op(ISHL);
            op(IADD);
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_DISP.get(mv);
            op(IADD);
        }
        if (insn.addressSize == 2) {
            mask(2);
        }
    }

    /**
     * Adds the base of segment register {@code s} to the offset on the stack; nothing when the
     * mode says the base is 0 (protected-mode flat code, the common case).
     */
    public void addSegBase(int s) {
        if (zeroBase(s)) {
            return;
        }
        if (handler) {
            getCpu(Fields.SEG);
            iconst(s);
            op(AALOAD);
            Fields.SEGMENT_BASE.get(mv);
        } else {
            segUsed[s] = true;
            iload(L_SEGBASE0 + s);
        }
        op(IADD);
    }

    /** Pushes the linear address of memory operand i (no checks). */
    public void linearAddress(int i) {
        effectiveAddress(i);
        addSegBaseOf(i);
    }

    /** Adds the base of memory operand i's segment: known, or read through the record's segment number. */
    public void addSegBaseOf(int i) {
        if (valuesKnown) {
            addSegBase(insn.operands[i].seg);
            return;
        }
        if (zeroBases()) {
            return;
        }
        getCpu(Fields.SEG);
        mv.visitVarInsn(ALOAD, L_INSN);
        Fields.INSN_SEG.get(mv);
        op(AALOAD);
        Fields.SEGMENT_BASE.get(mv);
        op(IADD);
    }

    /** All six segments have base 0 in this mode (shared handlers, whose segment is a run-time value). */
    private boolean zeroBases() {
        int all = 0x3F << Segmentation.MODE_ZERO_BASE_SHIFT;
        unit.consult(all);
        return (unit.mode() & all) == all;
    }

    /** Accesses through memory operand i's segment need limit checks in this mode. */
    private boolean segCheckedOf(int i) {
        if (valuesKnown) {
            return segChecked(insn.operands[i].seg);
        }
        int all = 0x3F << Segmentation.MODE_CHECK_SHIFT;
        unit.consult(all);
        return (unit.mode() & all) != 0;
    }

    /** Pushes memory operand i's segment number. */
    public void pushSegmentOf(int i) {
        if (valuesKnown) {
            iconst(insn.operands[i].seg);
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_SEG.get(mv);
        }
    }

    /**
     * The offset of memory operand i in its segment, after the checks an access of its size makes
     * (as {@link #operand} makes them), in a new local; for helpers that take a segment and an
     * offset ({@link #pushSegmentOf}).
     */
    public int checkedOffset(int i, boolean write) {
        Operand o = insn.operands[i];
        int t = temp();
        effectiveAddress(i);
        istore(t);
        boolean realOrV86 = realOrV86();
        if (realOrV86 && insn.addressSize == 2) {
            iload(t);
            limit64k(o.size);
        } else if (segCheckedOf(i) || realOrV86) {
            checkOperandSegment(i, t, o.size, write);
        }
        return t;
    }

    private Loc resolveMemory(int i) {
        Operand o = insn.operands[i];
        int t = temp();
        boolean realOrV86 = realOrV86();
        if (realOrV86 && insn.addressSize == 2 && o.size > 1) {
            // Real mode / V86: an operand that runs past offset FFFF exceeds the 64 KiB limit:
            // #GP(0), as the hardware-captured 286 tests show (it does not wrap to offset 0).
            effectiveAddress(i);
            op(DUP);
            istore(t);
            limit64k(o.size);
            iload(t);
            addSegBaseOf(i);
            istore(t);
            return Loc.memory(t);
        }
        if (segCheckedOf(i) || realOrV86 && insn.addressSize == 4) {
            // A segment that is not flat (or a 32-bit offset in real mode): limit checks.
            effectiveAddress(i);
            istore(t);
            checkOperandSegment(i, t, o.size > 0 ? o.size : 1, writesOperand(i));
            iload(t);
            addSegBaseOf(i);
            istore(t);
            return Loc.memory(t);
        }
        linearAddress(i);
        istore(t);
        return Loc.memory(t);
    }

    /** #GP(0) unless the offset on the stack (consumed) leaves room for {@code size} bytes below 64 KiB. */
    private void limit64k(int size) {
        Label inside = new Label();
        iconst(0x10000 - size);
        jump(IF_ICMPLE, inside);
        raise(Vector.GP, 0, true);
        label(inside);
    }

    /**
     * The instruction writes memory operand i (its destination, for the instructions that store
     * there): the segment must then be writable. Read-modify-write is a write.
     */
    private boolean writesOperand(int i) {
        if (i != 0) {
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
     * Checks an implicit-operand access (string instructions, the stack) of {@code size} bytes at
     * the offset in local {@code offLocal} through segment {@code s}, as operands are checked:
     * real/V86 16-bit offsets may not run past FFFF; segments that are not flat get the full
     * limit and type check.
     */
    public void checkOffset(int s, int offLocal, int size, boolean write) {
        boolean realOrV86 = realOrV86();
        if (realOrV86 && insn.addressSize == 2) {
            if (size > 1) {
                iload(offLocal);
                limit64k(size);
            }
        } else if (segChecked(s) || realOrV86) {
            checkSegmentAccess(s, offLocal, size, write);
        }
    }

    /**
     * Emits the checks of an access through memory operand i at the offset in local {@code eaLocal}.
     * A shared handler in protected mode, whose segment is a run-time value, first tests that
     * segment's bit among the mode's checked segments (a constant: the handler consulted all six):
     * Linux's kernel runs with a null GS, and its flat DS and SS would otherwise take the helper
     * call on every access as well.
     */
    private void checkOperandSegment(int i, int eaLocal, int size, boolean write) {
        Label skip = null;
        if (!valuesKnown && protectedMode() && !v86()) {
            unit.consult(Segmentation.MODE_CHECK_MASK);
            int checked = (unit.mode() & Segmentation.MODE_CHECK_MASK) >>> Segmentation.MODE_CHECK_SHIFT;
            if (checked != 0x3F) {
                skip = new Label();
                iconst(checked);
                pushSegmentOf(i);
                op(ISHR);
                iconst(1);
                op(IAND);
                jump(IFEQ, skip);
            }
        }
        checkSegmentAccess(() -> pushSegmentOf(i), eaLocal, size, write);
        if (skip != null) {
            label(skip);
        }
    }

    /** Emits the limit/type check of an access through segment {@code s}: #GP(0) or #SS(0) when it fails. */
    private void checkSegmentAccess(int s, int eaLocal, int size, boolean write) {
        checkSegmentAccess(() -> iconst(s), eaLocal, size, write);
    }

    /** As above, with the segment number pushed by {@code pushSegment}. */
    private void checkSegmentAccess(Runnable pushSegment, int eaLocal, int size, boolean write) {
        aloadCpu();
        pushSegment.run();
        iload(eaLocal);
        iconst(size);
        if (protectedMode() && !v86()) {
            iconst(write ? 1 : 0);
            call(Calls.CHECK_ACCESS);
        } else {
            call(Calls.CHECK_REAL_LIMIT);
        }
    }

    // ---- guest memory: inline TLB probe, slow path on a miss (DESIGN.md rule 3)

    /** Pushes the {@code size}-byte value at the linear address in local {@code lin}. */
    public void read(int size, int lin) {
        if (handler) {
            // A first-tier handler is one method for every instruction of its form: it reads
            // through DataAccess, the probe and both of its paths in one method that every handler
            // shares. C2 inlines it with the branch profile of all of them, where a probe of the
            // handler's own compiled a TLB miss its profile had not seen as a trap: about 20
            // handlers were deoptimised in each Linux boot, back to the interpreter until compiled
            // again (bench/RESULTS.md, 2026-12-06).
            readThroughDataAccess(size, lin);
            return;
        }
        Label slow = new Label();
        Label done = new Label();
        if (directRam()) {
            // The linear address is the physical one, and RAM outside the legacy hole is the
            // array at that index: range checks instead of the probe's TLB load, tag compare and
            // addend. Outside the windows (the BIOS areas, ROM, devices) DataAccess probes the
            // TLB: an inline probe would be some 35 bytecode bytes an access for accesses that
            // are rare here, and every byte counts against the region's cap.
            jumpUnlessInRam(lin, size, slow);
            mv.visitVarInsn(ALOAD, L_RAM);
            iload(lin);
            loadRam(size);
            jump(GOTO, done);
            label(slow);
            readThroughDataAccess(size, lin);
            label(done);
            return;
        }
        int entry = probe(L_TLB_READ, lin, size, slow);
        pushHostIndex(lin, entry);
        loadRam(size);
        jump(GOTO, done);
        label(slow);
        readThroughMmu(size, lin);
        label(done);
    }

    /**
     * Reads the 8 bytes at the linear address in local {@code lin} into a new long local, as two
     * doublewords, and returns the local. Both are read before the caller changes anything, so a
     * fault on the second page leaves the guest state as it was.
     */
    public int read64(int lin) {
        int lo = temp(), high = temp(), v = tempLong();
        read(4, lin);
        istore(lo);
        iload(lin);
        iconst(4);
        op(IADD);
        istore(high);
        read(4, high);
        op(I2L);
        iconst(32);
        op(LSHL);
        iload(lo);
        op(I2L);
        lconst(0xFFFFFFFFL);
        op(LAND);
        op(LOR);
        lstore(v);
        return v;
    }

    /** A read through DataAccess: its TLB probe, then the MMU on a miss. */
    private void readThroughDataAccess(int size, int lin) {
        aloadCpu();
        iload(lin);
        call(Calls.dataRead(size));
    }

    /** The slow path of a read: the MMU's helper pushes the {@code size}-byte value at linear {@code lin}. */
    private void readThroughMmu(int size, int lin) {
        getCpu(Fields.MMU);
        iload(lin);
        call(Calls.read(size));
    }

    /** Replaces the RAM array and an index in it on the JVM stack with the {@code size}-byte value there. */
    private void loadRam(int size) {
        if (size == 1) {
            op(BALOAD);
            mask(1);
        } else {
            call(size == 2 ? Calls.RAM16 : Calls.RAM32);
        }
    }

    /** Stores the {@code size}-byte value on the JVM stack at the RAM array and index below it. */
    private void storeRam(int size) {
        if (size == 1) {
            op(BASTORE);
        } else {
            call(size == 2 ? Calls.SET_RAM16 : Calls.SET_RAM32);
        }
    }

    /**
     * Jumps to {@code target} when the int on the JVM stack compares with {@code limit} as
     * {@code cond} says ({@code IF_ICMPLT}, {@code IF_ICMPGE} ...), both taken as unsigned.
     */
    private void jumpUnsigned(int cond, int limit, Label target) {
        iconst(Integer.MIN_VALUE);
        op(IXOR);
        iconst(limit ^ Integer.MIN_VALUE);
        jump(cond, target);
    }

    /**
     * Jumps to {@code outside} unless the {@code size} bytes at the address in local {@code lin}
     * lie in one of the direct windows of RAM: from 1 MiB to the end of RAM (checked first,
     * where protected-mode programs keep most of their data), or below 640 KiB.
     */
    private void jumpUnlessInRam(int lin, int size, Label outside) {
        Label inside = new Label();
        iload(lin);
        iconst(PhysicalMemory.HIGH_RAM_BASE);
        op(ISUB);
        jumpUnsigned(IF_ICMPLT, unit.ramTop() - PhysicalMemory.HIGH_RAM_BASE - size + 1, inside);
        iload(lin);
        jumpUnsigned(IF_ICMPGE, PhysicalMemory.LOW_RAM_TOP - size + 1, outside);
        label(inside);
    }

    /** Code for {@link BlockMode#DIRECT_RAM}, in a unit that knows where RAM ends. */
    private boolean directRam() {
        return unit.ramTop() > PhysicalMemory.HIGH_RAM_BASE && modeBit(BlockMode.DIRECT_RAM);
    }

    /** {@code -Djvmx.directWrites=false} keeps stores on the TLB where reads go direct (for measuring). */
    private static final boolean DIRECT_WRITES = !"false".equals(System.getProperty("jvmx.directWrites"));

    /** Code for {@link BlockMode#DIRECT_RAM} whose stores go direct too (and need {@link #L_CODE_PAGE}). */
    boolean directWrites() {
        return DIRECT_WRITES && directRam();
    }

    /**
     * Writes the long in local {@code v} to the 8 bytes at the linear address in local {@code lin}:
     * in translated code through the write TLB inline when one entry maps all of them, else (and in
     * a handler) through DataAccess.store64, which checks both pages before it writes a byte.
     */
    public void write64(int lin, int v) {
        Label slow = new Label();
        Label done = new Label();
        if (!handler) {
            int host = probeWrite(lin, 8, slow);
            lload(v);
            op(L2I);
            writeRam32(host, 0);
            lload(v);
            iconst(32);
            op(LUSHR);
            op(L2I);
            writeRam32(host, 4);
            jump(GOTO, done);
        }
        label(slow);
        aloadCpu();
        iload(lin);
        lload(v);
        call(Calls.DATA_STORE64);
        label(done);
    }

    /** Writes the value in local {@code val} to the linear address in local {@code lin}. */
    public void write(int size, int lin, int val) {
        if (handler) { // through DataAccess, as read says
            writeThroughDataAccess(size, lin, val);
            return;
        }
        Label slow = new Label();
        Label done = new Label();
        if (directWrites()) {
            // As for reads, and the store must stay on one page that holds no translated code
            // (stores there are the slow path's to see, DESIGN.md rule 8). The rest (outside the
            // windows, across pages, onto code) goes to the helper, as for reads.
            jumpUnlessInRam(lin, size, slow);
            if (size > 1) {
                iload(lin);
                iconst(PhysicalMemory.PAGE_SIZE - 1);
                op(IAND);
                iconst(PhysicalMemory.PAGE_SIZE - size);
                jump(IF_ICMPGT, slow);
            }
            mv.visitVarInsn(ALOAD, L_CODE_PAGE);
            iload(lin);
            iconst(PhysicalMemory.PAGE_SHIFT);
            op(IUSHR);
            op(BALOAD);
            jump(IFNE, slow);
            mv.visitVarInsn(ALOAD, L_RAM);
            iload(lin);
            iload(val);
            storeRam(size);
            jump(GOTO, done);
            // Through DataAccess, which probes the TLB, as read says: a firmware's loop over the
            // BIOS areas (SeaBIOS's 330,000 stores there in a boot) then hits the TLB's entry
            // instead of walking to it at every store. Stores into code miss it, as they must.
            label(slow);
            writeThroughDataAccess(size, lin, val);
            label(done);
            return;
        }
        int entry = probe(L_TLB_WRITE, lin, size, slow);
        pushHostIndex(lin, entry);
        iload(val);
        storeRam(size);
        jump(GOTO, done);
        label(slow);
        writeThroughMmu(size, lin, val);
        label(done);
    }

    /** Writes local {@code val} at linear {@code lin} through DataAccess: its TLB probe, then the MMU on a miss. */
    private void writeThroughDataAccess(int size, int lin, int val) {
        aloadCpu();
        iload(lin);
        iload(val);
        call(Calls.dataWrite(size));
    }

    /** The slow path of a write: the MMU's helper writes local {@code val} at linear {@code lin}. */
    private void writeThroughMmu(int size, int lin, int val) {
        getCpu(Fields.MMU);
        iload(lin);
        iload(val);
        call(Calls.write(size));
    }

    /**
     * The first half of an inline write, for an instruction that must know its store cannot fault
     * before it changes other state: jumps to {@code miss} unless the write TLB maps the
     * {@code size} bytes at the linear address in local {@code lin} (one page, RAM that holds no
     * translated code), else returns a new local holding the access's index in RAM, for
     * {@link #writeRam32}.
     */
    public int probeWrite(int lin, int size, Label miss) {
        if (handler) {
            // Handlers access memory through DataAccess only (read says why), so their prologue
            // loads no RAM or TLB array.
            throw new IllegalStateException("an inline TLB probe in a first-tier handler");
        }
        int entry = probe(L_TLB_WRITE, lin, size, miss);
        int host = temp();
        iload(lin);
        pushAddend(entry);
        op(IADD);
        istore(host);
        return host;
    }

    /** Writes the int on the JVM stack at RAM index (local {@code host}) + {@code offset}, after {@link #probeWrite}. */
    public void writeRam32(int host, int offset) {
        int v = temp();
        istore(v);
        mv.visitVarInsn(ALOAD, L_RAM);
        iload(host);
        if (offset != 0) {
            iconst(offset);
            op(IADD);
        }
        iload(v);
        call(Calls.SET_RAM32);
    }

    /**
     * The TLB probe: loads the entry for the address in local {@code lin} from the entries in
     * local {@code entries} (read or write) into a new long temp (returned), and jumps to
     * {@code miss} unless its tag is the page of the access's last byte (so page-crossing
     * accesses miss).
     */
    private int probe(int entries, int lin, int size, Label miss) {
        int entry = tempLong();
        mv.visitVarInsn(ALOAD, entries);
        iload(lin);
        iconst(PhysicalMemory.PAGE_SHIFT);
        op(IUSHR);
        maskByLength(entries);
        op(LALOAD);
        mv.visitVarInsn(LSTORE, entry);
        mv.visitVarInsn(LLOAD, entry);
        iconst(32);
        op(LUSHR);
        op(L2I);
        iload(lin);
        if (size > 1) {
            iconst(size - 1);
            op(IADD);
        }
        iconst(~(PhysicalMemory.PAGE_SIZE - 1));
        op(IAND);
        jump(IF_ICMPNE, miss);
        return entry;
    }

    /** Pushes RAM and the access's index in it: lin + the addend of the entry in long local {@code entry}. */
    private void pushHostIndex(int lin, int entry) {
        mv.visitVarInsn(ALOAD, L_RAM);
        iload(lin);
        pushAddend(entry);
        op(IADD);
    }

    /** Pushes the addend of the TLB entry in long local {@code entry} (its low half). */
    private void pushAddend(int entry) {
        mv.visitVarInsn(LLOAD, entry);
        op(L2I);
    }

    /**
     * Masks the int on the JVM stack with the length, less one, of the TLB array in local
     * {@code array} (a power of two, {@link Mmu#TLB_SIZE}): the same value as masking with
     * {@link Mmu#TLB_MASK}, but in the form {@code i & (a.length - 1)}, for which C2 drops the
     * array's range check. Masked by the constant, each probe kept two range checks against
     * lengths C2 cannot know, and their spilled lengths.
     */
    private void maskByLength(int array) {
        mv.visitVarInsn(ALOAD, array);
        op(ARRAYLENGTH);
        iconst(1);
        op(ISUB);
        op(IAND);
    }

    // ---- the guest stack

    /** Computes ESP + delta in the stack's address size (the high half kept for SP) into local {@code t}. */
    void adjustEspInto(int delta, int t) {
        boolean s32 = stack32();
        loadReg32(Cpu.ESP);
        iconst(delta);
        op(IADD);
        if (!s32) {
            mask(2);
            loadReg32(Cpu.ESP);
            iconst(0xFFFF0000);
            op(IAND);
            op(IOR);
        }
        istore(t);
    }

    /**
     * Stores into {@code linLocal} the linear address of the stack slot at the offset on the JVM
     * stack (already in the stack's address size), after its checks.
     */
    public void stackSlot(int size, boolean write, int linLocal) {
        if (realOrV86()) {
            // Real mode / V86: past offset FFFF of the 64 KiB stack segment is #GP(0) (286 data), no wrap.
            op(DUP);
            limit64k(size);
        } else if (segChecked(Seg.SS)) {
            int off = temp();
            op(DUP);
            istore(off);
            checkSegmentAccess(Seg.SS, off, size, write);
        }
        addSegBase(Seg.SS);
        istore(linLocal);
    }

    /** Pushes the value on the JVM stack onto the guest stack ({@code size} 2 or 4). */
    public void push(int size) {
        int v = temp();
        istore(v);
        int newEsp = temp();
        adjustEspInto(-size, newEsp);
        iload(newEsp);
        if (!stack32()) {
            mask(2);
        }
        int lin = temp();
        pushSlot(size, lin);
        write(size, lin, v);
        iload(newEsp);
        storeReg32(Cpu.ESP);
    }

    /**
     * A push's slot from the offset on the JVM stack: its limit check is the protected-mode one
     * only (real-mode pushes wrap at 64 KiB).
     */
    void pushSlot(int size, int lin) {
        if (segChecked(Seg.SS)) {
            int off = temp();
            op(DUP);
            istore(off);
            checkSegmentAccess(Seg.SS, off, size, true);
        }
        addSegBase(Seg.SS);
        istore(lin);
    }

    /** Reads the guest stack at ESP + {@code offset} without popping; pushes the value. */
    public void peek(int size, int offset) {
        loadReg32(Cpu.ESP);
        if (offset != 0) {
            iconst(offset);
            op(IADD);
        }
        if (!stack32()) {
            mask(2);
        }
        int lin = temp();
        stackSlot(size, false, lin);
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
        adjustEspInto(delta, t);
        iload(t);
        storeReg32(Cpu.ESP);
    }

    /** ESP += the (zero-extended 16-bit) value on the JVM stack, in the stack's address size. */
    public void adjustEspBy() {
        int d = temp();
        istore(d);
        boolean s32 = stack32();
        loadReg32(Cpu.ESP);
        iload(d);
        op(IADD);
        if (!s32) {
            mask(2);
            loadReg32(Cpu.ESP);
            iconst(0xFFFF0000);
            op(IAND);
            op(IOR);
        }
        storeReg32(Cpu.ESP);
    }

    // ---- lazy flags

    private static final FieldRef[] FLAG_FIELDS = {Fields.FLAG_OP, Fields.FLAG_RES, Fields.FLAG_A, Fields.FLAG_B};

    private void loadFlag(int k) {
        if (handler) {
            getCpu(FLAG_FIELDS[k]);
        } else {
            iload(L_FOP + k);
        }
    }

    private void storeFlag(int k) {
        if (handler) {
            putCpu(FLAG_FIELDS[k]);
        } else {
            istore(L_FOP + k);
        }
    }

    /** Records a lazy-flags producer: op constant and the values in three locals. */
    public void setFlags(int op, int res, int a, int b, boolean plainSub) {
        iconst(op);
        storeFlag(0);
        iload(res);
        storeFlag(1);
        iload(a);
        storeFlag(2);
        iload(b);
        storeFlag(3);
        if (!handler) {
            knownOp = op;
            knownPlainSub = plainSub;
        }
    }

    /** The six status flags, computed, are on the stack in EFLAGS positions. */
    public void setFlagsComputed() {
        storeFlag(1);
        iconst(LazyFlags.OP_FLAGS);
        storeFlag(0);
        if (!handler) {
            knownOp = LazyFlags.OP_FLAGS;
            knownPlainSub = false;
        }
    }

    /** Pushes the six status flags, materialised, in EFLAGS positions. */
    public void loadArithFlags() {
        pushLazy();
        call(Calls.FLAGS_COMPUTE);
    }

    private void pushLazy() {
        for (int k = 0; k < 4; k++) {
            loadFlag(k);
        }
    }

    /** Pushes CF (0 or 1). */
    public void loadCf() {
        if (knownOp == LazyFlags.OP_FLAGS) {
            loadFlag(1);
            iconst(1);
            op(IAND);
            return;
        }
        if (knownOp >= LazyFlags.OP_LOGIC && knownOp < LazyFlags.OP_LOGIC + 3) {
            iconst(0);
            return;
        }
        pushLazy();
        call(Calls.FLAGS_CF);
    }

    /** Jumps to {@code target} when condition tttn {@code cc} holds; fuses CMP/TEST with the branch. */
    public void jumpIf(int cc, Label target) {
        if (knownOp >= 0 && fusedJump(cc, target)) {
            return;
        }
        iconst(cc);
        pushLazy();
        call(Calls.FLAGS_COND);
        jump(IFNE, target);
    }

    /**
     * Jumps to {@code target} when the instruction's own condition (JCC, SETCC, CMOVCC), or its
     * negation, holds: a constant in a block (fused with a preceding compare), a value of the
     * record in a shared handler.
     */
    public void jumpIfCondition(boolean negate, Label target) {
        if (valuesKnown) {
            jumpIf(negate ? insn.cond ^ 1 : insn.cond, target);
            return;
        }
        mv.visitVarInsn(ALOAD, L_INSN);
        Fields.INSN_COND.get(mv);
        if (negate) {
            iconst(1);
            op(IXOR);
        }
        pushLazy();
        call(Calls.FLAGS_COND);
        jump(IFNE, target);
    }

    /** Pushes 1 when the instruction's own condition holds, else 0. */
    public void loadCondition() {
        Label yes = new Label();
        Label done = new Label();
        jumpIfCondition(false, yes);
        iconst(0);
        jump(GOTO, done);
        label(yes);
        iconst(1);
        label(done);
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
                    jump(jop, target);
                    return true;
                }
                case 4: // E
                    iload(L_FA);
                    iload(L_FB);
                    jump(negate ? IF_ICMPNE : IF_ICMPEQ, target);
                    return true;
                case 12: case 14: { // L, LE: signed a < b, a <= b
                    iload(L_FA);
                    signExtend(size);
                    iload(L_FB);
                    signExtend(size);
                    int jop = base == 12 ? (negate ? IF_ICMPGE : IF_ICMPLT) : (negate ? IF_ICMPGT : IF_ICMPLE);
                    jump(jop, target);
                    return true;
                }
                case 8: // S
                    loadSignedRes(size);
                    jump(negate ? IFGE : IFLT, target);
                    return true;
                default:
                    return false;
            }
        }
        boolean logic = op >= LazyFlags.OP_LOGIC && op < LazyFlags.OP_LOGIC + 3;
        switch (base) {
            case 4: // E: ZF from the result for every lazy family but MUL/IMUL (ZF 0)
                if (op >= LazyFlags.OP_MUL) {
                    return false;
                }
                iload(L_FRES);
                jump(negate ? IFNE : IFEQ, target);
                return true;
            case 8: // S
                loadSignedRes(size);
                jump(negate ? IFGE : IFLT, target);
                return true;
            default:
                break;
        }
        if (logic) {
            switch (base) {
                case 0: case 2: // O, B: always clear after a logic op
                    if (negate) {
                        jump(GOTO, target);
                    }
                    return true;
                case 6: // BE = ZF
                    iload(L_FRES);
                    jump(negate ? IFNE : IFEQ, target);
                    return true;
                case 12: // L = SF
                    loadSignedRes(size);
                    jump(negate ? IFGE : IFLT, target);
                    return true;
                case 14: // LE = ZF or SF
                    loadSignedRes(size);
                    jump(negate ? IFGT : IFLE, target);
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

    /**
     * Whether an SSE instruction needing {@code features} may skip its gate here: an earlier one
     * on every path checked them. Records that this one checks them when it may not.
     */
    public boolean simdGatePassed(int features) {
        if (handler) {
            return false;
        }
        boolean passed = (simdGated & features) == features;
        simdGated |= features;
        return passed;
    }

    /** Where paths join, or after a call that may have changed CR0 or CR4: every gate runs again. */
    void simdGateUnknown() {
        simdGated = 0;
    }

    // ---- calls out of generated code

    /**
     * What one spill or reload emitted for one guest-state local (a register, or a word of the
     * lazy flags): the nodes {@code first} to {@code last}, a store into the Cpu or a load from
     * it. BlockCompiler removes those its method turns out not to need (see trimStateMoves).
     */
    record StateMove(int local, boolean store, AbstractInsnNode first, AbstractInsnNode last) { }

    /** The spills' and reloads' moves, in translated code (whose visitor is a MethodNode). */
    final List<StateMove> stateMoves = new ArrayList<>();

    private AbstractInsnNode lastNode() {
        return ((MethodNode) mv).instructions.getLast();
    }

    private void moved(int local, boolean store, AbstractInsnNode before) {
        AbstractInsnNode first = before == null ? ((MethodNode) mv).instructions.getFirst() : before.getNext();
        stateMoves.add(new StateMove(local, store, first, lastNode()));
    }

    /** Stores the guest registers and lazy flags from the locals into the Cpu object (translated blocks). */
    void spill() {
        if (handler) {
            return;
        }
        for (int r = 0; r < 8; r++) {
            AbstractInsnNode before = lastNode();
            aloadRegs();
            iconst(r);
            iload(regLocal(r));
            op(IASTORE);
            moved(regLocal(r), true, before);
        }
        for (int k = 0; k < 4; k++) {
            AbstractInsnNode before = lastNode();
            putCpuFromLocal(FLAG_FIELDS[k], L_FOP + k);
            moved(L_FOP + k, true, before);
        }
        if (xmmInLocals) {
            spillXmm();
        }
    }

    /** Reloads the guest registers and lazy flags from the Cpu object (translated blocks). */
    void reload() {
        flagsUnknown();
        simdGateUnknown();
        if (handler) {
            return;
        }
        for (int r = 0; r < 8; r++) {
            AbstractInsnNode before = lastNode();
            aloadRegs();
            iconst(r);
            op(IALOAD);
            istore(regLocal(r));
            moved(regLocal(r), false, before);
        }
        for (int k = 0; k < 4; k++) {
            AbstractInsnNode before = lastNode();
            getCpu(FLAG_FIELDS[k]);
            istore(L_FOP + k);
            moved(L_FOP + k, false, before);
        }
        if (xmmInLocals) {
            reloadXmm();
        }
    }

    /**
     * Calls a static helper that works on the Cpu object: the guest state is in the Cpu, EIP is
     * this instruction's, the arguments {@code args} pushes follow the Cpu, and the state is
     * reloaded afterwards. A fault inside the helper leaves the Cpu as the helper left it.
     */
    public void callWithState(HelperCall helper, Runnable args) {
        spill();
        if (!handler) {
            // A handler's caller sets EIP before every instruction.
            iconst(insn.address);
            putCpu(Fields.EIP);
            stateInCpu(true);
        }
        aloadCpu();
        if (args != null) {
            args.run();
        }
        call(helper);
        if (!handler) {
            stateInCpu(false);
        }
        reload();
    }

    private void stateInCpu(boolean inCpu) {
        iconst(inCpu ? index | IDX_STATE_IN_CPU : index);
        istore(L_IDX);
    }

    /** Raises a guest exception at this instruction (the state before it is what the guest sees). */
    public void raise(int vector, int errorCode, boolean hasErrorCode) {
        aloadCpu();
        iconst(vector);
        iconst(errorCode);
        iconst(hasErrorCode ? 1 : 0);
        call(Calls.RAISE);
        op(ATHROW);
    }

    /** Counts a virtualization hole by name (ring aliasing, non-faulting reads, IF ...). */
    public void countHole(String name) {
        aloadCpu();
        mv.visitLdcInsn(name);
        call(Calls.HOLE);
    }

    // ---- VM exits (DESIGN.md rule 5)

    /** The exit: the guest state to the Cpu, one call with reason and qualification, the state back. */
    public void exit(long qualification) {
        exit(() -> lconst(qualification));
    }

    /** The exit, with a qualification pushed by {@code pushQualification} (a long). */
    public void exit(Runnable pushQualification) {
        callWithState(Calls.EXIT, () -> {
            iconst(insn.mnemonic.exitReason().number());
            pushQualification.run();
            pushLength();
        });
    }

    /**
     * An exit with VM-exit instruction information and a guest-linear address (descriptor-table
     * and INVLPG exits): {@code pushQualification} pushes a long, {@code pushInfo} an int;
     * {@code linLocal} holds the address, or is -1 for a register operand.
     */
    public void exitWithInfo(Runnable pushQualification, Runnable pushInfo, int linLocal) {
        callWithState(Calls.EXIT_WITH_INFO, () -> exitArguments(pushQualification, pushInfo, linLocal));
    }

    private void exitArguments(Runnable pushQualification, Runnable pushInfo, int linLocal) {
        iconst(insn.mnemonic.exitReason().number());
        pushQualification.run();
        pushLength();
        pushInfo.run();
        if (linLocal >= 0) {
            iload(linLocal);
        } else {
            iconst(0);
        }
    }

    /** Pushes the instruction's length in bytes: a constant, or the record's in a shared handler. */
    public void pushLength() {
        if (valuesKnown) {
            iconst(insn.length);
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            Fields.INSN_LENGTH.get(mv);
        }
    }

    /** Pushes a value computed from the instruction's record: a constant, or a call in a shared handler. */
    public void push(InsnValue v) {
        if (valuesKnown) {
            if (v.wide) {
                lconst(v.of(insn));
            } else {
                iconst((int) v.of(insn));
            }
        } else {
            mv.visitVarInsn(ALOAD, L_INSN);
            v.call.invoke(mv);
        }
    }

    /**
     * Emits {@code exits} when the instruction's exit happens under the controls whatever its
     * operands ({@code ExecutionControls.instructionExits}), else {@code otherwise}. A translation
     * decides now (it is discarded when the controls change); a shared handler, made once for
     * every set of controls, asks when it runs.
     */
    public void byControls(Runnable exits, Runnable otherwise) {
        ExitReason reason = insn.mnemonic.exitReason();
        if (valuesKnown) {
            if (controls().instructionExits(reason)) {
                exits.run();
            } else {
                otherwise.run();
            }
            return;
        }
        Label no = new Label(), done = new Label();
        aloadCpu();
        iconst(reason.number());
        call(Calls.INSTRUCTION_EXITS);
        jump(IFEQ, no);
        exits.run();
        jump(GOTO, done);
        label(no);
        otherwise.run();
        label(done);
    }

    /**
     * The exit when the controls make this instruction exit (see {@link #byControls}), else the
     * instruction's effect without one ({@code ExitBridge.pass}), from the same information.
     */
    public void exitOrPass(Runnable pushQualification, Runnable pushInfo, int linLocal) {
        byControls(() -> exitWithInfo(pushQualification, pushInfo, linLocal),
                () -> callWithState(Calls.PASS, () -> exitArguments(pushQualification, pushInfo, linLocal)));
    }

    // ---- block ends

    /** The block ends here and continues at {@code where}, chained through {@code slot}. */
    public void exitTo(Unit.Where where, int slot) {
        unit.exitLeg(this, where, slot);
        unit.endNow();
    }

    /**
     * One leg of a conditional block end: continues at {@code where} through {@code slot}; the
     * caller emits the branch around it and ends the block with {@link #exitTo} for the other leg.
     */
    public void exitLeg(Unit.Where where, int slot) {
        unit.exitLeg(this, where, slot);
    }

    /** The block ends here and continues at the EIP on the JVM stack, without chaining. */
    public void exitIndirect() {
        unit.exitIndirect(this, CompiledBlock.UNCHAINED);
        unit.endNow();
    }

    /** A near indirect branch: continues at the EIP on the JVM stack in the same mode (inline-cached). */
    public void exitIndirectNear() {
        unit.exitIndirect(this, CompiledBlock.INDIRECT);
        unit.endNow();
    }

    /**
     * Leaves the block at the EIP on the JVM stack, unchained, as one leg of a branch: the code
     * after it stays reachable (an x87 instruction frozen on a pending exception leaves here).
     */
    public void exitIndirectLeg() {
        unit.exitIndirect(this, CompiledBlock.UNCHAINED);
    }

    /** Ends the block at the EIP a helper left in the Cpu (the mode may have changed: no chaining). */
    public void exitFromCpu() {
        getCpu(Fields.EIP);
        exitIndirect();
    }

    /** Leaves the block for the next instruction when something asked for attention (an interrupt, a stop). */
    public void leaveIfRequested() {
        Label goOn = new Label();
        getCpu(Fields.INTERRUPT_REQUEST);
        jump(IFEQ, goOn);
        exitLeg(Unit.Where.NEXT, CompiledBlock.UNCHAINED); // mid-block: no chain slot fits it
        label(goOn);
    }

    /** The instruction just emitted ended in a throw: nothing after it in the block is reachable. */
    public void endBlockHere() {
        unit.endNow();
    }

    /** Ends the block after this instruction (its successor may depend on state it changed). */
    public void endBlockAfter() {
        unit.endAfter();
    }
}
