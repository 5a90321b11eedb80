package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.DeviceRegistry;
import dev.jvmx.runtime.DeviceSpec;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.boot.ImageException;
import dev.jvmx.runtime.boot.ImageFiles;
import dev.jvmx.runtime.control.ProgressLine;
import dev.jvmx.runtime.control.RunControl;
import dev.jvmx.runtime.log.QemuLog;
import dev.jvmx.runtime.stats.ThreadTimes;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.vmx.VmcsFieldType;
import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.kbd.TerminalKeyboard;
import dev.jvmx.runtime.board.TextDisplay;
import dev.jvmx.runtime.gdb.GdbStub;
import dev.jvmx.runtime.inspect.CacheSnapshot;
import dev.jvmx.runtime.inspect.InspectReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * `jvmx boot`: assemble a PC, load a guest, run it until it stops, and say why. Takes jvmx's
 * own long options and QEMU's single-dash spellings of the same things.
 */
@Command(name = "boot", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        header = "Boots a guest: a ROM, a Linux or Multiboot kernel, or firmware and a disk.",
        description = {"With no image, boots the first guest from guest-images. QEMU's options (-kernel, -initrd, "
                + "-append, -bios, -m 64M, -serial, -nographic, -display none, -no-reboot, -device isa-debug-exit, -d, "
                + "-D, -s, -S, -gdb, -accel tcg ...) mean what they mean in QEMU; QEMU options jvmx does not have are "
                + "refused by name.",
            "",
            "The run stops when the guest writes V to isa-debug-exit (port 0xF4; exit code (V << 1) | 1, of which a "
                + "process returns the low 8 bits), halts with interrupts disabled or powers off (exit code 0), triple-faults (exit "
                + "code 3), at the timeout (exit code 124), at Ctrl-A x (exit code 0) or at a signal (128 + its number). "
                + "A missing or malformed image or a bad option exits with code 2, before the guest runs. The last line "
                + "on standard error says why the run ended."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:guest halted with interrupts disabled (HLT, IF=0) or powered off, or Ctrl-A x",
            "(V<<1)|1:guest wrote V to isa-debug-exit (low 8 bits)", "2:bad option or image", "3:triple fault",
            "4:reset loop (or a reset with no --bios)", "124:timeout", "130, 143, 129:SIGINT, SIGTERM, SIGHUP",
            "70:internal error"})
public final class BootCommand implements Callable<Integer> {
    @Option(names = {"--kernel", "-kernel"}, paramLabel = "FILE",
            description = "Linux bzImage (boot protocol 2.02+) or Multiboot (v1) ELF32 kernel, loaded like QEMU's -kernel.")
    Path kernel;

    @Option(names = {"--initrd", "-initrd"}, paramLabel = "FILE", description = "Initial RAM disk for a Linux --kernel.")
    Path initrd;

    @Option(names = {"--append", "-append"}, paramLabel = "CMDLINE",
            description = "Kernel command line (needs a kernel): Linux's, or the Multiboot cmdline FILE CMDLINE, as QEMU builds it.")
    String append;

    @Option(names = {"--bios", "-bios"}, paramLabel = "FILE",
            description = "BIOS ROM mapped below 4 GiB, its last 128 KiB aliased below 1 MiB; starts at F000:FFF0.")
    Path bios;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", defaultValue = DEFAULT_MEMORY,
            description = "Guest RAM: MiB, or a size with K, M or G as QEMU takes it (default: ${DEFAULT-VALUE} MiB, at most 2031).")
    String memory;
    static final String DEFAULT_MEMORY = "128";

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = DEFAULT_TIMEOUT,
            description = "Stop the guest after this many seconds of host time from the start of jvmx (0: no timeout).")
    String timeout;
    static final String DEFAULT_TIMEOUT = "0";

    @Option(names = "--serial", paramLabel = "DEV",
            description = "COM1 (16550A at 0x3F8): stdio, none, file:PATH, tcp:HOST:PORT[,server][,wait|nowait][,telnet]"
                    + " (default: stdio); a bare tcp:127.0.0.1:PORT is a telnet server that waits for its client.")
    String serial;

    @Option(names = "-serial", paramLabel = "DEV", hidden = true, description = "COM1, as QEMU's -serial (tcp: without server connects out).")
    List<String> qemuSerial = new ArrayList<>();

    @Option(names = {"--debugcon", "-debugcon"}, paramLabel = "DEV", defaultValue = DEFAULT_DEBUGCON,
            description = "Debug console on port 0xE9: stdio, none or file:PATH (default: ${DEFAULT-VALUE}).")
    String debugcon;
    static final String DEFAULT_DEBUGCON = "none";

    @Option(names = "--firmware-log", paramLabel = "FILE", description = "Write the firmware's log (port 0x402) to FILE.")
    Path firmwareLog;

    // ---- storage options (IMAGE, -hda..-hdd, -cdrom, -drive, -boot): see DriveOptions
    @CommandLine.Mixin
    DriveOptions storage;

    // ---- the gdb stub (-s, -gdb, -S): see GdbOptions
    @CommandLine.Mixin
    GdbOptions gdbStub;

    @Option(names = "--vga-rom", paramLabel = "FILE",
            description = "VGA option ROM given to the firmware (--bios) as fw_cfg file vgaroms/NAME; 'none' for no ROM"
                    + " (default: vgabios.bin beside the --bios file, if there is one, as QEMU does).")
    String vgaRom;

    @Option(names = {"--display", "-display"}, paramLabel = "MODE",
            description = "none: as QEMU's -display none, no screen shown and the firmware not told so; text (QEMU:"
                    + " curses): the VGA text screen on the terminal, keys typed there go to the 8042 keyboard. Without"
                    + " this option, as QEMU's -nographic: no screen, the firmware's console on COM1.")
    String display;

    @Option(names = "-nographic", description = "As QEMU (and the default): no screen; the firmware's console is the serial port.")
    boolean nographic;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "Write the VGA text screen as a PNG to FILE at the end of the run.")
    Path screenshot;

    @Option(names = "--clock", paramLabel = "MODE", defaultValue = DEFAULT_CLOCK,
            description = "host: timers follow the host clock; virtual: time advances with guest instructions, so runs repeat exactly (default: ${DEFAULT-VALUE}).")
    String clock;
    static final String DEFAULT_CLOCK = "host";

    @Option(names = "--tcache-mb", paramLabel = "MiB", defaultValue = DEFAULT_TCACHE_MB,
            description = "Bound of the translation cache; past it the cache is flushed and its classes unload (default: ${DEFAULT-VALUE}).")
    int tcacheMiB;
    static final String DEFAULT_TCACHE_MB = "64";

    @Option(names = {"-no-reboot", "--no-reboot"}, description = "A guest reset ends the run (exit code 0) instead of restarting the firmware.")
    boolean noReboot;

    @Option(names = {"-device", "--device"}, paramLabel = "DEV[,PROP=V...]",
            description = "Add a device by its QEMU name: pc-testdev, pci-testdev, isa-debug-exit[,iobase=A][,iosize=N] (then"
                    + " it is only there, as in QEMU; without it jvmx has one at 0xF4). Repeatable.")
    List<String> devices = new ArrayList<>();

    @Option(names = {"-d", "--log"}, paramLabel = "ITEMS",
            description = "QEMU's log items: int, cpu_reset, guest_errors, unimp (-d help lists them).")
    String logItems;

    @Option(names = {"-D", "--log-file"}, paramLabel = "FILE", description = "Write the -d log to FILE (default: standard error).")
    Path logFile;

    @Option(names = {"-accel", "--accel"}, paramLabel = "tcg", description = "Accepted as QEMU's tcg: jvmx translates guest code itself.")
    String accel;

    @Option(names = {"-machine", "-M", "--machine"}, paramLabel = "pc", description = "Accepted as QEMU's pc (i440FX + PIIX3), the only board.")
    String machine;

    @Option(names = {"-smp", "--smp"}, paramLabel = "N", description = "Processors, as QEMU's -smp: N or cpus=N (1 to 16; each its own socket). They run in turn on the guest's thread.")
    String smp;

    @Option(names = {"-cpu", "--cpu"}, paramLabel = "MODEL[,+FEATURE...]", description = "The CPU model in QEMU's spelling: jvmx (the only one), whose features mmx, sse, sse2 and clflush are all on; -FEATURE (or FEATURE=off) turns one off, +FEATURE (FEATURE=on) on again.")
    String cpuModel;

    @Option(names = {"-no-acpi", "--no-acpi"}, description = "No ACPI tables (QEMU's -no-acpi).")
    boolean noAcpi;

    @Option(names = {"-nic", "-net"}, paramLabel = "none", hidden = true, description = "Accepted as none: jvmx has no network card.")
    List<String> network = new ArrayList<>();

    @Option(names = {"-name"}, paramLabel = "NAME", hidden = true, description = "Accepted and unused (QEMU's window title).")
    String name;

    @Option(names = {"-parallel"}, paramLabel = "none", hidden = true, description = "Accepted as none: jvmx has no parallel port.")
    String parallel;

    @Option(names = "--exit-stats", description = "Print the VM-exit statistics table at the end of the run.")
    boolean exitStats;

    @Option(names = "--exception-bitmap", paramLabel = "LIST",
            description = "Exceptions that are VM exits (counted by --exit-stats, reflected into the guest):"
                    + " mnemonics (PF, GP, UD, BP ...), vectors 0-31, 0xMASK, pfec-mask=N, pfec-match=N, or none"
                    + " (default: AC,MC, as KVM).")
    String exceptionBitmap;

    @Option(names = "--nmi-exiting", description = "NMIs are VM exits (counted by --exit-stats, reflected into the guest).")
    boolean nmiExiting;

    @Option(names = "--external-interrupt-exiting", description = "External interrupts are VM exits (counted by"
            + " --exit-stats, acknowledged on exit and injected into the guest, held for an interrupt-window exit while"
            + " the guest cannot take them).")
    boolean externalInterruptExiting;

    @Option(names = "--dump-cache", paramLabel = "FILE", description = "Write the translation cache to FILE at the end (read it with 'jvmx inspect FILE').")
    Path dumpCache;

    @Option(names = "--inspect", description = "Print the translation-cache table (as 'jvmx inspect') at the end of the run.")
    boolean inspect;

    /** picocli's model of the command; null when BootArgs read the line (nothing here reads it). */
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A bad option: one line, exit code 2, before the guest runs. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() {
        // Only a timeout counts from the process start (see Main.startNanos).
        long start = DEFAULT_TIMEOUT.equals(timeout) ? System.nanoTime() : Main.startNanos();
        PrintStream err = System.err;
        try {
            return boot(start, err);
        } catch (UsageException | IllegalArgumentException | ImageException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    private static UsageException usage(String message) {
        return new UsageException(message);
    }

    private MachineConfig configure(long start) throws ImageException {
        MachineConfig cfg = new MachineConfig();
        cfg.startNanos = start;
        double t;
        try {
            t = DEFAULT_TIMEOUT.equals(timeout) ? 0 // no pattern compiled on every start
                    : timeout.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+") ? Double.parseDouble(timeout) : -1;
        } catch (NumberFormatException e) {
            t = -1;
        }
        if (!(t >= 0) || t > 1e9) {
            throw usage("--timeout must be a number of seconds, 0 or more (0: no timeout), got '" + timeout + "'");
        }
        cfg.timeoutSeconds = t;
        cfg.ramMiB = MemorySize.parseMiB(memory);
        if (tcacheMiB < 1 || tcacheMiB > 4096) {
            throw usage("--tcache-mb must be between 1 and 4096, got " + tcacheMiB);
        }
        cfg.tcacheBytes = (long) tcacheMiB << 20;

        // QEMU's board options: only what jvmx is.
        if (accel != null && !accel.equals("tcg") && !accel.startsWith("tcg,")) {
            throw usage("-accel " + accel + ": jvmx translates guest code itself, as QEMU's tcg; it has no " + accel.split(",")[0]);
        }
        if (machine != null) {
            String first = machine.split(",")[0];
            // QEMU's -machine may start with a property (pit=off): the type is then the default, pc.
            String type = first.contains("=") && !first.startsWith("type=") ? "pc" : first.replaceFirst("^type=", "");
            if (!type.equals("pc") && !type.startsWith("pc-i440fx")) {
                throw usage("-machine " + machine + ": jvmx is QEMU's pc machine (i440FX + PIIX3) only");
            }
            for (String p : machine.split(",")) {
                if (p.equals("pit=off") || p.equals("pit=on")) {
                    cfg.pit = p.equals("pit=on");
                } else if ((!p.equals(first) || p.contains("=")) && !p.equals("accel=tcg") && !p.startsWith("type=")) {
                    throw usage("-machine " + machine + ": jvmx takes no machine property '" + p + "'");
                }
            }
        }
        if (cpuModel != null) {
            try {
                cfg.cpuFeatures = CpuOption.parse(cpuModel);
            } catch (IllegalArgumentException e) {
                throw usage("-cpu " + cpuModel + ": " + e.getMessage());
            }
        }
        if (smp != null) {
            try {
                cfg.cpus = SmpOption.parse(smp);
            } catch (IllegalArgumentException e) {
                throw usage("-smp " + smp + ": " + e.getMessage());
            }
        }
        for (String n : network) {
            if (!n.equals("none")) {
                throw usage("-nic/-net " + n + ": jvmx has no network card (only 'none' is accepted)");
            }
        }
        if (parallel != null && !parallel.equals("none")) {
            throw usage("-parallel " + parallel + ": jvmx has no parallel port (only 'none' is accepted)");
        }
        cfg.noReboot = noReboot;
        cfg.noAcpi = noAcpi;

        // Display and consoles.
        String disp = display == null ? "nographic" : display.split(",")[0];
        if (nographic && display != null) {
            throw usage("-nographic cannot be used with -display (QEMU refuses it too)");
        }
        switch (disp) {
            case "nographic" -> cfg.display = "nographic";
            case "none" -> cfg.display = "none";
            case "text", "curses" -> cfg.display = "text";
            case "sdl", "gtk", "vnc", "egl-headless", "spice-app", "cocoa", "dbus" -> throw usage("--display must be none or text"
                    + " (QEMU's curses), got '" + display + "': a graphical display, which jvmx does not have (text shows the"
                    + " VGA text screen on the terminal)");
            default -> throw usage("--display must be none or text (QEMU's curses), got '" + display + "'");
        }
        if (serial != null && !qemuSerial.isEmpty()) {
            throw usage("--serial and -serial both name COM1; give one");
        }
        if (qemuSerial.size() > 1) {
            throw usage("-serial was given " + qemuSerial.size() + " times; jvmx has one serial port (COM1)");
        }
        String ser = serial != null ? serial : !qemuSerial.isEmpty() ? qemuSerial.get(0) : null;
        boolean dbgStdio = ConsoleSpec.isStdio(debugcon);
        if (ser == null) {
            // As QEMU's default serial port, which goes to the display rather than to a terminal
            // another device already took.
            ser = dbgStdio ? "none" : "stdio";
        } else if (ConsoleSpec.isStdio(ser) && dbgStdio) {
            throw usage("the serial port and --debugcon both use stdio; QEMU refuses two stdio devices too:"
                    + " send one of them to file:PATH or none");
        }
        cfg.serial = ser;
        cfg.debugcon = debugcon;
        cfg.firmwareLog = firmwareLog;
        cfg.exitStatsTimed = exitStats;
        cfg.screenshot = screenshot;

        // Images and what depends on them.
        if (append != null && kernel == null) {
            throw usage("--append needs a kernel (-kernel FILE): the command line is the kernel's (QEMU refuses it too)");
        }
        if (initrd != null && kernel == null) {
            throw usage("--initrd needs --kernel (a Linux bzImage); QEMU refuses it too");
        }
        if (vgaRom != null && bios == null && (kernel != null || !storage.any())) {
            throw usage("--vga-rom is handed to the firmware, and without --bios (or a drive, which boots SeaBIOS)"
                    + " no firmware runs to load it");
        }
        cfg.kernel = kernel;
        cfg.kernelCmdline = append;
        cfg.bios = bios;
        cfg.initrd = initrd;
        if (initrd != null) {
            long ram = (long) cfg.ramMiB << 20;
            long size = ImageFiles.checkSize(initrd, "initrd", Long.MAX_VALUE); // found, a file, readable
            if (size > ram) {
                throw usage(String.format("initrd %s is %s and does not fit in the guest's %s of RAM (-m)", initrd,
                        ImageFiles.bytes(size), ImageFiles.bytes(ram)));
            }
        }
        if (kernel == null && bios == null && storage.any()) {
            cfg.bios = DriveOptions.seaBios(); // drives boot through the default firmware, as in QEMU
            if (cfg.bios == null) {
                throw usage(DriveOptions.seaBiosMissing());
            }
        } else if (kernel == null && bios == null) {
            cfg.bios = defaultImage();
            if (cfg.bios == null) {
                throw usage("no image given and the default guest (guest-images/images/first-guest.rom) was not found;"
                        + " run jvmx from its source tree or pass --bios/--kernel");
            }
        }
        cfg.nmiExiting = nmiExiting;
        cfg.externalInterruptExiting = externalInterruptExiting;
        if (externalInterruptExiting && cfg.cpus > 1) {
            // The VMM holds interrupts for an interrupt window per processor; jvmx's holds them for one.
            throw usage("--external-interrupt-exiting with -smp " + cfg.cpus + ": the VMM's injection is modelled for one processor");
        }
        if (exceptionBitmap != null) {
            ExceptionBitmapOption.apply(exceptionBitmap, cfg); // a bad list: IllegalArgumentException, exit 2
        }
        storage.apply(cfg);
        gdbStub.address(); // a malformed -gdb is found before anything opens
        if (vgaRom != null) {
            cfg.vgaRom = vgaRom.equals("none") ? null : Path.of(vgaRom);
        } else if (cfg.bios != null) {
            Path sibling = cfg.bios.toAbsolutePath().resolveSibling("vgabios.bin");
            cfg.vgaRom = Files.isRegularFile(sibling) ? sibling : null;
        }
        switch (clock) {
            case "host" -> cfg.clock = MachineConfig.ClockMode.HOST;
            case "virtual" -> cfg.clock = MachineConfig.ClockMode.VIRTUAL;
            default -> throw usage("--clock must be host or virtual, got '" + clock + "'");
        }
        for (String d : devices) {
            DeviceSpec ds = DeviceSpec.parse(d);
            if (ds.driver.equals("pc-testdev") || ds.driver.equals("pci-testdev")) {
                ds.only(); // QEMU's test devices take no properties here; the board wires them from these flags
                cfg.pcTestDev |= ds.driver.equals("pc-testdev");
                cfg.pciTestDev |= ds.driver.equals("pci-testdev");
                continue;
            }
            if (DeviceRegistry.find(ds.driver) == null) {
                throw usage("-device " + d + ": jvmx has no device '" + ds.driver + "' (it has: pc-testdev, pci-testdev, "
                        + DeviceRegistry.names() + ")");
            }
            cfg.devices.add(ds);
        }

        // Files written at the end: found unwritable now, not after the run.
        checkWritable(screenshot, "--screenshot");
        checkWritable(dumpCache, "--dump-cache");
        return cfg;
    }

    private static void checkWritable(Path file, String what) {
        if (file == null) {
            return;
        }
        String why = IoWords.unwritable(file);
        if (why != null) {
            throw usage(what + " " + file + ": cannot write it there: " + why);
        }
    }

    /**
     * Heap the machine needs: RAM and ROM are one array, which must fit the old generation
     * (two thirds of the heap under the parallel collector), and room to translate. The
     * launcher gives -Xmx (RAM + ROM) * 2 + 256 MiB for -m above 128 MiB.
     */
    static long heapNeeded(int ramMiB) {
        long array = ((long) ramMiB << 20) + Machine.ROM_SPACE;
        return array + array / 2 + (128L << 20);
    }

    /** What the launcher gives: -Xmx in MiB for -m (keep in step with ./jvmx). */
    static long suggestedHeapMiB(int ramMiB) {
        return (ramMiB + 16L) * 2 + 256;
    }

    private int boot(long start, PrintStream err) throws ImageException {
        if ("help".equals(logItems)) {
            System.out.print(QemuLog.help());
            return 0;
        }
        MachineConfig cfg = configure(start);
        EnumSet<QemuLog.Item> items = logItems == null ? null : QemuLog.parse(logItems); // null: none (no EnumSet made, see BootArgs)
        long heap = Runtime.getRuntime().maxMemory();
        long need = heapNeeded(cfg.ramMiB);
        if (heap != Long.MAX_VALUE && heap < need) {
            throw usage(String.format(Locale.ROOT, "-m %d needs a Java heap of about %d MiB and this JVM may use %d MiB:"
                    + " run with JVMX_JAVA_OPTS=-Xmx%dm (./jvmx sets it from -m when JVMX_JAVA_OPTS has no -Xmx)",
                    cfg.ramMiB, need >> 20, heap >> 20, suggestedHeapMiB(cfg.ramMiB)));
        }
        PrintStream logOut = null;
        if (logFile != null) {
            try {
                logOut = new PrintStream(new BufferedOutputStream(Files.newOutputStream(logFile), 1 << 16), false);
            } catch (IOException e) {
                throw usage("-D " + logFile + ": cannot write it: " + IoWords.why(e, logFile));
            }
        }
        boolean displayText = cfg.display.equals("text");
        ProgressLine progress = !displayText && ProgressLine.stderrIsTerminal() ? new ProgressLine(err) : null;
        UnaryOperator<CharSink> watch = progress == null ? UnaryOperator.identity() : progress::watch;
        long deadline = cfg.timeoutSeconds > 0 ? start + (long) (cfg.timeoutSeconds * 1e9) : Long.MAX_VALUE;
        // Formatting a double costs a cold start about 7 ms (java.util.Formatter): only with a timeout.
        StopReason timeoutStop = cfg.timeoutSeconds > 0 ? Machine.timeoutStop(cfg.timeoutSeconds)
                : StopReason.of(StopReason.Kind.TIMEOUT, "timeout");
        RunControl control = new RunControl(deadline, timeoutStop, cfg.clock == MachineConfig.ClockMode.HOST,
                Main.standalone(), err, ExitCodes::of);
        control.setProgress(progress);
        try (ConsoleSpec consoles = new ConsoleSpec(watch)) {
            Runnable quit = () -> control.requestStop(StopReason.of(StopReason.Kind.USER_QUIT, "quit from the console (Ctrl-A x)"));
            String serWhat = serial != null ? "--serial" : qemuSerial.isEmpty() ? "the serial port" : "-serial";
            ConsoleSpec.Backend ser = consoles.open(cfg.serial, serWhat, true, !displayText, serial == null, quit);
            ConsoleSpec.Backend dbg = consoles.open(cfg.debugcon, "--debugcon", false, false, false, quit);
            ConsoleSpec.Backend fwlog = firmwareLog == null ? consoles.open("none", "--firmware-log", false, false, false, quit)
                    : consoles.open("file:" + firmwareLog, "--firmware-log", false, false, false, quit);
            control.setPeriodic(consoles::flush);
            Machine m = newMachine(cfg, ser, dbg, fwlog);
            if (inspect || dumpCache != null) {
                m.cache.keepFirstTierSites(); // so that the report covers blocks evicted meanwhile
            }
            QemuLog log = items == null || items.isEmpty() ? null : new QemuLog(items, logOut != null ? logOut : err);
            if (log != null) {
                log.attach(m);
            }
            TextDisplay screen = null;
            if (displayText) {
                screen = new TextDisplay(m.vga, System.out, System.console() != null);
                m.displayPoll = screen::poll;
                CharSource keys = consoles.keyboardInput(quit);
                if (keys != null) {
                    m.terminalKeyboard = new TerminalKeyboard(keys, m.keyboard);
                }
            }
            StopReason r;
            GdbStub stub = null;
            ThreadTimes atEnd;
            try {
                m.load();
                stub = gdbStub.open(m, err);
                r = waitForClients(consoles, control, err);
                if (r == null) {
                    r = gdbStub.run(stub, () -> control.run(m)); // under the watchdog, with or without gdb
                }
            } finally {
                // Before close: ending the translation worker takes its thread, and its CPU time, out of /proc.
                atEnd = exitStats ? ThreadTimes.now() : null;
                if (stub != null) {
                    stub.close();
                }
                control.close();
                m.close();
            }
            if (progress != null) {
                progress.clear();
            }
            consoles.finish();
            if (screen != null) {
                screen.finish();
            }
            String notes = consoles.losses();
            if (screenshot != null) {
                try {
                    m.vga.writePng(screenshot);
                } catch (IOException e) {
                    notes += "; the screenshot was not written: " + IoWords.why(e, screenshot);
                }
            }
            if (log != null) {
                log.stopped(r, m.cpu);
            }
            if (logOut != null) {
                logOut.close();
            }
            err.println("jvmx: " + r.message + " after " + m.cpu.instructions + " instructions" + notes);
            if (exitStats) {
                err.println(m.exits.statistics().formatReport());
                err.println("last VM exit: " + m.cpu.exit.describe());
                err.print("its VMCS exit-information fields:" + System.lineSeparator()
                        + m.cpu.vmcs.dump(VmcsFieldType.EXIT_INFORMATION).replaceAll("(?m)^", "  ")
                        + "and the guest state it saved:" + System.lineSeparator()
                        + m.cpu.vmcs.dump(VmcsFieldType.GUEST_STATE).replaceAll("(?m)^", "  "));
                long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                ThreadTimes first = m.atFirstInstruction();
                if (m.firstInstructionMillis() != 0) {
                    err.printf("start-up: %d ms from JVM start to the guest's first instruction, %.0f ms CPU%n",
                            m.firstInstructionMillis() - jvmStart, first.total() / 1e6);
                } else {
                    // Stopped (a timeout, a signal) before the guest ran: no start-up to report.
                    err.printf("start-up: the guest had not run its first instruction %d ms after JVM start%n",
                            System.currentTimeMillis() - jvmStart);
                }
                java.util.EnumMap<ThreadTimes.Role, Long> cpu = atEnd.since(first, m.guestThread());
                StringBuilder roles = new StringBuilder();
                long run = 0;
                for (java.util.Map.Entry<ThreadTimes.Role, Long> e : cpu.entrySet()) {
                    run += e.getValue();
                    roles.append(roles.length() == 0 ? "" : ", ").append(e.getKey().label)
                            .append(String.format(" %.0f", e.getValue() / 1e6));
                }
                err.printf("run: %.0f ms CPU (%s)%n", run / 1e6, roles);
                CodeCache.Statistics t = m.cache.statistics();
                long interpreted = m.loop.interpretedInstructions();
                err.printf("first tier: %d blocks decoded in %.1f ms, %d handlers made and %d loaded in %.1f ms,"
                                + " %d instructions (%.1f%%)%n",
                        t.decoded(), t.decodeNanos() / 1e6, t.handlersMade(), t.handlersLoaded(), t.handlerNanos() / 1e6,
                        interpreted,
                        m.cpu.instructions == 0 ? 0.0 : 100.0 * interpreted / m.cpu.instructions);
                err.printf("translation: %d blocks and %d regions (%d more discarded) in %.1f ms (%.0f us each),"
                                + " %d by the guest's thread while the worker was behind (%.1f ms),"
                                + " %d invalidated, %d evicted, %d cache flushes;"
                                + " %d put in place once HotSpot had compiled them (%.0f runs each in the tier before),"
                                + " %d asked again at C1's tier 3 after %d runs at tier 1%n",
                        t.translated(), t.regions(), m.loop.regionsDiscarded(), t.translateNanos() / 1e6,
                        t.translated() + t.regions() == 0 ? 0.0 : t.translateNanos() / 1e3 / (t.translated() + t.regions()),
                        t.guestTranslations(), t.guestTranslateNanos() / 1e6,
                        t.invalidations(), t.evictions(), t.flushes(), m.loop.waitedForCompiler(),
                        m.loop.waitedForCompiler() == 0 ? 0.0 : (double) m.loop.runsWaitingForCompiler() / m.loop.waitedForCompiler(),
                        m.loop.promotedTranslations(), ExecutionLoop.PROMOTE_RUNS);
                err.printf("TLB: %s, %d CR3 loads, %d INVLPG%n", TlbFlush.describe(m.cpu.mmu.flushesByCause),
                        m.cpu.mmu.flushesCr3, m.cpu.mmu.invlpgs);
                int ramMiB = m.memory.ramSize >> 20, atStart = m.memory.ramInArrayAtStart >> 20;
                err.println(atStart == ramMiB ? "RAM: " + ramMiB + " MiB, all in the array from the start"
                        : "RAM: " + ramMiB + " MiB, " + atStart + " MiB in the array from the start, the rest on demand: "
                        + (m.memory.directTop() < m.memory.ramSize ? "not taken in"
                                : m.loop.ramTakenInAt < 0 ? "taken in for the debugger"
                                : "taken in after " + m.loop.ramTakenInAt + " instructions") + String.format(" (%d byte accesses and %d pages written before)",
                                m.memory.onDemandAccesses(), m.memory.onDemandPagesWritten()));
            }
            if (inspect) {
                CacheSnapshot snapshot = CacheSnapshot.of(m.cache, m.memory, m.cpu.mmu, m.cpu.instructions, m.loop.interpretedInstructions());
                InspectReport.table(snapshot, System.err, "exec", 20);
                System.err.println();
                InspectReport.firstTier(snapshot, System.err, 10);
            }
            if (dumpCache != null) {
                try {
                    CacheDump.write(m, dumpCache);
                } catch (IOException e) {
                    err.println("jvmx: the translation cache was not written to " + dumpCache + ": " + IoWords.why(e, dumpCache));
                }
            }
            return ExitCodes.of(r);
        } finally {
            control.close();
            if (logOut != null) {
                logOut.close();
            }
        }
    }

    private static Machine newMachine(MachineConfig cfg, ConsoleSpec.Backend ser, ConsoleSpec.Backend dbg,
            ConsoleSpec.Backend fwlog) {
        try {
            return new Machine(cfg, ser.sink, ser.source, dbg.sink, fwlog.sink);
        } catch (OutOfMemoryError e) {
            throw usage(String.format(Locale.ROOT, "not enough Java heap for -m %d: run with JVMX_JAVA_OPTS=-Xmx%dm",
                    cfg.ramMiB, suggestedHeapMiB(cfg.ramMiB)));
        }
    }

    /**
     * QEMU's tcp:...,server,wait: the guest starts when a client has connected. The wait ends
     * early at the timeout or a stop request (a signal), which is then the run's stop.
     */
    private static StopReason waitForClients(ConsoleSpec consoles, RunControl control, PrintStream err) {
        for (ConsoleSpec.Tcp t : consoles.tcpBackends()) {
            if (!t.server()) {
                continue;
            }
            err.println("jvmx: " + t.what() + (t.waitForClient() ? " waiting for a client on " : " listening on ") + t.endpoint()
                    + (t.waitForClient() ? " (the guest starts when one connects)" : ""));
            if (!t.waitForClient()) {
                continue;
            }
            try {
                while (!t.backend().awaitClient(20)) {
                    if (control.pending() != null) {
                        StopReason p = control.pending();
                        return new StopReason(p.kind, p.value, p.message + " (no client connected to " + t.endpoint() + ")");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StopReason.of(StopReason.Kind.USER_QUIT, "interrupted while waiting for a client");
            }
        }
        return null;
    }

    /** The first guest's ROM, found beside the launcher (jvmx.home) or the working directory. */
    static Path defaultImage() {
        String home = System.getProperty("jvmx.home", ".");
        Path p = Path.of(home, "guest-images", "images", "first-guest.rom");
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * The length of the RAM array a {@code jvmx boot} command line starts with, read ahead of
     * picocli, for RamAhead: from the last -m, else the default, whether there is firmware (--bios,
     * or none of --kernel) and its ROM space (from the --bios file, else the least, which every
     * default image fits), and whether there is an initrd (see {@link Machine#startArrayLength});
     * -1 when the line is not a boot or its -m is not a size.
     */
    static int ramArrayLength(String[] args) {
        if (args.length == 0 || !args[0].equals("boot")) {
            return -1;
        }
        String size = DEFAULT_MEMORY;
        String bios = null;
        boolean kernel = false, initrd = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if ((a.equals("-m") || a.equals("--memory")) && i + 1 < args.length) {
                size = args[++i];
            } else if (a.startsWith("--memory=") || a.startsWith("-m=")) {
                size = a.substring(a.indexOf('=') + 1);
            }
            if (name.equals("--bios") || name.equals("-bios")) {
                bios = !name.equals(a) ? a.substring(name.length() + 1) : i + 1 < args.length ? args[i + 1] : "";
            }
            kernel |= name.equals("--kernel") || name.equals("-kernel");
            initrd |= name.equals("--initrd") || name.equals("-initrd");
        }
        int romSpace = bios != null ? Machine.romSpace(new java.io.File(bios).length()) : kernel ? 0 : Machine.ROM_SPACE_MIN;
        try {
            return Machine.startArrayLength(MemorySize.parseMiB(size) << 20, romSpace, initrd);
        } catch (IllegalArgumentException e) {
            return -1; // picocli's parse reports it
        }
    }
}
