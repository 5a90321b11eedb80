package dev.jvmx.devices.acpi;

import dev.jvmx.devices.MachineControl;
import dev.jvmx.devices.RecordingIrq;
import dev.jvmx.devices.timer.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PIIX4 PM registers at base 0x600, from the 82371AB datasheet's PM I/O space and ACPI 6.5
 * section 4.8.3: the PM timer counts at 3.579545 MHz in 24 bits; TMR_STS sets when bit 23 of
 * the count changes (every 2^23 ticks = 2.3435 s); status bits clear on writing 1; SCI follows
 * status AND enable; SLP_EN with SLP_TYP 0 (soft off) turns the machine off, with SLP_TYP 1
 * (suspend to RAM) puts it to sleep; waking sets WAK_STS.
 */
class PmRegistersTest {
    static final int BASE = 0x600;
    final VirtualClock clock = new VirtualClock();
    final RecordingIrq sci = new RecordingIrq();
    final List<String> powerOffs = new ArrayList<>();
    final List<String> suspends = new ArrayList<>();
    PmRegisters pm;

    @BeforeEach
    void setUp() {
        MachineControl m = new MachineControl() {
            @Override public void requestExit(int exitCode, String reason) { }
            @Override public void requestReset(String reason) { }
            @Override public void setA20(boolean enabled) { }
            @Override public void requestPowerOff(String reason) {
                powerOffs.add(reason);
            }
            @Override public void requestSuspend(String reason) {
                suspends.add(reason);
            }
        };
        pm = new PmRegisters(clock, sci, m);
        pm.setBase(BASE);
    }

    private int in(int off, int size) {
        return pm.ioRead(BASE + off, size);
    }

    private void out(int off, int size, int v) {
        pm.ioWrite(BASE + off, size, v);
    }

    @Test
    void pmTimerCountsAt3579545HzIn24Bits() {
        assertEquals(0, in(8, 4));
        clock.advanceTo(1_000_000_000L);
        assertEquals(3_579_545, in(8, 4));
        clock.advanceTo(10_000_000_000L);
        assertEquals(35_795_450 - 2 * 16_777_216, in(8, 4), "wraps at 2^24");
        assertEquals(in(8, 4) & 0xFF, in(8, 1), "byte reads see the same count");
        assertEquals(0, in(11, 1), "bits 31:24 read 0");
    }

    @Test
    void timerStatusSetsWhenBit23ChangesAndClearsOnWriteOne() {
        clock.advanceTo(2_343_000_000L); // 8,386,873 ticks: bit 23 still 0
        assertEquals(0, in(0, 2) & PmRegisters.TMR_STS);
        clock.advanceTo(2_344_000_000L); // 8,390,453 ticks: bit 23 set
        assertEquals(PmRegisters.TMR_STS, in(0, 2) & PmRegisters.TMR_STS);
        out(0, 2, 0);
        assertEquals(PmRegisters.TMR_STS, in(0, 2) & PmRegisters.TMR_STS, "writing 0 leaves it");
        out(0, 2, PmRegisters.TMR_STS);
        assertEquals(0, in(0, 2) & PmRegisters.TMR_STS, "writing 1 clears it");
    }

    @Test
    void sciFollowsStatusAndEnable() {
        out(2, 2, PmRegisters.TMR_EN);
        assertEquals(PmRegisters.TMR_EN, in(2, 2));
        assertFalse(sci.level);
        assertEquals(Math.round(Math.ceil((1L << 23) * 1e9 / 3_579_545.0)), pm.nextEventNanos(), "first bit-23 change");
        clock.advanceTo(pm.nextEventNanos());
        pm.update();
        assertTrue(sci.level, "TMR_STS and TMR_EN: SCI asserted");
        out(0, 2, PmRegisters.TMR_STS);
        assertFalse(sci.level, "status cleared: SCI deasserted");
        out(2, 2, 0);
        assertEquals(Long.MAX_VALUE, pm.nextEventNanos(), "nothing enabled, nothing due");
    }

    @Test
    void sciEnReadsOneSinceTheMachineIsInAcpiMode() {
        assertEquals(PmRegisters.SCI_EN, in(4, 2) & PmRegisters.SCI_EN);
        out(4, 2, 0);
        assertEquals(PmRegisters.SCI_EN, in(4, 2) & PmRegisters.SCI_EN);
    }

    @Test
    void slpEnWithSoftOffTurnsTheMachineOff() {
        out(4, 2, PmRegisters.SLP_EN | PmRegisters.SLP_TYP_SOFT_OFF << PmRegisters.SLP_TYP_SHIFT | PmRegisters.SCI_EN);
        assertEquals(1, powerOffs.size());
        assertTrue(powerOffs.get(0).contains("S5"), powerOffs.get(0));
        assertEquals(0, in(4, 2) & PmRegisters.SLP_EN, "SLP_EN is write-only");
    }

    @Test
    void slpEnWithSuspendToRamPutsTheMachineToSleep() {
        out(4, 2, PmRegisters.SLP_EN | PmRegisters.SLP_TYP_SUSPEND_TO_RAM << PmRegisters.SLP_TYP_SHIFT);
        assertTrue(powerOffs.isEmpty());
        assertEquals(1, suspends.size());
        assertTrue(suspends.get(0).contains("S3"), suspends.get(0));
        assertEquals(1 << PmRegisters.SLP_TYP_SHIFT, in(4, 2) & PmRegisters.SLP_TYP_MASK, "SLP_TYP reads back");
    }

    @Test
    void sleepTypesOutsideTheDsdtDoNothing() {
        for (int type = 2; type < 8; type++) {
            out(4, 2, PmRegisters.SLP_EN | type << PmRegisters.SLP_TYP_SHIFT);
        }
        assertTrue(powerOffs.isEmpty());
        assertTrue(suspends.isEmpty());
    }

    @Test
    void wakeSetsWakStsWithItsCauseAndRaisesSciWhenEnabled() {
        assertFalse(pm.rtcWakeEnabled());
        out(2, 2, PmRegisters.RTC_EN);
        assertTrue(pm.rtcWakeEnabled(), "RTC_EN arms the RTC alarm as a wake event");
        pm.wake(PmRegisters.RTC_STS);
        assertEquals(PmRegisters.WAK_STS | PmRegisters.RTC_STS, in(0, 2) & ~PmRegisters.TMR_STS);
        assertTrue(sci.level, "RTC_STS with RTC_EN is an SCI");
        out(0, 2, PmRegisters.WAK_STS | PmRegisters.RTC_STS);
        assertEquals(0, in(0, 2) & (PmRegisters.WAK_STS | PmRegisters.RTC_STS), "both clear on writing 1");
        assertFalse(sci.level);
    }

    @Test
    void slpTypWithoutSlpEnDoesNothing() {
        out(4, 2, 0);
        assertTrue(powerOffs.isEmpty());
    }

    @Test
    void unusedBytesOfTheBlockReadZero() {
        assertEquals(0, in(0x0C, 4));
        assertEquals(0, in(0x3F, 1));
    }
}
