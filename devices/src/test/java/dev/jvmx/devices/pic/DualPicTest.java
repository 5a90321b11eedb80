package dev.jvmx.devices.pic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values from the Intel 8259A datasheet, worked by hand for the PC/AT wiring. */
class DualPicTest {
    DualPic pic;

    @BeforeEach
    void initLikeAnAtBios() {
        pic = new DualPic();
        // ICW1: edge, cascade, ICW4 needed; ICW2: vector base; ICW3; ICW4: 8086 mode.
        out(0x20, 0x11); out(0x21, 0x08); out(0x21, 0x04); out(0x21, 0x01);
        out(0xA0, 0x11); out(0xA1, 0x70); out(0xA1, 0x02); out(0xA1, 0x01);
    }

    void out(int port, int v) {
        pic.ioWrite(port, 1, v);
    }

    int in(int port) {
        return pic.ioRead(port, 1);
    }

    @Test
    void icw1ClearsImrAndAnEdgeIsDeliveredWithTheIcw2Vector() {
        assertEquals(0x00, in(0x21));
        assertFalse(pic.hasInterrupt());
        pic.irq(1).pulse();
        assertTrue(pic.hasInterrupt());
        assertEquals(0x09, pic.acknowledge());
        assertFalse(pic.hasInterrupt());
        out(0x20, 0x0B); // OCW3: read ISR
        assertEquals(0x02, in(0x20));
        out(0x20, 0x20); // non-specific EOI
        assertEquals(0x00, in(0x20));
    }

    @Test
    void fixedPriorityLowestIrqFirstAndNestingOnlyForHigher() {
        pic.irq(5).pulse();
        pic.irq(3).pulse();
        assertEquals(0x0B, pic.acknowledge()); // IR3 before IR5
        assertFalse(pic.hasInterrupt());       // IR5 waits for IR3's EOI
        pic.irq(0).pulse();
        assertTrue(pic.hasInterrupt());        // IR0 is higher: nests
        assertEquals(0x08, pic.acknowledge());
        out(0x20, 0x0B);
        assertEquals(0x09, in(0x20));          // ISR: IR0 and IR3
        out(0x20, 0x20);                       // EOI clears the highest: IR0
        assertEquals(0x08, in(0x20));
        out(0x20, 0x20);
        assertEquals(0x0D, pic.acknowledge());
    }

    @Test
    void maskAndIrrReadback() {
        out(0x21, 0xFF & ~0x01);
        pic.irq(4).pulse();
        assertFalse(pic.hasInterrupt());
        out(0x20, 0x0A); // read IRR
        assertEquals(0x10, in(0x20));
        assertEquals(0xFE, in(0x21));
        out(0x21, 0x00);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x0C, pic.acknowledge());
    }

    @Test
    void slaveCascadesThroughIr2() {
        pic.irq(12).pulse();
        assertTrue(pic.hasInterrupt());
        assertEquals(0x74, pic.acknowledge());
        out(0xA0, 0x0B);
        out(0x20, 0x0B);
        assertEquals(0x10, in(0xA0)); // slave ISR: IR4
        assertEquals(0x04, in(0x20)); // master ISR: IR2
        out(0xA0, 0x20);
        out(0x20, 0x20);
        assertEquals(0, in(0xA0));
        assertEquals(0, in(0x20));
    }

    @Test
    void isaIrq2ArrivesAsIrq9() {
        pic.irq(2).pulse();
        assertEquals(0x71, pic.acknowledge());
    }

    @Test
    void spuriousIrq7WhenALevelRequestGoesAway() {
        out(0x4D0, 0x20); // IRQ5 level triggered
        pic.irq(5).set(true);
        assertTrue(pic.hasInterrupt());
        pic.irq(5).set(false);
        assertEquals(0x0F, pic.acknowledge()); // IR7 vector
        out(0x20, 0x0B);
        assertEquals(0x00, in(0x20)); // and no ISR bit
    }

    @Test
    void spuriousIrq15LeavesMasterIr2InService() {
        out(0x4D1, 0x08); // IRQ11 level triggered
        pic.irq(11).set(true);
        pic.irq(11).set(false);
        // The slave's INT already rose, the master latched IR2 as an edge.
        assertEquals(0x77, pic.acknowledge());
        out(0x20, 0x0B);
        out(0xA0, 0x0B);
        assertEquals(0x04, in(0x20));
        assertEquals(0x00, in(0xA0));
    }

    @Test
    void levelTriggeredRequestStaysUntilInputDrops() {
        out(0x4D1, 0x04); // IRQ10
        pic.irq(10).set(true);
        assertEquals(0x72, pic.acknowledge());
        out(0xA0, 0x20);
        out(0x20, 0x20);
        assertTrue(pic.hasInterrupt()); // still high after EOI: again
        assertEquals(0x72, pic.acknowledge());
        pic.irq(10).set(false);
        out(0xA0, 0x20);
        out(0x20, 0x20);
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void elcrReservedBitsReadZero() {
        out(0x4D0, 0xFF);
        out(0x4D1, 0xFF);
        assertEquals(0xF8, in(0x4D0)); // IRQ0-2 must be edge
        assertEquals(0xDE, in(0x4D1)); // IRQ8 and IRQ13 must be edge
    }

    @Test
    void edgeNeedsANewRisingEdge() {
        pic.irq(3).set(true);
        assertEquals(0x0B, pic.acknowledge());
        out(0x20, 0x20);
        assertFalse(pic.hasInterrupt()); // still high but no new edge
        pic.irq(3).set(false);
        pic.irq(3).set(true);
        assertTrue(pic.hasInterrupt());
    }

    @Test
    void specificEoiAndRotateOnSpecificEoi() {
        pic.irq(6).pulse();
        assertEquals(0x0E, pic.acknowledge());
        out(0x20, 0x60 | 6); // specific EOI level 6
        out(0x20, 0x0B);
        assertEquals(0, in(0x20));
        pic.irq(4).pulse();
        pic.acknowledge();
        out(0x20, 0xE0 | 4); // rotate on specific EOI: IR4 lowest, IR5 highest
        pic.irq(3).pulse();
        pic.irq(5).pulse();
        assertEquals(0x0D, pic.acknowledge());
    }

    @Test
    void rotateOnNonSpecificEoiAndSetPriority() {
        pic.irq(1).pulse();
        pic.acknowledge();
        out(0x20, 0xA0); // rotate on non-specific EOI: IR1 becomes lowest
        pic.irq(1).pulse();
        pic.irq(7).pulse();
        assertEquals(0x0F, pic.acknowledge()); // order now 2,3,...,7,0,1
        out(0x20, 0x20);
        out(0x20, 0xC0 | 7); // set priority: IR7 lowest (back to fixed order)
        pic.irq(7).pulse();
        assertEquals(0x09, pic.acknowledge());
    }

    @Test
    void autoEoiSetsNoIsrBitAndRotatesWhenAsked() {
        out(0x20, 0x11); out(0x21, 0x08); out(0x21, 0x04); out(0x21, 0x03); // ICW4 AEOI
        pic.irq(2 + 1).pulse();
        assertEquals(0x0B, pic.acknowledge());
        out(0x20, 0x0B);
        assertEquals(0, in(0x20));
        out(0x20, 0x80); // rotate in AEOI mode
        pic.irq(3).pulse();
        pic.acknowledge(); // IR3 becomes lowest
        pic.irq(3).pulse();
        pic.irq(4).pulse();
        assertEquals(0x0C, pic.acknowledge());
    }

    @Test
    void pollCommandReturnsLevelAndAcknowledges() {
        pic.irq(6).pulse();
        out(0x20, 0x0C); // OCW3 poll
        assertEquals(0x86, in(0x20));
        out(0x20, 0x0B);
        assertEquals(0x40, in(0x20)); // IR6 in service
        out(0x20, 0x20);
        out(0x20, 0x0C);
        assertEquals(0x00, in(0x20)); // no request: bit 7 clear
    }

    @Test
    void specialMaskModeLetsLowerLevelsIn() {
        pic.irq(3).pulse();
        pic.acknowledge();
        pic.irq(5).pulse();
        assertFalse(pic.hasInterrupt());
        out(0x21, 0x08);  // mask IR3 (in service)
        out(0x20, 0x68);  // OCW3: ESMM|SMM
        assertTrue(pic.hasInterrupt());
        assertEquals(0x0D, pic.acknowledge());
        out(0x20, 0x48);  // reset special mask
        out(0x20, 0x0B);
        assertEquals(0x28, in(0x20));
    }

    @Test
    void intrListenerFollowsThePin() {
        AtomicInteger calls = new AtomicInteger();
        pic.setIntrListener(calls::incrementAndGet);
        pic.irq(4).pulse();
        assertEquals(1, calls.get());
        pic.acknowledge();
        assertEquals(2, calls.get());
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void singleModeSkipsIcw3() {
        out(0x20, 0x13); // SNGL, IC4
        out(0x21, 0x20); // ICW2
        out(0x21, 0x01); // ICW4 (not ICW3)
        out(0x21, 0xFE); // OCW1
        assertEquals(0xFE, in(0x21));
        pic.irq(0).pulse();
        assertEquals(0x20, pic.acknowledge());
    }

    @Test
    void icw2IgnoresLowBitsAndNonsensePortsAreHarmless() {
        out(0x20, 0x11); out(0x21, 0x0F); out(0x21, 0x04); out(0x21, 0x01);
        pic.irq(0).pulse();
        assertEquals(0x08, pic.acknowledge());
        assertEquals(0xFF, pic.ioRead(0x22, 1));
        pic.ioWrite(0x4D2, 1, 0x12);
        out(0x20, 0x40); // OCW2 "no operation"
    }
}
