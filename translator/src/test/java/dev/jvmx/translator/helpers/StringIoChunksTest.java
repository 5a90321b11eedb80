package dev.jvmx.translator.helpers;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * REP INS/OUTS run in chunks of {@link StringOps#IO_CHUNK} elements and stop between two
 * elements when a device raised a request; the instruction then resumes where it stopped (SDM
 * Vol. 2, REP: an interrupted repeat resumes with the registers at its progress), so the data
 * and the registers are those of one uninterrupted run.
 */
class StringIoChunksTest {
    private static final int N = 10_000;
    private static final int BUF = 0x20000;

    /**
     * A bare machine in flat 32-bit mode whose port answers IN with 0, 1, 2, ... and records
     * OUT; it asks to stop once, after element {@code stopAfter}.
     */
    static final class Device extends BareMachine {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long stopAfter;
        int next;
        long count;

        Device(int tier, long stopAfter) {
            this.stopAfter = stopAfter;
            useTier(tier);
            resetFlat32(CODE_BASE, STACK_TOP);
        }

        private void counted() {
            if (++count == stopAfter) {
                loop.requestStop(StopReason.of(StopReason.Kind.USER_QUIT, "test stop"));
            }
        }

        @Override
        public int ioIn(Cpu cpu) {
            counted();
            return next++ & 0xFF;
        }

        @Override
        public void ioOut(Cpu cpu, int value) {
            counted();
            out.write(value);
        }
    }

    private static byte[] code(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] le(int v) {
        return code(v, v >> 8, v >> 16, v >>> 24);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** mov ecx, N; mov esi/edi, BUF; mov edx, 0xE9; rep outsb|insb; hlt. */
    private static byte[] program(boolean in) {
        return cat(code(0xB9), le(N), code(in ? 0xBF : 0xBE), le(BUF), code(0xBA), le(0xE9),
                code(0xF3, in ? 0x6C : 0x6E, 0xF4));
    }

    private static byte[] pattern() {
        byte[] p = new byte[N];
        for (int i = 0; i < N; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    @Test
    void repOutsbAcrossChunksSendsEveryByteOnce() {
        for (int tier : BareMachine.TIERS) {
            Device d = new Device(tier, -1);
            d.load(BUF, pattern());
            StopReason s = d.run(program(false));
            assertEquals(StopReason.Kind.HALTED, s.kind, s.message);
            assertArrayEquals(pattern(), d.out.toByteArray(), "tier " + tier);
            assertEquals(0, d.cpu.regs[Cpu.ECX]);
            assertEquals(BUF + N, d.cpu.regs[Cpu.ESI]);
            // mov, mov, mov, two unfinished chunks (4096 + 4096), the last chunk, hlt.
            assertEquals(3 + 2 + 1 + 1, d.cpu.instructions, "tier " + tier);
        }
    }

    @Test
    void repInsbAcrossChunksStoresEveryByteOnce() {
        for (int tier : BareMachine.TIERS) {
            Device d = new Device(tier, -1);
            StopReason s = d.run(program(true));
            assertEquals(StopReason.Kind.HALTED, s.kind, s.message);
            for (int i = 0; i < N; i++) {
                assertEquals(i & 0xFF, d.memory.read8(BUF + i), "tier " + tier + ", byte " + i);
            }
            assertEquals(0, d.memory.read8(BUF + N));
            assertEquals(0, d.cpu.regs[Cpu.ECX]);
            assertEquals(BUF + N, d.cpu.regs[Cpu.EDI]);
        }
    }

    /** A request raised by the 5000th element stops the REP right after it; running again finishes it exactly. */
    @Test
    void aRequestStopsTheRepBetweenElementsAndItResumes() {
        for (int tier : BareMachine.TIERS) {
            Device d = new Device(tier, 5000);
            d.load(BUF, pattern());
            StopReason s = d.run(program(false));
            assertEquals(StopReason.Kind.USER_QUIT, s.kind, s.message);
            assertEquals(N - 5000, d.cpu.regs[Cpu.ECX]);
            assertEquals(BUF + 5000, d.cpu.regs[Cpu.ESI]);
            assertEquals(5000, d.out.size());
            assertEquals(BareMachine.CODE_BASE + 15, d.cpu.eip); // still at the REP OUTSB (after three 5-byte MOVs)
            s = d.run();
            assertEquals(StopReason.Kind.HALTED, s.kind, s.message);
            assertArrayEquals(pattern(), d.out.toByteArray(), "tier " + tier);
            assertEquals(0, d.cpu.regs[Cpu.ECX]);
        }
    }

    /** With a 16-bit address size the count is CX: the chunks stop at CX = 0 and leave ECX's high half alone. */
    @Test
    void addressSize16CountsInCx() {
        Device d = new Device(2, -1);
        d.load(BUF, pattern());
        // mov ecx, 0xABCD0000 + N; mov esi, BUF; mov edx, 0xE9; a32-off: 67 F3 6E = rep outsb with SI
        byte[] prog = cat(code(0xB9), le(0xABCD0000 + N), code(0xBE), le(BUF), code(0xBA), le(0xE9),
                code(0x67, 0xF3, 0x6E, 0xF4));
        StopReason s = d.run(prog);
        assertEquals(StopReason.Kind.HALTED, s.kind, s.message);
        assertEquals(0xABCD0000, d.cpu.regs[Cpu.ECX]);
        assertEquals(N, d.out.size());
        assertEquals((BUF & 0xFFFF0000) | ((BUF + N) & 0xFFFF), d.cpu.regs[Cpu.ESI]);
    }
}
