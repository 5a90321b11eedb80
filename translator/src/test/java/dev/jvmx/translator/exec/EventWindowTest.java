package dev.jvmx.translator.exec;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.testing.Asm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When a waiting interrupt or NMI is taken (SDM Vol. 3A, 6.8.3 and 6.7.1): after exactly one
 * instruction behind STI; right after IRET or POPF sets IF; NMIs whatever IF says, one at a time
 * until the handler's IRET. Real-mode guests (from GNU as) with an IVT; OUT to port 0x80 raises
 * an interrupt request with vector AL, OUT to 0x81 an NMI, as a device would.
 */
class EventWindowTest {
    static final int CODE = 0x1000;
    static final int COUNT = 0x600, RETURN_IP = 0x602, NMI_COUNT = 0x610, NMI_IP = 0x612;

    /** Handlers common to every test: vector 20h records its return IP; NMI records each return IP. */
    static final String HANDLERS = String.join("\n",
            "jmp start",
            "irq:",
            "  push bp", "  mov bp, sp", "  mov ax, [bp+2]", "  mov [0x602], ax", "  inc word ptr [0x600]", "  pop bp",
            "  iret",
            "nmi:",
            "  push bp", "  mov bp, sp", "  mov ax, [bp+2]", "  mov bx, [0x610]", "  shl bx, 1", "  mov [0x612+bx], ax",
            "  inc word ptr [0x610]", "  pop bp",
            "  cmp word ptr [0x610], 1", "  jne 1f",
            "  mov al, 1", "  out 0x81, al", // a second NMI while this one is being handled
            "1:",
            "  iret",
            "start:",
            "  mov word ptr [0x20*4], offset irq", "  mov word ptr [0x20*4+2], 0",
            "  mov word ptr [2*4], offset nmi", "  mov word ptr [2*4+2], 0",
            "");

    /** A bare machine whose ports 0x80 and 0x81 raise an interrupt request and an NMI. */
    static final class Events extends BareMachine {
        int vector = -1;
        boolean nmi;

        @Override
        public boolean interruptPending() {
            return vector >= 0;
        }

        @Override
        public int acknowledgeInterrupt() {
            int v = vector;
            vector = -1;
            return v;
        }

        @Override
        public boolean nmiPending() {
            return nmi;
        }

        @Override
        public void acknowledgeNmi() {
            nmi = false;
        }

        @Override
        public void portWrite(Cpu c, int port, int size, int value) {
            if (port == 0x80) {
                vector = value & 0xFF;
            } else if (port == 0x81) {
                nmi = true;
            }
            c.request(ExecutionLoop.REQUEST_IRQ);
        }
    }

    @BeforeAll
    static void tools() {
        assumeTrue(Asm.available(), "GNU as/objcopy are not installed");
    }

    /** Runs real-mode code to its final cli; hlt and returns the CPU. */
    static Cpu run(String code) {
        Events ev = new Events();
        ev.resetReal(0, 0, 0, 0, CODE);
        ev.cpu.regs[Cpu.ESP] = 0xFFF0;
        StopReason r = ev.run(Asm.assemble(HANDLERS + code + "\ncli\nhlt\n", true, CODE));
        assertEquals(StopReason.Kind.HALTED, r.kind, r.message);
        return ev.cpu;
    }

    static int word(Cpu c, int a) {
        return c.memory.read16(a);
    }

    /** The offset of a label: the guest stores it at 0x700 before the code under test. */
    static String mark(String label) {
        return "mov word ptr [0x700], offset " + label + "\n";
    }

    @Test
    void stiLetsExactlyOneInstructionRunFirst() {
        Cpu c = run(mark("after") + "cli\nmov al, 0x20\nout 0x80, al\nsti\nnop\nafter:\nmov ax, 1\nnop\n");
        assertEquals(1, word(c, COUNT));
        assertEquals(word(c, 0x700), word(c, RETURN_IP), "taken after the NOP behind STI, before what follows");
    }

    @Test
    void iretThatSetsIfTakesTheWaitingInterruptAtOnce() {
        String code = mark("after") + "mov word ptr [0x30*4], offset swint\nmov word ptr [0x30*4+2], 0\n"
                + "sti\nnop\nint 0x30\nafter:\ncli\nhlt\n"
                + "swint:\nmov al, 0x20\nout 0x80, al\niret\n";
        Cpu c = run(code);
        assertEquals(1, word(c, COUNT));
        assertEquals(word(c, 0x700), word(c, RETURN_IP), "taken right after the IRET, before the CLI");
    }

    @Test
    void popfThatSetsIfTakesTheWaitingInterruptAtOnce() {
        Cpu c = run(mark("after") + "cli\nmov al, 0x20\nout 0x80, al\npushf\npop ax\nor ax, 0x200\npush ax\npopf\n"
                + "after:\ncli\nnop\n");
        assertEquals(1, word(c, COUNT));
        assertEquals(word(c, 0x700), word(c, RETURN_IP));
    }

    @Test
    void popfTakesARequestHeldSinceAnEarlierLook() {
        // The request is seen (and held back by IF) at the boundary after INT/IRET; nothing
        // else asks for a look until POPF sets IF, which must.
        Cpu c = run(mark("after") + "mov word ptr [0x31*4], offset ret\nmov word ptr [0x31*4+2], 0\n"
                + "cli\nmov al, 0x20\nout 0x80, al\nint 0x31\nnop\n"
                + "pushf\npop ax\nor ax, 0x200\npush ax\npopf\nafter:\ncli\nnop\ncli\nhlt\n"
                + "ret:\niret\n");
        assertEquals(1, word(c, COUNT));
        assertEquals(word(c, 0x700), word(c, RETURN_IP));
    }

    @Test
    void maskedInterruptWaitsForIf() {
        Cpu c = run("cli\nmov al, 0x20\nout 0x80, al\nnop\nnop\n");
        assertEquals(0, word(c, COUNT));
    }

    @Test
    void nmiIgnoresIfAndNestsOnlyAfterIret() {
        Cpu c = run("cli\nmov al, 1\nout 0x81, al\nnop\nnop\n");
        assertEquals(2, word(c, NMI_COUNT));
        assertEquals(word(c, NMI_IP), word(c, NMI_IP + 2),
                "the NMI raised inside the handler is taken right after its IRET, where the first returned");
        assertEquals(false, c.nmiBlocked);
    }
}
