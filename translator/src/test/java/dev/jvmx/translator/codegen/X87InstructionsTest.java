package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.Vmcs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.jvmx.translator.codegen.SystemInstructionsTest.MARK;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.protectedMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The x87 instructions wired into both execution tiers: operand order and direction of the
 * register forms, memory operands and their segments, the order of checks (#UD, #NM, #MF and
 * the FERR# freeze, segment limits), the pointers FSTENV shows, FNSTSW AX and the EFLAGS of
 * FCOMI, FCMOVcc conditions. The FPU's arithmetic itself is the fpu package's (checked against
 * the host there); the values here are exact in binary, worked by hand from the SDM.
 * Instructions whose AT&T/Intel spellings disagree between assemblers are written as bytes.
 */
class X87InstructionsTest {
    static final int DATA = 0x2000, OUT = 0x2100;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** Protected mode at CPL 0 with exception stubs; {@code translated}: every block translated, else the first tier only. */
    static GuestRunner machine(boolean translated) {
        GuestRunner r = protectedMode(0);
        r.useTier(translated ? 2 : 1);
        return r;
    }

    /** Runs {@code asm} to its final {@code cli; hlt} and checks no exception was taken. */
    static GuestRunner run(GuestRunner r, String asm) {
        StopReason s = r.run(Asm.assemble32(asm + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0xFF, r.memory.read8(MARK), "an exception was taken");
        return r;
    }

    /** Runs {@code asm} and checks it stopped in the stub of {@code vector}. */
    static GuestRunner fault(GuestRunner r, String asm, int vector) {
        StopReason s = r.run(Asm.assemble32(asm + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(vector, r.memory.read8(MARK), "exception vector");
        return r;
    }

    static void putDouble(GuestRunner r, int at, double v) {
        long b = Double.doubleToRawLongBits(v);
        r.memory.write32(at, (int) b);
        r.memory.write32(at + 4, (int) (b >>> 32));
    }

    static double getDouble(GuestRunner r, int at) {
        return Double.longBitsToDouble((r.memory.read32(at) & 0xFFFFFFFFL) | (long) r.memory.read32(at + 4) << 32);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void arithmeticFormsAndTheirDirection(boolean translated) {
        GuestRunner r = machine(translated);
        putDouble(r, DATA, 10.0);
        r.memory.write32(DATA + 8, Float.floatToRawIntBits(2.5f));
        r.memory.write16(DATA + 12, 7);
        r.memory.write32(DATA + 16, -3);
        run(r, "fninit\n"
                + "fld qword ptr [0x2000]\n"       // 10
                + "fadd dword ptr [0x2008]\n"      // 12.5
                + "fld1\n"                         // 1, 12.5
                + ".byte 0xDC, 0xE9\n"             // FSUB ST(1),ST(0): ST(1) = 12.5 - 1 = 11.5
                + ".byte 0xDC, 0xE1\n"             // FSUBR ST(1),ST(0): ST(1) = 1 - 11.5 = -10.5
                + ".byte 0xD8, 0xE1\n"             // FSUB ST(0),ST(1): ST(0) = 1 + 10.5 = 11.5
                + ".byte 0xD8, 0xE9\n"             // FSUBR ST(0),ST(1): ST(0) = -10.5 - 11.5 = -22
                + ".byte 0xDE, 0xC9\n"             // FMULP ST(1),ST(0): 231, pop
                + "fidiv word ptr [0x200C]\n"      // 33
                + "fiadd dword ptr [0x2010]\n"     // 30
                + "fst qword ptr [0x2100]\n"
                + "fld1\n"                         // 1, 30
                + "fadd st, st\n"                  // 2, 30
                + ".byte 0xDC, 0xF9\n"             // FDIV ST(1),ST(0): 15
                + ".byte 0xDE, 0xF1\n"             // FDIVRP ST(1),ST(0): 2 / 15, pop
                + "fld1\n"
                + ".byte 0xD8, 0xF9\n"             // FDIVR ST(0),ST(1): (2/15) / 1
                + "fstp qword ptr [0x2108]\n"
                + "fstp qword ptr [0x2110]\n"
                + "fild dword ptr [0x2010]\n"
                + "fimul word ptr [0x200C]\n"      // -21
                + "fistp word ptr [0x2118]\n"
                + "fnstsw ax");
        assertEquals(30.0, getDouble(r, OUT));
        assertEquals(2.0 / 15, getDouble(r, OUT + 8), 0.0);
        assertEquals(2.0 / 15, getDouble(r, OUT + 16), 0.0);
        assertEquals(0xFFEB, r.memory.read16(OUT + 24));
        assertEquals(0, r.cpu.fpu.top, "every push popped");
        assertEquals(FpuState.PE, r.cpu.regs[Cpu.EAX] & 0x3F, "2/15 is inexact; nothing else raised");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void fsqrt(boolean translated) {
        // sqrt(2.25) = 1.5 exactly; sqrt(-1) is an invalid operation: IE, the real indefinite
        // (SDM Vol. 1, 4.8.3.7: FFF8000000000000 as a double).
        GuestRunner r = machine(translated);
        putDouble(r, DATA, 2.25);
        run(r, "fninit\nfld qword ptr [0x2000]\nfsqrt\nfstp qword ptr [0x2100]\n"
                + "fld1\nfchs\nfsqrt\nfstp qword ptr [0x2108]\nfnstsw ax");
        assertEquals(1.5, getDouble(r, OUT));
        assertEquals(0xFFF8000000000000L, Double.doubleToRawLongBits(getDouble(r, OUT + 8)));
        assertEquals(FpuState.IE, r.cpu.regs[Cpu.EAX] & 0x3F);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void operandsAcrossAPageBoundary(boolean translated) {
        // The inline TLB path takes one page; these go through the MMU's slow path.
        GuestRunner r = machine(translated);
        putDouble(r, 0x2FFC, 6.5);
        r.memory.write32(0x4FFE, Float.floatToRawIntBits(0.5f));
        r.memory.write16(0x5FFF, 3);
        run(r, "fninit\nfld qword ptr [0x2FFC]\nfadd dword ptr [0x4FFE]\nfimul word ptr [0x5FFF]\n"
                + "fst qword ptr [0x3FFA]\nfistp dword ptr [0x6FFE]");
        assertEquals(21.0, getDouble(r, 0x3FFA));
        assertEquals(21, r.memory.read32(0x6FFE));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void comparesFnstswAndFcomiFlags(boolean translated) {
        GuestRunner r = machine(translated);
        putDouble(r, DATA, 10.0);
        putDouble(r, DATA + 8, 20.0);
        run(r, "mov eax, 0xAAAA5555\n"
                + "fninit\n"
                + "fld qword ptr [0x2000]\n"       // 10
                + "fcom qword ptr [0x2008]\n"      // 10 < 20: C0
                + "fnstsw ax\n"
                + "mov esi, eax\n"
                + "fld1\n"                         // 1, 10
                + "fcomi st, st(1)\n"              // 1 < 10: CF
                + "setb bl\n"
                + "sete bh\n"
                + "fcmovb st, st(1)\n"             // CF: ST(0) = 10
                + "fucomip st, st(1)\n"            // 10 = 10: ZF, pop
                + "sete cl\n"
                + "setb ch\n"
                + "fldz\n"
                + "fcomp st(1)\n"                  // 0 < 10, pop
                + "fnstsw ax\n"
                + "mov edi, eax\n"
                + "fstp qword ptr [0x2100]");
        assertEquals(0xAAAA0000 | 0x3800 | FpuState.C0, r.cpu.regs[Cpu.ESI], "TOP 7, C0; the upper half of EAX kept");
        assertEquals(0x0001, r.cpu.regs[Cpu.EBX] & 0xFFFF, "FCOMI: CF set, ZF clear");
        assertEquals(0x0001, r.cpu.regs[Cpu.ECX] & 0xFFFF, "FUCOMIP: ZF set, CF clear");
        assertEquals(0x3800 | FpuState.C0, r.cpu.regs[Cpu.EDI] & 0xFFFF);
        assertEquals(10.0, getDouble(r, OUT), "FCMOVB moved ST(1)");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void fcmovConditionsFollowEflags(boolean translated) {
        // Each FCMOVcc moves 1.0 over 0.0 when its condition holds after CMP 1, 2 (CF, not ZF,
        // PF from 0xFF: set): B, BE, U, NE hold; E, NB, NBE, NU do not.
        String[] forms = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
        boolean[] moves = {true, false, true, true, false, true, false, false};
        StringBuilder asm = new StringBuilder("fninit\n");
        for (int k = 0; k < forms.length; k++) {
            asm.append("fld1\nfldz\nmov eax, 1\ncmp eax, 2\n").append(forms[k]).append(" st, st(1)\n")
                    .append("fstp qword ptr [").append(OUT + 8 * k).append("]\nfstp st(0)\n");
        }
        GuestRunner r = run(machine(translated), asm.toString());
        for (int k = 0; k < forms.length; k++) {
            assertEquals(moves[k] ? 1.0 : 0.0, getDouble(r, OUT + 8 * k), forms[k]);
        }
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void pointersAreTheInstructionsAndItsOperands(boolean translated) {
        GuestRunner r = machine(translated);
        r.cpu.regs[Cpu.EBX] = DATA;
        run(r, "fninit\n"                          // DB E3 at 0x1000
                + "fadd dword ptr [ebx+0x10]\n"    // D8 43 10 at 0x1002
                + "fnstenv [0x2100]");
        assertEquals(GuestRunner.CODE_BASE + 2, r.memory.read32(OUT + 12), "FIP");
        assertEquals(0x08, r.memory.read16(OUT + 16), "FCS");
        assertEquals(0x043, r.memory.read16(OUT + 18) & 0x7FF, "FOP: (D8 & 7) << 8 | ModRM");
        assertEquals(DATA + 0x10, r.memory.read32(OUT + 20), "FDP");
        assertEquals(0x10, r.memory.read16(OUT + 24), "FDS");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aSegmentOverrideReachesTheOperandAndItsLimit(boolean translated) {
        // GDT selector 0x40: data, base 0x100000, limit 0xFFFF (SystemInstructionsTest's table).
        GuestRunner r = machine(translated);
        putDouble(r, 0x100010, -0.75);
        run(r, "mov ax, 0x40\nmov fs, ax\nfninit\nfld qword ptr fs:[0x10]\nfnstenv [0x2108]\n"
                + "fstp qword ptr [0x2100]");
        assertEquals(-0.75, getDouble(r, OUT));
        assertEquals(0x40, r.memory.read16(OUT + 8 + 24), "FDS");
        GuestRunner g = machine(translated);
        fault(g, "mov ax, 0x40\nmov fs, ax\nfninit\nfld qword ptr fs:[0xFFFA]", 13);
        assertEquals(0, g.cpu.fpu.top, "the faulting load pushed nothing");
    }

    @Test
    void realModeOperandsUseTheSegmentBase() {
        GuestRunner r = GuestRunner.real16();
        r.cpu.seg[Seg.DS].loadReal(0x300);
        putDouble(r, 0x3010, 1.25);
        StopReason s = r.run(Asm.assemble16("fninit\nfld qword ptr [0x10]\nfadd st, st\nfstp qword ptr [0x18]\n"
                + "fnstenv [0x20]\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(2.5, getDouble(r, 0x3018));
        // 16-bit real-mode environment: FIP and FDP as 20-bit linear addresses (Vol. 1, Figure 8-10).
        assertEquals(0x3018, r.memory.read16(0x3020 + 10), "FDP low 16 bits of the linear address");
    }

    // ---- the order of checks

    @Test
    void emulationOrTaskSwitchedRaiseNm() {
        GuestRunner r = machine(false);
        r.cpu.cr0 |= Cr0.EM;
        fault(r, "fld1", 7);
        GuestRunner t = machine(true);
        t.cpu.cr0 |= Cr0.TS;
        fault(t, "fninit", 7);
    }

    @Test
    void waitRaisesNmOnlyWithTsAndMp() {
        GuestRunner r = machine(false);
        r.cpu.cr0 |= Cr0.TS | Cr0.MP;
        fault(r, "wait", 7);
        GuestRunner r2 = machine(false);
        r2.cpu.cr0 |= Cr0.TS | Cr0.EM;
        run(r2, "wait\nmov eax, 3");
        assertEquals(3, r2.cpu.regs[Cpu.EAX]);
    }

    @ParameterizedTest(name = "bytes {0}")
    @ValueSource(strings = {"0xD9, 0xD1", "0xD9, 0xEF", "0xDA, 0xE8", "0xDB, 0xE5", "0xDD, 0xF0", "0xDE, 0xD8",
            "0xDF, 0xF8", "0xDB, 0x20", "0xD9, 0x08", "0xDD, 0x28", "0xDB, 0x08" /* FISTTP */, "0x0F, 0xAE, 0xC0"})
    void garbageEncodingsAreUndefinedEvenWithTs(String bytes) {
        GuestRunner r = machine(false);
        r.cpu.cr0 |= Cr0.TS;
        fault(r, "mov ebx, 0x2000\n.byte " + bytes, 6);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void pendingExceptionRaisesMfAtTheNextWaitingInstruction(boolean translated) {
        GuestRunner r = machine(translated);
        r.cpu.cr0 |= Cr0.NE;
        r.memory.write16(DATA, 0x037B); // ZE unmasked
        fault(r, "fninit\nfldcw [0x2000]\nfldz\nfld1\n"
                + "fdiv st, st(1)\n"               // D8 F1: 1 / 0, ZE pending
                + "fnstcw [0x2002]\n"              // no-wait: runs
                + "fld1\n"                         // waiting: #MF
                + "mov eax, 1", 16);
        assertEquals(0, r.cpu.regs[Cpu.EAX]);
        assertEquals(0x037B, r.memory.read16(DATA + 2), "FNSTCW ran before the #MF");
        assertEquals(0x0F1, r.cpu.fpu.fop, "FOP of the FDIV that raised it");
        assertTrue((r.cpu.fpu.sw & FpuState.ES) != 0);
        assertEquals(6, r.cpu.fpu.top, "the FLD that took #MF pushed nothing");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void withNeClearFerrFreezesTheWaitingInstructionUntilIgnne(boolean translated) {
        GuestRunner r = machine(translated);
        int[] ferr = {0};
        r.cpu.ferr = () -> ferr[0]++;
        r.memory.write16(DATA, 0x037B);
        byte[] code = Asm.assemble32("fninit\nfldcw [0x2000]\nfldz\nfld1\nfdiv st, st(1)\nmov ebx, 5\n"
                + "stall: fld1\nmov eax, 1\ncli\nhlt");
        StopReason s = r.run(code);
        // GuestRunner's IF is clear: the frozen processor waits for an interrupt that cannot come.
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(1, ferr[0], "FERR# asserted once");
        assertEquals(5, r.cpu.regs[Cpu.EBX], "the instructions before it ran");
        assertEquals(0, r.cpu.regs[Cpu.EAX]);
        int stall = GuestRunner.CODE_BASE + code.length - 2 - 5 - 2; // fld1 (2), mov eax (5), cli hlt (2)
        assertEquals(stall, r.cpu.eip, "EIP stays at the waiting instruction");
        assertEquals(6, r.cpu.fpu.top, "FLD1 has not run");
        // The board acknowledges FERR# (port F0h): IGNNE#, and the instruction runs.
        r.cpu.fpu.ignne = true;
        r.cpu.halted = false;
        s = r.run();
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(1, r.cpu.regs[Cpu.EAX]);
        assertEquals(5, r.cpu.fpu.top);
        assertEquals(0xFF, r.memory.read8(MARK));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void fxsaveChecksAndImage(boolean translated) {
        GuestRunner r = machine(translated);
        run(r, "fninit\nfld1\nfxsave [0x2200]\nfninit\nfxrstor [0x2200]\nfstp qword ptr [0x2100]");
        assertEquals(0x037F, r.memory.read16(0x2200), "FCW");
        assertEquals(0x3800, r.memory.read16(0x2202), "FSW: TOP 7");
        assertEquals(0x80, r.memory.read8(0x2204), "abridged tag: R7 valid");
        assertEquals(1.0, getDouble(r, OUT), "FXRSTOR brought ST(0) back");
        GuestRunner em = machine(translated);
        em.cpu.cr0 |= Cr0.EM;
        fault(em, "fxsave [0x2200]", 6);
        GuestRunner ts = machine(translated);
        ts.cpu.cr0 |= Cr0.TS;
        fault(ts, "fxrstor [0x2200]", 7);
        fault(machine(translated), "fxsave [0x2208]", 13);
        GuestRunner mxcsr = machine(translated);
        mxcsr.memory.write32(0x2200 + 24, 0x10000); // a reserved MXCSR bit
        fault(mxcsr, "fxrstor [0x2200]", 13);
    }

    @Test
    void cr4OsfxsrIsWritable() {
        GuestRunner r = machine(false);
        run(r, "mov eax, cr4\nor eax, 0x200\nmov cr4, eax\nmov ebx, cr4");
        assertEquals(Cr4.OSFXSR, r.cpu.regs[Cpu.EBX] & Cr4.OSFXSR);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aStoreIntoItsOwnBlockRestartsBeforeItPops(boolean translated) {
        // FSTP m64 overwrites the eight bytes after it with "mov eax, 0x12345678; nop; nop; nop":
        // the store must pop once, and the new code must run.
        GuestRunner r = machine(translated);
        long bits = 0x90909012345678B8L;
        r.memory.write32(DATA, (int) bits);
        r.memory.write32(DATA + 4, (int) (bits >>> 32));
        run(r, "fninit\nfld qword ptr [0x2000]\nfstp qword ptr [patch]\nmov eax, 1\n"
                + "patch: nop\nnop\nnop\nnop\nnop\nnop\nnop\nnop");
        assertEquals(0x12345678, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, r.cpu.fpu.top, "one push, one pop");
        assertEquals(0xFF, r.cpu.fpu.empty & 0xFF, "every register empty again");
    }

    @Test
    void x87InstructionsStayInsideTranslatedBlocks() {
        byte[] code = Asm.assemble32("fld1\nfadd st, st\nfstp qword ptr [0x2100]\nfnstsw ax\nfcomi st, st(1)\n"
                + "mov eax, 1\nwait\nfninit\nnop");
        List<Insn> insns = new ArrayList<>();
        for (int at = 0; at < code.length; ) {
            int base = at;
            Insn i = Decoder.decode(off -> code[off - GuestRunner.CODE_BASE + base] & 0xFF, GuestRunner.CODE_BASE, true);
            insns.add(i);
            at += i.length;
        }
        int flat = BlockMode.CODE32 | BlockMode.STACK32 | BlockMode.PE;
        BlockCompiler.Result b = new BlockCompiler(flat, ExecutionControls.exitEverything(new Vmcs())).compile(insns);
        assertEquals(insns.size(), b.instructions, "one block for all of them");
    }
}
