package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.fuzz.GuestFuzzer;
import dev.jvmx.runtime.fuzz.PortFuzzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** `jvmx fuzz`: garbage guests and random port traffic, to show nothing a guest does breaks the host side. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Runs garbage guests or random port traffic and reports what went wrong.",
        description = {"Exit code 0 when nothing went wrong (no internal error, no run past its timeout, no hang),"
                + " 1 when something did (each finding is printed with the command that makes it again)."},
        subcommands = {FuzzCommand.Guests.class, FuzzCommand.Ports.class})
public final class FuzzCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing fuzz target: guests or ports");
    }

    @Command(name = "guests", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Random ROMs and Multiboot kernels jumping into random bytes, each run with a timeout.",
            description = {"Guest I is made from (seed, I) alone: --first I --count 1 makes one guest again. Each runs"
                    + " in a machine of its own, as jvmx boot runs it, and its end is counted: the exit code, an internal"
                    + " error (a Java exception), a run longer than --timeout + 1 s, a hang."})
    static final class Guests implements Callable<Integer> {
        @Option(names = "--count", paramLabel = "N", defaultValue = "100", description = "Guests to run (default: ${DEFAULT-VALUE}).")
        long count;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--first", paramLabel = "I", defaultValue = "0", description = "Index of the first guest (default: ${DEFAULT-VALUE}).")
        long first;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0.5", description = "Timeout of each guest (default: ${DEFAULT-VALUE}).")
        double timeout;

        @Option(names = "-m", paramLabel = "MiB", defaultValue = "8", description = "Guest RAM (default: ${DEFAULT-VALUE}).")
        int ramMiB;

        @Override
        public Integer call() throws IOException {
            if (count < 1 || first < 0) {
                System.err.println("jvmx: --count must be 1 or more and --first 0 or more");
                return Main.EXIT_USAGE;
            }
            if (!(timeout > 0) || timeout > 3600) {
                System.err.println("jvmx: --timeout must be more than 0 and at most 3600 seconds, got " + timeout);
                return Main.EXIT_USAGE;
            }
            if (ramMiB < 2 || ramMiB > 256) {
                System.err.println("jvmx: -m must be between 2 and 256 MiB for fuzzing, got " + ramMiB);
                return Main.EXIT_USAGE;
            }
            return GuestFuzzer.run(seed, first, count, timeout, ramMiB, ExitCodes::of, System.out).clean() ? 0 : 1;
        }
    }

    @Command(name = "ports", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Random IN and OUT of every size at the board's devices.",
            description = {"Mostly ports a device claims, the rest anywhere; device time and interrupt acknowledges"
                    + " in between; a fresh machine every million operations. Any Java exception is a finding."})
    static final class Ports implements Callable<Integer> {
        @Option(names = "--count", paramLabel = "N", defaultValue = "1000000", description = "Port operations (default: ${DEFAULT-VALUE}).")
        long count;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            if (count < 1) {
                System.err.println("jvmx: --count must be 1 or more");
                return Main.EXIT_USAGE;
            }
            return PortFuzzer.run(seed, count, System.out).clean() ? 0 : 1;
        }
    }
}
