package dev.jvmx.translator.decode;

/**
 * The opcode maps of SDM Vol. 2 Appendix A, built from the encodings of the {@link Mnemonic}
 * rows when the class loads: the one-byte map, the two-byte (0F) map, the groups selected
 * by ModRM.reg, and the x87 escapes' register forms selected by the whole ModRM byte (A.4.2).
 * Prefix bytes and the 0F escape have no entry: the decoder consumes them first. Two rows
 * claiming one encoding, or a malformed encoding, stop the class from loading (or the build,
 * below). Encodings no row claims are undefined (#UD): opcodes, and the register forms of a
 * group whose rows name register forms by ModRM byte.
 *
 * <p>The encodings' text is parsed when jvmx is built ({@link OpcodeTableWriter}), and a start
 * reads the parsed form ({@link OpcodeTable#PACKED}, bytes in a string constant): parsing the text
 * took about 8 ms of every start, in code HotSpot had not compiled, before the guest's first
 * instruction. Without that build step (an IDE's compile), or with a table packed for other rows
 * (its fingerprint tells), the text is parsed here ({@link OpcodeMapBuilder}).
 */
final class OpcodeMaps {
    static final OpcodeRow[] ONE_BYTE;
    static final OpcodeRow[] TWO_BYTE;
    /**
     * The SSE/SSE2 rows of the 0F map selected by a mandatory prefix (SDM Vol. 2, 2.1.2 and
     * A.3 "Table A-3": the rows marked NP, 66, F3, F2), indexed by {@link #NP}, {@link #P66},
     * {@link #PF3}, {@link #PF2}; null where no row claims the opcode with that prefix, in which
     * case {@link #TWO_BYTE}'s row (#UD for the SSE ranges) stands.
     */
    static final OpcodeRow[][] MANDATORY;
    static final int NP = 0, P66 = 1, PF3 = 2, PF2 = 3;

    private OpcodeMaps() {
    }

    static {
        OpcodeMapBuilder.Maps m = OpcodeMapBuilder.Maps.fromPacked(OpcodeTable.PACKED);
        if (m == null) {
            m = OpcodeMapBuilder.Maps.fromText();
        }
        ONE_BYTE = m.oneByte;
        TWO_BYTE = m.twoByte;
        MANDATORY = m.mandatory;
    }
}
