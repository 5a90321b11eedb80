package dev.jvmx.devices.fwcfg;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * fw_cfg's DMA interface as QEMU's docs/specs/fw_cfg.rst describes it: FW_CFG_ID bit 1, the
 * signature "QEMU CFG" at 0x514, a big-endian FWCfgDmaAccess (control, length, address) whose
 * address is written big-endian to 0x514 (high) and 0x518 (low, which starts it), and the control
 * word written back as 0 or ERROR.
 */
class FwCfgDmaTest {
    final byte[] ram = new byte[0x10000];
    final FwCfg fw = new FwCfg();

    @BeforeEach
    void setUp() {
        fw.enableDma(new FwCfg.DmaMemory() {
            @Override public void read(long address, byte[] into) {
                System.arraycopy(ram, (int) address, into, 0, into.length);
            }
            @Override public void write(long address, byte[] from) {
                System.arraycopy(from, 0, ram, (int) address, from.length);
            }
        });
        fw.setItem(FwCfg.FW_CFG_KERNEL_DATA, "0123456789".getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes an access structure at 0x100 and starts it; returns the control word read back. */
    private int transfer(int control, int length, int address) {
        byte[] a = new byte[16];
        Be.put32(a, 0, control);
        Be.put32(a, 4, length);
        Be.put32(a, 8, 0);
        Be.put32(a, 12, address);
        System.arraycopy(a, 0, ram, 0x100, 16);
        fw.ioWrite(FwCfg.PORT_DMA, 4, Integer.reverseBytes(0));        // outl(cpu_to_be32(high), 0x514)
        fw.ioWrite(FwCfg.PORT_DMA + 4, 4, Integer.reverseBytes(0x100)); // outl(cpu_to_be32(low), 0x518)
        return Be.get32(ram, 0x100);
    }

    private static String str(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.ISO_8859_1);
    }

    @Test
    void idAndSignatureAdvertiseDma() {
        fw.ioWrite(FwCfg.PORT_SELECTOR, 2, FwCfg.FW_CFG_ID);
        assertEquals(FwCfg.ID_TRADITIONAL | FwCfg.ID_DMA, fw.ioRead(FwCfg.PORT_DATA, 1));
        int hi = fw.ioRead(FwCfg.PORT_DMA, 4), lo = fw.ioRead(FwCfg.PORT_DMA + 4, 4);
        byte[] sig = {(byte) hi, (byte) (hi >> 8), (byte) (hi >> 16), (byte) (hi >> 24),
            (byte) lo, (byte) (lo >> 8), (byte) (lo >> 16), (byte) (lo >> 24)};
        assertEquals("QEMU CFG", str(sig, 0, 8));
    }

    @Test
    void selectReadSkipAndZeroFill() {
        int select = FwCfg.FW_CFG_KERNEL_DATA << 16 | FwCfg.DMA_SELECT;
        assertEquals(0, transfer(select | FwCfg.DMA_READ, 4, 0x200));
        assertEquals("0123", str(ram, 0x200, 4));
        assertEquals(0, transfer(FwCfg.DMA_SKIP, 3, 0));
        java.util.Arrays.fill(ram, 0x300, 0x310, (byte) 'x');
        assertEquals(0, transfer(FwCfg.DMA_READ, 8, 0x300));
        assertEquals("789\0\0\0\0\0xxxxxxxx", str(ram, 0x300, 16), "past the end: zeros, and no further");
        assertEquals(0, transfer(select | FwCfg.DMA_READ, 2, 0x400), "SELECT rewinds");
        assertEquals("01", str(ram, 0x400, 2));
    }

    @Test
    void writeIsAnError() {
        assertEquals(FwCfg.DMA_ERROR, transfer(FwCfg.FW_CFG_KERNEL_DATA << 16 | FwCfg.DMA_SELECT | FwCfg.DMA_WRITE, 4, 0x200));
    }
}
