package dev.jvmx.runtime.board;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.devices.pci.Piix3Pm;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.helpers.Tsc;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TSC, the PIT and the ACPI PM timer run from one machine clock, each at its own fixed
 * rate: 1 GHz (the TSC, see helpers.Tsc), 1.193182 MHz (the 8254's CLK input), 3.579545 MHz
 * (ACPI's PM timer). Under --clock virtual one guest instruction is one nanosecond of it.
 */
class MachineClockTest {
    private static Machine machine(MachineConfig.ClockMode mode) {
        MachineConfig cfg = new MachineConfig();
        cfg.bios = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().resolve("guest-images/images/first-guest.rom");
        cfg.clock = mode;
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        // What firmware does: the PM registers at 0x600.
        m.pmFunction.configWrite(Piix3Pm.PMBA, 4, 0x601);
        m.pmFunction.configWrite(Piix3Pm.PMREGMISC, 1, 1);
        return m;
    }

    private static int pitCount0(Machine m) {
        m.bus.write(0x43, 1, 0x00); // latch counter 0
        return m.bus.read(0x40, 1) | m.bus.read(0x40, 1) << 8;
    }

    @Test
    void virtualClockDrivesTscPitAndPmTimerTogether() {
        Machine m = machine(MachineConfig.ClockMode.VIRTUAL);
        m.bus.write(0x43, 1, 0x34);  // counter 0, LSB then MSB, mode 2
        m.bus.write(0x40, 1, 0);
        m.bus.write(0x40, 1, 0);     // count 65536
        m.cpu.instructions = 10_000; // let the count load and run a little
        long tsc0 = Tsc.read(m.cpu);
        int pit0 = pitCount0(m);
        int pm0 = m.bus.read(0x608, 4);
        m.cpu.instructions += 10_000_000; // 10 ms of virtual time
        long tsc1 = Tsc.read(m.cpu);
        int pit1 = pitCount0(m);
        int pm1 = m.bus.read(0x608, 4);
        assertEquals(10_000_000, tsc1 - tsc0, "1 GHz: 10 ms are 10,000,000 TSC ticks");
        // 10 ms at 1.193182 MHz: 11931.82 CLK pulses; the count falls by 11931 or 11932 (mod 65536).
        int pitTicks = Math.floorMod(pit0 - pit1, 65536);
        assertTrue(pitTicks == 11931 || pitTicks == 11932, "PIT ticks in 10 ms: " + pitTicks);
        // 10 ms at 3.579545 MHz: 35795.45 ticks of the 24-bit PM timer.
        int pmTicks = (pm1 - pm0) & 0xFFFFFF;
        assertTrue(pmTicks == 35795 || pmTicks == 35796, "PM timer ticks in 10 ms: " + pmTicks);
        assertEquals(0, pm1 >>> 24, "the PM timer is 24 bits wide (TMR_VAL_EXT clear)");
    }

    @Test
    void virtualClockIsTheSameEveryRun() {
        Machine a = machine(MachineConfig.ClockMode.VIRTUAL);
        Machine b = machine(MachineConfig.ClockMode.VIRTUAL);
        a.cpu.instructions = b.cpu.instructions = 123_456_789;
        assertEquals(Tsc.read(a.cpu), Tsc.read(b.cpu));
        assertEquals(a.bus.read(0x608, 4), b.bus.read(0x608, 4));
    }

    @Test
    void hostClockTscFollowsWallTime() throws InterruptedException {
        Machine m = machine(MachineConfig.ClockMode.HOST);
        long t0 = System.nanoTime();
        long tsc0 = Tsc.read(m.cpu);
        Thread.sleep(20);
        long tsc1 = Tsc.read(m.cpu);
        long t1 = System.nanoTime();
        assertTrue(tsc1 - tsc0 >= 20_000_000L, "at least the 20 ms slept: " + (tsc1 - tsc0));
        assertTrue(tsc1 - tsc0 <= t1 - t0, "at most the wall time around it: " + (tsc1 - tsc0) + " > " + (t1 - t0));
    }

    /**
     * On the host clock the machine asks the guest's thread for a look at its timers when one is
     * due, however long the guest runs without an exit (TimerWaker): after a look with the PIT
     * ticking every millisecond, the request comes within the second without another.
     */
    @Test
    void hostClockAsksForALookWhenATimerIsDue() throws InterruptedException {
        Machine m = machine(MachineConfig.ClockMode.HOST);
        try {
            m.bus.write(0x43, 1, 0x34);  // counter 0, LSB then MSB, mode 2
            m.bus.write(0x40, 1, 1193 & 0xFF);
            m.bus.write(0x40, 1, 1193 >> 8); // 1 ms
            // Withdrawn before the look, not after: the waker may ask within the millisecond.
            m.cpu.withdraw(ExecutionLoop.REQUEST_SERVICE);
            m.service(m.cpu);
            long t0 = System.nanoTime();
            while ((m.cpu.interruptRequest & ExecutionLoop.REQUEST_SERVICE) == 0
                    && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(1);
            }
            assertTrue((m.cpu.interruptRequest & ExecutionLoop.REQUEST_SERVICE) != 0,
                    "no look asked for within 5 s of a PIT tick due in 1 ms");
        } finally {
            m.close();
        }
    }
}
