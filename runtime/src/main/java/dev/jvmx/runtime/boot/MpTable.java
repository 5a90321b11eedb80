package dev.jvmx.runtime.boot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The MP tables of the Intel MultiProcessor Specification 1.4 (chapter 4) for jvmx's board,
 * written for guests that boot without firmware (SeaBIOS builds its own from fw_cfg): a
 * 16-byte floating pointer ("_MP_") and the configuration table ("PCMP") right after it, with
 * one processor entry (the BSP), a PCI bus (0) and an ISA bus (1), the I/O APIC, an I/O
 * interrupt assignment for each ISA IRQ but the cascade (IRQ0 on INTIN2, the others on their own
 * number; the 8259's output is not wired to the I/O APIC), and the local interrupts: ExtINT on
 * the BSP's LINT0, NMI on every LINT1. The
 * feature bytes say virtual-wire mode (no IMCR). Linux looks for the floating pointer in the
 * last KiB of base memory, where {@link #BASE} puts it.
 */
public final class MpTable {
    /** 639 KiB: the last KiB of base memory, which the memory map reports as reserved. */
    public static final int BASE = 0x9FC00;
    public static final int LIMIT = 0x400;

    static final int PROCESSOR = 0, BUS = 1, IO_APIC = 2, IO_INTERRUPT = 3, LOCAL_INTERRUPT = 4;
    static final int INT = 0, NMI = 1, EXTINT = 3;
    static final int ISA_BUS = 1, PCI_BUS = 0;
    /** MPS INTI flags: polarity bits 1:0 and trigger mode bits 3:2 (01 high/edge, 11 low/level). */
    static final int LEVEL_ACTIVE_HIGH = 0xD;

    private MpTable() { }

    /**
     * Floating pointer and configuration table for a table placed at {@code base}. {@code cpuSignature}
     * and {@code featureFlags} are CPUID.1 EAX and EDX; {@code levelIrqs} the ISA IRQs that are
     * level-triggered, active high (bit n for IRQ n; the ACPI SCI).
     */
    public static byte[] build(int base, int localApicVersion, int cpuSignature, int featureFlags,
                               int ioApicId, int ioApicVersion, int levelIrqs) {
        return build(base, localApicVersion, cpuSignature, featureFlags, ioApicId, ioApicVersion, levelIrqs, 1);
    }

    /** The same for {@code cpus} processors, APIC IDs 0..cpus-1, the first the bootstrap processor. */
    public static byte[] build(int base, int localApicVersion, int cpuSignature, int featureFlags,
                               int ioApicId, int ioApicVersion, int levelIrqs, int cpus) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int count = 0;
        for (int i = 0; i < cpus; i++) {
            // Processor: its APIC ID, enabled (bit 0), the bootstrap processor (bit 1) for the first.
            e.write(PROCESSOR);
            e.write(i);
            e.write(localApicVersion);
            e.write(i == 0 ? 0x03 : 0x01);
            le32(e, cpuSignature);
            le32(e, featureFlags);
            le32(e, 0);
            le32(e, 0);
            count++;
        }
        count += bus(e, PCI_BUS, "PCI");
        count += bus(e, ISA_BUS, "ISA");
        e.write(IO_APIC);
        e.write(ioApicId);
        e.write(ioApicVersion);
        e.write(0x01);
        le32(e, 0xFEC00000);
        count++;
        for (int irq = 0; irq < 16; irq++) {
            if (irq == 2) {
                continue; // the cascade: no device behind it
            }
            int flags = (levelIrqs & (1 << irq)) != 0 ? LEVEL_ACTIVE_HIGH : 0;
            count += ioInterrupt(e, INT, flags, irq, ioApicId, irq == 0 ? 2 : irq);
        }
        count += localInterrupt(e, EXTINT, 0, 0);   // the 8259 on the BSP's LINT0
        count += localInterrupt(e, NMI, 0xFF, 1);   // NMI on every processor's LINT1
        byte[] entries = e.toByteArray();

        byte[] t = new byte[16 + 44 + entries.length];
        // Floating pointer structure.
        put(t, 0, "_MP_", 4);
        putLe32(t, 4, base + 16);
        t[8] = 1;    // length in 16-byte units
        t[9] = 4;    // specification revision 1.4
        t[11] = 0;   // feature 1: a configuration table is present
        t[12] = 0;   // feature 2: IMCRP clear, virtual-wire mode
        t[10] = checksum(t, 0, 16);
        // Configuration table header.
        int h = 16;
        put(t, h, "PCMP", 4);
        putLe16(t, h + 4, 44 + entries.length);
        t[h + 6] = 4;
        put(t, h + 8, "JVMX", 8);
        put(t, h + 16, "PC", 12);
        putLe16(t, h + 34, count);
        putLe32(t, h + 36, 0xFEE00000);
        System.arraycopy(entries, 0, t, h + 44, entries.length);
        t[h + 7] = checksum(t, h, 44 + entries.length);
        return t;
    }

    private static int bus(ByteArrayOutputStream e, int id, String type) {
        e.write(BUS);
        e.write(id);
        byte[] b = (type + "      ").substring(0, 6).getBytes(StandardCharsets.US_ASCII);
        e.write(b, 0, 6);
        return 1;
    }

    private static int ioInterrupt(ByteArrayOutputStream e, int type, int flags, int srcIrq, int apic, int intin) {
        e.write(IO_INTERRUPT);
        e.write(type);
        e.write(flags);
        e.write(flags >>> 8);
        e.write(ISA_BUS);
        e.write(srcIrq);
        e.write(apic);
        e.write(intin);
        return 1;
    }

    private static int localInterrupt(ByteArrayOutputStream e, int type, int apic, int lint) {
        e.write(LOCAL_INTERRUPT);
        e.write(type);
        e.write(0);
        e.write(0);
        e.write(ISA_BUS);
        e.write(0);
        e.write(apic);
        e.write(lint);
        return 1;
    }

    private static void le32(ByteArrayOutputStream e, int v) {
        for (int i = 0; i < 4; i++) {
            e.write(v >>> (8 * i));
        }
    }

    private static void put(byte[] t, int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            t[off + i] = i < b.length ? b[i] : (byte) ' ';
        }
    }

    private static void putLe16(byte[] t, int off, int v) {
        t[off] = (byte) v;
        t[off + 1] = (byte) (v >>> 8);
    }

    private static void putLe32(byte[] t, int off, int v) {
        putLe16(t, off, v);
        putLe16(t, off + 2, v >>> 16);
    }

    private static byte checksum(byte[] t, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += t[i];
        }
        return (byte) -sum;
    }
}
