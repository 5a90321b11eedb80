package dev.jvmx.devices.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.devices.RecordingMachine;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugPortsTest {
    @Test
    void debugconSendsBytesAndReadsBackE9() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IoPortBus bus = new IoPortBus();
        bus.register(DebugConsole.PORT, 1, new DebugConsole(out::write));
        bus.write(0xE9, 1, 'H');
        bus.write(0xE9, 1, 'i');
        assertEquals("Hi", out.toString());
        assertEquals(0xE9, bus.read(0xE9, 1));
    }

    @Test
    void qemuDebugPortIsADebugconAt402() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IoPortBus bus = new IoPortBus();
        bus.register(QemuDebugPort.PORT, 1, new QemuDebugPort(out::write));
        bus.write(0x402, 1, 'A');
        assertEquals("A", out.toString());
        assertEquals(0xE9, bus.read(0x402, 1));
    }

    @Test
    void isaDebugExitCodeIsValueShiftedOrOne() {
        RecordingMachine m = new RecordingMachine();
        IsaDebugExit dev = new IsaDebugExit(m);
        dev.ioWrite(0xF4, 1, 0x00);   // (0 << 1) | 1 = 1
        dev.ioWrite(0xF4, 1, 0x10);   // (0x10 << 1) | 1 = 0x21 = 33
        dev.ioWrite(0xF4, 1, 0x1FF);  // only the low byte of a byte write: 0xFF -> 0x1FF
        dev.ioWrite(0xF4, 2, 0x1234); // word write keeps all 16 bits: 0x2469
        dev.ioWrite(0xF4, 4, 0x10000); // dword: 0x20001
        assertEquals(List.of(1, 33, 0x1FF, 0x2469, 0x20001), m.exits);
    }

    @Test
    void postPortKeepsLastCode() {
        PostPort p = new PostPort();
        p.ioWrite(0x80, 1, 0x12);
        p.ioWrite(0x80, 1, 0x3AB); // only a byte latches
        assertEquals(0xAB, p.lastCode());
        assertEquals(0xAB, p.ioRead(0x80, 1));
    }
}
