package dev.jvmx.devices.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmx.devices.RecordingIrq;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Expected values worked by hand from the Intel 8254 datasheet: a count written at tick T is
 * loaded into CE at tick T+1 ("on the next CLK pulse") and decremented on each later pulse.
 */
class Pit8254Test {
    final VirtualClock clock = new VirtualClock();
    final RecordingIrq irq0 = new RecordingIrq();
    Pit8254 pit;
    SystemControlPortB portB;

    @BeforeEach
    void setUp() {
        pit = new Pit8254(clock, irq0);
        portB = new SystemControlPortB(pit);
    }

    void out(int port, int v) {
        pit.ioWrite(port, 1, v);
    }

    int in(int port) {
        return pit.ioRead(port, 1);
    }

    /** Moves the virtual clock to the first instant of CLK pulse number {@code tick}. */
    void toTick(long tick) {
        clock.advanceTo(Pit8254.nanosOfTick(tick));
    }

    boolean out2() {
        return (portB.ioRead(0x61, 1) & 0x20) != 0;
    }

    @Test
    void tickArithmetic() {
        assertEquals(1_193_182L, Pit8254.ticksAt(1_000_000_000L));
        assertEquals(1_000_000_000L, Pit8254.nanosOfTick(1_193_182L));
        assertEquals(839, Pit8254.nanosOfTick(1));   // ceil(1e9 / 1193182) = ceil(838.095)
        assertEquals(0, Pit8254.ticksAt(838));
        assertEquals(1, Pit8254.ticksAt(839));
    }

    @Test
    void mode2RateGeneratorDrivesIrq0Periodically() {
        out(0x43, 0x34);  // counter 0, LSB then MSB, mode 2, binary
        out(0x40, 0xA9);
        out(0x40, 0x04);  // 1193 = 0x04A9, loaded at tick 1
        // First rising edge when CE reloads: tick 1 + 1193 = 1194; ceil(1194e9 / 1193182) ns.
        assertEquals(1_000_686L, pit.nextEventNanos());
        clock.advanceTo(1_000_685L);
        pit.update();
        assertEquals(0, irq0.risingEdges);
        clock.advanceTo(1_000_686L);
        pit.update();
        assertEquals(1, irq0.risingEdges);
        // Next at tick 1 + 2 * 1193 = 2387: ceil(2387e9 / 1193182) = 2000534.
        assertEquals(2_000_534L, pit.nextEventNanos());
        pit.update();
        assertEquals(1, irq0.risingEdges); // nothing new at the same instant
    }

    @Test
    void severalMissedEdgesGiveOneIrq() {
        out(0x43, 0x34);
        out(0x40, 100);
        out(0x40, 0);
        toTick(1 + 1000);
        pit.update();
        assertEquals(1, irq0.risingEdges);
    }

    @Test
    void counterLatchFreezesTheValueUntilRead() {
        out(0x43, 0x34);
        out(0x40, 0xE8);
        out(0x40, 0x03);  // 1000, loaded at tick 1
        toTick(251);      // 250 pulses after loading: CE = 750 = 0x02EE
        out(0x43, 0x00);  // latch counter 0
        toTick(400);
        out(0x43, 0x00);  // a second latch before reading is ignored
        assertEquals(0xEE, in(0x40));
        assertEquals(0x02, in(0x40));
        // Unlatched: tick 400 is 399 after load: 1000 - 399 = 601 = 0x0259.
        assertEquals(0x59, in(0x40));
        assertEquals(0x02, in(0x40));
    }

    @Test
    void mode2WrapsWithPeriodN() {
        out(0x43, 0x34);
        out(0x40, 10);
        out(0x40, 0);
        toTick(1 + 10 + 3); // 13 pulses after load: 10 - (13 mod 10) = 7
        out(0x43, 0x00);
        assertEquals(7, in(0x40));
        assertEquals(0, in(0x40));
    }

    @Test
    void readBackStatusAndNullCount() {
        out(0x43, 0x34);
        out(0x43, 0xE2); // read-back: status only, counter 0
        // OUT high (mode 2 initial), NULL COUNT set, control bits 11 010 0.
        assertEquals(0xF4, in(0x40));
        out(0x40, 0x10);
        out(0x40, 0x00);
        toTick(1);       // the count is now in CE: NULL COUNT clears
        out(0x43, 0xC2); // read-back: count and status
        assertEquals(0xB4, in(0x40));  // status first
        assertEquals(0x10, in(0x40));  // then CE = 16 at the load tick
        assertEquals(0x00, in(0x40));
    }

    @Test
    void bcdCounting() {
        out(0x43, 0x35);  // mode 2, BCD
        out(0x40, 0x00);
        out(0x40, 0x10);  // 1000 decimal
        toTick(2);        // one pulse after load: 999
        out(0x43, 0x00);
        assertEquals(0x99, in(0x40));
        assertEquals(0x09, in(0x40));
    }

    @Test
    void lsbOnlyAndMsbOnlyAccess() {
        out(0x43, 0x14);  // counter 0, LSB only, mode 2
        out(0x40, 0x64);  // 100
        toTick(11);       // 10 after load: 90
        assertEquals(90, in(0x40));
        assertEquals(90, in(0x40)); // every read is the LSB
        out(0x43, 0x24);  // MSB only
        out(0x40, 0x01);  // 256, loaded one tick after this write (tick 12)
        toTick(12 + 256 - 1); // CE = 1, MSB 0
        assertEquals(0x00, in(0x40));
    }

    @Test
    void mode0OnCounter2ViaPort61() {
        portB.ioWrite(0x61, 1, 0x01);  // gate 2 high, speaker off
        out(0x43, 0xB0);               // counter 2, LSB/MSB, mode 0
        assertFalse(out2());           // OUT low after the control word
        out(0x42, 5);
        out(0x42, 0);                  // written at tick 0
        toTick(5);
        assertFalse(out2());
        toTick(6);                     // N+1 pulses after the write
        assertTrue(out2());
        toTick(1000);
        assertTrue(out2());            // stays high
    }

    @Test
    void mode0GateLowSuspendsCounting() {
        out(0x43, 0xB0);               // gate 2 low (reset state of port 0x61)
        out(0x42, 5);
        out(0x42, 0);
        toTick(100);
        assertFalse(out2());
        portB.ioWrite(0x61, 1, 0x01);  // gate high at tick 100: counting starts
        toTick(105);
        assertFalse(out2());
        toTick(106);
        assertTrue(out2());
    }

    @Test
    void controlWordTakingOut0FromLowToHighIsAnEdge() {
        out(0x43, 0x30);  // mode 0: OUT low
        out(0x43, 0x34);  // mode 2: OUT high at once
        assertEquals(1, irq0.risingEdges);
    }

    @Test
    void mode0IrqOnTerminalCount() {
        out(0x43, 0x30);
        out(0x40, 20);
        out(0x40, 0);
        assertEquals(Pit8254.nanosOfTick(21), pit.nextEventNanos());
        toTick(21);
        pit.update();
        assertEquals(1, irq0.risingEdges);
        assertEquals(Long.MAX_VALUE, pit.nextEventNanos());
    }

    @Test
    void mode3SquareWaveEvenAndOdd() {
        portB.ioWrite(0x61, 1, 0x01);
        out(0x43, 0xB6);  // counter 2, LSB/MSB, mode 3
        out(0x42, 4);
        out(0x42, 0);     // loaded at tick 1: high 2 pulses, low 2
        toTick(1);
        assertTrue(out2());
        toTick(2);
        assertTrue(out2());
        toTick(3);
        assertFalse(out2());
        toTick(4);
        assertFalse(out2());
        toTick(5);
        assertTrue(out2());
        out(0x43, 0xB6);
        out(0x42, 5);
        out(0x42, 0);     // odd: high (5+1)/2 = 3 pulses, low 2; loaded at tick 6
        toTick(8);
        assertTrue(out2());
        toTick(9);
        assertFalse(out2());
        toTick(10);
        assertFalse(out2());
        toTick(11);
        assertTrue(out2());
    }

    @Test
    void mode2GateLowForcesOutHigh() {
        portB.ioWrite(0x61, 1, 0x01);
        out(0x43, 0xB4);
        out(0x42, 3);
        out(0x42, 0);     // loaded at tick 1: OUT low when CE = 1, i.e. tick 3
        toTick(3);
        assertFalse(out2());
        portB.ioWrite(0x61, 1, 0x00);
        assertTrue(out2());
    }

    @Test
    void mode1OneShotTriggeredByGate() {
        out(0x43, 0xB2);  // counter 2, mode 1
        out(0x42, 3);
        out(0x42, 0);
        toTick(10);
        assertTrue(out2());            // waits for a trigger
        portB.ioWrite(0x61, 1, 0x01);  // rising gate at tick 10: OUT low from tick 11
        toTick(11);
        assertFalse(out2());
        toTick(13);
        assertFalse(out2());
        toTick(14);                    // N pulses low
        assertTrue(out2());
    }

    @Test
    void mode4SoftwareStrobe() {
        portB.ioWrite(0x61, 1, 0x01);
        out(0x43, 0xB8);  // counter 2, mode 4
        out(0x42, 3);
        out(0x42, 0);     // loaded at tick 1, CE = 0 at tick 4: OUT low for that pulse
        toTick(3);
        assertTrue(out2());
        toTick(4);
        assertFalse(out2());
        toTick(5);
        assertTrue(out2());
    }

    @Test
    void mode2NewCountTakesEffectAtTheEndOfThePeriod() {
        out(0x43, 0x34);
        out(0x40, 10);
        out(0x40, 0);     // loaded at tick 1, reloads at 11, 21, ...
        toTick(5);
        out(0x40, 100);
        out(0x40, 0);
        assertEquals(Pit8254.nanosOfTick(11), pit.nextEventNanos());
        toTick(11);
        pit.update();
        assertEquals(Pit8254.nanosOfTick(111), pit.nextEventNanos());
    }

    @Test
    void port61RefreshToggleAndReadOnlyBits() {
        int a = portB.ioRead(0x61, 1) & 0x10;
        int b = portB.ioRead(0x61, 1) & 0x10;
        assertEquals(0x10, a ^ b);
        portB.ioWrite(0x61, 1, 0xF3);
        assertEquals(0x03, portB.ioRead(0x61, 1) & 0xCF);
        assertTrue(portB.speakerOn());
    }

    @Test
    void nonsenseIsHarmless() {
        assertEquals(0xFF, in(0x43));
        out(0x43, 0xFE);  // read-back selecting nothing useful
        pit.ioWrite(0x44, 1, 0x12);
        out(0x43, 0x3E);  // mode 7 (an alias of mode 3), binary
        out(0x43, 0xE2);  // read-back status of counter 0
        // OUT high (mode 3's initial state), NULL COUNT, and the control bits as written.
        assertEquals(0x80 | 0x40 | 0x3E, in(0x40));
    }
}
