package dev.jvmx.devices.kbd;

import dev.jvmx.devices.MachineControl;

/**
 * Address line 20 as the chipset gates it: enabled when the 8042's output port bit 1 or the
 * fast A20 bit of port 0x92 asks for it. The machine hears only changes of the combination.
 */
public final class A20Gate {
    private final MachineControl machine;
    private boolean keyboard;
    private boolean port92;

    /** {@code enabled}: the state the machine starts in, attributed to the 8042's output port. */
    public A20Gate(MachineControl machine, boolean enabled) {
        this.machine = machine;
        this.keyboard = enabled;
    }

    public synchronized boolean enabled() {
        return keyboard || port92;
    }

    public synchronized boolean keyboard() {
        return keyboard;
    }

    public synchronized boolean port92() {
        return port92;
    }

    public synchronized void setKeyboard(boolean on) {
        boolean before = enabled();
        keyboard = on;
        notifyIfChanged(before);
    }

    public synchronized void setPort92(boolean on) {
        boolean before = enabled();
        port92 = on;
        notifyIfChanged(before);
    }

    private void notifyIfChanged(boolean before) {
        if (enabled() != before) {
            machine.setA20(enabled());
        }
    }
}
