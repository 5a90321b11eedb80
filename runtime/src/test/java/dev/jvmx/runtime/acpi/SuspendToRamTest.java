package dev.jvmx.runtime.acpi;

import dev.jvmx.devices.acpi.PmRegisters;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.GnuBinutils;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ACPI S3 on a Multiboot kernel entered without firmware, where jvmx plays the BIOS: the kernel
 * finds the ACPI tables through the RSDP in the BIOS area, arms the RTC alarm as a wake event
 * (AIE, PM1_EN.RTC_EN) and writes SLP_TYP 1 with SLP_EN to PM1a_CNT; nothing after that OUT
 * runs. The alarm wakes the machine a second later (on the virtual clock, at once), and the
 * processor comes out of reset at the FACS's waking vector in real mode, CS = vector >> 4, with
 * WAK_STS and RTC_STS set in PM1_STS (ACPI 6.5, 16.3). GNU as builds the kernel.
 */
class SuspendToRamTest {
    @TempDir
    Path tmp;

    /** The 32-bit kernel; {@code resume} is copied to 0x1000 and entered in real mode there. */
    private static String kernel(boolean rtcWake) {
        return String.join("\n",
                ".intel_syntax noprefix", ".text", ".globl _start",
                ".align 4", ".long 0x1BADB002, 0, -0x1BADB002",
                "_start:",
                "mov esi, offset resume", "mov edi, 0x1000", "mov ecx, offset resume_end - resume", "rep movsb",
                // The RTC alarm at every second ("don't care" in all three bytes), AIE on, flags read clear.
                "mov al, 0x0C", "out 0x70, al", "in al, 0x71",
                "mov al, 0x01", "out 0x70, al", "mov al, 0xC0", "out 0x71, al",
                "mov al, 0x03", "out 0x70, al", "mov al, 0xC0", "out 0x71, al",
                "mov al, 0x05", "out 0x70, al", "mov al, 0xC0", "out 0x71, al",
                "mov al, 0x0B", "out 0x70, al", "mov al, 0x22", "out 0x71, al",
                "mov dx, 0x602", "mov ax, " + (rtcWake ? "0x400" : "0"), "out dx, ax", // PM1_EN
                "mov dword ptr [0x500], 0",
                "mov dx, 0x604", "mov ax, 0x2400", "out dx, ax",                       // S3
                "mov dword ptr [0x500], 1",                                           // must not run
                "cli", "hlt",
                ".code16",
                "resume:",
                "mov dx, 0x600", "in ax, dx", "mov si, ax",                            // PM1_STS
                "mov bx, 0x5A5A", "cli", "hlt",
                "resume_end:", "");
    }

    private Path build(boolean rtcWake) throws Exception {
        Path s = tmp.resolve("k.s"), o = tmp.resolve("k.o"), e = tmp.resolve("k.elf");
        Files.writeString(s, kernel(rtcWake));
        GnuBinutils.run(List.of(List.of("as", "--32", "-o", o.toString(), s.toString()),
                List.of("ld", "-m", "elf_i386", "-N", "-Ttext", "0x100000", "-e", "_start", "--build-id=none", "-o",
                        e.toString(), o.toString())));
        return e;
    }

    /** The FACS, found as an OS finds it: the RSDP in the BIOS area, its RSDT, the FADT's FIRMWARE_CTRL. */
    static int facs(PhysicalMemory m) {
        for (int a = 0xE0000; a < 0x100000; a += 16) {
            if (m.read32(a) == 0x20445352 && m.read32(a + 4) == 0x20525450) { // "RSD PTR "
                int rsdt = m.read32(a + 16);
                for (int i = 36; i < m.read32(rsdt + 4); i += 4) {
                    int t = m.read32(rsdt + i);
                    if (m.read32(t) == 0x50434146) { // "FACP"
                        return m.read32(t + 36);
                    }
                }
            }
        }
        throw new AssertionError("no RSDP in 0xE0000-0xFFFFF");
    }

    private Machine machine(boolean rtcWake) throws Exception {
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = build(rtcWake);
        cfg.clock = MachineConfig.ClockMode.VIRTUAL;
        cfg.timeoutSeconds = 20;
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        return m;
    }

    @Test
    void theRtcAlarmWakesTheMachineAtTheFacsWakingVector() throws Exception {
        assumeTrue(GnuBinutils.installed(), "GNU as/ld are not installed");
        try (Machine m = machine(true)) {
            int facs = facs(m.memory);
            assertEquals(0x53434146, m.memory.read32(facs), "FACS signature");
            m.memory.write32(facs + WakingVector.FIRMWARE_WAKING_VECTOR, 0x1000); // what the OS writes
            StopReason s = m.run();
            Cpu c = m.cpu;
            assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
            assertEquals(0x5A5A, c.regs[Cpu.EBX] & 0xFFFF, "the resume code ran");
            assertEquals(0x0100, c.seg[Seg.CS].selector, "real mode, CS = vector >> 4");
            assertEquals(0, m.memory.read32(0x500), "nothing ran after the OUT to PM1a_CNT");
            int sts = c.regs[Cpu.ESI] & 0xFFFF;
            assertEquals(PmRegisters.WAK_STS | PmRegisters.RTC_STS, sts & (PmRegisters.WAK_STS | PmRegisters.RTC_STS),
                    String.format("PM1_STS %#x", sts));
        }
    }

    /** A debugger's stop while the machine sleeps (host clock, a second to the alarm): the next run sleeps on. */
    @Test
    void aDebuggersStopWhileAsleepLeavesTheMachineAsleep() throws Exception {
        assumeTrue(GnuBinutils.installed(), "GNU as/ld are not installed");
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = build(true);
        cfg.timeoutSeconds = 20;
        try (Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE)) {
            m.load();
            m.memory.write32(facs(m.memory) + WakingVector.FIRMWARE_WAKING_VECTOR, 0x1000);
            Thread stopper = new Thread(() -> {
                long end = System.nanoTime() + 10_000_000_000L;
                while (!m.asleep() && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                m.loop.requestDebugStop("the test's debugger");
            });
            stopper.start();
            StopReason s = m.run();
            stopper.join();
            assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
            assertTrue(m.asleep(), "the stop came while the machine slept");
            s = m.run();
            assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
            assertEquals(0x5A5A, m.cpu.regs[Cpu.EBX] & 0xFFFF, "woken at the waking vector");
            assertEquals(0, m.memory.read32(0x500), "nothing ran after the OUT to PM1a_CNT");
        }
    }

    @Test
    void aSleepNothingCanWakeEndsTheRun() throws Exception {
        assumeTrue(GnuBinutils.installed(), "GNU as/ld are not installed");
        try (Machine m = machine(false)) {
            StopReason s = m.run();
            assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
            assertTrue(s.message.contains("S3") && s.message.contains("nothing can wake"), s.message);
            assertEquals(0, m.memory.read32(0x500), "nothing ran after the OUT to PM1a_CNT");
        }
    }
}
