package dev.jvmx.translator.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Instruction lengths and mnemonics against GNU objdump for every opcode of the one-byte and 0F
 * maps, every group extension and a spread of ModRM/SIB/displacement forms, in 16- and 32-bit code
 * with 66/67 prefixes, and in 32-bit code with the F2/F3 prefixes that select SSE rows. Each case sits in its own 16-byte slot padded with NOPs (90), so objdump
 * resynchronises at every slot whatever it made of the previous one; the NOPs also serve as
 * displacement and immediate bytes.
 */
class DecoderObjdumpTest {
    private static final int SLOT = 16;
    private static final int FILL = 0x90;
    private static final int[] PREFIX_BYTES = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};
    /** objdump's condition suffixes in tttn order (SDM Vol. 2 Table B-1). */
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l",
            "ge", "le", "g"};
    /** Prefix words objdump prints before the mnemonic. */
    private static final Set<String> PREFIX_WORDS = Set.of("lock", "rep", "repz", "repnz", "repe", "repne", "data16",
            "data32", "addr16", "addr32", "cs", "ds", "es", "ss", "fs", "gs", "notrack", "bnd", "xacquire",
            "xrelease");

    @BeforeAll
    static void needObjdump() {
        assumeTrue(ObjdumpOracle.available(), "GNU objdump not installed");
    }

    @ParameterizedTest(name = "default32={0} prefixes={1}")
    @CsvSource({"true,''", "true,66", "true,67", "true,66 67", "false,''", "false,66", "false,67", "false,66 67",
        "true,F3", "true,F2", "true,66 F3"})
    void lengthsAndMnemonicsMatchObjdump(boolean default32, String prefixText) throws Exception {
        byte[] prefixes = parse(prefixText);
        List<byte[]> cases = generate(prefixes);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        for (byte[] c : cases) {
            byte[] slot = new byte[SLOT];
            java.util.Arrays.fill(slot, (byte) FILL);
            System.arraycopy(c, 0, slot, 0, c.length);
            image.write(slot);
        }
        byte[] code = image.toByteArray();
        Map<Integer, ObjdumpOracle.Line> oracle = ObjdumpOracle.disassemble(code, default32);

        int compared = 0;
        List<String> failures = new ArrayList<>();
        Set<String> kinds = new java.util.HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            int at = i * SLOT;
            // Fetch relative to the slot: 16-bit IP wraps at 64 KiB, the image is larger.
            Insn insn = Decoder.decode(eip -> code[at + eip] & 0xFF, 0, default32);
            ObjdumpOracle.Line line = oracle.get(at);
            // objdump folds WAIT into a following x87 instruction (FSTSW = 9B DD /7 ...); the CPU does not.
            if (insn.invalid != null || line == null || line.text().contains("(bad)") || insn.opcode == 0x9B) {
                continue;
            }
            // F3 0F 09, BC, BD are WBNOINVD, TZCNT, LZCNT where CPUID reports them; jvmx's CPU does not,
            // and then they run as WBINVD, BSF, BSR (SDM Vol. 2, TZCNT, LZCNT, WBNOINVD), as jvmx decodes them.
            if (insn.hasPrefix(Prefix.REP) && (insn.opcode == 0x0F09 || insn.opcode == 0x0FBC || insn.opcode == 0x0FBD)) {
                continue;
            }
            compared++;
            String objName = objdumpMnemonic(line.text());
            boolean lengthOk = insn.length == line.length();
            boolean nameOk = mnemonicMatches(insn, objName);
            if ((!lengthOk || !nameOk) && kinds.add(objName + "/" + insn.mnemonic + "/" + lengthOk)) {
                failures.add(hex(code, at, Math.max(insn.length, line.length())) + ": objdump " + line.length() + " '"
                        + line.text() + "', decoder " + insn.length + " " + insn.mnemonic);
            }
        }
        assertTrue(compared > 1000, "too few comparable cases: " + compared);
        assertTrue(failures.isEmpty(), failures.size() + " of " + compared + " differ, e.g.\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    /**
     * The x87 escapes in full text: every register form (D8-DF C0-FF), every memory form with a
     * spread of addressing forms, FXSAVE/FXRSTOR and FWAIT, as objdump prints them (the data16 /
     * data32 words it adds for a 66 prefix dropped). Encodings objdump calls (bad) are the
     * undocumented ones Intel executes (see fpu.X87Encodings) or #UD.
     */
    @ParameterizedTest(name = "default32={0} prefixes={1}")
    @CsvSource({"true,''", "true,66", "true,67", "false,''", "false,66", "false,67"})
    void x87TextMatchesObjdump(boolean default32, String prefixText) throws Exception {
        byte[] prefixes = parse(prefixText);
        List<byte[]> cases = new ArrayList<>();
        // Displacement bytes 41 (INC, one byte, so objdump resynchronises after them): positive
        // displacements, whose text the Disassembler gives as objdump does in every mode.
        int[] disp = {0x41, 0x41, 0x41, 0x41};
        for (int op = 0xD8; op <= 0xDF; op++) {
            for (int[] tail : tails()) {
                // (SIB bytes without an index print objdump's %eiz, which the Disassembler leaves out everywhere.)
                if (tail.length > 0 && (tail.length == 1 || (tail[1] & 0x38) != 0x20)) {
                    int[] t = java.util.Arrays.copyOf(tail, tail.length + 4);
                    System.arraycopy(disp, 0, t, tail.length, 4);
                    cases.add(concat(prefixes, new int[] {op}, t));
                }
            }
            for (int modrm = 0xC0; modrm <= 0xFF; modrm++) {
                cases.add(concat(prefixes, new int[] {op, modrm}, new int[0]));
            }
        }
        for (int modrm : new int[] {0x00, 0x08, 0x46, 0x8E, 0x06, 0x0E}) {
            cases.add(concat(prefixes, new int[] {0x0F, 0xAE, modrm}, disp));
        }
        cases.add(new byte[] {(byte) 0x9B});
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        for (byte[] c : cases) {
            byte[] slot = new byte[SLOT];
            java.util.Arrays.fill(slot, (byte) FILL);
            System.arraycopy(c, 0, slot, 0, c.length);
            image.write(slot);
        }
        byte[] code = image.toByteArray();
        Map<Integer, ObjdumpOracle.Line> oracle = ObjdumpOracle.disassemble(code, default32);
        int compared = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int at = i * SLOT;
            Insn insn = Decoder.decode(eip -> code[at + eip] & 0xFF, 0, default32);
            ObjdumpOracle.Line line = oracle.get(at);
            if (insn.invalid != null || line == null || line.text().contains("(bad)")) {
                continue;
            }
            compared++;
            String expected = String.join(" ", ObjdumpOracle.words(line.text()).stream()
                    .filter(w -> !w.equals("data16") && !w.equals("data32") && !w.equals("addr16")
                            && !w.equals("addr32")).toList());
            String actual = String.join(" ", ObjdumpOracle.words(insn.toString()));
            if (insn.length != line.length() || !expected.equals(actual)) {
                failures.add(hex(code, at, Math.max(insn.length, line.length())) + ": objdump " + line.length() + " '"
                        + expected + "', decoder " + insn.length + " '" + actual + "'");
            }
        }
        assertTrue(compared > 1000, "too few comparable cases: " + compared);
        assertTrue(failures.isEmpty(), failures.size() + " of " + compared + " differ, e.g.\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    private static byte[] concat(byte[] prefixes, int[] opcode, int[] tail) {
        byte[] c = new byte[prefixes.length + opcode.length + tail.length];
        System.arraycopy(prefixes, 0, c, 0, prefixes.length);
        for (int k = 0; k < opcode.length; k++) {
            c[prefixes.length + k] = (byte) opcode[k];
        }
        for (int k = 0; k < tail.length; k++) {
            c[prefixes.length + opcode.length + k] = (byte) tail[k];
        }
        return c;
    }

    /** Cases: every opcode; for ModRM opcodes all reg values times a spread of mod/rm/SIB forms. */
    private static List<byte[]> generate(byte[] prefixes) {
        List<byte[]> cases = new ArrayList<>();
        for (int map = 0; map < 2; map++) {
            for (int op = 0; op < 256; op++) {
                if (map == 0 && (op == 0x0F || isPrefix(op))) {
                    continue;
                }
                byte[] opcode = map == 0 ? new byte[] {(byte) op} : new byte[] {0x0F, (byte) op};
                for (int[] tail : tails()) {
                    byte[] c = new byte[prefixes.length + opcode.length + tail.length];
                    System.arraycopy(prefixes, 0, c, 0, prefixes.length);
                    System.arraycopy(opcode, 0, c, prefixes.length, opcode.length);
                    for (int k = 0; k < tail.length; k++) {
                        c[prefixes.length + opcode.length + k] = (byte) tail[k];
                    }
                    cases.add(c);
                }
            }
        }
        return cases;
    }

    private static List<int[]> tails() {
        List<int[]> tails = new ArrayList<>();
        tails.add(new int[0]);
        int[] rms = {0, 4, 5, 6, 7};
        int[] sibs = {0x88, 0x25, 0x24, 0xE5};
        for (int mod = 0; mod < 4; mod++) {
            for (int reg = 0; reg < 8; reg++) {
                for (int rm : rms) {
                    int modrm = mod << 6 | reg << 3 | rm;
                    if (rm == 4 && mod != 3) {
                        for (int sib : sibs) {
                            tails.add(new int[] {modrm, sib});
                        }
                    } else {
                        tails.add(new int[] {modrm});
                    }
                }
            }
        }
        return tails;
    }

    private static boolean isPrefix(int b) {
        for (int p : PREFIX_BYTES) {
            if (p == b) {
                return true;
            }
        }
        return false;
    }

    static String objdumpMnemonic(String text) {
        for (String w : ObjdumpOracle.words(text)) {
            if (!PREFIX_WORDS.contains(w)) {
                return w;
            }
        }
        return "";
    }

    /** Whether objdump's mnemonic (maybe with a b/w/l suffix) names the same instruction. */
    static boolean mnemonicMatches(Insn insn, String obj) {
        if (insn.mnemonic.family() == Family.FPU) {
            // Suffixes and the AT&T names of the reversed forms: the Disassembler's, checked in full below.
            return obj.equals(ObjdumpOracle.words(insn.toString()).get(0));
        }
        for (String expected : expectedNames(insn)) {
            if (obj.equals(expected) || (obj.length() == expected.length() + 1 && obj.startsWith(expected)
                    && "bwl".indexOf(obj.charAt(obj.length() - 1)) >= 0)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> expectedNames(Insn insn) {
        Mnemonic m = insn.mnemonic;
        switch (m) {
            case JCC: return List.of("j" + CC[insn.cond]);
            case SETCC: return List.of("set" + CC[insn.cond]);
            case CMOVCC: return List.of("cmov" + CC[insn.cond]);
            case JMP_IND: return List.of("jmp");
            case CALL_IND: return List.of("call");
            case JMP_FAR: case JMP_FAR_IND: return List.of("ljmp");
            case CALL_FAR: case CALL_FAR_IND: return List.of("lcall");
            case RETF: return List.of("lret");
            case CBW: return List.of("cbtw", "cwtl");
            case CWD: return List.of("cwtd", "cltd");
            case MOVZX: return List.of("movzbw", "movzbl", "movzww", "movzwl");
            case MOVSX: return List.of("movsbw", "movsbl", "movsww", "movswl");
            case MOV_SEG_LOAD: case MOV_SEG_STORE: case MOV_TO_CR: case MOV_FROM_CR: case MOV_TO_DR:
            case MOV_FROM_DR:
                return List.of("mov");
            case PUSH_SEG: return List.of("push");
            case POP_SEG: return List.of("pop");
            case JCXZ: return List.of("jcxz", "jecxz");
            case LOOPE: return List.of("loope", "loopz");
            case LOOPNE: return List.of("loopne", "loopnz");
            case WAIT: return List.of("fwait");
            case SHL: return List.of("shl", "sal");
            case CMPSD_SSE: return List.of("cmpsd");
            case PUSHA: return List.of("pusha", "pushal", "pushaw");
            case POPA: return List.of("popa", "popal", "popaw");
            case NOP: return List.of("nop", "xchg", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2",
                    "prefetchit0", "prefetchit1", "prefetchw", "bndldx", "bndmov", "bndcl", "bndcu", "bndcn", "bndstx",
                    "bndmk", "cldemote", "nopw", "nopl", "endbr32", "endbr64", "rdsspd", "rdsspq");
            default: return List.of(m.name().toLowerCase());
        }
    }

    private static byte[] parse(String text) {
        if (text.isBlank()) {
            return new byte[0];
        }
        String[] parts = text.trim().split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    private static String hex(byte[] code, int at, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && at + i < code.length; i++) {
            sb.append(String.format("%02x ", code[at + i] & 0xFF));
        }
        return sb.toString().trim();
    }
}
