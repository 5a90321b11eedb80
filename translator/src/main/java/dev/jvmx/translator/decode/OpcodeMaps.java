package dev.jvmx.translator.decode;

/**
 * The opcode maps of SDM Vol. 2 Appendix A, built from the encodings of the {@link Mnemonic}
 * rows when the class loads: the one-byte map, the two-byte (0F) map, the groups selected
 * by ModRM.reg, and the x87 escapes' register forms selected by the whole ModRM byte (A.4.2).
 * Prefix bytes and the 0F escape have no entry: the decoder consumes them first. Two rows
 * claiming one encoding, or a malformed encoding, stop the class from loading. Encodings no
 * row claims are undefined (#UD): opcodes, and the register forms of a group whose rows name
 * register forms by ModRM byte.
 */
final class OpcodeMaps {
    static final OpcodeRow[] ONE_BYTE = new OpcodeRow[256];
    static final OpcodeRow[] TWO_BYTE = new OpcodeRow[256];
    /**
     * The SSE/SSE2 rows of the 0F map selected by a mandatory prefix (SDM Vol. 2, 2.1.2 and
     * A.3 "Table A-3": the rows marked NP, 66, F3, F2), indexed by {@link #NP}, {@link #P66},
     * {@link #PF3}, {@link #PF2}; null where no row claims the opcode with that prefix, in which
     * case {@link #TWO_BYTE}'s row (#UD for the SSE ranges) stands.
     */
    static final OpcodeRow[][] MANDATORY = new OpcodeRow[4][256];
    static final int NP = 0, P66 = 1, PF3 = 2, PF2 = 3;
    private static final String[] MANDATORY_NAMES = {"NP", "66", "F3", "F2"};

    private OpcodeMaps() {
    }

    static {
        for (Mnemonic m : Mnemonic.values()) {
            for (String encoding : m.encodings()) {
                add(m, encoding);
            }
        }
        OpcodeRow undefined = OpcodeRow.parse(Mnemonic.INVALID, "");
        for (OpcodeRow[] map : new OpcodeRow[][] {ONE_BYTE, TWO_BYTE}) {
            for (int i = 0; i < 256; i++) {
                if (map[i] == null) {
                    map[i] = undefined;
                } else if (map[i].group != null) {
                    OpcodeRow g = map[i];
                    for (int r = 0; r < 8; r++) {
                        if (g.group[r] == null) {
                            throw new IllegalStateException(String.format("group %02X has no row for /%d", i, r));
                        }
                    }
                    if (g.hasRegisterForms()) {
                        for (int k = 0; k < 64; k++) {
                            if (g.registers[k] == null) {
                                g.registers[k] = undefined;
                            }
                        }
                    }
                }
            }
        }
        // A group of the mandatory-prefix maps (66 0F 71-73): members no row names are #UD, with
        // the operands of their siblings so that the length still comes out right.
        for (OpcodeRow[] map : MANDATORY) {
            for (OpcodeRow g : map) {
                if (g == null || g.group == null) {
                    continue;
                }
                OpcodeRow sibling = null;
                for (OpcodeRow r : g.group) {
                    sibling = r != null ? r : sibling;
                }
                for (int r = 0; r < 8; r++) {
                    if (g.group[r] == null) {
                        g.group[r] = new OpcodeRow(Mnemonic.INVALID, sibling.operands, 0);
                    }
                }
            }
        }
        // The prefixes and the 0F escape are consumed by the decoder; a row for them would be dead.
        for (int b : new int[] {0x0F, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3}) {
            if (ONE_BYTE[b].mnemonic != Mnemonic.INVALID || ONE_BYTE[b].operands.length != 0) {
                throw new IllegalStateException(String.format("%02X is a prefix byte, not an opcode", b));
            }
        }
    }

    /**
     * Parses one encoding, e.g. {@code "0F BA/4 Ev,Ib"}, {@code "66 0F 6F Vx,Wx"}, {@code "B8-BF Zv,Iz"}, {@code "A4 @b"},
     * {@code "D8 C0-C7 ST0,STi"} (a register form by its ModRM byte), into the maps. The words are
     * read in place, without a string per word or per number: the maps are built at every start,
     * before the guest's first instruction, by code HotSpot has not compiled yet.
     */
    private static void add(Mnemonic m, String encoding) {
        String[] words = words(encoding);
        int w = 0;
        OpcodeRow[] map = ONE_BYTE;
        int prefix = mandatoryPrefix(words[0]);
        if (prefix >= 0) {
            // "66 0F 6F Vx,Wx": a row of the 0F map under a mandatory prefix.
            if (words.length < 3 || !words[1].equals("0F") || !isOpcode(words[2])) {
                throw new IllegalStateException("'" + encoding + "' (" + m + "): a mandatory prefix goes before 0F xx");
            }
            map = MANDATORY[prefix];
            w = 2;
        } else if (words[0].equals("0F") && words.length > 1 && isOpcode(words[1])) {
            map = TWO_BYTE;
            w = 1;
        }
        // "B8", "B8-BF" or "BA/4"
        String op = words[w];
        int reg = -1;
        int first = hexByte(op, 0, encoding);
        int last = first;
        if (op.length() == 4 && op.charAt(2) == '/') {
            reg = op.charAt(3) - '0';
        } else if (op.length() == 5 && op.charAt(2) == '-') {
            last = hexByte(op, 3, encoding);
        } else if (op.length() != 2) {
            throw new IllegalStateException("'" + encoding + "' (" + m + "): '" + op + "' is not an opcode");
        }
        int firstModrm = -1, lastModrm = -1;
        if (w + 1 < words.length && isModrmRange(words[w + 1])) {
            if (reg >= 0 || first != last) {
                throw new IllegalStateException("'" + encoding + "' (" + m + "): a ModRM byte follows one opcode");
            }
            String mr = words[++w];
            firstModrm = hexByte(mr, 0, encoding);
            lastModrm = mr.length() > 2 ? hexByte(mr, 3, encoding) : firstModrm;
        }
        OpcodeRow row = OpcodeRow.parse(m, words, w + 1);
        if (firstModrm >= 0) {
            OpcodeRow g = groupAt(map, first, m, encoding);
            for (int k = firstModrm; k <= lastModrm; k++) {
                claim(g.registers, k - 0xC0, row, encoding);
            }
            return;
        }
        for (int b = first; b <= last; b++) {
            if (reg < 0) {
                claim(map, b, row, encoding);
            } else {
                claim(groupAt(map, b, m, encoding).group, reg, row, encoding);
            }
        }
    }

    /** {@link #NP} ... {@link #PF2} for "NP", "66", "F3", "F2"; -1 for any other word. */
    private static int mandatoryPrefix(String word) {
        if (word.length() != 2) {
            return -1;
        }
        for (int i = 0; i < MANDATORY_NAMES.length; i++) {
            if (word.equals(MANDATORY_NAMES[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The two hex digits at {@code at} ("0"-"9", "A"-"F") as a byte. */
    private static int hexByte(String word, int at, String encoding) {
        int hi = at + 1 < word.length() ? HEX.indexOf(word.charAt(at)) : -1;
        int lo = hi >= 0 ? HEX.indexOf(word.charAt(at + 1)) : -1;
        if (lo < 0) {
            throw new IllegalStateException("'" + encoding + "': '" + word + "' is not hex");
        }
        return hi << 4 | lo;
    }

    private static final String HEX = "0123456789ABCDEF";

    /** The group at opcode {@code b}, made on first use. */
    private static OpcodeRow groupAt(OpcodeRow[] map, int b, Mnemonic m, String encoding) {
        OpcodeRow g = map[b];
        if (g == null) {
            g = map[b] = OpcodeRow.group();
        } else if (g.group == null) {
            throw new IllegalStateException("'" + encoding + "' (" + m + ") puts a group on an opcode that "
                    + g.mnemonic + " holds");
        }
        return g;
    }

    /**
     * The words of an encoding, split at spaces. The maps are built at every start, before the
     * guest's first instruction: with a regular expression compiled per word (String.split and
     * String.matches) building them took about 30 ms.
     */
    static String[] words(String text) {
        java.util.List<String> words = new java.util.ArrayList<>();
        int i = 0, n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(text.substring(start, i));
            }
        }
        return words.toArray(new String[0]);
    }

    /** "0F", "B8-BF", "BA/4": an opcode, a range of them, or a group member. */
    private static boolean isOpcode(String word) {
        int n = word.length();
        if (n == 4 && word.charAt(2) == '/') {
            char r = word.charAt(3);
            return isHexByte(word, 0, HEX) && r >= '0' && r <= '7';
        }
        return n == 2 ? isHexByte(word, 0, HEX)
                : n == 5 && word.charAt(2) == '-' && isHexByte(word, 0, HEX) && isHexByte(word, 3, HEX);
    }

    /** "C0", "C0-C7": a register form's ModRM byte, or a range of them. */
    private static boolean isModrmRange(String word) {
        int n = word.length();
        return n == 2 ? isHexByte(word, 0, "CDEF")
                : n == 5 && word.charAt(2) == '-' && isHexByte(word, 0, "CDEF") && isHexByte(word, 3, "CDEF");
    }

    /** Two upper-case hex digits at {@code at}, the first one of {@code firstDigits}. */
    private static boolean isHexByte(String word, int at, String firstDigits) {
        return firstDigits.indexOf(word.charAt(at)) >= 0 && HEX.indexOf(word.charAt(at + 1)) >= 0;
    }

    private static void claim(OpcodeRow[] slots, int i, OpcodeRow row, String encoding) {
        if (slots[i] != null) {
            throw new IllegalStateException("'" + encoding + "' (" + row.mnemonic + ") clashes with "
                    + (slots[i].mnemonic != null ? slots[i].mnemonic : "a group"));
        }
        slots[i] = row;
    }
}
