package dev.jvmx.runtime.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ACPI Multiple APIC Description Table ("APIC", ACPI 6.5, 5.2.12): the local APIC address
 * and PC-AT compatibility flag, then the interrupt controller structures. {@link #build()}
 * returns the complete table, header and checksum included, ready to be placed in memory and
 * named by the RSDT/XSDT. {@link #forMachine(int)} is jvmx's own: one processor, the I/O APIC
 * at FEC00000h with GSI base 0, ISA IRQ0 on GSI 2, the SCI level-triggered active high, and
 * LINT1 as NMI on every processor, as QEMU's pc machine describes itself.
 */
public final class Madt {
    public static final int HEADER_SIZE = 36;
    public static final int REVISION = 1;
    public static final int PCAT_COMPAT = 1;

    /** MPS INTI flags (polarity bits 1:0, trigger mode bits 3:2). */
    public static final int CONFORMS = 0;
    public static final int ACTIVE_HIGH = 0x1, ACTIVE_LOW = 0x3;
    public static final int EDGE = 0x4, LEVEL = 0xC;

    private final ByteArrayOutputStream entries = new ByteArrayOutputStream();
    private long localApicAddress = 0xFEE00000L;
    private int flags = PCAT_COMPAT;
    private String oemId = "JVMX  ";
    private String oemTableId = "JVMXAPIC";
    private int oemRevision = 1;
    private String creatorId = "JVMX";
    private int creatorRevision = 1;

    /** jvmx's table: see the class comment. {@code sciIrq} is the ISA IRQ of the ACPI SCI (9 on QEMU), or -1. */
    public static byte[] forMachine(int sciIrq) {
        return forMachine(sciIrq, 1);
    }

    /** jvmx's table for {@code cpus} processors: processor UID i with APIC ID i, each enabled. */
    public static byte[] forMachine(int sciIrq, int cpus) {
        Madt m = new Madt();
        for (int i = 0; i < cpus; i++) {
            m.processor(i, i);
        }
        m.ioApic(0, 0xFEC00000L, 0).override(0, 2, CONFORMS);
        if (sciIrq >= 0) {
            m.override(sciIrq, sciIrq, LEVEL | ACTIVE_HIGH);
        }
        return m.localApicNmi(0xFF, CONFORMS, 1).build();
    }

    /** OEM ID (6 characters), OEM table ID (8) and OEM revision, to match the other tables. */
    public Madt oem(String id, String tableId, int revision) {
        this.oemId = id;
        this.oemTableId = tableId;
        this.oemRevision = revision;
        return this;
    }

    public Madt creator(String id, int revision) {
        this.creatorId = id;
        this.creatorRevision = revision;
        return this;
    }

    public Madt localApicAddress(long address, int flags) {
        this.localApicAddress = address;
        this.flags = flags;
        return this;
    }

    /** Processor Local APIC (type 0): ACPI processor UID, APIC ID, enabled. */
    public Madt processor(int uid, int apicId) {
        entries.write(0);
        entries.write(8);
        entries.write(uid);
        entries.write(apicId);
        le32(1);
        return this;
    }

    /** I/O APIC (type 1). */
    public Madt ioApic(int id, long address, int gsiBase) {
        entries.write(1);
        entries.write(12);
        entries.write(id);
        entries.write(0);
        le32((int) address);
        le32(gsiBase);
        return this;
    }

    /** Interrupt Source Override (type 2) on the ISA bus. */
    public Madt override(int isaIrq, int gsi, int intiFlags) {
        entries.write(2);
        entries.write(10);
        entries.write(0);
        entries.write(isaIrq);
        le32(gsi);
        le16(intiFlags);
        return this;
    }

    /** Local APIC NMI (type 4): processor UID (FFh: all), INTI flags, LINT pin. */
    public Madt localApicNmi(int uid, int intiFlags, int lint) {
        entries.write(4);
        entries.write(6);
        entries.write(uid);
        le16(intiFlags);
        entries.write(lint);
        return this;
    }

    private void le16(int v) {
        entries.write(v);
        entries.write(v >>> 8);
    }

    private void le32(int v) {
        le16(v);
        le16(v >>> 16);
    }

    public byte[] build() {
        byte[] body = entries.toByteArray();
        byte[] t = new byte[HEADER_SIZE + 8 + body.length];
        put(t, 0, "APIC", 4);
        putLe32(t, 4, t.length);
        t[8] = REVISION;
        put(t, 10, oemId, 6);
        put(t, 16, oemTableId, 8);
        putLe32(t, 24, oemRevision);
        put(t, 28, creatorId, 4);
        putLe32(t, 32, creatorRevision);
        putLe32(t, 36, (int) localApicAddress);
        putLe32(t, 40, flags);
        System.arraycopy(body, 0, t, HEADER_SIZE + 8, body.length);
        t[9] = checksum(t);
        return t;
    }

    /** The byte that makes a table's bytes sum to zero (computed with the checksum byte at 0). */
    public static byte checksum(byte[] t) {
        int sum = 0;
        for (byte b : t) {
            sum += b;
        }
        return (byte) -sum;
    }

    private static void put(byte[] t, int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            t[off + i] = i < b.length ? b[i] : (byte) ' ';
        }
    }

    private static void putLe32(byte[] t, int off, int v) {
        for (int i = 0; i < 4; i++) {
            t[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
