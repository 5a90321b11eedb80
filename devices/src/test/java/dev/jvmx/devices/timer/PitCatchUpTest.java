package dev.jvmx.devices.timer;

import dev.jvmx.devices.RecordingIrq;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Counter 0 in mode 2 with a period of 100 CLK pulses: the count is loaded at tick 1 and OUT
 * rises (the end of its one-pulse low) every 100 ticks from tick 101 on. With catch-up on, no
 * edge is lost while the interrupt controller cannot take it; a masked line gets none of the
 * missed edges, as an 8259 latches at most one.
 */
class PitCatchUpTest {
    final VirtualClock clock = new VirtualClock();
    final RecordingIrq irq0 = new RecordingIrq();
    final Pit8254 pit = new Pit8254(clock, irq0);
    boolean masked;
    boolean latched;

    @BeforeEach
    void periodic100() {
        pit.setCatchUp(() -> masked, () -> latched);
        pit.ioWrite(0x43, 1, 0x34); // counter 0, LSB/MSB, mode 2
        pit.ioWrite(0x40, 1, 100);
        pit.ioWrite(0x40, 1, 0);
    }

    private void toTick(long tick) {
        clock.advanceTo(Pit8254.nanosOfTick(tick));
    }

    @Test
    void edgesDueTogetherAreRaisedOneAtATime() {
        toTick(550); // edges at 101, 201, 301, 401, 501
        pit.update();
        assertEquals(1, irq0.risingEdges);
        latched = true; // the controller has not taken it yet
        pit.update();
        assertEquals(1, irq0.risingEdges);
        latched = false;
        for (int i = 0; i < 10; i++) {
            pit.update();
        }
        assertEquals(5, irq0.risingEdges, "every edge once");
        assertEquals(Pit8254.nanosOfTick(601), pit.nextEventNanos(), "then the next period's edge");
    }

    @Test
    void anEdgeThatFindsTheLastOneLatchedIsRaisedLater() {
        toTick(150);
        pit.update();
        latched = true;
        toTick(250);
        pit.update();
        assertEquals(1, irq0.risingEdges, "not raised into a latched request");
        assertEquals(Pit8254.nanosOfTick(301), pit.nextEventNanos(), "nothing the controller can take yet");
        latched = false;
        assertEquals(Pit8254.nanosOfTick(250), pit.nextEventNanos(), "the missed edge is due now");
        pit.update();
        assertEquals(2, irq0.risingEdges);
    }

    @Test
    void aBrieflyMaskedLineKeepsItsMissedEdges() {
        // Linux masks IRQ0 at the 8259 while its handler runs.
        toTick(150);
        pit.update();                     // edge 101 raised
        masked = true;
        latched = false;                  // taken, and masked by the handler
        toTick(350);
        pit.update();                     // edges 201, 301: one latched (as the IRR does), one waiting
        assertEquals(2, irq0.risingEdges);
        latched = true;
        assertEquals(Pit8254.nanosOfTick(401), pit.nextEventNanos(), "nothing deliverable while masked");
        masked = false;
        latched = false;                  // unmasked, the latched one taken
        pit.update();
        assertEquals(3, irq0.risingEdges, "the waiting edge follows");
    }

    @Test
    void aLineMaskedForLongGetsOnlyTheLatchedEdge() {
        masked = true;
        toTick(150);
        pit.update();
        latched = true;                   // edge 101 latched in the IRR, masked
        clock.advance(Pit8254.MAX_MASKED_NANOS + 1);
        pit.update();
        pit.update();
        masked = false;
        latched = false;
        pit.update();
        pit.update();
        assertEquals(1, irq0.risingEdges, "the timer was given up: no catch-up after the mask");
    }

    @Test
    void catchUpIsBounded() {
        toTick(100_000 + 50); // 1000 periods
        for (int i = 0; i < 2000; i++) {
            pit.update();
        }
        assertEquals(Pit8254.MAX_MISSED_EDGES, irq0.risingEdges);
    }

    @Test
    void withoutCatchUpEdgesMerge() {
        VirtualClock c = new VirtualClock();
        RecordingIrq line = new RecordingIrq();
        Pit8254 plain = new Pit8254(c, line);
        plain.ioWrite(0x43, 1, 0x34);
        plain.ioWrite(0x40, 1, 100);
        plain.ioWrite(0x40, 1, 0);
        c.advanceTo(Pit8254.nanosOfTick(550));
        plain.update();
        plain.update();
        assertEquals(1, line.risingEdges, "five edges due, one raised: the old behaviour");
    }
}
