package dev.jvmx.runtime.board;

import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.Tsc;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The APICs on the board: the local APIC's window follows IA32_APIC_BASE (SDM Vol. 3A, 11.4.4),
 * CPUID.1:EDX[9] follows its global enable (11.4.3), the 8259 reaches the CPU through LINT0 in
 * virtual-wire mode, ISA IRQs reach the I/O APIC (IRQ0 on pin 2), and the test devices decode
 * where QEMU puts them.
 */
class ApicWiringTest {
    private static Machine machine(boolean testDevices) throws Exception {
        MachineConfig cfg = new MachineConfig();
        cfg.bios = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize()
                .resolve("guest-images/images/first-guest.rom");
        cfg.pcTestDev = testDevices;
        cfg.pciTestDev = testDevices;
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        return m;
    }

    static int cpuid1(Machine m, int reg) {
        m.cpu.regs[Cpu.EAX] = 1;
        SystemOps.cpuid(m.cpu);
        return m.cpu.regs[reg];
    }

    @Test
    void windowFollowsTheBaseMsrAndCpuidFollowsTheEnable() throws Exception {
        Machine m = machine(false);
        assertEquals(0x00050014, m.memory.read32(0xFEE00030), "version register through memory");
        assertTrue((cpuid1(m, Cpu.EDX) & (1 << 9)) != 0);
        assertEquals(0xFEE00900L, SystemOps.readMsr(m.cpu, 0x1B));
        SystemOps.writeMsr(m.cpu, 0x1B, 0xFED00900L); // moved
        assertEquals(0x00050014, m.memory.read32(0xFED00030));
        assertEquals(0xFFFFFFFF, m.memory.read32(0xFEE00030), "nothing decodes the old page");
        SystemOps.writeMsr(m.cpu, 0x1B, 0x00100900L); // onto RAM: the APIC covers it ...
        m.memory.write32(0x00100080, 0x40);
        assertEquals(0x40, m.apic.read(LocalApic.TPR));
        SystemOps.writeMsr(m.cpu, 0x1B, 0xFEE00100L); // ... until it is disabled: RAM again
        assertEquals(0, m.memory.read32(0x00100080));
        assertEquals(0xFFFFFFFF, m.memory.read32(0xFEE00030));
        assertEquals(0, cpuid1(m, Cpu.EDX) & (1 << 9), "CPUID's APIC flag follows IA32_APIC_BASE[11]");
        assertEquals(0, cpuid1(m, Cpu.ECX) & (1 << 21), "no x2APIC in this CPU model");
        assertTrue((cpuid1(m, Cpu.ECX) & (1 << 24)) != 0, "TSC-deadline timer");
    }

    /**
     * CPUID 15H gives the TSC's frequency (crystal * EBX / EAX, SDM Vol. 2A, CPUID) and the core
     * crystal clock, which must be what the TSC and the APIC timer count: Linux takes the first as
     * tsc_khz and the second as the APIC timer's rate without measuring either.
     */
    @Test
    void cpuidLeaf15GivesTheTscAndApicTimerRates() throws Exception {
        Machine m = machine(false);
        m.cpu.regs[Cpu.EAX] = 0;
        SystemOps.cpuid(m.cpu);
        assertEquals(0x15, m.cpu.regs[Cpu.EAX], "highest basic leaf");
        m.cpu.regs[Cpu.EAX] = 0x15;
        SystemOps.cpuid(m.cpu);
        long denominator = m.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL;
        long numerator = m.cpu.regs[Cpu.EBX] & 0xFFFFFFFFL;
        long crystal = m.cpu.regs[Cpu.ECX] & 0xFFFFFFFFL;
        assertTrue(denominator != 0 && numerator != 0 && crystal != 0, "all three reported");
        assertEquals(Tsc.FREQUENCY_HZ, crystal * numerator / denominator, "TSC Hz");
        assertEquals(LocalApic.TIMER_HZ, crystal, "the APIC timer counts the crystal clock");
    }

    @Test
    void the8259ReachesTheCpuThroughLint0() throws Exception {
        Machine m = machine(false);
        int[][] init = {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0x00}};
        for (int[] w : init) {
            m.bus.write(w[0], 1, w[1]);
        }
        m.irqs.isa(4).pulse();
        assertTrue(m.interruptPending(), "LINT0 is ExtINT after reset (virtual wire)");
        assertEquals(0x0C, m.acknowledgeInterrupt());
        // Masking LINT0 (with the APIC software-enabled) cuts the 8259 off ...
        m.apic.write(LocalApic.SVR, 0x1FF);
        m.apic.write(LocalApic.LVT_LINT0, 0x10700);
        m.bus.write(0x20, 1, 0x20);
        m.irqs.isa(3).pulse();
        assertFalse(m.interruptPending());
        // ... and a globally disabled APIC is no APIC at all: the 8259's INTR is the CPU's.
        SystemOps.writeMsr(m.cpu, 0x1B, 0xFEE00100L);
        assertTrue(m.interruptPending());
        assertEquals(0x0B, m.acknowledgeInterrupt());
    }

    @Test
    void isaIrqsReachTheIoApic() throws Exception {
        Machine m = machine(false);
        m.apic.write(LocalApic.SVR, 0x1FF);
        m.memory.write32(0xFEC00000, 0x10 + 2 * 2); // pin 2: vector 30h, fixed, physical 0
        m.memory.write32(0xFEC00010, 0x30);
        m.memory.write32(0xFEC00000, 0x01);
        assertEquals(0x00170011, m.memory.read32(0xFEC00010));
        m.irqs.isa(0).pulse(); // the PIT's IRQ0
        assertTrue(m.interruptPending());
        assertEquals(0x30, m.acknowledgeInterrupt());
    }

    @Test
    void testDevicesWhereQemuHasThem() throws Exception {
        Machine m = machine(true);
        m.bus.write(0xE0, 4, 0xA5A5_1234);
        assertEquals(0x1234, m.bus.read(0xE0, 2));
        assertEquals(0xE9, m.bus.read(0xE9, 1), "the debug console keeps 0xE9");
        m.memory.write32(0xFF000010, 0xDEADBEEF);
        assertEquals(0xDEADBEEF, m.memory.read32(0xFF000010));
        assertEquals(0x00051B36, pciRead(m, 3, 0x00));
        pciWrite(m, 3, 0x10, 0xFEBFF000);
        pciWrite(m, 3, 0x14, 0xC000);
        pciWrite(m, 3, 0x04, 0x3);
        m.bus.write(0xC000, 1, 1); // I/O region: select test 3 + 1
        assertEquals(4, m.bus.read(0xC000, 1));
        m.memory.write8(0xFEBFF000, 0); // memory region: test 0
        assertEquals(0, m.memory.read8(0xFEBFF000));
        assertEquals(2048, m.memory.read32(0xFEBFF004));
    }

    private static int pciRead(Machine m, int dev, int reg) {
        m.bus.write(0xCF8, 4, 0x80000000 | dev << 11 | (reg & 0xFC));
        return m.bus.read(0xCFC, 4);
    }

    private static void pciWrite(Machine m, int dev, int reg, int v) {
        m.bus.write(0xCF8, 4, 0x80000000 | dev << 11 | (reg & 0xFC));
        m.bus.write(0xCFC, 4, v);
    }
}
