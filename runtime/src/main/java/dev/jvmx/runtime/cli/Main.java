package dev.jvmx.runtime.cli;

import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.runtime.CompilerDirectives;
import dev.jvmx.runtime.RamAhead;
import dev.jvmx.runtime.control.Signals;
import dev.jvmx.translator.exec.C2Hold;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The `jvmx` command: boot a guest, test the CPU, inspect translations, run kvm-unit-tests, fuzz, train the start-up cache. */
@Command(name = "jvmx", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "An x86 (IA-32) PC on the JVM: guest code is translated to JVM bytecode at run time.")
public final class Main implements Runnable {
    /** Exit codes of the runner (besides the guest's own isa-debug-exit codes). */
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 70;

    /**
     * The subcommands in the order help lists them, by the name each one's {@code @Command} gives
     * it. picocli registers them under that annotation, so the key only picks the one to build.
     * Made on the picocli path only: a boot that BootArgs reads touches no picocli class.
     */
    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("boot", BootCommand::new);
        m.put("cpu-test", CpuTestCommand::new);
        m.put("inspect", InspectCommand::new);
        m.put("kvm-unit-tests", KvmUnitTestsCommand::new);
        m.put("fuzz", FuzzCommand::new);
        m.put("train", TrainCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    private static volatile boolean standalone;
    private static volatile long processStartNanos;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'jvmx boot' or 'jvmx --help'");
    }

    public static void main(String[] args) {
        standalone = true;
        Signals.install();
        int ram = BootCommand.ramArrayLength(args);
        if (ram > 0) {
            RamAhead.start(ram);
            // A guest's run: C2 waits for the guest's hot code. Not the training run, whose
            // compile decisions the start-up cache keeps.
            C2Hold.beginInBackground();
        }
        // The launcher's compiler directives, for a guest's run. Not for the training run: the
        // start-up cache keeps the compile decisions it saw (see TrainCommand).
        String directives = System.getProperty("jvmx.compilerDirectives");
        if (ram > 0 && directives != null && !directives.isEmpty()) {
            CompilerDirectives.addInBackground(directives);
        }
        int code;
        try {
            code = execute(args);
        } catch (Throwable t) {
            code = internalError(t, new PrintWriter(System.err, true));
        }
        System.out.flush();
        System.err.flush();
        if (ram > 0) {
            // A guest's run ends as its signal and watchdog stops do (Signals, RunControl): its
            // devices are closed and its files written by now, and the terminal goes back as it
            // was. System.exit would first ask the platform logger whether to log the exit (its
            // first use looks for a logging backend: 5-7 ms, or 14 ms of CPU on a thread of its
            // own beside the guest's start) and then run the shutdown hooks, of which a guest's
            // run has only the terminal's (bench/RESULTS.md).
            StdioBackend.restoreTerminal();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /** True in the jvmx process itself (main), false when a test calls {@link #execute}. */
    static boolean standalone() {
        return standalone;
    }

    /**
     * Host time (System.nanoTime) from which --timeout counts: the process start, or now when
     * called in-process. Asked only when there is a timeout: the JVM's uptime comes from the
     * management classes, whose loading cost every start about 4 ms, and the start computed
     * from it later is the same.
     */
    static long startNanos() {
        if (!standalone) {
            return System.nanoTime();
        }
        long s = processStartNanos;
        if (s == 0) {
            s = processStartNanos = processStart();
        }
        return s != 0 ? s : System.nanoTime();
    }

    /** The process start on the System.nanoTime() scale (the JVM's own uptime), 0 if unknown. */
    private static long processStart() {
        try {
            long uptimeMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            return System.nanoTime() - uptimeMillis * 1_000_000L;
        } catch (Throwable t) {
            return 0;
        }
    }

    /** Runs a command line and returns the process exit code (no System.exit: tests call this). */
    public static int execute(String... args) {
        BootCommand boot = BootArgs.parse(args); // picocli's model costs 70-90 ms of start-up: a plain boot skips it
        if (boot != null) {
            try {
                return boot.call();
            } catch (Throwable t) {
                return internalError(t, new PrintWriter(System.err, true)); // as the execution exception handler below
            }
        }
        if (args.length == 1 && args[0].equals("train")) {
            // The start-up cache's training run without picocli too: the cache holds every class
            // the training loads, and every start maps and links them all (bench/RESULTS.md).
            try {
                return new TrainCommand().call();
            } catch (Throwable t) {
                return internalError(t, new PrintWriter(System.err, true));
            }
        }
        CommandLine cl = commandLine(args);
        try {
            return cl.execute(args);
        } catch (Throwable t) {
            return internalError(t, cl.getErr());
        }
    }

    /** picocli's command line for {@code args}, configured as {@link #execute} runs it (BootArgsTest parses with it too). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Map<String, Supplier<Object>> subcommands = subcommands();
        Supplier<Object> only = args.length > 0 ? subcommands.get(args[0]) : null;
        if (only != null && !args[0].equals("help")) {
            cl.addSubcommand(only.get()); // the others' options need not be read: picocli's model costs start-up
        } else {
            subcommands.values().forEach(make -> cl.addSubcommand(make.get()));
        }
        cl.setPosixClusteredShortOptionsAllowed(false); // -hda is not -h -d -a
        cl.setParameterExceptionHandler(Main::badUsage);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> internalError(ex, cmd.getErr()));
        return cl;
    }

    /** A bad command line: one line that says what is wrong and where to look, exit code 2. */
    private static int badUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String path = cmd.getCommandSpec().qualifiedName();
        String msg = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            String qemu = QemuOptions.refusal(first);
            if (qemu != null) {
                msg = qemu;
            } else if (cmd.getParent() == null && !first.startsWith("-") && first.equals(args.length > 0 ? args[0] : null)) {
                msg = "unknown command '" + first + "': the commands are " + String.join(", ", cmd.getSubcommands().keySet());
            } else if (first.startsWith("-")) {
                msg = "unknown option '" + first + "'";
            } else {
                msg = "unexpected argument '" + first + "'";
            }
        } else if (ex instanceof CommandLine.MissingParameterException && msg != null) {
            msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
        } else if (msg != null && !msg.isEmpty()) {
            msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
        }
        cmd.getErr().println("jvmx: " + msg + " (see '" + path + " --help')");
        cmd.getErr().flush();
        return EXIT_USAGE;
    }

    /** Anything unexpected: one line, exit code 70; the trace only with JVMX_DEBUG set. */
    static int internalError(Throwable ex, PrintWriter err) {
        if (System.getenv("JVMX_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        String what = ex instanceof OutOfMemoryError
                ? "out of Java heap (OutOfMemoryError); give the JVM more with JVMX_JAVA_OPTS=-Xmx..."
                : ex instanceof StackOverflowError ? "stack overflow (StackOverflowError)" : ex.toString();
        err.println("jvmx: internal error: " + what + " (set JVMX_DEBUG=1 for the stack trace)");
        err.flush();
        return EXIT_INTERNAL;
    }
}
