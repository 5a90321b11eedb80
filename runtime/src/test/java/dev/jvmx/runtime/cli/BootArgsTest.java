package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BootArgs reads a `jvmx boot` line as picocli does, or leaves it to picocli. The oracle is
 * picocli itself: its model of `boot` for the table, its parse for the fields.
 */
class BootArgsTest {
    /** picocli's model of `jvmx boot`, built as Main builds it. */
    private static CommandSpec bootSpec() {
        return Main.commandLine("boot").getSubcommands().get("boot").getCommandSpec();
    }

    /** The BootOption kind of a picocli option's type, or null for a type BootArgs cannot fill. */
    private static BootOption.Kind kindOf(OptionSpec o) {
        Class<?> t = o.type();
        if (t == boolean.class || t == Boolean.class) {
            return BootOption.Kind.FLAG;
        } else if (t == String.class) {
            return BootOption.Kind.STRING;
        } else if (t == Path.class) {
            return BootOption.Kind.PATH;
        } else if (t == int.class) {
            return BootOption.Kind.INT;
        } else if (t == List.class && Arrays.equals(o.auxiliaryTypes(), new Class<?>[] {String.class})) {
            return BootOption.Kind.LIST;
        }
        return null;
    }

    @Test
    void everyOptionOfPicoclisModelIsInTheTableAsPicocliHasIt() {
        List<String> problems = new ArrayList<>();
        Set<BootOption> matched = EnumSet.noneOf(BootOption.class);
        CommandSpec spec = bootSpec();
        for (OptionSpec o : spec.options()) {
            String what = String.join("/", o.names()) + (o.hidden() ? " (hidden)" : "");
            if (o.usageHelp() || o.versionHelp()) {
                for (String n : o.names()) {
                    if (BootOption.named(n) != null) {
                        problems.add(what + ": help and version are picocli's to print, but BootArgs knows " + n);
                    }
                }
                continue;
            }
            BootOption b = BootOption.named(o.names()[0]);
            if (b == null) {
                problems.add(what + ": not in BootOption, so BootArgs leaves every line with it to picocli");
                continue;
            }
            matched.add(b);
            if (!Set.of(o.names()).equals(Set.copyOf(b.names))) {
                problems.add(what + ": BootOption." + b + " has the names " + b.names);
            }
            if (o.arity().min() != b.arity() || o.arity().max() != b.arity() || o.arity().isVariable()) {
                problems.add(what + ": arity " + o.arity() + ", BootOption." + b + " takes " + b.arity());
            }
            if (kindOf(o) != b.kind) {
                problems.add(what + ": type " + o.type().getSimpleName() + Arrays.toString(o.auxiliaryTypes())
                        + ", BootOption." + b + " reads " + b.kind);
            }
            if (!Objects.equals(o.defaultValue(), b.defaultValue)) {
                problems.add(what + ": default " + o.defaultValue() + ", BootOption." + b + " has " + b.defaultValue);
            }
        }
        for (BootOption b : BootOption.values()) {
            if (!matched.contains(b)) {
                problems.add("BootOption." + b + " " + b.names + ": no such option in picocli's model of boot");
            }
        }
        // The one positional parameter, IMAGE, which BootArgs puts in DriveOptions.image.
        List<PositionalParamSpec> positional = spec.positionalParameters();
        if (positional.size() != 1) {
            problems.add(positional.size() + " positional parameters; BootArgs knows one, IMAGE");
        } else {
            PositionalParamSpec p = positional.get(0);
            Object field = p.userObject();
            if (p.arity().min() != 0 || p.arity().max() != 1 || p.type() != Path.class
                    || !(field instanceof Field f && f.getName().equals("image") && f.getDeclaringClass() == DriveOptions.class)) {
                problems.add("positional " + p.paramLabel() + ": arity " + p.arity() + ", type " + p.type().getSimpleName()
                        + ", field " + field + "; BootArgs reads one Path into DriveOptions.image");
            }
        }
        assertEquals(List.of(), problems, "BootOption and picocli's model of `boot` differ");
    }

    /**
     * Command lines from the tests, bench/, README.md and the training run (paths shortened),
     * and the spellings picocli takes for them.
     */
    private static final String[][] CORPUS = {
        {"boot"},
        {"boot", "--timeout", "120"},
        {"boot", "--serial", "none", "--debugcon", "stdio", "--kernel", "/i/hello.elf", "--timeout", "60"},
        {"boot", "--kernel", "/tmp/nope.elf"},
        {"boot", "--bios", "/tmp/rom.bin", "--timeout", "30", "--exit-stats"},
        {"boot", "-display", "none", "-cdrom", "/tmp/cd.iso", "--timeout", "300"},
        {"boot", "-display", "none", "-drive", "file=/tmp/cd.iso,media=cdrom,index=3", "--timeout", "300"},
        {"boot", "-display", "none", "-hda", "/tmp/d.img", "-cdrom", "/tmp/cd.iso", "-boot", "d", "--timeout", "300"},
        {"boot", "-display", "none", "-hda", "/tmp/d.img", "-drive", "media=cdrom,index=2", "-boot", "dc", "--timeout", "300"},
        {"boot", "--kernel", "/i/diskwriter.elf", "--append", "once", "-drive", "file=/tmp/d.img,format=raw,snapshot=on",
            "--timeout", "120"},
        {"boot", "-bios", "/usr/share/seabios/bios.bin", "--drive", "file=/tmp/d2.img,format=raw", "--timeout", "120"},
        {"boot", "-serial", "tcp:127.0.0.1:4444,server", "--timeout", "120"},
        {"boot", "-serial", "tcp:127.0.0.1:4444,server,nowait", "-kernel", "/tmp/k.elf", "--timeout", "20"},
        {"boot", "--display", "text", "--serial", "none", "--debugcon", "file:/tmp/dbg", "-kernel", "/tmp/k.elf", "--timeout", "60"},
        {"boot", "--kernel", "/tmp/w.elf", "-drive", "file=/tmp/a.img,format=raw", "-drive",
            "file=/tmp/b.img,format=raw,readonly=on,index=1"},
        {"boot", "--kernel", "/i/hello.elf", "--serial", "none", "-hda", "/tmp/d.img"},
        {"boot", "--exception-bitmap", "PF,XX"},
        {"boot", "--kernel", "/tmp/k.elf", "--serial", "file:/tmp/s.txt", "--timeout", "120", "--exception-bitmap",
            "0xFFFFFFFF", "--nmi-exiting", "--exit-stats"},
        {"boot", "-gdb", "tcp:127.0.0.1:1234", "-S"},
        {"boot", "--serial", "none", "--dump-cache", "/tmp/cache.dump", "--timeout", "120"},
        {"boot", "--kernel", "/i/bzprobe.bin", "--initrd", "/i/bzprobe-initrd.bin", "--append", "console=ttyS0 quiet",
            "--serial", "none", "--debugcon", "stdio", "--timeout", "120"},
        {"boot", "--bios", "/usr/share/seabios/bios.bin", "--kernel", "/i/bzprobe.bin", "--initrd", "/i/bzprobe-initrd.bin",
            "--append", "console=ttyS0 reboot", "--serial", "none", "--debugcon", "stdio", "--timeout", "300"},
        {"boot", "-cdrom", "/tmp/memtest.iso", "--display", "text", "--timeout", "30"},
        {"boot", "-m", "64M", "-serial", "none", "-debugcon", "stdio", "-kernel", "/i/hello.elf", "--timeout", "60"},
        {"boot", "-accel", "tcg", "-machine", "pc,accel=tcg", "-smp", "1", "-nic", "none", "-net", "none", "-no-acpi", "-name",
            "t", "-parallel", "none", "-display", "none", "-serial", "none", "-debugcon", "stdio", "-kernel", "/i/hello.elf",
            "--timeout", "60"},
        {"boot", "-nographic", "-debugcon", "file:/tmp/d.txt", "-kernel", "/i/hello.elf", "--timeout", "60"},
        {"boot", "-d", "help"},
        {"boot", "--serial", "none", "-device", "isa-debug-exit,iobase=0x501,iosize=2", "--kernel", "/tmp/k.elf", "--timeout", "60"},
        {"boot", "--bios", "/tmp/rom.bin", "-no-reboot", "--timeout", "30"},
        {"boot", "--serial", "none", "-d", "int,cpu_reset", "-D", "/tmp/qemu.log", "--kernel", "/tmp/k.elf", "--timeout", "60"},
        {"boot", "-m", "512"},
        {"boot", "--serial", "none", "--clock", "virtual", "--kernel", "/tmp/k.elf"},
        {"boot", "--bios", "/usr/share/seabios/bios.bin", "--drive", "file=/tmp/d.img,format=raw,readonly=on", "--clock",
            "virtual", "--display", "text", "--firmware-log", "/tmp/fw1.log", "--timeout", "300"},
        {"boot", "--bios", "/usr/share/seabios/bios.bin", "--drive", "file=/tmp/d.img,format=raw", "--display", "text",
            "--external-interrupt-exiting", "--exit-stats", "--timeout", "300"},
        {"boot", "-smp", "2", "--external-interrupt-exiting"},
        {"boot", "-cpu", "jvmx,+sse,+sse2"},
        {"boot", "-M", "q35"},
        {"boot", "-device", "test-crash", "--serial", "none", "--kernel", "/tmp/k.elf", "--timeout", "60"},
        // bench/ (BootTimes, CompareMain) and the training run
        {"boot", "--bios", "/usr/share/seabios/bios.bin", "-hda", "/tmp/boot-times1.img", "--serial", "none"},
        {"boot", "--kernel", "/l/vmlinuz", "--initrd", "/l/initramfs.cpio.gz", "--append", "console=ttyS0 panic=-1", "-m", "256",
            "--serial", "stdio", "--bios", "/usr/share/seabios/bios.bin"},
        {"boot", "--kernel", "/i/bench/interp.elf", "--serial", "none", "--debugcon", "stdio"},
        {"boot", "--serial", "none", "--timeout", "60", "-drive", "file=/i/bootdisk.img,format=raw,snapshot=on"},
        {"boot", "--serial", "none", "--debugcon", "none", "--timeout", "60", "--kernel", "/i/bench/interp.elf"},
        {"boot", "--serial", "none", "--timeout", "60", "--kernel", "/i/systest-paging.elf"},
        // README.md
        {"boot", "--inspect"},
        {"boot", "--kernel", "guest-images/images/hello.elf", "-s", "-S"},
        {"boot", "-cdrom", "mt/memtest86+ia32.iso", "-s", "-S", "--display", "none", "--timeout", "60"},
        {"boot", "-m", "512", "-cdrom", "mini.iso", "--display", "text", "--screenshot", "di3.png"},
        {"boot", "guest-images/images/bootdisk.img", "--display", "none", "--exit-stats"},
        {"boot", "/tmp/abs.img", "--serial", "none"},
        {"boot", "-hda", "guest-images/images/bootdisk.img", "--display", "none"},
        {"boot", "--kernel", "crc32.elf", "--exit-stats"},
        // spellings: --opt=value, repeated lists, QEMU's single dash, IMAGE anywhere
        {"boot", "--serial=none", "--memory=1G", "--timeout=5", "--tcache-mb=128", "--drive=file=/tmp/a.img,format=raw"},
        {"boot", "-m=256M", "-serial=stdio", "-d=int", "-D=/tmp/q.log"},
        {"boot", "-m", "256M", "-serial", "stdio"},
        {"boot", "--serial", "stdio"},
        {"boot", "-serial", "none", "-serial", "none"},
        {"boot", "-drive", "file=/tmp/a.img,format=raw,if=ide", "-drive", "file=/tmp/b.iso,media=cdrom", "--drive", "file=/tmp/c.img"},
        {"boot", "-s"},
        {"boot", "-S"},
        {"boot", "-gdb", "tcp::1234"},
        {"boot", "--gdb=tcp::1234", "-S"},
        {"boot", "-d", "int", "-D", "/tmp/q.log"},
        {"boot", "--log", "int", "--log-file", "/tmp/q.log"},
        {"boot", "--timeout", "5"},
        {"boot", "--exit-stats"},
        {"boot", "--tcache-mb", "0064"},
        {"boot", "--tcache-mb", "1"},
        {"boot", "-device", "pc-testdev", "-device", "pci-testdev", "--device", "isa-debug-exit,iobase=0xf4,iosize=4"},
        {"boot", "--no-reboot", "--no-acpi", "--accel", "tcg", "--machine", "pc", "--smp", "2", "--cpu", "jvmx"},
        {"boot", "-hda", "/tmp/a.img", "-hdb", "/tmp/b.img", "-hdc", "/tmp/c.img", "-hdd", "/tmp/d.img", "-boot", "order=c,menu=off"},
        {"boot", "-nic", "none", "-net", "none", "-nic", "none"},
        {"boot", "/tmp/disk.img", "-m", "64"},
        {"boot", "-m", "64", "relative/disk.img"},
        {"boot", "/tmp/my disk.img"},
        {"boot", "--append", "\"quoted\" root=/dev/ram0"},
        {"boot", "--append", "a=b c=d"},
        {"boot", "--vga-rom", "none", "--bios", "/tmp/rom.bin"},
        {"boot", "--screenshot", "/tmp/s.png", "--firmware-log", "/tmp/fw.log", "--debugcon", "file:/tmp/e9.txt"},
        {"boot", "--clock", "virtual", "--display", "text", "--exception-bitmap", "none", "--nmi-exiting", "--inspect"},
        {"boot", "-machine", "pit=off", "-display", "curses"},
        {"boot", "help"},
        {"boot", "x=y.img"},
    };

    /** Lines BootArgs leaves to picocli: its errors, help and version, and what picocli reads otherwise. */
    private static final String[][] NOT_MINE = {
        {},
        {"cpu-test"},
        {"help", "boot"},
        {"--version"},
        {"train"},
        {"boot", "--frobnicate"},
        {"boot", "-usb"},
        {"boot", "-vga", "std"},
        {"boot", "--help"},
        {"boot", "-h"},
        {"boot", "-V"},
        {"boot", "--version"},
        {"boot", "--tcache-mb", "abc"},
        {"boot", "--tcache-mb", "0x40"},
        {"boot", "--tcache-mb", "+64"},
        {"boot", "--tcache-mb", "-5"},
        {"boot", "--tcache-mb", "99999999999"},
        {"boot", "--tcache-mb="},
        {"boot", "--serial"},
        {"boot", "-m"},
        {"boot", "--kernel", "/tmp/k.elf", "-kernel"},
        {"boot", "--serial", "--exit-stats"},
        {"boot", "--append", "-x"},
        {"boot", "--append=-x"},
        {"boot", "--append", ""},
        {"boot", "--serial="},
        {"boot", ""},
        {"boot", "--serial", "none", "--serial", "stdio"},
        {"boot", "-m", "64", "--memory", "128"},
        {"boot", "--kernel", "/a", "-kernel", "/b"},
        {"boot", "--exit-stats", "--exit-stats"},
        {"boot", "-s", "-s"},
        {"boot", "--exit-stats=true"},
        {"boot", "-s=1"},
        {"boot", "a.img", "b.img"},
        {"boot", "@/tmp/args"},
        {"boot", "--append", "@/tmp/args"},
        {"boot", "--", "a.img"},
        {"boot", "-m256M"},
        {"boot", "-hdafoo.img"},
        {"boot", "--kernel", "a\u0000b"},
        {"boot", "a\u0000b.img"},
        {"boot", "--Serial", "none"},
        {"boot", "--seria", "none"},
    };

    /** What picocli makes of a line, parsed as Main has picocli parse it. */
    private static BootCommand picocli(String... args) {
        CommandLine.ParseResult r = Main.commandLine(args).parseArgs(args);
        return (BootCommand) r.subcommand().commandSpec().userObject();
    }

    /**
     * The option fields of a command and its mixins that differ, by name. picocli's own model
     * ({@code @Spec}) is left out: BootArgs makes none, and nothing reads it.
     */
    private static List<String> differences(Object fast, Object slow, String prefix) throws IllegalAccessException {
        List<String> d = new ArrayList<>();
        for (Field f : fast.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.isAnnotationPresent(CommandLine.Spec.class)) {
                continue;
            }
            f.setAccessible(true);
            Object a = f.get(fast);
            Object b = f.get(slow);
            if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                if (a == null || b == null) {
                    d.add(prefix + f.getName() + ": BootArgs " + a + ", picocli " + b);
                } else {
                    d.addAll(differences(a, b, prefix + f.getName() + "."));
                }
            } else if (!Objects.equals(a, b) || (a != null && a.getClass() != b.getClass() && !(a instanceof List))) {
                d.add(prefix + f.getName() + ": BootArgs " + a + ", picocli " + b);
            }
        }
        return d;
    }

    /** Where BootArgs and picocli part on a line, as words (none when they agree). */
    private static List<String> comparison(String... line) throws IllegalAccessException {
        String shown = String.join(" ", line);
        BootCommand fast = BootArgs.parse(line);
        if (fast == null) {
            return List.of(shown + ": BootArgs left it to picocli");
        }
        return differences(fast, picocli(line), "").stream().map(d -> shown + ": " + d).toList();
    }

    @Test
    void fillsTheFieldsPicocliFillsOnRealCommandLines() throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        for (String[] line : CORPUS) {
            problems.addAll(comparison(line));
        }
        assertEquals(List.of(), problems);
    }

    /** The RAM array Main starts ahead, from -m read before any parse, is the one the machine takes. */
    @Test
    void theRamStartedAheadIsTheRamOfTheLineRead() throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        for (String[] line : CORPUS) {
            BootCommand c = BootArgs.parse(line);
            int ahead = BootCommand.ramArrayLength(line);
            // The default firmware (no --bios, no --kernel) takes the least ROM space, as every default image fits it.
            int rom = c.bios != null ? Machine.romSpace(c.bios) : c.kernel == null ? Machine.ROM_SPACE_MIN : 0;
            int taken = Machine.startArrayLength(MemorySize.parseMiB(c.memory) << 20, rom, c.initrd != null);
            if (ahead != taken) {
                problems.add(String.join(" ", line) + ": " + ahead + " bytes ahead, " + taken + " taken");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every row of the table in each of its names, in both spellings of a value: each field is reached. */
    @Test
    void fillsTheFieldsPicocliFillsForEveryOptionAndName() throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        for (BootOption o : BootOption.values()) {
            String value = switch (o.kind) {
                case FLAG -> null;
                case INT -> "77";
                case PATH -> "/tmp/" + o.name().toLowerCase() + ".img";
                case STRING, LIST -> o.name().toLowerCase() + ",x=1";
            };
            for (String n : o.names) {
                if (value == null) {
                    problems.addAll(comparison("boot", n));
                } else {
                    problems.addAll(comparison("boot", n, value));
                    problems.addAll(comparison("boot", n + "=" + value));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void leavesToPicocliWhatItDoesNotKnow() {
        List<String> read = new ArrayList<>();
        for (String[] line : NOT_MINE) {
            if (BootArgs.parse(line) != null) {
                read.add(String.join(" ", line));
            }
        }
        assertEquals(List.of(), read, "BootArgs read lines it should leave to picocli");
    }

    /** A line BootArgs leaves alone gets picocli's words, as before it. */
    @Test
    void picocliSaysWhatIsWrongWithTheLinesItIsLeft() {
        CliRun r = CliRun.of("boot", "--tcache-mb", "abc");
        assertEquals(Main.EXIT_USAGE, r.exitCode, r.toString());
        assertEquals("jvmx: invalid value for option '--tcache-mb': 'abc' is not an int (see 'jvmx boot --help')", r.err.strip());
        CliRun m = CliRun.of("boot", "--serial");
        assertEquals(Main.EXIT_USAGE, m.exitCode, m.toString());
        assertTrue(m.err.startsWith("jvmx: missing required parameter for option '--serial'"), m.toString());
        CliRun h = CliRun.of("boot", "-h");
        assertEquals(0, h.exitCode, h.toString());
        assertTrue(h.out.contains("Usage: jvmx boot"), h.toString());
    }

    /** The point of BootArgs: a boot it reads initialises no picocli class (`--help` does, which shows the log is read right). */
    @Test
    void aBootBootArgsReadsInitialisesNoPicocliClass() throws IOException, InterruptedException {
        String read = jvmxClassInit("boot", "-m", "2", "-d", "help");
        assertTrue(read.contains("cpu_reset"), read);
        assertTrue(read.contains("Initializing 'dev/jvmx/runtime/cli/BootArgs'"), read);
        assertFalse(read.contains("'picocli/"), read);
        String help = jvmxClassInit("boot", "--help");
        assertTrue(help.contains("Initializing 'picocli/CommandLine'"), help);
    }

    private static String jvmxClassInit(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(JvmxRun.command(List.of("-Xlog:class+init=info:stdout"), args))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jvmx did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
