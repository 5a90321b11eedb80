package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.helpers.StringOps;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExitReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS. Expected values are the SDM's pseudo-code worked by
 * hand (comments show the arithmetic); memory is prepared from Java before the guest runs.
 */
class StringsTest {
    private static final int ARITH = Eflags.ARITH;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    private static GuestRunner run32(GuestRunner r, String src) {
        StopReason s = r.run(Asm.assemble32(src + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        return r;
    }

    private static GuestRunner run16(GuestRunner r, String src) {
        StopReason s = r.run(Asm.assemble16(src + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        return r;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static void assertBytes(GuestRunner r, int addr, int... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xFF, r.memory.read8(addr + i), String.format("byte at %#x", addr + i));
        }
    }

    private static long ioExits(GuestRunner r) {
        return r.exits.stream().filter(x -> x == ExitReason.IO_INSTRUCTION).count();
    }

    // ---- MOVS

    @Test
    void movsEachSizeStepsUp() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(1, 2, 3, 4, 5, 6, 7, 8));
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\nmovsb\nmovsw\nmovsd");
        // 1 + 2 + 4 = 7 bytes copied, both indexes +7.
        assertBytes(r, 0x3000, 1, 2, 3, 4, 5, 6, 7, 0);
        assertEquals(0x2007, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3007, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void movsWithDirectionFlagStepsDown() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x1FFE, bytes(0xAA, 0xBB, 1, 2, 3, 4, 5, 6, 7, 8));
        run32(r, "mov esi, 0x2004\nmov edi, 0x3004\nstd\nmovsd\nmovsw\nmovsb");
        // movsd: [0x2004..7] -> [0x3004..7], -4 -> 0x2000; movsw: [0x2000..1] -> [0x3000..1], -2 -> 0x1FFE;
        // movsb: [0x1FFE] -> [0x2FFE], -1 -> 0x1FFD.
        assertBytes(r, 0x3004, 5, 6, 7, 8);
        assertBytes(r, 0x3000, 1, 2);
        assertBytes(r, 0x2FFE, 0xAA, 0);
        assertEquals(0x1FFD, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x2FFD, r.cpu.regs[Cpu.EDI]);
        assertTrue((r.cpu.getEflags() & Eflags.DF) != 0);
    }

    @Test
    void repMovsdLargeUnalignedAcrossPagesAndRestarts() {
        GuestRunner r = GuestRunner.flat32();
        int n = StringOps.BUDGET + 0x1000; // more than one run of the helper
        byte[] src = new byte[n * 4];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7 + 3);
        }
        r.load(0x100003, src);
        run32(r, "mov esi, 0x100003\nmov edi, 0x300001\nmov ecx, " + n + "\nrep movsd");
        for (int i = 0; i < src.length; i++) {
            if (r.memory.read8(0x300001 + i) != (src[i] & 0xFF)) {
                assertEquals(src[i] & 0xFF, r.memory.read8(0x300001 + i), "byte " + i);
            }
        }
        assertEquals(0, r.memory.read8(0x300001 + src.length));
        assertEquals(0, r.memory.read8(0x300000));
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x100003 + 4 * n, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x300001 + 4 * n, r.cpu.regs[Cpu.EDI]);
    }

    /** {@code n} bytes of 0x5A from {@code first} on in steps of {@code step} (1 or -1), and a 0 after them. */
    private static void assertReplicated(GuestRunner r, int first, int step, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(0x5A, r.memory.read8(first + step * i), "byte " + i);
        }
        assertEquals(0, r.memory.read8(first + step * n));
    }

    @Test
    void repMovsbOverlappingForwardReplicatesAByte() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2FFC, bytes(0x5A));
        // Element i copies [0x2FFC+i] (already 0x5A) to 0x2FFD+i: 101 bytes of 0x5A, across a page.
        run32(r, "mov esi, 0x2FFC\nmov edi, 0x2FFD\nmov ecx, 100\nrep movsb");
        assertReplicated(r, 0x2FFC, 1, 101);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void repMovsdOverlappingByTwoBytes() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99));
        // e0 reads 00 11 22 33 -> writes at +2: 00 11 00 11 22 33 66 77 88 99
        // e1 reads [+4] 22 33 66 77 -> writes at +6: 00 11 00 11 22 33 22 33 66 77
        run32(r, "mov esi, 0x2000\nmov edi, 0x2002\nmov ecx, 2\nrep movsd");
        assertBytes(r, 0x2000, 0x00, 0x11, 0x00, 0x11, 0x22, 0x33, 0x22, 0x33, 0x66, 0x77);
        assertEquals(0x2008, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x200A, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void repMovsBackwardWithDirectionFlag() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(1, 2, 3, 4, 5, 6));
        // DF=1 with dst = src + 2, copying from the top down:
        // e0: [0x2003]=4 -> 0x2005; e1: [0x2002]=3 -> 0x2004; e2: 2 -> 0x2003; e3: 1 -> 0x2002.
        run32(r, "std\nmov esi, 0x2003\nmov edi, 0x2005\nmov ecx, 4\nrep movsb\ncld");
        assertBytes(r, 0x2000, 1, 2, 1, 2, 3, 4);
        assertEquals(0x1FFF, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x2001, r.cpu.regs[Cpu.EDI]);
    }

    // ---- STOS

    @Test
    void repStosEachSize() {
        GuestRunner r = GuestRunner.flat32();
        run32(r, "cld\nmov edi, 0x3000\nmov eax, 0x41\nmov ecx, 5\nrep stosb\n"
                + "mov edi, 0x3100\nmov eax, 0x1234\nmov ecx, 3\nrep stosw\n"
                + "mov edi, 0x3FFE\nmov eax, 0xDEADBEEF\nmov ecx, 0x1800\nrep stosd");
        assertBytes(r, 0x3000, 0x41, 0x41, 0x41, 0x41, 0x41, 0);
        assertBytes(r, 0x3100, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0);
        for (int i = 0; i < 0x1800; i++) {
            int a = 0x3FFE + 4 * i;
            if (r.memory.read32(a) != 0xDEADBEEF) {
                assertEquals(0xDEADBEEF, r.memory.read32(a), String.format("dword at %#x", a));
            }
        }
        assertEquals(0, r.memory.read8(0x3FFE + 4 * 0x1800));
        assertEquals(0x3FFE + 4 * 0x1800, r.cpu.regs[Cpu.EDI]);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void repStosdDown() {
        GuestRunner r = GuestRunner.flat32();
        // DF=1: writes at 0x3208, 0x3204, 0x3200; EDI = 0x3208 - 12 = 0x31FC.
        run32(r, "std\nmov edi, 0x3208\nmov eax, 0x11223344\nmov ecx, 3\nrep stosd\ncld");
        assertEquals(0x11223344, r.memory.read32(0x3200));
        assertEquals(0x11223344, r.memory.read32(0x3204));
        assertEquals(0x11223344, r.memory.read32(0x3208));
        assertEquals(0, r.memory.read32(0x31FC));
        assertEquals(0, r.memory.read32(0x320C));
        assertEquals(0x31FC, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void stosNonRepLeavesEcx() {
        GuestRunner r = GuestRunner.flat32();
        run32(r, "mov edi, 0x3000\nmov eax, 0xCAFEBABE\nmov ecx, 9\nstosw\nstosd\nstosb");
        // stosw BE BA, stosd BE BA FE CA, stosb BE; EDI +7, ECX untouched.
        assertBytes(r, 0x3000, 0xBE, 0xBA, 0xBE, 0xBA, 0xFE, 0xCA, 0xBE, 0);
        assertEquals(0x3007, r.cpu.regs[Cpu.EDI]);
        assertEquals(9, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void repWithZeroCountDoesNothing() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(7, 7, 7, 7));
        // cmp 1, 2 leaves CF=1 SF=1 ZF=0; a REPE CMPSB that ran would compare 7 with 0 (ZF=0, CF=0).
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\nxor ecx, ecx\nmov eax, 1\ncmp eax, 2\n"
                + "rep movsb\nrep stosd\nrepe cmpsb\nrepne scasb\nrep lodsd");
        assertEquals(0, r.memory.read32(0x3000));
        assertEquals(0x2000, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3000, r.cpu.regs[Cpu.EDI]);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(1, r.cpu.regs[Cpu.EAX]);
        int fl = r.cpu.getEflags();
        assertEquals(Eflags.CF, fl & Eflags.CF);
        assertEquals(0, fl & Eflags.ZF);
        assertEquals(Eflags.SF, fl & Eflags.SF);
    }

    // ---- LODS

    @Test
    void lodsEachSizeKeepsUpperBits() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77));
        run32(r, "mov esi, 0x2000\nmov eax, 0xFFFFFFFF\nlodsb\nmov ebx, eax\nlodsw\nmov edx, eax\nlodsd");
        assertEquals(0xFFFFFF11, r.cpu.regs[Cpu.EBX]);
        assertEquals(0xFFFF3322, r.cpu.regs[Cpu.EDX]);
        assertEquals(0x77665544, r.cpu.regs[Cpu.EAX]);
        assertEquals(0x2007, r.cpu.regs[Cpu.ESI]);
    }

    @Test
    void repLodsbKeepsLastElement() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x11, 0x22, 0x33, 0x44));
        run32(r, "mov esi, 0x2000\nmov eax, 0xABCDEF00\nmov ecx, 3\nrep lodsb");
        assertEquals(0xABCDEF33, r.cpu.regs[Cpu.EAX]);
        assertEquals(0x2003, r.cpu.regs[Cpu.ESI]);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
    }

    // ---- CMPS / SCAS

    @Test
    void cmpsbSetsFlagsLikeCmp() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x10));
        r.load(0x3000, bytes(0x20));
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\ncmpsb");
        // 0x10 - 0x20 = 0xF0: borrow (CF), SF, PF (4 ones), no OF, no AF (0 - 0 in the low nibble), not zero.
        assertEquals(Eflags.CF | Eflags.SF | Eflags.PF, r.cpu.getEflags() & ARITH);
        assertEquals(0x2001, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3001, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void cmpsdFlagsFeedConditions() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x00, 0x00, 0x00, 0x80));
        r.load(0x3000, bytes(0x01, 0x00, 0x00, 0x00));
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\ncmpsd\nsetl bl\nsetb bh\nsetne cl\nseto ch");
        // 0x80000000 - 1 = 0x7FFFFFFF: OF (neg - pos = pos), AF (borrow from bit 4), PF (0xFF: 8 ones),
        // no CF (unsigned 0x80000000 >= 1), SF clear. Signed -2^31 < 1 so L; not B; NE; O.
        assertEquals(Eflags.OF | Eflags.AF | Eflags.PF, r.cpu.getEflags() & ARITH);
        assertEquals(1, r.cpu.regs[Cpu.EBX] & 0xFF);
        assertEquals(0, (r.cpu.regs[Cpu.EBX] >>> 8) & 0xFF);
        assertEquals(1, r.cpu.regs[Cpu.ECX] & 0xFF);
        assertEquals(1, (r.cpu.regs[Cpu.ECX] >>> 8) & 0xFF);
        assertEquals(0x2004, r.cpu.regs[Cpu.ESI]);
    }

    @Test
    void repeCmpsbStopsAtFirstMismatch() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, "abcx".getBytes());
        r.load(0x3000, "abdx".getBytes());
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\nmov ecx, 4\nrepe cmpsb");
        // a=a, b=b, c<d: stop after 3 elements; 'c'-'d' = 0xFF: CF, SF, PF, AF (3 - 4 borrows).
        assertEquals(1, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2003, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3003, r.cpu.regs[Cpu.EDI]);
        assertEquals(Eflags.CF | Eflags.SF | Eflags.PF | Eflags.AF, r.cpu.getEflags() & ARITH);
    }

    @Test
    void repeCmpsbRunsOutWhenAllEqual() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, "abcd".getBytes());
        r.load(0x3000, "abcd".getBytes());
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\nmov ecx, 4\nrepe cmpsb\nsete bl");
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2004, r.cpu.regs[Cpu.ESI]);
        assertEquals(1, r.cpu.regs[Cpu.EBX] & 0xFF);
        assertEquals(Eflags.ZF | Eflags.PF, r.cpu.getEflags() & ARITH);
    }

    @Test
    void repneCmpsbStopsAtFirstMatch() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, "abcd".getBytes());
        r.load(0x3000, "xycz".getBytes());
        run32(r, "mov esi, 0x2000\nmov edi, 0x3000\nmov ecx, 4\nrepne cmpsb");
        assertEquals(1, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2003, r.cpu.regs[Cpu.ESI]);
        assertEquals(Eflags.ZF, r.cpu.getEflags() & Eflags.ZF);
    }

    @Test
    void repneScasbIsStrlen() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes('h', 'e', 'l', 'l', 'o', 0, 'x'));
        run32(r, "mov edi, 0x2000\nxor eax, eax\nmov ecx, -1\nrepne scasb\nmov edx, ecx\nnot ecx\ndec ecx");
        // 6 elements scanned (the NUL included): ECX = 0xFFFFFFFF - 6; NOT/DEC gives the length 5.
        assertEquals(0xFFFFFFF9, r.cpu.regs[Cpu.EDX]);
        assertEquals(5, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2006, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void repeScaswStopsAtDifferentWord() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x07, 0x07, 0x07, 0x07, 0x08, 0x07, 0x07, 0x07));
        run32(r, "mov edi, 0x2000\nmov eax, 0x0707\nmov ecx, 5\nrepe scasw");
        // 0x0707 - 0x0708 = 0xFFFF: CF, SF, PF, AF; stopped after 3 words.
        assertEquals(2, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2006, r.cpu.regs[Cpu.EDI]);
        assertEquals(Eflags.CF | Eflags.SF | Eflags.PF | Eflags.AF, r.cpu.getEflags() & ARITH);
    }

    @Test
    void scasdNonRepAndDown() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(5, 0, 0, 0));
        run32(r, "std\nmov edi, 0x2000\nmov eax, 5\nmov ecx, 3\nscasd\ncld");
        assertEquals(Eflags.ZF | Eflags.PF, r.cpu.getEflags() & ARITH);
        assertEquals(0x1FFC, r.cpu.regs[Cpu.EDI]);
        assertEquals(3, r.cpu.regs[Cpu.ECX]);
    }

    // ---- 16-bit address size

    @Test
    void realModeRepMovsUsesCxSiDiAndKeepsHighHalves() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x2000, bytes(9, 8, 7, 6));
        run16(r, "mov ecx, 0x12340003\nmov esi, 0xABCD2000\nmov edi, 0x56783000\nrep movsb");
        assertBytes(r, 0x3000, 9, 8, 7, 0);
        assertEquals(0x12340000, r.cpu.regs[Cpu.ECX]);
        assertEquals(0xABCD2003, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x56783003, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void realModeRepStosWrapsDiAt64K() {
        GuestRunner r = GuestRunner.real16();
        // ES base 0x30080 (not page aligned); DI 0xFFFE, 0xFFFF, 0x0000, 0x0001
        // -> linear 0x4007E, 0x4007F, 0x30080, 0x30081.
        run16(r, "mov ax, 0x3008\nmov es, ax\nmov edi, 0x7777FFFE\nmov ecx, 4\nmov al, 0x77\nrep stosb");
        assertBytes(r, 0x4007E, 0x77, 0x77, 0);
        assertBytes(r, 0x30080, 0x77, 0x77, 0);
        assertEquals(0x77770002, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void realModeRepMovsWrapsSiAt64K() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x3007F, bytes(0xA1, 0xEE));
        r.load(0x20080, bytes(0xA2, 0xA3));
        // DS base 0x20080; SI 0xFFFF -> linear 0x3007F, then SI 0, 1 -> 0x20080, 0x20081.
        run16(r, "mov ax, 0x2008\nmov ds, ax\nmov esi, 0xFFFF\nmov edi, 0x3000\nmov ecx, 3\nrep movsb");
        assertBytes(r, 0x3000, 0xA1, 0xA2, 0xA3, 0);
        assertEquals(2, r.cpu.regs[Cpu.ESI]);
    }

    @Test
    void realModeLodsDownWrapsSi() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x2000, bytes(0x6B, 0x5A));
        // DS base 0x2000; SI 1 -> 0 -> 0xFFFF (high half kept).
        run16(r, "mov ax, 0x200\nmov ds, ax\nmov esi, 0x99990001\nstd\nlodsb\nmov bl, al\nlodsb\ncld");
        assertEquals(0x5A, r.cpu.regs[Cpu.EBX] & 0xFF);
        assertEquals(0x6B, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(0x9999FFFF, r.cpu.regs[Cpu.ESI]);
    }

    @Test
    void addressSizePrefixIn32BitCode() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, bytes(0x31, 0x32, 0x33));
        // addr16: CX = 2 counts, SI/DI index; ESI 0x00012000 addresses 0x2000.
        run32(r, "mov esi, 0x00012000\nmov edi, 0x00053000\nmov ecx, 0x00050002\naddr16 rep movsb");
        assertBytes(r, 0x3000, 0x31, 0x32, 0);
        assertEquals(0x00050000, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x00012002, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x00053002, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void addressSizePrefixInRealMode() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x2000, bytes(0x41, 0x42));
        // addr32 in 16-bit code: ECX, ESI, EDI are the count and indexes.
        run16(r, "mov esi, 0x2000\nmov edi, 0x3000\nmov ecx, 2\naddr32 rep movsb");
        assertBytes(r, 0x3000, 0x41, 0x42, 0);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2002, r.cpu.regs[Cpu.ESI]);
    }

    // ---- segments

    @Test
    void sourceSegmentOverrideDestinationAlwaysEs() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x5010, bytes(0xAA, 0xCC));
        r.load(0x6010, bytes(0xBB, 0xDD));
        r.load(0x7040, bytes(0xCC));
        // FS base 0x5000, DS base 0x6000, ES base 0x7000.
        run16(r, "mov ax, 0x500\nmov fs, ax\nmov ax, 0x600\nmov ds, ax\nmov ax, 0x700\nmov es, ax\n"
                + "mov si, 0x10\nmov di, 0x20\nmovs byte ptr es:[di], byte ptr fs:[si]\n"
                + "mov si, 0x10\nmov di, 0x21\nmovsb\n"
                + "mov si, 0x10\nmov di, 0x30\nmov cx, 2\nrep movs byte ptr es:[di], byte ptr fs:[si]\n"
                + "mov si, 0x10\nlods byte ptr fs:[si]\nmov bl, al\n"
                + "mov si, 0x10\nmov di, 0x40\ncmps byte ptr fs:[si], byte ptr es:[di]\nsete bh");
        assertBytes(r, 0x7020, 0xAA, 0xBB);
        assertBytes(r, 0x7030, 0xAA, 0xCC);
        assertEquals(0xAA, r.cpu.regs[Cpu.EBX] & 0xFF);
        assertEquals(0, (r.cpu.regs[Cpu.EBX] >>> 8) & 0xFF); // 0xAA vs 0xCC: not equal
        // Nothing landed in DS or FS at the destination offsets.
        assertEquals(0, r.memory.read8(0x6020));
        assertEquals(0, r.memory.read8(0x5020));
    }

    // ---- INS / OUTS

    @Test
    void repOutsbToDebugPort() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x2000, "hi!".getBytes());
        run32(r, "mov esi, 0x2000\nmov ecx, 3\nmov dx, 0xE9\nrep outsb");
        assertEquals("hi!", r.debugOut.toString());
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2003, r.cpu.regs[Cpu.ESI]);
        assertEquals(3, ioExits(r));
    }

    @Test
    void repOutsbDownAndSingleOutsWithOverride() {
        GuestRunner r = GuestRunner.real16();
        r.load(0x2000, "hi!".getBytes());
        r.load(0x5000, "Z".getBytes());
        run16(r, "mov dx, 0xE9\nmov si, 0x2002\nmov cx, 3\nstd\nrep outsb\ncld\n"
                + "mov ax, 0x500\nmov fs, ax\nxor si, si\nouts dx, byte ptr fs:[si]\n"
                + "mov ecx, 0xFFFF0001\nmov si, 0x2000\nrep outsb");
        assertEquals("!ihZh", r.debugOut.toString());
        assertEquals(0xFFFF0000, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x2001, r.cpu.regs[Cpu.ESI] & 0xFFFF);
    }

    @Test
    void repInswWritesWhatThePortReturns() {
        GuestRunner r = GuestRunner.flat32();
        // GuestRunner answers every IN from port 0x60 with all ones.
        run32(r, "mov edi, 0x3000\nmov ecx, 3\nmov dx, 0x60\nrep insw\nxor ecx, ecx\nrep insb\ninsd");
        assertBytes(r, 0x3000, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0);
        assertEquals(0x300A, r.cpu.regs[Cpu.EDI]);
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(4, ioExits(r)); // 3 for REP INSW, none for count 0, 1 for INSD
    }

    // ---- long REP, faults, self-modifying code

    @Test
    void longRepStopsAfterBudgetAndResumes() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        c.regs[Cpu.EDI] = 0x100000;
        c.regs[Cpu.EAX] = 0x99;
        c.regs[Cpu.ECX] = StringOps.BUDGET + 10;
        assertFalse(StringOps.rep(c, StringOps.STOS, 1, 4, Seg.DS, StringOps.REP));
        assertEquals(10, c.regs[Cpu.ECX]);
        assertEquals(0x100000 + StringOps.BUDGET, c.regs[Cpu.EDI]);
        assertEquals(0, r.memory.read8(0x100000 + StringOps.BUDGET));
        assertTrue(StringOps.rep(c, StringOps.STOS, 1, 4, Seg.DS, StringOps.REP));
        assertEquals(0, c.regs[Cpu.ECX]);
        assertEquals(0x99, r.memory.read8(0x100000 + StringOps.BUDGET + 9));
        // The element-by-element path (DF=1) has the same bound.
        c.eflags |= Eflags.DF;
        c.regs[Cpu.ECX] = StringOps.BUDGET + 5;
        assertFalse(StringOps.rep(c, StringOps.STOS, 1, 4, Seg.DS, StringOps.REP));
        assertEquals(5, c.regs[Cpu.ECX]);
    }

    @Test
    void longRepRunsToCompletionThroughTheDispatcher() {
        GuestRunner r = GuestRunner.flat32();
        int n = 3 * StringOps.BUDGET + 7;
        run32(r, "mov edi, 0x100000\nmov eax, 0x3C\nmov ecx, " + n + "\nrep stosb\nmov ebx, 1");
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(1, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x3C, r.memory.read8(0x100000));
        assertEquals(0x3C, r.memory.read8(0x100000 + n - 1));
        assertEquals(0, r.memory.read8(0x100000 + n));
    }

    /** 4 MiB page 0 identity mapped (PSE), everything from 4 MiB not present. */
    private static void pageFirst4M(GuestRunner r) {
        r.memory.write32(0x200000, 0x83); // P | RW | PS
        r.cpu.cr4 |= Cr4.PSE;
        r.cpu.cr3 = 0x200000;
        r.cpu.cr0 |= Cr0.PG;
        r.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
    }

    @Test
    void pageFaultInRepStosKeepsProgress() {
        GuestRunner r = GuestRunner.flat32();
        pageFirst4M(r);
        Cpu c = r.cpu;
        c.regs[Cpu.EAX] = 0x5A;
        GuestFault f = repFaults(c, StringOps.STOS, 1, 0, 0x3FFFF0, 0x20);
        // 16 bytes fit below 4 MiB; the 17th write faults: not present, write, supervisor -> error 2.
        assertEquals(Vector.PF, f.vector);
        assertEquals(2, f.errorCode);
        // The faulting address travels with the #PF; CR2 receives it when the #PF is delivered.
        assertEquals(0x400000, f.payload);
        assertEquals(0, c.cr2);
        assertEquals(0x10, c.regs[Cpu.ECX]);
        assertEquals(0x400000, c.regs[Cpu.EDI]);
        assertEquals(0x5A, r.memory.read8(0x3FFFFF));
    }

    @Test
    void pageFaultInRepMovsOnSourceKeepsProgress() {
        GuestRunner r = GuestRunner.flat32();
        pageFirst4M(r);
        Cpu c = r.cpu;
        r.memory.write32(0x3FFFF8, 0x11111111);
        r.memory.write32(0x3FFFFC, 0x22222222);
        GuestFault f = repFaults(c, StringOps.MOVS, 4, 0x3FFFF8, 0x100000, 4);
        // Two dwords copied; the read of 0x400000 faults: not present, read -> error 0.
        assertFaultWithProgress(f, Vector.PF, 0, c, 2, 0x400000, 0x100008);
        assertEquals(0x22222222, r.memory.read32(0x100004));
    }

    /** A 32-bit read/write data segment with base 0 and byte limit {@code limit}, expand-down when asked. */
    private static void dataSegment(Cpu c, int s, int limit, boolean expandDown) {
        int type = expandDown ? 0x7 : 0x3;
        c.seg[s].set(c.seg[s].selector, 0, limit, SegmentCache.AR_P | SegmentCache.AR_S | SegmentCache.AR_DB | type);
    }

    /** One call of the REP helper (32-bit addresses, DS source) from these registers; it must fault. */
    private static GuestFault repFaults(Cpu c, int kind, int size, int esi, int edi, int ecx) {
        c.regs[Cpu.ESI] = esi;
        c.regs[Cpu.EDI] = edi;
        c.regs[Cpu.ECX] = ecx;
        return assertThrows(GuestFault.class, () -> StringOps.rep(c, kind, size, 4, Seg.DS, StringOps.REP));
    }

    /** The fault and the progress a REP MOVS had made when it came: ECX, ESI and EDI. */
    private static void assertFaultWithProgress(GuestFault f, int vector, int errorCode, Cpu c, int ecx, int esi, int edi) {
        assertEquals(vector, f.vector);
        assertEquals(errorCode, f.errorCode);
        assertEquals(ecx, c.regs[Cpu.ECX]);
        assertEquals(esi, c.regs[Cpu.ESI]);
        assertEquals(edi, c.regs[Cpu.EDI]);
    }

    @Test
    void repMovsStopsAtTheSourceLimitWithItsProgress() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        dataSegment(c, Seg.DS, 0x2FFF, false);
        r.load(0x2FF0, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
        GuestFault f = repFaults(c, StringOps.MOVS, 1, 0x2FF0, 0x100000, 0x20);
        // Offsets 0x2FF0..0x2FFF are inside the limit: 16 bytes move, the read at 0x3000 is #GP(0).
        assertFaultWithProgress(f, Vector.GP, 0, c, 0x10, 0x3000, 0x100010);
        assertBytes(r, 0x10000F, 16, 0);
    }

    @Test
    void repMovsDownStopsAtAnExpandDownLimit() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        // Expand-down, limit 0x2FFF: offsets 0x3000 and up are valid.
        dataSegment(c, Seg.ES, 0x2FFF, true);
        r.load(0x100000, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20));
        c.eflags |= Eflags.DF;
        GuestFault f = repFaults(c, StringOps.MOVS, 1, 0x100013, 0x3007, 0x20);
        // 0x3007 down to 0x3000: 8 bytes (20 down to 13); the write at 0x2FFF is #GP(0).
        assertFaultWithProgress(f, Vector.GP, 0, c, 0x18, 0x10000B, 0x2FFF);
        assertBytes(r, 0x2FFF, 0, 13, 14, 15, 16, 17, 18, 19, 20);
    }

    @Test
    void repStosStopsAtTheDestinationLimit() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        dataSegment(c, Seg.ES, 0x2FFF, false);
        c.regs[Cpu.EAX] = 0x5A5A5A5A;
        GuestFault f = repFaults(c, StringOps.STOS, 4, 0, 0x2FF0, 8);
        // Dwords at 0x2FF0..0x2FFC end inside the limit; the one at 0x3000 is #GP(0).
        assertEquals(Vector.GP, f.vector);
        assertEquals(4, c.regs[Cpu.ECX]);
        assertEquals(0x3000, c.regs[Cpu.EDI]);
        assertEquals(0x5A5A5A5A, r.memory.read32(0x2FFC));
        assertEquals(0, r.memory.read32(0x3000));
    }

    @Test
    void repStosThroughAReadOnlySegmentFaultsBeforeTheFirstElement() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        c.seg[Seg.ES].set(c.seg[Seg.ES].selector, 0, 0xFFFFFFFF, SegmentCache.AR_P | SegmentCache.AR_S | SegmentCache.AR_DB
                | SegmentCache.AR_G | 0x1); // read-only data
        c.regs[Cpu.EAX] = 0x5A;
        GuestFault f = repFaults(c, StringOps.STOS, 1, 0, 0x3000, 0x100);
        assertEquals(Vector.GP, f.vector);
        assertEquals(0x100, c.regs[Cpu.ECX]);
        assertEquals(0, r.memory.read8(0x3000));
    }

    @Test
    void repMovsdDownLargeAcrossPagesAndRestarts() {
        // The Linux decompressor's relocation of itself: std; rep movsl over megabytes, upwards
        // by less than the length (the copy from the top down does not replicate).
        GuestRunner r = GuestRunner.flat32();
        int n = StringOps.BUDGET + 0x1000;
        byte[] src = new byte[n * 4];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7 + 3);
        }
        r.load(0x100002, src);
        int delta = 0x5001; // destination above the source, overlapping
        run32(r, "std\nmov esi, " + (0x100002 + 4 * (n - 1)) + "\nmov edi, " + (0x100002 + delta + 4 * (n - 1))
                + "\nmov ecx, " + n + "\nrep movsd\ncld");
        for (int i = 0; i < src.length; i++) {
            if (r.memory.read8(0x100002 + delta + i) != (src[i] & 0xFF)) {
                assertEquals(src[i] & 0xFF, r.memory.read8(0x100002 + delta + i), "byte " + i);
            }
        }
        assertEquals(0, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x100002 - 4, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x100002 + delta - 4, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void repMovsbDownOverlappingReplicatesAByte() {
        GuestRunner r = GuestRunner.flat32();
        r.load(0x3032, bytes(0x5A));
        // DF=1 with the destination one below the source: element i copies [0x3032-i] (already
        // 0x5A) to 0x3031-i, 101 bytes of 0x5A down across the page boundary at 0x3000.
        run32(r, "std\nmov esi, 0x3032\nmov edi, 0x3031\nmov ecx, 100\nrep movsb\ncld");
        assertReplicated(r, 0x3032, -1, 101);
        assertEquals(0x3032 - 100, r.cpu.regs[Cpu.ESI]);
        assertEquals(0x3031 - 100, r.cpu.regs[Cpu.EDI]);
    }

    @Test
    void pageFaultInTranslatedRepLeavesStateAtTheInstruction() {
        GuestRunner r = GuestRunner.flat32();
        pageFirst4M(r);
        byte[] code = Asm.assemble32("mov edi, 0x3FFFF0\nmov ecx, 0x20\nmov eax, 0x5A\nrep stosb\ncli\nhlt");
        // No IDT is set up: the #PF ends in a triple fault, with the state of the faulting REP STOSB.
        StopReason s = r.run(code);
        assertEquals(StopReason.Kind.TRIPLE_FAULT, s.kind, s.toString());
        assertEquals(0x10, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x400000, r.cpu.regs[Cpu.EDI]);
        assertEquals(GuestRunner.CODE_BASE + code.length - 4, r.cpu.eip); // rep stosb is 2 bytes before cli; hlt
    }

    @Test
    void repMovsIntoTheRunningBlockIsSeenByTheNextInstruction() {
        GuestRunner r = GuestRunner.flat32();
        run32(r, "mov esi, offset newimm\nmov edi, offset patch + 1\nmov ecx, 4\nrep movsb\n"
                + "patch: mov eax, 1\ncli\nhlt\nnewimm: .long 2");
        assertEquals(2, r.cpu.regs[Cpu.EAX]);
    }

    @Test
    void movsdIntoTheRunningBlockIsSeenByTheNextInstruction() {
        GuestRunner r = GuestRunner.flat32();
        run32(r, "mov esi, offset newimm\nmov edi, offset patch + 1\nmovsd\n"
                + "patch: mov eax, 1\ncli\nhlt\nnewimm: .long 3");
        assertEquals(3, r.cpu.regs[Cpu.EAX]);
    }

    @Test
    void repMovsdPatchesAnotherTranslatedBlock() {
        GuestRunner r = GuestRunner.flat32();
        run32(r, "call f\nmov ebx, eax\nmov esi, offset newimm\nmov edi, offset f + 1\nmov ecx, 1\nrep movsd\n"
                + "call f\ncli\nhlt\nf: mov eax, 1\nret\nnewimm: .long 4");
        assertEquals(1, r.cpu.regs[Cpu.EBX]);
        assertEquals(4, r.cpu.regs[Cpu.EAX]);
    }

    @Test
    void repStosOverTranslatedCode() {
        GuestRunner r = GuestRunner.flat32();
        // f returns EAX = 0x01010101 once its imm32 is overwritten by four bytes of 0x01.
        run32(r, "call f\nmov ebx, eax\nmov edi, offset f + 1\nmov ecx, 4\nmov al, 1\nrep stosb\n"
                + "call f\ncli\nhlt\nf: mov eax, 0x55\nret");
        assertEquals(0x55, r.cpu.regs[Cpu.EBX]);
        assertEquals(0x01010101, r.cpu.regs[Cpu.EAX]);
    }
}
