package dev.jvmx.devices.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmx.devices.RecordingIrq;
import dev.jvmx.devices.timer.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values from the MC146818A datasheet and the IBM AT CMOS layout, worked by hand. */
class CmosRtcTest {
    static final long S = 1_000_000_000L;
    final VirtualClock clock = new VirtualClock(5 * S); // the machine's clock need not start at 0
    final RecordingIrq irq8 = new RecordingIrq();
    CmosRtc rtc;

    @BeforeEach
    void setUp() {
        rtc = new CmosRtc(clock, irq8);
    }

    int cmos(int reg) {
        rtc.ioWrite(0x70, 1, reg);
        return rtc.ioRead(0x71, 1);
    }

    void cmos(int reg, int v) {
        rtc.ioWrite(0x70, 1, reg);
        rtc.ioWrite(0x71, 1, v);
    }

    @Test
    void startsAt2026NewYearInBcd24h() {
        assertEquals(0x00, cmos(0x00));
        assertEquals(0x00, cmos(0x02));
        assertEquals(0x00, cmos(0x04));
        assertEquals(0x05, cmos(0x06)); // 2026-01-01 is a Thursday: Sunday=1 .. Thursday=5
        assertEquals(0x01, cmos(0x07));
        assertEquals(0x01, cmos(0x08));
        assertEquals(0x26, cmos(0x09));
        assertEquals(0x20, cmos(0x32)); // century
        assertEquals(0x80, cmos(0x0D)); // VRT
    }

    @Test
    void timeFollowsTheClock() {
        clock.advance(3661 * S + S / 2);
        assertEquals(0x01, cmos(0x00));
        assertEquals(0x01, cmos(0x02));
        assertEquals(0x01, cmos(0x04));
        clock.advance(86_400 * 31 * S); // into February
        assertEquals(0x02, cmos(0x08));
        assertEquals(0x01, cmos(0x07));
    }

    @Test
    void binaryAnd12HourFormats() {
        clock.advance(13 * 3600 * S + 59 * S);
        cmos(0x0B, 0x06); // binary, 24h
        assertEquals(59, cmos(0x00));
        assertEquals(13, cmos(0x04));
        cmos(0x0B, 0x00); // BCD, 12h
        assertEquals(0x81, cmos(0x04)); // 1 PM
        cmos(0x0B, 0x04); // binary, 12h
        assertEquals(0x81, cmos(0x04));
        clock.advance(11 * 3600 * S); // 00:00:59 next day: 12 AM
        cmos(0x0B, 0x00);
        assertEquals(0x12, cmos(0x04));
    }

    @Test
    void uipDuringThe244MicrosecondsBeforeAnUpdate() {
        clock.advance(S - 244_001);
        assertEquals(0x00, cmos(0x0A) & 0x80);
        clock.advance(1);
        assertEquals(0x80, cmos(0x0A) & 0x80);
        assertEquals(0x00, cmos(0x00));
        clock.advance(244_000);
        assertEquals(0x00, cmos(0x0A) & 0x80);
        assertEquals(0x01, cmos(0x00));
        assertEquals(0x26, cmos(0x0A)); // DV 010, RS 0110
    }

    @Test
    void flagsAreSetWhetherOrNotEnabled() {
        clock.advance(S);
        // UF after the update; PF too, as RS 6 keeps running with PIE clear. No IRQF.
        assertEquals(0x50, cmos(0x0C));
        assertEquals(0x00, cmos(0x0C)); // the read cleared them
        assertFalse(irq8.level);
    }

    @Test
    void updateEndedInterruptRaisesAndReadOfCLowersIrq8() {
        cmos(0x0B, 0x12);
        assertEquals(6 * S, rtc.nextEventNanos()); // clock started at 5 s: first update at 6 s
        clock.advanceTo(6 * S);
        rtc.update();
        assertTrue(irq8.level);
        assertEquals(0xD0, cmos(0x0C)); // IRQF, UF, and PF (set though not enabled)
        assertFalse(irq8.level);
    }

    @Test
    void periodicInterruptAt1024Hz() {
        cmos(0x0B, 0x42); // PIE
        // RS 6: 32768 / 2^5 = 1024 Hz, every 32 oscillator cycles = 976562.5 ns -> 976563.
        assertEquals(5 * S + 976_563, rtc.nextEventNanos());
        clock.advanceTo(5 * S + 976_562);
        rtc.update();
        assertFalse(irq8.level);
        clock.advanceTo(5 * S + 976_563);
        rtc.update();
        assertTrue(irq8.level);
        assertEquals(0xC0, cmos(0x0C));
        cmos(0x0A, 0x2F); // RS 15: 2 Hz
        assertEquals(5 * S + S / 2, rtc.nextEventNanos());
        cmos(0x0A, 0x20); // RS 0: periodic off
        assertEquals(Long.MAX_VALUE, rtc.nextEventNanos());
    }

    @Test
    void alarmMatchAndDontCare() {
        cmos(0x01, 0x05);
        cmos(0x03, 0x00);
        cmos(0x05, 0x00);
        cmos(0x0B, 0x22); // AIE
        clock.advance(4 * S);
        rtc.update();
        assertFalse(irq8.level);
        clock.advance(S);
        rtc.update();
        assertTrue(irq8.level);
        assertEquals(0xF0, cmos(0x0C)); // IRQF, AF, UF, PF
        cmos(0x01, 0xC0); // seconds don't care: 00:00:xx matches every second
        clock.advance(S);
        rtc.update();
        assertEquals(0xF0, cmos(0x0C));
    }

    @Test
    void alarmInterruptIsAfWithAie() {
        cmos(0x01, 0xC0);
        cmos(0x03, 0xC0);
        cmos(0x05, 0xC0); // every second
        cmos(0x0B, 0x02);
        assertFalse(rtc.alarmEnabled(), "AIE off");
        clock.advance(S);
        rtc.update();
        assertFalse(rtc.alarmInterrupt(), "AF without AIE asserts nothing");
        cmos(0x0C);
        cmos(0x0B, 0x22);
        assertTrue(rtc.alarmEnabled());
        clock.advance(S);
        rtc.update();
        assertTrue(rtc.alarmInterrupt());
        cmos(0x0C); // reading C clears AF
        assertFalse(rtc.alarmInterrupt());
        cmos(0x0A, 0x70); // divider in reset: the clock stops
        assertFalse(rtc.alarmEnabled(), "a stopped clock has no alarm to come");
    }

    @Test
    void setBitFreezesTimeAndWritesTakeEffectWhenCleared() {
        cmos(0x0B, 0x82 | 0x10); // SET (and UIE, which SET clears)
        assertEquals(0x82, cmos(0x0B));
        cmos(0x09, 0x99);
        cmos(0x08, 0x12);
        cmos(0x07, 0x31);
        cmos(0x04, 0x23);
        cmos(0x02, 0x59);
        cmos(0x00, 0x59);
        clock.advance(10 * S);
        assertEquals(0x59, cmos(0x00)); // frozen
        assertEquals(0x00, cmos(0x0A) & 0x80);
        cmos(0x0B, 0x02);
        clock.advance(S - 1);
        assertEquals(0x59, cmos(0x00));
        clock.advance(1); // one second after SET cleared: 2099-12-31 23:59:59 -> 2100-01-01
        assertEquals(0x00, cmos(0x00));
        assertEquals(0x00, cmos(0x04));
        assertEquals(0x01, cmos(0x07));
        assertEquals(0x01, cmos(0x08));
        assertEquals(0x00, cmos(0x09));
    }

    @Test
    void dayOfWeekIsAUserCounter() {
        cmos(0x06, 0x01); // call Thursday "Sunday"
        assertEquals(0x01, cmos(0x06));
        clock.advance(86_400 * S);
        assertEquals(0x02, cmos(0x06));
    }

    @Test
    void dividerResetHoldsTimeAndFirstUpdateIsHalfASecondAfter() {
        cmos(0x0A, 0x70);
        clock.advance(5 * S);
        assertEquals(0x00, cmos(0x00));
        cmos(0x0A, 0x26);
        clock.advance(S / 2 - 1);
        assertEquals(0x00, cmos(0x00));
        clock.advance(1);
        assertEquals(0x01, cmos(0x00));
    }

    @Test
    void memorySizes32MiB() {
        rtc.setMemorySizes(32L << 20);
        assertEquals(0x80, cmos(0x15)); // 640 KiB = 0x0280
        assertEquals(0x02, cmos(0x16));
        assertEquals(0x00, cmos(0x17)); // 31 MiB = 31744 KiB = 0x7C00
        assertEquals(0x7C, cmos(0x18));
        assertEquals(0x00, cmos(0x30));
        assertEquals(0x7C, cmos(0x31));
        assertEquals(0x00, cmos(0x34)); // 16 MiB / 64 KiB = 0x0100
        assertEquals(0x01, cmos(0x35));
        assertEquals(0x00, cmos(0x2E)); // 0x80 + 0x02 + 0x7C = 0x00FE
        assertEquals(0xFE, cmos(0x2F));
    }

    @Test
    void memorySizes6GiBCapsAndAbove4g() {
        rtc.setMemorySizes(6L << 30);
        assertEquals(0xFF, cmos(0x17));
        assertEquals(0xFF, cmos(0x18));
        assertEquals(0x00, cmos(0x34)); // (4 GiB - 16 MiB) / 64 KiB = 65280 = 0xFF00
        assertEquals(0xFF, cmos(0x35));
        assertEquals(0x00, cmos(0x5B)); // 2 GiB / 64 KiB = 0x008000
        assertEquals(0x80, cmos(0x5C));
        assertEquals(0x00, cmos(0x5D));
        rtc.setEquipment(true, 0);
        assertEquals(0x02, cmos(0x14));
        // 0x80 + 0x02 + 0xFF + 0xFF + 0x02 = 0x0282
        assertEquals(0x02, cmos(0x2E));
        assertEquals(0x82, cmos(0x2F));
    }

    @Test
    void nmiMaskNvramAndReadOnlyRegisters() {
        rtc.ioWrite(0x70, 1, 0x80 | 0x40);
        assertTrue(rtc.nmiDisabled());
        rtc.ioWrite(0x71, 1, 0x5A);
        assertEquals(0x5A, rtc.ioRead(0x71, 1));
        assertEquals(0xFF, rtc.ioRead(0x70, 1));
        cmos(0x0D, 0x00);
        assertEquals(0x80, cmos(0x0D));
        cmos(0x0C, 0xFF);
        assertEquals(0x00, cmos(0x0C));
        cmos(0x0A, 0xFF); // UIP is read-only; DV 111 holds the divider in reset
        assertEquals(0x7F, cmos(0x0A));
        cmos(0x00, 0xFF); // nonsense BCD seconds: no exception, clamped
        cmos(0x08, 0x00);
        assertFalse(rtc.nmiDisabled()); // cmos() writes indexes with bit 7 clear
    }
}
