package dev.jvmx.devices.kbd;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.MachineControl;
import java.util.ArrayDeque;

/**
 * The i8042 keyboard controller at 0x60 (data) and 0x64 (status/command) with an MF2 keyboard
 * behind it. The controller works at once: IBF is never seen set. Bytes wait in a queue behind
 * the one-byte output buffer, as the keyboard holds its next byte while OBF is full. Keys
 * pressed ({@link #keyEvent}) are sent in the keyboard's scan code set (1 or 2; set 3 sends
 * nothing) from a buffer of {@link #KEY_BUFFER} bytes, while scanning is enabled and the
 * controller does not hold the keyboard off (command byte bit 4); everything the keyboard
 * sends goes through the controller's set 1 translation when command byte bit 6 is set.
 * No auxiliary (mouse) device is present.
 */
public final class Keyboard8042 implements IoDevice {
    public static final int DATA_PORT = 0x60;
    public static final int COMMAND_PORT = 0x64;

    public static final int STATUS_OBF = 0x01;
    public static final int STATUS_IBF = 0x02;
    public static final int STATUS_SYS = 0x04;
    public static final int STATUS_A2 = 0x08;       // last write was a command (to 0x64)
    public static final int STATUS_INH = 0x10;      // 1: keyboard not inhibited by the key lock

    public static final int CCB_INT = 0x01;         // IRQ1 on keyboard output buffer full
    public static final int CCB_INT2 = 0x02;
    public static final int CCB_SYS = 0x04;
    public static final int CCB_DISABLE_KBD = 0x10;
    public static final int CCB_DISABLE_AUX = 0x20;
    public static final int CCB_XLAT = 0x40;

    public static final int OUT_RESET = 0x01;       // 0 holds the processor in reset
    public static final int OUT_A20 = 0x02;
    public static final int OUT_OBF_KBD = 0x10;
    public static final int OUT_OBF_AUX = 0x20;

    public static final int ACK = 0xFA;
    public static final int RESEND = 0xFE;
    public static final int BAT_OK = 0xAA;
    public static final int ECHO = 0xEE;

    /** Bytes the keyboard holds for keys not yet sent (an MF2 keyboard buffers 16). */
    public static final int KEY_BUFFER = 16;

    private final IrqLine irq1;
    private final MachineControl machine;
    private final A20Gate a20;
    private final byte[] ram = new byte[32];  // controller RAM; byte 0 is the command byte
    private final ArrayDeque<Integer> output = new ArrayDeque<>();
    private final ArrayDeque<Integer> keyBuffer = new ArrayDeque<>();
    private final ScanCodeTranslation translation = new ScanCodeTranslation();
    private boolean scanning = true;
    private int dataRegister;
    private boolean lastWriteWasCommand;
    private int pendingControllerCommand;     // a command waiting for its data byte, 0 if none
    private int pendingKeyboardCommand;       // ED, F3, F0 wait for their argument
    private int lastKeyboardByte = BAT_OK;
    private int scanCodeSet = 2;
    private boolean irqLevel;

    public Keyboard8042(IrqLine irq1, MachineControl machine, A20Gate a20) {
        this.irq1 = irq1;
        this.machine = machine;
        this.a20 = a20;
        // What a BIOS leaves: translation on, system flag set, IRQ1 enabled, aux disabled.
        ram[0] = (byte) (CCB_XLAT | CCB_DISABLE_AUX | CCB_SYS | CCB_INT);
    }

    /** With its own A20 gate, starting enabled (no port 0x92 shares it). */
    public Keyboard8042(IrqLine irq1, MachineControl machine) {
        this(irq1, machine, new A20Gate(machine, true));
    }

    private int commandByte() {
        return ram[0] & 0xFF;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        if (port == COMMAND_PORT) {
            return status();
        }
        if (port != DATA_PORT) {
            return 0xFF;
        }
        Integer b = output.poll();
        if (b != null) {
            dataRegister = b;
            if (irqLevel) {
                irqLevel = false; // OBF emptied: a queued byte that refills it is a new interrupt
                irq1.set(false);
            }
        }
        updateIrq();
        return dataRegister; // an empty buffer reads the last byte again
    }

    private int status() {
        return (output.isEmpty() ? 0 : STATUS_OBF)
                | (commandByte() & CCB_SYS)
                | (lastWriteWasCommand ? STATUS_A2 : 0)
                | STATUS_INH;
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        value &= 0xFF;
        if (port == COMMAND_PORT) {
            lastWriteWasCommand = true;
            controllerCommand(value);
        } else if (port == DATA_PORT) {
            lastWriteWasCommand = false;
            if (pendingControllerCommand != 0) {
                int cmd = pendingControllerCommand;
                pendingControllerCommand = 0;
                controllerData(cmd, value);
            } else {
                keyboardCommand(value);
            }
        }
        updateIrq();
    }

    private void controllerCommand(int cmd) {
        pendingControllerCommand = 0;
        if (cmd >= 0x20 && cmd <= 0x3F) {
            reply(ram[cmd & 0x1F] & 0xFF);             // read controller RAM (0x20: command byte)
        } else if (cmd >= 0x60 && cmd <= 0x7F) {
            pendingControllerCommand = cmd;              // write controller RAM: data follows
        } else if (cmd >= 0xF0) {
            if ((cmd & OUT_RESET) == 0) {
                machine.requestReset("8042 pulse output port (command 0x" + Integer.toHexString(cmd) + ")");
            }
        } else {
            switch (cmd) {
                case 0xA7 -> ram[0] |= CCB_DISABLE_AUX;
                case 0xA8 -> ram[0] &= ~CCB_DISABLE_AUX;
                case 0xAA -> {
                    ram[0] |= CCB_SYS;                   // a passed self-test sets the system flag
                    reply(0x55);
                }
                case 0xAB -> reply(0x00);                // keyboard clock and data lines OK
                case 0xAD -> ram[0] |= CCB_DISABLE_KBD;
                case 0xAE -> ram[0] &= ~CCB_DISABLE_KBD;
                case 0xD0 -> reply(outputPort());
                case 0xD1, 0xD2 -> pendingControllerCommand = cmd;
                case 0xDD -> a20.setKeyboard(false);
                case 0xDF -> a20.setKeyboard(true);
                default -> { } // unknown controller commands are ignored
            }
        }
    }

    private void controllerData(int cmd, int value) {
        if (cmd >= 0x60 && cmd <= 0x7F) {
            ram[cmd & 0x1F] = (byte) value;
        } else if (cmd == 0xD1) {
            writeOutputPort(value);
        } else if (cmd == 0xD2) {
            reply(value); // as if the keyboard had sent it
        }
    }

    private int outputPort() {
        return OUT_RESET
                | (a20.keyboard() ? OUT_A20 : 0)
                | (output.isEmpty() ? 0 : OUT_OBF_KBD);
    }

    private void writeOutputPort(int value) {
        a20.setKeyboard((value & OUT_A20) != 0);
        if ((value & OUT_RESET) == 0) {
            machine.requestReset("8042 output port reset line");
        }
    }

    private void keyboardCommand(int b) {
        int pending = pendingKeyboardCommand;
        pendingKeyboardCommand = 0;
        if (pending == 0xED || pending == 0xF3) {
            keyboardSend(ACK); // the LED bits / typematic rate byte
            return;
        }
        if (pending == 0xF0) {
            if (b == 0) {
                keyboardSend(ACK);
                keyboardSend(scanCodeSet);
            } else if (b <= 3) {
                scanCodeSet = b;
                keyboardSend(ACK);
            } else {
                keyboardSend(RESEND);
            }
            return;
        }
        switch (b) {
            case 0xFF -> {
                scanCodeSet = 2;
                scanning = true;
                keyBuffer.clear();
                keyboardSend(ACK);
                keyboardSend(BAT_OK);
            }
            case 0xFE -> keyboardSend(lastKeyboardByte);
            case 0xF2 -> {
                keyboardSend(ACK);
                keyboardSend(0xAB); // MF2 keyboard
                keyboardSend(0x83);
            }
            case 0xED, 0xF3, 0xF0 -> {
                pendingKeyboardCommand = b;
                keyboardSend(ACK);
            }
            case 0xEE -> keyboardSend(ECHO);
            case 0xF4 -> {
                scanning = true;
                keyboardSend(ACK);
            }
            case 0xF5 -> { // disable scanning (and set defaults): the key buffer is cleared
                scanning = false;
                keyBuffer.clear();
                keyboardSend(ACK);
            }
            case 0xF6 -> keyboardSend(ACK);
            default -> keyboardSend(RESEND); // not a command this keyboard knows
        }
    }

    /** A byte from the keyboard, through the controller's set 2 to set 1 translation if on. */
    private void keyboardSend(int b) {
        if (b != 0xFE) {
            lastKeyboardByte = b;
        }
        int t = translated(b);
        if (t >= 0) {
            reply(t);
        }
    }

    private int translated(int b) {
        return (commandByte() & CCB_XLAT) != 0 ? translation.accept(b) : b & 0xFF;
    }

    /**
     * A key pressed or released on the keyboard (call it on the thread that runs the guest).
     * Returns false when the key was not taken: scanning is disabled, the keyboard is in scan
     * code set 3, or its buffer is full.
     */
    public synchronized boolean keyEvent(PcKey key, boolean pressed) {
        if (!scanning || scanCodeSet == 3) {
            return false;
        }
        int[] codes = key.codes(scanCodeSet, pressed);
        if (keyBuffer.size() + codes.length > KEY_BUFFER) {
            return false;
        }
        for (int c : codes) {
            keyBuffer.add(c);
        }
        updateIrq();
        return true;
    }

    /** Moves key bytes into the empty output buffer while the controller lets the keyboard send. */
    private void sendKeys() {
        while (output.isEmpty() && !keyBuffer.isEmpty() && (commandByte() & CCB_DISABLE_KBD) == 0) {
            int t = translated(keyBuffer.poll());
            if (t >= 0) {
                reply(t);
            }
        }
    }

    private void reply(int b) {
        output.add(b & 0xFF);
    }

    private void updateIrq() {
        sendKeys();
        boolean level = !output.isEmpty() && (commandByte() & CCB_INT) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq1.set(level);
        }
    }
}
