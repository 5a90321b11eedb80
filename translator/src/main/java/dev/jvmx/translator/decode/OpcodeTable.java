package dev.jvmx.translator.decode;

/**
 * The opcode maps' encodings as the build parsed them ({@link OpcodeTableWriter}, which replaces
 * this class file with one whose {@link #PACKED} is a constant).
 */
final class OpcodeTable {
    private OpcodeTable() { }

    /** {@link OpcodeMapBuilder#pack}'s form of every row's encodings; null where the build step did not run. */
    static final String PACKED = notWritten();

    private static String notWritten() {
        return null;
    }
}
