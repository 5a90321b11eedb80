package dev.jvmx.devices.pic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FERR# to IRQ 13 through the slave 8259 (vector 0x75 with an AT BIOS's bases), port F0h to IGNNE#. */
class FerrLatchTest {
    @Test
    void ferrRaisesIrq13AndPortF0hAcknowledgesIt() {
        DualPic pic = new DualPic();
        int[][] init = {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01},
            {0xA0, 0x11}, {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}};
        for (int[] w : init) {
            pic.ioWrite(w[0], 1, w[1]);
        }
        boolean[] ignne = {false};
        FerrLatch latch = new FerrLatch(pic.irq(FerrLatch.IRQ), () -> ignne[0] = true);
        assertFalse(pic.hasInterrupt());
        latch.ferr();
        assertTrue(pic.hasInterrupt());
        assertEquals(0x75, pic.acknowledge());
        assertFalse(ignne[0]);
        latch.ioWrite(FerrLatch.PORT, 1, 0);
        assertTrue(ignne[0], "a write to F0h asserts IGNNE#");
        pic.ioWrite(0xA0, 1, 0x20); // EOI to both chips
        pic.ioWrite(0x20, 1, 0x20);
        assertFalse(pic.hasInterrupt(), "IRQ 13 is low again");
        latch.ferr();
        assertTrue(pic.hasInterrupt(), "a new FERR# is a new edge");
    }
}
