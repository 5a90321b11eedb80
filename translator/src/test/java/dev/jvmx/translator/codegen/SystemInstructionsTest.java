package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExitReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * System instructions run through the translator. Expected values are the SDM's: CPUID
 * layouts (Vol. 2 CPUID), SYSENTER/SYSEXIT selector arithmetic, LAR/LSL masks worked from
 * the descriptors below, the #GP/#UD/#NM conditions of each instruction's exception list.
 */
class SystemInstructionsTest {
    // Guest memory layout of the protected-mode machine.
    static final int GDT = 0x4000, IDT = 0x3000, TSS = 0x6000, LDT = 0x7000, STUBS = 0x8000, MARK = 0x500;
    static final int TSS_ESP0 = 0x70000;
    static final int GDT_LIMIT = 0x4F;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    // ---- machine set-up shared with SegmentsTest

    /**
     * Flat protected mode with a GDT (descriptors below, written by hand from SDM Vol. 3A 3.4.5),
     * an IDT whose 32 exception gates lead to stubs that write the vector to MARK and halt,
     * and a TSS for the stack switch from CPL 3. {@code cpl} 3 runs the code in ring 3.
     */
    static GuestRunner protectedMode(int cpl) {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        int[] gdt = {
            0, 0,
            0x0000FFFF, 0x00CF9A00, // 0x08 code, DPL 0, 4 GiB, 32-bit
            0x0000FFFF, 0x00CF9200, // 0x10 data, DPL 0
            0x0000FFFF, 0x00CFFA00, // 0x18 code, DPL 3
            0x0000FFFF, 0x00CFF200, // 0x20 data, DPL 3
            (TSS << 16) | 0x67, 0x00008900, // 0x28 32-bit TSS, available, limit 0x67
            0, 0x00008E00, // 0x30 a system type (interrupt gate) that LAR and LSL reject
            (LDT << 16) | 0x17, 0x00008200, // 0x38 LDT, limit 0x17
            0x0000FFFF, 0x00409210, // 0x40 data, DPL 0, base 0x100000, limit 0xFFFF bytes
        };
        for (int i = 0; i < gdt.length; i++) {
            r.memory.write32(GDT + 4 * i, gdt[i]);
        }
        for (int v = 0; v < 32; v++) {
            int stub = STUBS + 16 * v;
            // mov byte [MARK], v ; cli ; hlt
            byte[] code = {(byte) 0xC6, 0x05, (byte) MARK, (byte) (MARK >> 8), 0, 0, (byte) v, (byte) 0xFA, (byte) 0xF4};
            r.load(stub, code);
            r.memory.write32(IDT + 8 * v, (0x08 << 16) | (stub & 0xFFFF));
            r.memory.write32(IDT + 8 * v + 4, (stub & 0xFFFF0000) | 0x8E00);
        }
        r.memory.write32(TSS + 4, TSS_ESP0);
        r.memory.write32(TSS + 8, 0x10);
        r.memory.write16(TSS + 0x66, 0x68);
        r.memory.write8(MARK, 0xFF);
        c.gdtrBase = GDT;
        c.gdtrLimit = GDT_LIMIT;
        c.idtrBase = IDT;
        c.idtrLimit = 32 * 8 - 1;
        c.tr.set(0x28, TSS, 0x67, SegmentCache.AR_P | 0xB);
        if (cpl == 3) {
            int dpl3 = 3 << SegmentCache.AR_DPL_SHIFT;
            for (int s = 0; s < 6; s++) {
                c.seg[s].set(s == Seg.CS ? 0x1B : 0x23, 0, 0xFFFFFFFF, c.seg[s].access | dpl3);
            }
            c.setCpl(3);
        }
        return r;
    }

    /** Runs {@code asm} (32-bit) and checks it stopped in the stub of {@code vector}; returns the runner. */
    static GuestRunner expectFault(GuestRunner r, String asm, int vector) {
        StopReason s = r.run(Asm.assemble32(asm));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(vector, r.memory.read8(MARK), "exception vector");
        return r;
    }

    /** The error code the exception pushed (on top of the handler's stack). */
    static int errorCode(GuestRunner r) {
        return r.memory.read32(r.cpu.regs[Cpu.ESP]);
    }

    /** Runs code that ends at CPL 3 with SYSENTER while IA32_SYSENTER_CS is 0: the #GP(0) stops it. */
    static void runToSysenterStop(GuestRunner r, String asm) {
        StopReason s = r.run(Asm.assemble32(asm));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(13, r.memory.read8(MARK), "stopped by the SYSENTER #GP");
    }

    static void runToHalt(GuestRunner r, byte[] code) {
        r.memory.write8(MARK, 0xFF);
        StopReason s = r.run(code);
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0xFF, r.memory.read8(MARK), "no exception expected");
    }

    // ---- HLT, CPUID

    @Test
    void hltIsAnExitThatHalts() {
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32("cli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertTrue(r.cpu.halted);
        assertTrue(r.exits.contains(ExitReason.HLT));
    }

    @Test
    void cpuidVendorSignatureAndFeatures() {
        GuestRunner r = protectedMode(3); // CPUID is not privileged
        runToSysenterStop(r, "xor eax, eax\ncpuid\nmov [0x2000], ebx\nmov [0x2004], edx\nmov [0x2008], ecx\n"
                + "mov [0x200c], eax\nmov eax, 1\ncpuid\nsysenter");
        byte[] vendor = new byte[12];
        for (int i = 0; i < 12; i++) {
            vendor[i] = (byte) r.memory.read8(0x2000 + i);
        }
        // Leaf 0: the vendor string in EBX, EDX, ECX; EAX the highest basic leaf (15H, the TSC's frequency).
        assertEquals("GenuineIntel", new String(vendor, StandardCharsets.US_ASCII));
        assertEquals(0x15, r.memory.read32(0x200c));
        // Leaf 1 EAX: stepping 3:0, model 7:4, family 11:8 -> family 6.
        assertEquals(6, (r.cpu.regs[Cpu.EAX] >>> 8) & 0xF);
        int edx = r.cpu.regs[Cpu.EDX];
        int[] present = {0 /* FPU */, 2 /* DE */, 3 /* PSE */, 4 /* TSC */, 5 /* MSR */, 6 /* PAE */, 8 /* CX8 */,
            11 /* SEP */, 13 /* PGE */, 15 /* CMOV */, 16 /* PAT */, 24 /* FXSR */};
        for (int bit : present) {
            assertTrue((edx & (1 << bit)) != 0, "feature bit " + bit);
        }
        int[] absent = {1 /* VME */, 9 /* APIC */, 12 /* MTRR */, 23 /* MMX */, 25 /* SSE */};
        for (int bit : absent) {
            assertEquals(0, edx & (1 << bit), "feature bit " + bit);
        }
    }

    @Test
    void cpuidBrandString() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov eax, 0x80000000\ncpuid\nmov ebp, eax\nmov edi, 0x2000\nmov esi, 0x80000002\n"
                + "1: mov eax, esi\ncpuid\nmov [edi], eax\nmov [edi+4], ebx\nmov [edi+8], ecx\nmov [edi+12], edx\n"
                + "add edi, 16\ninc esi\ncmp esi, 0x80000004\njbe 1b\ncli\nhlt"));
        assertTrue(Integer.compareUnsigned(r.cpu.regs[Cpu.EBP], 0x80000004) >= 0, "extended leaves reach the brand string");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            sb.append((char) r.memory.read8(0x2000 + i));
        }
        assertEquals("jvmx virtual CPU" + "\0".repeat(32), sb.toString());
    }

    // ---- privilege checks

    @ParameterizedTest
    @ValueSource(strings = {"hlt", "mov cr0, eax", "mov eax, cr3", "mov dr7, eax", "mov eax, dr0", "lgdt [0x2000]",
        "lidt [0x2000]", "lldt ax", "ltr ax", "lmsw ax", "clts", "invlpg [0x2000]", "invd", "wbinvd", "rdmsr",
        "wrmsr"})
    void privilegedInstructionsFaultAtCpl3(String insn) {
        GuestRunner r = expectFault(protectedMode(3), insn, 13);
        assertEquals(0, errorCode(r));
        assertEquals(GuestRunner.CODE_BASE, r.memory.read32(r.cpu.regs[Cpu.ESP] + 4), "saved EIP is the instruction");
        assertEquals(TSS_ESP0 - 24, r.cpu.regs[Cpu.ESP], "stack switched from the TSS: SS, ESP, EFLAGS, CS, EIP, error");
    }

    @Test
    void sysexitFaultsAtCpl3() {
        GuestRunner r = expectFault(protectedMode(3), "sysexit", 13);
        assertEquals(0, errorCode(r));
    }

    @Test
    void nonFaultingReadsAtCpl3() {
        // SGDT, SIDT, SLDT, STR and SMSW do not check CPL (the classic virtualization holes).
        GuestRunner r = protectedMode(3);
        r.cpu.ldtr.set(0x38, LDT, 0x17, SegmentCache.AR_P | 2);
        r.cpu.cr0 |= Cr0.MP;
        runToSysenterStop(r, "sgdt [0x2000]\nsidt [0x2010]\nmov ebx, -1\nsldt ebx\nmov ecx, -1\nstr cx\n"
                + "smsw eax\nsmsw [0x2020]\nsysenter");
        assertEquals(GDT_LIMIT, r.memory.read16(0x2000));
        assertEquals(GDT, r.memory.read32(0x2002));
        assertEquals(32 * 8 - 1, r.memory.read16(0x2010));
        assertEquals(IDT, r.memory.read32(0x2012));
        assertEquals(0x38, r.cpu.regs[Cpu.EBX], "32-bit register: zero-extended");
        assertEquals(0xFFFF0028, r.cpu.regs[Cpu.ECX], "16-bit register: upper half kept");
        int cr0 = Cr0.ET | Cr0.CD | Cr0.NW | Cr0.PE | Cr0.MP;
        assertEquals(cr0, r.cpu.regs[Cpu.EAX], "SMSW r32 reads all of CR0");
        assertEquals(cr0 & 0xFFFF, r.memory.read16(0x2020));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgdt [0x2000]", "sidt [0x2000]", "sldt ax", "str [0x2000]", "smsw eax", "smsw [0x2000]"})
    void userModeInstructionPreventionFaultsAtCpl3(String insn) {
        // SDM Vol. 3A 2.5 (CR4.UMIP) and each instruction's exceptions: #GP(0) if CR4.UMIP = 1 and CPL > 0.
        GuestRunner r = protectedMode(3);
        r.cpu.cr4 = Cr4.UMIP;
        r.cpu.ldtr.set(0x38, LDT, 0x17, SegmentCache.AR_P | 2);
        assertEquals(0, errorCode(expectFault(r, insn, 13)));
        assertEquals(GuestRunner.CODE_BASE, r.memory.read32(r.cpu.regs[Cpu.ESP] + 4), "saved EIP is the instruction");
    }

    @Test
    void userModeInstructionPreventionLeavesCpl0Alone() {
        GuestRunner r = protectedMode(0);
        r.cpu.ldtr.set(0x38, LDT, 0x17, SegmentCache.AR_P | 2);
        runToHalt(r, Asm.assemble32("mov eax, cr4\nor eax, 0x800\nmov cr4, eax\nsgdt [0x2000]\nsidt [0x2010]\n"
                + "sldt ebx\nstr ecx\nsmsw edx\nmov esi, cr4\ncli\nhlt"));
        assertEquals(Cr4.UMIP, r.cpu.regs[Cpu.ESI] & Cr4.UMIP, "CR4.UMIP is writable (CPUID.7.0:ECX[2])");
        assertEquals(GDT, r.memory.read32(0x2002));
        assertEquals(IDT, r.memory.read32(0x2012));
        assertEquals(0x38, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x28, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void cpuidLeaf7ReportsSmapAndUmipOnlyInSubleaf0() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov eax, 7\nxor ecx, ecx\ncpuid\nmov [0x2000], eax\nmov [0x2004], ebx\n"
                + "mov [0x2008], ecx\nmov [0x200c], edx\nmov eax, 7\nmov ecx, 1\ncpuid\ncli\nhlt"));
        assertEquals(0, r.memory.read32(0x2000), "EAX: highest sub-leaf 0");
        assertEquals(1 << 20, r.memory.read32(0x2004), "EBX[20] SMAP, nothing else");
        assertEquals(1 << 2, r.memory.read32(0x2008), "ECX[2] UMIP, nothing else");
        assertEquals(0, r.memory.read32(0x200c));
        assertEquals(0, r.cpu.regs[Cpu.ECX], "sub-leaf 1 is empty");
    }

    // ---- descriptor tables

    @Test
    void lgdtSgdtRoundTripWith32BitOperand() {
        GuestRunner r = GuestRunner.flat32();
        r.memory.write16(0x2000, 0x1234);
        r.memory.write32(0x2002, 0x89ABCDEF);
        r.memory.write16(0x2008, 0x0567);
        r.memory.write32(0x200A, 0x00345678);
        runToHalt(r, Asm.assemble32("mov ebx, 0x2000\nlgdt [ebx]\nlidt [ebx+8]\nsgdt [0x2010]\nsidt [0x2018]\ncli\nhlt"));
        assertEquals(0x89ABCDEF, r.cpu.gdtrBase);
        assertEquals(0x1234, r.cpu.gdtrLimit);
        assertEquals(0x00345678, r.cpu.idtrBase);
        assertEquals(0x0567, r.cpu.idtrLimit);
        assertEquals(0x1234, r.memory.read16(0x2010));
        assertEquals(0x89ABCDEF, r.memory.read32(0x2012));
        assertEquals(0x0567, r.memory.read16(0x2018));
        assertEquals(0x00345678, r.memory.read32(0x201A));
    }

    @Test
    void lgdtWith16BitOperandKeeps24BitsOfBase() {
        // SDM LGDT: 16-bit operand size loads a 24-bit base (high byte of the operand ignored).
        GuestRunner r = GuestRunner.real16();
        r.memory.write16(0x2000, 0x00FF);
        r.memory.write32(0x2002, 0x12345678);
        StopReason s = r.run(Asm.assemble16("lgdt [0x2000]\nsgdt [0x2010]\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x00345678, r.cpu.gdtrBase);
        assertEquals(0x00FF, r.cpu.gdtrLimit);
        assertEquals(0x00345678, r.memory.read32(0x2012));
    }

    @Test
    void lldtLtrSldtStr() {
        GuestRunner r = protectedMode(0);
        r.cpu.tr.set(0, 0, 0xFFFF, SegmentCache.AR_P | 0xB);
        runToHalt(r, Asm.assemble32("mov ax, 0x38\nlldt ax\nmov word ptr [0x2000], 0x28\nltr [0x2000]\n"
                + "sldt ebx\nstr ecx\ncli\nhlt"));
        assertEquals(0x38, r.cpu.ldtr.selector);
        assertEquals(LDT, r.cpu.ldtr.base);
        assertEquals(0x17, r.cpu.ldtr.limit);
        assertEquals(0x28, r.cpu.tr.selector);
        assertEquals(TSS, r.cpu.tr.base);
        assertEquals(0x67, r.cpu.tr.limit);
        // LTR marks the descriptor busy: type 9 becomes 0xB (SDM LTR).
        assertEquals(0xB, (r.memory.read32(GDT + 0x28 + 4) >>> 8) & 0xF);
        assertEquals(0xB, r.cpu.tr.access & 0xF);
        assertEquals(0x38, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x28, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void ltrOfBusyTssFaults() {
        GuestRunner r = protectedMode(0);
        r.memory.write32(GDT + 0x28 + 4, 0x00008B00); // busy
        r = expectFault(r, "mov ax, 0x28\nltr ax", 13);
        assertEquals(0x28, errorCode(r));
    }

    @Test
    void lldtOfNonLdtDescriptorFaultsWithSelector() {
        GuestRunner r = expectFault(protectedMode(0), "mov ax, 0x10\nlldt ax", 13);
        assertEquals(0x10, errorCode(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lldt ax", "ltr ax", "sldt ax", "str ax", "lar ax, bx", "lsl ax, bx", "verr ax", "verw ax",
        "arpl ax, bx"})
    void protectedModeOnlyInstructionsAreUndefinedInRealMode(String insn) {
        GuestRunner r = GuestRunner.real16();
        // IVT entry 6 -> 0000:8100: mov byte [0x500], 6; cli; hlt
        r.memory.write32(6 * 4, 0x8100);
        r.load(0x8100, new byte[] {(byte) 0xC6, 0x06, 0x00, 0x05, 0x06, (byte) 0xFA, (byte) 0xF4});
        r.memory.write8(MARK, 0xFF);
        StopReason s = r.run(Asm.assemble16(insn));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(6, r.memory.read8(MARK));
    }

    // ---- control registers

    @Test
    void movCr0EntersProtectedModeAndFarJumpLoadsCs() {
        GuestRunner r = GuestRunner.real16();
        r.memory.write32(GDT + 8, 0x0000FFFF);
        r.memory.write32(GDT + 12, 0x00CF9A00);
        r.memory.write32(GDT + 16, 0x0000FFFF);
        r.memory.write32(GDT + 20, 0x00CF9200);
        r.memory.write16(0x2000, 0x17);
        r.memory.write32(0x2002, GDT);
        StopReason s = r.run(Asm.assemble16("lgdt [0x2000]\nmov eax, cr0\nor eax, 1\nmov cr0, eax\n"
                + "jmp 0x08:pm32\n.code32\npm32: mov ax, 0x10\nmov ds, ax\nmov ss, ax\nmov esp, 0x9000\n"
                + "push 0x12345678\npop dword ptr [0x2100]\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(Cr0.PE, r.cpu.cr0 & Cr0.PE);
        assertEquals(0x08, r.cpu.seg[Seg.CS].selector);
        assertEquals(0, r.cpu.seg[Seg.CS].base);
        assertTrue(r.cpu.code32());
        assertTrue(r.cpu.stack32());
        assertEquals(0x10, r.cpu.seg[Seg.SS].selector);
        assertEquals(0x9000, r.cpu.regs[Cpu.ESP]);
        assertEquals(0x12345678, r.memory.read32(0x2100));
    }

    @Test
    void movToAndFromControlRegisters() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov eax, 0x12345000\nmov cr3, eax\nmov ebx, cr3\nmov eax, 0x90\nmov cr4, eax\n"
                + "mov ecx, cr4\nmov eax, 0xCAFE\nmov cr2, eax\nmov edx, cr2\nmov esi, cr0\ncli\nhlt"));
        assertEquals(0x12345000, r.cpu.regs[Cpu.EBX]);
        assertEquals(Cr4.PSE | Cr4.PGE, r.cpu.regs[Cpu.ECX]);
        assertEquals(0xCAFE, r.cpu.regs[Cpu.EDX]);
        assertEquals(Cr0.ET | Cr0.CD | Cr0.NW | Cr0.PE, r.cpu.regs[Cpu.ESI]);
    }

    @Test
    void pagingWithoutProtectionFaults() {
        // SDM MOV CR0: #GP(0) when setting PG with PE clear.
        GuestRunner r = expectFault(protectedMode(0), "mov eax, 0x80000000\nmov cr0, eax", 13);
        assertEquals(0, errorCode(r));
    }

    @Test
    void reservedCr4BitFaults() {
        GuestRunner r = expectFault(protectedMode(0), "mov eax, 0x80000000\nmov cr4, eax", 13);
        assertEquals(0, errorCode(r));
    }

    @Test
    void lmswSetsLowBitsButNeverClearsPe() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov ax, 0xE\nlmsw ax\nsmsw ebx\nmov word ptr [0x2000], 0\nlmsw [0x2000]\n"
                + "smsw ecx\ncli\nhlt"));
        int base = Cr0.ET | Cr0.CD | Cr0.NW;
        assertEquals(base | Cr0.PE | Cr0.MP | Cr0.EM | Cr0.TS, r.cpu.regs[Cpu.EBX]);
        assertEquals(base | Cr0.PE, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void lmswEntersProtectedModeFromRealMode() {
        GuestRunner r = GuestRunner.real16();
        StopReason s = r.run(Asm.assemble16("mov ax, 1\nlmsw ax\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(Cr0.PE, r.cpu.cr0 & Cr0.PE);
    }

    @Test
    void cltsClearsTs() {
        GuestRunner r = GuestRunner.flat32();
        r.cpu.cr0 |= Cr0.TS | Cr0.MP;
        runToHalt(r, Asm.assemble32("clts\nmov eax, cr0\ncli\nhlt"));
        assertEquals(0, r.cpu.regs[Cpu.EAX] & Cr0.TS);
        assertEquals(Cr0.MP, r.cpu.regs[Cpu.EAX] & Cr0.MP);
    }

    // ---- debug registers

    @Test
    void debugRegisters() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov eax, 0x1234\nmov dr0, eax\nmov ebx, dr0\nxor eax, eax\nmov dr6, eax\n"
                + "mov ecx, dr6\nmov dr7, eax\nmov edx, dr7\nmov esi, dr4\ncli\nhlt"));
        assertEquals(0x1234, r.cpu.regs[Cpu.EBX]);
        // DR6 reserved bits 4-11 and 16-31 read 1 (SDM Vol. 3A 17.2.3); DR7 bit 10 reads 1.
        assertEquals(0xFFFF0FF0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x400, r.cpu.regs[Cpu.EDX]);
        assertEquals(0xFFFF0FF0, r.cpu.regs[Cpu.ESI], "DR4 aliases DR6 while CR4.DE is clear");
    }

    @Test
    void dr4WithDebugExtensionsIsUndefined() {
        GuestRunner r = protectedMode(0);
        r.cpu.cr4 = Cr4.DE;
        expectFault(r, "mov eax, dr4", 6);
    }

    // ---- time stamp counter and MSRs

    @Test
    void rdtscAdvances() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("rdtsc\nmov esi, eax\nmov edi, edx\nmov ecx, 10\n1: loop 1b\nrdtsc\ncli\nhlt"));
        long first = (r.cpu.regs[Cpu.EDI] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.ESI] & 0xFFFFFFFFL);
        long second = (r.cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL);
        assertTrue(second > first, first + " then " + second);
    }

    @Test
    void rdtscWithTsdFaultsAtCpl3() {
        GuestRunner r = protectedMode(3);
        r.cpu.cr4 = Cr4.TSD;
        assertEquals(0, errorCode(expectFault(r, "rdtsc", 13)));
    }

    @Test
    void rdtscWithoutTsdWorksAtCpl3() {
        GuestRunner r = protectedMode(3);
        runToSysenterStop(r, "mov ebx, -1\nrdtsc\nmov ebx, 1\nsysenter");
        assertEquals(1, r.cpu.regs[Cpu.EBX], "RDTSC completed");
    }

    @Test
    void rdtscpReadsTheCounterAndTscAux() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov eax, 0x80000001\ncpuid\nmov esi, edx\nmov ecx, 0xC0000103\nmov eax, 0x100\n"
                + "xor edx, edx\nwrmsr\nmov ecx, 0x10\nmov edx, 7\nxor eax, eax\nwrmsr\nxor ecx, ecx\nrdtscp\ncli\nhlt"));
        assertEquals(1 << 27, r.cpu.regs[Cpu.ESI] & (1 << 27), "CPUID.80000001H:EDX[27] RDTSCP");
        assertEquals(0x100, r.cpu.regs[Cpu.ECX], "ECX = IA32_TSC_AUX");
        assertEquals(7, r.cpu.regs[Cpu.EDX], "EDX:EAX = the TSC just written, a few instructions on");
        assertTrue(Integer.compareUnsigned(r.cpu.regs[Cpu.EAX], 1000) < 0);
        wrmsrFaults(0xC0000103, 1L << 32); // bits 63:32 of IA32_TSC_AUX are reserved
    }

    @Test
    void rdtscpIsUndefinedWithoutEnableRdtscp() {
        // VMX non-root operation: "enable RDTSCP" 0 makes RDTSCP #UD, even with RDTSC exiting (SDM Vol. 3C, 26.3).
        GuestRunner r = protectedMode(0);
        r.cpu.controls.setSecondary(0);
        expectFault(r, "rdtscp", 6);
    }

    @Test
    void rdtscpWithTsdFaultsAtCpl3() {
        GuestRunner r = protectedMode(3);
        r.cpu.cr4 = Cr4.TSD;
        assertEquals(0, errorCode(expectFault(r, "rdtscp", 13)));
    }

    @Test
    void otherRegisterFormsOfGroup0F01() {
        // SMSW and LMSW keep their register forms beside RDTSCP's; VMCALL (0F 01 C1) outside VMX operation is #UD.
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("smsw ecx\nmov eax, 0x3\nlmsw ax\nsmsw dx\ncli\nhlt"));
        assertEquals(r.cpu.cr0, r.cpu.regs[Cpu.ECX] | Cr0.MP);
        assertEquals(Cr0.PE | Cr0.MP, r.cpu.regs[Cpu.EDX] & 0xF);
        expectFault(protectedMode(0), ".byte 0x0f, 0x01, 0xc1", 6);
    }

    @Test
    void wrmsrTscSetsTheCounter() {
        GuestRunner r = GuestRunner.flat32();
        runToHalt(r, Asm.assemble32("mov ecx, 0x10\nmov edx, 5\nxor eax, eax\nwrmsr\nrdmsr\ncli\nhlt"));
        assertEquals(5, r.cpu.regs[Cpu.EDX], "high half as written (a few instructions cannot carry into it)");
        assertTrue(Integer.compareUnsigned(r.cpu.regs[Cpu.EAX], 1000) < 0, "low half counted up from 0: " + r.cpu.regs[Cpu.EAX]);
    }

    @Test
    void unknownMsrFaults() {
        // IA32_FS_BASE: a 64-bit-mode MSR, absent without IA-32e mode.
        GuestRunner r = expectFault(protectedMode(0), "mov ecx, 0xC0000100\nrdmsr", 13);
        assertEquals(0, errorCode(r));
    }

    /** RDMSR of {@code msr} at CPL 0 on a fresh machine: EDX:EAX. */
    static long rdmsr(int msr) {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov ecx, " + msr + "\nrdmsr\ncli\nhlt"));
        return (r.cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL);
    }

    /** WRMSR of {@code value} to {@code msr} at CPL 0 on {@code r}, then RDMSR: what reads back. */
    static long wrmsrRdmsr(GuestRunner r, int msr, long value) {
        runToHalt(r, Asm.assemble32("mov ecx, " + msr + "\nmov eax, " + (int) value + "\nmov edx, " + (int) (value >>> 32)
                + "\nwrmsr\nxor eax, eax\nxor edx, edx\nrdmsr\ncli\nhlt"));
        return (r.cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL);
    }

    static long wrmsrRdmsr(int msr, long value) {
        return wrmsrRdmsr(protectedMode(0), msr, value);
    }

    static void wrmsrFaults(GuestRunner r, int msr, long value) {
        expectFault(r, "mov ecx, " + msr + "\nmov eax, " + (int) value + "\nmov edx, " + (int) (value >>> 32) + "\nwrmsr", 13);
        assertEquals(0, errorCode(r));
    }

    static void wrmsrFaults(int msr, long value) {
        wrmsrFaults(protectedMode(0), msr, value);
    }

    @Test
    void miscEnableResetValueAndWritableBits() {
        // SDM Vol. 4 Table 2-2: fast strings on at reset; BTS (11) and PEBS (12) unavailable, read-only;
        // no performance monitoring (7).
        assertEquals(0x1801L, rdmsr(0x1A0));
        // Writable: 0, 3, 16, 18, 22, 23, 34; the read-only bits keep their value whatever is written.
        assertEquals(0x4_00C5_1809L, wrmsrRdmsr(0x1A0, 0x4_00C5_0889L));
        wrmsrFaults(0x1A0, 0x2); // bit 1 is reserved
        wrmsrFaults(0x1A0, 1L << 35);
    }

    @Test
    void limitCpuidMaxvalAndXdBitDisable() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov eax, 0x80000001\ncpuid\nmov esi, edx\nmov ecx, 0x1A0\nrdmsr\n"
                + "or eax, 1 << 22\nor edx, 1 << 2\nwrmsr\nxor eax, eax\ncpuid\nmov edi, eax\nmov eax, 0x80000001\n"
                + "cpuid\ncli\nhlt"));
        assertEquals(1 << 20, r.cpu.regs[Cpu.ESI] & (1 << 20), "CPUID.80000001H:EDX[20] NX while XD is not disabled");
        assertEquals(2, r.cpu.regs[Cpu.EDI], "limit CPUID maxval: leaf 0 reports 2");
        assertEquals(0, r.cpu.regs[Cpu.EDX] & (1 << 20), "XD bit disable clears the NX flag");
        // ... and EFER.NXE can no longer be set, while SCE still can.
        GuestRunner g = protectedMode(0);
        g.cpu.miscEnable |= 1L << 34;
        assertEquals(1L, wrmsrRdmsr(g, 0xC0000080, 1));
        GuestRunner h = protectedMode(0);
        h.cpu.miscEnable |= 1L << 34;
        wrmsrFaults(h, 0xC0000080, 0x800);
    }

    @Test
    void patResetValueAndMemoryTypes() {
        assertEquals(0x0007040600070406L, rdmsr(0x277), "SDM Vol. 3A 12.12.4: PAT at power-up");
        assertEquals(0x07070707L, wrmsrRdmsr(0x277, 0x07070707L));
        assertEquals(0x0001050400060706L, wrmsrRdmsr(0x277, 0x0001050400060706L));
        wrmsrFaults(0x277, 0x02); // type 2 is reserved
        wrmsrFaults(0x277, 0x0300000000000000L); // and 3
        wrmsrFaults(0x277, 0x08); // bits 3-7 of an entry are reserved
    }

    @Test
    void eferSceAndNxeAreWritableAndLongModeIsNot() {
        assertEquals(0, rdmsr(0xC0000080));
        assertEquals(0x801L, wrmsrRdmsr(0xC0000080, 0x801L));
        assertEquals(0L, wrmsrRdmsr(0xC0000080, 0x400L), "LMA is read-only");
        wrmsrFaults(0xC0000080, 0x100); // LME: no IA-32e mode
        wrmsrFaults(0xC0000080, 0x2);
    }

    @Test
    void mcgCapReportsNoBanksAndIsReadOnly() {
        assertEquals(0, rdmsr(0x179));
        wrmsrFaults(0x179, 0);
        // With no banks, the bank MSRs (IA32_MC0_CTL at 400H ...) do not exist.
        assertEquals(0, errorCode(expectFault(protectedMode(0), "mov ecx, 0x400\nrdmsr", 13)));
    }

    /** 32-bit paging with 4 MiB pages: 0-4 MiB supervisor, 4-8 MiB user (U/S = 1), identity; CR4.SMAP as asked. */
    static GuestRunner userPageAbove4M(boolean smap) {
        GuestRunner r = protectedMode(0);
        int pd = 0x10000;
        r.memory.write32(pd, 0x83); // P | RW | PS
        r.memory.write32(pd + 4, 0x400000 | 0x87); // P | RW | US | PS
        r.memory.write32(0x400000, 0x1234);
        r.memory.write8(0x400010, 0xC3); // ret
        r.cpu.cr3 = pd;
        r.cpu.cr4 |= Cr4.PSE | (smap ? Cr4.SMAP : 0);
        r.cpu.cr0 |= Cr0.PG;
        return r;
    }

    @Test
    void smapFaultsSupervisorReadsOfUserPages() {
        // SDM Vol. 3A 4.6.1: CR4.SMAP = 1 and EFLAGS.AC = 0: a supervisor data access to a user page is #PF.
        GuestRunner r = expectFault(userPageAbove4M(true), "mov eax, [0x400000]", 14);
        assertEquals(0x1, errorCode(r), "#PF: present, a read, supervisor");
        assertEquals(0x400000, r.cpu.cr2);
        GuestRunner w = expectFault(userPageAbove4M(true), "mov dword ptr [0x400004], 5", 14);
        assertEquals(0x3, errorCode(w), "#PF: present, a write, supervisor");
        assertEquals(0, w.memory.read32(0x400004), "nothing written");
    }

    @Test
    void smapIsLiftedByAcAndOnlyWhileAcIsSet() {
        GuestRunner r = expectFault(userPageAbove4M(true), "stac\nmov eax, [0x400000]\nmov [0x400004], eax\n"
                + "pushfd\npop ecx\nclac\npushfd\npop edx\nmov ebx, [0x400000]", 14);
        assertEquals(0x1234, r.cpu.regs[Cpu.EAX], "read with AC = 1");
        assertEquals(0x1234, r.memory.read32(0x400004), "written with AC = 1");
        assertEquals(1 << 18, r.cpu.regs[Cpu.ECX] & (1 << 18), "STAC sets EFLAGS.AC");
        assertEquals(0, r.cpu.regs[Cpu.EDX] & (1 << 18), "CLAC clears it");
        assertEquals(0x1, errorCode(r), "the same page faults again once AC is clear (no TLB entry let it through)");
    }

    @Test
    void smapLeavesFetchesAndSmapOffAlone() {
        // SMAP governs data accesses only: supervisor code may run from a user page (SMEP would refuse it).
        GuestRunner r = userPageAbove4M(true);
        runToHalt(r, Asm.assemble32("mov eax, 0x400010\ncall eax\nmov ebx, 1\ncli\nhlt"));
        assertEquals(1, r.cpu.regs[Cpu.EBX]);
        GuestRunner off = userPageAbove4M(false);
        runToHalt(off, Asm.assemble32("mov eax, [0x400000]\ncli\nhlt"));
        assertEquals(0x1234, off.cpu.regs[Cpu.EAX]);
    }

    @Test
    void stacAndClacAreUndefinedAtCpl3() {
        expectFault(protectedMode(3), "stac", 6);
        expectFault(protectedMode(3), "clac", 6);
    }

    /** PAE paging: 0-2 MiB identity, 2-4 MiB identity with XD set in its PDE (SDM Vol. 3A, 4.4). */
    static GuestRunner paeWithExecuteDisabledPage(boolean nxe) {
        GuestRunner r = protectedMode(0);
        int pdpt = 0x10000, pd = 0x11000;
        r.memory.write32(pdpt, pd | 1);
        r.memory.write32(pd, 0x83); // P | RW | PS
        r.memory.write32(pd + 8, 0x200000 | 0x83);
        r.memory.write32(pd + 12, 0x80000000); // XD
        r.memory.write8(0x200000, 0xC3); // ret
        r.cpu.cr3 = pdpt;
        r.cpu.cr4 |= Cr4.PAE;
        r.cpu.cr0 |= Cr0.PG;
        r.cpu.efer = nxe ? 0x800 : 0;
        return r;
    }

    @Test
    void executeDisableFaultsFetchesWithNxe() {
        GuestRunner r = expectFault(paeWithExecuteDisabledPage(true), "mov eax, 0x200000\nmov ebx, [eax]\ncall eax", 14);
        assertEquals(0x11, errorCode(r), "#PF: present (P) and an instruction fetch (I/D)");
        assertEquals(0x200000, r.cpu.cr2);
        assertEquals(0xC3, r.cpu.regs[Cpu.EBX], "reads of an XD page are allowed");
    }

    @Test
    void executeDisableBitIsIgnoredWithoutNxe() {
        GuestRunner r = paeWithExecuteDisabledPage(false);
        runToHalt(r, Asm.assemble32("mov eax, 0x200000\ncall eax\nmov ebx, 1\ncli\nhlt"));
        assertEquals(1, r.cpu.regs[Cpu.EBX], "returned from the page");
    }

    @Test
    void sysenterSysexitThroughMsrs() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32(
                "mov ecx, 0x174\nmov eax, 0x08\nxor edx, edx\nwrmsr\n"
                + "mov ecx, 0x175\nmov eax, 0x9000\nwrmsr\n"
                + "mov ecx, 0x176\nmov eax, offset kernel\nwrmsr\n"
                + "mov ecx, 0x174\nrdmsr\nmov esi, eax\n"
                + "mov ecx, 0x7000\nmov edx, offset user\nsti\nsysexit\n"
                + "user: mov ebx, cs\nmov edi, ss\nmov ebp, esp\nsysenter\n"
                + "kernel: mov ecx, cs\nmov edx, ss\ncli\nhlt"));
        assertEquals(0x08, r.cpu.regs[Cpu.ESI], "RDMSR returns what WRMSR stored");
        // SYSEXIT: CS = SYSENTER_CS + 16 | 3, SS = CS + 8; ESP = ECX.
        assertEquals(0x1B, r.cpu.regs[Cpu.EBX] & 0xFFFF);
        assertEquals(0x23, r.cpu.regs[Cpu.EDI] & 0xFFFF);
        assertEquals(0x7000, r.cpu.regs[Cpu.EBP]);
        // SYSENTER: CS = SYSENTER_CS & 0xFFFC, SS = CS + 8, ESP = SYSENTER_ESP, CPL 0, IF clear.
        assertEquals(0x08, r.cpu.regs[Cpu.ECX] & 0xFFFF);
        assertEquals(0x10, r.cpu.regs[Cpu.EDX] & 0xFFFF);
        assertEquals(0x9000, r.cpu.regs[Cpu.ESP]);
        assertEquals(0, r.cpu.cpl);
        assertEquals(0, r.cpu.eflags & Eflags.IF);
    }

    @Test
    void sysenterWithNullCsFaults() {
        assertEquals(0, errorCode(expectFault(protectedMode(3), "sysenter", 13)));
    }

    // ---- LAR, LSL, VERR, VERW, ARPL

    @Test
    void larAndLsl() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov bx, 0x1B\nlar eax, bx\nsetz byte ptr [0x2000]\nlsl ecx, bx\n"
                + "setz byte ptr [0x2001]\nmov dx, 0x28\nlsl edx, dx\nsetz byte ptr [0x2002]\n"
                + "mov esi, 0x5555\nmov di, 0x30\nlar esi, di\nsetz byte ptr [0x2003]\n"
                + "mov edi, 0x6666\nmov bp, 0x100\nlsl edi, bp\nsetz byte ptr [0x2004]\n"
                + "mov bx, 0x40\nlar bp, bx\ncli\nhlt"));
        // 0x18 high dword 0x00CFFA00; LAR r32 keeps bits 23:20 and 15:8 -> 0x00C0FA00.
        assertEquals(0x00C0FA00, r.cpu.regs[Cpu.EAX]);
        assertEquals(1, r.memory.read8(0x2000));
        // limit 0xFFFFF, G = 1 -> 0xFFFFFFFF.
        assertEquals(0xFFFFFFFF, r.cpu.regs[Cpu.ECX]);
        assertEquals(1, r.memory.read8(0x2001));
        // TSS limit 0x67.
        assertEquals(0x67, r.cpu.regs[Cpu.EDX]);
        assertEquals(1, r.memory.read8(0x2002));
        // Interrupt gate: invalid type for LAR; ZF = 0 and the destination is unchanged.
        assertEquals(0x5555, r.cpu.regs[Cpu.ESI]);
        assertEquals(0, r.memory.read8(0x2003));
        // Past the GDT limit: ZF = 0, no fault.
        assertEquals(0x6666, r.cpu.regs[Cpu.EDI]);
        assertEquals(0, r.memory.read8(0x2004));
        // LAR r16: high dword 0x00409210 AND 0xFF00.
        assertEquals(0x9200, r.cpu.regs[Cpu.EBP] & 0xFFFF);
    }

    @Test
    void larChecksPrivilegeAtCpl3() {
        GuestRunner r = protectedMode(3);
        runToSysenterStop(r, "mov ebx, 0x77\nmov ax, 0x10\nlar ebx, ax\nsetz cl\nmov ax, 0x23\nlar edx, ax\n"
                + "setz ch\nsysenter");
        assertEquals(0x77, r.cpu.regs[Cpu.EBX], "DPL 0 data is not visible at CPL 3");
        assertEquals(0, r.cpu.regs[Cpu.ECX] & 0xFF);
        assertEquals(1, (r.cpu.regs[Cpu.ECX] >> 8) & 0xFF);
        assertEquals(0x00C0F200, r.cpu.regs[Cpu.EDX]);
    }

    @Test
    void verrAndVerw() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov ax, 0x08\nverr ax\nsetz byte ptr [0x2000]\nverw ax\nsetz byte ptr [0x2001]\n"
                + "mov ax, 0x10\nverr ax\nsetz byte ptr [0x2002]\nverw ax\nsetz byte ptr [0x2003]\n"
                + "mov ax, 0\nverr ax\nsetz byte ptr [0x2004]\ncli\nhlt"));
        assertEquals(1, r.memory.read8(0x2000), "readable code: VERR");
        assertEquals(0, r.memory.read8(0x2001), "code is never writable");
        assertEquals(1, r.memory.read8(0x2002));
        assertEquals(1, r.memory.read8(0x2003));
        assertEquals(0, r.memory.read8(0x2004), "null selector");
    }

    @Test
    void arplRaisesRpl() {
        GuestRunner r = protectedMode(0);
        runToHalt(r, Asm.assemble32("mov eax, 0xAAAA0010\nmov bx, 0x23\narpl ax, bx\nsetz cl\narpl ax, bx\nsetz ch\n"
                + "mov word ptr [0x2000], 0x19\narpl [0x2000], bx\nsetz dl\ncli\nhlt"));
        assertEquals(0xAAAA0013, r.cpu.regs[Cpu.EAX]);
        assertEquals(1, r.cpu.regs[Cpu.ECX] & 0xFF);
        assertEquals(0, (r.cpu.regs[Cpu.ECX] >> 8) & 0xFF);
        assertEquals(0x1B, r.memory.read16(0x2000));
        assertEquals(1, r.cpu.regs[Cpu.EDX] & 0xFF);
    }

    // ---- INVLPG

    @Test
    void invlpgDropsAStaleTranslation() {
        // Page directory at 0x10000, one page table at 0x11000 identity-mapping the first 4 MiB;
        // linear 0x400000 through a second table at 0x12000 to physical 0x20000, later 0x21000.
        GuestRunner r = GuestRunner.flat32();
        for (int i = 0; i < 1024; i++) {
            r.memory.write32(0x11000 + 4 * i, (i << 12) | 3);
        }
        r.memory.write32(0x10000, 0x11000 | 3);
        r.memory.write32(0x10004, 0x12000 | 3);
        r.memory.write32(0x12000, 0x20000 | 3);
        r.memory.write32(0x20000, 0x1111);
        r.memory.write32(0x21000, 0x2222);
        runToHalt(r, Asm.assemble32("mov eax, 0x10000\nmov cr3, eax\nmov eax, cr0\nor eax, 0x80000000\nmov cr0, eax\n"
                + "mov ebx, [0x400000]\nmov dword ptr [0x12000], 0x21003\ninvlpg [0x400000]\nmov ecx, [0x400000]\n"
                + "cli\nhlt"));
        assertEquals(0x1111, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x2222, r.cpu.regs[Cpu.ECX]);
        assertTrue(r.exits.contains(ExitReason.INVLPG));
    }

    @Test
    void invlpgInA4MiBPageDropsTheWholePage() {
        // Linear 0x400000 through a 4 MiB page (CR4.PSE) at physical 0x800000, later 0xC00000;
        // the INVLPG names the page's first address, the reads are on another of its 4 KiB parts
        // (whose TLB slot no code fetch shares).
        GuestRunner r = GuestRunner.flat32();
        r.memory.write32(0x10000, 0x83); // the first 4 MiB identity-mapped by a large page too
        r.memory.write32(0x10004, 0x800083);
        r.memory.write32(0x802000, 0x1111);
        r.memory.write32(0xC02000, 0x2222);
        assertEquals(0x2222, readAcrossRemap(r, Cr4.PSE, 0x402000, 0x10004, 0xC00083, 0x400000),
                "the 4 KiB entry of 0x402000 belonged to the page at 0x400000");
    }

    @Test
    void invlpgInA2MiBPaePageDropsTheWholePage() {
        // PAE: the PDPT at 0x10000, a page directory at 0x11000 whose first entry maps the first
        // 2 MiB and whose second maps linear 0x200000 to physical 0x800000, later 0xA00000.
        GuestRunner r = GuestRunner.flat32();
        r.memory.write32(0x10000, 0x11001);
        r.memory.write32(0x11000, 0x83);
        r.memory.write32(0x11008, 0x800083);
        r.memory.write32(0x9FF000, 0x1111);
        r.memory.write32(0xBFF000, 0x2222);
        assertEquals(0x2222, readAcrossRemap(r, Cr4.PAE, 0x3FF000, 0x11008, 0xA00083, 0x200000),
                "the 4 KiB entry of 0x3FF000 belonged to the page at 0x200000");
    }

    @Test
    void cr3LoadDropsEveryNonGlobalEntryAndKeepsGlobalOnes() {
        // PGE: the global page's entry outlives the CR3 loads (as the TLB keeps it), the other's
        // does not, at the first load and at the next (the entries filled since the first).
        GuestRunner r = remapAcrossCr3Loads(Cr4.PSE | Cr4.PGE);
        assertEquals(0x1111, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x3333, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x1111, r.cpu.regs[Cpu.EDX], "the global page's entry stays");
        assertEquals(0x4444, r.cpu.regs[Cpu.ESI], "the other page's entry went at the CR3 load");
        assertEquals(0x3333, r.cpu.regs[Cpu.EDI], "and again at the next load");
    }

    @Test
    void cr3LoadWithoutPgeDropsGlobalEntriesToo() {
        GuestRunner r = remapAcrossCr3Loads(Cr4.PSE);
        assertEquals(0x2222, r.cpu.regs[Cpu.EDX], "CR4.PGE clear: the G bit is ignored");
        assertEquals(0x4444, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3333, r.cpu.regs[Cpu.EDI]);
    }

    /**
     * A 4 MiB identity page for the code and a page table for linear 0x405000 (global, frame 0x20000)
     * and 0x406000 (frame 0x21000), whose TLB entries no code or page-table access shares: reads
     * both (EBX, ECX), points them at 0x22000 and 0x23000, reloads CR3 and reads them again (EDX,
     * ESI), then points 0x406000 back and reloads CR3 once more (EDI).
     */
    private static GuestRunner remapAcrossCr3Loads(int cr4) {
        GuestRunner r = GuestRunner.flat32();
        r.memory.write32(0x10000, 0x83);
        r.memory.write32(0x10004, 0x12003);
        r.memory.write32(0x12014, 0x20103);
        r.memory.write32(0x12018, 0x21003);
        r.memory.write32(0x20000, 0x1111);
        r.memory.write32(0x21000, 0x3333);
        r.memory.write32(0x22000, 0x2222);
        r.memory.write32(0x23000, 0x4444);
        runToHalt(r, Asm.assemble32(String.format("mov eax, 0x%x\nmov cr4, eax\nmov eax, 0x10000\nmov cr3, eax\n"
                + "mov eax, cr0\nor eax, 0x80000000\nmov cr0, eax\nmov ebx, [0x405000]\nmov ecx, [0x406000]\n"
                + "mov dword ptr [0x12014], 0x22103\nmov dword ptr [0x12018], 0x23003\nmov eax, cr3\nmov cr3, eax\n"
                + "mov edx, [0x405000]\nmov esi, [0x406000]\nmov dword ptr [0x12018], 0x21003\nmov eax, cr3\n"
                + "mov cr3, eax\nmov edi, [0x406000]\ncli\nhlt", cr4)));
        return r;
    }

    /**
     * Turns paging on with {@code cr4Bit} set and CR3 at 0x10000, reads the dword at {@code lin}
     * (0x1111), writes {@code entry} into the paging-structure entry at {@code entryAddr}, runs
     * INVLPG of {@code invlpg} and returns the dword at {@code lin} read again.
     */
    private static int readAcrossRemap(GuestRunner r, int cr4Bit, int lin, int entryAddr, int entry, int invlpg) {
        runToHalt(r, Asm.assemble32(String.format("mov eax, cr4\nor eax, 0x%x\nmov cr4, eax\nmov eax, 0x10000\n"
                + "mov cr3, eax\nmov eax, cr0\nor eax, 0x80000000\nmov cr0, eax\nmov ebx, [0x%x]\n"
                + "mov dword ptr [0x%x], 0x%x\ninvlpg [0x%x]\nmov ecx, [0x%x]\ncli\nhlt",
                cr4Bit, lin, entryAddr, entry, invlpg, lin)));
        assertEquals(0x1111, r.cpu.regs[Cpu.EBX], "the first read");
        return r.cpu.regs[Cpu.ECX];
    }
}
