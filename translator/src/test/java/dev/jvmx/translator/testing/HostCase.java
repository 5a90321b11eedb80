package dev.jvmx.translator.testing;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.fpu.FpuImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A case of the host-CPU fuzzer (module cputest) as a unit test: the tests a fuzzer mismatch
 * prints call {@link #run} with the case's initial state and IA-32 lines, then {@link #expect}
 * with the state the host CPU left. The buffer sits at {@link #BUF}, where the fuzzer's native
 * programs keep it (EBP points at it, ESP into it).
 */
public final class HostCase {
    public static final int BUF = 0x300000;
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

    private HostCase() { }

    /** Runs GNU as (AT&T) lines from EAX..EDI = {@code regs}, {@code eflags} and the buffer, up to a HLT after them. */
    public static GuestRunner run(int[] regs, int eflags, String bufHex, String... lines) {
        GuestRunner r = GuestRunner.flat32();
        r.load(BUF, bytes(bufHex));
        for (int i = 0; i < 8; i++) {
            r.cpu.setReg32(i, regs[i]);
        }
        r.cpu.setEflags(eflags);
        r.expectHalt(r.run(Asm.assemble32(".att_syntax prefix\n" + String.join("\n", lines) + "\nhlt")));
        return r;
    }

    /** As {@link #run}, with the FPU state first loaded from an FRSTOR image (32-bit protected-mode format, hex). */
    public static GuestRunner runX87(int[] regs, int eflags, String bufHex, String fpuHex, String... lines) {
        GuestRunner r = GuestRunner.flat32();
        r.load(BUF, bytes(bufHex));
        for (int i = 0; i < 8; i++) {
            r.cpu.setReg32(i, regs[i]);
        }
        r.cpu.setEflags(eflags);
        FpuImage.restore(r.cpu.fpu, bytes(fpuHex), 0, true, false);
        r.expectHalt(r.run(Asm.assemble32(".att_syntax prefix\n" + String.join("\n", lines) + "\nhlt")));
        return r;
    }

    /**
     * As {@link #expect}, and the FNSAVE image the host CPU stored (hex), but for its pointers
     * (bytes 12-27: FIP is the host program's address, FCS FOP FDP FDS are not recorded by it).
     */
    public static void expectX87(GuestRunner r, int[] regs, int eflags, int flagMask, String bufHex, String fpuHex) {
        expect(r, regs, eflags, flagMask, bufHex);
        byte[] want = bytes(fpuHex);
        byte[] got = new byte[want.length];
        FpuImage.writeSave(r.cpu.fpu, got, 0, true, false);
        for (int b = 0; b < want.length; b++) {
            if (b < 12 || b >= 28) {
                assertEquals(String.format("%02x", want[b] & 0xFF), String.format("%02x", got[b] & 0xFF),
                        String.format("FNSAVE image byte %d", b));
            }
        }
    }

    /** The registers, EFLAGS (the bits in {@code flagMask}) and the buffer the host CPU ended with. */
    public static void expect(GuestRunner r, int[] regs, int eflags, int flagMask, String bufHex) {
        Cpu c = r.cpu;
        for (int i = 0; i < 8; i++) {
            assertEquals(String.format("%08x", regs[i]), String.format("%08x", c.getReg32(i)), R32[i]);
        }
        assertEquals(String.format("%08x", eflags & flagMask), String.format("%08x", c.getEflags() & flagMask),
                String.format("eflags (bits %03x)", flagMask));
        byte[] want = bytes(bufHex);
        for (int b = 0; b < want.length; b++) {
            assertEquals(String.format("%02x", want[b] & 0xFF), String.format("%02x", r.memory.read8(BUF + b)),
                    String.format("buffer byte %03x", b));
        }
    }

    private static byte[] bytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
