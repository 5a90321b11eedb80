package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Insn;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;

import static dev.jvmx.translator.codegen.Emitter.*;

/**
 * Turns a decoded guest basic block into the bytes of a JVM class: one static method
 * {@code exec(Cpu)I} holding the translated code, and an {@code execute} bridge for
 * {@link dev.jvmx.translator.codegen.CompiledBlock}.
 *
 * <p>Method shape: a prologue loads registers, lazy flags, RAM, TLB arrays and the
 * segment bases the block uses into locals; the body is one emitted sequence per guest
 * instruction, each storing its index into a local first; every block exit stores the
 * next EIP and chain slot and jumps to one epilogue that stores the state back. A handler
 * for {@code GuestFault} spills the locals (the state before the faulting instruction)
 * and records which instruction faulted.
 */
public final class BlockCompiler implements Opcodes {
    public static final String CLASS_NAME = "dev/jvmx/translator/codegen/Block";
    private static final String GUEST_FAULT = "dev/jvmx/translator/cpu/GuestFault";

    final boolean code32, stack32, protectedMode, v86;
    final int cpl;
    final int mode;
    boolean endAfter;
    private boolean ended;
    private final boolean[] segUsed = new boolean[6];
    private final Label epilogue = new Label();
    /** Region translation: guest EIP of each member block's first instruction -> its label. */
    private final java.util.Map<Integer, Label> blockLabels = new java.util.HashMap<>();
    private final java.util.Map<Integer, Integer> blockOrder = new java.util.HashMap<>();
    /** Instructions of the member block being emitted, and its position in the region. */
    private int currentBlockStart;
    private int currentBlockOrder;
    /**
     * Region back edges, per target block: every back edge to one block shares one budget and
     * interrupt check (rule 7). One check per loop head, rather than one per edge, means the
     * check that ends a budget is one bytecode that HotSpot's profile sees taken, instead of
     * many rarely taken branches that C2 turns into deoptimising traps.
     */
    private final java.util.Map<Integer, Label> backEdges = new java.util.LinkedHashMap<>();
    /** Region indirect branches (RET, JMP r/m) all go through one budget check and lookupswitch. */
    private final Label dispatch = new Label();
    private boolean dispatchUsed;
    /** Direct exit targets seen (for region formation). */
    private final java.util.Set<Integer> directTargets = new java.util.LinkedHashSet<>();

    public BlockCompiler(int mode) {
        this.mode = mode;
        this.code32 = (mode & BlockMode.CODE32) != 0;
        this.stack32 = (mode & BlockMode.STACK32) != 0;
        this.protectedMode = (mode & BlockMode.PE) != 0;
        this.v86 = (mode & BlockMode.VM) != 0;
        this.cpl = (mode >> BlockMode.CPL_SHIFT) & 3;
    }

    void useSegment(int s) {
        segUsed[s] = true;
    }

    /** Result of compiling: the class bytes and how many of the instructions it covers. */
    public static final class Result {
        public final byte[] classBytes;
        public final int instructions;
        public final int bytecodeSize;
        /** Guest EIPs this code can leave to directly (chain slots TAKEN/FALLTHROUGH). */
        public final int[] directTargets;

        Result(byte[] classBytes, int instructions, int bytecodeSize, int[] directTargets) {
            this.classBytes = classBytes;
            this.instructions = instructions;
            this.bytecodeSize = bytecodeSize;
            this.directTargets = directTargets;
        }
    }

    /**
     * Compiles {@code insns}; the block may end early (an instruction that must end it), in
     * which case {@link Result#instructions} says how many were used.
     */
    public Result compile(List<Insn> insns) {
        return compileRegion(List.of(insns), false);
    }

    /**
     * Compiles a region: several blocks in one method (DESIGN.md rule 4). An exit to a member
     * block's first instruction becomes a jump inside the method, so a guest loop is a JVM
     * loop; back edges first check the instruction budget and the interrupt request. With
     * one member and {@code region} false this is a plain block, which may end early (an
     * instruction that must end it): {@link Result#instructions} says how many were used.
     */
    public Result compileRegion(List<List<Insn>> members, boolean region) {
        MethodNode m = new MethodNode(ACC_PUBLIC | ACC_STATIC, "exec", "(L" + CPU + ";)I", null, null);
        Emitter e = new Emitter(m, this);
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        if (region) {
            for (int k = 0; k < members.size(); k++) {
                blockLabels.put(members.get(k).get(0).address, new Label());
                blockOrder.put(members.get(k).get(0).address, k);
            }
        }
        m.visitLabel(tryStart);
        int used = 0;
        int index = 0;
        for (int k = 0; k < members.size(); k++) {
            List<Insn> insns = members.get(k);
            ended = false;
            endAfter = false;
            currentBlockStart = index;
            currentBlockOrder = k;
            if (region) {
                m.visitLabel(blockLabels.get(insns.get(0).address));
                // Several predecessors: nothing is known about the lazy flags here.
                e.flagsUnknown();
            }
            for (int i = 0; i < insns.size() && !ended; i++) {
                Insn insn = insns.get(i);
                e.insn = insn;
                e.index = index++;
                e.resetTemps();
                e.iconst(e.index);
                e.istore(L_IDX);
                Families.emit(insn, e);
                used++;
                if (!ended && (endAfter || i == insns.size() - 1)) {
                    e.exitTo(e.nextEip(), dev.jvmx.translator.codegen.CompiledBlock.FALLTHROUGH);
                }
            }
        }
        regionTails(e);
        m.visitLabel(tryEnd);
        // Epilogue: store the state back and return the chain slot.
        m.visitLabel(epilogue);
        e.spill();
        e.aloadCpu();
        e.iload(L_NEXT_EIP);
        m.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
        addInstructionCount(e);
        e.iload(L_SLOT);
        m.visitInsn(IRETURN);
        // Fault handler: state before the faulting instruction, unless a helper holds it in Cpu.
        m.visitLabel(handler);
        int ex = e.temp();
        m.visitVarInsn(ASTORE, ex);
        Label skip = new Label();
        e.iload(L_IDX);
        e.iconst(IDX_STATE_IN_CPU);
        m.visitInsn(IAND);
        m.visitJumpInsn(IFNE, skip);
        e.spill();
        m.visitLabel(skip);
        addInstructionCount(e);
        e.aloadCpu();
        e.iload(L_IDX);
        e.iconst(0xFFFF);
        m.visitInsn(IAND);
        m.visitFieldInsn(PUTFIELD, CPU, "faultIndex", "I");
        m.visitVarInsn(ALOAD, ex);
        m.visitInsn(ATHROW);
        m.visitTryCatchBlock(tryStart, tryEnd, handler, GUEST_FAULT);

        m.instructions.insert(prologue(e));
        // A label at the very end: once written, its offset is the bytecode size HotSpot sees.
        org.objectweb.asm.tree.LabelNode end = new org.objectweb.asm.tree.LabelNode();
        m.instructions.add(end);
        m.maxLocals = e.maxTemp + 2;
        m.maxStack = 16;

        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, CLASS_NAME, null, "java/lang/Object",
                new String[] {"dev/jvmx/translator/codegen/CompiledBlock"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        MethodVisitor bridge = cw.visitMethod(ACC_PUBLIC, "execute", "(L" + CPU + ";)I", null, null);
        bridge.visitCode();
        bridge.visitVarInsn(ALOAD, 1);
        bridge.visitMethodInsn(INVOKESTATIC, CLASS_NAME, "exec", "(L" + CPU + ";)I", false);
        bridge.visitInsn(IRETURN);
        bridge.visitMaxs(1, 2);
        bridge.visitEnd();
        m.accept(cw);
        cw.visitEnd();
        int[] targets = directTargets.stream().mapToInt(Integer::intValue).toArray();
        return new Result(cw.toByteArray(), used, end.getLabel().getOffset(), targets);
    }

    private InsnList prologue(Emitter unused) {
        MethodNode p = new MethodNode();
        Emitter e = new Emitter(p, this);
        e.aloadCpu();
        p.visitFieldInsn(GETFIELD, CPU, "regs", "[I");
        p.visitVarInsn(ASTORE, L_REGS);
        for (int r = 0; r < 8; r++) {
            p.visitVarInsn(ALOAD, L_REGS);
            e.iconst(r);
            p.visitInsn(IALOAD);
            e.istore(regLocal(r));
        }
        String[] f = {"flagOp", "flagRes", "flagA", "flagB"};
        for (int i = 0; i < 4; i++) {
            e.aloadCpu();
            p.visitFieldInsn(GETFIELD, CPU, f[i], "I");
            e.istore(L_FOP + i);
        }
        e.aloadCpu();
        p.visitFieldInsn(GETFIELD, CPU, "memory", "L" + MEM + ";");
        p.visitFieldInsn(GETFIELD, MEM, "array", "[B");
        p.visitVarInsn(ASTORE, L_RAM);
        String[] t = {"tlbReadTag", "tlbWriteTag", "tlbAddend"};
        for (int i = 0; i < 3; i++) {
            e.aloadCpu();
            p.visitFieldInsn(GETFIELD, CPU, t[i], "[I");
            p.visitVarInsn(ASTORE, L_RTAG + i);
        }
        for (int s = 0; s < 6; s++) {
            if (segUsed[s]) {
                e.aloadCpu();
                p.visitFieldInsn(GETFIELD, CPU, "seg", "[Ldev/jvmx/translator/cpu/SegmentCache;");
                e.iconst(s);
                p.visitInsn(AALOAD);
                p.visitFieldInsn(GETFIELD, "dev/jvmx/translator/cpu/SegmentCache", "base", "I");
                e.istore(L_SEGBASE0 + s);
            } else {
                e.iconst(0);
                e.istore(L_SEGBASE0 + s);
            }
        }
        // -1, not 0: tools find instruction k's code by the store of constant k into L_IDX.
        e.iconst(-1);
        e.istore(L_IDX);
        e.iconst(0);
        e.istore(L_NEXT_EIP);
        e.iconst(0);
        e.istore(L_SLOT);
        e.iconst(0);
        e.istore(L_ICOUNT);
        e.aloadCpu();
        p.visitFieldInsn(GETFIELD, CPU, "budget", "I");
        e.istore(L_BUDGET);
        return p.instructions;
    }

    /**
     * The shared tails of a region: one budget and interrupt check per back-edge target, then
     * the jump back or the exit through the target's chain slot; and the indirect dispatch,
     * whose lookupswitch covers every member block.
     */
    private void regionTails(Emitter e) {
        int[] keys = blockLabels.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        // The dispatch folds the budget check into its key (see below), unless a member starts at EIP FFFFFFFF.
        boolean foldedDispatch = dispatchUsed && java.util.Arrays.binarySearch(keys, LEAVE_KEY) < 0;
        for (java.util.Map.Entry<Integer, Label> b : backEdges.entrySet()) {
            Label leave = new Label();
            e.mv.visitLabel(b.getValue());
            budgetCheck(e, leave);
            e.mv.visitJumpInsn(GOTO, blockLabels.get(b.getKey()));
            e.mv.visitLabel(leave);
            e.iconst(b.getKey());
            e.istore(L_NEXT_EIP);
            if (foldedDispatch) {
                // Leave through the dispatch, so that its way out is taken whenever a budget ends.
                e.mv.visitJumpInsn(GOTO, dispatch);
                continue;
            }
            e.iconst(dev.jvmx.translator.codegen.CompiledBlock.FIRST_REGION_SLOT + indexOf(b.getKey()));
            e.istore(L_SLOT);
            e.mv.visitJumpInsn(GOTO, epilogue);
        }
        if (dispatchUsed) {
            Label leave = new Label();
            e.mv.visitLabel(dispatch);
            if (foldedDispatch) {
                foldedKey(e);
            } else {
                budgetCheck(e, leave);
                e.iload(L_NEXT_EIP);
            }
            Label[] targets = new Label[keys.length];
            for (int i = 0; i < keys.length; i++) {
                targets[i] = blockLabels.get(keys[i]);
            }
            e.mv.visitLookupSwitchInsn(leave, keys, targets);
            e.mv.visitLabel(leave);
            e.iconst(dev.jvmx.translator.codegen.CompiledBlock.INDIRECT);
            e.istore(L_SLOT);
            e.mv.visitJumpInsn(GOTO, epilogue);
        }
    }

    /**
     * Pushes the dispatch key: the target EIP, or LEAVE_KEY once the budget is spent or an event
     * waits, computed without a branch. The lookupswitch's default is then the one way out of the
     * region, taken at every budget end: HotSpot sees it taken while it profiles, so C2 compiles
     * it rather than a trap that would deoptimise the whole region the first time a RET leaves it.
     */
    private static void foldedKey(Emitter e) {
        e.iload(L_NEXT_EIP);
        e.iload(L_ICOUNT);
        e.iload(L_BUDGET);
        e.op(ISUB);
        e.iconst(31);
        e.op(ISHR);            // -1 while budget is left, else 0
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, CPU, "interruptRequest", "I");
        e.op(DUP);
        e.op(INEG);
        e.op(IOR);
        e.iconst(31);
        e.op(ISHR);            // -1 when an event waits, else 0
        e.op(ICONST_M1);
        e.op(IXOR);
        e.op(IAND);            // -1 when the region may go on
        e.op(ICONST_M1);
        e.op(IXOR);            // 0 when it may go on, else -1 (LEAVE_KEY)
        e.op(IOR);
    }

    /** The dispatch key that matches no member block: the way out of the region. */
    private static final int LEAVE_KEY = -1;

    /** Jumps to {@code leave} when the budget is spent or an event waits. */
    private static void budgetCheck(Emitter e, Label leave) {
        e.iload(L_ICOUNT);
        e.iload(L_BUDGET);
        e.mv.visitJumpInsn(IF_ICMPGE, leave);
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, CPU, "interruptRequest", "I");
        e.mv.visitJumpInsn(IFNE, leave);
    }

    /** cpu.instructions += the instructions completed in this invocation. */
    private void addInstructionCount(Emitter e) {
        e.aloadCpu();
        e.op(DUP);
        e.mv.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
        e.iload(L_ICOUNT);
        e.op(I2L);
        e.op(LADD);
        e.mv.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
    }

    /** Counts the member block's instructions up to this one as completed (the block is being left). */
    private void countBlock(Emitter e) {
        e.mv.visitIincInsn(L_ICOUNT, e.index - currentBlockStart + 1);
    }

    void exitTo(Emitter e, int eip, int slot) {
        exitLeg(e, eip, slot);
        markEnded(e);
    }

    void exitIndirect(Emitter e, int slot) {
        countBlock(e);
        e.istore(L_NEXT_EIP);
        if (slot == dev.jvmx.translator.codegen.CompiledBlock.INDIRECT && !blockLabels.isEmpty()) {
            // A near indirect branch stays in the method when it goes to a member block.
            e.mv.visitJumpInsn(GOTO, dispatch);
            dispatchUsed = true;
        } else {
            e.iconst(slot);
            e.istore(L_SLOT);
            e.mv.visitJumpInsn(GOTO, epilogue);
        }
        markEnded(e);
    }

    /** A conditional exit (Jcc): the caller emits the branch; this emits one leg. */
    void exitLeg(Emitter e, int eip, int slot) {
        countBlock(e);
        Label inside = blockLabels.get(eip);
        if (inside != null) {
            if (blockOrder.get(eip) <= currentBlockOrder) {
                // A back edge goes through the one budget check of its target (emitted by regionTails).
                directTargets.add(eip);
                e.mv.visitJumpInsn(GOTO, backEdges.computeIfAbsent(eip, k -> new Label()));
            } else {
                e.mv.visitJumpInsn(GOTO, inside);
            }
            return;
        }
        directTargets.add(eip);
        if (!blockLabels.isEmpty()) {
            // A region leaves for many targets: each gets a chain slot of its own.
            slot = dev.jvmx.translator.codegen.CompiledBlock.FIRST_REGION_SLOT + indexOf(eip);
        }
        e.iconst(eip);
        e.istore(L_NEXT_EIP);
        e.iconst(slot);
        e.istore(L_SLOT);
        e.mv.visitJumpInsn(GOTO, epilogue);
    }

    void endNow() {
        ended = true;
    }

    private int indexOf(int eip) {
        int i = 0;
        for (int t : directTargets) {
            if (t == eip) {
                return i;
            }
            i++;
        }
        throw new IllegalStateException("unknown target");
    }

    /** An unconditional exit ends the block: nothing after it is reachable. */
    private void markEnded(Emitter e) {
        ended = true;
    }
}
