package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TSC counts the machine's clock (Cpu.timeSource) at 1 GHz: RDTSC, RDMSR and WRMSR of
 * IA32_TIME_STAMP_COUNTER (MSR 0x10, SDM Vol. 4) see one counter, which a WRMSR sets and which
 * then goes on counting from the value written (SDM Vol. 3B, 18.17).
 */
class TscTest {
    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    private static long edxEax(Cpu c) {
        return (c.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (c.regs[Cpu.EAX] & 0xFFFFFFFFL);
    }

    @Test
    void inlineRdtscReadsTheMachineClock() {
        GuestRunner r = GuestRunner.flat32();
        r.cpu.timeSource = () -> 0x1_2345_6789L;
        StopReason s = r.run(Asm.assemble32("rdtsc\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x1_2345_6789L, edxEax(r.cpu), "1 GHz: one tick per nanosecond of the clock");
    }

    @Test
    void wrmsrSetsTheCounterWhichGoesOnCounting() {
        GuestRunner r = GuestRunner.flat32();
        long[] now = {5_000_000_000L};
        // Each look at the clock finds it 1000 ns later.
        r.cpu.timeSource = () -> now[0] += 1000;
        StopReason s = r.run(Asm.assemble32(String.join("\n",
                "mov ecx, 0x10", "mov edx, 0x7", "mov eax, 0x10000000", "wrmsr",     // TSC := 0x7_1000_0000 at clock t
                "rdmsr", "mov esi, eax", "mov edi, edx",                             // clock t + 1000
                "rdtsc", "cli", "hlt")));                                            // clock t + 2000
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x7_1000_0000L + 1000, (r.cpu.regs[Cpu.EDI] & 0xFFFFFFFFL) << 32 | (r.cpu.regs[Cpu.ESI] & 0xFFFFFFFFL));
        assertEquals(0x7_1000_0000L + 2000, edxEax(r.cpu));
    }
}
