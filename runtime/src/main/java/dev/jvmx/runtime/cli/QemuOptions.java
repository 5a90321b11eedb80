package dev.jvmx.runtime.cli;

import java.util.Map;
import java.util.Set;

/**
 * The options of qemu-system-i386 (QEMU 7.2, from its -help) that jvmx does not take, so that
 * such an option is refused as what it is (a QEMU option jvmx does not support) rather than as
 * an unknown word, with a hint where jvmx has an answer. The ones jvmx does take are options
 * of {@link BootCommand} and never reach this table.
 */
final class QemuOptions {
    private QemuOptions() { }

    private static final Set<String> NAMES = Set.of(
            "-D", "-L", "-accel", "-acpitable", "-action", "-add-fd", "-append", "-async-teardown", "-audio",
            "-audio-help", "-audiodev", "-bios", "-blockdev", "-boot", "-cdrom", "-chardev", "-chroot", "-compat",
            "-d", "-daemonize", "-debugcon", "-device", "-dfilter", "-display", "-drive", "-dtb",
            "-dump-vmstate", "-echr", "-enable-kvm", "-enable-sync-profile", "-fda", "-fdb", "-fsdev",
            "-full-screen", "-fw_cfg", "-global", "-hda", "-hdb", "-hdc", "-hdd", "-icount", "-incoming",
            "-initrd", "-iscsi", "-k", "-kernel", "-loadvm", "-m", "-machine", "-M", "-mem-path", "-mem-prealloc",
            "-mon", "-monitor", "-msg", "-mtdblock", "-name", "-net", "-netdev", "-nic", "-no-acpi",
            "-no-fd-bootchk", "-no-hpet", "-no-reboot", "-no-shutdown", "-no-user-config", "-nodefaults",
            "-nographic", "-numa", "-object", "-only-migratable", "-option-rom", "-overcommit", "-parallel",
            "-pflash", "-pidfile", "-plugin", "-portrait", "-preconfig", "-qmp", "-qmp-pretty", "-readconfig",
            "-rotate", "-rtc", "-runas", "-sandbox", "-sd", "-seed", "-serial", "-set", "-singlestep",
            "-smbios", "-smp", "-snapshot", "-spice", "-tpmdev", "-trace", "-usb", "-usbdevice", "-uuid",
            "-version", "-vga", "-virtfs", "-vnc", "-watchdog-action", "-win2k-hack", "-xen-attach", "-xen-domid",
            "-xen-domid-restrict", "-semihosting", "-semihosting-config", "-machine-help", "-cpu-help");

    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("-enable-kvm", "jvmx translates guest code itself; it has no KVM (use -accel tcg or nothing)"),
            Map.entry("-vnc", "jvmx has no graphical display; --display text shows the VGA text screen on the terminal"),
            Map.entry("-spice", "jvmx has no graphical display; --display text shows the VGA text screen on the terminal"),
            Map.entry("-chardev", "give the character device to -serial or -debugcon directly (stdio, none, file:PATH, tcp:...)"),
            Map.entry("-monitor", "jvmx has no QEMU monitor (Ctrl-A x quits from the console)"),
            Map.entry("-qmp", "jvmx has no QMP monitor"),
            Map.entry("-version", "use --version"),
            Map.entry("-icount", "--clock virtual makes time follow guest instructions"),
            Map.entry("-loadvm", "jvmx has no snapshots of machine state"),
            Map.entry("-incoming", "jvmx has no migration"));

    /**
     * The one-line refusal for an option picocli did not match, or null when {@code arg} is not a
     * QEMU option at all. QEMU takes every option with one or two dashes; so does this table.
     */
    static String refusal(String arg) {
        String name = arg;
        int eq = name.indexOf('=');
        if (name.startsWith("--") && eq > 0) {
            name = name.substring(0, eq);
        }
        if (name.startsWith("--")) {
            name = name.substring(1);
        }
        if (!NAMES.contains(name)) {
            return null;
        }
        String hint = HINTS.get(name);
        return arg + " is a QEMU option that jvmx does not support" + (hint == null ? "" : ": " + hint);
    }
}
