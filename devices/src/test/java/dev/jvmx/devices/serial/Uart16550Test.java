package dev.jvmx.devices.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvmx.devices.RecordingIrq;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values from the NS16550A datasheet (register table, IIR priority table, reset table). */
class Uart16550Test {
    static final int B = 0x3F8;
    final ArrayDeque<Integer> input = new ArrayDeque<>();
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final RecordingIrq irq = new RecordingIrq();
    Uart16550 u;

    @BeforeEach
    void setUp() {
        u = new Uart16550(B, irq, output::write, () -> input.isEmpty() ? -1 : input.poll());
    }

    int in(int off) {
        return u.ioRead(B + off, 1);
    }

    void out(int off, int v) {
        u.ioWrite(B + off, 1, v);
    }

    @Test
    void resetState() {
        assertEquals(0x00, in(1));  // IER
        assertEquals(0x01, in(2));  // IIR: no interrupt pending
        assertEquals(0x00, in(3));  // LCR
        assertEquals(0x00, in(4));  // MCR
        assertEquals(0x60, in(5));  // LSR: THRE and TEMT
        assertEquals(8, u.registerCount());
    }

    @Test
    void transmitGoesToSinkAndLeavesThreAndTemtSet() {
        out(0, 'O');
        out(0, 'K');
        assertEquals("OK", output.toString());
        assertEquals(0x60, in(5) & 0x60);
    }

    @Test
    void dlabSwitchesOffsetsZeroAndOneToDivisorLatch() {
        out(3, 0x80);
        out(0, 0x01); // DLL: 115200 baud
        out(1, 0x00); // DLM
        out(3, 0x03); // 8N1, DLAB off
        assertEquals("", output.toString()); // DLL write is not a transmission
        assertEquals(0x00, in(1));           // IER untouched
        out(3, 0x83);
        assertEquals(0x01, in(0));
        assertEquals(0x00, in(1));
        assertEquals(0x83, in(3));
    }

    @Test
    void scratchAndNonsenseWrites() {
        out(7, 0x5A);
        assertEquals(0x5A, in(7));
        out(5, 0x00); // LSR write: factory test only, ignored
        assertEquals(0x60, in(5));
        out(1, 0xFF); // IER bits 4-7 are always 0
        assertEquals(0x0F, in(1));
        out(4, 0xFF); // MCR bits 5-7 are always 0
        assertEquals(0x1F, in(4));
        u.ioRead(0x3F0, 1); // outside the UART: no exception
        u.ioWrite(0x400, 1, 0);
    }

    @Test
    void receiveWithoutFifoSetsDrAndRaisesRxDataInterrupt() {
        out(4, 0x08); // OUT2 gates IRQ to the PIC
        out(1, 0x01); // ERBFI
        input.add((int) 'x');
        u.poll();
        assertEquals(0x01, in(5) & 0x01);
        assertEquals(0x04, in(2)); // received data available
        assertTrue(irq.level);
        assertEquals('x', in(0));
        assertEquals(0x01, in(2));
        assertFalse(irq.level);
        assertEquals(0x00, in(5) & 0x01);
    }

    @Test
    void irqNeedsOut2() {
        out(1, 0x01);
        input.add(1);
        u.poll();
        assertEquals(0x04, in(2));
        assertFalse(irq.level);
        out(4, 0x08);
        assertTrue(irq.level);
    }

    @Test
    void fifoTriggerLevelAndCharacterTimeout() {
        out(2, 0x81); // FIFO on, trigger level 8 (bits 7-6 = 10)
        out(1, 0x01);
        for (int i = 0; i < 7; i++) {
            input.add(0x30 + i);
        }
        u.poll();
        assertEquals(0xC1, in(2)); // FIFOs enabled, 7 < 8: nothing yet
        u.poll(); // no activity for a poll period: character timeout
        assertEquals(0xCC, in(2));
        assertEquals(0x30, in(0)); // reading RBR resets the timeout
        assertEquals(0xC1, in(2));
        input.add(0x37);
        input.add(0x38);
        u.poll(); // 8 bytes: trigger level reached
        assertEquals(0xC4, in(2));
        for (int i = 1; i <= 8; i++) {
            assertEquals(0x30 + i, in(0));
        }
        assertEquals(0x00, in(5) & 0x01);
    }

    @Test
    void fifoHoldsSixteenAndLeavesTheRestWaiting() {
        out(2, 0xC1); // trigger 14
        for (int i = 0; i < 20; i++) {
            input.add(i);
        }
        u.poll();
        assertEquals(4, input.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i, in(0));
        }
    }

    @Test
    void fcrOtherBitsIgnoredUnlessBit0Set() {
        out(2, 0xC0); // bit 0 clear: FIFOs stay off, trigger not programmed
        assertEquals(0x01, in(2));
        out(2, 0x01);
        assertEquals(0xC1, in(2));
    }

    @Test
    void threInterruptOnEnableClearedByIirReadAndByThrWrite() {
        out(4, 0x08);
        out(1, 0x02); // ETBEI with THR empty: THRE interrupt at once
        assertTrue(irq.level);
        assertEquals(0x02, in(2));
        assertFalse(irq.level); // cleared by the IIR read that reported it
        assertEquals(0x01, in(2));
        out(0, 'a'); // transmitted instantly: THR empty again -> THRE pending again
        assertTrue(irq.level);
        assertEquals(0x02, in(2));
    }

    @Test
    void priorityLineStatusOverRxDataOverThreOverModem() {
        out(4, 0x10 | 0x02); // loopback, RTS on -> CTS changes -> DCTS
        out(1, 0x0F);
        out(0, 0x41);
        out(0, 0x42); // non-FIFO loopback: second byte overruns RBR
        assertEquals(0x06, in(2)); // receiver line status first
        assertEquals(0x02 | 0x01 | 0x60, in(5)); // OE, DR, THRE, TEMT; read clears OE
        assertEquals(0x04, in(2)); // then received data
        assertEquals(0x42, in(0)); // the overrunning byte replaced RBR
        assertEquals(0x02, in(2)); // then THRE (cleared by this read)
        assertEquals(0x00, in(2)); // then modem status
        // External CTS, DSR, DCD were on (a ready terminal); loopback with only RTS keeps CTS
        // and drops DSR and DCD: CTS | DDSR | DDCD. The read clears the deltas.
        assertEquals(0x10 | 0x02 | 0x08, in(6));
        assertEquals(0x01, in(2));
    }

    @Test
    void loopbackRoutesMcrOutputsToMsrInputs() {
        out(4, 0x10);
        assertEquals(0x00, in(6) & 0xF0);
        out(4, 0x1F); // DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD
        assertEquals(0xF0 | 0x0B, in(6)); // DCTS, DDSR, DDCD; TERI needs RI to go off
        out(4, 0x1B); // OUT1 off: RI trailing edge
        assertEquals(0xB0 | 0x04, in(6));
        out(0, 'L');
        assertEquals("", output.toString()); // nothing reaches the line
        assertEquals('L', in(0));
    }

    @Test
    void loopbackFifoOverrunKeepsFifoContents() {
        out(4, 0x10);
        out(2, 0x01);
        for (int i = 0; i < 17; i++) {
            out(0, i);
        }
        assertEquals(0x02, in(5) & 0x02);
        for (int i = 0; i < 16; i++) {
            assertEquals(i, in(0));
        }
    }

    @Test
    void wideAccessSplitsIntoBytes() {
        out(3, 0x80);
        u.ioWrite(B, 2, 0x0201); // DLL=1, DLM=2
        assertEquals(0x0201, u.ioRead(B, 2));
    }
}
