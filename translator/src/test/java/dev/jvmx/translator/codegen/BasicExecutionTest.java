package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BasicExecutionTest {
    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    @Test
    void addsAndHalts() {
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32("mov eax, 5\nadd eax, 3\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(8, r.cpu.regs[Cpu.EAX]);
    }

    @Test
    void loopWithFusedCompareAndBranch() {
        // sum 1..100 = 5050
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32(
                "xor eax, eax\nmov ecx, 1\n1: add eax, ecx\ninc ecx\ncmp ecx, 100\njbe 1b\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(5050, r.cpu.regs[Cpu.EAX]);
        assertEquals(101, r.cpu.regs[Cpu.ECX]);
    }

    @Test
    void memoryStackAndCalls() {
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32(
                "mov dword ptr [0x2000], 0x11223344\n"
                + "mov ebx, 0x2000\nmov al, [ebx+1]\nmovzx ecx, byte ptr [ebx+3]\n"
                + "push 7\ncall f\npop edx\ncli\nhlt\n"
                + "f: mov esi, [esp+4]\nadd esi, esi\nret"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x33, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(0x11, r.cpu.regs[Cpu.ECX]);
        assertEquals(14, r.cpu.regs[Cpu.ESI]);
        assertEquals(7, r.cpu.regs[Cpu.EDX]);
        assertEquals(GuestRunner.STACK_TOP, r.cpu.regs[Cpu.ESP]);
    }

    @Test
    void outputThroughPortE9() {
        GuestRunner r = GuestRunner.flat32();
        r.run(Asm.assemble32("mov al, 'h'\nout 0xe9, al\nmov dx, 0xe9\nmov al, 'i'\nout dx, al\ncli\nhlt"));
        assertEquals("hi", r.debugOut.toString());
    }

    /**
     * A loop hot enough to become a region: sum of i for i in 1..200000 where i is odd,
     * plus the count of even i. Worked by hand: odd sum = 100000^2 = 10^10 mod 2^32,
     * even count = 100000.
     */
    @Test
    void hotLoopRunsAsARegionWithTheSameResults() {
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32(
                "xor eax, eax\nxor ebx, ebx\nmov ecx, 1\n"
                + "1: test ecx, 1\njz 2f\nadd eax, ecx\njmp 3f\n2: inc ebx\n3: inc ecx\ncmp ecx, 200000\njbe 1b\n"
                + "cli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals((int) 10_000_000_000L, r.cpu.regs[Cpu.EAX]);
        assertEquals(100000, r.cpu.regs[Cpu.EBX]);
        assertEquals(200001, r.cpu.regs[Cpu.ECX]);
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
        // Every instruction is counted once: 3 + 199999 iterations... computed from the loop shape:
        // per odd i: test,jz,add,jmp,inc,cmp,jbe = 7; per even i: test,jz,inc,inc,cmp,jbe = 6; plus 3 + cli,hlt.
        assertEquals(3 + 100000L * 7 + 100000L * 6 + 2, r.cpu.instructions);
    }
}
