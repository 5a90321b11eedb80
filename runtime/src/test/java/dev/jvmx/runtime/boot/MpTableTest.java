package dev.jvmx.runtime.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Structure and values from the Intel MultiProcessor Specification 1.4, chapter 4. */
class MpTableTest {
    final byte[] t = MpTable.build(MpTable.BASE, 0x14, 0x633, 0x0000A37D, 0, 0x11, 1 << 9);
    final ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);

    static int sum(byte[] t, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += t[i] & 0xFF;
        }
        return s & 0xFF;
    }

    @Test
    void floatingPointer() {
        assertEquals("_MP_", new String(t, 0, 4));
        assertEquals(MpTable.BASE + 16, b.getInt(4));
        assertEquals(1, t[8], "one 16-byte paragraph");
        assertEquals(4, t[9], "revision 1.4");
        assertEquals(0, t[11], "a configuration table follows (no default configuration)");
        assertEquals(0, t[12], "IMCRP clear: virtual-wire mode");
        assertEquals(0, sum(t, 0, 16));
    }

    @Test
    void configurationTable() {
        int h = 16;
        assertEquals("PCMP", new String(t, h, 4));
        int length = b.getShort(h + 4) & 0xFFFF;
        // 1 processor (20) + 2 buses (8) + 1 I/O APIC (8) + 15 ISA interrupts (8) + 2 local interrupts (8)
        assertEquals(44 + 20 + 8 * (2 + 1 + 15 + 2), length);
        assertEquals(t.length - 16, length);
        assertEquals(4, t[h + 6]);
        assertEquals(0, sum(t, h, length));
        assertEquals(21, b.getShort(h + 34), "entry count");
        assertEquals(0xFEE00000, b.getInt(h + 36), "local APIC address");
        int e = h + 44;
        // Processor: type 0, APIC ID 0, version 14h, enabled + BSP, signature, features.
        assertEquals(0, t[e]);
        assertEquals(0, t[e + 1]);
        assertEquals(0x14, t[e + 2]);
        assertEquals(3, t[e + 3]);
        assertEquals(0x633, b.getInt(e + 4));
        assertEquals(0xA37D, b.getInt(e + 8));
        e += 20;
        assertEquals(1, t[e]);
        assertEquals(0, t[e + 1]);
        assertEquals("PCI   ", new String(t, e + 2, 6));
        e += 8;
        assertEquals(1, t[e + 1]);
        assertEquals("ISA   ", new String(t, e + 2, 6));
        e += 8;
        assertEquals(2, t[e]);          // I/O APIC
        assertEquals(0, t[e + 1]);
        assertEquals(0x11, t[e + 2]);
        assertEquals(1, t[e + 3]);
        assertEquals(0xFEC00000, b.getInt(e + 4));
        e += 8;
        // ISA IRQ0 -> INTIN2, conforming; IRQ2 (the cascade) has no entry; IRQ9 level, active high.
        assertEquals(3, t[e]);
        assertEquals(0, t[e + 1]);      // INT
        assertEquals(0, b.getShort(e + 2));
        assertEquals(1, t[e + 4]);      // ISA bus
        assertEquals(0, t[e + 5]);
        assertEquals(0, t[e + 6]);
        assertEquals(2, t[e + 7]);
        assertEquals(1, t[e + 8 + 5]);
        assertEquals(1, t[e + 8 + 7]);
        assertEquals(3, t[e + 16 + 5], "IRQ2 skipped");
        int irq9 = e + 8 * 8;           // 0, 1, 3, 4, 5, 6, 7, 8, then 9
        assertEquals(9, t[irq9 + 5]);
        assertEquals(0x0D, b.getShort(irq9 + 2));
        e += 15 * 8;
        assertEquals(4, t[e]);          // ExtINT on the BSP's LINT0
        assertEquals(3, t[e + 1]);
        assertEquals(0, t[e + 6]);
        assertEquals(0, t[e + 7]);
        e += 8;
        assertEquals(1, t[e + 1]);      // NMI on every LINT1
        assertEquals((byte) 0xFF, t[e + 6]);
        assertEquals(1, t[e + 7]);
    }

    /** -smp 3: one processor entry each, APIC IDs 0..2, only the first flagged the BSP (4.3.1, Table 4-5). */
    @Test
    void oneProcessorEntryPerProcessor() {
        byte[] m = MpTable.build(MpTable.BASE, 0x14, 0x633, 0x0000A37D, 0, 0x11, 1 << 9, 3);
        ByteBuffer mb = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        int h = 16;
        int length = mb.getShort(h + 4) & 0xFFFF;
        assertEquals(44 + 3 * 20 + 8 * (2 + 1 + 15 + 2), length);
        assertEquals(23, mb.getShort(h + 34), "entry count");
        assertEquals(0, sum(m, h, length));
        for (int i = 0; i < 3; i++) {
            int e = h + 44 + 20 * i;
            assertEquals(0, m[e], "a processor entry");
            assertEquals(i, m[e + 1], "APIC ID");
            assertEquals(i == 0 ? 3 : 1, m[e + 3], "enabled, and BSP for the first only");
        }
        assertEquals(1, m[h + 44 + 60], "the bus entries follow");
    }
}
