package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.jvmx.translator.codegen.SystemInstructionsTest.MARK;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.errorCode;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.expectFault;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.protectedMode;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.runToHalt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Read-modify-writes of memory through the TLB, in both tiers: the destination is read with the
 * write side's entry, so one probe serves the read and the store (Emitter.loadForUpdate). A hit
 * must store what the instruction computes; a page the store may not go to must fault as a write
 * (SDM Vol. 3A 4.7: error code W) and leave memory and registers as they were; an instruction
 * that does not write (a zero shift count, BT) must not fault there.
 */
class ReadModifyWriteTest {
    /** Pages of the second 4 MiB: writable, read-only, and writable with A and D clear. */
    static final int RW = 0x400000, RO = 0x401000, FRESH = 0x402000;
    static final int PAGE_DIR = 0x200000, PAGE_TABLE = 0x201000;
    static final int P = 1, W = 2, A = 0x20, D = 0x40;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** {@link SystemInstructionsTest#protectedMode} at CPL 0 with paging and CR0.WP on. */
    private static GuestRunner paged(int tier) {
        GuestRunner r = protectedMode(0);
        r.useTier(tier);
        r.memory.write32(PAGE_DIR, 0x83); // the first 4 MiB identity mapped: P | RW | PS
        r.memory.write32(PAGE_DIR + 4, PAGE_TABLE | P | W);
        r.memory.write32(PAGE_TABLE, RW | P | W | A | D);
        r.memory.write32(PAGE_TABLE + 4, RO | P | A);
        r.memory.write32(PAGE_TABLE + 8, FRESH | P | W);
        Cpu c = r.cpu;
        c.cr4 |= Cr4.PSE;
        c.cr3 = PAGE_DIR;
        c.cr0 |= Cr0.PG | Cr0.WP;
        c.mmu.flushAll(TlbFlush.STATE_LOADED);
        return r;
    }

    /**
     * Each instruction runs three times in a loop, after a plain store has put the page's write
     * entry in the TLB, so every one of them reads and writes through a hit.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theStoreOfAHitWritesWhatTheInstructionComputed(int tier) {
        GuestRunner r = paged(tier);
        r.memory.write32(RW + 0x08, 7);
        r.memory.write32(RW + 0x10, 0x100);
        r.memory.write32(RW + 0x14, 0x80000001);
        r.memory.write32(RW + 0x18, 0xFFFF0000);
        runToHalt(r, Asm.assemble32(String.join("\n",
                "mov dword ptr [" + RW + "], 0",
                "mov esi, 3",
                "next:",
                "mov eax, 5",
                "xadd [" + (RW + 0x04) + "], eax",        // 0 -> 5 -> 10 -> 15; EAX the old value
                "mov edi, esi",
                "xchg [" + (RW + 0x0C) + "], edi",        // 3, 2, 1 in turn; EDI the old value
                "mov eax, 7",
                "mov edx, 9",
                "cmpxchg [" + (RW + 0x08) + "], edx",     // equal the first time (-> 9), then not
                "bts dword ptr [" + (RW + 0x10) + "], esi",   // bits 3, 2 and 1 set
                "btr dword ptr [" + (RW + 0x10) + "], 8",     // bit 8 cleared the first time
                "rol dword ptr [" + (RW + 0x14) + "], 1",     // 0x80000001 -> 3 -> 6 -> 0xC
                "mov cl, 4",
                "shr dword ptr [" + (RW + 0x18) + "], cl",    // 0xFFFF0000 >> 12
                "dec esi",
                "jnz next",
                "hlt")));
        assertEquals(15, r.memory.read32(RW + 0x04));
        assertEquals(9, r.cpu.regs[Cpu.EAX], "the last CMPXCHG loaded the destination into EAX");
        assertEquals(1, r.memory.read32(RW + 0x0C));
        assertEquals(2, r.cpu.regs[Cpu.EDI], "XCHG gave the old value");
        assertEquals(9, r.memory.read32(RW + 0x08));
        assertEquals(0xE, r.memory.read32(RW + 0x10));
        assertEquals(0xC, r.memory.read32(RW + 0x14));
        assertEquals(0xFFFF0000 >>> 12, r.memory.read32(RW + 0x18));
    }

    /** The first access to a page is an XCHG: the miss's two helpers set its accessed and dirty bits. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aMissSetsAccessedAndDirty(int tier) {
        GuestRunner r = paged(tier);
        r.memory.write32(FRESH, 0x11);
        r.cpu.regs[Cpu.EBX] = 0x22;
        runToHalt(r, Asm.assemble32("xchg [" + FRESH + "], ebx\nhlt"));
        assertEquals(0x22, r.memory.read32(FRESH));
        assertEquals(0x11, r.cpu.regs[Cpu.EBX]);
        assertEquals(FRESH | P | W | A | D, r.memory.read32(PAGE_TABLE + 8));
    }

    /** XADD, XCHG, CMPXCHG (either outcome writes), BTS and a shift by 1 fault on a read-only page. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aReadOnlyPageFaultsAsAWriteAndKeepsEverything(int tier) {
        String[] writers = {
            "xadd [" + RO + "], eax",
            "xchg [" + RO + "], eax",
            "cmpxchg [" + RO + "], ecx", // EAX 0x1234 is not the destination: the write-back faults
            "bts dword ptr [" + RO + "], 4",
            "shl dword ptr [" + RO + "], 1",
        };
        for (String insn : writers) {
            GuestRunner r = paged(tier);
            r.memory.write32(RO, 0x5555);
            // A read of the page first: its read entry is in the TLB, and still the store faults.
            expectFault(r, "mov edx, [" + RO + "]\nmov eax, 0x1234\nmov ecx, 0x99\n" + insn + "\nhlt", 14);
            assertEquals(3, errorCode(r) & 7, insn + ": present, write, supervisor");
            assertEquals(RO, r.cpu.cr2, insn);
            assertEquals(0x5555, r.memory.read32(RO), insn);
            assertEquals(0x1234, r.cpu.regs[Cpu.EAX], insn);
            assertEquals(0x5555, r.cpu.regs[Cpu.EDX], insn);
        }
    }

    /** A zero shift count and BT read the destination only: no fault on a read-only page. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aZeroCountShiftAndBtDoNotFaultOnAReadOnlyPage(int tier) {
        GuestRunner r = paged(tier);
        r.memory.write32(RO, 0x10);
        runToHalt(r, Asm.assemble32("xor ecx, ecx\nshl dword ptr [" + RO + "], cl\nrcr dword ptr [" + RO + "], cl\n"
                + "bt dword ptr [" + RO + "], 4\nsetc bl\nhlt"));
        assertEquals(1, r.cpu.regs[Cpu.EBX] & 0xFF);
        assertEquals(0x10, r.memory.read32(RO));
        assertEquals(0xFF, r.memory.read8(MARK));
    }
}
