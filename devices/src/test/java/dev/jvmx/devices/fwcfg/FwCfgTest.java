package dev.jvmx.devices.fwcfg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Expected bytes worked by hand from QEMU's docs/specs/fw_cfg and SeaBIOS's reader. */
class FwCfgTest {
    private final FwCfg fw = new FwCfg();

    private void select(int key) {
        fw.ioWrite(0x510, 2, key);
    }

    private int[] read(int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = fw.ioRead(0x511, 1);
        }
        return b;
    }

    @Test
    void signatureIsQemuThenZeroPastTheEnd() {
        select(0x0000);
        assertArrayEquals(new int[] {'Q', 'E', 'M', 'U', 0, 0}, read(6));
    }

    @Test
    void idIsTraditionalInterfaceOnlyNoDma() {
        select(0x0001);
        assertArrayEquals(new int[] {1, 0, 0, 0}, read(4));
    }

    @Test
    void selectorWriteRewindsTheOffset() {
        select(0x0000);
        read(2);
        select(0x0000);
        assertEquals('Q', fw.ioRead(0x511, 1));
    }

    @Test
    void ramSizeIsLittleEndian64() {
        fw.setRamSize(0x1_2000_0000L);
        select(0x0003);
        assertArrayEquals(new int[] {0x00, 0x00, 0x00, 0x20, 0x01, 0x00, 0x00, 0x00}, read(8));
    }

    @Test
    void cpuCountsAreLittleEndian16() {
        fw.setCpus(1, 0x102);
        select(0x0005);
        assertArrayEquals(new int[] {1, 0}, read(2));
        select(0x000F);
        assertArrayEquals(new int[] {0x02, 0x01}, read(2));
    }

    @Test
    void emptyFileDirectoryHasCountZero() {
        select(0x0019);
        assertArrayEquals(new int[] {0, 0, 0, 0}, read(4));
    }

    @Test
    void fileDirectoryEntriesAreBigEndianWithPaddedNames() {
        assertEquals(0x20, fw.addFile("bootorder", new byte[3]));
        assertEquals(0x21, fw.addFile("etc/e820", new byte[0x128]));
        select(0x0019);
        int[] dir = read(4 + 2 * 64);
        assertArrayEquals(new int[] {0, 0, 0, 2}, java.util.Arrays.copyOfRange(dir, 0, 4));
        // second entry at 4 + 64: size 0x128 BE32, select 0x0021 BE16, reserved 0
        assertArrayEquals(new int[] {0, 0, 0x01, 0x28, 0x00, 0x21, 0, 0, 'e', 't', 'c', '/', 'e', '8', '2', '0', 0},
                java.util.Arrays.copyOfRange(dir, 68, 68 + 17));
        // name field is 56 bytes NUL-padded: last byte of the first entry's name is 0
        assertEquals(0, dir[4 + 63]);
        assertEquals('b', dir[4 + 8]);
    }

    @Test
    void fileContentIsReadThroughItsSelect() {
        fw.addFile("etc/x", new byte[] {7, 8});
        select(0x0020);
        assertArrayEquals(new int[] {7, 8, 0}, read(3));
    }

    @Test
    void unknownSelectorReadsZero() {
        select(0x1234);
        assertArrayEquals(new int[] {0, 0}, read(2));
    }

    @Test
    void nonsenseWritesAreIgnored() {
        select(0x0000);
        fw.ioWrite(0x511, 1, 0xAA);       // data writes: no write channel
        fw.ioWrite(0x510, 1, 0x01);       // byte write to the 16-bit selector
        fw.ioWrite(0x510, 4, 0x0001);     // dword write to the 16-bit selector
        assertEquals('Q', fw.ioRead(0x511, 1));
        assertEquals(0, fw.ioRead(0x510, 2));
    }

    @Test
    void bootFailWaitIsLe32Milliseconds() {
        int sel = fw.addBootFailWait(5000);
        select(sel);
        assertArrayEquals(new int[] {0x88, 0x13, 0, 0}, read(4));
    }

    @Test
    void e820EntriesArePacked20ByteLittleEndian() {
        byte[] b = new E820Table().addRam(0, 0x9FC00).addReserved(0xFEFFC000L, 0x4000).toBytes();
        assertEquals(40, b.length);
        byte[] first = {0, 0, 0, 0, 0, 0, 0, 0, 0x00, (byte) 0xFC, 0x09, 0, 0, 0, 0, 0, 1, 0, 0, 0};
        assertArrayEquals(first, java.util.Arrays.copyOfRange(b, 0, 20));
        byte[] second = {0x00, (byte) 0xC0, (byte) 0xFF, (byte) 0xFE, 0, 0, 0, 0, 0x00, 0x40, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0};
        assertArrayEquals(second, java.util.Arrays.copyOfRange(b, 20, 40));
    }

    @Test
    void bootOrderIsNewlineSeparated() {
        byte[] b = new BootOrder().add("/a").add("/b@1").toBytes();
        assertArrayEquals(new byte[] {'/', 'a', '\n', '/', 'b', '@', '1', 0}, b);
    }

    @Test
    void fileKeysCannotBeSetAsNumberedItems() {
        assertThrows(IllegalArgumentException.class, () -> fw.setItem(0x19, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> fw.setItem(0x20, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> fw.addFile("x".repeat(56), new byte[1]));
    }

    @Test
    void archLocalKeysAreSeparateItems() {
        fw.setItem(0x8000, new byte[] {5});
        select(0x8000);
        assertEquals(5, fw.ioRead(0x511, 1));
        select(0x0000);
        assertEquals('Q', fw.ioRead(0x511, 1));
    }
}
