package dev.jvmx.devices.vga;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Expected values from the VGA register reference (port map, attribute flip-flop, CR11
 * protection, DAC auto-increment, mode 03h values), the standard 16-color text palette,
 * and the Unicode mapping of code page 437.
 */
class VgaTextTest {
    private final byte[] ram = new byte[0x100000];
    private final VgaText vga = new VgaText(TextMemory.of(() -> ram, 0xB8000));

    private void put(int row, int col, int ch, int attr) {
        int at = 0xB8000 + (row * 80 + col) * 2;
        ram[at] = (byte) ch;
        ram[at + 1] = (byte) attr;
    }

    private void putString(int row, int col, String s) {
        for (int i = 0; i < s.length(); i++) {
            put(row, col + i, s.charAt(i), 0x07);
        }
    }

    private void out(int port, int v) {
        vga.ioWrite(port, 1, v);
    }

    private int in(int port) {
        return vga.ioRead(port, 1);
    }

    private void crtc(int index, int v) {
        out(0x3D4, index);
        out(0x3D5, v);
    }

    @Test
    void renderTextTrimsRowsAndKeeps25Lines() {
        putString(0, 0, "Hi  ");
        put(1, 79, 'X', 0x07);
        put(2, 0, 0xC9, 0x07);
        put(2, 1, 0x01, 0x07);
        put(2, 2, 0x00, 0x07);
        put(2, 3, 0xB0, 0x07);
        String[] lines = vga.renderText().split("\n", -1);
        assertEquals(25, lines.length);
        assertEquals("Hi", lines[0]);
        assertEquals(" ".repeat(79) + "X", lines[1]);
        assertEquals("\u2554\u263A \u2591", lines[2]);
        assertEquals("", lines[24]);
    }

    @Test
    void cp437UpperHalfMatchesTheJdkIbm437Charset() {
        Charset ibm437 = Charset.forName("IBM437");
        for (int b = 0x80; b < 0x100; b++) {
            String expected = new String(new byte[] {(byte) b}, ibm437);
            assertEquals(expected.charAt(0), Cp437.toUnicode(b), Integer.toHexString(b));
        }
        assertEquals('\u2302', Cp437.toUnicode(0x7F));
        assertEquals('\u25BC', Cp437.toUnicode(0x1F));
    }

    @Test
    void startAddressScrollsTheView() {
        putString(1, 0, "second");
        crtc(0x0C, 0x00);
        crtc(0x0D, 80);
        assertTrue(vga.renderText().startsWith("second\n"));
    }

    @Test
    void cursorLocationRegisters() {
        crtc(0x0E, 0x01);
        crtc(0x0F, 0x23);
        assertEquals(0x0123, vga.cursorLocation());
        vga.ioWrite(0x3D4, 2, 0x450F);                 // word OUT: index 0Fh, data 45h
        assertEquals(0x0145, vga.cursorLocation());
        out(0x3D4, 0x0A);
        assertEquals(0x0D, in(0x3D5));                 // mode 03h cursor start
        out(0x3D4, 0x0B);
        assertEquals(0x0E, in(0x3D5));
    }

    @Test
    void attributeControllerFlipFlop() {
        in(0x3DA);
        out(0x3C0, 0x01);
        out(0x3C0, 0x3F);
        assertEquals(0x3F, vga.attribute(1));
        assertEquals(0x3F, in(0x3C1));
        out(0x3C0, 0x02);                              // index again
        in(0x3DA);                                     // flip-flop back to index
        out(0x3C0, 0x32);                              // so this is an index (with PAS)
        assertEquals(0x02, vga.attribute(2));
        assertEquals(0x32, in(0x3C0));
        out(0x3C0, 0x0D);                              // data for index 12h
        assertEquals(0x0D, vga.attribute(0x12));
    }

    @Test
    void inputStatusOneTogglesRetraceBits() {
        boolean sawRetrace = false;
        boolean sawDisplay = false;
        boolean sawHBlank = false;
        for (int i = 0; i < 16; i++) {
            int s = in(0x3DA);
            if ((s & 0x08) != 0) {
                sawRetrace = true;
                assertEquals(0x01, s & 0x01, "display disabled during vertical retrace");
            } else if ((s & 0x01) != 0) {
                sawHBlank = true;
            } else {
                sawDisplay = true;
            }
        }
        assertTrue(sawRetrace && sawDisplay && sawHBlank);
    }

    @Test
    void dacAutoIncrementsAndMasksToSixBits() {
        out(0x3C8, 5);
        assertEquals(0x00, in(0x3C7));                 // DAC state: write mode
        out(0x3C9, 0x3F);
        out(0x3C9, 0x20);
        out(0x3C9, 0x7F);
        out(0x3C9, 0x01);                              // red of entry 6
        assertEquals(6, in(0x3C8));
        out(0x3C7, 5);
        assertEquals(0x03, in(0x3C7));                 // read mode
        assertEquals(0x3F, in(0x3C9));
        assertEquals(0x20, in(0x3C9));
        assertEquals(0x3F, in(0x3C9));
        assertEquals(0x01, in(0x3C9));
    }

    @Test
    void sequencerGraphicsAndMiscRegisters() {
        out(0x3C4, 0x02);
        assertEquals(0x03, in(0x3C5));                 // mode 03h map mask
        out(0x3C5, 0x0F);
        assertEquals(0x0F, vga.sequencer(2));
        out(0x3CE, 0x06);
        assertEquals(0x0E, in(0x3CF));                 // mode 03h miscellaneous graphics
        assertEquals(0x67, in(0x3CC));
        out(0x3C2, 0x66);                              // IOAS = 0: CRTC moves to 0x3B4
        assertEquals(0x66, in(0x3CC));
        assertEquals(0xFF, in(0x3D5));
        crtc(0x0E, 0x77);                              // not decoded
        out(0x3C2, 0x67);
        assertEquals(0, vga.cursorLocation());
    }

    @Test
    void crtcProtectBitGuardsRegistersZeroToSeven() {
        assertEquals(0x8E, vga.crtc(0x11));            // mode 03h: protect set
        crtc(0x00, 0x12);
        assertEquals(0x5F, vga.crtc(0x00));
        crtc(0x07, 0x00);                              // only bit 4 (line compare 8) writable
        assertEquals(0x0F, vga.crtc(0x07));
        crtc(0x11, 0x0E);
        crtc(0x00, 0x12);
        assertEquals(0x12, vga.crtc(0x00));
    }

    @Test
    void nonsenseAccessesAreIgnored() {
        out(0x3D4, 0x1F);
        out(0x3D5, 0xAA);
        assertEquals(0, in(0x3D5));
        out(0x3C4, 0x07);
        out(0x3C5, 0xAA);
        assertEquals(0, in(0x3C5));
        out(0x3CE, 0x0F);
        out(0x3CF, 0xAA);
        assertEquals(0, in(0x3CF));
        in(0x3DA);
        out(0x3C0, 0x1F);
        out(0x3C0, 0xAA);
        assertEquals(0, in(0x3C1));
        out(0x3C3, 0x12);
        assertEquals(0xFF, in(0x3DF));
        assertEquals(0x5F, vga.crtc(0));
    }

    @Test
    void standardSixteenColors() {
        int[] expected = {
            0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
            0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF};
        for (int c = 0; c < 16; c++) {
            assertEquals(expected[c], vga.rgb(c), "color " + c);
        }
    }

    private static void assertCell(BufferedImage img, int row, int col, int rgb, int fromY, int toY) {
        for (int y = fromY; y <= toY; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(rgb, img.getRGB(col * 8 + x, row * 16 + y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void pngHasCellsColorsAndCursor(@TempDir Path dir) throws IOException {
        put(0, 0, 0xDB, 0x0E);                         // full block, yellow
        put(0, 1, ' ', 0x1E);                          // blue background
        put(0, 2, ' ', 0x9E);                          // blink bit: background stays color 1
        put(0, 3, 'A', 0x07);
        put(0, 5, ' ', 0x07);                          // cursor here, rows 0Dh-0Eh
        crtc(0x0E, 0);
        crtc(0x0F, 5);
        Path png = dir.resolve("screen.png");
        vga.writePng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertCell(img, 0, 0, 0xFFFF55, 0, 15);
        assertCell(img, 0, 1, 0x0000AA, 0, 15);
        assertCell(img, 0, 2, 0x0000AA, 0, 15);
        assertCell(img, 0, 5, 0x000000, 0, 12);
        assertCell(img, 0, 5, 0xAAAAAA, 13, 14);
        assertCell(img, 0, 5, 0x000000, 15, 15);
        int lit = 0;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 8; x++) {
                lit += (img.getRGB(24 + x, y) & 0xFFFFFF) == 0xAAAAAA ? 1 : 0;
            }
        }
        assertTrue(lit > 4 && lit < 64, "glyph A has some, not all, pixels lit: " + lit);
    }

    @Test
    void blinkDisabledGivesBrightBackgrounds() {
        in(0x3DA);
        out(0x3C0, 0x30);                              // mode control, PAS set
        out(0x3C0, 0x04);                              // blink off (bit 3 clear), line graphics on
        put(0, 0, ' ', 0x9E);
        BufferedImage img = vga.renderImage();
        assertEquals(0x5555FF, img.getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void disabledCursorIsNotDrawn() {
        crtc(0x0A, 0x2D);
        put(0, 0, ' ', 0x07);
        BufferedImage img = vga.renderImage();
        assertEquals(0, img.getRGB(0, 13) & 0xFFFFFF);
    }
}
