package dev.jvmx.runtime.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of `jvmx boot` as {@link BootArgs} reads them without picocli: one row per
 * annotated field of BootCommand, DriveOptions and GdbOptions, with its names, the kind of
 * value it takes and picocli's defaultValue. The annotations stay the definition; BootArgsTest
 * fails, naming the option, when this table and picocli's model of them differ.
 */
enum BootOption {
    KERNEL(Kind.PATH, null, "--kernel", "-kernel"),
    INITRD(Kind.PATH, null, "--initrd", "-initrd"),
    APPEND(Kind.STRING, null, "--append", "-append"),
    BIOS(Kind.PATH, null, "--bios", "-bios"),
    MEMORY(Kind.STRING, BootCommand.DEFAULT_MEMORY, "-m", "--memory"),
    TIMEOUT(Kind.STRING, BootCommand.DEFAULT_TIMEOUT, "--timeout"),
    SERIAL(Kind.STRING, null, "--serial"),
    QEMU_SERIAL(Kind.LIST, null, "-serial"),
    DEBUGCON(Kind.STRING, BootCommand.DEFAULT_DEBUGCON, "--debugcon", "-debugcon"),
    FIRMWARE_LOG(Kind.PATH, null, "--firmware-log"),
    HDA(Kind.PATH, null, "-hda"),
    HDB(Kind.PATH, null, "-hdb"),
    HDC(Kind.PATH, null, "-hdc"),
    HDD(Kind.PATH, null, "-hdd"),
    CDROM(Kind.PATH, null, "-cdrom"),
    DRIVE(Kind.LIST, null, "-drive", "--drive"),
    BOOT_ORDER(Kind.STRING, null, "-boot"),
    GDB_DEFAULT(Kind.FLAG, null, "-s"),
    GDB(Kind.STRING, null, "-gdb", "--gdb"),
    START_STOPPED(Kind.FLAG, null, "-S"),
    VGA_ROM(Kind.STRING, null, "--vga-rom"),
    DISPLAY(Kind.STRING, null, "--display", "-display"),
    NOGRAPHIC(Kind.FLAG, null, "-nographic"),
    SCREENSHOT(Kind.PATH, null, "--screenshot"),
    CLOCK(Kind.STRING, BootCommand.DEFAULT_CLOCK, "--clock"),
    TCACHE_MB(Kind.INT, BootCommand.DEFAULT_TCACHE_MB, "--tcache-mb"),
    NO_REBOOT(Kind.FLAG, null, "-no-reboot", "--no-reboot"),
    DEVICE(Kind.LIST, null, "-device", "--device"),
    LOG(Kind.STRING, null, "-d", "--log"),
    LOG_FILE(Kind.PATH, null, "-D", "--log-file"),
    ACCEL(Kind.STRING, null, "-accel", "--accel"),
    MACHINE(Kind.STRING, null, "-machine", "-M", "--machine"),
    SMP(Kind.STRING, null, "-smp", "--smp"),
    CPU(Kind.STRING, null, "-cpu", "--cpu"),
    NO_ACPI(Kind.FLAG, null, "-no-acpi", "--no-acpi"),
    NETWORK(Kind.LIST, null, "-nic", "-net"),
    NAME(Kind.STRING, null, "-name"),
    PARALLEL(Kind.STRING, null, "-parallel"),
    EXIT_STATS(Kind.FLAG, null, "--exit-stats"),
    EXCEPTION_BITMAP(Kind.STRING, null, "--exception-bitmap"),
    NMI_EXITING(Kind.FLAG, null, "--nmi-exiting"),
    EXTERNAL_INTERRUPT_EXITING(Kind.FLAG, null, "--external-interrupt-exiting"),
    DUMP_CACHE(Kind.PATH, null, "--dump-cache"),
    INSPECT(Kind.FLAG, null, "--inspect");

    /** The field's type, which says how picocli converts the value; FLAG takes none (arity 0), the others one. */
    enum Kind { FLAG, STRING, PATH, INT, LIST }

    final Kind kind;
    /** picocli's defaultValue, applied when the option is not given; null for none. */
    final String defaultValue;
    final List<String> names;

    private static final Map<String, BootOption> BY_NAME = new HashMap<>();

    static {
        for (BootOption o : values()) {
            for (String n : o.names) {
                BY_NAME.put(n, o);
            }
        }
    }

    BootOption(Kind kind, String defaultValue, String... names) {
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.names = List.of(names);
    }

    /** The option with this exact name, or null. */
    static BootOption named(String name) {
        return BY_NAME.get(name);
    }

    /** Values an occurrence takes: 0 for a flag, else 1 (a list option takes one per occurrence). */
    int arity() {
        return kind == Kind.FLAG ? 0 : 1;
    }
}
