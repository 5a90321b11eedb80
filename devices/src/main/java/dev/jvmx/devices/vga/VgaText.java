package dev.jvmx.devices.vga;

import dev.jvmx.devices.IoDevice;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The VGA registers at I/O ports 0x3C0-0x3DF (color addressing) and the 80x25 text screen
 * they describe. Registers are stored, not acted upon, except what rendering reads: start
 * address, offset, cursor, attribute palette and mode control, DAC. Power-on values are
 * those of mode 03h, so a guest that never programs the VGA still shows its text.
 * Register the device for ports 0x3C0..0x3DF (32 ports).
 */
public final class VgaText implements IoDevice {
    public static final int COLUMNS = 80;
    public static final int ROWS = 25;
    public static final int FIRST_PORT = 0x3C0;
    public static final int PORT_COUNT = 0x20;

    // CRTC register indices.
    public static final int CR_CURSOR_START = 0x0A;
    public static final int CR_CURSOR_END = 0x0B;
    public static final int CR_START_HIGH = 0x0C;
    public static final int CR_START_LOW = 0x0D;
    public static final int CR_CURSOR_HIGH = 0x0E;
    public static final int CR_CURSOR_LOW = 0x0F;
    public static final int CR_VRETRACE_END = 0x11;
    public static final int CR_OFFSET = 0x13;
    /** Cursor start bit 5: cursor off. */
    public static final int CURSOR_DISABLE = 0x20;
    /** Attribute mode control bit 3: attribute bit 7 blinks instead of brightening the background. */
    public static final int AR_MODE_BLINK = 0x08;
    /** Misc output bit 0: CRTC and input status 1 at 0x3Dx (1) or 0x3Bx (0). */
    public static final int MISC_IOAS = 0x01;

    // Mode 03h register values (VGA reference tables for 80x25 text, 9x16 cells).
    private static final int[] MODE3_SEQ = {0x03, 0x00, 0x03, 0x00, 0x02};
    private static final int[] MODE3_CRTC = {
        0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00,
        0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF};
    private static final int[] MODE3_GC = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF};
    private static final int[] MODE3_AR = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
        0x0C, 0x00, 0x0F, 0x08, 0x00};

    private final TextMemory memory;

    private int misc = 0x67;
    private int featureControl;
    private final int[] seq = new int[8];
    private int seqIndex;
    private final int[] crtc = new int[0x19];
    private int crtcIndex;
    private final int[] gc = new int[9];
    private int gcIndex;
    private final int[] ar = new int[0x15];
    private int arIndex;            // includes bit 5, PAS
    private boolean arDataNext;     // the flip-flop: next 0x3C0 write is data
    private int pelMask = 0xFF;
    private final int[] dac = new int[256 * 3];   // 6-bit components
    private int dacReadIndex;
    private int dacWriteIndex;
    private int dacComponent;
    private boolean dacReading;
    private int statusReads;

    private VgaFont font;

    public VgaText(TextMemory memory) {
        this.memory = memory;
        System.arraycopy(MODE3_SEQ, 0, seq, 0, MODE3_SEQ.length);
        System.arraycopy(MODE3_CRTC, 0, crtc, 0, MODE3_CRTC.length);
        System.arraycopy(MODE3_GC, 0, gc, 0, MODE3_GC.length);
        System.arraycopy(MODE3_AR, 0, ar, 0, MODE3_AR.length);
        arIndex = 0x20;
        // The EGA-compatible 64 colors in DAC 0-63: index bits rgbRGB, primary 2/3, secondary 1/3.
        for (int i = 0; i < 64; i++) {
            dac[i * 3] = ((i >> 2) & 1) * 0x2A + ((i >> 5) & 1) * 0x15;
            dac[i * 3 + 1] = ((i >> 1) & 1) * 0x2A + ((i >> 4) & 1) * 0x15;
            dac[i * 3 + 2] = (i & 1) * 0x2A + ((i >> 3) & 1) * 0x15;
        }
    }

    // ---------------------------------------------------------------- registers

    private boolean colorAddressing() {
        return (misc & MISC_IOAS) != 0;
    }

    @Override
    public int ioRead(int port, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(port + i) << (8 * i);
        }
        return v;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        // A word OUT to an index port writes the index then the data port, as on the ISA bus.
        for (int i = 0; i < size; i++) {
            writeByte(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readByte(int port) {
        switch (port) {
            case 0x3C0: return arIndex;
            case 0x3C1: return (arIndex & 0x1F) < ar.length ? ar[arIndex & 0x1F] : 0;
            case 0x3C2: return 0x00;                                  // input status 0
            case 0x3C4: return seqIndex;
            case 0x3C5: return seqIndex < 5 ? seq[seqIndex] : 0;
            case 0x3C6: return pelMask;
            case 0x3C7: return dacReading ? 0x03 : 0x00;              // DAC state
            case 0x3C8: return dacWriteIndex;
            case 0x3C9: return readDac();
            case 0x3CA: return featureControl;
            case 0x3CC: return misc;
            case 0x3CE: return gcIndex;
            case 0x3CF: return gcIndex < gc.length ? gc[gcIndex] : 0;
            case 0x3D4: return colorAddressing() ? crtcIndex : 0xFF;
            case 0x3D5: return colorAddressing() ? (crtcIndex < crtc.length ? crtc[crtcIndex] : 0) : 0xFF;
            case 0x3DA: return colorAddressing() ? inputStatus1() : 0xFF;
            default: return 0xFF;
        }
    }

    private void writeByte(int port, int v) {
        switch (port) {
            case 0x3C0 -> writeAttribute(v);
            case 0x3C2 -> misc = v;
            case 0x3C4 -> seqIndex = v & 0x07;
            case 0x3C5 -> {
                if (seqIndex < 5) {
                    seq[seqIndex] = v;
                }
            }
            case 0x3C6 -> pelMask = v;
            case 0x3C7 -> {
                dacReadIndex = v;
                dacComponent = 0;
                dacReading = true;
            }
            case 0x3C8 -> {
                dacWriteIndex = v;
                dacComponent = 0;
                dacReading = false;
            }
            case 0x3C9 -> writeDac(v);
            case 0x3CE -> gcIndex = v & 0x0F;
            case 0x3CF -> {
                if (gcIndex < gc.length) {
                    gc[gcIndex] = v;
                }
            }
            case 0x3D4 -> {
                if (colorAddressing()) {
                    crtcIndex = v & 0x1F;
                }
            }
            case 0x3D5 -> {
                if (colorAddressing()) {
                    writeCrtc(v);
                }
            }
            case 0x3DA -> {
                if (colorAddressing()) {
                    featureControl = v;
                }
            }
            default -> { }
        }
    }

    private void writeAttribute(int v) {
        if (!arDataNext) {
            arIndex = v & 0x3F;
        } else if ((arIndex & 0x1F) < ar.length) {
            ar[arIndex & 0x1F] = v;
        }
        arDataNext = !arDataNext;
    }

    /** CR11 bit 7 write-protects CR0-CR7, except the line compare bit 4 of CR7. */
    private void writeCrtc(int v) {
        if (crtcIndex >= crtc.length) {
            return;
        }
        if ((crtc[CR_VRETRACE_END] & 0x80) != 0 && crtcIndex <= 7) {
            if (crtcIndex == 7) {
                crtc[7] = (crtc[7] & ~0x10) | (v & 0x10);
            }
            return;
        }
        crtc[crtcIndex] = v;
    }

    /**
     * Input status 1: bit 3 vertical retrace, bit 0 display disabled (also set during
     * vertical retrace). Successive reads walk through display, horizontal blank and
     * vertical retrace so that polling loops see every edge. Reading resets the attribute
     * controller flip-flop to "index".
     */
    private int inputStatus1() {
        arDataNext = false;
        int n = statusReads++;
        boolean vretrace = ((n >> 2) & 1) != 0;
        boolean disabled = vretrace || (n & 1) != 0;
        return (vretrace ? 0x08 : 0) | (disabled ? 0x01 : 0);
    }

    private int readDac() {
        int v = dac[dacReadIndex * 3 + dacComponent];
        if (++dacComponent == 3) {
            dacComponent = 0;
            dacReadIndex = (dacReadIndex + 1) & 0xFF;
        }
        return v;
    }

    private void writeDac(int v) {
        dac[dacWriteIndex * 3 + dacComponent] = v & 0x3F;
        if (++dacComponent == 3) {
            dacComponent = 0;
            dacWriteIndex = (dacWriteIndex + 1) & 0xFF;
        }
    }

    // ---------------------------------------------------------------- accessors

    public int crtc(int index) {
        return crtc[index];
    }

    public int sequencer(int index) {
        return seq[index];
    }

    public int graphics(int index) {
        return gc[index];
    }

    public int attribute(int index) {
        return ar[index];
    }

    public int miscOutput() {
        return misc;
    }

    /** Cursor position in characters from the start of the text buffer (CR0E:CR0F). */
    public int cursorLocation() {
        return crtc[CR_CURSOR_HIGH] << 8 | crtc[CR_CURSOR_LOW];
    }

    private int startAddress() {
        return crtc[CR_START_HIGH] << 8 | crtc[CR_START_LOW];
    }

    /** Characters per row in memory: CR13 counts words, two characters each; 80 if unset. */
    private int pitch() {
        int p = crtc[CR_OFFSET] * 2;
        return p == 0 ? COLUMNS : p;
    }

    private int cell(int row, int col) {
        return (startAddress() + row * pitch() + col) & 0x3FFF;
    }

    // ---------------------------------------------------------------- renderers

    /** The 25 rows as text, joined by '\n', trailing spaces of each row removed. */
    public String renderText() {
        StringBuilder sb = new StringBuilder(ROWS * (COLUMNS + 1));
        for (int row = 0; row < ROWS; row++) {
            int lineStart = sb.length();
            for (int col = 0; col < COLUMNS; col++) {
                sb.append(Cp437.toUnicode(memory.read8(cell(row, col) * 2)));
            }
            int end = sb.length();
            while (end > lineStart && sb.charAt(end - 1) == ' ') {
                end--;
            }
            sb.setLength(end);
            if (row < ROWS - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The RGB color (0xRRGGBB) of a 4-bit text attribute color, through palette and DAC. */
    public int rgb(int color) {
        int modeControl = ar[0x10];
        int p = ar[color & 0x0F] & 0x3F;
        int colorSelect = ar[0x14];
        int index;
        if ((modeControl & 0x80) != 0) {                      // P54S: bits 5:4 from color select
            index = (p & 0x0F) | (colorSelect & 0x03) << 4;
        } else {
            index = p;
        }
        index = (index | (colorSelect & 0x0C) << 4) & pelMask;
        return scale(dac[index * 3]) << 16 | scale(dac[index * 3 + 1]) << 8 | scale(dac[index * 3 + 2]);
    }

    private static int scale(int six) {
        return (six << 2) | (six >> 4);
    }

    /** Renders the screen into a BufferedImage of 640x400 with 8x16 cells. */
    public BufferedImage renderImage() {
        if (font == null) {
            font = new VgaFont();
        }
        BufferedImage img = new BufferedImage(COLUMNS * VgaFont.WIDTH, ROWS * VgaFont.HEIGHT, BufferedImage.TYPE_INT_RGB);
        boolean blinkMode = (ar[0x10] & AR_MODE_BLINK) != 0;
        int cursor = cursorLocation() - startAddress();
        int cursorStart = crtc[CR_CURSOR_START] & 0x1F;
        int cursorEnd = crtc[CR_CURSOR_END] & 0x1F;
        boolean cursorOn = (crtc[CR_CURSOR_START] & CURSOR_DISABLE) == 0;
        for (int row = 0; row < ROWS; row++) {
            for (int col = 0; col < COLUMNS; col++) {
                int at = cell(row, col) * 2;
                int ch = memory.read8(at);
                int attr = memory.read8(at + 1);
                int fg = rgb(attr & 0x0F);
                int bg = rgb(blinkMode ? (attr >> 4) & 0x07 : (attr >> 4) & 0x0F);
                boolean hasCursor = cursorOn && row * COLUMNS + col == cursor;
                for (int y = 0; y < VgaFont.HEIGHT; y++) {
                    int bits = font.row(ch, y);
                    if (hasCursor && y >= cursorStart && y <= cursorEnd) {
                        bits = 0xFF;
                    }
                    for (int x = 0; x < VgaFont.WIDTH; x++) {
                        img.setRGB(col * VgaFont.WIDTH + x, row * VgaFont.HEIGHT + y, (bits & (0x80 >>> x)) != 0 ? fg : bg);
                    }
                }
            }
        }
        return img;
    }

    /** Writes the screen as a 640x400 PNG. */
    public void writePng(Path file) throws IOException {
        if (!ImageIO.write(renderImage(), "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
