package dev.jvmx.cputest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 64-bit path's encoding rule, checked on GNU as's output for thousands of generated lines
 * (needs binutils only, so it runs everywhere): each 64-bit instruction is its IA-32 twin with
 * the address-size prefix 67 added exactly when it addresses memory (a ModRM memory operand
 * or a string instruction), and otherwise the same bytes, except the documented re-encodings:
 * the one-byte INC/DEC (40-4F, REX prefixes in 64-bit mode) as FF /0 or FF /1, XCHG EAX,EAX
 * (90, NOP in 64-bit mode) as 87 C0, and an address with no base and no index (ModRM mod 00
 * r/m 101, RIP-relative in 64-bit mode) as a SIB byte with no base and no index (r/m 100,
 * SIB 25). No REX prefix, so no operand is widened to 64 bits. The x87 lines of the mix with x87
 * ({@link X87Mix}) follow the same rule (a waiting form such as FSTCW is FWAIT and then its
 * no-wait instruction, each under the rule).
 */
class LongModeEncodingTest {
    private static final Pattern STRING = Pattern.compile("(rep[a-z]* )?(movs|stos|lods|cmps|scas)[bwl]");
    private static final Pattern MEMORY = Pattern.compile("\\((%|,)");
    private static final int LEGACY_PREFIXES_COUNT = 11;
    private static final int[] LEGACY = {0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x66, 0x67};

    @Test
    void everyLineIsItsIa32TwinWithAddress32() throws IOException, InterruptedException {
        assumeTrue(run(List.of("as", "--version"), null) == 0, "GNU as is not installed (Debian package binutils)");
        List<String> l32 = new ArrayList<>();
        List<String> l64 = new ArrayList<>();
        for (int k = 0; k < 3000; k++) {
            // the integer mix, then the mix with x87
            FuzzGenerator.Case c = new FuzzGenerator(k, HostMode.X86_64, true, k >= 1500).next(FuzzProgram.BUF_ADDR);
            assertEquals(c.lines.size(), c.longLines.size());
            l32.addAll(c.lines);
            l64.addAll(c.longLines);
        }
        StringBuilder s = new StringBuilder("\t.text\n\t.code32\n");
        for (int i = 0; i < l32.size(); i++) {
            s.append("x32_").append(i).append(":\n\t").append(l32.get(i)).append('\n');
        }
        s.append("x32_end:\n\t.code64\n");
        for (int i = 0; i < l64.size(); i++) {
            s.append("x64_").append(i).append(":\n\t").append(l64.get(i)).append('\n');
        }
        s.append("x64_end:\n");
        Path dir = Files.createTempDirectory("jvmx-enc");
        try {
            Files.writeString(dir.resolve("t.s"), s.toString());
            assertEquals(0, run(List.of("as", "--64", "-o", "t.o", "t.s"), dir), "as failed");
            assertEquals(0, run(List.of("objcopy", "-O", "binary", "-j", ".text", "t.o", "t.bin"), dir), "objcopy failed");
            byte[] text = Files.readAllBytes(dir.resolve("t.bin"));
            Map<String, Integer> sym = symbols(dir);
            int checked = 0, with67 = 0;
            for (int i = 0; i < l32.size(); i++) {
                String a = l32.get(i);
                if (a.endsWith(":")) {
                    continue;
                }
                byte[] b32 = slice(text, sym.get("x32_" + i), sym.get(i + 1 < l32.size() ? "x32_" + (i + 1) : "x32_end"));
                byte[] b64 = slice(text, sym.get("x64_" + i), sym.get(i + 1 < l64.size() ? "x64_" + (i + 1) : "x64_end"));
                String why = check(a, l64.get(i), b32, b64);
                if (why != null) {
                    fail(String.format("%s | %s: 32-bit %s, 64-bit %s: %s", a, l64.get(i), HostFuzzer.hex(b32), HostFuzzer.hex(b64), why));
                }
                checked++;
                with67 += b64.length > b32.length ? 1 : 0;
            }
            assertTrue(checked > 10000 && with67 > 2000, checked + " lines checked, " + with67 + " with 67");
        } finally {
            Exec.deleteTree(dir);
        }
    }

    /** Null if {@code b64} is {@code b32} under the rule, else what differs. */
    private static String check(String ia32, String longMode, byte[] b32, byte[] b64) {
        if (b32.length > 1 && (b32[0] & 0xFF) == 0x9B) {
            // an x87 waiting form (FSTCW, FSTSW, FCLEX, FINIT) is two instructions: FWAIT, then the no-wait one
            if (b64.length < 1 || (b64[0] & 0xFF) != 0x9B) {
                return "FWAIT of a waiting form missing";
            }
            return check(ia32, longMode, Arrays.copyOfRange(b32, 1, b32.length), Arrays.copyOfRange(b64, 1, b64.length));
        }
        int p32 = prefixLength(b32), p64 = prefixLength(b64);
        List<Integer> pre32 = prefixes(b32, p32), pre64 = prefixes(b64, p64);
        byte[] op32 = Arrays.copyOfRange(b32, p32, b32.length), op64 = Arrays.copyOfRange(b64, p64, b64.length);
        // From the IA-32 text alone: a memory operand, a string instruction, or an absolute LEA.
        boolean absolute = ia32.startsWith("lea") && !ia32.contains("(");
        boolean memory = MEMORY.matcher(ia32).find() || STRING.matcher(ia32).matches() || absolute; // (%st(i) is a register)
        List<Integer> want = new ArrayList<>(pre32);
        if (memory) {
            want.add(0x67);
        }
        want.sort(null);
        pre64.sort(null);
        if (!want.equals(pre64)) {
            return "prefixes " + pre64 + ", expected " + want;
        }
        int o = op32[0] & 0xFF;
        if (o >= 0x40 && o <= 0x4F) {
            byte[] ff = {(byte) 0xFF, (byte) ((o < 0x48 ? 0xC0 : 0xC8) | (o & 7))};
            return Arrays.equals(op64, ff) ? null : "one-byte INC/DEC not as FF /0 or FF /1";
        }
        if (op32.length == 1 && o == 0x90 && pre32.isEmpty()) {
            return Arrays.equals(op64, new byte[] {(byte) 0x87, (byte) 0xC0}) ? null : "XCHG EAX,EAX not as 87 C0";
        }
        if (absolute) {
            // mod 00 r/m 101 + disp32  ->  mod 00 r/m 100, SIB 25 (no index, no base) + disp32
            int modrm = op32[1] & 0xFF;
            if ((modrm & 0xC7) != 0x05) {
                return "absolute LEA without ModRM 00/101";
            }
            byte[] sib = new byte[op32.length + 1];
            sib[0] = op32[0];
            sib[1] = (byte) ((modrm & 0x38) | 0x04);
            sib[2] = 0x25;
            System.arraycopy(op32, 2, sib, 3, op32.length - 2);
            return Arrays.equals(op64, sib) ? null : "absolute LEA not as SIB 25";
        }
        return Arrays.equals(op32, op64) ? null : "opcode, ModRM or operands differ";
    }

    private static int prefixLength(byte[] b) {
        int n = 0;
        while (n < b.length && isLegacy(b[n] & 0xFF)) {
            n++;
        }
        return n;
    }

    private static boolean isLegacy(int v) {
        for (int i = 0; i < LEGACY_PREFIXES_COUNT; i++) {
            if (LEGACY[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static List<Integer> prefixes(byte[] b, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(b[i] & 0xFF);
        }
        return l;
    }

    private static byte[] slice(byte[] text, int from, int to) {
        return Arrays.copyOfRange(text, from, to);
    }

    private static Map<String, Integer> symbols(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nm", "t.o").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor(), out);
        Map<String, Integer> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                m.put(f[2], Integer.parseInt(f[0], 16));
            }
        }
        return m;
    }

    private static int run(List<String> cmd, Path dir) throws InterruptedException {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }
}
