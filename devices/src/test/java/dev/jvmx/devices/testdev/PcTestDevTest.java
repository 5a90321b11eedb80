package dev.jvmx.devices.testdev;

import dev.jvmx.devices.IrqLine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** pc-testdev as QEMU documents it (hw/misc/pc-testdev.c's register layout). */
class PcTestDevTest {
    final boolean[] level = new boolean[24];
    final PcTestDev dev;

    PcTestDevTest() {
        IrqLine[] lines = new IrqLine[24];
        for (int n = 0; n < 24; n++) {
            int i = n;
            lines[n] = l -> level[i] = l;
        }
        dev = new PcTestDev(lines);
    }

    @Test
    void dataRegisterByteLanes() {
        dev.ioWrite(0xE0, 4, 0x11223344);
        assertEquals(0x11223344, dev.ioRead(0xE0, 4));
        assertEquals(0x44, dev.ioRead(0xE0, 1));
        assertEquals(0x1122, dev.ioRead(0xE2, 2));
        dev.ioWrite(0xE1, 1, 0xAB);
        assertEquals(0x1122AB44, dev.ioRead(0xE0, 4));
        dev.ioWrite(0xE0, 2, 0xBEEF);
        assertEquals(0x1122BEEF, dev.ioRead(0xE8, 4), "0xE8 is the same register, byte by byte");
        dev.ioWrite(0xEA, 1, 0x00);
        assertEquals(0x1100BEEF, dev.ioRead(0xE0, 4));
    }

    @Test
    void flushPortReadsZero() {
        dev.ioWrite(0xE4, 4, 0x1000);
        assertEquals(0, dev.ioRead(0xE4, 4));
    }

    @Test
    void irqLines() {
        dev.ioWrite(0x200B, 1, 1);
        assertEquals(true, level[11]);
        dev.ioWrite(0x200B, 1, 0);
        assertEquals(false, level[11]);
        dev.ioWrite(0x2017, 1, 0x80);
        assertEquals(true, level[23]);
        // A dword reaches four lines, one byte each: realmode's "outl %eax, $0x200b" with EAX = 1.
        level[12] = true;
        dev.ioWrite(0x200B, 4, 1);
        assertEquals(true, level[11]);
        assertEquals(false, level[12]);
        assertEquals(0, dev.ioRead(0x2000, 1));
    }

    @Test
    void iomemIsPlainMemory() {
        dev.iomemWrite(0x10, 4, 0xCAFEBABE);
        assertEquals(0xBABE, dev.iomemRead(0x10, 2));
        assertEquals(0xCAFE, dev.iomemRead(0x12, 2));
        dev.iomemWrite(0x11, 1, 0x00);
        assertEquals(0xCAFE00BE, dev.iomemRead(0x10, 4));
        dev.iomemWrite(0xFFFF, 1, 0x5A);
        assertEquals(0x5A, dev.iomemRead(0xFFFF, 1));
    }
}
