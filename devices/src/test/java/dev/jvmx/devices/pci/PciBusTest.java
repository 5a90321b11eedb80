package dev.jvmx.devices.pci;

import dev.jvmx.devices.MachineControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Expected values from the PCI Local Bus spec (mechanism #1, header layout, BAR sizing) and
 * the 82441FX / 82371SB datasheets (IDs, PAM and SMRAM layout, PIRQRC reset value 80h).
 */
class PciBusTest {
    private final List<String> pam = new ArrayList<>();
    private final List<String> resets = new ArrayList<>();
    private PciBus bus;
    private I440fxHostBridge host;
    private Piix3IsaBridge isa;
    private Piix3Ide ide;

    @BeforeEach
    void setUp() {
        MachineControl mc = new MachineControl() {
            @Override public void requestExit(int exitCode, String reason) { }
            @Override public void requestReset(String reason) { resets.add(reason); }
            @Override public void setA20(boolean enabled) { }
        };
        bus = new PciBus(new ResetControl(mc));
        host = new I440fxHostBridge((r, re, we) -> pam.add(r + ":" + (re ? "R" : "-") + (we ? "W" : "-")));
        isa = new Piix3IsaBridge();
        ide = new Piix3Ide();
        bus.attach(0, 0, host);
        bus.attach(1, 0, isa);
        bus.attach(1, 1, ide);
        bus.attach(1, 3, new Piix3Pm());
    }

    private static int address(int dev, int fn, int reg) {
        return 0x80000000 | dev << 11 | fn << 8 | reg;
    }

    private int read(int dev, int fn, int reg, int size) {
        bus.ioWrite(0xCF8, 4, address(dev, fn, reg & 0xFC));
        return bus.ioRead(0xCFC + (reg & 3), size);
    }

    private void write(int dev, int fn, int reg, int size, int value) {
        bus.ioWrite(0xCF8, 4, address(dev, fn, reg & 0xFC));
        bus.ioWrite(0xCFC + (reg & 3), size, value);
    }

    @Test
    void identification() {
        assertEquals(0x12378086, read(0, 0, 0x00, 4));
        assertEquals(0x06000002, read(0, 0, 0x08, 4));
        assertEquals(0x70008086, read(1, 0, 0x00, 4));
        assertEquals(0x0601, read(1, 0, 0x0A, 2));
        assertEquals(0x80, read(1, 0, 0x0E, 1));
        assertEquals(0x70108086, read(1, 1, 0x00, 4));
        assertEquals(0x01018000, read(1, 1, 0x08, 4) & 0xFFFFFF00);
        assertEquals(0x71138086, read(1, 3, 0x00, 4));
        assertEquals(0x0680, read(1, 3, 0x0A, 2));
    }

    @Test
    void byteAndWordAccessesPickTheRightLanes() {
        assertEquals(0x86, read(0, 0, 0x00, 1));
        assertEquals(0x80, read(0, 0, 0x01, 1));
        assertEquals(0x37, read(0, 0, 0x02, 1));
        assertEquals(0x12, read(0, 0, 0x03, 1));
        assertEquals(0x1237, read(0, 0, 0x02, 2));
    }

    @Test
    void absentFunctionsOtherBusesAndDisabledAccessesReadAllOnes() {
        assertEquals(0xFFFFFFFF, read(2, 0, 0x00, 4));
        assertEquals(0xFFFF, read(1, 2, 0x00, 2));
        bus.ioWrite(0xCF8, 4, 0x80010000);            // bus 1
        assertEquals(0xFFFFFFFF, bus.ioRead(0xCFC, 4));
        bus.ioWrite(0xCF8, 4, 0x00000000);            // enable bit clear
        assertEquals(0xFFFFFFFF, bus.ioRead(0xCFC, 4));
        write(2, 0, 0x3C, 1, 0x55);                    // to nobody: ignored, no exception
    }

    @Test
    void configAddressIsDwordOnlyWithLowBitsZero() {
        bus.ioWrite(0xCF8, 4, 0x80000807);
        assertEquals(0x80000804, bus.ioRead(0xCF8, 4));
        bus.ioWrite(0xCF8, 1, 0x00);                   // not CONFIG_ADDRESS
        bus.ioWrite(0xCFA, 2, 0x1234);
        assertEquals(0x80000804, bus.ioRead(0xCF8, 4));
        assertEquals(0xFF, bus.ioRead(0xCF8, 1));
    }

    @Test
    void readOnlyRegistersIgnoreWrites() {
        write(0, 0, 0x00, 4, 0xDEADBEEF);
        write(0, 0, 0x08, 4, 0xFFFFFFFF);
        assertEquals(0x12378086, read(0, 0, 0x00, 4));
        assertEquals(0x06000002, read(0, 0, 0x08, 4));
        write(0, 0, 0x3C, 1, 0x0B);                    // interrupt line is writable
        assertEquals(0x0B, read(0, 0, 0x3C, 1));
    }

    @Test
    void pamRegistersNotifyTheMachine() {
        assertEquals(0x00, read(0, 0, 0x5A, 1));
        write(0, 0, 0x5A, 1, 0x31);                    // C0000 read-only, C4000 read/write
        assertEquals(List.of("1:R-", "2:RW"), pam);
        assertEquals(0x31, read(0, 0, 0x5A, 1));
        pam.clear();
        write(0, 0, 0x59, 1, 0x3F);                    // PAM0 bits 3:0 reserved
        assertEquals(0x30, read(0, 0, 0x59, 1));
        assertEquals(List.of("0:RW"), pam);
        pam.clear();
        write(0, 0, 0x5C, 4, 0x33221100);              // PAM3..PAM6 in one dword: 5C, 5D, 5E, 5F
        assertEquals(List.of("7:R-", "8:R-", "9:-W", "10:-W", "11:RW", "12:RW"), pam); // 5C=00 unchanged
        pam.clear();
        write(0, 0, 0x5D, 1, 0xCC);                    // reserved bits only: no change
        assertEquals(0x00, read(0, 0, 0x5D, 1));
        assertEquals(List.of("7:--", "8:--"), pam);
        assertEquals(0xE0000, I440fxHostBridge.pamRegionBase(9));
        assertEquals(0xEC000, I440fxHostBridge.pamRegionBase(12));
        assertEquals(0xF0000, I440fxHostBridge.pamRegionBase(0));
    }

    @Test
    void smramLockFreezesTheRegister() {
        assertEquals(0x02, read(0, 0, 0x72, 1));
        write(0, 0, 0x72, 1, 0x05);                    // C_BASE_SEG is hardwired 010b
        assertEquals(0x02, read(0, 0, 0x72, 1));
        write(0, 0, 0x72, 1, 0x4A);                    // D_OPEN | G_SMRAME
        assertEquals(0x4A, read(0, 0, 0x72, 1));
        write(0, 0, 0x72, 1, 0x5A);                    // + D_LCK: D_OPEN drops
        assertEquals(0x1A, read(0, 0, 0x72, 1));
        write(0, 0, 0x72, 1, 0x7F);                    // only D_CLS still writable
        assertEquals(0x3A, read(0, 0, 0x72, 1));
        write(0, 0, 0x72, 1, 0x00);
        assertEquals(0x1A, read(0, 0, 0x72, 1));
    }

    @Test
    void pirqRouteControl() {
        assertEquals(0x80808080, read(1, 0, 0x60, 4));
        assertEquals(-1, isa.pirqRoute(0));
        write(1, 0, 0x61, 1, 0x0B);
        assertEquals(11, isa.pirqRoute(1));
        assertEquals(0x80800B80, read(1, 0, 0x60, 4));
        write(1, 0, 0x62, 1, 0x7A);                    // bits 6:4 reserved
        assertEquals(0x0A, read(1, 0, 0x62, 1));
        assertEquals(10, isa.pirqRoute(2));
        write(1, 0, 0x63, 1, 0x8B);                    // disabled
        assertEquals(-1, isa.pirqRoute(3));
        write(1, 0, 0x60, 1, 0x02);                    // IRQ 2 is not a valid route
        assertEquals(-1, isa.pirqRoute(0));
    }

    @Test
    void ideBusMasterBarSizesAsSixteenBytesOfIo() {
        assertEquals(0x00000001, read(1, 1, 0x20, 4));
        write(1, 1, 0x20, 4, 0xFFFFFFFF);
        // ~0xFFFFFFF0 + 1 = 16 bytes, I/O: all of bits 31:4 answer, as QEMU's piix3-ide does
        // (SeaBIOS sizes the BAR this way; the datasheet's reserved bits 31:16 break it).
        assertEquals(0xFFFFFFF1, read(1, 1, 0x20, 4));
        write(1, 1, 0x20, 4, 0xC001);
        assertEquals(0xC000, ide.busMasterBase());
        assertFalse(ide.primaryDecodeEnabled());
        write(1, 1, 0x40, 2, 0x8000);
        assertTrue(ide.primaryDecodeEnabled());
        assertFalse(ide.secondaryDecodeEnabled());
    }

    @Test
    void statusBitsAreWriteOneToClear() {
        PciConfigSpace c = new PciConfigSpace(0x1234, 0x5678, 0, 0, 0);
        c.set16(PciConfigSpace.STATUS, 0x8280);
        c.setWriteOneToClear(PciConfigSpace.STATUS, 2, 0xF900);
        c.write(PciConfigSpace.STATUS, 2, 0x0000);
        assertEquals(0x8280, c.get16(PciConfigSpace.STATUS));
        c.write(PciConfigSpace.STATUS, 2, 0xFFFF);
        assertEquals(0x0280, c.get16(PciConfigSpace.STATUS));
    }

    @Test
    void resetControlRegister() {
        bus.ioWrite(0xCF9, 1, 0x02);                   // select hard reset, not started
        assertEquals(List.of(), resets);
        assertEquals(0x02, bus.ioRead(0xCF9, 1));
        bus.ioWrite(0xCF9, 1, 0x06);                   // RCPU 0 -> 1
        assertEquals(1, resets.size());
        assertTrue(resets.get(0).contains("hard"));
        bus.ioWrite(0xCF8, 4, 0x80000400);             // dword: CONFIG_ADDRESS, not 0xCF9
        assertEquals(1, resets.size());
        bus.ioWrite(0xCF9, 2, 0x0606);                 // word access: not the reset register
        assertEquals(1, resets.size());
    }
}
