package dev.jvmx.devices.testdev;

import dev.jvmx.devices.pci.PciConfigSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** pci-testdev as QEMU documents it (hw/misc/pci-testdev.c's header and test machine). */
class PciTestDevTest {
    final PciTestDev dev = new PciTestDev();

    @Test
    void identityAndBars() {
        assertEquals(0x00051B36, dev.configRead(0, 4));
        assertEquals(0xFF000000, dev.configRead(PciConfigSpace.REVISION_ID, 4), "class FFh, subclass 0, revision 0");
        assertEquals(0, dev.configRead(PciConfigSpace.INTERRUPT_PIN, 1));
        dev.configWrite(PciConfigSpace.BAR0, 4, 0xFFFFFFFF);
        assertEquals(0xFFFFF000, dev.configRead(PciConfigSpace.BAR0, 4), "4 KiB memory BAR");
        dev.configWrite(PciConfigSpace.BAR0 + 4, 4, 0xFFFFFFFF);
        assertEquals(0xFFFFFF01, dev.configRead(PciConfigSpace.BAR0 + 4, 4), "256-port I/O BAR");
        int[] remaps = {0};
        dev.setMappingListener(() -> remaps[0]++);
        dev.configWrite(PciConfigSpace.BAR0, 4, 0xFEBFF000);
        dev.configWrite(PciConfigSpace.COMMAND, 2, 3);
        assertEquals(0xFEBFF000L, dev.memoryBase());
        dev.configWrite(PciConfigSpace.BAR0 + 4, 4, 0xC000);
        assertEquals(0xC000, dev.ioBase());
        assertEquals(3, remaps[0]);
    }

    int readHeaderByte(int off) {
        return dev.read(off, 1);
    }

    @Test
    void headerOfASelectedTest() {
        assertEquals(0, dev.read(0, 4), "nothing selected");
        dev.write(false, 0, 1, 2); // memory region: test 2, datamatch-eventfd
        assertEquals(2, readHeaderByte(0));
        assertEquals(1, readHeaderByte(1));
        assertEquals(2048 + 2, dev.read(4, 2));
        assertEquals(0xFA, readHeaderByte(8));
        StringBuilder name = new StringBuilder();
        for (int i = 16; readHeaderByte(i) != 0; i++) {
            name.append((char) readHeaderByte(i));
        }
        assertEquals("mmio-datamatch-eventfd", name.toString());
        dev.write(true, 0, 1, 1); // I/O region: test 3 + 1, wildcard
        assertEquals(4, readHeaderByte(0));
        assertEquals(128 + 4, dev.read(4, 2));
        assertEquals(0xCE, readHeaderByte(8));
    }

    @Test
    void countsWritesAtTheTestsOffset() {
        dev.write(false, 0, 1, 2); // datamatch: only the data byte counts
        dev.write(false, 2050, 1, 0xFA);
        dev.write(false, 2050, 1, 0x11);
        dev.write(false, 2051, 1, 0xFA);
        assertEquals(1, dev.read(12, 4));
        dev.write(true, 0, 1, 1); // wildcard: any byte counts
        dev.write(true, 132, 1, 0x11);
        dev.write(true, 132, 1, 0x22);
        assertEquals(2, dev.read(12, 4));
        dev.write(true, 0, 1, 7); // no such test: nothing selected
        assertEquals(0, dev.read(0, 1));
    }
}
