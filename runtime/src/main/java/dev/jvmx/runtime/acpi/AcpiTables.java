package dev.jvmx.runtime.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's ACPI tables (ACPI 6.5 chapter 5, in the ACPI 2.0 shapes an i440FX/PIIX4 PC
 * had): RSDP (revision 0) -> RSDT -> FADT (revision 3) -> FACS and DSDT, plus any table added
 * with {@link #addTable} (the MADT, once the machine has an APIC). They are laid out as QEMU
 * lays out its own: "etc/acpi/rsdp" in the F-segment and "etc/acpi/tables" (FACS first, 64-byte
 * aligned) in high memory, with {@link BiosLinker} commands for every pointer and checksum.
 *
 * <p>The FADT describes the PIIX4 PM registers ({@code devices.acpi.PmRegisters}) at the PM
 * base, SCI on IRQ 9, no SMI command port (the machine is in ACPI mode from reset), no GPE
 * block, C2/C3 absent, the RTC century register, the 8042 and legacy devices, and the reset
 * register (port 0xCF9, value 6: the PIIX reset control's hard CPU reset). The DSDT holds the
 * two sleeping states the PM registers implement, in the PIIX4's SLP_TYP encoding (as QEMU's
 * i440FX DSDT has them): {@code \_S3} (suspend to RAM) is 1 and {@code \_S5} (soft off) 0.
 */
public final class AcpiTables {
    public static final String RSDP_FILE = "etc/acpi/rsdp";
    public static final String TABLES_FILE = "etc/acpi/tables";
    public static final String OEM_ID = "JVMX  ";
    public static final String OEM_TABLE_ID = "JVMXPC  ";
    public static final String CREATOR_ID = "JVMX";
    public static final int HEADER_SIZE = 36;
    public static final int SCI_IRQ = 9;
    public static final int RESET_PORT = 0xCF9, RESET_VALUE = 0x06;
    public static final int RTC_CENTURY = 0x32;
    public static final int FADT_SIZE = 244;
    /** The FACS is the first table of "etc/acpi/tables" (its 64-byte alignment is the file's). */
    public static final int FACS_OFFSET = 0;

    // FADT offsets (ACPI 2.0, revision 3).
    static final int FADT_FIRMWARE_CTRL = 36, FADT_DSDT = 40, FADT_SCI_INT = 46, FADT_PM1A_EVT = 56, FADT_PM1A_CNT = 64,
            FADT_PM_TMR = 76, FADT_PM1_EVT_LEN = 88, FADT_PM1_CNT_LEN = 89, FADT_PM_TMR_LEN = 91, FADT_P_LVL2_LAT = 96,
            FADT_P_LVL3_LAT = 98, FADT_CENTURY = 108, FADT_IAPC_BOOT_ARCH = 109, FADT_FLAGS = 112, FADT_RESET_REG = 116,
            FADT_RESET_VALUE = 128;
    // FADT flags.
    static final int WBINVD = 1, PROC_C1 = 1 << 2, PWR_BUTTON = 1 << 4, SLP_BUTTON = 1 << 5, FIX_RTC = 1 << 6,
            RESET_REG_SUP = 1 << 10;
    // IAPC_BOOT_ARCH.
    static final int LEGACY_DEVICES = 1, I8042 = 2;

    private final int pmBase;
    private final List<byte[]> extra = new ArrayList<>();

    /** Tables for PM registers at I/O port {@code pmBase} (PM1a event +0, PM1a control +4, PM timer +8). */
    public AcpiTables(int pmBase) {
        this.pmBase = pmBase;
    }

    /**
     * Adds a complete table (36-byte header first; signature, length and revision filled in, the
     * checksum byte is set when the tables are linked) to the RSDT, after the FADT. This is where
     * the machine's MADT goes once it has a local APIC and an I/O APIC.
     */
    public void addTable(byte[] table) {
        if (table.length < HEADER_SIZE || le32(table, 4) != table.length) {
            throw new IllegalArgumentException("an ACPI table starts with a 36-byte header whose length field is the table's size");
        }
        extra.add(table.clone());
    }

    /** A standard description header (ACPI 6.5, 5.2.6) for a table of {@code length} bytes; checksum 0. */
    public static byte[] header(String signature, int length, int revision) {
        byte[] t = new byte[length];
        put(t, 0, signature);
        put32(t, 4, length);
        t[8] = (byte) revision;
        put(t, 10, OEM_ID);
        put(t, 16, OEM_TABLE_ID);
        put32(t, 24, 1);           // OEM revision
        put(t, 28, CREATOR_ID);
        put32(t, 32, 1);           // creator revision
        return t;
    }

    /**
     * QEMU hands its firmware "etc/acpi/tables" padded to 128 KiB (its ACPI_BUILD_TABLE_SIZE);
     * the firmware reserves what it allocates at the top of RAM, so with the same padding the
     * firmware's memory map, and what a loader places under it, are QEMU's.
     */
    public static final int FIRMWARE_TABLES_SIZE = 0x20000;

    /** The fw_cfg files for a firmware: the tables file padded to {@link #FIRMWARE_TABLES_SIZE}. */
    public static Map<String, byte[]> firmwareFiles(BiosLinker linker) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : linker.files().entrySet()) {
            byte[] b = f.getValue();
            files.put(f.getKey(), f.getKey().equals(TABLES_FILE) && b.length < FIRMWARE_TABLES_SIZE
                    ? java.util.Arrays.copyOf(b, FIRMWARE_TABLES_SIZE) : b);
        }
        return files;
    }

    /** Lays the tables out as the two fw_cfg files with the commands that link them. */
    public BiosLinker link() {
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        List<int[]> checksummed = new ArrayList<>(); // {offset, length}
        int facs = append(tables, facs(), 64); // at FACS_OFFSET
        int dsdt = append(tables, dsdt(), 4);
        checksummed.add(new int[] {dsdt, tables.size() - dsdt});
        int fadt = append(tables, fadt(), 4);
        checksummed.add(new int[] {fadt, FADT_SIZE});
        List<Integer> rsdtEntries = new ArrayList<>();
        rsdtEntries.add(fadt);
        for (byte[] t : extra) {
            int at = append(tables, t, 4);
            checksummed.add(new int[] {at, t.length});
            rsdtEntries.add(at);
        }
        byte[] rsdtBytes = header("RSDT", HEADER_SIZE + 4 * rsdtEntries.size(), 1);
        for (int i = 0; i < rsdtEntries.size(); i++) {
            put32(rsdtBytes, HEADER_SIZE + 4 * i, rsdtEntries.get(i)); // offsets: ADD_POINTER makes them addresses
        }
        int rsdt = append(tables, rsdtBytes, 4);
        checksummed.add(new int[] {rsdt, rsdtBytes.length});
        byte[] all = tables.toByteArray();
        // Pointers inside the tables file hold offsets in it until linked.
        put32(all, fadt + FADT_FIRMWARE_CTRL, facs);
        put32(all, fadt + FADT_DSDT, dsdt);

        byte[] rsdp = new byte[20];
        put(rsdp, 0, "RSD PTR ");
        put(rsdp, 9, OEM_ID);
        rsdp[15] = 0;                  // revision 0: ACPI 1.0 RSDP, RSDT only
        put32(rsdp, 16, rsdt);

        BiosLinker l = new BiosLinker();
        l.allocate(RSDP_FILE, rsdp, 16, BiosLinker.ZONE_FSEG);
        l.allocate(TABLES_FILE, all, 64, BiosLinker.ZONE_HIGH);
        l.addPointer(TABLES_FILE, fadt + FADT_FIRMWARE_CTRL, 4, TABLES_FILE);
        l.addPointer(TABLES_FILE, fadt + FADT_DSDT, 4, TABLES_FILE);
        for (int i = 0; i < rsdtEntries.size(); i++) {
            l.addPointer(TABLES_FILE, rsdt + HEADER_SIZE + 4 * i, 4, TABLES_FILE);
        }
        for (int[] c : checksummed) {
            l.addChecksum(TABLES_FILE, c[0] + 9, c[0], c[1]);
        }
        l.addPointer(RSDP_FILE, 16, 4, TABLES_FILE);
        l.addChecksum(RSDP_FILE, 8, 0, 20);
        return l;
    }

    private static int append(ByteArrayOutputStream out, byte[] t, int align) {
        while (out.size() % align != 0) {
            out.write(0);
        }
        int at = out.size();
        out.writeBytes(t);
        return at;
    }

    /**
     * The HPET description table (IA-PC HPET Specification 1.0a, 3.2.4): the event timer block's
     * ID (the low half of its capabilities register), its base address in system memory, HPET
     * number 0, no minimum periodic tick and no page protection.
     */
    public static byte[] hpet(long capabilities, long base) {
        byte[] t = header("HPET", 56, 1);
        put32(t, 36, (int) capabilities);
        t[40] = 0;            // address space: system memory
        t[41] = 64;           // register bit width
        put32(t, 44, (int) base);
        put32(t, 48, (int) (base >>> 32));
        return t;
    }

    /** FACS (ACPI 6.5, 5.2.10), version 1, 64 bytes; it has no checksum. */
    static byte[] facs() {
        byte[] t = new byte[64];
        put(t, 0, "FACS");
        put32(t, 4, 64);
        t[32] = 1; // version
        return t;
    }

    /**
     * DSDT: \_S3 = {SLP_TYPa 1, SLP_TYPb 1, reserved, reserved} and \_S5 = {0, 0, ...}.
     * Revision 1: 32-bit integers.
     */
    static byte[] dsdt() {
        byte[] aml = Aml.concat(
                Aml.name("\\_S3", Aml.pkg(Aml.integer(1), Aml.integer(1), Aml.integer(0), Aml.integer(0))),
                Aml.name("\\_S5", Aml.pkg(Aml.integer(0), Aml.integer(0), Aml.integer(0), Aml.integer(0))));
        byte[] t = header("DSDT", HEADER_SIZE + aml.length, 1);
        System.arraycopy(aml, 0, t, HEADER_SIZE, aml.length);
        return t;
    }

    byte[] fadt() {
        byte[] t = header("FACP", FADT_SIZE, 3);
        put16(t, FADT_SCI_INT, SCI_IRQ);
        put32(t, FADT_PM1A_EVT, pmBase);
        put32(t, FADT_PM1A_CNT, pmBase + 4);
        put32(t, FADT_PM_TMR, pmBase + 8);
        t[FADT_PM1_EVT_LEN] = 4;
        t[FADT_PM1_CNT_LEN] = 2;
        t[FADT_PM_TMR_LEN] = 4;
        put16(t, FADT_P_LVL2_LAT, 101);   // > 100: no C2
        put16(t, FADT_P_LVL3_LAT, 1001);  // > 1000: no C3
        t[FADT_CENTURY] = RTC_CENTURY;
        put16(t, FADT_IAPC_BOOT_ARCH, LEGACY_DEVICES | I8042);
        put32(t, FADT_FLAGS, WBINVD | PROC_C1 | PWR_BUTTON | SLP_BUTTON | FIX_RTC | RESET_REG_SUP);
        // RESET_REG: Generic Address Structure, system I/O, 8 bits at offset 0, byte access.
        t[FADT_RESET_REG] = 1;
        t[FADT_RESET_REG + 1] = 8;
        t[FADT_RESET_REG + 2] = 0;
        t[FADT_RESET_REG + 3] = 1;
        put32(t, FADT_RESET_REG + 4, RESET_PORT);
        t[FADT_RESET_VALUE] = RESET_VALUE;
        // The X_ fields stay 0: the 32-bit fields above say everything for this machine.
        return t;
    }

    private static void put(byte[] b, int off, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, off, a.length);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }

    private static int le32(byte[] b, int off) {
        return BiosLinker.get32(b, off);
    }
}
