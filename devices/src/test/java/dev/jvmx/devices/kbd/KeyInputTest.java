package dev.jvmx.devices.kbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmx.devices.RecordingIrq;
import dev.jvmx.devices.RecordingMachine;
import dev.jvmx.devices.chr.ByteQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys on the 8042. Expected codes: the translation table and the set 1 / set 2 make and
 * break rules of A. Brouwer's "Keyboard scancodes" (sections 9.2 and 9.3); the table itself is
 * copied there from G. Konzak, PC 8042 Controller.
 */
class KeyInputTest {
    final RecordingIrq irq1 = new RecordingIrq();
    Keyboard8042 kbc;

    @BeforeEach
    void setUp() {
        kbc = new Keyboard8042(irq1, new RecordingMachine());
    }

    private void commandByte(int v) {
        kbc.ioWrite(0x64, 1, 0x60);
        kbc.ioWrite(0x60, 1, v);
    }

    private List<Integer> drain() {
        List<Integer> got = new ArrayList<>();
        while ((kbc.ioRead(0x64, 1) & 1) != 0) {
            got.add(kbc.ioRead(0x60, 1));
        }
        return got;
    }

    /** Set 1 equals translated set 2 (Brouwer 9.4): every key's set 1 code is the table's image of its set 2 code. */
    @Test
    void set1CodesAreTheControllerTranslationOfSet2Codes() {
        for (PcKey k : PcKey.values()) {
            assertEquals(k.set1, ScanCodeTranslation.table(k.set2), k.name());
        }
    }

    @Test
    void translatedSet2KeyIsSet1MakeAndBreak() {
        assertTrue(kbc.keyEvent(PcKey.A, true));
        assertTrue(irq1.level);
        assertEquals(List.of(0x1E), drain());
        assertTrue(kbc.keyEvent(PcKey.A, false));
        assertEquals(List.of(0x9E), drain()); // F0 1C -> 1E | 80
        kbc.keyEvent(PcKey.UP, true);
        kbc.keyEvent(PcKey.UP, false);
        assertEquals(List.of(0xE0, 0x48, 0xE0, 0xC8), drain());
    }

    @Test
    void untranslatedSet2KeyIsF0Break() {
        commandByte(0x01); // IRQ1, no translation
        kbc.keyEvent(PcKey.A, true);
        kbc.keyEvent(PcKey.A, false);
        kbc.keyEvent(PcKey.DELETE, false);
        assertEquals(List.of(0x1C, 0xF0, 0x1C, 0xE0, 0xF0, 0x71), drain());
    }

    @Test
    void untranslatedSet1KeyOrsBreakBit() {
        commandByte(0x01);
        kbc.ioWrite(0x60, 1, 0xF0);
        kbc.ioWrite(0x60, 1, 0x01);
        assertEquals(List.of(0xFA, 0xFA), drain());
        kbc.keyEvent(PcKey.ENTER, true);
        kbc.keyEvent(PcKey.ENTER, false);
        assertEquals(List.of(0x1C, 0x9C), drain());
    }

    /** Brouwer 9.3: the set query answers 1, 2 or 3, seen as 43, 41, 3F through translation. */
    @Test
    void scanCodeSetQueryIsTranslated() {
        kbc.ioWrite(0x60, 1, 0xF0);
        kbc.ioWrite(0x60, 1, 0x00);
        assertEquals(List.of(0xFA, 0xFA, 0x41), drain()); // ACK the command, ACK the argument, the set
    }

    @Test
    void keysWaitWhileTheControllerHoldsTheKeyboardOff() {
        kbc.ioWrite(0x64, 1, 0xAD);
        kbc.keyEvent(PcKey.B, true);
        assertEquals(List.of(), drain());
        kbc.ioWrite(0x64, 1, 0xAE);
        assertEquals(List.of(0x30), drain());
    }

    @Test
    void disabledScanningDropsKeysAndTheBufferIsBounded() {
        kbc.ioWrite(0x60, 1, 0xF5);
        assertEquals(List.of(0xFA), drain());
        assertFalse(kbc.keyEvent(PcKey.C, true));
        kbc.ioWrite(0x60, 1, 0xF4);
        assertEquals(List.of(0xFA), drain());
        kbc.ioWrite(0x64, 1, 0xAD); // hold the keyboard off: the buffer fills
        int taken = 0;
        while (kbc.keyEvent(PcKey.D, true)) {
            taken++;
        }
        assertEquals(Keyboard8042.KEY_BUFFER, taken);
    }

    @Test
    void terminalBytesBecomeStrokes() {
        List<TerminalKeys.Stroke> got = new ArrayList<>();
        TerminalKeys t = new TerminalKeys();
        for (byte b : "aZ!\r\u0003".getBytes()) {
            t.accept(b, 0, got::add);
        }
        for (byte b : "\u001b[A\u001b[3~\u001bOP\u001b[15~\u001b[1;5C\u001bx".getBytes()) {
            t.accept(b, 0, got::add);
        }
        t.accept(0x1B, 0, got::add);
        t.idle(TerminalKeys.ESC_WAIT_NANOS - 1, got::add);
        assertEquals(11, got.size());
        t.idle(TerminalKeys.ESC_WAIT_NANOS, got::add);
        assertEquals(List.of(
                new TerminalKeys.Stroke(PcKey.A, false, false, false),
                new TerminalKeys.Stroke(PcKey.Z, true, false, false),
                new TerminalKeys.Stroke(PcKey.N1, true, false, false),
                new TerminalKeys.Stroke(PcKey.ENTER, false, false, false),
                new TerminalKeys.Stroke(PcKey.C, false, true, false),
                new TerminalKeys.Stroke(PcKey.UP, false, false, false),
                new TerminalKeys.Stroke(PcKey.DELETE, false, false, false),
                new TerminalKeys.Stroke(PcKey.F1, false, false, false),
                new TerminalKeys.Stroke(PcKey.F5, false, false, false),
                new TerminalKeys.Stroke(PcKey.RIGHT, false, true, false),
                new TerminalKeys.Stroke(PcKey.X, false, false, true),
                new TerminalKeys.Stroke(PcKey.ESC, false, false, false)), got);
    }

    /** Shift-a through the terminal keyboard: LShift make, A make, A break, LShift break, in set 1. */
    @Test
    void terminalKeyboardPressesModifiersAroundTheKey() {
        ByteQueue typed = new ByteQueue(16);
        typed.offer('A');
        TerminalKeyboard tk = new TerminalKeyboard(typed::poll, kbc);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 8 && got.size() < 4; i++) {
            tk.poll(0);
            got.addAll(drain());
        }
        assertEquals(List.of(0x2A, 0x1E, 0x9E, 0xAA), got);
    }
}
