package dev.jvmx.translator.testing;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.exec.StopReason;

import java.util.function.Predicate;

/**
 * The bare machine ({@link BareMachine}) with what only tests need: guest code assembled by
 * GNU as ({@link Asm}) and run to an appended {@code cli; hlt}.
 */
public final class GuestRunner extends BareMachine {
    private GuestRunner() {
    }

    private GuestRunner(int ramBytes, int inArray) {
        super(ramBytes, inArray);
    }

    /** {@link #flat32} on {@code ramBytes} of RAM, of which the array holds {@code inArray} at first (RAM on demand). */
    public static GuestRunner flat32(int ramBytes, int inArray) {
        GuestRunner r = new GuestRunner(ramBytes, inArray);
        r.resetFlat32(CODE_BASE, STACK_TOP);
        return r;
    }

    /**
     * Puts a test's VMM in front of this machine's: {@code vmm} sees every VM exit first and
     * returns true when it handled the exit itself; the I/O of port accesses stays the machine's.
     */
    public void interceptExits(Predicate<Cpu> vmm) {
        GuestRunner r = this;
        cpu.exitHandler = new VmExitHandler() {
            @Override public int ioIn(Cpu c) { return r.ioIn(c); }
            @Override public void ioOut(Cpu c, int value) { r.ioOut(c, value); }
            @Override public int portRead(Cpu c, int port, int size) { return r.portRead(c, port, size); }
            @Override public void portWrite(Cpu c, int port, int size, int value) { r.portWrite(c, port, size, value); }
            @Override public void exit(Cpu c) {
                if (!vmm.test(c)) {
                    r.exit(c);
                }
            }
        };
    }

    /** Flat 32-bit protected mode, paging off, CPL 0, ESP = STACK_TOP, EIP = CODE_BASE. */
    public static GuestRunner flat32() {
        GuestRunner r = new GuestRunner();
        r.resetFlat32(CODE_BASE, STACK_TOP);
        return r;
    }

    /** Real mode with all segments 0, SP = 0xFFF0, IP = CODE_BASE. */
    public static GuestRunner real16() {
        GuestRunner r = new GuestRunner();
        r.resetReal(0, 0, 0, 0, CODE_BASE);
        r.cpu.regs[Cpu.ESP] = 0xFFF0;
        return r;
    }

    /** Assembles 32-bit code, runs it in flat32 mode up to an appended {@code cli; hlt}, and checks it got there. */
    public static GuestRunner haltedFlat32(String code) {
        GuestRunner r = flat32();
        r.expectHalt(r.run(Asm.assemble32(code + "\ncli\nhlt")));
        return r;
    }

    /** As {@link #haltedFlat32} for 16-bit code in real mode. */
    public static GuestRunner haltedReal16(String code) {
        GuestRunner r = real16();
        r.expectHalt(r.run(Asm.assemble16(code + "\ncli\nhlt")));
        return r;
    }

    /**
     * Runs on without an instruction limit while another thread, after {@code millis}, makes
     * {@code request} (a stop or a debugger's request, as a user's interrupt would): returns why
     * the run stopped.
     */
    public StopReason runUntilRequest(long millis, Runnable request) throws InterruptedException {
        limit = Long.MAX_VALUE;
        Thread requester = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            request.run();
        });
        requester.start();
        StopReason s = run();
        requester.join();
        return s;
    }

    public void expectHalt(StopReason s) {
        if (s.kind != StopReason.Kind.HALTED) {
            throw new AssertionError("guest did not halt: " + s);
        }
    }

    /** The six status flags the guest ended with. */
    public static int arithFlags(GuestRunner r) {
        return r.cpu.getEflags() & Eflags.ARITH;
    }
}
