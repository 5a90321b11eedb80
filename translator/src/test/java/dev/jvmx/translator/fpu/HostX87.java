package dev.jvmx.translator.fpu;

import java.io.IOException;

/**
 * The host-CPU oracle: src/test/native/x87oracle.c built with the host's gcc as a 64-bit program
 * ({@link HostProgram}), fed records of one x87 instruction each (see the C file for the record
 * layout).
 */
final class HostX87 {
    static final int REC = 656;
    static final int STATE = 32, MEM = 144;

    private static final HostProgram ORACLE = new HostProgram("x87oracle");

    private HostX87() { }

    /** Null when the oracle can run, else why not. */
    static String unavailableReason() {
        return ORACLE.unavailableReason();
    }

    static String vendor() {
        return HostProgram.vendor();
    }

    /** Runs the records (each REC bytes, concatenated) and returns the results. */
    static byte[] run(byte[] records) throws IOException, InterruptedException {
        return ORACLE.run(records);
    }
}
