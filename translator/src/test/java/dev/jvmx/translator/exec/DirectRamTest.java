package dev.jvmx.translator.exec;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Accesses that skip the TLB ({@link BlockMode#DIRECT_RAM}): when the mode allows them; that
 * translated code reads and writes what the first tier's probes do at the edges of the two
 * windows (640 KiB, 1 MiB, the end of RAM), across pages and where a device is mapped over RAM;
 * and that its stores still reach the code-page checks.
 */
class DirectRamTest {
    private static final int PAGE = 0x300000;
    /** A device that reads 5A5A5A5Ah and ignores writes (RamOnDemandTest maps it too). */
    static final MmioDevice DEVICE = new MmioDevice() {
        @Override public int mmioRead(int phys, int size) {
            return 0x5A5A5A5A;
        }

        @Override public void mmioWrite(int phys, int size, int value) { }
    };

    @Test
    void onlyWithoutPagingA20OffWatchesOrRemappedOrReadOnlyRam() {
        GuestRunner m = GuestRunner.flat32();
        assertTrue((BlockMode.of(m.cpu) & BlockMode.DIRECT_RAM) != 0, "flat protected mode without paging");
        m.cpu.mmu.setA20(false);
        assertEquals(0, BlockMode.of(m.cpu) & BlockMode.DIRECT_RAM, "A20 off: odd megabytes alias the even ones");
        m.cpu.mmu.setA20(true);
        m.memory.mapMmio(0xA0000, 0x20000, DEVICE);
        assertTrue(m.cpu.mmu.directRam(), "below 1 MiB is outside the window");
        m.memory.mapMmio(PAGE, PhysicalMemory.PAGE_SIZE, DEVICE);
        assertFalse(m.cpu.mmu.directRam(), "a device over RAM");
        m.memory.mapReadWrite(PAGE, PAGE, PhysicalMemory.PAGE_SIZE);
        assertTrue(m.cpu.mmu.directRam(), "the RAM back in place");
        m.memory.mapReadOnly(PAGE, PAGE, PhysicalMemory.PAGE_SIZE);
        assertFalse(m.cpu.mmu.directRam(), "RAM made read-only, whose stores the slow path drops");
        m.memory.mapReadWrite(PAGE, PAGE, PhysicalMemory.PAGE_SIZE);
        m.cpu.mmu.setAccessWatch(new Mmu.AccessWatch() {
            @Override public boolean watchesPage(int lin) {
                return false;
            }

            @Override public void accessed(int lin, int size, int access) { }
        });
        assertFalse(m.cpu.mmu.directRam(), "a debugger's watchpoints need every read through the TLB");
        m.cpu.mmu.setAccessWatch(null);
        m.resetReal(0, 0, 0, 0, 0x1000);
        assertEquals(0, BlockMode.of(m.cpu) & BlockMode.DIRECT_RAM, "real mode");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void readsAtTheWindowEdgesAndUnderADeviceAsTheProbesDo(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32();
        m.useTier(tier);
        int top = BareMachine.RAM;
        m.load(0xFFFFC, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});        // 4 bytes each side of 1 MiB
        m.load(top - 6, new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66}); // the last 6 bytes of RAM
        m.load(PAGE, new byte[] {0x78, 0x56, 0x34, 0x12});
        m.load(0x9FFFC, new byte[] {(byte) 0xA1, (byte) 0xA2, (byte) 0xA3, (byte) 0xA4, (byte) 0xB1, (byte) 0xB2});
        String code = "mov eax, [0xFFFFE]\n"                      // straddles 1 MiB: 0x06050403
                + "mov ebx, [0x100000]\n"                          // the window's first dword: 0x08070605
                + "mov ecx, [" + (top - 4) + "]\n"                 // RAM's last dword: 0x66554433
                + "mov edx, [" + (top - 2) + "]\n"                 // half beyond RAM, which reads as 0xFF
                + "movzx esi, word ptr [" + (top - 6) + "]\n"      // 0x2211
                + "mov edi, [" + PAGE + "]\n"
                + "mov ebp, [0x9FFFC]\n"                            // conventional memory's last dword
                + "movzx esp, word ptr [0x9FFFF]\n"                 // straddles 640 KiB: 0xB1A4
                + "cli\nhlt";
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(0x06050403, m.cpu.regs[Cpu.EAX]);
        assertEquals(0x08070605, m.cpu.regs[Cpu.EBX]);
        assertEquals(0x66554433, m.cpu.regs[Cpu.ECX]);
        assertEquals(0xFFFF6655, m.cpu.regs[Cpu.EDX]);
        assertEquals(0x2211, m.cpu.regs[Cpu.ESI]);
        assertEquals(0x12345678, m.cpu.regs[Cpu.EDI]);
        assertEquals(0xA4A3A2A1, m.cpu.regs[Cpu.EBP]);
        assertEquals(0xB1A4, m.cpu.regs[Cpu.ESP]);

        // A device mapped over that RAM page (the machine empties the TLB when it remaps): the
        // mode no longer allows direct reads, and the read reaches the device.
        m.memory.mapMmio(PAGE, PhysicalMemory.PAGE_SIZE, DEVICE);
        m.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        m.resetFlat32(BareMachine.CODE_BASE, BareMachine.STACK_TOP);
        m.expectHalt(m.run());
        assertEquals(0x5A5A5A5A, m.cpu.regs[Cpu.EDI]);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void writesAtTheWindowEdgesAcrossPagesAndUnderADeviceAsTheProbesDo(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32();
        m.useTier(tier);
        int top = BareMachine.RAM;
        String code = "mov eax, 0x44332211\n"
                + "mov [0xFFFFE], eax\n"                          // straddles 1 MiB
                + "mov [" + (top - 4) + "], eax\n"                // RAM's last dword
                + "mov [" + (top - 10) + "], eax\n"
                + "mov [" + (top - 2) + "], eax\n"                // half beyond RAM: two bytes land
                + "mov [0x9FFFE], eax\n"                          // straddles 640 KiB
                + "mov word ptr [" + (PAGE + 0xFFF) + "], ax\n"   // across two pages of RAM
                + "mov [" + (PAGE + 0x1FFE) + "], eax\n"
                + "mov byte ptr [" + (PAGE + 0x10) + "], al\n"
                + "mov [0x9FFF0], eax\n"
                + "cli\nhlt";
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(0x44332211, m.memory.read32(0xFFFFE));
        assertEquals(0x22112211, m.memory.read32(top - 4), "the last dword, its upper half stored again from half beyond RAM");
        assertEquals(0x44332211, m.memory.read32(top - 10));
        assertEquals(0x44332211, m.memory.read32(0x9FFFE));
        assertEquals(0x2211, m.memory.read16(PAGE + 0xFFF));
        assertEquals(0x44332211, m.memory.read32(PAGE + 0x1FFE));
        assertEquals(0x11, m.memory.read8(PAGE + 0x10));
        assertEquals(0x44332211, m.memory.read32(0x9FFF0));

        // A device mapped over that RAM page: the store reaches it, not the RAM under it.
        int[] seen = new int[1];
        m.memory.mapMmio(PAGE, PhysicalMemory.PAGE_SIZE, new MmioDevice() {
            @Override public int mmioRead(int phys, int size) {
                return 0;
            }

            @Override public void mmioWrite(int phys, int size, int value) {
                seen[0] = phys;
            }
        });
        m.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        m.resetFlat32(BareMachine.CODE_BASE, BareMachine.STACK_TOP);
        m.expectHalt(m.run());
        assertEquals(PAGE + 0x10, seen[0], "the last store to the page reached the device");
    }

    /**
     * A store over an instruction that has run (and, in the second tier, been translated) on a
     * page of the low window: the code-page flag sends it to the slow path, which drops the
     * stale translation, and the patched instruction runs as the guest wrote it.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void storesOverTranslatedCodeAreSeen(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32();
        m.useTier(tier);
        assertTrue((BlockMode.of(m.cpu) & BlockMode.DIRECT_RAM) != 0);
        String code = "xor ecx, ecx\n"
                + "again:\n"
                + "call patched\n"
                + "add ecx, eax\n"
                + "mov byte ptr [patched + 1], 5\n"       // mov eax, imm32: the immediate's low byte
                + "cmp ecx, 1\n"
                + "je again\n"
                + "cli\nhlt\n"
                + "patched:\n"
                + "mov eax, 1\n"
                + "ret\n";
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(1 + 5, m.cpu.regs[Cpu.ECX], "the second call runs the patched immediate");
    }

    /**
     * A word stored across a page boundary whose first byte lands on a page without code and
     * whose second rewrites the opcode of translated code at the start of the next page: the
     * store must not go direct on the strength of its first page alone.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void aStoreAcrossAPageOntoCodeIsSeen(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32();
        m.useTier(tier);
        String code = "xor esi, esi\n"
                + "again:\n"
                + "mov eax, 100\n"
                + "xor ecx, ecx\n"
                + "call patched\n"
                + "mov word ptr [patched - 1], 0xB990\n"   // a nop before it, and mov eax -> mov ecx
                + "inc esi\n"
                + "cmp esi, 2\n"
                + "jne again\n"
                + "cli\nhlt\n"
                + ".p2align 12, 0x90\n"
                + ".skip 4096, 0x90\n"                     // a page no instruction runs from
                + "patched:\n"
                + "mov eax, 1\n"
                + "ret\n";
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(100, m.cpu.regs[Cpu.EAX], "the second call no longer writes EAX");
        assertEquals(1, m.cpu.regs[Cpu.ECX], "it writes ECX");
    }
}
