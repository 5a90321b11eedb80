package dev.jvmx.devices.chr;

/** Where a character device's input bytes come from; polled, never blocking. */
public interface CharSource {
    /** The next byte 0..255, or -1 when nothing is waiting. Never blocks. */
    int read();

    CharSource EMPTY = () -> -1;
}
