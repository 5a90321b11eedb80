package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExitReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Descriptor-table exits (reasons 46 and 47) report the memory operand as the SDM does: the
 * displacement in the exit qualification, sign-extended (Vol. 3C, 27.2.1), and segment, base,
 * index, scaling and address size in the VM-exit instruction information (27.2.5, tables "Format
 * of the VM-Exit Instruction-Information Field as Used for LIDT, LGDT, SIDT, or SGDT" and "... for
 * LLDT, LTR, SLDT, and STR"). The handler forms the operand's address from them alone: the test's
 * VMM overwrites the guest-linear address, which the SDM leaves undefined for these exits, before
 * the handler runs. Words worked by hand: bits 1:0 scaling, 9:7 address size (0 16-bit, 1 32-bit),
 * 11 operand size 32 (GDTR/IDTR form), 17:15 segment (0 ES, 1 CS, 2 SS, 3 DS, 4 FS), 21:18 index,
 * 22 index invalid, 26:23 base, 27 base invalid, 29:28 identity (SGDT 0, SIDT 1, LGDT 2, LIDT 3;
 * SLDT 0, STR 1, LLDT 2, LTR 3); registers EAX 0 ... EBX 3, EBP 5, ESI 6, EDI 7. Both tiers.
 */
class DescriptorTableExitTest {
    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** {qualification, instruction information} of each descriptor-table exit. */
    private static List<long[]> run(GuestRunner r, int tier, byte[] code) {
        r.useTier(tier);
        List<long[]> seen = new ArrayList<>();
        r.interceptExits(c -> {
            ExitReason reason = c.exit.reason();
            if (reason == ExitReason.GDTR_IDTR_ACCESS || reason == ExitReason.LDTR_TR_ACCESS) {
                seen.add(new long[] {c.exit.qualification(), c.exit.instructionInfo()});
                c.exit.guestLinearAddress(0xDEAD0000L); // undefined here: the handler must not need it
            }
            return false;
        });
        r.expectHalt(r.run(code));
        assertEquals(tier == 2, r.cache.statistics().translated() > 0, "blocks translated only in tier 2");
        return seen;
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void lgdtWithBaseIndexScaleAndDisplacement(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.memory.write16(0x2020, 0x1234);
        r.memory.write32(0x2022, 0x00ABCDEF);
        List<long[]> x = run(r, tier, Asm.assemble32("mov ebx, 0x2000\nmov esi, 4\nlgdt [ebx+esi*4+0x10]\ncli\nhlt"));
        assertEquals(1, x.size());
        assertEquals(0x10, x.get(0)[0], "the displacement");
        // scaling 2 | a32 0x80 | o32 0x800 | DS 3 << 15 | ESI 6 << 18 | EBX 3 << 23 | LGDT 2 << 28.
        assertEquals(0x21998882, x.get(0)[1]);
        assertEquals(0x00ABCDEF, r.cpu.gdtrBase, "loaded from 2000h + 4 * 4 + 10h");
        assertEquals(0x1234, r.cpu.gdtrLimit);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void sidtWithASegmentOverrideAndANegativeDisplacement(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.cpu.seg[Seg.FS].set(0x10, 0x10000, 0xFFFFFFFF, r.cpu.seg[Seg.DS].access);
        r.cpu.idtrBase = 0x12345678;
        r.cpu.idtrLimit = 0x7FF;
        List<long[]> x = run(r, tier, Asm.assemble32("mov ebx, 0x3000\nsidt fs:[ebx-8]\ncli\nhlt"));
        assertEquals(0xFFFFFFF8L, x.get(0)[0], "-8 sign-extended to 32 bits");
        // a32 0x80 | o32 0x800 | FS 4 << 15 | index invalid 1 << 22 | EBX 3 << 23 | SIDT 1 << 28.
        assertEquals(0x11C20880, x.get(0)[1]);
        assertEquals(0x7FF, r.memory.read16(0x12FF8), "stored at FS base 10000h + 3000h - 8");
        assertEquals(0x12345678, r.memory.read32(0x12FFA));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void lgdtWith16BitAddressingWrapsTheOffsetBeforeTheSegmentBase(int tier) {
        GuestRunner r = GuestRunner.real16();
        r.cpu.seg[Seg.SS].set(0x100, 0x1000, 0xFFFF, r.cpu.seg[Seg.SS].access);
        // BP + DI - 2 = FFF0h + 20h - 2 = 1000Eh, which wraps to 000Eh: SS base 1000h + Eh.
        r.memory.write16(0x100E, 0x00FF);
        r.memory.write32(0x1010, 0x99123456);
        List<long[]> x = run(r, tier, Asm.assemble16("mov bp, 0xFFF0\nmov di, 0x20\nlgdt [bp+di-2]\ncli\nhlt"));
        assertEquals(0xFFFFFFFEL, x.get(0)[0], "-2 sign-extended");
        // scaling 0 | a16 0 | o16 0 | SS 2 << 15 | DI 7 << 18 | BP 5 << 23 | LGDT 2 << 28.
        assertEquals(0x229D0000, x.get(0)[1]);
        assertEquals(0x00123456, r.cpu.gdtrBase, "a 16-bit operand loads 24 bits of base");
        assertEquals(0xFF, r.cpu.gdtrLimit);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void sldtToMemoryWithAnIndexAndNoBase(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.cpu.ldtr.set(0x28, 0x5000, 0xFF, SegmentCache.AR_P | 0x2);
        List<long[]> x = run(r, tier, Asm.assemble32("mov ecx, 0x1000\nsldt [ecx*2+0x100]\ncli\nhlt"));
        assertEquals(0x100, x.get(0)[0]);
        // scaling 1 | a32 0x80 | DS 3 << 15 | ECX 1 << 18 | base invalid 1 << 27 | SLDT 0 << 28.
        assertEquals(0x8058081, x.get(0)[1]);
        assertEquals(0x28, r.memory.read16(0x2100), "stored at 1000h * 2 + 100h");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void lldtFromARegisterHasNoAddress(int tier) {
        GuestRunner r = GuestRunner.flat32();
        // A GDT with an LDT descriptor at 18h: base 5000h, limit FFh, present, type 2.
        int gdt = 0x4000;
        r.memory.write32(gdt + 0x18, 0x500000FF);
        r.memory.write32(gdt + 0x1C, 0x00008200);
        r.cpu.gdtrBase = gdt;
        r.cpu.gdtrLimit = 0x1F;
        List<long[]> x = run(r, tier, Asm.assemble32("mov eax, 0x18\nlldt ax\ncli\nhlt"));
        // Reg1 EAX 0 << 3 | register operand 1 << 10 | LLDT 2 << 28.
        assertEquals(0x20000400, x.get(0)[1]);
        assertEquals(0x18, r.cpu.ldtr.selector);
        assertEquals(0x5000, r.cpu.ldtr.base);
    }
}
