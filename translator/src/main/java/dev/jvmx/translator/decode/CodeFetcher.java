package dev.jvmx.translator.decode;

/** Source of instruction bytes for the decoder. */
@FunctionalInterface
public interface CodeFetcher {
    /**
     * Returns the byte (0..255) at offset {@code eip} in CS. May throw any RuntimeException
     * (for example a page fault); the decoder lets it propagate.
     */
    int fetch(int eip);
}
