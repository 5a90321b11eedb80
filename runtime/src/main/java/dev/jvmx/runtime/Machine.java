package dev.jvmx.runtime;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.devices.MachineControl;
import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.debug.DebugConsole;
import dev.jvmx.devices.debug.IsaDebugExit;
import dev.jvmx.devices.debug.PostPort;
import dev.jvmx.devices.debug.QemuDebugPort;
import dev.jvmx.devices.pic.DualPic;
import dev.jvmx.devices.rtc.CmosRtc;
import dev.jvmx.devices.serial.Uart16550;
import dev.jvmx.devices.timer.Clock;
import dev.jvmx.devices.timer.HostClock;
import dev.jvmx.devices.timer.Pit8254;
import dev.jvmx.devices.timer.SystemControlPortB;
import dev.jvmx.devices.timer.VirtualClock;
import dev.jvmx.runtime.boot.BiosLoader;
import dev.jvmx.runtime.boot.ImageException;
import dev.jvmx.runtime.boot.MultibootLoader;
import dev.jvmx.runtime.exit.ExitDispatcher;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.Platform;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exec.TranslationCache;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * The PC board: RAM and ROM, the CPU, the translation cache and dispatcher, the port bus
 * with its devices, and the exit dispatcher between them. It is also the execution loop's
 * {@link Platform}: timers, interrupt delivery and idling happen here.
 */
public final class Machine implements Platform, MachineControl {
    /** Instructions between two looks at devices and timers when nothing is due sooner. */
    private static final long SERVICE_INTERVAL = 1 << 16;
    public static final int ROM_SPACE = 16 << 20;

    public final MachineConfig config;
    public final PhysicalMemory memory;
    public final Cpu cpu;
    public final TranslationCache cache;
    public final ExecutionLoop loop;
    public final IoPortBus bus = new IoPortBus();
    public final ExitDispatcher exits;
    public final DualPic pic = new DualPic();
    public final Pit8254 pit;
    public final CmosRtc rtc;
    public final Uart16550 uart;
    public final dev.jvmx.devices.kbd.Keyboard8042 keyboard;
    private final Clock clock;
    private final VirtualClock virtualClock;
    private final long startNanos = System.nanoTime();
    private final long timeoutNanos;
    private long idleNanos;

    public Machine(MachineConfig config, CharSink serialOut, CharSource serialIn, CharSink debugOut, CharSink firmwareLog) {
        this.config = config;
        this.memory = new PhysicalMemory(config.ramMiB << 20, ROM_SPACE);
        this.cpu = new Cpu(memory);
        this.cache = new TranslationCache(cpu);
        this.loop = new ExecutionLoop(cpu, cache, this);
        this.exits = new ExitDispatcher(bus, cache, config.exitStatsTimed);
        cpu.exitHandler = exits;
        this.timeoutNanos = config.timeoutSeconds > 0 ? (long) (config.timeoutSeconds * 1e9) : Long.MAX_VALUE;
        if (config.clock == MachineConfig.ClockMode.VIRTUAL) {
            virtualClock = new VirtualClock();
            clock = virtualClock;
        } else {
            virtualClock = null;
            clock = new HostClock();
        }
        pic.registerPorts(bus);
        pic.setIntrListener(() -> cpu.interruptRequest |= ExecutionLoop.REQUEST_IRQ);
        pit = new Pit8254(clock, pic.irq(0));
        bus.register(0x40, 4, pit);
        bus.register(0x61, 1, new SystemControlPortB(pit));
        rtc = new CmosRtc(clock, pic.irq(8));
        rtc.setMemorySizes((long) config.ramMiB << 20);
        bus.register(0x70, 2, rtc);
        uart = new Uart16550(0x3F8, pic.irq(4), serialOut, serialIn);
        bus.register(0x3F8, uart.registerCount(), uart);
        // One A20 gate: on when either the 8042 output port or port 0x92 enables it.
        dev.jvmx.devices.kbd.A20Gate a20 = new dev.jvmx.devices.kbd.A20Gate(this, true);
        bus.register(0x60, 1, keyboard = new dev.jvmx.devices.kbd.Keyboard8042(pic.irq(1), this, a20));
        bus.register(0x64, 1, keyboard);
        bus.register(0x92, 1, new dev.jvmx.devices.kbd.FastA20Port(this, a20));
        bus.register(0xE9, 1, new DebugConsole(debugOut));
        bus.register(0xF4, 4, new IsaDebugExit(this));
        bus.register(0x80, 1, new PostPort());
        bus.register(0x402, 1, new QemuDebugPort(firmwareLog));
    }

    /** Loads the images the configuration names; the default is the first guest's ROM. */
    public void load() throws ImageException {
        if (config.kernel != null) {
            MultibootLoader.Kernel k = MultibootLoader.read(config.kernel);
            if (config.bios != null) {
                BiosLoader.map(memory, BiosLoader.read(config.bios));
            }
            MultibootLoader.load(k, memory, cpu, config.kernelCmdline);
        } else {
            BiosLoader.map(memory, BiosLoader.read(config.bios));
            cpu.reset();
        }
    }

    public StopReason run() {
        return loop.run();
    }

    // ---- MachineControl (what devices may ask)

    @Override
    public void requestExit(int exitCode, String reason) {
        loop.requestStop(new StopReason(StopReason.Kind.DEBUG_EXIT, exitCode, reason + ": exit code " + exitCode));
    }

    @Override
    public void requestReset(String reason) {
        loop.requestStop(new StopReason(StopReason.Kind.RESET_LOOP, 0, "reset requested by " + reason));
    }

    @Override
    public void setA20(boolean enabled) {
        cpu.mmu.setA20(enabled);
    }

    // ---- Platform (what the execution loop asks)

    @Override
    public StopReason service(Cpu c) {
        if (virtualClock != null) {
            virtualClock.advanceTo(c.instructions * config.virtualNanosPerInstruction + idleNanos);
        }
        if (System.nanoTime() - startNanos > timeoutNanos) {
            return new StopReason(StopReason.Kind.TIMEOUT, 124,
                    String.format("timeout after %.1f s", config.timeoutSeconds));
        }
        pit.update();
        rtc.update();
        uart.poll();
        return null;
    }

    @Override
    public boolean interruptPending() {
        return pic.hasInterrupt();
    }

    @Override
    public int acknowledgeInterrupt() {
        return pic.acknowledge();
    }

    @Override
    public StopReason waitForInterrupt(Cpu c) {
        long now = clock.nanos();
        long next = Math.min(pit.nextEventNanos(), rtc.nextEventNanos());
        if (virtualClock != null) {
            if (next != Long.MAX_VALUE && next > now) {
                // Virtual time skips idle periods: jump straight to the next timer event.
                idleNanos += next - now;
            } else if (next == Long.MAX_VALUE) {
                sleepMillis(1); // only input can wake the guest; let the host breathe
            }
        } else {
            long wait = next == Long.MAX_VALUE ? 10_000_000L : Math.min(next - now, 10_000_000L);
            if (wait > 0) {
                sleepNanos(wait);
            }
        }
        return service(c);
    }

    @Override
    public long nextDeadline() {
        long d = cpu.instructions + SERVICE_INTERVAL;
        if (virtualClock != null) {
            long next = Math.min(pit.nextEventNanos(), rtc.nextEventNanos());
            if (next != Long.MAX_VALUE) {
                long insns = (next - idleNanos) / config.virtualNanosPerInstruction;
                d = Math.max(cpu.instructions + 1, Math.min(d, insns));
            }
        }
        return d;
    }

    private static void sleepMillis(long ms) {
        sleepNanos(ms * 1_000_000L);
    }

    private static void sleepNanos(long ns) {
        try {
            Thread.sleep(ns / 1_000_000L, (int) (ns % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
