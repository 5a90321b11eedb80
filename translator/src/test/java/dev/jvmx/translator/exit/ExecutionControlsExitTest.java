package dev.jvmx.translator.exit;

import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;
import dev.jvmx.vmx.SecondaryProcessorControls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static dev.jvmx.vmx.PrimaryProcessorControls.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Guests of our own run under different VM-execution controls; the exit counts are those the
 * SDM's rules (Vol. 3C, "Instructions That Cause VM Exits Conditionally") give for each guest,
 * worked out by hand in the comments. The exit handler counts exits and port accesses that
 * were passed without one, and performs the architectural effect like a VMM.
 */
class ExecutionControlsExitTest {
    /** Counts exits by reason and I/O exits by port; passed port accesses separately. */
    static final class Counting implements VmExitHandler {
        final Map<ExitReason, Integer> exits = new EnumMap<>(ExitReason.class);
        final Map<Integer, Integer> ioExitPorts = new HashMap<>();
        final Map<Integer, Integer> passedPorts = new HashMap<>();
        /** Like KVM: after a CR0 exit, the read shadow shows the guest its new CR0 in the owned bits. */
        boolean mirrorCr0Shadow;

        int count(ExitReason r) {
            return exits.getOrDefault(r, 0);
        }

        int total() {
            return exits.values().stream().mapToInt(Integer::intValue).sum();
        }

        int passed() {
            return passedPorts.values().stream().mapToInt(Integer::intValue).sum();
        }

        private void io(Cpu cpu) {
            exits.merge(ExitReason.IO_INSTRUCTION, 1, Integer::sum);
            ioExitPorts.merge(IoQualification.port(cpu.exit.qualification()), 1, Integer::sum);
        }

        @Override
        public int ioIn(Cpu cpu) {
            io(cpu);
            return 0xFF;
        }

        @Override
        public void ioOut(Cpu cpu, int value) {
            io(cpu);
        }

        @Override
        public int portRead(Cpu cpu, int port, int size) {
            passedPorts.merge(port, 1, Integer::sum);
            return 0xFF;
        }

        @Override
        public void portWrite(Cpu cpu, int port, int size, int value) {
            passedPorts.merge(port, 1, Integer::sum);
        }

        @Override
        public void exit(Cpu cpu) {
            ExitReason reason = cpu.exit.reason();
            exits.merge(reason, 1, Integer::sum);
            ArchitecturalExits.emulate(cpu, reason, cpu.exit.qualification(), cpu.exit.instructionLength());
            if (mirrorCr0Shadow && reason == ExitReason.CONTROL_REGISTER_ACCESS) {
                ExecutionControls c = cpu.controls;
                c.setCr0(c.cr0GuestHostMask(), cpu.cr0 & c.cr0GuestHostMask());
            }
        }
    }

    private GuestRunner r;
    private Counting h;
    private ExecutionControls c;
    private int tier;

    /** A flat 32-bit machine whose blocks all run in {@code tier}: handlers ask the controls, translations bake them in. */
    private void setUp(int tier) {
        assumeTrue(Asm.available());
        r = GuestRunner.flat32();
        r.useTier(tier);
        this.tier = tier;
        h = new Counting();
        r.cpu.exitHandler = h;
        c = r.cpu.controls;
    }

    private void runToHalt(byte[] code) {
        StopReason s = r.run(code);
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertTrue(r.cpu.halted);
        assertEquals(tier == 2, r.cache.statistics().translated() > 0, "blocks translated only in tier 2");
    }

    // 5 iterations x 4 OUTs: imm 0x80 (byte), imm 0x81 (byte), DX=0x80 (byte), imm 0x7F (word: ports 7F and 80).
    private static final String IO_GUEST = String.join("\n",
            "mov ecx, 5",
            "1: out 0x80, al",
            "out 0x81, al",
            "mov dx, 0x80",
            "out dx, al",
            "out 0x7f, ax",
            "dec ecx",
            "jnz 1b",
            "cli",
            "hlt");

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void unconditionalIoExitingWithoutBitmapsExitsOnEveryOut(int tier) {
        setUp(tier);
        c.setPrimary(UNCONDITIONAL_IO_EXITING | HLT_EXITING);
        runToHalt(Asm.assemble32(IO_GUEST));
        // Every OUT exits: 5 x 4 = 20; by first port: 0x80 imm 5 + DX 5 = 10, 0x81 5, 0x7F 5.
        assertEquals(20, h.count(ExitReason.IO_INSTRUCTION));
        assertEquals(Map.of(0x80, 10, 0x81, 5, 0x7F, 5), h.ioExitPorts);
        assertEquals(0, h.passed());
        assertEquals(1, h.count(ExitReason.HLT));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void neitherIoControlMeansNoIoExits(int tier) {
        setUp(tier);
        c.setPrimary(HLT_EXITING);
        runToHalt(Asm.assemble32(IO_GUEST));
        assertEquals(0, h.count(ExitReason.IO_INSTRUCTION));
        assertEquals(20, h.passed());
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void bitmapsDecideAndUnconditionalExitingIsIgnored(int tier) {
        setUp(tier);
        // "use I/O bitmaps" 1 overrides "unconditional I/O exiting"; all bits clear -> no I/O exit.
        c.setPrimary(USE_IO_BITMAPS | UNCONDITIONAL_IO_EXITING | HLT_EXITING);
        runToHalt(Asm.assemble32(IO_GUEST));
        assertEquals(0, h.count(ExitReason.IO_INSTRUCTION));
        assertEquals(Map.of(0x80, 10, 0x81, 5, 0x7F, 5), h.passedPorts);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void bitmapBitForPort80TrapsEveryAccessTouchingIt(int tier) {
        setUp(tier);
        c.setPrimary(USE_IO_BITMAPS | HLT_EXITING);
        c.ioBitmap().set(0x80, true);
        runToHalt(Asm.assemble32(IO_GUEST));
        // OUT 0x80 (5) + OUT DX=0x80 (5) + OUT 0x7F word, which covers 0x80 (5) = 15; OUT 0x81 passes (5).
        assertEquals(15, h.count(ExitReason.IO_INSTRUCTION));
        assertEquals(Map.of(0x80, 10, 0x7F, 5), h.ioExitPorts);
        assertEquals(Map.of(0x81, 5), h.passedPorts);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void bitmapBitForPort81TrapsOnlyIt(int tier) {
        setUp(tier);
        c.setPrimary(USE_IO_BITMAPS | HLT_EXITING);
        c.ioBitmap().set(0x81, true);
        runToHalt(Asm.assemble32(IO_GUEST));
        assertEquals(5, h.count(ExitReason.IO_INSTRUCTION));
        assertEquals(Map.of(0x81, 5), h.ioExitPorts);
        assertEquals(Map.of(0x80, 10, 0x7F, 5), h.passedPorts);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void changingTheBitmapFlushesTranslationsThatBakedTheDecisionIn(int tier) {
        setUp(tier);
        c.setPrimary(USE_IO_BITMAPS | HLT_EXITING);
        byte[] code = Asm.assemble32(IO_GUEST);
        runToHalt(code);
        assertEquals(0, h.count(ExitReason.IO_INSTRUCTION));
        assertTrue(r.cache.size() > 0);
        c.ioBitmap().set(0x81, true);
        assertEquals(0, r.cache.size(), "a bitmap change drops the translations");
        r.cpu.halted = false;
        runToHalt(code);
        // The second run alone: OUT 0x81 now exits 5 times.
        assertEquals(5, h.count(ExitReason.IO_INSTRUCTION));
        c.setPrimary(c.primary() & ~HLT_EXITING);
        assertEquals(0, r.cache.size(), "a primary-control change drops the translations");
        r.cpu.halted = false;
        runToHalt(code);
        assertEquals(2, h.count(ExitReason.HLT), "third run's HLT does not exit");
    }

    private static final String RDTSC_GUEST = String.join("\n",
            "mov ecx, 7",
            "1: rdtsc",
            "dec ecx",
            "jnz 1b",
            "cli",
            "hlt");

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void rdtscExitsOnlyWithRdtscExiting(int tier) {
        setUp(tier);
        c.setPrimary(RDTSC_EXITING | HLT_EXITING);
        runToHalt(Asm.assemble32(RDTSC_GUEST));
        assertEquals(7, h.count(ExitReason.RDTSC));
        long viaExit = (r.cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL);

        GuestRunner r2 = GuestRunner.flat32();
        Counting h2 = new Counting();
        r2.cpu.exitHandler = h2;
        r2.cpu.controls.setPrimary(HLT_EXITING);
        StopReason s = r2.run(Asm.assemble32(RDTSC_GUEST));
        assertEquals(StopReason.Kind.HALTED, s.kind);
        assertEquals(0, h2.count(ExitReason.RDTSC));
        long inline = (r2.cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (r2.cpu.regs[Cpu.EAX] & 0xFFFFFFFFL);
        assertEquals(viaExit, inline, "inline RDTSC reads the same TSC the exit handler does");
        assertTrue(inline > 0);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void rdtscpExitsWithReason51UnderRdtscExitingAndEnableRdtscp(int tier) {
        setUp(tier);
        c.setPrimary(RDTSC_EXITING | HLT_EXITING | ACTIVATE_SECONDARY_CONTROLS);
        c.setSecondary(SecondaryProcessorControls.ENABLE_RDTSCP);
        runToHalt(Asm.assemble32("mov esi, 3\n1: rdtscp\ndec esi\njnz 1b\ncli\nhlt")); // RDTSCP writes ECX
        assertEquals(3, h.count(ExitReason.RDTSCP));
        assertEquals(0, h.count(ExitReason.RDTSC));

        GuestRunner r2 = GuestRunner.flat32();
        Counting h2 = new Counting();
        r2.cpu.exitHandler = h2;
        r2.cpu.controls.setPrimary(HLT_EXITING | ACTIVATE_SECONDARY_CONTROLS);
        r2.cpu.controls.setSecondary(SecondaryProcessorControls.ENABLE_RDTSCP);
        assertEquals(StopReason.Kind.HALTED, r2.run(Asm.assemble32("rdtscp\ncli\nhlt")).kind);
        assertEquals(0, h2.count(ExitReason.RDTSCP), "without RDTSC exiting RDTSCP runs in place");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void hltHaltsWithOrWithoutAnExit(int tier) {
        setUp(tier);
        c.setPrimary(0);
        runToHalt(Asm.assemble32("cli\nhlt\nnop"));
        assertEquals(0, h.total());
        assertEquals(GuestRunner.CODE_BASE + 2, r.cpu.eip, "EIP after the HLT");

        GuestRunner r2 = GuestRunner.flat32();
        Counting h2 = new Counting();
        r2.cpu.exitHandler = h2;
        r2.cpu.controls.setPrimary(HLT_EXITING);
        assertEquals(StopReason.Kind.HALTED, r2.run(Asm.assemble32("cli\nhlt\nnop")).kind);
        assertEquals(1, h2.count(ExitReason.HLT));
        assertEquals(GuestRunner.CODE_BASE + 2, r2.cpu.eip);
    }

    // flat32 starts with CR0 = ET|CD|NW|PE = 0x60000011. Five MOVs to CR0, then halt.
    private static final String CR0_GUEST = String.join("\n",
            "mov eax, 0x60000011", "mov cr0, eax",  // (1) unchanged
            "mov eax, 0x00000011", "mov cr0, eax",  // (2) clears CD and NW
            "mov eax, 0x00000019", "mov cr0, eax",  // (3) sets TS
            "mov eax, 0x00000011", "mov cr0, eax",  // (4) clears TS
            "mov eax, 0x00000013", "mov cr0, eax",  // (5) sets MP
            "cli", "hlt");

    private int cr0Exits() {
        return h.count(ExitReason.CONTROL_REGISTER_ACCESS);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void movToCr0WithEmptyMaskNeverExits(int tier) {
        setUp(tier);
        c.setPrimary(HLT_EXITING);
        c.setCr0(0, 0);
        runToHalt(Asm.assemble32(CR0_GUEST));
        assertEquals(0, cr0Exits());
        assertEquals(0x13, r.cpu.cr0);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void movToCr0ExitsWhenAnOwnedBitDiffersFromTheShadow(int tier) {
        setUp(tier);
        c.setPrimary(HLT_EXITING);
        h.mirrorCr0Shadow = true;
        c.setCr0(0x9 /* TS|PE */, 0x1);
        runToHalt(Asm.assemble32(CR0_GUEST));
        // src & 9 vs shadow: (1) 1=1 no; (2) 1=1 no; (3) 9!=1 exit, shadow 9; (4) 1!=9 exit, shadow 1; (5) 1=1 no.
        assertEquals(2, cr0Exits());
        assertEquals(0x13, r.cpu.cr0);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void movToCr0OwningOnlyCdExitsOnce(int tier) {
        setUp(tier);
        c.setPrimary(HLT_EXITING);
        h.mirrorCr0Shadow = true;
        c.setCr0(0x40000000 /* CD */, 0x40000000);
        runToHalt(Asm.assemble32(CR0_GUEST));
        // (1) CD=1 = shadow; (2) CD=0 != 1 exit, shadow 0; (3)-(5) CD=0 = shadow.
        assertEquals(1, cr0Exits());
        assertEquals(0x13, r.cpu.cr0);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void defaultControlsExitOnEveryMovToCr0AndOut(int tier) {
        setUp(tier);
        // The exit-everything default (mask all ones, shadow 0): every source here has bit 4 (ET) set.
        runToHalt(Asm.assemble32(CR0_GUEST + "\nout 0x80, al"));
        assertEquals(5, cr0Exits());
        assertEquals(1, h.count(ExitReason.HLT));
        assertEquals(0x13, r.cpu.cr0);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void cpuidExitsWhateverTheControls(int tier) {
        setUp(tier);
        c.setPrimary(0);
        c.setSecondary(0);
        c.setCr0(0, 0);
        runToHalt(Asm.assemble32("xor eax, eax\ncpuid\ncpuid\nmov eax, 1\ncpuid\ncli\nhlt"));
        assertEquals(3, h.count(ExitReason.CPUID));
        assertEquals(3, h.total());
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void msrBitmapsDecideRdmsrAndWrmsr(int tier) {
        setUp(tier);
        c.setPrimary(USE_MSR_BITMAPS);
        c.msrBitmap().setWrite(0x174, true);
        runToHalt(Asm.assemble32(String.join("\n",
                "mov ecx, 0x174", "mov eax, 0x8", "xor edx, edx",
                "wrmsr",          // write bit of 0x174 set: exit
                "rdmsr",          // read bit clear: no exit
                "mov ebx, eax",
                "mov ecx, 0x175", "mov eax, 0x9000",
                "wrmsr",          // 0x175 write bit clear: no exit
                "rdmsr",
                "cli", "hlt")));
        assertEquals(1, h.count(ExitReason.WRMSR));
        assertEquals(0, h.count(ExitReason.RDMSR));
        assertEquals(0x8, r.cpu.regs[Cpu.EBX], "SYSENTER_CS written through the exit, read back inline");
        assertEquals(0x9000, r.cpu.regs[Cpu.EAX], "SYSENTER_ESP written and read back inline");
        assertEquals(0x9000, r.cpu.sysenterEsp);
    }
}
