package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;

/**
 * QEMU's -smp: {@code N} or {@code cpus=N}, with {@code maxcpus}, {@code sockets}, {@code dies},
 * {@code clusters}, {@code cores} and {@code threads}. jvmx's processors are each a package of one
 * core and one thread (its CPUID reports no multi-core or HTT topology) and none is hot-pluggable,
 * so a topology is taken when it says that: cores, threads, dies and clusters 1, sockets and maxcpus
 * equal to the number of processors.
 */
final class SmpOption {
    private SmpOption() { }

    /** The number of processors {@code value} asks for; IllegalArgumentException with the reason otherwise. */
    static int parse(String value) {
        Integer cpus = null, maxcpus = null, sockets = null;
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String key = eq < 0 ? (i == 0 ? "cpus" : p) : p.substring(0, eq);
            String v = eq < 0 ? p : p.substring(eq + 1);
            if (eq < 0 && i > 0) {
                throw new IllegalArgumentException("'" + p + "' is not KEY=VALUE");
            }
            int n = number(key, v);
            switch (key) {
                case "cpus":
                    cpus = n;
                    break;
                case "maxcpus":
                    maxcpus = n;
                    break;
                case "sockets":
                    sockets = n;
                    break;
                case "dies":
                case "clusters":
                case "cores":
                case "threads":
                    if (n != 1) {
                        throw new IllegalArgumentException(key + "=" + n
                                + ": jvmx's processors are packages of one core and one thread (use sockets=N or N)");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown property '" + key + "'");
            }
        }
        int n = cpus != null ? cpus : sockets != null ? sockets : maxcpus != null ? maxcpus : 1;
        if (n < 1 || n > Machine.MAX_CPUS) {
            throw new IllegalArgumentException("jvmx has 1 to " + Machine.MAX_CPUS + " processors, not " + n);
        }
        if (maxcpus != null && maxcpus != n) {
            throw new IllegalArgumentException("maxcpus=" + maxcpus + ": jvmx has no CPU hot-plug (maxcpus must be the number of processors, " + n + ")");
        }
        if (sockets != null && sockets != n) {
            throw new IllegalArgumentException("sockets=" + sockets + " with " + n + " processors: each processor is its own socket in jvmx");
        }
        return n;
    }

    private static int number(String key, String v) {
        if (!v.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException(key + "=" + v + " is not a number");
        }
        return Integer.parseInt(v);
    }
}
