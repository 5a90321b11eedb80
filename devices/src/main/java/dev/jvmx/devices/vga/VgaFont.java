package dev.jvmx.devices.vga;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * An 8x16 bitmap for each CP437 code: block elements and shades are drawn geometrically,
 * everything else is the JDK's "Monospaced" font rasterised into the cell without
 * antialiasing. If the host has no usable font, other glyphs fall back to a hollow box so
 * that text is still visibly there.
 */
final class VgaFont {
    static final int WIDTH = 8;
    static final int HEIGHT = 16;

    /** glyph[code][row]: bit 7 is the leftmost pixel. */
    private final int[][] glyph = new int[256][HEIGHT];

    VgaFont() {
        boolean fontOk = rasterise();
        for (int c = 0; c < 256; c++) {
            if (geometric(c)) {
                continue;
            }
            if (!fontOk && c != 0 && c != 0x20 && c != 0xFF) {
                box(c);
            }
        }
    }

    int row(int code, int y) {
        return glyph[code & 0xFF][y];
    }

    private boolean rasterise() {
        try {
            BufferedImage cell = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = cell.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
            for (int c = 1; c < 256; c++) {
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, WIDTH, HEIGHT);
                g.setColor(Color.WHITE);
                g.drawString(String.valueOf(Cp437.toUnicode(c)), 0, 12);
                for (int y = 0; y < HEIGHT; y++) {
                    int bits = 0;
                    for (int x = 0; x < WIDTH; x++) {
                        if ((cell.getRGB(x, y) & 0xFFFFFF) != 0) {
                            bits |= 0x80 >>> x;
                        }
                    }
                    glyph[c][y] = bits;
                }
            }
            g.dispose();
            return true;
        } catch (Throwable t) {
            // Headless hosts without fonts throw Errors from AWT: fall back to boxes.
            return false;
        }
    }

    private void box(int c) {
        for (int y = 2; y < 14; y++) {
            glyph[c][y] = y == 2 || y == 13 ? 0x7E : 0x42;
        }
    }

    /** Block elements and shades, where a font's idea of the cell does not match the VGA's. */
    private boolean geometric(int c) {
        for (int y = 0; y < HEIGHT; y++) {
            int bits;
            switch (c) {
                case 0xDB -> bits = 0xFF;                                   // full block
                case 0xDC -> bits = y >= HEIGHT / 2 ? 0xFF : 0;             // lower half
                case 0xDF -> bits = y < HEIGHT / 2 ? 0xFF : 0;              // upper half
                case 0xDD -> bits = 0xF0;                                   // left half
                case 0xDE -> bits = 0x0F;                                   // right half
                case 0xB0 -> bits = (y & 1) == 0 ? 0x88 : 0x22;             // light shade
                case 0xB1 -> bits = (y & 1) == 0 ? 0xAA : 0x55;             // medium shade
                case 0xB2 -> bits = (y & 1) == 0 ? 0xDD : 0x77;             // dark shade
                default -> {
                    return false;
                }
            }
            glyph[c][y] = bits;
        }
        return true;
    }
}
