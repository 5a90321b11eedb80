package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.vmx.ExecutionControls;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.jvmx.translator.codegen.Emitter.*;

/**
 * Turns decoded guest blocks into the bytes of a JVM class (the second execution tier): a
 * {@link CompiledBlock} whose {@code execute(Cpu)I} holds the translated code.
 *
 * <p>Method shape: a prologue moves the Cpu argument to local 0, where the emitters keep it, and
 * loads the registers and lazy-flag words the block uses, the RAM and TLB arrays and the segment
 * bases it uses into locals; the body is one emitted sequence per guest instruction, each storing
 * its index into a local first; every block exit stores the next EIP and chain slot and jumps to
 * one epilogue that stores back the state the block wrote. A handler for {@code GuestFault}
 * spills the locals (the state before the faulting instruction) and records which instruction
 * faulted.
 */
public final class BlockCompiler implements Opcodes, Unit {
    public static final String CLASS_NAME = "dev/jvmx/translator/codegen/TranslatedBlock";
    /** Regions get a name of their own, so HotSpot's compiler directives and logs can tell them from blocks. */
    public static final String REGION_CLASS_NAME = "dev/jvmx/translator/codegen/TranslatedRegion";
    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String GUEST_FAULT = Type.getInternalName(GuestFault.class);

    private final int mode;
    private final ExecutionControls controls;
    private final int ramTop;
    private boolean endAfter;
    private boolean ended;
    private final Label epilogue = new Label();
    /** Region translation: guest EIP of each member block's first instruction -> its label. */
    private final Map<Integer, Label> blockLabels = new HashMap<>();
    private final Map<Integer, Integer> blockOrder = new HashMap<>();
    /** Index of the first instruction of the member block being emitted, and its position in the region. */
    private int currentBlockStart;
    private int currentBlockOrder;
    /**
     * Region back edges, per target block: every back edge to one block shares one budget and
     * interrupt check (rule 7). One check per loop head, rather than one per edge, means the
     * check that ends a budget is one bytecode that HotSpot's profile sees taken, instead of
     * many rarely taken branches that C2 turns into deoptimising traps.
     */
    private final Map<Integer, Label> backEdges = new LinkedHashMap<>();
    /** Region indirect branches (RET, JMP r/m) all go through one budget check and lookupswitch. */
    private final Label dispatch = new Label();
    private boolean dispatchUsed;
    /** Direct exit targets seen (for region formation). */
    private final Set<Integer> directTargets = new LinkedHashSet<>();

    public BlockCompiler(int mode, ExecutionControls controls) {
        this(mode, controls, 0);
    }

    /** A compiler for a machine whose RAM ends at {@code ramTop} (see {@link Unit#ramTop}). */
    public BlockCompiler(int mode, ExecutionControls controls, int ramTop) {
        this.mode = mode;
        this.controls = controls;
        this.ramTop = ramTop;
    }

    // ---- Unit

    @Override
    public int mode() {
        return mode;
    }

    @Override
    public void consult(int modeBits) {
        // A block is made for one mode: nothing to record.
    }

    @Override
    public ExecutionControls controls() {
        return controls;
    }

    @Override
    public int ramTop() {
        return ramTop;
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
     * one member and {@code region} false this is a plain block.
     */
    public Result compileRegion(List<List<Insn>> members, boolean region) {
        MethodNode m = new MethodNode(ACC_PUBLIC, "execute", "(L" + CPU + ";)I", null, null);
        Emitter e = new Emitter(m, this, false);
        e.xmmInLocals = namesXmm(members);
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
                // Several predecessors: nothing is known about the lazy flags or SSE's gate here.
                e.flagsUnknown();
                e.simdGateUnknown();
            }
            for (int i = 0; i < insns.size() && !ended; i++) {
                e.begin(insns.get(i), index++);
                e.iconst(e.index);
                e.istore(L_IDX);
                Emitters.emit(e);
                used++;
                if (!ended && (endAfter || i == insns.size() - 1)) {
                    e.exitTo(Where.NEXT, CompiledBlock.FALLTHROUGH);
                }
            }
            // A first-tier member can end before its last instruction (a repeated string
            // instruction, say, ends its run): the next member's instruction k is still
            // instruction start + k of the region's list, which fault recovery reads.
            index = currentBlockStart + insns.size();
        }
        regionTails(e);
        m.visitLabel(tryEnd);
        // Epilogue: store the state back and return the chain slot.
        m.visitLabel(epilogue);
        e.spill();
        e.putCpuFromLocal(Fields.EIP, L_NEXT_EIP);
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
        Fields.FAULT_INDEX.put(m);
        m.visitVarInsn(ALOAD, ex);
        m.visitInsn(ATHROW);
        m.visitTryCatchBlock(tryStart, tryEnd, handler, GUEST_FAULT);

        String className = region ? REGION_CLASS_NAME : CLASS_NAME;
        m.instructions.insert(prologue(e, trimStateMoves(m, e.stateMoves), className));
        // CompiledBlock.execute itself: the execution loop calls it at every block entry, and a
        // region's code is far above what C2 would inline into a bridge.
        m.instructions.insert(ClassFiles.argumentsTo(L_CPU));
        // execute(null) returns at once, before the prologue reads the Cpu: such calls give a new
        // translation the invocation counts by which C1 orders its queue (exec.HotSpotCompiles).
        InsnList guard = new InsnList();
        LabelNode run = new LabelNode();
        guard.add(new VarInsnNode(ALOAD, 1));
        guard.add(new JumpInsnNode(IFNONNULL, run));
        guard.add(new IntInsnNode(BIPUSH, CompiledBlock.UNCHAINED));
        guard.add(new InsnNode(IRETURN));
        guard.add(run);
        m.instructions.insert(guard);
        // A label at the very end: once written, its offset is the bytecode size HotSpot sees.
        LabelNode end = new LabelNode();
        m.instructions.add(end);
        m.maxLocals = e.xmmInLocals ? L_XMM_ARRAY + 1 : e.maxTemp + 2;
        m.maxStack = 16;

        byte[] bytes = ClassFiles.withOverride(className, m, Type.getInternalName(CompiledBlock.class), true);
        int[] targets = ints(directTargets);
        return new Result(bytes, used, end.getLabel().getOffset(), targets);
    }

    /** Whether an instruction of the unit names an XMM register. */
    private static boolean namesXmm(List<List<Insn>> members) {
        for (List<Insn> block : members) {
            for (Insn i : block) {
                for (Operand o : i.operands) {
                    if (o != null && o.kind == Operand.Kind.XMM) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Drops what the method's spills and reloads need not move. A guest-state local that no
     * instruction writes need not be stored back (the Cpu still holds its value, or the value a
     * helper left there), and one that no instruction reads or writes need not be loaded, by the
     * prologue or after a helper. Returns, by local, those the prologue loads. (A block touches
     * about half the registers: the rest cost four bytecodes at each spill and reload, and a store
     * at every exit.)
     */
    private static boolean[] trimStateMoves(MethodNode m, List<Emitter.StateMove> moves) {
        // The moves' instructions by their positions in the list, not in an identity set: the
        // code generator runs in C1's code, where each node's first identity hash is a call into
        // the VM, and asking the set about every node of the method took a fifth of the
        // translation worker's time in a Linux boot. (indexOf and get share the list's one array
        // of its nodes.)
        InsnList insns = m.instructions;
        boolean[] inMove = new boolean[insns.size()];
        for (Emitter.StateMove mv : moves) {
            Arrays.fill(inMove, insns.indexOf(mv.first()), insns.indexOf(mv.last()) + 1, true);
        }
        boolean[] used = new boolean[L_XMM_ARRAY];
        boolean[] written = new boolean[L_XMM_ARRAY];
        for (int k = 0; k < inMove.length; k++) {
            if (inMove[k]) {
                continue;
            }
            AbstractInsnNode n = insns.get(k);
            if (n instanceof VarInsnNode v && isStateLocal(v)) {
                used[v.var] = true;
                written[v.var] |= v.getOpcode() == ISTORE || v.getOpcode() == LSTORE;
            } else if (n instanceof IincInsnNode i && i.var <= L_FB) {
                used[i.var] = true;
                written[i.var] = true;
            }
        }
        for (Emitter.StateMove mv : moves) {
            if (mv.store() ? !written[mv.local()] : !used[mv.local()]) {
                for (AbstractInsnNode n = mv.first(), end = mv.last().getNext(); n != end; ) {
                    AbstractInsnNode next = n.getNext();
                    m.instructions.remove(n);
                    n = next;
                }
            }
        }
        return used;
    }

    /** A load or store of a guest-state local: a register or lazy-flags word (int), an XMM quadword (long). */
    private static boolean isStateLocal(VarInsnNode v) {
        int op = v.getOpcode();
        return v.var <= L_FB ? op == ILOAD || op == ISTORE
                : v.var >= L_XMM && v.var < L_XMM_ARRAY && (op == LLOAD || op == LSTORE);
    }

    private InsnList prologue(Emitter body, boolean[] load, String className) {
        MethodNode p = new MethodNode();
        Emitter e = new Emitter(p, this, false);
        e.getCpu(Fields.REGS);
        p.visitVarInsn(ASTORE, L_REGS);
        for (int r = 0; r < 8; r++) {
            if (load[regLocal(r)]) {
                p.visitVarInsn(ALOAD, L_REGS);
                e.iconst(r);
                p.visitInsn(IALOAD);
                e.istore(regLocal(r));
            }
        }
        FieldRef[] flags = {Fields.FLAG_OP, Fields.FLAG_RES, Fields.FLAG_A, Fields.FLAG_B};
        for (int i = 0; i < 4; i++) {
            if (load[L_FOP + i]) {
                e.getCpu(flags[i]);
                e.istore(L_FOP + i);
            }
        }
        if (body.xmmInLocals) {
            e.getCpu(Fields.FPU);
            Fields.XMM.get(p);
            p.visitVarInsn(ASTORE, L_XMM_ARRAY);
            for (int k = 0; k < 16; k++) {
                if (load[L_XMM + 2 * k]) {
                    p.visitVarInsn(ALOAD, L_XMM_ARRAY);
                    e.iconst(k);
                    p.visitInsn(LALOAD);
                    e.lstore(L_XMM + 2 * k);
                }
            }
        }
        memoryLocals(e, className);
        for (int s = 0; s < 6; s++) {
            if (body.segUsed[s]) {
                e.getCpu(Fields.SEG);
                e.iconst(s);
                p.visitInsn(AALOAD);
                Fields.SEGMENT_BASE.get(p);
            } else {
                e.iconst(0);
            }
            e.istore(L_SEGBASE0 + s);
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
        e.getCpu(Fields.BUDGET);
        e.istore(L_BUDGET);
        return p.instructions;
    }

    /**
     * RAM and the TLB's read and write entries into their locals, and the code-page flags for code
     * that stores to RAM directly, from the static finals of the translation's class {@code owner}
     * (see {@link ClassFiles#RAM_FIELD}). First-tier handlers load none: they access memory through
     * DataAccess ({@link Emitter#read}).
     */
    static void memoryLocals(Emitter e, String owner) {
        memoryArray(e, owner, ClassFiles.RAM_FIELD, "[B", L_RAM);
        if (e.directWrites()) {
            memoryArray(e, owner, ClassFiles.CODE_PAGE_FIELD, "[Z", Emitter.L_CODE_PAGE);
        }
        memoryArray(e, owner, ClassFiles.TLB_READ_FIELD, "[J", L_TLB_READ);
        memoryArray(e, owner, ClassFiles.TLB_WRITE_FIELD, "[J", L_TLB_WRITE);
    }

    private static void memoryArray(Emitter e, String owner, String field, String descriptor, int local) {
        e.mv.visitFieldInsn(GETSTATIC, owner, field, descriptor);
        e.mv.visitVarInsn(ASTORE, local);
    }

    /**
     * The collection as an array, by a loop (here and in exec.RegionFormer): streams were a boot's
     * first, whose set-up (their flags' EnumMap finds its constants by reflection) the first
     * translation paid in code HotSpot had not compiled, on the guest's thread or the worker's.
     */
    public static int[] ints(Collection<Integer> c) {
        int[] a = new int[c.size()];
        int i = 0;
        for (int v : c) {
            a[i++] = v;
        }
        return a;
    }

    /**
     * The shared tails of a region: one budget and interrupt check per back-edge target, then
     * the jump back or the exit through the target's chain slot; and the indirect dispatch,
     * whose lookupswitch covers every member block.
     */
    private void regionTails(Emitter e) {
        int[] keys = ints(blockLabels.keySet());
        Arrays.sort(keys);
        // The dispatch folds the budget check into its key (see below), unless a member starts at EIP FFFFFFFF.
        boolean foldedDispatch = dispatchUsed && Arrays.binarySearch(keys, LEAVE_KEY) < 0;
        for (Map.Entry<Integer, Label> b : backEdges.entrySet()) {
            Label leave = new Label();
            e.label(b.getValue());
            budgetCheck(e, leave);
            e.jump(GOTO, blockLabels.get(b.getKey()));
            e.label(leave);
            e.iconst(b.getKey());
            e.istore(L_NEXT_EIP);
            if (foldedDispatch) {
                // Leave through the dispatch, so that its way out is taken whenever a budget ends.
                e.jump(GOTO, dispatch);
                continue;
            }
            e.iconst(CompiledBlock.FIRST_REGION_SLOT + indexOf(b.getKey()));
            e.istore(L_SLOT);
            e.jump(GOTO, epilogue);
        }
        if (dispatchUsed) {
            Label leave = new Label();
            e.label(dispatch);
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
            e.label(leave);
            e.iconst(CompiledBlock.INDIRECT);
            e.istore(L_SLOT);
            e.jump(GOTO, epilogue);
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
        e.getCpu(Fields.INTERRUPT_REQUEST);
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

    /**
     * Jumps to {@code leave} when the budget is spent or an event waits: two branches, each
     * profiled taken by runs the execution loop starts with an empty budget or a request
     * (ExecutionLoop.PROFILE_EXITS_MASK). One branch on both ({@code (budget - icount) |
     * -request}) took three more instructions per way round a loop: crc32's and sieve's steady
     * rounds 20% slower.
     */
    private static void budgetCheck(Emitter e, Label leave) {
        e.iload(L_ICOUNT);
        e.iload(L_BUDGET);
        e.jump(IF_ICMPGE, leave);
        e.getCpu(Fields.INTERRUPT_REQUEST);
        e.jump(IFNE, leave);
    }

    /** cpu.instructions += the instructions completed in this invocation. */
    private static void addInstructionCount(Emitter e) {
        e.aloadCpu();
        e.op(DUP);
        Fields.INSTRUCTIONS.get(e.mv);
        e.iload(L_ICOUNT);
        e.op(I2L);
        e.op(LADD);
        Fields.INSTRUCTIONS.put(e.mv);
    }

    /** Counts the member block's instructions up to this one as completed (the block is being left). */
    private void countBlock(Emitter e) {
        e.mv.visitIincInsn(L_ICOUNT, e.index - currentBlockStart + 1);
    }

    private static int eipOf(Emitter e, Where where) {
        switch (where) {
            case NEXT: return e.nextEip();
            case TARGET: return e.targetEip();
            default: return e.address();
        }
    }

    @Override
    public void exitIndirect(Emitter e, int slot) {
        countBlock(e);
        e.istore(L_NEXT_EIP);
        if (slot == CompiledBlock.INDIRECT && !blockLabels.isEmpty()) {
            // A near indirect branch stays in the method when it goes to a member block.
            e.jump(GOTO, dispatch);
            dispatchUsed = true;
        } else {
            e.iconst(slot);
            e.istore(L_SLOT);
            e.jump(GOTO, epilogue);
        }
    }

    @Override
    public void exitLeg(Emitter e, Where where, int slot) {
        int eip = eipOf(e, where);
        countBlock(e);
        if (slot == CompiledBlock.UNCHAINED) {
            e.iconst(eip);
            e.istore(L_NEXT_EIP);
            e.iconst(slot);
            e.istore(L_SLOT);
            e.jump(GOTO, epilogue);
            return;
        }
        Label inside = blockLabels.get(eip);
        if (inside != null) {
            if (blockOrder.get(eip) <= currentBlockOrder) {
                // A back edge goes through the one budget check of its target (emitted by regionTails).
                directTargets.add(eip);
                e.jump(GOTO, backEdges.computeIfAbsent(eip, k -> new Label()));
            } else {
                e.jump(GOTO, inside);
            }
            return;
        }
        directTargets.add(eip);
        if (!blockLabels.isEmpty()) {
            // A region leaves for many targets: each gets a chain slot of its own.
            slot = CompiledBlock.FIRST_REGION_SLOT + indexOf(eip);
        }
        e.iconst(eip);
        e.istore(L_NEXT_EIP);
        e.iconst(slot);
        e.istore(L_SLOT);
        e.jump(GOTO, epilogue);
    }

    @Override
    public void endNow() {
        ended = true;
    }

    @Override
    public void endAfter() {
        endAfter = true;
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
}
