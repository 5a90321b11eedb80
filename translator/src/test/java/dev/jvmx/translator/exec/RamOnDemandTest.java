package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * RAM on demand ({@link PhysicalMemory#grow}): RAM above what the array holds at first reads
 * as zeros through the slow path until written; its first written pages take slots in the array
 * (plain RAM from then on), later ones pages of their own; once it is used enough, the loop's
 * next boundary takes it into a new array (the ROM moved up behind it) that the processor and
 * the direct windows then use.
 */
class RamOnDemandTest {
    private static final int MIB = 1 << 20;
    private static final MmioDevice DEVICE = DirectRamTest.DEVICE;

    @Test
    void readsAndWritesBeforeAndAfterItIsTakenIn() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, 0, null, 16 * MIB);
        int[] asked = new int[1];
        m.onGrowWanted(() -> asked[0]++);
        assertEquals(17 * MIB, m.array.length, "16 MiB of RAM and 256 slots");
        assertEquals(16 * MIB, m.directTop());
        assertTrue(m.windowsDirect(), "the windows end where the array does");

        m.load(40 * MIB, new byte[8192], 0, 8192);
        assertFalse(m.growWanted(), "a loader's zeros change nothing");
        assertEquals(PhysicalMemory.ON_DEMAND, m.pageEntry(32 * MIB));
        assertEquals(0, m.read32(32 * MIB));
        m.write32(32 * MIB + 4094, 0x11223344); // across two pages of RAM on demand
        m.write8(16 * MIB - 1, 0x77);           // the array's last byte
        m.load(48 * MIB, new byte[] {1, 2, 3}, 0, 3);
        assertEquals(0x11223344, m.read32(32 * MIB + 4094));
        assertFalse(m.growWanted(), "a few pages are not worth the array");
        assertEquals(3, m.onDemandPagesWritten());
        int slot = m.pageEntry(32 * MIB);
        assertTrue(slot >= 16 * MIB && slot < 17 * MIB, "a slot behind the RAM: " + slot);
        assertEquals(0x44, m.array[slot + 4094] & 0xFF, "plain RAM in the array");
        for (int p = 0; p < 254; p++) {
            m.write8(20 * MIB + p * PhysicalMemory.PAGE_SIZE, 1);
        }
        assertTrue(m.growWanted(), "257 pages written");
        assertEquals(PhysicalMemory.ON_DEMAND, m.pageEntry(20 * MIB + 253 * PhysicalMemory.PAGE_SIZE),
                "the 257th page: no slot left");
        m.write8(20 * MIB, 2);
        assertEquals(1, asked[0], "asked once");

        m.mapMmio(50 * MIB, PhysicalMemory.PAGE_SIZE, DEVICE);    // a device over RAM on demand ...
        m.mapMmio(51 * MIB, PhysicalMemory.PAGE_SIZE, DEVICE);
        m.mapReadWrite(51 * MIB, 51 * MIB, PhysicalMemory.PAGE_SIZE); // ... and one given back to RAM
        assertEquals(PhysicalMemory.ON_DEMAND, m.pageEntry(51 * MIB));
        assertTrue(m.windowsDirect());

        int[] replaced = new int[1];
        m.onArrayReplaced(() -> replaced[0]++);
        m.grow();
        assertFalse(m.growWanted());
        assertEquals(1, replaced[0]);
        assertEquals(64 * MIB, m.array.length);
        assertEquals(64 * MIB, m.directTop());
        assertEquals(0x11223344, m.read32(32 * MIB + 4094));
        assertEquals(0x44, m.array[32 * MIB + 4094] & 0xFF, "RAM at its own place now");
        assertEquals(0x77, m.read8(16 * MIB - 1));
        assertEquals(0x030201, m.read32(48 * MIB) & 0xFFFFFF);
        assertEquals(51 * MIB, m.pageEntry(51 * MIB));
        assertEquals(0x5A5A5A5A, m.read32(50 * MIB), "the device stays");
        assertFalse(m.windowsDirect(), "a device over RAM inside the grown window");
        assertEquals(2, m.read8(20 * MIB));
    }

    /** Byte accesses alone (reads of a page never written) also ask for the array, after enough of them. */
    @Test
    void manyAccessesAskForTheArray() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, 0, null, 16 * MIB);
        for (int i = 0; i < (1 << 20) / 4; i++) {
            assertEquals(0, m.read32(40 * MIB));
        }
        assertFalse(m.growWanted());
        m.read8(40 * MIB);
        assertTrue(m.growWanted());
    }

    /** The ROM space sits behind the RAM in the array and moves up with its page-map entries. */
    @Test
    void theRomMovesUpBehindTheGrownRam() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, MIB, null, 16 * MIB);
        assertEquals(18 * MIB, m.array.length, "RAM, the ROM space, the slots");
        byte[] rom = new byte[0x10000];
        rom[0xFFF0] = (byte) 0xEA; // the reset vector's far jump
        int off = m.loadRom(-rom.length, rom);
        assertEquals(16 * MIB, off);
        assertEquals(16 * MIB, m.romBase());
        m.mapReadOnly(0xF0000, off, 0x10000); // its alias below 1 MiB, as BiosLoader maps it
        m.write8(30 * MIB, 9);
        m.grow();
        assertEquals(65 * MIB, m.array.length);
        assertEquals(64 * MIB, m.romBase());
        assertEquals(64 * MIB | PhysicalMemory.MAP_READONLY, m.pageEntry(0xFFFF0000));
        assertEquals(0xEA, m.read8(0xFFFFFFF0));
        assertEquals(0xEA, m.read8(0xFFFF0), "the alias moved too");
        m.write8(0xFFFF0, 0);
        assertEquals(0xEA, m.read8(0xFFFF0), "still read-only");
        assertEquals(9, m.read8(30 * MIB));
    }

    /** A page that took a slot and was then covered by a device gets its slot and bytes back. */
    @Test
    void aSlotOutlivesADeviceOverItsPage() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, 0, null, 16 * MIB);
        m.write8(40 * MIB + 5, 0x42);
        int slot = m.pageEntry(40 * MIB);
        m.mapMmio(40 * MIB, PhysicalMemory.PAGE_SIZE, DEVICE);
        assertEquals(0x5A, m.read8(40 * MIB + 5));
        m.mapReadWrite(40 * MIB, 40 * MIB, PhysicalMemory.PAGE_SIZE);
        assertEquals(slot, m.pageEntry(40 * MIB));
        assertEquals(0x42, m.read8(40 * MIB + 5));
        m.mapMmio(40 * MIB, PhysicalMemory.PAGE_SIZE, DEVICE);
        m.grow();
        m.mapReadWrite(40 * MIB, 40 * MIB, PhysicalMemory.PAGE_SIZE);
        assertEquals(0x42, m.read8(40 * MIB + 5), "copied to its own place though a device covered it");
    }

    /** A guest of 64 MiB with 16 MiB in the array at first, run on {@code tier}: the rest is RAM on demand. */
    private static GuestRunner guestWithRamOnDemand(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32(64 * MIB, 16 * MIB);
        m.useTier(tier);
        return m;
    }

    /**
     * SeaBIOS's move of its init code to the top of RAM: a REP MOVSB into RAM on demand copies
     * through the slots, not element by element, and the copy reads back.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void aStringCopyIntoRamOnDemand(int tier) {
        GuestRunner m = guestWithRamOnDemand(tier);
        for (int i = 0; i < 3 * PhysicalMemory.PAGE_SIZE; i++) {
            m.memory.write8(0x100000 + i, i * 7);
        }
        String code = "cld\n"
                + "mov esi, 0x100000\n"
                + "mov edi, 0x2fffe01\n" // across three pages of RAM on demand, from the middle of one
                + "mov ecx, 3 * 4096\n"
                + "rep movsb\n"
                + "mov eax, [0x2fffe01 + 4096]\n"
                + "cli\nhlt\n";
        m.expectHalt(m.run(Asm.assemble32(code)));
        for (int i = 0; i < 3 * PhysicalMemory.PAGE_SIZE; i++) {
            assertEquals(i * 7 & 0xFF, m.memory.read8(0x2fffe01 + i), "byte " + i);
        }
        assertEquals(m.memory.read32(0x100000 + 4096), m.cpu.regs[Cpu.EAX]);
        assertEquals(0, m.cpu.regs[Cpu.ECX]);
        assertEquals(0x100000 + 3 * 4096, m.cpu.regs[Cpu.ESI]);
        assertEquals(4, m.memory.onDemandPagesWritten());
        assertEquals(0, m.memory.onDemandAccesses(), "no byte through the slow path");
    }

    /**
     * A guest that stores above the array's RAM in the first block it runs, reads it back in the
     * same block, stores low memory there too (into the array that is about to be replaced), then
     * adds to RAM on demand in a loop long enough to reach a boundary and run on in new code.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void aGuestRunsOnAcrossTheArraysReplacement(int tier) {
        GuestRunner m = guestWithRamOnDemand(tier);
        assertTrue((BlockMode.of(m.cpu) & BlockMode.DIRECT_RAM) != 0);
        String code = "mov dword ptr [0x2000000], 0x11223344\n"
                + "mov eax, [0x2000000]\n"
                + "mov dword ptr [0x8100], 0x55\n"
                + "mov ecx, 200000\n"
                + "again:\n"
                + "mov edx, ecx\n" // a store to each of 512 pages of RAM on demand: more than its slots
                + "and edx, 511\n"
                + "shl edx, 12\n"
                + "mov byte ptr [0x2100000 + edx], 1\n"
                + "add dword ptr [0x2000004], 1\n"
                + "add dword ptr [0x8104], 2\n"
                + "dec ecx\n"
                + "jnz again\n"
                + "mov ebx, [0x2000004]\n"
                + "mov edx, [0x8100]\n"
                + "mov esi, [0x8104]\n"
                + "cli\nhlt\n";
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(0x11223344, m.cpu.regs[Cpu.EAX]);
        assertEquals(200000, m.cpu.regs[Cpu.EBX]);
        assertEquals(0x55, m.cpu.regs[Cpu.EDX], "a store to the old array before the boundary is kept");
        assertEquals(400000, m.cpu.regs[Cpu.ESI]);
        assertTrue(m.loop.ramTakenInAt >= 0, "taken in");
        assertEquals(64 * MIB, m.memory.array.length);
        assertEquals(200000, m.memory.read32(0x2000004));
    }
}
