package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.boot.ImageException;
import dev.jvmx.runtime.stats.ThreadTimes;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.StopReason;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `jvmx boot`: assemble a PC, load a guest, run it until it stops, and say why. */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boots a guest. With no image, boots the first guest from guest-images.",
            "",
            "The run stops when the guest writes to isa-debug-exit (port 0xF4; exit code (V << 1) | 1),",
            "halts with interrupts disabled (exit code 0), triple-faults (exit code 3), or at the",
            "timeout (exit code 124). A missing or malformed image or a bad option exits with code 2."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:guest halted with interrupts disabled (HLT, IF=0)",
            "(V<<1)|1:guest wrote V to isa-debug-exit", "2:bad option or image", "3:triple fault",
            "4:reset loop (or a reset with no --bios)", "124:timeout", "70:internal error"})
public final class BootCommand implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "FILE",
            description = "Linux bzImage (boot protocol 2.02+) or Multiboot (v1) ELF32 kernel, loaded like QEMU's -kernel.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial RAM disk for a Linux --kernel.")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line: the Multiboot cmdline is FILE CMDLINE, as QEMU builds it.")
    String append;

    @Option(names = "--bios", paramLabel = "FILE",
            description = "BIOS ROM mapped below 4 GiB, its last 128 KiB aliased below 1 MiB; starts at F000:FFF0.")
    Path bios;

    @Option(names = {"-m", "--memory"}, paramLabel = "MiB", defaultValue = "128", description = "Guest RAM in MiB (default: ${DEFAULT-VALUE}).")
    int memoryMiB;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop the guest after this many seconds of host time (0: no timeout).")
    double timeout;

    @Option(names = "--serial", paramLabel = "DEV", defaultValue = "stdio",
            description = "COM1 (16550A at 0x3F8): stdio, none, file:PATH or tcp:127.0.0.1:PORT (default: ${DEFAULT-VALUE}).")
    String serial;

    @Option(names = "--debugcon", paramLabel = "DEV", defaultValue = "none",
            description = "Debug console on port 0xE9: stdio, none or file:PATH (default: ${DEFAULT-VALUE}).")
    String debugcon;

    @Option(names = "--firmware-log", paramLabel = "FILE", description = "Write the firmware's log (port 0x402) to FILE.")
    Path firmwareLog;

    // ---- storage options (IMAGE, -hda..-hdd, -cdrom, -drive, -boot): see DriveOptions
    @CommandLine.Mixin
    DriveOptions storage;

    // ---- the gdb stub (-s, -gdb, -S): see GdbOptions
    @CommandLine.Mixin
    GdbOptions gdbStub;

    @Option(names = "--vga-rom", paramLabel = "FILE",
            description = "VGA option ROM given to the firmware as fw_cfg file vgaroms/NAME; 'none' for no ROM"
                    + " (default: vgabios.bin beside the --bios file, if there is one, as QEMU does).")
    String vgaRom;

    @Option(names = "--display", paramLabel = "MODE", defaultValue = "none",
            description = "none, or text: the VGA text screen on the terminal, and printed at the end (default: ${DEFAULT-VALUE}).")
    String display;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "Write the VGA text screen as a PNG to FILE at the end of the run.")
    Path screenshot;

    @Option(names = "--clock", paramLabel = "MODE", defaultValue = "host",
            description = "host: timers follow the host clock; virtual: time advances with guest instructions, so runs repeat exactly (default: ${DEFAULT-VALUE}).")
    String clock;

    @Option(names = "--tcache-mb", paramLabel = "MiB", defaultValue = "64",
            description = "Bound of the translation cache; past it the cache is flushed and its classes unload (default: ${DEFAULT-VALUE}).")
    int tcacheMiB;

    @Option(names = "--device", paramLabel = "NAME[,OPT=V...]",
            description = "Adds a device, as QEMU's -device: pc-testdev, pci-testdev, or isa-debug-exit[,iobase=0xf4,iosize=0x4]"
                    + " (always present at 0xF4). Repeatable.")
    java.util.List<String> devices = new java.util.ArrayList<>();

    @Option(names = "--exit-stats", description = "Print the VM-exit statistics table at the end of the run.")
    boolean exitStats;

    @Option(names = "--exception-bitmap", paramLabel = "LIST",
            description = "Exceptions that are VM exits (counted by --exit-stats, reflected into the guest):"
                    + " mnemonics (PF, GP, UD, BP ...), vectors 0-31, 0xMASK, pfec-mask=N, pfec-match=N, or none"
                    + " (default: AC,MC, as KVM).")
    String exceptionBitmap;

    @Option(names = "--nmi-exiting", description = "NMIs are VM exits (counted by --exit-stats, reflected into the guest).")
    boolean nmiExiting;

    @Option(names = "--dump-cache", paramLabel = "FILE", description = "Write the translation cache to FILE at the end (read it with 'jvmx inspect FILE').")
    Path dumpCache;

    @Option(names = "--inspect", description = "Print the translation-cache table (as 'jvmx inspect') at the end of the run.")
    boolean inspect;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        MachineConfig cfg = new MachineConfig();
        if (memoryMiB < 2 || memoryMiB > 2047) {
            err.println("jvmx: -m must be between 2 and 2047 MiB, got " + memoryMiB);
            return Main.EXIT_USAGE;
        }
        cfg.ramMiB = memoryMiB;
        cfg.kernel = kernel;
        cfg.kernelCmdline = append;
        if (initrd != null && kernel == null) {
            err.println("jvmx: --initrd needs --kernel");
            return Main.EXIT_USAGE;
        }
        cfg.initrd = initrd;
        cfg.bios = bios;
        if (kernel == null && bios == null && storage.any()) {
            cfg.bios = DriveOptions.seaBios(); // drives boot through the default firmware, as in QEMU
            if (cfg.bios == null) {
                err.println("jvmx: " + DriveOptions.seaBiosMissing());
                return Main.EXIT_USAGE;
            }
        } else if (kernel == null && bios == null) {
            cfg.bios = defaultImage();
            if (cfg.bios == null) {
                err.println("jvmx: no image given and the default guest (guest-images/images/first-guest.rom) was not found;"
                        + " run jvmx from its source tree or pass --bios/--kernel");
                return Main.EXIT_USAGE;
            }
        }
        if (tcacheMiB < 1 || tcacheMiB > 4096) {
            err.println("jvmx: --tcache-mb must be between 1 and 4096, got " + tcacheMiB);
            return Main.EXIT_USAGE;
        }
        cfg.tcacheBytes = (long) tcacheMiB << 20;
        cfg.timeoutSeconds = timeout;
        cfg.serial = serial;
        cfg.debugcon = debugcon;
        cfg.firmwareLog = firmwareLog;
        cfg.exitStatsTimed = exitStats;
        cfg.nmiExiting = nmiExiting;
        if (exceptionBitmap != null) {
            try {
                ExceptionBitmapOption.apply(exceptionBitmap, cfg);
            } catch (IllegalArgumentException e) {
                err.println("jvmx: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        }
        if (!display.equals("none") && !display.equals("text")) {
            err.println("jvmx: --display must be none or text, got '" + display + "'");
            return Main.EXIT_USAGE;
        }
        cfg.display = display;
        cfg.screenshot = screenshot;
        try {
            storage.apply(cfg);
            gdbStub.address(); // a malformed -gdb is found before anything opens
        } catch (IllegalArgumentException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (vgaRom != null) {
            cfg.vgaRom = vgaRom.equals("none") ? null : Path.of(vgaRom);
        } else if (cfg.bios != null) {
            Path sibling = cfg.bios.toAbsolutePath().resolveSibling("vgabios.bin");
            cfg.vgaRom = Files.isRegularFile(sibling) ? sibling : null;
        }
        for (String d : devices) {
            String problem = addDevice(cfg, d);
            if (problem != null) {
                err.println("jvmx: --device " + d + ": " + problem);
                return Main.EXIT_USAGE;
            }
        }
        switch (clock) {
            case "host": cfg.clock = MachineConfig.ClockMode.HOST; break;
            case "virtual": cfg.clock = MachineConfig.ClockMode.VIRTUAL; break;
            default:
                err.println("jvmx: --clock must be host or virtual, got '" + clock + "'");
                return Main.EXIT_USAGE;
        }
        try (ConsoleSpec consoles = new ConsoleSpec()) {
            Machine[] holder = new Machine[1];
            // Standard input may hold Ctrl-A x before the machine exists (a pipe is read at once):
            // the request waits in quitEarly until it does.
            java.util.concurrent.atomic.AtomicBoolean quitEarly = new java.util.concurrent.atomic.AtomicBoolean();
            StopReason quitReason = new StopReason(StopReason.Kind.USER_QUIT, 0, "quit from the console (Ctrl-A x)");
            Runnable quit = () -> {
                quitEarly.set(true);
                if (holder[0] != null) {
                    holder[0].requestStop(quitReason);
                }
            };
            ConsoleSpec.Backend ser = consoles.open(serial, "--serial", true, quit);
            ConsoleSpec.Backend dbg = consoles.open(debugcon, "--debugcon", false, quit);
            ConsoleSpec.Backend fwlog = firmwareLog == null ? consoles.open("none", "--firmware-log", false, quit)
                    : consoles.open("file:" + firmwareLog, "--firmware-log", false, quit);
            Machine m = new Machine(cfg, ser.sink, ser.source, dbg.sink, fwlog.sink);
            holder[0] = m;
            if (quitEarly.get()) {
                m.requestStop(quitReason);
            }
            dev.jvmx.runtime.board.TextDisplay screen = null;
            if (display.equals("text")) {
                screen = new dev.jvmx.runtime.board.TextDisplay(m.vga, System.out, System.console() != null);
                m.displayPoll = screen::poll;
            }
            StopReason r;
            dev.jvmx.runtime.gdb.GdbStub stub = null;
            try {
                m.load();
                stub = gdbStub.open(m, err);
                r = gdbStub.run(stub, m::run);
            } finally {
                if (stub != null) {
                    stub.close();
                }
                m.close();
            }
            consoles.finish();
            if (screen != null) {
                screen.finish();
            }
            if (screenshot != null) {
                try {
                    m.vga.writePng(screenshot);
                } catch (IOException e) {
                    err.println("jvmx: cannot write the screenshot " + screenshot + ": " + e.getMessage());
                }
            }
            err.println("jvmx: " + r.message + " after " + m.cpu.instructions + " instructions");
            if (exitStats) {
                err.println(m.exits.statistics().formatReport());
                err.println("last VM exit: " + m.cpu.exit.describe());
                long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                ThreadTimes start = m.atFirstInstruction();
                err.printf("start-up: %d ms from JVM start to the guest's first instruction, %.0f ms CPU%n",
                        m.firstInstructionMillis() - jvmStart, start.total() / 1e6);
                java.util.EnumMap<ThreadTimes.Role, Long> cpu = ThreadTimes.now().since(start, m.guestThread());
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
                                + " %d invalidated, %d evicted, %d cache flushes%n",
                        t.translated(), t.regions(), m.loop.regionsDiscarded(), t.translateNanos() / 1e6,
                        t.translated() + t.regions() == 0 ? 0.0 : t.translateNanos() / 1e3 / (t.translated() + t.regions()),
                        t.invalidations(), t.evictions(), t.flushes());
                err.printf("TLB: %d full flushes, %d CR3 loads, %d INVLPG%n", m.cpu.mmu.flushesAll, m.cpu.mmu.flushesCr3,
                        m.cpu.mmu.invlpgs);
            }
            if (inspect) {
                dev.jvmx.runtime.inspect.InspectReport.table(
                        dev.jvmx.runtime.inspect.CacheSnapshot.of(m.cache, m.memory, m.cpu.instructions, m.loop.interpretedInstructions()), System.err, "exec", 20);
            }
            if (dumpCache != null) {
                CacheDump.write(m, dumpCache);
            }
            return ExitCodes.of(r);
        } catch (ImageException | IllegalArgumentException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (IOException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    /** Applies one --device; returns what is wrong with it, or null. */
    static String addDevice(MachineConfig cfg, String spec) {
        String[] parts = spec.split(",");
        switch (parts[0]) {
            case "pc-testdev":
                if (parts.length > 1) {
                    return "pc-testdev takes no options";
                }
                cfg.pcTestDev = true;
                return null;
            case "pci-testdev":
                if (parts.length > 1) {
                    return "pci-testdev takes no options";
                }
                cfg.pciTestDev = true;
                return null;
            case "isa-debug-exit":
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].toLowerCase(java.util.Locale.ROOT);
                    if (!p.equals("iobase=0xf4") && !p.equals("iosize=0x4") && !p.equals("iosize=4")) {
                        return "jvmx's isa-debug-exit sits at iobase=0xf4, iosize=0x4 only (got " + parts[i] + ")";
                    }
                }
                return null;
            default:
                return "unknown device '" + parts[0] + "' (jvmx has pc-testdev, pci-testdev, isa-debug-exit)";
        }
    }

    /** The first guest's ROM, found beside the launcher (jvmx.home) or the working directory. */
    static Path defaultImage() {
        String home = System.getProperty("jvmx.home", ".");
        Path p = Path.of(home, "guest-images", "images", "first-guest.rom");
        return Files.isRegularFile(p) ? p : null;
    }
}
