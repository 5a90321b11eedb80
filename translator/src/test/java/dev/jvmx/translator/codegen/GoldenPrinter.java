package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.decode.Insn;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static dev.jvmx.translator.codegen.Emitter.*;

/**
 * The golden text of generated code: ASM's Textifier output of the {@code exec} method, with
 * each local's name after its slot ({@code ILOAD 1  // eax}), SIPUSH and LDC constants also in hex
 * ({@code SIPUSH 4103  // 0x1007}), and comment lines (starting with
 * {@code ;}) that say where each stretch of bytecode comes from: the prologue, each guest
 * instruction (index, address, bytes, disassembly), a region's shared tails, the epilogue and
 * the fault handler.
 *
 * <p>A translated block marks instruction k's code with a store of the constant k into
 * {@link Emitter#L_IDX} (BlockCompiler); the printer puts the instruction's line before that
 * constant, and fails when it does not find the mark of every instruction, so that the golden
 * text never silently loses them.
 */
final class GoldenPrinter {
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String GUEST_FAULT = Type.getInternalName(GuestFault.class);
    /** The column at which a local's name starts. */
    private static final int NAME_COLUMN = 20;

    private GoldenPrinter() { }

    /** The method of generated class bytes that holds the code: a block's {@code execute}, a handler's {@code run}. */
    static MethodNode exec(byte[] classBytes) {
        ClassNode cn = new ClassNode();
        new ClassReader(classBytes).accept(cn, ClassReader.SKIP_FRAMES);
        for (MethodNode m : cn.methods) {
            if (m.name.equals("execute") || m.name.equals("run")) {
                return m;
            }
        }
        throw new AssertionError("no exec method in " + cn.name);
    }

    /**
     * A translated block or region: {@code members} are its blocks in the order compiled,
     * {@code code} the guest bytes assembled at {@code origin} (for the bytes column).
     */
    static String block(MethodNode m, List<List<Insn>> members, byte[] code, int origin) {
        List<Insn> all = new ArrayList<>();
        Map<Integer, Integer> memberStart = new HashMap<>();
        for (List<Insn> b : members) {
            memberStart.put(all.size(), memberStart.size());
            all.addAll(b);
        }
        boolean region = members.size() > 1;
        LabelNode epilogue = null;
        LabelNode faultHandler = null;
        for (TryCatchBlockNode tc : m.tryCatchBlocks) {
            if (GUEST_FAULT.equals(tc.type)) {
                epilogue = tc.end;
                faultHandler = tc.handler;
            }
        }
        Map<AbstractInsnNode, String> before = new HashMap<>();
        Map<AbstractInsnNode, String> names = new HashMap<>();
        AbstractInsnNode first = m.instructions.getFirst();
        AbstractInsnNode prologue = first;
        if (isCpuArgument(first) && first.getNext().getOpcode() == Opcodes.IFNONNULL) {
            before.put(first, "; with no cpu, return at once (calls that give C1's queue counts: exec.HotSpotCompiles)");
            names.put(first, "cpu argument");
            prologue = ((JumpInsnNode) first.getNext()).label.getNext();
        }
        before.put(prologue, "; prologue: the cpu argument (local 1) into local 0, then guest registers, lazy flags, RAM and"
                + " TLB arrays, segment bases into locals");
        if (isCpuArgument(prologue)) {
            names.put(prologue, "cpu argument"); // read before that slot holds a register
        }
        int next = 0;
        AbstractInsnNode lastMark = null;
        for (AbstractInsnNode n = first; n != null; n = n.getNext()) {
            Integer k = intConstant(n);
            if (k != null && k == next && next < all.size() && isStore(n.getNext(), L_IDX)) {
                String line = instructionLine(all.get(k), k, code, origin);
                Integer member = memberStart.get(k);
                if (region && member != null) {
                    line = String.format("; ---- block %d of the region, at %08x%n", member, all.get(k).address) + line;
                }
                before.merge(n, line, (a, b) -> a + System.lineSeparator() + b);
                lastMark = n;
                next++;
            }
        }
        if (next != all.size()) {
            throw new AssertionError("found the mark (ICONST k, ISTORE " + L_IDX + ") of only " + next + " of "
                    + all.size() + " guest instructions: BlockCompiler changed how it marks them; update GoldenPrinter");
        }
        if (region && lastMark != null) {
            // The shared tails follow the last instruction: their first label leads to a read of the
            // instruction count or the next EIP, which instruction code never reads (BlockCompiler).
            for (AbstractInsnNode n = lastMark; n != null && n != epilogue; n = n.getNext()) {
                if (n instanceof LabelNode && (isLoad(n.getNext(), L_ICOUNT) || isLoad(n.getNext(), L_NEXT_EIP))) {
                    before.put(n, "; region tails: one budget and interrupt check per back-edge target, the indirect dispatch");
                    break;
                }
            }
        }
        if (epilogue != null) {
            before.put(epilogue, "; epilogue: locals back to the Cpu, count the instructions, return the chain slot");
        }
        if (faultHandler != null) {
            before.put(faultHandler, "; fault handler: the state before the faulting instruction to the Cpu, "
                    + "its index to Cpu.faultIndex, rethrow");
        }
        return print(m, before, names, GoldenPrinter::blockLocal);
    }

    /** A first-tier handler made from {@code insn}. */
    static String handler(MethodNode m, Insn insn, byte[] code, int origin) {
        Map<AbstractInsnNode, String> before = new HashMap<>();
        AbstractInsnNode n = m.instructions.getFirst();
        before.put(n, "; prologue: the arguments (the cpu in local 1, the insn in local 2) into locals 0 and 1 (named by"
                + " what they hold after it), then the register array into a local");
        // The prologue: the two argument moves (ALOAD, ASTORE), then ALOAD cpu, GETFIELD, ASTORE slot
        // for the register array.
        for (int i = 0; i < 2 && n != null && n.getOpcode() == Opcodes.ALOAD && n.getNext() != null
                && n.getNext().getOpcode() == Opcodes.ASTORE; i++) {
            n = n.getNext().getNext();
        }
        while (n != null && n.getOpcode() == Opcodes.ALOAD && n.getNext() != null
                && n.getNext().getOpcode() == Opcodes.GETFIELD && n.getNext().getNext() instanceof VarInsnNode
                && n.getNext().getNext().getOpcode() == Opcodes.ASTORE) {
            n = n.getNext().getNext().getNext();
        }
        if (n == null) {
            throw new AssertionError("a handler with no code after its prologue");
        }
        before.merge(n, instructionLine(insn, 0, code, origin).replaceFirst("^; \\[0\\]", "; handler body for"),
                (a, b) -> a + System.lineSeparator() + b);
        return print(m, before, Map.of(), GoldenPrinter::handlerLocal);
    }

    private static String instructionLine(Insn insn, int k, byte[] code, int origin) {
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < insn.length; i++) {
            bytes.append(String.format("%02x ", code[insn.address - origin + i] & 0xFF));
        }
        return String.format("; [%d] %08x: %-21s %s", k, insn.address, bytes, insn);
    }

    /** {@code before}: comment lines before instructions; {@code named}: a local's name at one instruction, where its slot's differs. */
    private static String print(MethodNode m, Map<AbstractInsnNode, String> before, Map<AbstractInsnNode, String> named,
                                IntFunction<String> names) {
        NamingTextifier t = new NamingTextifier(names);
        TraceMethodVisitor v = new TraceMethodVisitor(t);
        for (TryCatchBlockNode tc : m.tryCatchBlocks) {
            tc.accept(v);
        }
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            String line = before.get(n);
            if (line != null) {
                t.text.add(line.strip() + "\n");
            }
            t.once = named.get(n);
            n.accept(v);
        }
        v.visitMaxs(m.maxStack, m.maxLocals);
        StringWriter w = new StringWriter();
        PrintWriter p = new PrintWriter(w);
        t.print(p);
        p.flush();
        return w.toString().replace(System.lineSeparator(), "\n");
    }

    /** Names of a translated block's locals (Emitter's slots). */
    static String blockLocal(int slot) {
        for (int r = 0; r < 8; r++) {
            if (slot == regLocal(r)) {
                return REG32[r];
            }
        }
        if (slot >= L_SEGBASE0 && slot < L_SEGBASE0 + 6) {
            return Seg.NAMES[slot - L_SEGBASE0] + "Base";
        }
        switch (slot) {
            case L_CPU: return "cpu";
            case L_FOP: return "flagOp";
            case L_FRES: return "flagRes";
            case L_FA: return "flagA";
            case L_FB: return "flagB";
            case L_RAM: return "ram";
            case L_TLB_READ: return "tlbRead";
            case L_TLB_WRITE: return "tlbWrite";
            case L_CODE_PAGE: return "codePage";
            case L_IDX: return "idx";
            case L_NEXT_EIP: return "nextEip";
            case L_SLOT: return "slot";
            case L_ICOUNT: return "icount";
            case L_BUDGET: return "budget";
            case L_REGS: return "regs";
            case L_XMM_ARRAY: return "xmm";
            default: break;
        }
        if (slot >= L_XMM && slot < L_XMM_ARRAY) {
            return "xmm" + (slot - L_XMM) / 4 + ((slot - L_XMM) % 4 == 0 ? ".lo" : ".hi");
        }
        if (slot >= L_FIRST_TEMP) {
            return "t" + (slot - L_FIRST_TEMP);
        }
        throw new AssertionError("translated code uses local " + slot + ", which GoldenPrinter has no name for");
    }

    /** Names of a first-tier handler's locals: the guest state stays in the Cpu. */
    static String handlerLocal(int slot) {
        switch (slot) {
            case L_CPU: return "cpu";
            case L_INSN: return "insn";
            case L_INSN + 1: return "insn argument"; // read once, by the prologue that moves it to L_INSN
            case L_RAM: case L_TLB_READ: case L_TLB_WRITE: case L_REGS: return blockLocal(slot);
            default: break;
        }
        if (slot >= L_FIRST_TEMP) {
            return "t" + (slot - L_FIRST_TEMP);
        }
        throw new AssertionError("a handler uses local " + slot + ", which GoldenPrinter has no name for");
    }

    private static Integer intConstant(AbstractInsnNode n) {
        int op = n.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
            return op - Opcodes.ICONST_0;
        }
        if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
            return ((IntInsnNode) n).operand;
        }
        if (op == Opcodes.LDC && ((LdcInsnNode) n).cst instanceof Integer) {
            return (Integer) ((LdcInsnNode) n).cst;
        }
        return null;
    }

    private static boolean isStore(AbstractInsnNode n, int slot) {
        return n != null && n.getOpcode() == Opcodes.ISTORE && ((VarInsnNode) n).var == slot;
    }

    private static boolean isLoad(AbstractInsnNode n, int slot) {
        return n != null && n.getOpcode() == Opcodes.ILOAD && ((VarInsnNode) n).var == slot;
    }

    /** Textifier that writes each local's name after its slot number. */
    private static final class NamingTextifier extends Textifier {
        private final IntFunction<String> names;
        /** The name for the next local named, instead of its slot's. */
        String once;

        NamingTextifier(IntFunction<String> names) {
            super(Opcodes.ASM9);
            this.names = names;
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            super.visitVarInsn(opcode, var);
            name(var);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            super.visitIincInsn(var, increment);
            name(var);
        }

        /** SIPUSH and LDC values in hex too: addresses, masks and qualifications read better so. */
        @Override
        public void visitIntInsn(int opcode, int operand) {
            super.visitIntInsn(opcode, operand);
            if (opcode == Opcodes.SIPUSH) {
                comment("0x" + Integer.toHexString(operand));
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            super.visitLdcInsn(value);
            if (value instanceof Integer) {
                comment("0x" + Integer.toHexString((Integer) value));
            } else if (value instanceof Long) {
                comment("0x" + Long.toHexString((Long) value) + "L");
            }
        }

        private void name(int var) {
            comment(once != null ? once : names.apply(var));
        }

        /** Appends {@code // text} to the line just printed. */
        private void comment(String s) {
            int last = text.size() - 1;
            String line = ((String) text.get(last)).stripTrailing();
            StringBuilder sb = new StringBuilder(line);
            do {
                sb.append(' ');
            } while (sb.length() < NAME_COLUMN);
            text.set(last, sb.append("// ").append(s).append('\n').toString());
        }
    }

    /** An ALOAD of execute's cpu argument (local 1, which later holds a register). */
    private static boolean isCpuArgument(AbstractInsnNode n) {
        return n.getOpcode() == Opcodes.ALOAD && ((VarInsnNode) n).var == L_CPU + 1;
    }
}
