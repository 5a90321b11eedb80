package dev.jvmx.runtime.board;

import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A machine with two processors runs a guest that starts its application processor with INIT and
 * a start-up IPI (SDM Vol. 3A, 9.4.4: the MP initialization protocol's INIT-SIPI sequence) and
 * sends it a fixed IPI, which the AP takes from HLT, handles and ends with an EOI (11.6, 11.8.5).
 * The code is real mode with both APICs moved to 4000h (each processor writes its own
 * IA32_APIC_BASE), so the guest needs no protected mode to reach them.
 */
class SmpGuestTest {
    /** The BSP, at 0000:1000. */
    private static final int[] BSP = {
        0x66, 0xb9, 0x1b, 0x00, 0x00, 0x00,             // mov ecx, 1Bh (IA32_APIC_BASE)
        0x66, 0xb8, 0x00, 0x49, 0x00, 0x00,             // mov eax, 4900h (base 4000h, EN, BSP)
        0x66, 0x31, 0xd2,                               // xor edx, edx
        0x0f, 0x30,                                     // wrmsr
        0x66, 0xc7, 0x06, 0xf0, 0x40, 0xff, 0x01, 0x00, 0x00, // mov dword [40F0h], 1FFh (SVR: enabled)
        0x66, 0xc7, 0x06, 0x00, 0x43, 0x00, 0x45, 0x0c, 0x00, // mov dword [4300h], 000C4500h (INIT, all but self)
        0x66, 0xc7, 0x06, 0x00, 0x43, 0x03, 0x46, 0x0c, 0x00, // mov dword [4300h], 000C4603h (SIPI vector 3, all but self)
        0x80, 0x3e, 0x00, 0x06, 0x01,                   // w1: cmp byte [600h], 1 (the AP is up)
        0x75, 0xf9,                                     // jne w1
        0x66, 0xc7, 0x06, 0x10, 0x43, 0x00, 0x00, 0x00, 0x01, // mov dword [4310h], 01000000h (destination APIC ID 1)
        0x66, 0xc7, 0x06, 0x00, 0x43, 0x40, 0x40, 0x00, 0x00, // mov dword [4300h], 00004040h (fixed, vector 40h)
        0x80, 0x3e, 0x01, 0x06, 0x01,                   // w2: cmp byte [601h], 1 (the AP ran its handler)
        0x75, 0xf9,                                     // jne w2
        0xb0, 0x10,                                     // mov al, 10h
        0xe6, 0xf4,                                     // out 0F4h, al (isa-debug-exit: exit code 21h)
        0xfa, 0xf4,                                     // cli; hlt
    };

    /** The AP, at 0300:0000 (start-up vector 3). */
    private static final int[] AP = {
        0x66, 0xb9, 0x1b, 0x00, 0x00, 0x00,             // mov ecx, 1Bh
        0x66, 0xb8, 0x00, 0x48, 0x00, 0x00,             // mov eax, 4800h (base 4000h, EN; BSP clear)
        0x66, 0x31, 0xd2,                               // xor edx, edx
        0x0f, 0x30,                                     // wrmsr
        0x66, 0xc7, 0x06, 0xf0, 0x40, 0xff, 0x01, 0x00, 0x00, // mov dword [40F0h], 1FFh
        0x66, 0xa1, 0x20, 0x40,                         // mov eax, [4020h] (its APIC ID register)
        0x66, 0xa3, 0x04, 0x06,                         // mov [604h], eax
        0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,             // mov eax, 1
        0x0f, 0xa2,                                     // cpuid
        0x66, 0x89, 0x1e, 0x08, 0x06,                   // mov [608h], ebx (initial APIC ID in 31:24)
        0xc6, 0x06, 0x00, 0x06, 0x01,                   // mov byte [600h], 1
        0xfb,                                           // l: sti
        0xf4,                                           // hlt
        0xeb, 0xfc,                                     // jmp l
    };

    /** The AP's handler for vector 40h, at 0300:0100. */
    private static final int[] ISR = {
        0xc6, 0x06, 0x01, 0x06, 0x01,                   // mov byte [601h], 1
        0x66, 0xc7, 0x06, 0xb0, 0x40, 0x00, 0x00, 0x00, 0x00, // mov dword [40B0h], 0 (EOI)
        0xcf,                                           // iret
    };

    private static Machine machine(int cpus) throws Exception {
        MachineConfig cfg = new MachineConfig();
        cfg.bios = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize()
                .resolve("guest-images/images/first-guest.rom");
        cfg.cpus = cpus;
        cfg.clock = MachineConfig.ClockMode.VIRTUAL;
        cfg.timeoutSeconds = 60;
        Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        return m;
    }

    private static void put(Machine m, int address, int[] code) {
        for (int i = 0; i < code.length; i++) {
            m.memory.write8(address + i, code[i]);
        }
    }

    /** The BSP in real mode at 0000:1000 with flat 64 KiB segments at 0. */
    private static void startBspAt1000(Cpu cpu) {
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(0, 0, 0xFFFF, SegmentCache.AR_P | SegmentCache.AR_S | 0x3);
        }
        cpu.seg[Seg.CS].set(0, 0, 0xFFFF, SegmentCache.AR_P | SegmentCache.AR_S | 0xB);
        cpu.regs[Cpu.ESP] = 0x0F00;
        cpu.eip = 0x1000;
    }

    @Test
    void initSipiStartsTheApWhichTakesAFixedIpiFromHlt() throws Exception {
        try (Machine m = machine(2)) {
            put(m, 0x1000, BSP);
            put(m, 0x3000, AP);
            put(m, 0x3100, ISR);
            put(m, 0x40 * 4, new int[] {0x00, 0x01, 0x00, 0x03}); // IVT[40h] = 0300:0100
            startBspAt1000(m.cpu);
            StopReason r = m.run();
            assertEquals(StopReason.Kind.DEBUG_EXIT, r.kind, r.message);
            assertEquals(0x21, r.value, "the BSP saw the AP's handler run and exited");
            assertEquals(0x01000000, m.memory.read32(0x604), "the AP read its own APIC ID at the shared address");
            assertEquals(1, m.memory.read32(0x608) >>> 24, "CPUID.1:EBX[31:24]: the AP's initial APIC ID");
            assertEquals(0, m.processors.current(), "the BSP ran last");
            assertTrue(m.processors.switches >= 2, "the processors took turns");
            assertEquals(0, m.apics[1].read(LocalApic.ISR + 0x20) & 1, "the AP's EOI retired vector 40h (ISR bit 64)");
        }
    }

    /**
     * A spin-lock as SeaBIOS's AP count has it: the BSP releases the lock, PAUSEs and takes it
     * again at once, so a processor switch at a block boundary always finds it held. PAUSE ends
     * the spinner's turn (Processors.pause), so the AP gets the lock well within one quantum.
     */
    private static final int[] BSP_LOCK = {
        0x66, 0xb9, 0x1b, 0x00, 0x00, 0x00,             // mov ecx, 1Bh
        0x66, 0xb8, 0x00, 0x49, 0x00, 0x00,             // mov eax, 4900h (APIC at 4000h)
        0x66, 0x31, 0xd2,                               // xor edx, edx
        0x0f, 0x30,                                     // wrmsr
        0x66, 0xc7, 0x06, 0xf0, 0x40, 0xff, 0x01, 0x00, 0x00, // mov dword [40F0h], 1FFh
        0xc6, 0x06, 0x10, 0x06, 0x01,                   // mov byte [610h], 1 (the BSP holds the lock)
        0x66, 0xc7, 0x06, 0x00, 0x43, 0x00, 0x45, 0x0c, 0x00, // INIT, all but self
        0x66, 0xc7, 0x06, 0x00, 0x43, 0x03, 0x46, 0x0c, 0x00, // SIPI vector 3, all but self
        0x80, 0x3e, 0x00, 0x06, 0x01,                   // loop: cmp byte [600h], 1 (the AP counted itself)
        0x74, 0x12,                                     // je done
        0xc6, 0x06, 0x10, 0x06, 0x00,                   // mov byte [610h], 0 (release)
        0xf3, 0x90,                                     // 1: pause
        0xf0, 0x0f, 0xba, 0x2e, 0x10, 0x06, 0x00,       // lock bts word [610h], 0 (take it again)
        0x72, 0xf5,                                     // jc 1b
        0xeb, 0xe7,                                     // jmp loop
        0xb0, 0x10,                                     // done: mov al, 10h
        0xe6, 0xf4,                                     // out 0F4h, al
        0xfa, 0xf4,                                     // cli; hlt
    };

    private static final int[] AP_LOCK = {
        0xf3, 0x90,                                     // 1: pause
        0xf0, 0x0f, 0xba, 0x2e, 0x10, 0x06, 0x00,       // lock bts word [610h], 0
        0x72, 0xf5,                                     // jc 1b
        0xc6, 0x06, 0x00, 0x06, 0x01,                   // mov byte [600h], 1
        0xc6, 0x06, 0x10, 0x06, 0x00,                   // mov byte [610h], 0
        0xfa, 0xf4,                                     // cli; hlt
    };

    @Test
    void pauseGivesASpinLocksOtherProcessorItsTurn() throws Exception {
        try (Machine m = machine(2)) {
            put(m, 0x1000, BSP_LOCK);
            put(m, 0x3000, AP_LOCK);
            startBspAt1000(m.cpu);
            StopReason r = m.run();
            assertEquals(StopReason.Kind.DEBUG_EXIT, r.kind, r.message);
            assertTrue(m.cpu.instructions < Processors.QUANTUM,
                    "the AP took the lock at the BSP's first PAUSE, not after a quantum: " + m.cpu.instructions);
        }
    }

    @Test
    void aResetPutsTheApBackInWaitForSipiAndTheBspInTheFirmware() throws Exception {
        int[] bspThenReset = Arrays.copyOf(BSP, 51 + 4);
        // After "the AP is up" (BSP bytes 0..50): mov al, 0FEh; out 64h, al (the 8042 pulses RESET).
        System.arraycopy(new int[] {0xb0, 0xfe, 0xe6, 0x64}, 0, bspThenReset, 51, 4);
        try (Machine m = machine(2)) {
            put(m, 0x1000, bspThenReset);
            put(m, 0x3000, AP);
            startBspAt1000(m.cpu);
            StopReason r = m.run();
            // The firmware (first-guest.rom) ran again on the BSP and ended with cli; hlt, the AP never restarted.
            assertEquals(StopReason.Kind.HALTED, r.kind, r.message);
            assertEquals(1, m.memory.read8(0x600), "the AP had come up before the reset");
            assertEquals(0, m.processors.current());
            assertTrue(m.processors.waitingForSipi(1));
            assertEquals(0, m.cpu.apic.initialApicId(), "the BSP's APIC answers CPUID and the APIC MSRs");
            assertEquals(LocalApic.DEFAULT_BASE | LocalApic.BASE_EN,
                    m.apics[1].readBaseMsr(), "the AP's APIC back at its reset base");
            assertEquals(0xFF, m.apics[1].read(LocalApic.SVR), "and software-disabled");
        }
    }

    @Test
    void aBspHaltedWithInterruptsOffWhileTheApWaitsForSipiEndsTheRun() throws Exception {
        try (Machine m = machine(2)) {
            put(m, 0x1000, new int[] {0xfa, 0xf4}); // cli; hlt
            startBspAt1000(m.cpu);
            StopReason r = m.run();
            assertEquals(StopReason.Kind.HALTED, r.kind, r.message);
            assertTrue(m.processors.waitingForSipi(1));
        }
    }

    @Test
    void oneProcessorHasNoScheduler() throws Exception {
        try (Machine m = machine(1)) {
            assertNull(m.processors, "-smp 1 runs as before: no processor switching at all");
            assertEquals(1, m.apics.length);
        }
    }
}
