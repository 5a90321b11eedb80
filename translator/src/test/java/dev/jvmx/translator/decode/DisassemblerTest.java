package dev.jvmx.translator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Insn.toString() against objdump's AT&T text for common instructions (whitespace normalised). */
class DisassemblerTest {
    private static final String[] COMMON_32 = {
        "01 d8", "03 45 08", "29 c8", "31 c0", "39 d1", "83 c0 01", "83 ec 10", "81 c3 78 56 34 12", "80 38 05",
        "85 c0", "a8 01", "f7 c1 00 01 00 00", "40", "4b", "ff 45 fc", "fe c8", "f7 d8", "f7 d0", "f7 e1", "f7 f9",
        "0f af c2", "6b c0 0c", "69 d2 e8 03 00 00", "d1 e0", "c1 e8 04", "d3 f8", "d0 d0", "0f a4 c2 04",
        "0f ad d0", "89 c3", "8b 44 8d 10", "8b 04 24", "8b 0d 78 56 34 12", "a1 78 56 34 12", "a3 00 10 00 00",
        "b8 34 12 00 00", "b0 7f", "66 b8 34 12", "c7 00 01 00 00 00", "c6 45 ff 00", "8d 44 24 04",
        "0f b6 c0", "0f b7 08", "0f be c1", "0f bf 45 08", "87 d8", "93", "0f c1 02", "0f b1 11", "0f c7 0f",
        "0f c8", "50", "5d", "6a 01", "68 00 10 00 00", "ff 30", "8f 00", "60", "61", "9c", "9d", "c9",
        "c8 10 00 00", "c3", "c2 08 00", "cb", "ca 04 00", "e8 00 00 00 00", "e9 fb ff ff ff", "eb fe", "74 02",
        "0f 85 00 01 00 00", "ff d0", "ff 24 85 00 10 00 00", "ff 15 00 20 00 00", "ea 00 00 00 00 08 00",
        "9a 00 10 00 00 10 00", "e2 fe", "e3 00", "cd 80", "cc", "cf", "0f 94 c0", "0f 4f c1", "0f a3 c8",
        "0f ba e0 05", "0f bc c1", "0f bd c1", "98", "99", "9e", "9f", "f8", "f9", "f5", "fc", "fd", "fa", "fb",
        "f4", "90", "f3 90", "e4 60", "e6 80", "ec", "ed", "ee", "ef", "0f 01 15 00 10 00 00", "0f 00 d8",
        "0f 20 c0", "0f 22 d8", "0f 23 f8", "0f a2", "0f 31", "0f 32", "0f 30", "8e d8", "8c c8", "06", "1f",
        "0f a0", "0f a9", "a4", "f3 a5", "f3 ab", "f3 a6", "f2 ae", "ac", "6c", "6f", "d7", "27", "2f", "37",
        "3f", "d4 0a", "d5 0a", "f0 01 08", "64 8b 00", "26 89 01", "0f 01 38", "0f 06", "0f 09", "0f 34",
        "0f 35", "63 c8"
    };

    @Test
    void commonInstructionsMatchObjdump() throws Exception {
        assumeTrue(ObjdumpOracle.available(), "GNU objdump not installed");
        List<byte[]> cases = new ArrayList<>();
        for (String hex : COMMON_32) {
            String[] parts = hex.split(" ");
            byte[] b = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            cases.add(b);
        }
        int total = cases.stream().mapToInt(b -> b.length).sum();
        byte[] code = new byte[total];
        int[] starts = new int[cases.size()];
        int at = 0;
        for (int i = 0; i < cases.size(); i++) {
            starts[i] = at;
            System.arraycopy(cases.get(i), 0, code, at, cases.get(i).length);
            at += cases.get(i).length;
        }
        Map<Integer, ObjdumpOracle.Line> oracle = ObjdumpOracle.disassemble(code, true);
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Insn insn = Decoder.decode(eip -> code[eip] & 0xFF, starts[i], true);
            ObjdumpOracle.Line line = oracle.get(starts[i]);
            String expected = line == null ? "<no line>" : normalise(line.text());
            String actual = normalise(insn.toString());
            if (!expected.equals(actual)) {
                diffs.add(COMMON_32[i] + ": objdump '" + expected + "' decoder '" + actual + "'");
            }
        }
        assertEquals(List.of(), diffs);
    }

    private static String normalise(String text) {
        return String.join(" ", ObjdumpOracle.words(text)).replace(", ", ",");
    }
}
