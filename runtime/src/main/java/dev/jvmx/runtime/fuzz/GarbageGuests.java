package dev.jvmx.runtime.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Guests made of random bytes, each from its own seed so that any one is made again from
 * (seed, index): ROMs at the reset vector (pure noise, or a far jump into noise), and Multiboot
 * kernels whose entry jumps into noise, with no IDT or with an IDT whose 256 gates point into
 * the noise, with interrupts disabled or enabled.
 */
public final class GarbageGuests {
    /** The shapes of guest made. */
    public enum Kind { ROM_NOISE, ROM_JUMP, KERNEL_NO_IDT, KERNEL_IDT, KERNEL_IDT_STI }

    /** One guest: a ROM (for --bios) or an ELF file (for --kernel). */
    public record Guest(long index, Kind kind, byte[] image) {
        public boolean isKernel() {
            return kind.ordinal() >= Kind.KERNEL_NO_IDT.ordinal();
        }
    }

    static final int ROM_SIZE = 64 * 1024;
    private static final int NOISE = 16 * 1024;
    /** Offsets in the kernel body: the code at 0, then the IDTR, the IDT and the noise. */
    private static final int IDTR_OFF = 32, IDT_OFF = 40, NOISE_OFF = 4096;

    private GarbageGuests() { }

    /** Guest number {@code index} of the run with {@code seed}. */
    public static Guest make(long seed, long index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        return new Guest(index, kind, switch (kind) {
            case ROM_NOISE -> noise(r, ROM_SIZE);
            case ROM_JUMP -> romJump(r);
            case KERNEL_NO_IDT -> kernel(r, false, false);
            case KERNEL_IDT -> kernel(r, true, false);
            case KERNEL_IDT_STI -> kernel(r, true, true);
        });
    }

    private static byte[] noise(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Noise, with JMP FAR F000:random at the reset vector (F000:FFF0). */
    private static byte[] romJump(SplittableRandom r) {
        byte[] rom = noise(r, ROM_SIZE);
        int target = r.nextInt(0xFFF0);
        rom[0xFFF0] = (byte) 0xEA;
        rom[0xFFF1] = (byte) target;
        rom[0xFFF2] = (byte) (target >> 8);
        rom[0xFFF3] = 0x00;
        rom[0xFFF4] = (byte) 0xF0;
        return rom;
    }

    /**
     * A Multiboot kernel ({@link MultibootImage}) whose body is: [LIDT [idtr]] [STI] JMP into
     * the noise; the IDTR and a 256-gate IDT follow the code, the noise follows the IDT.
     */
    private static byte[] kernel(SplittableRandom r, boolean idt, boolean sti) {
        ByteBuffer b = ByteBuffer.allocate(NOISE_OFF + NOISE).order(ByteOrder.LITTLE_ENDIAN);
        int base = MultibootImage.BODY;
        int p = 0;
        if (idt) {
            b.put(p++, (byte) 0x0F).put(p++, (byte) 0x01).put(p++, (byte) 0x1D).putInt(p, base + IDTR_OFF);
            p += 4;
        }
        if (sti) {
            b.put(p++, (byte) 0xFB);
        }
        int target = base + NOISE_OFF + r.nextInt(NOISE);
        b.put(p, (byte) 0xE9).putInt(p + 1, target - (base + p + 5));
        b.putShort(IDTR_OFF, (short) (256 * 8 - 1)).putInt(IDTR_OFF + 2, base + IDT_OFF);
        for (int v = 0; v < 256; v++) {
            int handler = base + NOISE_OFF + r.nextInt(NOISE);
            int type = r.nextInt(8) == 0 ? 0xEF : 0x8E; // now and then a DPL 3 trap gate, else a ring 0 interrupt gate
            int e = IDT_OFF + v * 8;
            b.putShort(e, (short) handler).putShort(e + 2, (short) 0x08).put(e + 4, (byte) 0)
                    .put(e + 5, (byte) type).putShort(e + 6, (short) (handler >>> 16));
        }
        b.put(NOISE_OFF, noise(r, NOISE), 0, NOISE);
        return MultibootImage.of(b.array());
    }
}
