package dev.jvmx.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `jvmx` command: boot a guest, test the CPU, inspect translations. */
@Command(name = "jvmx", mixinStandardHelpOptions = true, version = "jvmx 0.1.0",
        description = "An x86 (IA-32) PC on the JVM: guest code is translated to JVM bytecode at run time.",
        subcommands = {BootCommand.class, CpuTestCommand.class, InspectCommand.class, KvmUnitTestsCommand.class,
            TrainCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes of the runner (besides the guest's own isa-debug-exit codes). */
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'jvmx boot' or 'jvmx --help'");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the process exit code (no System.exit: tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (System.getenv("JVMX_DEBUG") != null) {
                ex.printStackTrace();
            }
            cmd.getErr().println("jvmx: internal error: " + ex);
            return EXIT_INTERNAL;
        });
        return cl.execute(args);
    }
}
