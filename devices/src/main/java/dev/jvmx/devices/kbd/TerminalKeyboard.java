package dev.jvmx.devices.kbd;

import dev.jvmx.devices.chr.CharSource;

import java.util.ArrayDeque;

/**
 * Keys typed on the host terminal pressed on the guest's keyboard: bytes from a {@link
 * CharSource} decoded by {@link TerminalKeys}, each stroke sent as make codes (modifiers, then
 * the key) and break codes (the key, then the modifiers). Events wait here while the keyboard
 * buffer is full; at most {@link #MAX_PENDING} of them (typing far ahead of a guest that reads
 * no keys drops whole strokes, counted). {@link #poll} runs on the thread that runs the guest.
 */
public final class TerminalKeyboard {
    public static final int MAX_PENDING = 256;

    private record Event(PcKey key, boolean pressed) { }

    private final CharSource in;
    private final Keyboard8042 keyboard;
    private final TerminalKeys decoder = new TerminalKeys();
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private long dropped;

    public TerminalKeyboard(CharSource in, Keyboard8042 keyboard) {
        this.in = in;
        this.keyboard = keyboard;
    }

    /** Takes what was typed and presses as many keys as the keyboard buffer holds. */
    public void poll(long nowNanos) {
        int b;
        int budget = 256;
        while (budget-- > 0 && (b = in.read()) >= 0) {
            decoder.accept(b, nowNanos, this::stroke);
        }
        decoder.idle(nowNanos, this::stroke);
        while (!pending.isEmpty()) {
            Event e = pending.peek();
            if (!keyboard.keyEvent(e.key(), e.pressed())) {
                break;
            }
            pending.poll();
        }
    }

    private void stroke(TerminalKeys.Stroke s) {
        int modifiers = (s.ctrl() ? 1 : 0) + (s.alt() ? 1 : 0) + (s.shift() ? 1 : 0);
        if (pending.size() + 2 + 2 * modifiers > MAX_PENDING) {
            dropped++;
            return;
        }
        if (s.ctrl()) {
            add(PcKey.LEFT_CTRL, true);
        }
        if (s.alt()) {
            add(PcKey.LEFT_ALT, true);
        }
        if (s.shift()) {
            add(PcKey.LEFT_SHIFT, true);
        }
        add(s.key(), true);
        add(s.key(), false);
        if (s.shift()) {
            add(PcKey.LEFT_SHIFT, false);
        }
        if (s.alt()) {
            add(PcKey.LEFT_ALT, false);
        }
        if (s.ctrl()) {
            add(PcKey.LEFT_CTRL, false);
        }
    }

    private void add(PcKey k, boolean pressed) {
        pending.add(new Event(k, pressed));
    }

    /** Key strokes dropped because the guest did not take keys. */
    public long dropped() {
        return dropped;
    }
}
