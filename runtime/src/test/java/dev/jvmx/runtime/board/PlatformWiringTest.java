package dev.jvmx.runtime.board;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.boot.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PC board's wiring seen through the port bus and memory, as firmware sees it. */
class PlatformWiringTest {
    @TempDir
    Path tmp;

    private static Path home() {
        return Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();
    }

    private Machine machine(Path drive, boolean readOnly) throws ImageException {
        MachineConfig cfg = new MachineConfig();
        cfg.bios = home().resolve("guest-images/images/first-guest.rom"); // 64 KiB: aliased at 0xF0000
        if (drive != null) {
            cfg.drives.add(new DriveSpec("-drive", drive, DriveSpec.Media.DISK, 0, readOnly, false, true));
        }
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        return m;
    }

    private static int pciRead(Machine m, int dev, int fn, int reg, int size) {
        m.bus.write(0xCF8, 4, 0x80000000 | dev << 11 | fn << 8 | (reg & 0xFC));
        return m.bus.read(0xCFC + (reg & 3), size);
    }

    private static void pciWrite(Machine m, int dev, int fn, int reg, int size, int v) {
        m.bus.write(0xCF8, 4, 0x80000000 | dev << 11 | fn << 8 | (reg & 0xFC));
        m.bus.write(0xCFC + (reg & 3), size, v);
    }

    @Test
    void pciFunctionsAnswerWithTheirDatasheetIds() throws Exception {
        Machine m = machine(null, false);
        assertEquals(0x12378086, pciRead(m, 0, 0, 0, 4));  // 82441FX PMC
        assertEquals(0x70008086, pciRead(m, 1, 0, 0, 4));  // 82371SB ISA bridge
        assertEquals(0x70108086, pciRead(m, 1, 1, 0, 4));  // 82371SB IDE
        assertEquals(0xFFFFFFFF, pciRead(m, 2, 0, 0, 4));  // nothing at 00:02.0
    }

    @Test
    void pamRoutesTheBiosSegmentBetweenRomAndShadowRam() throws Exception {
        Machine m = machine(null, false);
        byte[] rom = Files.readAllBytes(home().resolve("guest-images/images/first-guest.rom"));
        int romWord = (rom[0] & 0xFF) | (rom[1] & 0xFF) << 8 | (rom[2] & 0xFF) << 16 | (rom[3] & 0xFF) << 24;
        assertEquals(romWord, m.memory.read32(0xF0000));          // PAM0 = 0: reads go to the ROM
        m.memory.write32(0xF0000, 0x12345678);
        assertEquals(romWord, m.memory.read32(0xF0000));          // and writes are dropped
        pciWrite(m, 0, 0, 0x59, 1, 0x30);                         // PAM0 HIENABLE = RE|WE
        m.memory.write32(0xF0000, 0x12345678);
        assertEquals(0x12345678, m.memory.read32(0xF0000));       // shadow RAM, writable
        pciWrite(m, 0, 0, 0x59, 1, 0x10);                         // RE only: read-only RAM
        m.memory.write32(0xF0000, 0x9ABCDEF0);
        assertEquals(0x12345678, m.memory.read32(0xF0000));
        pciWrite(m, 0, 0, 0x59, 1, 0x00);                         // back to the ROM
        assertEquals(romWord, m.memory.read32(0xF0000));
        // 0xC0000 (PAM1 low nibble): nothing on the bus reads as all ones, RAM once enabled.
        assertEquals(0xFFFFFFFF, m.memory.read32(0xC0000));
        pciWrite(m, 0, 0, 0x5A, 1, 0x03);
        m.memory.write32(0xC0000, 0xAA55);
        assertEquals(0xAA55, m.memory.read32(0xC0000));
        // RE=0 WE=1: reads still from the bus, writes reach RAM (seen once RE is set).
        pciWrite(m, 0, 0, 0x5A, 1, 0x02);
        m.memory.write32(0xC0000, 0x55AA);
        assertEquals(0xFFFFFFFF, m.memory.read32(0xC0000));
        pciWrite(m, 0, 0, 0x5A, 1, 0x01);
        assertEquals(0x55AA, m.memory.read32(0xC0000));
    }

    @Test
    void fwCfgHasTheSignatureRamSizeAndE820() throws Exception {
        Machine m = machine(null, false);
        m.bus.write(0x510, 2, 0x0000);                              // FW_CFG_SIGNATURE
        byte[] sig = new byte[4];
        for (int i = 0; i < 4; i++) {
            sig[i] = (byte) m.bus.read(0x511, 1);
        }
        assertEquals("QEMU", new String(sig, StandardCharsets.US_ASCII));
        m.bus.write(0x510, 2, 0x0003);                              // FW_CFG_RAM_SIZE, LE64
        long ram = 0;
        for (int i = 0; i < 8; i++) {
            ram |= (long) m.bus.read(0x511, 1) << (8 * i);
        }
        assertEquals(128L << 20, ram);
        m.bus.write(0x510, 2, 0x0019);                              // FW_CFG_FILE_DIR: BE32 count, 64-byte entries
        int count = 0;
        for (int i = 0; i < 4; i++) {
            count = count << 8 | m.bus.read(0x511, 1);
        }
        boolean e820 = false;
        for (int f = 0; f < count; f++) {
            byte[] e = new byte[64];
            for (int i = 0; i < 64; i++) {
                e[i] = (byte) m.bus.read(0x511, 1);
            }
            String name = new String(e, 8, 56, StandardCharsets.US_ASCII).replace("\0", "");
            if (name.equals("etc/e820")) {
                e820 = true;
                assertEquals(20, (e[0] & 0xFF) << 24 | (e[1] & 0xFF) << 16 | (e[2] & 0xFF) << 8 | (e[3] & 0xFF));
            }
        }
        assertTrue(e820, "etc/e820 not in the fw_cfg file directory");
    }

    private static void ataCommand(Machine m, int command) {
        m.bus.write(0x1F2, 1, 1);      // one sector
        m.bus.write(0x1F3, 1, 1);      // LBA 1
        m.bus.write(0x1F4, 1, 0);
        m.bus.write(0x1F5, 1, 0);
        m.bus.write(0x1F6, 1, 0xE0);   // LBA mode, master
        m.bus.write(0x1F7, 1, command);
    }

    @Test
    void writesToAReadOnlyDriveAreAbortedAndTheFileIsUntouched() throws Exception {
        Path img = tmp.resolve("ro.img");
        byte[] before = new byte[4 * 512];
        Arrays.fill(before, (byte) 0x5A);
        Files.write(img, before);
        Machine m = machine(img, true);
        ataCommand(m, 0x30);                                        // WRITE SECTORS
        int status = m.bus.read(0x1F7, 1);
        assertEquals(0x01, status & 0x09, "ERR set, DRQ clear");    // ATA: command aborted
        assertEquals(0x04, m.bus.read(0x1F1, 1));                  // error register ABRT
        m.close();
        assertArrayEquals(before, Files.readAllBytes(img));
    }

    @Test
    void writesToAReadWriteDriveReachTheFile() throws Exception {
        Path img = tmp.resolve("rw.img");
        Files.write(img, new byte[4 * 512]);
        Machine m = machine(img, false);
        ataCommand(m, 0x30);
        assertEquals(0x08, m.bus.read(0x1F7, 1) & 0x89);            // DRQ: send the data
        for (int i = 0; i < 256; i++) {
            m.bus.write(0x1F0, 2, 0x0100 * ((i + 1) & 0xFF) + (i & 0xFF));
        }
        m.bus.write(0x1F7, 1, 0xE7);                                // FLUSH CACHE
        m.close();
        byte[] after = Files.readAllBytes(img);
        for (int i = 0; i < 256; i++) {
            assertEquals(i & 0xFF, after[512 + 2 * i] & 0xFF);
            assertEquals((i + 1) & 0xFF, after[512 + 2 * i + 1] & 0xFF);
        }
        assertEquals(0, after[0]);
        assertEquals(0, after[1024]);
    }

    private static int cmos(Machine m, int reg) {
        m.bus.write(0x70, 1, reg);
        return m.bus.read(0x71, 1);
    }

    @Test
    void cmosHoldsTheBootOrderAsQemuGivesItToSeaBios() throws Exception {
        Machine m = machine(null, false);
        assertEquals(0x12, cmos(m, 0x3D));   // cad: c (2, hard disk) then a (1, floppy)
        assertEquals(0x30, cmos(m, 0x38));   // then d (3, CD-ROM); floppy signature check on
        MachineConfig cfg = new MachineConfig();
        cfg.bios = home().resolve("guest-images/images/first-guest.rom");
        cfg.boot = BootSpec.parse("order=dc");
        Machine dc = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        assertEquals(0x23, cmos(dc, 0x3D));
        assertEquals(0x00, cmos(dc, 0x38));
    }

    @Test
    void twoIdeChannelsWithACdromAsSecondaryMaster() throws Exception {
        Path iso = tmp.resolve("cd.iso");
        Files.write(iso, new byte[4 * 2048]);
        MachineConfig cfg = new MachineConfig();
        cfg.bios = home().resolve("guest-images/images/first-guest.rom");
        cfg.drives.add(DriveSpec.cdrom(iso));
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        assertEquals(0xFF, m.bus.read(0x1F7, 1));   // primary: no drive, the bus floats
        assertEquals(0x14, m.bus.read(0x174, 1));   // secondary master: the ATAPI signature
        assertEquals(0xEB, m.bus.read(0x175, 1));
        assertEquals(0x00, m.bus.read(0x376, 1));   // a packet device after reset: DRDY clear
        m.close();
    }
}
