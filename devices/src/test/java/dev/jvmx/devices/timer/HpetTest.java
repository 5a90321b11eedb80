package dev.jvmx.devices.timer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HPET registers as the IA-PC HPET Specification 1.0a lays them out (2.3), with the values
 * this block advertises: revision 1, 3 timers, a 64-bit counter, vendor 8086, 10 ns a tick, and
 * timers without any interrupt route.
 */
class HpetTest {
    final VirtualClock clock = new VirtualClock();
    final Hpet hpet = new Hpet(clock);

    @Test
    void capabilitiesAsAdvertised() {
        // REV_ID 01, NUM_TIM_CAP 2 (bits 12:8), COUNT_SIZE_CAP (bit 13), no LEG_RT_CAP (bit 15), vendor 8086.
        assertEquals(0x80862201L, hpet.read(Hpet.GCAP_ID, 4));
        assertEquals(10_000_000L, hpet.read(Hpet.GCAP_ID + 4, 4), "COUNTER_CLK_PERIOD in femtoseconds");
        assertEquals(0x0098968080862201L, hpet.read(Hpet.GCAP_ID, 8));
    }

    @Test
    void counterRunsAt100MHzOnlyWhenEnabled() {
        clock.advanceTo(1_000_000);
        assertEquals(0, hpet.read(Hpet.MAIN_CNT, 4), "halted after reset");
        hpet.write(Hpet.GEN_CONF, 4, Hpet.ENABLE_CNF);
        clock.advanceTo(1_000_000 + 1_000_000_000L);
        assertEquals(100_000_000L, hpet.read(Hpet.MAIN_CNT, 8), "one second: 10^8 ticks");
        hpet.write(Hpet.GEN_CONF, 4, 0);
        clock.advance(5_000_000_000L);
        assertEquals(100_000_000L, hpet.read(Hpet.MAIN_CNT, 4), "halted: holds");
        hpet.write(Hpet.MAIN_CNT + 4, 4, 1);
        assertEquals(0x1_05F5_E100L, hpet.read(Hpet.MAIN_CNT, 8), "software sets the high half");
        hpet.write(Hpet.GEN_CONF, 4, Hpet.ENABLE_CNF);
        clock.advance(70);
        assertEquals(0x1_05F5_E107L, hpet.read(Hpet.MAIN_CNT, 8), "and counting goes on from there");
        assertEquals(1, hpet.read(Hpet.MAIN_CNT + 4, 4));
    }

    @Test
    void legacyReplacementCannotBeTurnedOn() {
        hpet.write(Hpet.GEN_CONF, 4, 3);
        assertEquals(Hpet.ENABLE_CNF, hpet.read(Hpet.GEN_CONF, 4), "LEG_RT_CNF needs LEG_RT_CAP");
    }

    @Test
    void timersHaveNoInterruptRouteAndKeepWhatIsWritten() {
        for (int t = 0; t < Hpet.TIMERS; t++) {
            int conf = Hpet.TIMER0 + Hpet.TIMER_STRIDE * t;
            assertEquals(0x20, hpet.read(conf, 4), "Tn_SIZE_CAP only: no periodic, no FSB");
            assertEquals(0, hpet.read(conf + 4, 4), "Tn_INT_ROUTE_CAP: no route");
            assertEquals(-1L, hpet.read(conf + 8, 8), "comparator resets to all ones");
            hpet.write(conf, 4, 0xFFFFFFFF);
            assertEquals(0x20 | 0x2 | 0x4 | 0x40 | 0x100 | 0x3E00, hpet.read(conf, 4), "the writable bits");
            hpet.write(conf + 8, 4, 0x1234);
            assertEquals(0x1234, hpet.read(conf + 8, 8), "32-bit mode keeps the low half");
        }
        assertEquals(0, hpet.read(Hpet.GINTR_STA, 4));
    }
}
