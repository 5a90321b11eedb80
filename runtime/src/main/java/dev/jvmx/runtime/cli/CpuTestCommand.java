package dev.jvmx.runtime.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "cpu-test", mixinStandardHelpOptions = true, description = "CPU correctness harnesses.")
public final class CpuTestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("jvmx: cpu-test is not wired yet");
        return Main.EXIT_USAGE;
    }
}
