package dev.jvmx.translator.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs GNU objdump on raw bytes: the oracle for instruction boundaries, mnemonics and AT&T text. */
final class ObjdumpOracle {
    /** One instruction as objdump sees it. */
    record Line(int address, int length, String text) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+?)\\s*\\t(.*)$");

    private ObjdumpOracle() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Disassembles {@code code} as 32-bit ({@code -m i386}) or 16-bit ({@code -m i8086}) code. */
    static Map<Integer, Line> disassemble(byte[] code, boolean default32) throws IOException, InterruptedException {
        Path bin = Files.createTempFile("jvmx-decode", ".bin");
        Path out = Files.createTempFile("jvmx-decode", ".txt");
        try {
            Files.write(bin, code);
            Process p = new ProcessBuilder("objdump", "-D", "-z", "--insn-width=16", "-b", "binary", "-m",
                    default32 ? "i386" : "i8086", bin.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("objdump failed: " + Files.readString(out));
            }
            Map<Integer, Line> lines = new HashMap<>();
            for (String s : Files.readAllLines(out)) {
                Matcher m = LINE.matcher(s);
                if (m.matches()) {
                    int address = Integer.parseInt(m.group(1), 16);
                    int length = m.group(2).trim().split(" ").length;
                    lines.put(address, new Line(address, length, m.group(3).trim()));
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(bin);
            Files.deleteIfExists(out);
        }
    }

    static List<String> words(String text) {
        List<String> w = new ArrayList<>();
        for (String s : text.split("\\s+")) {
            if (!s.isEmpty()) {
                w.add(s);
            }
        }
        return w;
    }
}
