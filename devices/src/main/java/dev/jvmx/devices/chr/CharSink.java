package dev.jvmx.devices.chr;

/** Where a character device's output bytes go (a terminal, a file, a socket). */
public interface CharSink {
    /** Writes one byte (the low 8 bits of {@code b}). Never throws on I/O trouble. */
    void write(int b);

    default void flush() { }
}
