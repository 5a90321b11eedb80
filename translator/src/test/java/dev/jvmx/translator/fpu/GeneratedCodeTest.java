package dev.jvmx.translator.fpu;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.put16;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The x87 instructions as a guest runs them (decoder, emitters, helper calls, inline memory
 * accesses), in each execution tier, against the library run directly on the same random
 * vectors ({@link X87Vectors}: every form, operands of every class, every control word). The
 * library agrees with the host CPU bit for bit ({@link HostOracleTest}), so agreement here
 * carries the host's word to the generated code, on any machine. Compared: the control,
 * status and tag words and the eight registers (the pointers are the generated code's own,
 * checked by X87InstructionsTest), the 512-byte memory operand, EFLAGS, AX, and a trap (#MF
 * with CR0.NE = 1; #GP from FXRSTOR).
 *
 * <p>{@code -Dx87.guestVectors=N} (default 3000 per tier) and {@code -Dx87.seed=S}.
 */
class GeneratedCodeTest {
    static final int N = Integer.getInteger("x87.guestVectors", 3000);
    static final long SEED = Long.getLong("x87.seed", 87);
    static final int GDT = 0x400, IDT = 0x500, STUBS = 0x600, MARK = 0x4F0, MEM = 0x3000;

    @Test
    void generatedCodeAgreesWithTheLibrary() {
        List<X87Vectors.Form> forms = new ArrayList<>();
        for (X87Vectors.Form f : X87Vectors.forms()) {
            if (!f.name.startsWith("fisttp")) { // SSE3: #UD in jvmx (checked below)
                forms.add(f);
            }
        }
        Map<String, Integer> failures = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int compared = 0;
        for (int tier : BareMachine.TIERS) {
            BareMachine m = new BareMachine();
            m.useTier(tier);
            X87Vectors gen = new X87Vectors(SEED);
            for (int k = 0; k < N; k++) {
                X87Vectors.Vector v = gen.next(forms);
                if (HostOracleTest.undefinedDomain(v)) {
                    continue;
                }
                X87TestDecoder.Outcome want = X87TestDecoder.execute(v.form.bytes, v.eflags, v.state, v.mem);
                X87TestDecoder.Outcome got = run(m, v.form.bytes, v.eflags, v.state, v.mem);
                compared++;
                String d = difference(want, got);
                if (d != null) {
                    failures.merge(v.form.name + " (tier " + tier + ")", 1, Integer::sum);
                    if (examples.size() < 20) {
                        examples.add(v.form + " tier " + tier + ":" + d);
                    }
                }
            }
            // FISTTP: SSE3, which jvmx's CPUID does not report.
            X87Vectors.Vector v = gen.next(forms);
            for (int[] b : new int[][] {{0xDB, 0x0E}, {0xDD, 0x0E}, {0xDF, 0x0E}}) {
                assertEquals(6, trapVector(m, new byte[] {(byte) b[0], (byte) b[1]}, v), "FISTTP #UD");
            }
        }
        StringBuilder sb = new StringBuilder(String.format("x87 generated code vs library: %d vectors in tiers 1 and 2%n",
                compared));
        failures.forEach((f, n) -> sb.append(String.format("  %-24s %d%n", f, n)));
        examples.forEach(e -> sb.append(e).append('\n'));
        System.out.print(sb);
        assertEquals(Map.of(), failures, sb.toString());
    }

    /** Runs one instruction in the machine: the state restored, ESI at the memory operand, then CLI, HLT. */
    static X87TestDecoder.Outcome run(BareMachine m, byte[] insn, int eflags, byte[] state, byte[] mem) {
        int vector = execute(m, insn, eflags, state, mem);
        Cpu c = m.cpu;
        X87TestDecoder.Outcome o = new X87TestDecoder.Outcome();
        o.trap = vector < 0 ? 0 : vector == 16 ? 8 : vector == 13 ? 11 : 100 + vector;
        if (o.trap == 8) {
            put16(o.state, 0, c.fpu.cw);
            put16(o.state, 4, c.fpu.statusWord());
            put16(o.state, 8, c.fpu.abridgedTagWord());
        } else {
            FpuImage.save(c.fpu, o.state, 0, true, false);
        }
        o.mem = new byte[512];
        for (int i = 0; i < 512; i++) {
            o.mem[i] = (byte) m.memory.read8(MEM + i);
        }
        o.ax = c.regs[Cpu.EAX] & 0xFFFF;
        o.rflags = c.getEflags() & 0xFFFFFFFFL;
        return o;
    }

    private static int trapVector(BareMachine m, byte[] insn, X87Vectors.Vector v) {
        return execute(m, insn, v.eflags, v.state, v.mem);
    }

    /** The exception vector the instruction raised, or -1. */
    private static int execute(BareMachine m, byte[] insn, int eflags, byte[] state, byte[] mem) {
        m.resetFlat32(BareMachine.CODE_BASE, BareMachine.STACK_TOP);
        Cpu c = m.cpu;
        c.cr0 |= Cr0.NE;
        // GDT: null, 0x08 flat 32-bit code, 0x10 flat data (SDM Vol. 3A, 3.4.5); IDT: stubs that note the vector.
        int[] gdt = {0, 0, 0x0000FFFF, 0x00CF9A00, 0x0000FFFF, 0x00CF9200};
        for (int i = 0; i < gdt.length; i++) {
            m.memory.write32(GDT + 4 * i, gdt[i]);
        }
        c.gdtrBase = GDT;
        c.gdtrLimit = gdt.length * 4 - 1;
        c.idtrBase = IDT;
        c.idtrLimit = 32 * 8 - 1;
        for (int v = 0; v < 32; v++) {
            int stub = STUBS + 16 * v;
            // mov byte [MARK], v ; cli ; hlt
            m.load(stub, new byte[] {(byte) 0xC6, 0x05, (byte) MARK, (byte) (MARK >> 8), 0, 0, (byte) v, (byte) 0xFA,
                    (byte) 0xF4});
            m.memory.write32(IDT + 8 * v, (0x08 << 16) | stub);
            m.memory.write32(IDT + 8 * v + 4, 0x8E00);
        }
        m.memory.write8(MARK, 0xFF);
        m.codeLoaded(STUBS);
        FpuImage.restore(c.fpu, state, 0, true, false);
        c.setEflags((eflags & 0x8D5) | 2);
        m.load(MEM, mem);
        c.regs[Cpu.ESI] = MEM;
        byte[] code = new byte[insn.length + 2];
        System.arraycopy(insn, 0, code, 0, insn.length);
        code[insn.length] = (byte) 0xFA;
        code[insn.length + 1] = (byte) 0xF4;
        StopReason s = m.run(code);
        if (s.kind != StopReason.Kind.HALTED) {
            throw new AssertionError("did not halt: " + s);
        }
        int mark = m.memory.read8(MARK);
        return mark == 0xFF ? -1 : mark;
    }

    /** Null when both agree, else what differs. */
    static String difference(X87TestDecoder.Outcome want, X87TestDecoder.Outcome got) {
        StringBuilder d = new StringBuilder();
        if (want.trap != got.trap) {
            return String.format(" trap library=%d guest=%d", want.trap, got.trap);
        }
        if (want.trap == 8) {
            for (int f : new int[] {0, 4}) {
                if (get16(want.state, f) != get16(got.state, f)) {
                    d.append(String.format(" trap word %d library=%04X guest=%04X;", f, get16(want.state, f),
                            get16(got.state, f)));
                }
            }
            return d.length() == 0 ? null : d.toString();
        }
        if (want.trap != 0) {
            return null;
        }
        for (int k = 0; k < 3; k++) {
            if (get32(want.state, 4 * k) != get32(got.state, 4 * k)) {
                d.append(String.format(" %s library=%08X guest=%08X;", new String[] {"cw", "sw", "tw"}[k],
                        get32(want.state, 4 * k), get32(got.state, 4 * k)));
            }
        }
        for (int i = 28; i < 108; i++) {
            if (want.state[i] != got.state[i]) {
                d.append(" st").append((i - 28) / 10).append(';');
                i = 28 + ((i - 28) / 10 + 1) * 10 - 1;
            }
        }
        for (int i = 0; i < 512; i++) {
            if (want.mem[i] != got.mem[i]) {
                d.append(String.format(" mem[%d] library=%02X guest=%02X;", i, want.mem[i] & 0xFF, got.mem[i] & 0xFF));
                break;
            }
        }
        if (want.ax != got.ax) {
            d.append(String.format(" ax library=%04X guest=%04X;", want.ax, got.ax));
        }
        if (((want.rflags ^ got.rflags) & 0x8D5) != 0) {
            d.append(String.format(" eflags library=%03X guest=%03X;", want.rflags & 0x8D5, got.rflags & 0x8D5));
        }
        return d.length() == 0 ? null : d.toString();
    }
}
