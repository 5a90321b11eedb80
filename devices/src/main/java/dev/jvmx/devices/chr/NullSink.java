package dev.jvmx.devices.chr;

/** Drops every byte. */
public final class NullSink implements CharSink {
    public static final NullSink INSTANCE = new NullSink();

    @Override
    public void write(int b) { }
}
