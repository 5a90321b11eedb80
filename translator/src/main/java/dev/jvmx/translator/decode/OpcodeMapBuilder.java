package dev.jvmx.translator.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link OpcodeMaps}: from the rows' encodings as written, or from their packed form
 * ({@link #pack}, which the build writes into {@link OpcodeTable}).
 */
final class OpcodeMapBuilder {
    private static final String[] MANDATORY_NAMES = {"NP", "66", "F3", "F2"};

    private OpcodeMapBuilder() {
    }

    /**
     * One encoding of a row, parsed: which map ({@link #ONE}, {@link #TWO}, or {@link #MANDATORY_BASE}
     * plus {@link OpcodeMaps#NP} ... {@link OpcodeMaps#PF2}), the opcode or range
     * {@code first..last}, the group member {@code reg} (-1: none), the register forms' ModRM bytes
     * {@code firstModrm..lastModrm} (-1: none), and the row's operands and fixed operation size.
     */
    record Encoding(Mnemonic mnemonic, int map, int first, int last, int reg, int firstModrm, int lastModrm,
                    OperandSpec[] operands, int fixedSize) {
    }

    static final int ONE = 0, TWO = 1, MANDATORY_BASE = 2;

    /** Every row's encodings, parsed from their text, in the order the rows declare them. */
    static List<Encoding> parseAll() {
        List<Encoding> all = new ArrayList<>();
        for (Mnemonic m : Mnemonic.values()) {
            for (String encoding : m.encodings()) {
                all.add(parse(m, encoding));
            }
        }
        return all;
    }

    /**
     * The packed form of {@code encodings} ({@link OpcodeTable#PACKED}): characters 0-255 only, so
     * the string is stored a byte a character and read back by one copy. A header of the row and
     * operand kind counts and the {@link #fingerprint} of the rows as compiled, then per encoding
     * the row's ordinal in two bytes, the map, first, last, reg + 1, firstModrm and lastModrm (0:
     * none), the fixed size, the operand count and the operands' ordinals.
     */
    static String pack(List<Encoding> encodings) {
        StringBuilder b = new StringBuilder();
        int rows = Mnemonic.values().length, kinds = OperandSpec.values().length;
        if (rows > 0xFFFF || kinds > 0xFF) {
            throw new IllegalStateException(rows + " rows, " + kinds + " operand kinds: more than the packed form"
                    + " holds");
        }
        int f = fingerprint();
        b.append((char) (rows >> 8)).append((char) (rows & 0xFF)).append((char) kinds)
                .append((char) (f >>> 24)).append((char) (f >>> 16 & 0xFF)).append((char) (f >>> 8 & 0xFF))
                .append((char) (f & 0xFF));
        for (Encoding e : encodings) {
            int o = e.mnemonic().ordinal();
            b.append((char) (o >> 8)).append((char) (o & 0xFF)).append((char) e.map()).append((char) e.first())
                    .append((char) e.last()).append((char) (e.reg() + 1))
                    .append((char) (e.firstModrm() < 0 ? 0 : e.firstModrm()))
                    .append((char) (e.lastModrm() < 0 ? 0 : e.lastModrm()))
                    .append((char) e.fixedSize()).append((char) e.operands().length);
            for (OperandSpec s : e.operands()) {
                b.append((char) s.ordinal());
            }
        }
        return b.toString();
    }

    /** Bytes of the packed form's header. */
    private static final int HEADER = 7;

    /**
     * A hash of every row's name and encodings and every operand kind's name, in order: a table
     * the build packed for other rows (an IDE that compiled Mnemonic again without the build step)
     * does not match, and the text is parsed instead. About 0.4 ms of a start, where parsing is 8;
     * computed once ({@link Insn#formKeyFingerprint} asks too).
     */
    static int fingerprint() {
        int h = fingerprint;
        if (h == 0) {
            h = fingerprint = rowsHash();
        }
        return h;
    }

    private static volatile int fingerprint;

    private static int rowsHash() {
        int h = 1;
        for (Mnemonic m : Mnemonic.values()) {
            h = 31 * h + m.name().hashCode();
            for (String e : m.encodings()) {
                h = 31 * h + e.hashCode();
            }
        }
        for (OperandSpec s : OperandSpec.values()) {
            h = 31 * h + s.name().hashCode();
        }
        return h;
    }

    /** The three maps under construction, then finished and checked. */
    static final class Maps {
        final OpcodeRow[] oneByte = new OpcodeRow[256];
        final OpcodeRow[] twoByte = new OpcodeRow[256];
        final OpcodeRow[][] mandatory = new OpcodeRow[4][256];

        /** The maps from the rows' text. */
        static Maps fromText() {
            Maps m = new Maps();
            for (Mnemonic r : Mnemonic.values()) {
                for (String encoding : r.encodings()) {
                    m.place(parse(r, encoding), encoding);
                }
            }
            m.finish();
            return m;
        }

        /** The maps from {@link #pack}'s form; null without one, or one made for other enums. */
        static Maps fromPacked(String packed) {
            if (packed == null) {
                return null;
            }
            byte[] p = packed.getBytes(StandardCharsets.ISO_8859_1);
            Mnemonic[] rows = Mnemonic.values();
            OperandSpec[] kinds = OperandSpec.values();
            if (p.length < HEADER || ((p[0] & 0xFF) << 8 | p[1] & 0xFF) != rows.length || (p[2] & 0xFF) != kinds.length
                    || ((p[3] & 0xFF) << 24 | (p[4] & 0xFF) << 16 | (p[5] & 0xFF) << 8 | p[6] & 0xFF) != fingerprint()) {
                return null;
            }
            Maps m = new Maps();
            int i = HEADER;
            while (i < p.length) {
                Mnemonic r = rows[(p[i] & 0xFF) << 8 | p[i + 1] & 0xFF];
                int map = p[i + 2], first = p[i + 3] & 0xFF, last = p[i + 4] & 0xFF, reg = p[i + 5] - 1;
                int firstModrm = p[i + 6] & 0xFF, lastModrm = p[i + 7] & 0xFF, fixed = p[i + 8], n = p[i + 9];
                i += 10;
                OperandSpec[] ops = n == 0 ? NO_OPERANDS : new OperandSpec[n];
                for (int k = 0; k < n; k++) {
                    ops[k] = kinds[p[i++]];
                }
                m.place(new Encoding(r, map, first, last, reg, firstModrm == 0 ? -1 : firstModrm,
                        lastModrm == 0 ? -1 : lastModrm, ops, fixed), null);
            }
            m.finish();
            return m;
        }

        /** Puts {@code e}'s row into its map ({@code text}: the encoding as written, for errors; null if packed). */
        void place(Encoding e, String text) {
            OpcodeRow[] map = e.map() == ONE ? oneByte : e.map() == TWO ? twoByte : mandatory[e.map() - MANDATORY_BASE];
            // An error names the encoding as written (null for the packed form, whose encodings were
            // checked when it was written: nothing is built for a message that cannot come).
            String encoding = text;
            OpcodeRow row = new OpcodeRow(e.mnemonic(), e.operands(), e.fixedSize());
            if (e.firstModrm() >= 0) {
                OpcodeRow g = groupAt(map, e.first(), e.mnemonic(), encoding);
                for (int k = e.firstModrm(); k <= e.lastModrm(); k++) {
                    claim(g.registers, k - 0xC0, row, encoding);
                }
                return;
            }
            for (int b = e.first(); b <= e.last(); b++) {
                if (e.reg() < 0) {
                    claim(map, b, row, encoding);
                } else {
                    claim(groupAt(map, b, e.mnemonic(), encoding).group, e.reg(), row, encoding);
                }
            }
        }

        /** Fills the undefined slots and checks the groups and the prefix bytes. */
        void finish() {
            OpcodeRow undefined = new OpcodeRow(Mnemonic.INVALID, NO_OPERANDS, 0);
            for (OpcodeRow[] map : new OpcodeRow[][] {oneByte, twoByte}) {
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
            for (OpcodeRow[] map : mandatory) {
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
                if (oneByte[b].mnemonic != Mnemonic.INVALID || oneByte[b].operands.length != 0) {
                    throw new IllegalStateException(String.format("%02X is a prefix byte, not an opcode", b));
                }
            }
        }
    }

    /**
     * Parses one encoding, e.g. {@code "0F BA/4 Ev,Ib"}, {@code "66 0F 6F Vx,Wx"}, {@code "B8-BF Zv,Iz"},
     * {@code "A4 @b"}, {@code "D8 C0-C7 ST0,STi"} (a register form by its ModRM byte).
     */
    static Encoding parse(Mnemonic m, String encoding) {
        String[] words = words(encoding);
        int w = 0;
        int map = ONE;
        int prefix = mandatoryPrefix(words[0]);
        if (prefix >= 0) {
            // "66 0F 6F Vx,Wx": a row of the 0F map under a mandatory prefix.
            if (words.length < 3 || !words[1].equals("0F") || !isOpcode(words[2])) {
                throw new IllegalStateException("'" + encoding + "' (" + m + "): a mandatory prefix goes before 0F xx");
            }
            map = MANDATORY_BASE + prefix;
            w = 2;
        } else if (words[0].equals("0F") && words.length > 1 && isOpcode(words[1])) {
            map = TWO;
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
        // The operands, "op,op", and an optional @b/@w that fixes the operation size.
        OperandSpec[] ops = NO_OPERANDS;
        int fixed = 0;
        for (int i = w + 1; i < words.length; i++) {
            String word = words[i];
            if (word.equals("@b")) {
                fixed = 1;
            } else if (word.equals("@w")) {
                fixed = 2;
            } else {
                ops = operands(word);
            }
        }
        return new Encoding(m, map, first, last, reg, firstModrm, lastModrm, ops, fixed);
    }

    private static final OperandSpec[] NO_OPERANDS = new OperandSpec[0];

    /** "Ev,Gv": the operands, split at the commas. */
    private static OperandSpec[] operands(String w) {
        int n = 1;
        for (int i = 0; i < w.length(); i++) {
            if (w.charAt(i) == ',') {
                n++;
            }
        }
        OperandSpec[] ops = new OperandSpec[n];
        int start = 0;
        for (int k = 0; k < n; k++) {
            int end = w.indexOf(',', start);
            if (end < 0) {
                end = w.length();
            }
            ops[k] = OperandSpec.of(w.substring(start, end));
            start = end + 1;
        }
        return ops;
    }

    /** {@link OpcodeMaps#NP} ... {@link OpcodeMaps#PF2} for "NP", "66", "F3", "F2"; -1 for any other word. */
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
     * The words of an encoding, split at spaces (without a regular expression: with String.split
     * and String.matches building the maps at a start took about 30 ms, before they were packed).
     */
    static String[] words(String text) {
        List<String> words = new ArrayList<>();
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
