package dev.jvmx.runtime.exit;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IoPortBus;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;
import dev.jvmx.vmx.VmcsField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher's side of the execution controls: passed port I/O and MSR statistics, read from the VMCS. */
class ExitDispatcherControlsTest {
    private final List<String> deviceLog = new ArrayList<>();
    private Cpu cpu;
    private CodeCache cache;
    private ExitDispatcher d;

    @BeforeEach
    void setUp() {
        cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cache = new CodeCache(cpu);
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

    @Test
    void passedPortAccessReachesTheDeviceAndIsNotAnExit() {
        d.portWrite(cpu, 0x80, 1, 0x42);
        assertEquals(0x5A, d.portRead(cpu, 0x80, 1));
        assertEquals(List.of("w80=42", "r80"), deviceLog);
        assertEquals(0, d.statistics().totalCount());
        assertFalse(d.statistics().formatReport().contains("IO Port Access"), "no port row, so no port table");

        cpu.recordExit(ExitReason.IO_INSTRUCTION, IoQualification.encode(1, false, false, false, true, 0x80), 2);
        d.ioOut(cpu, 0x43);
        assertEquals(List.of("w80=42", "r80", "w80=43"), deviceLog);
        assertEquals(1, d.statistics().count(ExitReason.IO_INSTRUCTION));
        String report = d.statistics().formatReport();
        assertTrue(report.contains("IO Port Access") && report.contains("0x80:POUT          1"), report);
    }

    @Test
    void rdmsrAndWrmsrExitsAreCountedPerMsr() {
        cpu.regs[Cpu.ECX] = 0x174; // IA32_SYSENTER_CS
        cpu.regs[Cpu.EAX] = 0x10;
        for (ExitReason r : new ExitReason[] {ExitReason.WRMSR, ExitReason.RDMSR, ExitReason.RDMSR}) {
            cpu.recordExit(r, 0, 2);
            d.exit(cpu);
        }
        String table = d.statistics().formatReport(); // as --exit-stats prints it
        assertTrue(table.contains("0x174:wrmsr          1"), table);
        assertTrue(table.contains("0x174:rdmsr          2"), table);
        assertEquals(0x10, cpu.regs[Cpu.EAX], "RDMSR read back what WRMSR wrote");
    }

    @Test
    void exceptionExitsAreCountedByEventAndReflectedByInjection() {
        // A #PF (0x80000B0E) at 400000h with error code 2: the VMM loads CR2 from the qualification
        // and injects the same event through the VM-entry fields.
        cpu.recordExit(ExitReason.EXCEPTION_OR_NMI, 0x400000, 0);
        cpu.exit.interruptionInfo(0x80000B0E).interruptionErrorCode(2);
        d.exit(cpu);
        assertEquals(0x400000, cpu.cr2);
        assertEquals(0x80000B0EL, cpu.vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO));
        assertEquals(2, cpu.vmcs.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE));
        // A #GP of an IRET that unblocked NMIs (bit 12): bits 30:12 are reserved on entry.
        cpu.recordExit(ExitReason.EXCEPTION_OR_NMI, 0, 0);
        cpu.exit.interruptionInfo(0x80001B0D).interruptionErrorCode(0x10);
        d.exit(cpu);
        assertEquals(0x80000B0DL, cpu.vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO));
        assertEquals(0x10, cpu.vmcs.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE));
        assertEquals(2, d.statistics().count(ExitReason.EXCEPTION_OR_NMI));
        String table = d.statistics().formatReport();
        assertTrue(table.contains("EXCEPTION_OR_NMI #PF"), table);
        assertTrue(table.contains("EXCEPTION_OR_NMI #GP"), table);
    }
}
