package dev.jvmx.devices.kbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmx.devices.RecordingIrq;
import dev.jvmx.devices.RecordingMachine;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values from the IBM AT technical reference (8042 commands) and the PS/2 keyboard protocol. */
class Keyboard8042Test {
    final RecordingMachine machine = new RecordingMachine();
    final RecordingIrq irq1 = new RecordingIrq();
    A20Gate a20;
    Keyboard8042 kbc;
    FastA20Port port92;

    @BeforeEach
    void setUp() {
        a20 = new A20Gate(machine, false);
        kbc = new Keyboard8042(irq1, machine, a20);
        port92 = new FastA20Port(machine, a20);
    }

    void cmd(int c) {
        kbc.ioWrite(0x64, 1, c);
    }

    void data(int d) {
        kbc.ioWrite(0x60, 1, d);
    }

    int status() {
        return kbc.ioRead(0x64, 1);
    }

    int read() {
        assertEquals(1, status() & 1, "OBF should be set");
        return kbc.ioRead(0x60, 1);
    }

    @Test
    void commandByteReadWriteAndStatusBits() {
        cmd(0x60);
        assertEquals(0x08, status() & 0x08); // A2: last write went to 0x64
        data(0x44);                          // XLAT | SYS, IRQ1 off
        assertEquals(0x00, status() & 0x08);
        cmd(0x20);
        assertEquals(0x44, read());
        assertEquals(0x04, status() & 0x04); // SYS mirrors the command byte
        assertEquals(0x00, status() & 0x03); // OBF empty, IBF never seen
        assertFalse(irq1.level);
    }

    @Test
    void selfTestsAnswer55And00() {
        cmd(0xAA);
        assertEquals(0x55, read());
        cmd(0xAB);
        assertEquals(0x00, read());
    }

    @Test
    void disableEnableKeyboardAndAuxInCommandByte() {
        cmd(0x60);
        data(0x00);
        cmd(0xAD);
        cmd(0xA7);
        cmd(0x20);
        assertEquals(0x30, read());
        cmd(0xAE);
        cmd(0xA8);
        cmd(0x20);
        assertEquals(0x00, read());
    }

    @Test
    void outputPortControlsA20AndReset() {
        cmd(0xD0);
        assertEquals(0x01, read() & 0x03); // reset line high, A20 off
        cmd(0xD1);
        data(0x03);
        assertEquals(List.of(true), machine.a20);
        cmd(0xD0);
        assertEquals(0x03, read() & 0x03);
        cmd(0xD1);
        data(0x00); // A20 off and bit 0 low: reset
        assertEquals(List.of(true, false), machine.a20);
        assertEquals(1, machine.resets.size());
    }

    @Test
    void a20OnOffCommands() {
        cmd(0xDF);
        cmd(0xDF);
        cmd(0xDD);
        assertEquals(List.of(true, false), machine.a20); // the machine hears only changes
    }

    @Test
    void pulseOutputPortFeResetsFfDoesNot() {
        cmd(0xFF);
        assertTrue(machine.resets.isEmpty());
        cmd(0xFE);
        assertEquals(1, machine.resets.size());
        cmd(0xF1); // bit 0 high: the reset line is not pulsed
        assertEquals(1, machine.resets.size());
    }

    @Test
    void keyboardResetAnswersAckThenBatWithAnIrqEach() {
        data(0xFF);
        assertTrue(irq1.level); // command byte INT is set by default
        assertEquals(0xFA, read());
        assertTrue(irq1.level);
        assertEquals(2, irq1.risingEdges); // the second byte is a new interrupt
        assertEquals(0xAA, read());
        assertFalse(irq1.level);
        assertEquals(0xAA, kbc.ioRead(0x60, 1)); // empty buffer: the last byte again
    }

    @Test
    void identifyEchoLedsTypematicAndUnknown() {
        data(0xF2);
        assertEquals(0xFA, read());
        assertEquals(0xAB, read());
        assertEquals(0x41, read()); // 0x83 through set 2 -> set 1 translation
        cmd(0x60);
        data(0x05);                 // translation off
        data(0xF2);
        read();
        read();
        assertEquals(0x83, read());
        data(0xEE);
        assertEquals(0xEE, read());
        data(0xED);
        assertEquals(0xFA, read());
        data(0x07);                 // LED bits, not a command
        assertEquals(0xFA, read());
        data(0xF3);
        assertEquals(0xFA, read());
        data(0x20);
        assertEquals(0xFA, read());
        data(0xF4);
        assertEquals(0xFA, read());
        data(0xF5);
        assertEquals(0xFA, read());
        data(0x12);                 // not a keyboard command
        assertEquals(0xFE, read());
        assertEquals(0, status() & 1);
    }

    @Test
    void noIrqWhenCommandByteDisablesIt() {
        cmd(0x60);
        data(0x00);
        data(0xEE);
        assertFalse(irq1.level);
        assertEquals(0xEE, read());
    }

    @Test
    void unknownControllerCommandsAndPortsAreIgnored() {
        cmd(0xC8);
        cmd(0x05);
        assertEquals(0, status() & 1);
        kbc.ioWrite(0x61, 1, 0x12);
        assertEquals(0xFF, kbc.ioRead(0x62, 1));
    }

    @Test
    void port92FastA20AndResetOnRisingBit0() {
        port92.ioWrite(0x92, 1, 0x02);
        assertEquals(List.of(true), machine.a20);
        assertEquals(0x02, port92.ioRead(0x92, 1));
        cmd(0xDF);            // already on through 0x92: no change to report
        port92.ioWrite(0x92, 1, 0x00);
        assertEquals(List.of(true), machine.a20); // still on through the 8042
        cmd(0xDD);
        assertEquals(List.of(true, false), machine.a20);
        port92.ioWrite(0x92, 1, 0x01);
        assertEquals(1, machine.resets.size());
        port92.ioWrite(0x92, 1, 0x01); // no new 0 -> 1 transition
        assertEquals(1, machine.resets.size());
    }
}
