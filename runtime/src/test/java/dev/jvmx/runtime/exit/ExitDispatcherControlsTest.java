package dev.jvmx.runtime.exit;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IoPortBus;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.TranslationCache;
import dev.jvmx.translator.exec.TranslationContext;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher's side of the execution controls: passed port I/O, MSR statistics, cache flushes. */
class ExitDispatcherControlsTest {
    private final List<String> deviceLog = new ArrayList<>();
    private Cpu cpu;
    private TranslationCache cache;
    private ExitDispatcher d;

    @BeforeEach
    void setUp() {
        cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cache = new TranslationCache(cpu);
        IoPortBus bus = new IoPortBus();
        bus.register(0x80, 1, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                deviceLog.add("r" + Integer.toHexString(port));
                return 0x5A;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                deviceLog.add("w" + Integer.toHexString(port) + "=" + Integer.toHexString(value));
            }
        });
        d = new ExitDispatcher(bus, cache, false);
        cpu.exitHandler = d;
    }

    @AfterEach
    void tearDown() {
        TranslationContext.unbind();
    }

    @Test
    void passedPortAccessReachesTheDeviceAndIsNotAnExit() {
        d.portWrite(cpu, 0x80, 1, 0x42);
        assertEquals(0x5A, d.portRead(cpu, 0x80, 1));
        assertEquals(List.of("w80=42", "r80"), deviceLog);
        assertEquals(0, d.statistics().totalCount());
        assertEquals(0, d.statistics().ioCount(0x80, false));

        d.ioOut(cpu, IoQualification.encode(1, false, false, false, true, 0x80), 0x43);
        assertEquals(List.of("w80=42", "r80", "w80=43"), deviceLog);
        assertEquals(1, d.statistics().count(ExitReason.IO_INSTRUCTION));
        assertEquals(1, d.statistics().ioCount(0x80, false));
    }

    @Test
    void rdmsrAndWrmsrExitsAreCountedPerMsr() {
        cpu.regs[Cpu.ECX] = 0x174; // IA32_SYSENTER_CS
        cpu.regs[Cpu.EAX] = 0x10;
        d.exit(cpu, ExitReason.WRMSR, 0, 2);
        d.exit(cpu, ExitReason.RDMSR, 0, 2);
        d.exit(cpu, ExitReason.RDMSR, 0, 2);
        assertEquals(1, d.statistics().msrCount(0x174, true));
        assertEquals(2, d.statistics().msrCount(0x174, false));
        assertEquals(0x10, cpu.regs[Cpu.EAX], "RDMSR read back what WRMSR wrote");
        assertTrue(d.statistics().formatMsrTable().contains("0x174:rdmsr"));
    }

    @Test
    void aControlChangeAfterAttachFlushesTheCache() {
        // Real mode at 0000:1000: NOP; HLT.
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].loadReal(0);
        }
        cpu.eip = 0x1000;
        cpu.memory.load(0x1000, new byte[] {(byte) 0x90, (byte) 0xF4}, 0, 2);
        d.attach(cpu);
        cache.lookup();
        assertEquals(1, cache.size());
        cpu.exitContext.controls.setPrimary(PrimaryProcessorControls.HLT_EXITING, false);
        assertEquals(0, cache.size());
        assertEquals(cpu.exitContext.controls, TranslationContext.current());

        // Masks and shadows are read at run time: no flush.
        cache.lookup();
        cpu.exitContext.controls.setCr0(0x1, 0x1);
        assertEquals(1, cache.size());
    }

    @Test
    void changedControlsAreAttachedAtTheFirstExitAndStaleBlocksDropped() {
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].loadReal(0);
        }
        cpu.eip = 0x1000;
        cpu.memory.load(0x1000, new byte[] {(byte) 0x90, (byte) 0xF4}, 0, 2);
        cpu.exitContext.controls.setPrimary(PrimaryProcessorControls.USE_IO_BITMAPS, true);
        cache.lookup(); // translated under the default, before the controls were attached
        d.ioOut(cpu, IoQualification.encode(1, false, false, false, true, 0x80), 1);
        assertEquals(0, cache.size());
        assertEquals(cpu.exitContext.controls, TranslationContext.current());
    }
}
