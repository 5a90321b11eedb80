package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * INS and OUTS exits write the VM-exit instruction information and the guest-linear address of
 * the element (SDM Vol. 3C, 27.2.1 and the table "Format of the VM-Exit Instruction-Information
 * Field as Used for INS and OUTS": address size in bits 9:7, 0 for 16-bit and 1 for 32-bit; the
 * segment register in bits 17:15, 0 ES ... 3 DS, 4 FS). Expected words worked by hand; both tiers.
 */
class StringIoExitInfoTest {
    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** {instruction information, guest-linear address} of each I/O exit, read in the handler. */
    private static List<long[]> run(GuestRunner r, String code) {
        List<long[]> seen = new ArrayList<>();
        r.cpu.exitHandler = new VmExitHandler() {
            @Override public int ioIn(Cpu c) {
                seen.add(new long[] {c.exit.instructionInfo(), c.exit.guestLinearAddress()});
                return 0;
            }
            @Override public void ioOut(Cpu c, int value) {
                seen.add(new long[] {c.exit.instructionInfo(), c.exit.guestLinearAddress()});
            }
            @Override public void exit(Cpu c) { r.exit(c); }
            @Override public int portRead(Cpu c, int port, int size) { return 0; }
            @Override public void portWrite(Cpu c, int port, int size, int value) { }
        };
        r.expectHalt(r.run(Asm.assemble32(code + "\ncli\nhlt")));
        return seen;
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void outsThroughDsWith32BitAddresses(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.useTier(tier);
        List<long[]> x = run(r, "mov dx, 0x80\nmov esi, 0x2000\nmov ecx, 2\nrep outsb");
        assertEquals(2, x.size());
        // 32-bit (1 << 7) | DS (3 << 15) = 0x18080; the elements at 2000h and 2001h.
        assertEquals(0x18080, x.get(0)[0]);
        assertEquals(0x2000, x.get(0)[1]);
        assertEquals(0x2001, x.get(1)[1]);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void outsWithASegmentOverride(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.useTier(tier);
        r.cpu.seg[Seg.FS].set(0x10, 0x10000, 0xFFFFFFFF, r.cpu.seg[Seg.DS].access);
        List<long[]> x = run(r, "mov dx, 0x80\nmov esi, 0x2000\nouts dx, dword ptr fs:[esi]");
        // 32-bit (1 << 7) | FS (4 << 15) = 0x20080; FS base 10000h + 2000h.
        assertEquals(0x20080, x.get(0)[0]);
        assertEquals(0x12000, x.get(0)[1]);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void insWith16BitAddressesWritesThroughEs(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.useTier(tier);
        r.cpu.seg[Seg.ES].set(0x10, 0x20000, 0xFFFFFFFF, r.cpu.seg[Seg.DS].access);
        // 67h: 16-bit addressing, so DI alone (3000h) addresses the element: ES base 20000h + 3000h.
        List<long[]> x = run(r, "mov dx, 0x80\nmov edi, 0x55553000\n.byte 0x67\ninsw");
        assertEquals(0, x.get(0)[0], "16-bit (0 << 7), ES (0 << 15)");
        assertEquals(0x23000, x.get(0)[1]);
    }
}
