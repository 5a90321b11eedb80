package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.fuzz.MultibootImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jvmx.runtime.cli.TestImages.bytes;
import static dev.jvmx.runtime.cli.TestImages.concat;
import static dev.jvmx.runtime.cli.TestImages.le32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18's guests that starved the old run control (a check every 65,536 retired
 * instructions): each now ends at its timeout within a second of it, exit code 124, one last line.
 */
class RunControlTest {
    @TempDir
    Path tmp;

    private static final Pattern INSNS = Pattern.compile("after (\\d+) instructions");

    /**
     * The timeout of the starving guests: it counts from the process start, so it must leave the
     * guest time to run after the JVM has started and made the machine (a second or two on a
     * busy 2-core machine), or the test would check only the start-up.
     */
    private static final double GUEST_TIMEOUT = 3;

    /**
     * Runs jvmx as a process (the timeout counts from its start, as for a user) and checks the
     * exit code, the last line and the wall time against --timeout + 1 s; a run that timed out
     * must have run guest instructions (else it did not test the guest).
     */
    private JvmxRun.Result timed(double timeout, int code, String fragment, String... args) throws Exception {
        return timed(List.of(), timeout, code, fragment, args);
    }

    private JvmxRun.Result timed(List<String> jvmOptions, double timeout, int code, String fragment, String... args)
            throws Exception {
        String[] all = concatArgs(args, "--timeout", Double.toString(timeout));
        JvmxRun.Result r = JvmxRun.run(tmp, timeout + 30, jvmOptions, all);
        assertEquals(code, r.exitCode(), r.toString());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[lines.length - 1].contains(fragment), r.toString());
        assertTrue(r.seconds() <= timeout + 1.0, String.format("%.2f s with --timeout %.1f%n%s", r.seconds(), timeout, r));
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.toString());
        if (code == 124) {
            java.util.regex.Matcher m = INSNS.matcher(lines[lines.length - 1]);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "the guest never ran before the timeout: " + r);
        }
        return r;
    }

    private static String[] concatArgs(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Real mode: IVT[6] points at a UD2 (0000:0500), then UD2. Every #UD is delivered to a UD2;
     * real mode has no double fault for it, so no instruction ever retires again.
     */
    @Test
    void realModeFaultLoopEndsAtTheTimeout() throws Exception {
        Path rom = TestImages.rom(tmp, "udloop.rom", bytes(
                0x31, 0xC0,                               // xor ax, ax
                0x8E, 0xD8,                               // mov ds, ax
                0xB8, 0x00, 0x90,                         // mov ax, 0x9000
                0x8E, 0xD0,                               // mov ss, ax (the stack wraps in 9000:xxxx)
                0xBC, 0x00, 0x00,                         // mov sp, 0
                0xC7, 0x06, 0x00, 0x05, 0x0F, 0x0B,       // mov word [0x500], 0x0B0F (UD2)
                0xC7, 0x06, 0x18, 0x00, 0x00, 0x05,       // mov word [0x18], 0x0500  (IVT[6] offset)
                0xC7, 0x06, 0x1A, 0x00, 0x00, 0x00,       // mov word [0x1A], 0       (IVT[6] segment)
                0x0F, 0x0B));                             // ud2
        timed(GUEST_TIMEOUT, 124, "timeout after 3.0 s", "boot", "--serial", "none", "--bios", rom.toString());
    }

    /** A 32-bit kernel whose IDT sends #UD to a UD2, with 12 bytes pushed a fault and 64 MiB of stack. */
    static byte[] udLoopKernel(boolean sti, boolean irq0) {
        return udLoopKernel(sti, irq0, 0x4000000);
    }

    /** The same with the stack top at {@code esp} (each fault takes 12 bytes of it). */
    static byte[] udLoopKernel(boolean sti, boolean irq0, int esp) {
        return udLoopKernel(sti, irq0, esp, 0x04A9);
    }

    /** The same with the PIT's channel 0 counting {@code pitCount} (1193 is a millisecond). */
    static byte[] udLoopKernel(boolean sti, boolean irq0, int esp, int pitCount) {
        int base = MultibootImage.BODY;
        ByteBuffer b = ByteBuffer.allocate(88 + 0x21 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(bytes(0x0F, 0x01, 0x1D)).putInt(base + 80);         // lidt [idtr]
        b.put((byte) 0xBC).putInt(esp);                           // mov esp, esp
        // The 8259 pair at vectors 0x20/0x28 with only IRQ0 unmasked, and PIT channel 0 in mode 2
        // with count pitCount.
        int[][] outs = {{0x20, 0x11}, {0x21, 0x20}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11}, {0xA1, 0x28},
            {0xA1, 0x02}, {0xA1, 0x01}, {0x21, 0xFE}, {0xA1, 0xFF}, {0x43, 0x34}, {0x40, pitCount & 0xFF},
            {0x40, pitCount >>> 8 & 0xFF}};
        for (int[] o : outs) {
            if (irq0) {
                b.put(bytes(0xB0, o[1], 0xE6, o[0]));             // mov al, v; out port, al
            } else {
                b.put(bytes(0x90, 0x90, 0x90, 0x90));
            }
        }
        b.put(bytes(sti ? 0xFB : 0x90, 0x90));                    // 64: sti; nop (the STI shadow ends here)
        b.put(bytes(0x0F, 0x0B));                                 // 66: ud2: the #UD handler is this UD2 itself
        b.put(bytes(0xB0, 0x2A, 0xE6, 0xF4, 0xF4));               // 68: IRQ0 handler: out 0xF4, 0x2A (exit 85); hlt
        b.position(80);
        b.putShort((short) (0x21 * 8 - 1)).putInt(base + 88);     // IDTR: vectors 0..0x20
        gate(b, 88 + 6 * 8, base + 66, 0x8F);                     // #UD: 32-bit trap gate (IF stays as it was)
        gate(b, 88 + 0x20 * 8, base + 68, 0x8E);                  // IRQ0: 32-bit interrupt gate
        return b.array();
    }

    private static void gate(ByteBuffer b, int at, int offset, int type) {
        b.putShort(at, (short) offset).putShort(at + 2, (short) 0x08).put(at + 4, (byte) 0)
                .put(at + 5, (byte) type).putShort(at + 6, (short) (offset >>> 16));
    }

    /**
     * A stack of almost 512 MiB, 44 million faults: more than a fast host delivers before the
     * timeout (64 MiB ran out after 5.5 million in under 3 s, and the run ended in a triple fault).
     * The heap is what ./jvmx gives for -m 512.
     */
    @Test
    void protectedModeFaultLoopEndsAtTheTimeout() throws Exception {
        Path k = TestImages.kernel(tmp, "udloop.elf", udLoopKernel(false, false, 0x20000000 - 0x10000));
        timed(List.of("-Xmx" + BootCommand.suggestedHeapMiB(512) + "m"), GUEST_TIMEOUT, 124, "timeout after 3.0 s",
                "boot", "-m", "512", "--serial", "none", "--kernel", k.toString());
    }

    /**
     * The timer interrupt reaches a guest that only faults: with the host clock, and with the
     * virtual clock (faulting instructions count, so virtual time moves), the same way twice.
     * QEMU (-accel tcg) runs the same kernel to the same exit code 85.
     */
    @Test
    void timerInterruptReachesAFaultLoopInBothClocks() throws Exception {
        Path k = TestImages.kernel(tmp, "udirq.elf", udLoopKernel(true, true));
        timed(30, 85, "isa-debug-exit: exit code 85", "boot", "--serial", "none", "--kernel", k.toString());
        JvmxRun.Result a = timed(30, 85, "exit code 85", "boot", "--serial", "none", "--clock", "virtual", "--kernel", k.toString());
        JvmxRun.Result b = timed(30, 85, "exit code 85", "boot", "--serial", "none", "--clock", "virtual", "--kernel", k.toString());
        Matcher ma = INSNS.matcher(a.err());
        Matcher mb = INSNS.matcher(b.err());
        assertTrue(ma.find() && mb.find(), a.err() + b.err());
        assertEquals(ma.group(1), mb.group(1), "virtual-clock runs differ");
        // About a million instructions and faults: the PIT's first interrupt after 1 ms of virtual time at 1 ns each.
        assertTrue(Long.parseLong(ma.group(1)) > 900_000, a.err());
    }

    private Path stringKernel(String name, byte[] code) throws Exception {
        return TestImages.kernel(tmp, name, concat(code, bytes(0xF4)));
    }

    @Test
    void repStringInstructionsOverFourGigabytesEndAtTheTimeout() throws Exception {
        byte[] ecx = concat(bytes(0xB9), le32(-1));                    // mov ecx, 0xFFFFFFFF
        Path lods = stringKernel("lods.elf", concat(ecx, bytes(0xBE), le32(0), bytes(0xF3, 0xAC)));            // rep lodsb
        Path stos = stringKernel("stos.elf", concat(ecx, bytes(0xBF), le32(0x200000), bytes(0xF3, 0xAA)));     // rep stosb
        Path scas = stringKernel("scas.elf", concat(ecx, bytes(0xBF), le32(0x200000), bytes(0xB0, 0x55, 0xF2, 0xAE))); // repne scasb
        Path outs = stringKernel("outs.elf", concat(ecx, bytes(0xBE), le32(0), bytes(0xBA), le32(0x80), bytes(0xF3, 0x6E))); // rep outsb to 0x80
        Path ins = stringKernel("ins.elf", concat(ecx, bytes(0xBF), le32(0x200000), bytes(0xBA), le32(0x80), bytes(0xF3, 0x6C))); // rep insb
        for (Path k : new Path[] {lods, stos, scas, outs, ins}) {
            timed(GUEST_TIMEOUT, 124, "timeout after 3.0 s", "boot", "--serial", "none", "--kernel", k.toString());
        }
    }

    /** REP OUTSB to isa-debug-exit stops after its first byte (0x10: exit code 33), not 4 G bytes later. */
    @Test
    void repOutsToDebugExitStopsAtOnce() throws Exception {
        int data = MultibootImage.BODY + 32;
        byte[] code = concat(bytes(0xB9), le32(-1), bytes(0xBE), le32(data), bytes(0xBA), le32(0xF4), bytes(0xF3, 0x6E, 0xF4));
        byte[] body = new byte[33];
        System.arraycopy(code, 0, body, 0, code.length);
        body[32] = 0x10;
        Path k = TestImages.kernel(tmp, "outsexit.elf", body);
        JvmxRun.Result r = timed(30, 33, "isa-debug-exit: exit code 33", "boot", "--serial", "none", "--kernel", k.toString());
        // mov, mov, mov, and the REP OUTSB, which stopped unfinished after one byte (a chunk counts as one)
        assertTrue(r.err().contains("after 4 instructions"), r.err());
    }

    /**
     * 200,000 blocks of new code, then a copy of the sled onto itself (REP MOVSB, the same bytes),
     * which drops every translation of it, and back to its start: each pass decodes and
     * translates all of it again, however fast the host. The timeout is looked at between them.
     */
    @Test
    void codeNewInEveryBlockEndsAtTheTimeout() throws Exception {
        int blocks = 200_000;
        int len = blocks * 3;
        int base = MultibootImage.BODY;
        byte[] sled = new byte[len];
        for (int i = 0; i < blocks; i++) {
            sled[3 * i] = 0x40;                       // inc eax
            sled[3 * i + 1] = (byte) 0xEB;            // jmp short +0: the block ends here
        }
        byte[] again = concat(bytes(0xBE), le32(base), bytes(0x89, 0xF7),     // mov esi, sled; mov edi, esi
                bytes(0xB9), le32(len), bytes(0xFC, 0xF3, 0xA4));             // mov ecx, len; cld; rep movsb
        byte[] jmp = concat(bytes(0xE9), le32(-(len + again.length + 5)));    // jmp sled
        Path k = TestImages.kernel(tmp, "sled.elf", concat(sled, again, jmp));
        timed(GUEST_TIMEOUT, 124, "timeout after 3.0 s", "boot", "--serial", "none", "--kernel", k.toString());
    }

    /**
     * A serial client that connects and never reads: the guest writes to COM1 as fast as it can,
     * the run still ends at the timeout, and the last line counts what was dropped.
     */
    @Test
    void silentSerialClientNeverStallsTheGuest() throws Exception {
        Path k = TestImages.kernel(tmp, "spam.elf", bytes(
                0xBA, 0xF8, 0x03, 0x00, 0x00,   // mov edx, 0x3F8
                0xB0, 0x41,                     // mov al, 'A'
                0xEE,                           // out dx, al
                0xEB, 0xFD));                   // jmp back to the OUT
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path out = tmp.resolve("spam.out");
        Path err = tmp.resolve("spam.err");
        JvmxRun p = JvmxRun.start(out, err, false, java.util.List.of(),
                "boot", "-serial", "tcp:127.0.0.1:" + port + ",server,nowait", "--kernel", k.toString(), "--timeout", "4");
        Socket client = null;
        for (int i = 0; i < 2000 && client == null && p.process.isAlive(); i++) {
            try {
                client = new Socket();
                client.setReceiveBufferSize(4096);
                client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                client = null;
                Thread.sleep(10);
            }
        }
        int code;
        try (Socket c = client) {
            assertTrue(c != null, "could not connect to the serial port: " + JvmxRun.read(err));
            code = p.waitFor(30);
        }
        String e = JvmxRun.read(err);
        assertEquals(124, code, e);
        assertTrue(p.seconds() <= 5.0, p.seconds() + " s\n" + e);
        assertTrue(e.matches("(?s).*timeout after 4\\.0 s after \\d+ instructions; \\d+ bytes of -serial output dropped \\(the client did not read them\\).*"), e);
    }
}
