package dev.jvmx.guestimages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Structural checks of the committed images; needs no toolchain. */
class GuestImageTest {
    private static final Pattern WORKLOAD_LINE =
            Pattern.compile("crc32=[0-9a-f]{8} primes=78498 sort=[0-9a-f]{8}");

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static long u32(byte[] b, int i) {
        return (u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | (long) u8(b, i + 3) << 24);
    }

    @Test
    void firstGuestIsA64KiBRomWithAResetJump() {
        byte[] rom = GuestImage.FIRST_GUEST.bytes();
        assertEquals(65536, rom.length);
        // F000:FFF0 -> near JMP rel16 (E9) backwards into the same 64 KiB segment
        assertEquals(0xE9, u8(rom, 0xFFF0));
        int target = (0xFFF3 + (u8(rom, 0xFFF1) | u8(rom, 0xFFF2) << 8)) & 0xFFFF;
        assertTrue(target < 0xFFF0, "reset jump target " + Integer.toHexString(target));
        assertEquals(0xFA, u8(rom, target), "16-bit entry starts with CLI");
    }

    @ParameterizedTest
    @EnumSource(value = GuestImage.class, names = {"HELLO", "CRC_MB"})
    void multibootKernelsAreElf32WithAValidHeader(GuestImage image) {
        byte[] elf = image.bytes();
        assertArrayEquals(new byte[] {0x7F, 'E', 'L', 'F', 1, 1}, java.util.Arrays.copyOf(elf, 6),
                "ELF32 little-endian");
        assertEquals(3, u8(elf, 18) | u8(elf, 19) << 8, "e_machine EM_386");
        int found = -1;
        for (int off = 0; off + 12 <= Math.min(elf.length, 8192); off += 4) {
            if (u32(elf, off) == 0x1BADB002L) {
                found = off;
                break;
            }
        }
        assertTrue(found >= 0, "multiboot header in the first 8 KiB");
        long flags = u32(elf, found + 4);
        assertEquals(0, (u32(elf, found) + flags + u32(elf, found + 8)) & 0xFFFFFFFFL, "checksum");
        assertEquals(2, flags & 2, "flags bit 1: memory info requested");
        assertEquals(0x100000L, u32(elf, 24) & 0xFFF00000L, "entry point at 1 MiB");
    }

    @Test
    void firstGuestExpectedOutput() {
        Expected e = GuestImage.FIRST_GUEST.expected();
        assertTrue(e.header("output").startsWith("serial"));
        assertEquals(OptionalInt.empty(), e.debugExitValue());
        String[] lines = e.outputText().split("\r\n", -1);
        assertEquals(4, lines.length, e.outputText());
        assertEquals("jvmx first guest: real mode -> protected mode OK", lines[0]);
        assertTrue(WORKLOAD_LINE.matcher(lines[1]).matches(), lines[1]);
        assertEquals("done", lines[2]);
        assertEquals("", lines[3]);
    }

    @Test
    void crcMbPrintsTheSameWorkloadLineAsTheFirstGuest() {
        Expected e = GuestImage.CRC_MB.expected();
        assertTrue(e.header("output").startsWith("debugcon"));
        assertEquals(OptionalInt.of(0), e.debugExitValue());
        assertEquals(OptionalInt.of(1), e.qemuExitStatus());
        String firstGuestLine = GuestImage.FIRST_GUEST.expected().outputText().split("\r\n")[1];
        assertEquals(firstGuestLine + "\n", e.outputText());
    }

    @Test
    void helloExpectedOutput() {
        Expected e = GuestImage.HELLO.expected();
        assertEquals(OptionalInt.of(0x10), e.debugExitValue());
        assertEquals(OptionalInt.of((0x10 << 1) | 1), e.qemuExitStatus());
        Matcher m = Pattern.compile("Hello from a multiboot kernel\nmem_lower=(\\d+) KiB mem_upper=(\\d+) KiB\n")
                .matcher(e.outputText());
        assertTrue(m.matches(), e.outputText());
        assertEquals("639", m.group(1));
    }

    @Test
    void malformedExpectedFileIsRejectedWithAMessage() {
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Expected.parse("image x\n\nbody".getBytes()));
        assertTrue(ex.getMessage().contains("header"));
    }
}
