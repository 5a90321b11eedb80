package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.vmx.ExecutionControls;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodNode;

import static dev.jvmx.translator.codegen.Emitter.*;

/**
 * Makes first-tier {@link Handler}s from the same instruction emitters the block compiler uses
 * (STYLE.md, "one semantics, several tiers", as HotSpot builds its interpreter from templates):
 * one class per instruction form overriding {@link Handler#run}, in which the guest state is
 * read from and written to the {@link Cpu} and the instruction's per-instance values come from
 * the record. The handler depends only on the form and the mode bits the emitter asked about
 * ({@link Result#consulted}), so one handler serves every mode that agrees on those; it asks
 * the VM-execution controls when it runs.
 */
public final class HandlerCompiler implements Opcodes, Unit {
    public static final String CLASS_NAME = "dev/jvmx/translator/codegen/Handler$";
    private static final String DESC = "(" + Type.getDescriptor(Cpu.class) + Type.getDescriptor(Insn.class) + ")I";

    private final int mode;
    private int consulted;
    private boolean ended;
    private boolean endAfter;

    public HandlerCompiler(int mode) {
        this.mode = mode;
    }

    /** The class bytes of a handler, and the mode bits its code depends on. */
    public record Result(byte[] classBytes, int consulted) { }

    /** The handler for {@code insn}'s form. */
    public Result compile(Insn insn) {
        return compile(insn, CLASS_NAME + insn.mnemonic);
    }

    /** As {@link #compile(Insn)}, as a class named {@code className} (internal form). */
    public Result compile(Insn insn, String className) {
        MethodNode m = new MethodNode(ACC_PUBLIC, "run", DESC, null, null);
        Emitter e = new Emitter(m, this, true);
        e.begin(insn, 0);
        Emitters.emit(e);
        if (!ended) {
            if (endAfter) {
                e.exitTo(Where.NEXT, CompiledBlock.FALLTHROUGH);
            } else {
                e.iconst(Handler.CONTINUE);
                m.visitInsn(IRETURN);
            }
        }
        MethodNode p = new MethodNode();
        // Handler.run itself: the first tier calls it for every instruction, and C2 does not
        // inline a handler's code into a bridge once it is larger than FreqInlineSize.
        p.instructions.add(ClassFiles.argumentsTo(L_CPU, L_INSN));
        Emitter pe = new Emitter(p, this, true);
        pe.getCpu(Fields.REGS);
        p.visitVarInsn(ASTORE, L_REGS);
        // No RAM or TLB array: a handler accesses memory through DataAccess (Emitter.read).
        m.instructions.insert(p.instructions);
        m.maxLocals = Math.max(e.maxTemp + 2, 3);
        m.maxStack = 16;
        byte[] bytes = ClassFiles.withOverride(className, m, Type.getInternalName(Handler.class));
        return new Result(bytes, consulted);
    }

    // ---- Unit

    @Override
    public int mode() {
        return mode;
    }

    @Override
    public void consult(int modeBits) {
        consulted |= modeBits;
    }

    @Override
    public ExecutionControls controls() {
        throw new IllegalStateException("a handler serves every set of VM-execution controls: it must ask them"
                + " when it runs (Emitter.byControls), not when it is made");
    }

    @Override
    public void exitLeg(Emitter e, Where where, int slot) {
        switch (where) {
            case NEXT: e.pushNext(); break;
            case TARGET: e.pushTarget(); break;
            default: e.pushAddress(); break;
        }
        e.putCpu(Fields.EIP);
        e.iconst(slot);
        e.op(IRETURN);
    }

    @Override
    public void exitIndirect(Emitter e, int slot) {
        e.putCpu(Fields.EIP);
        e.iconst(slot);
        e.op(IRETURN);
    }

    @Override
    public void endNow() {
        ended = true;
    }

    @Override
    public void endAfter() {
        endAfter = true;
    }
}
