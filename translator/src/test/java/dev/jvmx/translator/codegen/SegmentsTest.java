package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.jvmx.translator.codegen.SystemInstructionsTest.GDT;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.errorCode;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.expectFault;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.protectedMode;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.runToHalt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MOV to/from segment registers, POP Sreg, LDS/LES/LFS/LGS/LSS (SDM Vol. 2), with the
 * descriptors of {@link SystemInstructionsTest#protectedMode}.
 */
class SegmentsTest {
    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** Translates and runs the one block at CODE_BASE (no boundary processing after it). */
    private static void runOneBlock(GuestRunner r, byte[] code) {
        r.load(GuestRunner.CODE_BASE, code);
        r.cpu.eip = GuestRunner.CODE_BASE;
        List<Insn> insns = new ArrayList<>();
        int pc = GuestRunner.CODE_BASE;
        Insn i;
        do {
            final int at = pc;
            i = Decoder.decode(off -> r.memory.read8(off), at, true);
            insns.add(i);
            pc = i.next;
        } while (!i.mnemonic.endsBlock());
        byte[] bytes = new BlockCompiler(BlockMode.of(r.cpu), r.cpu.controls).compile(insns).classBytes;
        try {
            BlockLoader.define(bytes, r.memory.array, r.cpu.tlbRead, r.cpu.tlbWrite, r.memory.codePageFlags())
                    .execute(r.cpu);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void movSsInhibitsInterruptsAndEndsTheBlock() {
        GuestRunner r = protectedMode(0);
        // mov ax, 0x10 (66 B8 10 00: 4 bytes) ; mov ss, ax (8E D0: 2 bytes) ; then more code
        runOneBlock(r, Asm.assemble32("mov ax, 0x10\nmov ss, ax\nmov ebx, 1\ncli\nhlt"));
        assertTrue(r.cpu.interruptShadow);
        assertEquals(GuestRunner.CODE_BASE + 6, r.cpu.eip, "the block ended after MOV SS");
        assertEquals(0, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x10, r.cpu.seg[Seg.SS].selector);
    }

    @Test
    void movDsDoesNotInhibitInterrupts() {
        GuestRunner r = protectedMode(0);
        runOneBlock(r, Asm.assemble32("mov ax, 0x10\nmov ds, ax\ncli\nhlt"));
        assertFalse(r.cpu.interruptShadow);
        assertEquals(GuestRunner.CODE_BASE + 6, r.cpu.eip);
    }

    @Test
    void popSsInhibitsInterrupts() {
        GuestRunner r = protectedMode(0);
        // push 0x10 (6A 10) ; pop ss (17)
        runOneBlock(r, Asm.assemble32("push 0x10\npop ss\nnop\ncli\nhlt"));
        assertTrue(r.cpu.interruptShadow);
        assertEquals(GuestRunner.CODE_BASE + 3, r.cpu.eip);
        assertEquals(GuestRunner.STACK_TOP, r.cpu.regs[Cpu.ESP]);
    }

    @Test
    void protectedModeLoadUsesDescriptorBase() {
        GuestRunner r = protectedMode(0);
        r.memory.write32(0x100000 + 0x20, 0xDEADBEEF);
        runToHalt(r, Asm.assemble32("mov ax, 0x40\nmov ds, ax\nmov ebx, [0x20]\nmov cx, 0x10\nmov ds, cx\ncli\nhlt"));
        assertEquals(0xDEADBEEF, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x10, r.cpu.seg[Seg.DS].selector);
        // The accessed bit of descriptor 0x40 was set (type 2 -> 3).
        assertEquals(0x3, (r.memory.read32(GDT + 0x40 + 4) >>> 8) & 0xF);
    }

    @Test
    void nullSsFaults() {
        GuestRunner r = expectFault(protectedMode(0), "xor eax, eax\nmov ss, ax", 13);
        assertEquals(0, errorCode(r));
    }

    @Test
    void selectorPastGdtLimitFaultsWithSelector() {
        GuestRunner r = expectFault(protectedMode(0), "mov ax, 0x103\nmov es, ax", 13);
        assertEquals(0x100, errorCode(r));
    }

    @Test
    void userCannotLoadKernelData() {
        // DPL 0 data from CPL 3: #GP(selector).
        GuestRunner r = expectFault(protectedMode(3), "mov ax, 0x10\nmov ds, ax", 13);
        assertEquals(0x10, errorCode(r));
    }

    @Test
    void storeSegmentRegister() {
        GuestRunner r = protectedMode(0);
        r.memory.write32(0x2000, 0xAAAAAAAA);
        runToHalt(r, Asm.assemble32("mov eax, -1\nmov eax, ds\nmov ebx, -1\nmov bx, cs\nmov [0x2000], ss\ncli\nhlt"));
        assertEquals(0x10, r.cpu.regs[Cpu.EAX], "32-bit register: zero-extended");
        assertEquals(0xFFFF0008, r.cpu.regs[Cpu.EBX], "16-bit register: upper half kept");
        assertEquals(0xAAAA0010, r.memory.read32(0x2000), "memory: 16 bits");
    }

    @Test
    void popSegmentInRealMode() {
        GuestRunner r = GuestRunner.real16();
        StopReason s = r.run(Asm.assemble16("push 0x1234\npop es\nmov ax, es\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x1234, r.cpu.seg[Seg.ES].selector);
        assertEquals(0x12340, r.cpu.seg[Seg.ES].base);
        assertEquals(0x1234, r.cpu.regs[Cpu.EAX] & 0xFFFF);
        assertEquals(0xFFF0, r.cpu.regs[Cpu.ESP]);
    }

    @Test
    void farPointerLoads() {
        GuestRunner r = protectedMode(0);
        r.memory.write32(0x2000, 0x11223344);
        r.memory.write16(0x2004, 0x40);
        r.memory.write16(0x2010, 0x5566);
        r.memory.write16(0x2012, 0x10);
        r.memory.write32(0x2020, 0x9000);
        r.memory.write16(0x2024, 0x10);
        runToHalt(r, Asm.assemble32("lfs esi, [0x2000]\nlgs di, [0x2010]\nlss esp, [0x2020]\ncli\nhlt"));
        assertEquals(0x11223344, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x40, r.cpu.seg[Seg.FS].selector);
        assertEquals(0x100000, r.cpu.seg[Seg.FS].base);
        assertEquals(0x5566, r.cpu.regs[Cpu.EDI] & 0xFFFF);
        assertEquals(0x10, r.cpu.seg[Seg.GS].selector);
        assertEquals(0x9000, r.cpu.regs[Cpu.ESP]);
        assertEquals(0x10, r.cpu.seg[Seg.SS].selector);
    }

    @Test
    void farPointerLoadInRealMode() {
        GuestRunner r = GuestRunner.real16();
        r.memory.write16(0x2000, 0x5678);
        r.memory.write16(0x2002, 0x1234);
        StopReason s = r.run(Asm.assemble16("les di, [0x2000]\nlds si, [0x2000]\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x5678, r.cpu.regs[Cpu.EDI] & 0xFFFF);
        assertEquals(0x12340, r.cpu.seg[Seg.ES].base);
        assertEquals(0x5678, r.cpu.regs[Cpu.ESI] & 0xFFFF);
        assertEquals(0x12340, r.cpu.seg[Seg.DS].base);
    }

    @Test
    void faultingFarPointerLoadLeavesTheRegister() {
        GuestRunner r = protectedMode(0);
        r.memory.write32(0x2000, 0x11223344);
        r.memory.write16(0x2004, 0x100); // past the GDT limit
        r = expectFault(r, "mov esi, 0x77\nlds esi, [0x2000]", 13);
        assertEquals(0x100, errorCode(r));
        assertEquals(0x77, r.cpu.regs[Cpu.ESI]);
    }

    /**
     * One instruction form through a flat and a limited segment: the first tier's shared handler
     * tests the segment's bit among the mode's checked ones at run time (as the null GS of
     * Linux's kernel makes some segment checked), so the limit must still hold for SS while DS
     * goes unchecked. SS is GDT 0x40 (base 1 MiB, limit FFFF); EBX and EBP both hold 0x20000.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFormSharedByAFlatAndALimitedSegmentChecksOnlyTheLimitedOne(int tier) {
        GuestRunner r = protectedMode(0);
        r.useTier(tier);
        r.memory.write32(0x20000, 0x12345678);
        expectFault(r, "mov ax, 0x40\nmov ss, ax\nmov esp, 0x8000\nmov ebx, 0x20000\nmov ebp, ebx\n"
                + "mov eax, [ebx]\nmov ecx, [ebp]\nhlt", 12);
        assertEquals(0x12345678, r.cpu.regs[Cpu.EAX], "the load through DS ran");
        assertEquals(0, errorCode(r), "#SS(0)");
    }
}
