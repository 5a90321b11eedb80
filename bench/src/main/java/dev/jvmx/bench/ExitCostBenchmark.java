package dev.jvmx.bench;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.runtime.exit.ExitDispatcher;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of the VM-exit path: a guest loop of OUT to a port no device claims (a null
 * device), run with I/O exiting (every OUT is an I/O-instruction exit through the dispatcher,
 * counted in its statistics) and with the port passed by the I/O bitmap (the OUT calls the
 * bus directly). Scores are OUT instructions per second; the difference is the exit path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExitCostBenchmark {
    /** OUT instructions per guest run. */
    static final int OUTS = 1_000_000;
    static final int NULL_PORT = 0x99;
    static final int CODE = 0x1000;

    /**
     * mov ecx, OUTS (B9 imm32); L: out 0x99, al (E6 99); dec ecx (49); jnz L (75 FB: 10 - 5);
     * cli (FA); hlt (F4).
     */
    static byte[] guest() {
        return new byte[] {
            (byte) 0xB9, (byte) OUTS, (byte) (OUTS >>> 8), (byte) (OUTS >>> 16), (byte) (OUTS >>> 24),
            (byte) 0xE6, (byte) NULL_PORT,
            (byte) 0x49,
            (byte) 0x75, (byte) 0xFB,
            (byte) 0xFA,
            (byte) 0xF4,
        };
    }

    /** A bare flat 32-bit CPU with the loop loaded and its own exit dispatcher. */
    abstract static class Guest {
        final BareMachine machine = new BareMachine(1 << 20);
        final Cpu cpu = machine.cpu;
        final ExitDispatcher exits = new ExitDispatcher(new IoPortBus(), machine.cache, false);

        Guest() {
            machine.limit = Long.MAX_VALUE;
        }

        abstract void configure(ExecutionControls c);

        @Setup(Level.Trial)
        public void setUp() {
            cpu.exitHandler = exits;
            cpu.memory.load(CODE, guest(), 0, guest().length);
            ExecutionControls c = cpu.controls;
            configure(c);
            // One run to check the exit count is what the controls say, before measuring.
            long before = exits.statistics().count(ExitReason.IO_INSTRUCTION);
            run();
            long exited = exits.statistics().count(ExitReason.IO_INSTRUCTION) - before;
            long want = c.ioExits(NULL_PORT, 1) ? OUTS : 0;
            if (exited != want) {
                throw new IllegalStateException("expected " + want + " I/O exits, saw " + exited);
            }
        }

        void run() {
            cpu.cr0 = Cr0.ET | Cr0.PE;
            int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
            int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
            for (int s = 0; s < 6; s++) {
                cpu.seg[s].set(s == Seg.CS ? 0x08 : 0x10, 0, 0xFFFFFFFF, s == Seg.CS ? code : data);
            }
            cpu.eflags &= ~0x200;
            cpu.halted = false;
            cpu.eip = CODE;
            StopReason r = machine.run();
            if (r.kind != StopReason.Kind.HALTED) {
                throw new IllegalStateException("guest did not halt: " + r);
            }
        }
    }

    /** Unconditional I/O exiting: every OUT is an exit. */
    @State(Scope.Thread)
    public static class Exiting extends Guest {
        @Override
        void configure(ExecutionControls c) {
            c.setPrimary(PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING | PrimaryProcessorControls.HLT_EXITING);
        }
    }

    /** I/O bitmaps in use with the null port's bit clear: the OUT goes to the bus inline. */
    @State(Scope.Thread)
    public static class Passed extends Guest {
        @Override
        void configure(ExecutionControls c) {
            c.setPrimary(PrimaryProcessorControls.USE_IO_BITMAPS | PrimaryProcessorControls.HLT_EXITING);
            c.ioBitmap().setAll(true);
            c.ioBitmap().set(NULL_PORT, false);
        }
    }

    @Benchmark
    @OperationsPerInvocation(OUTS)
    public long outWithIoExiting(Exiting g) {
        g.run();
        return g.cpu.instructions;
    }

    @Benchmark
    @OperationsPerInvocation(OUTS)
    public long outPassedByBitmap(Passed g) {
        g.run();
        return g.cpu.instructions;
    }
}
