package dev.jvmx.runtime.board;

import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.LocalApicLink;
import dev.jvmx.translator.cpu.VcpuContext;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.VcpuScheduler;

/**
 * The processors of a machine with more than one (-smp N), run in turn on the execution loop's
 * one {@link Cpu}: each has its own architectural state (a {@link VcpuContext} while it is not
 * running) and its own local APIC, and they share memory and translated code. A processor runs
 * for a quantum of instructions, or until it halts with nothing to wake it; a halted one whose
 * APIC has an interrupt for it (an IPI, its timer) runs at the next block boundary, so an IPI
 * round trip costs two switches, not two quanta. The order is round-robin by APIC ID, and the
 * quantum counts instructions, so a run on the virtual clock repeats exactly. PAUSE, the
 * spin-wait hint, ends the running processor's turn when another can run ({@link #pause}).
 *
 * <p>Application processors start in the wait-for-SIPI state (SDM Vol. 3A, 9.4): an INIT IPI
 * puts one there, and a start-up IPI then starts it in real mode at vector * 4 KiB. INIT of the
 * bootstrap processor is not modelled (its APIC ignores it).
 */
public final class Processors implements VcpuScheduler {
    /** Instructions a processor runs before the next one's turn (when both can run). */
    public static final int QUANTUM = 1 << 14;

    private final LocalApic[] apics;
    private final LocalApicLink[] links;
    private final VcpuContext[] contexts;
    private final boolean[] waitingForSipi;
    /** The vector of a start-up IPI a processor will act on when it next runs, or -1. */
    private final int[] startup;
    private final Runnable switched;
    private int current;
    private long quantumEnd;
    /** The running processor executed PAUSE: another that can run gets its turn at the next boundary. */
    private boolean yieldRequested;
    /** Switches so far (for tools and tests). */
    public long switches;

    /**
     * Processors 0..n-1 with {@code apics[i]} as processor i's local APIC (APIC ID i); processor 0
     * is the bootstrap processor and {@code cpu} holds its state now. {@code switched} runs after
     * every switch (the machine points the APIC register window at the new processor's APIC).
     */
    public Processors(Cpu cpu, LocalApic[] apics, Runnable switched) {
        int n = apics.length;
        this.apics = apics.clone();
        this.links = new LocalApicLink[n];
        this.contexts = new VcpuContext[n];
        this.waitingForSipi = new boolean[n];
        this.startup = new int[n];
        this.switched = switched;
        for (int i = 0; i < n; i++) {
            links[i] = new ApicMsrLink(apics[i]);
            contexts[i] = new VcpuContext();
            startup[i] = -1;
        }
        cpu.apic = links[0];
        reset(cpu);
    }

    /**
     * RESET of the machine: the bootstrap processor runs, the others wait for SIPI. Call after
     * {@code cpu.reset()}: the application processors keep the power-on FPU and MSRs it left.
     */
    public void reset(Cpu cpu) {
        current = 0;
        cpu.apic = links[0];
        for (int i = 1; i < contexts.length; i++) {
            apics[i].reset();
            waitingForSipi[i] = true;
            startup[i] = -1;
            // What an application processor holds until its first SIPI: the power-on FPU and MSRs.
            contexts[i].save(cpu);
            contexts[i].setApic(links[i]);
        }
        waitingForSipi[0] = false;
        startup[0] = -1;
        quantumEnd = cpu.instructions + QUANTUM;
        switched.run();
    }

    public int count() {
        return apics.length;
    }

    /** The processor whose state is in the Cpu now. */
    public int current() {
        return current;
    }

    public LocalApic currentApic() {
        return apics[current];
    }

    /** Whether processor {@code i} waits for a start-up IPI. */
    public boolean waitingForSipi(int i) {
        return waitingForSipi[i];
    }

    /**
     * Processor {@code i}'s TSC now (each has its own offset, which WRMSR to IA32_TIME_STAMP_COUNTER
     * sets): what its APIC's TSC-deadline timer compares with.
     */
    public long tsc(int i, Cpu cpu) {
        long offset = i == current ? cpu.tsc : contexts[i].tsc();
        return offset + cpu.timeSource.nanos();
    }

    /** The instruction count at which the running processor's quantum ends. */
    public long quantumEnd() {
        return quantumEnd;
    }

    /**
     * The running processor executed PAUSE, the spin-wait hint (its "PAUSE exiting" exit, as KVM
     * takes PAUSE-loop exits): another one that can run gets its turn at the next boundary. A
     * spin-lock whose holder is not running then gets its chance to release the lock, and the
     * spinner does not waste its quantum.
     */
    public void pause(Cpu cpu) {
        yieldRequested = true;
        cpu.request(ExecutionLoop.REQUEST_SERVICE);
    }

    @Override
    public boolean schedule(Cpu cpu) {
        takeStartupEvents(cpu);
        boolean leave = waitingForSipi[current] || (cpu.halted && !wakes(cpu.eflags, cpu.nmiBlocked, apics[current]));
        boolean expired = cpu.instructions >= quantumEnd || yieldRequested;
        yieldRequested = false;
        int n = apics.length;
        for (int k = 1; k < n; k++) {
            int j = (current + k) % n;
            if (waitingForSipi[j]) {
                continue;
            }
            boolean woken = startup[j] >= 0 || (contexts[j].halted() && wakes(contexts[j].eflags(), contexts[j].nmiBlocked(), apics[j]));
            boolean running = startup[j] < 0 && !contexts[j].halted();
            if (woken || (running && (leave || expired))) {
                switchTo(cpu, j);
                return true;
            }
        }
        if (expired) {
            quantumEnd = cpu.instructions + QUANTUM; // nobody else to run: another quantum
        }
        return false;
    }

    @Override
    public boolean othersMayRun() {
        for (int j = 0; j < apics.length; j++) {
            if (j != current && !waitingForSipi[j]
                    && (startup[j] >= 0 || !contexts[j].halted() || (contexts[j].eflags() & Eflags.IF) != 0)) {
                return true;
            }
        }
        return false;
    }

    /** A halted processor resumes for an interrupt IF lets through, or an NMI it is not blocking (SDM Vol. 3A, HLT). */
    private static boolean wakes(int eflags, boolean nmiBlocked, LocalApic apic) {
        return (!nmiBlocked && apic.nmiPending()) || ((eflags & Eflags.IF) != 0 && apic.intr());
    }

    /** INIT and start-up IPIs the APICs accepted since the last look. */
    private void takeStartupEvents(Cpu cpu) {
        for (int i = 0; i < apics.length; i++) {
            LocalApic a = apics[i];
            if (!a.startupEventPending()) {
                continue;
            }
            if (a.takeInit()) {
                waitingForSipi[i] = true;
                startup[i] = -1;
                if (i == current) {
                    cpu.init();
                    cpu.halted = true;
                }
            }
            int v = a.takeStartup();
            if (v >= 0 && waitingForSipi[i]) {
                waitingForSipi[i] = false;
                if (i == current) {
                    cpu.init();
                    cpu.startup(v);
                } else {
                    startup[i] = v;
                }
            }
        }
    }

    private void switchTo(Cpu cpu, int j) {
        contexts[current].save(cpu);
        current = j;
        contexts[j].load(cpu);
        if (startup[j] >= 0) {
            cpu.init();
            cpu.startup(startup[j]);
            startup[j] = -1;
        }
        quantumEnd = cpu.instructions + QUANTUM;
        switches++;
        switched.run();
    }
}
