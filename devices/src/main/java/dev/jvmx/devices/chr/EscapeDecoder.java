package dev.jvmx.devices.chr;

/**
 * QEMU's console escape on standard input: Ctrl-A x quits, Ctrl-A Ctrl-A sends one Ctrl-A;
 * Ctrl-A followed by anything else is swallowed (QEMU's other escapes have no meaning here).
 */
public final class EscapeDecoder {
    public static final int CTRL_A = 0x01;
    /** Returned by {@link #accept} when the user asked to quit. */
    public static final int QUIT = -2;

    private boolean escaped;

    /** Feeds one typed byte; returns the byte for the guest, -1 for none, or {@link #QUIT}. */
    public int accept(int b) {
        b &= 0xFF;
        if (!escaped) {
            if (b == CTRL_A) {
                escaped = true;
                return -1;
            }
            return b;
        }
        escaped = false;
        if (b == CTRL_A) {
            return CTRL_A;
        }
        if (b == 'x' || b == 'X') {
            return QUIT;
        }
        return -1;
    }
}
