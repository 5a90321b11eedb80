package dev.jvmx.devices.ata;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Device 0 and device 1 on one channel (ATA/ATAPI-6 5.2: shared registers, DEV selects, INTRQ from the selected device). */
class AtaTwoDevicesTest {
    private final AtaChannelTest.Irq irq = new AtaChannelTest.Irq();
    private final MemoryImage img0 = new MemoryImage(8 * 512);
    private final MemoryImage img1 = new MemoryImage(16 * 512);
    private final AtaChannel ata = AtaChannel.secondary(new AtaDisk(img0), new AtaDisk(img1), irq);

    private void out(int port, int v) {
        ata.ioWrite(port, 1, v);
    }

    private int in(int port) {
        return ata.ioRead(port, 1);
    }

    private int identifySectors(int dev) {
        out(0x176, dev);
        out(0x177, 0xEC);
        assertEquals(0x58, in(0x177));
        int[] w = new int[256];
        for (int i = 0; i < 256; i++) {
            w[i] = ata.ioRead(0x170, 2);
        }
        return w[60] | w[61] << 16;
    }

    @Test
    void eachDeviceAnswersForItself() {
        assertEquals(8, identifySectors(0xA0));
        assertEquals(16, identifySectors(0xB0));
        assertEquals(0xB0, in(0x176));
    }

    @Test
    void registerWritesReachBothDevices() {
        out(0x176, 0xA0);
        out(0x172, 0x55);
        out(0x176, 0xB0);
        assertEquals(0x55, in(0x172));
    }

    @Test
    void onlyTheSelectedDeviceDrivesIntrq() {
        out(0x176, 0xB0);
        out(0x177, 0xE7);                 // FLUSH CACHE on device 1: interrupt pending
        assertTrue(irq.level);
        out(0x176, 0xA0);                 // device 0 selected: device 1 releases INTRQ
        assertFalse(irq.level);
        assertEquals(0x50, in(0x177));    // device 0's status does not acknowledge device 1
        out(0x176, 0xB0);
        assertTrue(irq.level);
        assertEquals(0x50, in(0x177));
        assertFalse(irq.level);
    }

    @Test
    void softResetPostsBothSignaturesAndSelectsDevice0() {
        out(0x176, 0xB0);
        out(0x376, 0x04);
        out(0x376, 0x00);
        assertEquals(0xA0, in(0x176));
        out(0x176, 0xB0);
        assertEquals(0x01, in(0x172));
        assertEquals(0x01, in(0x173));
        assertEquals(0x50, in(0x177));
    }

    @Test
    void aLoneDevice1AnswersWhenDevice0IsSelectedWithStatusZero() {
        AtaChannel slaveOnly = AtaChannel.primary(null, new AtaDisk(img1), irq);
        slaveOnly.ioWrite(0x1F6, 1, 0xA0);
        slaveOnly.ioWrite(0x1F2, 1, 0x55);
        assertEquals(0x55, slaveOnly.ioRead(0x1F2, 1));
        assertEquals(0x00, slaveOnly.ioRead(0x1F7, 1));
        slaveOnly.ioWrite(0x1F7, 1, 0xEC);        // to the absent device 0: ignored
        assertEquals(0, irq.edges);
        slaveOnly.ioWrite(0x1F6, 1, 0xB0);
        assertEquals(0x50, slaveOnly.ioRead(0x1F7, 1));
    }
}
