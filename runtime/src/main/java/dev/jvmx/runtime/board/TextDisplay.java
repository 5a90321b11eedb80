package dev.jvmx.runtime.board;

import dev.jvmx.devices.vga.VgaText;

import java.io.PrintStream;

/**
 * {@code --display text}: the VGA text screen on the terminal. On a terminal the screen is
 * redrawn (ANSI home + clear) when its text changed, at most every {@link #INTERVAL_NANOS};
 * at the end of the run the final screen is printed once as plain lines.
 */
public final class TextDisplay {
    static final long INTERVAL_NANOS = 100_000_000L;

    private final VgaText vga;
    private final PrintStream out;
    private final boolean live;
    private long lastDraw;
    private String shown = "";

    public TextDisplay(VgaText vga, PrintStream out, boolean live) {
        this.vga = vga;
        this.out = out;
        this.live = live;
    }

    /** Called from the machine's periodic service; cheap when nothing is due. */
    public void poll() {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        String text = vga.renderText();
        if (!text.equals(shown)) {
            shown = text;
            out.print("\033[H\033[2J" + text.replace("\n", "\r\n") + "\r\n");
            out.flush();
        }
    }

    /** The final screen, framed, after the run. */
    public void finish() {
        String text = vga.renderText().stripTrailing();
        out.print("---- screen ----\n" + text + "\n---- end of screen ----\n");
        out.flush();
    }
}
