package dev.jvmx.runtime.log;

import dev.jvmx.runtime.Machine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.StopReason;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * QEMU's {@code -d ITEMS} log (to {@code -D FILE}, or standard error): the items of QEMU's list
 * that mean something in jvmx. Lines follow QEMU's field names so that logs read alike.
 */
public final class QemuLog {
    /** The log items jvmx has. */
    public enum Item {
        INT("int", "interrupts and exceptions as they are delivered (vector, error code, CS:EIP, SS:ESP)"),
        CPU_RESET("cpu_reset", "the CPU state at every reset"),
        GUEST_ERRORS("guest_errors", "what the guest does wrong that stops it: a triple fault, with the CPU state"),
        UNIMP("unimp", "I/O to ports that no device of jvmx answers");

        public final String qemuName;
        final String help;

        Item(String qemuName, String help) {
            this.qemuName = qemuName;
            this.help = help;
        }
    }

    /** QEMU's other items: they are refused by name. */
    private static final Set<String> QEMU_ONLY = Set.of("out_asm", "in_asm", "op", "op_opt", "op_ind", "exec", "cpu",
            "fpu", "mmu", "pcall", "page", "nochain", "plugin", "strace", "tid");

    private final EnumSet<Item> items;
    private final PrintStream out;
    private long interrupts;

    public QemuLog(EnumSet<Item> items, PrintStream out) {
        this.items = items;
        this.out = out;
    }

    /** The items of a -d argument, or an IllegalArgumentException that says which one is wrong. */
    public static EnumSet<Item> parse(String spec) {
        EnumSet<Item> set = EnumSet.noneOf(Item.class);
        for (String name : spec.split(",")) {
            Item found = null;
            for (Item i : Item.values()) {
                if (i.qemuName.equals(name)) {
                    found = i;
                }
            }
            if (found != null) {
                set.add(found);
            } else if (QEMU_ONLY.contains(name) || name.startsWith("trace:")) {
                throw new IllegalArgumentException("-d " + name + ": a QEMU log item that jvmx does not support (it has "
                        + names() + "; -d help lists them)");
            } else {
                throw new IllegalArgumentException("-d " + name + ": not a log item (jvmx has " + names() + "; -d help lists them)");
            }
        }
        return set;
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (Item i : Item.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(i.qemuName);
        }
        return b.toString();
    }

    /** The answer to -d help. */
    public static String help() {
        StringBuilder b = new StringBuilder("Log items (comma separated):\n");
        for (Item i : Item.values()) {
            b.append(String.format(Locale.ROOT, "%-14s %s%n", i.qemuName, i.help));
        }
        return b.toString();
    }

    /** Hooks the log into the machine. */
    public void attach(Machine m) {
        if (items.contains(Item.INT)) {
            m.cpu.interruptListener = this::interrupt;
        }
        if (items.contains(Item.CPU_RESET)) {
            m.cpuResetListener = c -> {
                out.println("CPU Reset (CPU 0)");
                registers(c);
            };
        }
        if (items.contains(Item.UNIMP)) {
            m.bus.setUnassignedListener((port, size, write, value) -> out.printf(Locale.ROOT,
                    write ? "unassigned I/O write of %d bytes to port 0x%04x: 0x%x%n" : "unassigned I/O read of %d bytes from port 0x%04x%n",
                    size, port, value));
        }
    }

    /** At the end of the run: a triple fault is a guest error. */
    public void stopped(StopReason r, Cpu cpu) {
        if (items.contains(Item.GUEST_ERRORS) && r.kind == StopReason.Kind.TRIPLE_FAULT) {
            out.println("guest error: " + r.message + "; the CPU shuts down");
            registers(cpu);
        }
        out.flush();
    }

    private void interrupt(Cpu c, int vector, int kind, boolean hasError, int error) {
        SegmentCache cs = c.seg[Seg.CS];
        SegmentCache ss = c.seg[Seg.SS];
        // i=1 for INT n / INT3 / INTO, as QEMU's is_int.
        out.printf(Locale.ROOT, "%6d: v=%02x e=%04x i=%d cpl=%d IP=%04x:%08x pc=%08x SP=%04x:%08x%s%n",
                interrupts++, vector, hasError ? error & 0xFFFF : 0, kind >= 2 ? 1 : 0, c.cpl, cs.selector, c.eip,
                cs.base + c.eip, ss.selector, c.regs[Cpu.ESP], vector == 14 ? String.format(" CR2=%08x", c.cr2) : "");
    }

    private void registers(Cpu c) {
        out.printf(Locale.ROOT, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x%n", c.regs[Cpu.EAX], c.regs[Cpu.EBX], c.regs[Cpu.ECX], c.regs[Cpu.EDX]);
        out.printf(Locale.ROOT, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n", c.regs[Cpu.ESI], c.regs[Cpu.EDI], c.regs[Cpu.EBP], c.regs[Cpu.ESP]);
        out.printf(Locale.ROOT, "EIP=%08x EFL=%08x CPL=%d HLT=%d%n", c.eip, c.getEflags(), c.cpl, c.halted ? 1 : 0);
        String[] names = {"ES", "CS", "SS", "DS", "FS", "GS"};
        for (int s = 0; s < 6; s++) {
            SegmentCache sc = c.seg[s];
            out.printf(Locale.ROOT, "%-3s=%04x %08x %08x %08x%n", names[s], sc.selector, sc.base, sc.limit, sc.access);
        }
        out.printf(Locale.ROOT, "GDT=     %08x %08x%nIDT=     %08x %08x%n", c.gdtrBase, c.gdtrLimit, c.idtrBase, c.idtrLimit);
        out.printf(Locale.ROOT, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x%n", c.cr0, c.cr2, c.cr3, c.cr4);
    }

    public void flush() {
        out.flush();
    }
}
