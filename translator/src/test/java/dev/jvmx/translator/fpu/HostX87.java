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

    /**
     * Whether the host's x87 is an oracle for the library, which models Intel's: Intel's, and AMD's,
     * whose results agreed with the library's on an EPYC of family 25 (400,000 vectors of
     * {@link HostOracleTest}, none apart; the transcendentals' last ulp, in which Intel's host
     * differs from the library too, is allowed for either). Other vendors' are not known.
     */
    static boolean oracleVendor() {
        String v = vendor();
        return v.equals("GenuineIntel") || v.equals("AuthenticAMD");
    }

    /** Runs the records (each REC bytes, concatenated) and returns the results. */
    static byte[] run(byte[] records) throws IOException, InterruptedException {
        return ORACLE.run(records);
    }
}
