package dev.jvmx.runtime.cli;

import picocli.CommandLine;

/** The one version string every command prints for --version / -V. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String TEXT = "jvmx 0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {TEXT};
    }
}
