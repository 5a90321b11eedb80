package dev.jvmx.runtime.inspect;

import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.FirstTierSites;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.vmx.ExitReason;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Formats a {@link CacheSnapshot}: the block table, one block in detail, and the totals. */
public final class InspectReport {
    /** The local the translator stores each instruction's index into (see BlockCompiler). */
    private static final int INDEX_LOCAL = 17;

    /** The table's legend, in lines that fit the 80 columns of picocli's help (which would wrap them again). */
    public static final String COLUMNS =
            "Columns of the block table:%n"
            + "  GUEST      linear address of the block's first instruction (CS base + EIP)%n"
            + "  CS:EIP     the same as segment base and offset%n"
            + "  PHYS       physical address (the translation is keyed by it and by MODE)%n"
            + "  MODE       real/prot/v86, 16/32-bit code, ss32 = 32-bit stack,%n"
            + "             pg = paging, cplN%n"
            + "  T          execution tier: 1 = first tier (shared handlers),%n"
            + "             2 = translated, R = region%n"
            + "  INSNS      guest instructions in the block; BYTES its guest bytes%n"
            + "  EXECS      times the block ran%n"
            + "  CHAIN%%     share of its entries that came through a chain link,%n"
            + "             without a hash lookup%n"
            + "  BCODE      bytes of JVM bytecode in its translated method%n"
            + "             (HotSpot compiles up to 8000)%n"
            + "  TAKEN/NEXT guest addresses of the blocks linked to its taken and%n"
            + "             fall-through exits ('-' unlinked)%n"
            + "  EXITS      VM exits taken from the block (see --block for their reasons)%n"
            + "  FUNCTION   with --symbols: the guest symbol the block starts in,%n"
            + "             and the offset into it%n"
            + "%n"
            + "Columns of the first-tier table (--first-tier), by block start and MODE:%n"
            + "  DECODES    times a block was decoded there (again after an eviction)%n"
            + "  RUNS       first-tier runs over all those decodes, before translation%n"
            + "  INSNS      RUNS times the block's length; SHARE%% of all, CUMUL%% so far%n"
            + "With --symbols, the first-tier report ends with the same instructions%n"
            + "summed by guest function, SITES being the block starts in each.%n";

    private InspectReport() { }

    public static void table(CacheSnapshot s, PrintStream out, String sort, int top) {
        table(s, out, sort, top, null);
    }

    /** The block table; with {@code symbols}, each row names the guest function its block starts in. */
    public static void table(CacheSnapshot s, PrintStream out, String sort, int top, SymbolTable symbols) {
        List<CacheSnapshot.BlockInfo> l = new ArrayList<>(s.blocks);
        Comparator<CacheSnapshot.BlockInfo> c;
        switch (sort) {
            case "addr": c = Comparator.comparingLong(b -> Integer.toUnsignedLong(b.csBase + b.eip)); break;
            case "size": c = Comparator.comparingInt((CacheSnapshot.BlockInfo b) -> b.bytecodeSize).reversed(); break;
            case "exits": c = Comparator.comparingLong(CacheSnapshot.BlockInfo::totalExits).reversed(); break;
            default: c = Comparator.comparingLong((CacheSnapshot.BlockInfo b) -> b.execCount).reversed(); break;
        }
        l.sort(c);
        out.printf("%-9s %-14s %-9s %-15s %1s %5s %5s %12s %6s %6s %-9s %-9s %8s%s%n",
                "GUEST", "CS:EIP", "PHYS", "MODE", "T", "INSNS", "BYTES", "EXECS", "CHAIN%", "BCODE", "TAKEN", "NEXT", "EXITS",
                symbols == null ? "" : "  FUNCTION");
        int n = 0;
        for (CacheSnapshot.BlockInfo b : l) {
            if (top > 0 && n++ >= top) {
                break;
            }
            double chain = percent(b.chainedEntries, b.execCount);
            out.printf("%08x  %04x:%08x %08x  %-15s %1s %5d %5d %12d %6.1f %6d %-9s %-9s %8d%s%n",
                    b.csBase + b.eip, (b.csBase >>> 4) & 0xFFFF, b.eip, b.phys, BlockMode.describe(b.mode),
                    b.tier == 3 ? "R" : Integer.toString(b.tier), b.instructions, b.guestLength, b.execCount, chain, b.bytecodeSize,
                    link(b, 0), link(b, 1), b.totalExits(), symbolColumn(symbols, b.csBase + b.eip));
        }
        totals(s, out);
    }

    private static String link(CacheSnapshot.BlockInfo b, int k) {
        return b.hasSuccessor[k] ? String.format("%08x", b.successorEip[k]) : "-";
    }

    public static void totals(CacheSnapshot s, PrintStream out) {
        long execs = 0, chained = 0, bytecode = 0;
        for (CacheSnapshot.BlockInfo b : s.blocks) {
            execs += b.execCount;
            chained += b.chainedEntries;
            bytecode += b.bytecodeSize;
        }
        long[] tiers = new long[4];
        for (CacheSnapshot.BlockInfo b : s.blocks) {
            tiers[b.tier]++;
        }
        out.printf("%n%d blocks live (%d in the first tier, %d translated, %d regions), %d translations made,"
                        + " %d invalidated%s%n", s.blocks.size(), tiers[1], tiers[2], tiers[3], s.translations, s.invalidations,
                s.evictions >= 0 ? ", " + s.evictions + " evicted" : "");
        if (s.tlbFlushesByCause != null) {
            out.printf("TLB: %s, %d CR3 loads, %d INVLPG%n", TlbFlush.describe(s.tlbFlushesByCause),
                    s.tlbCr3Loads, s.tlbInvlpgs);
        }
        out.printf("%d guest instructions retired, %d (%.1f%%) in the first tier%n", s.guestInstructions,
                s.interpretedInstructions, percent(s.interpretedInstructions, s.guestInstructions));
        out.printf("block entries %d, through chain links %.1f%%; bytecode %d bytes, class files %d bytes%n",
                execs, percent(chained, execs), bytecode, s.classBytesTotal);
        if (s.translations > 0) {
            out.printf("translation: %.1f us per block (%.0f blocks/s)%n",
                    s.translateNanos / 1e3 / s.translations, s.translations / (s.translateNanos / 1e9));
        }
        if (s.footprintBytes >= 0) {
            out.printf("cache footprint (JOL, object graph of the blocks): %d bytes, %.0f bytes per block%n",
                    s.footprintBytes, s.blocks.isEmpty() ? 0.0 : (double) s.footprintBytes / s.blocks.size());
        }
    }

    /** Bounds of the runs-per-decode classes the first-tier report sums instructions by. */
    private static final long[] RUN_CLASSES = {100, 1_000, 10_000, 100_000};

    /**
     * Where the first tier's instructions went, by block start, blocks since evicted, invalidated
     * or translated included: the {@code top} sites with the most, then the instructions by how
     * often a decode of the block ran (code run a few thousand times at each of several decodes
     * is what neither tier serves well).
     */
    public static void firstTier(CacheSnapshot s, PrintStream out, int top) {
        firstTier(s, out, top, null);
    }

    /**
     * As {@link #firstTier(CacheSnapshot, PrintStream, int)}; with {@code symbols}, each row names
     * its guest function, and the report ends with the instructions summed by function.
     */
    public static void firstTier(CacheSnapshot s, PrintStream out, int top, SymbolTable symbols) {
        if (s.firstTierSites.isEmpty()) {
            out.println("no first-tier sites in this dump (written by a jvmx before they were kept, or the first tier ran nothing)");
            return;
        }
        List<FirstTierSites.Site> l = new ArrayList<>(s.firstTierSites);
        l.sort(Comparator.comparingLong(FirstTierSites.Site::instructions).reversed());
        long total = 0;
        for (FirstTierSites.Site t : l) {
            total += t.instructions();
        }
        out.printf("The first tier's instructions by block start, blocks since evicted, invalidated or translated"
                + " included:%n%d sites, %d instructions (runs times block length; the run counted %d)%n%n",
                l.size(), total, s.interpretedInstructions);
        out.printf("%-9s %-24s %7s %12s %13s %7s %7s%s%n", "GUEST", "MODE", "DECODES", "RUNS", "INSNS", "SHARE%", "CUMUL%",
                symbols == null ? "" : "  FUNCTION");
        long sum = 0;
        int n = 0;
        for (FirstTierSites.Site t : l) {
            if (top > 0 && n++ >= top) {
                break;
            }
            sum += t.instructions();
            out.printf("%08x  %-24s %7d %12d %13d %7.2f %7.2f%s%n", t.linear(), BlockMode.describe(t.mode()), t.decodes(),
                    t.runs(), t.instructions(), percent(t.instructions(), total), percent(sum, total),
                    symbolColumn(symbols, t.linear()));
        }
        long[] byClass = new long[RUN_CLASSES.length + 1];
        for (FirstTierSites.Site t : l) {
            long perDecode = t.runs() / Math.max(1, t.decodes());
            int c = 0;
            while (c < RUN_CLASSES.length && perDecode >= RUN_CLASSES[c]) {
                c++;
            }
            byClass[c] += t.instructions();
        }
        out.printf("%nInstructions by runs per decode:");
        for (int c = 0; c < byClass.length; c++) {
            String range = c == 0 ? "under " + RUN_CLASSES[0]
                    : c == RUN_CLASSES.length ? RUN_CLASSES[c - 1] + " and more"
                    : RUN_CLASSES[c - 1] + "-" + (RUN_CLASSES[c] - 1);
            out.printf(" %s %.1f%%%s", range, percent(byClass[c], total), c + 1 < byClass.length ? "," : "");
        }
        out.println();
        if (symbols != null) {
            byFunction(l, total, symbols, out, top);
        }
    }

    /** Outside every symbol: below the first, or (for a table of kernel symbols) user-mode code. */
    static final String NO_SYMBOL = "(no symbol)";

    /** The first tier's instructions summed by the guest function each site starts in, the most first. */
    private static void byFunction(List<FirstTierSites.Site> sites, long total, SymbolTable symbols, PrintStream out,
                                   int top) {
        Map<String, long[]> sums = new HashMap<>();
        for (FirstTierSites.Site t : sites) {
            String f = symbols.function(t.linear());
            long[] v = sums.computeIfAbsent(f == null ? NO_SYMBOL : f, k -> new long[2]);
            v[0] += t.instructions();
            v[1]++;
        }
        List<Map.Entry<String, long[]>> l = new ArrayList<>(sums.entrySet());
        l.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed()
                .thenComparing(Map.Entry::getKey));
        out.printf("%nThe same instructions by guest function (%d functions):%n", l.size());
        out.printf("%13s %7s %7s %5s  %s%n", "INSNS", "SHARE%", "CUMUL%", "SITES", "FUNCTION");
        long sum = 0;
        int n = 0;
        for (Map.Entry<String, long[]> e : l) {
            if (top > 0 && n++ >= top) {
                break;
            }
            long insns = e.getValue()[0];
            sum += insns;
            out.printf("%13d %7.2f %7.2f %5d  %s%n", insns, percent(insns, total), percent(sum, total), e.getValue()[1],
                    e.getKey());
        }
    }

    private static String symbolColumn(SymbolTable symbols, int linear) {
        if (symbols == null) {
            return "";
        }
        String d = symbols.describe(linear);
        return "  " + (d == null ? NO_SYMBOL : d);
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    /**
     * Finds a block by linear address, else by EIP. Where a block and the region that starts at it
     * both live, the region is shown: it is the code that runs there.
     */
    public static CacheSnapshot.BlockInfo find(CacheSnapshot s, int addr) {
        CacheSnapshot.BlockInfo byLinear = null, byEip = null;
        for (CacheSnapshot.BlockInfo b : s.blocks) {
            if (b.csBase + b.eip == addr && (byLinear == null || b.tier > byLinear.tier)) {
                byLinear = b;
            }
            if (b.eip == addr && (byEip == null || b.tier > byEip.tier)) {
                byEip = b;
            }
        }
        return byLinear != null ? byLinear : byEip;
    }

    /** One block: its guest instructions, each beside the bytecode translated from it. */
    public static void detail(CacheSnapshot.BlockInfo b, PrintStream out) {
        out.printf("block %08x (%04x:%08x) phys %08x mode %s: %d instructions, %d guest bytes, %d bytecode bytes, %d runs%n",
                b.csBase + b.eip, (b.csBase >>> 4) & 0xFFFF, b.eip, b.phys, BlockMode.describe(b.mode),
                b.instructions, b.guestLength, b.bytecodeSize, b.execCount);
        boolean any = false;
        for (int r = 0; r < b.exits.length; r++) {
            if (b.exits[r] != 0) {
                ExitReason er = ExitReason.ofNumber(r);
                out.printf("  exits: %-28s %d%n", er == null ? "reason " + r : er.name(), b.exits[r]);
                any = true;
            }
        }
        if (!any) {
            out.println("  exits: none");
        }
        List<String> guest = disassemble(b);
        List<List<String>> code = bytecodeByInstruction(b.classBytes, guest.size());
        out.printf("%n%-50s | %s%n", "GUEST", "JVM BYTECODE (method execute)");
        out.printf("%-50s-+-%s%n", "-".repeat(50), "-".repeat(40));
        printColumn(out, List.of(""), code.get(0)); // prologue
        for (int i = 0; i < guest.size(); i++) {
            printColumn(out, List.of(guest.get(i)), i + 1 < code.size() ? code.get(i + 1) : List.of());
        }
        if (code.size() > guest.size() + 1) {
            out.printf("%-50s-+-%n", "-".repeat(50));
            for (int k = guest.size() + 1; k < code.size(); k++) {
                printColumn(out, List.of(k == guest.size() + 1 ? "(epilogue, fault handler)" : ""), code.get(k));
            }
        }
    }

    private static void printColumn(PrintStream out, List<String> left, List<String> right) {
        int n = Math.max(left.size(), right.size());
        for (int i = 0; i < n; i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            out.printf("%-50s | %s%n", l.length() > 50 ? l.substring(0, 50) : l, r);
        }
    }

    /** The block's instructions, each decoded from its own bytes at its own EIP (a region's members are apart). */
    private static List<String> disassemble(CacheSnapshot.BlockInfo b) {
        List<String> lines = new ArrayList<>();
        boolean code32 = (b.mode & BlockMode.CODE32) != 0;
        int at = 0;
        for (int k = 0; k < b.insnEip.length && at < b.guestBytes.length; k++) {
            final int eip = b.insnEip[k];
            final int start = at;
            Insn insn;
            try {
                insn = Decoder.decode(off -> {
                    int i = start + ((off - eip) & 0xFFFF);
                    return i < b.guestBytes.length ? b.guestBytes[i] & 0xFF : 0;
                }, eip, code32);
            } catch (RuntimeException e) {
                lines.add(String.format("%08x  (undecodable)", eip));
                break;
            }
            StringBuilder hex = new StringBuilder();
            for (int j = 0; j < insn.length && start + j < b.guestBytes.length; j++) {
                hex.append(String.format("%02x", b.guestBytes[start + j] & 0xFF));
            }
            String bytes = hex.length() > 16 ? hex.substring(0, 15) + "+" : hex.toString();
            lines.add(String.format("%08x %-16s %s", eip, bytes, insn));
            at += insn.length;
        }
        return lines;
    }

    /**
     * Splits the translated method's bytecode at the instruction-index stores the translator
     * emits at the start of each guest instruction. Element 0 is the prologue.
     */
    static List<List<String>> bytecodeByInstruction(byte[] classBytes, int guestInsns) {
        List<List<String>> groups = new ArrayList<>();
        groups.add(new ArrayList<>());
        if (classBytes.length == 0) {
            return groups;
        }
        ClassNode cn = new ClassNode();
        new ClassReader(classBytes).accept(cn, 0);
        MethodNode exec = null;
        for (MethodNode m : cn.methods) {
            if (m.name.equals("execute")) {
                exec = m;
            }
        }
        if (exec == null) {
            return groups;
        }
        Textifier t = new Textifier();
        TraceMethodVisitor tmv = new TraceMethodVisitor(t);
        int next = 0;
        boolean pastBody = false;
        for (AbstractInsnNode n = exec.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n instanceof FrameNode || n instanceof LineNumberNode) {
                continue;
            }
            // The store of constant k into the index local starts guest instruction k.
            if (!pastBody && n.getNext() instanceof VarInsnNode && ((VarInsnNode) n.getNext()).var == INDEX_LOCAL
                    && n.getNext().getOpcode() == Opcodes.ISTORE && constant(n) == next && next < guestInsns
                    && groups.size() > 0 && !(next == 0 && groups.get(0).isEmpty())) {
                groups.add(new ArrayList<>());
                next++;
            } else if (!pastBody && next == 0 && constant(n) == 0 && n.getNext() instanceof VarInsnNode
                    && ((VarInsnNode) n.getNext()).var == INDEX_LOCAL && !groups.get(0).isEmpty()) {
                groups.add(new ArrayList<>());
                next++;
            }
            if (next == guestInsns && n.getOpcode() == Opcodes.IRETURN) {
                pastBody = true;
            }
            int before = t.getText().size();
            n.accept(tmv);
            List<Object> text = t.getText();
            StringBuilder sb = new StringBuilder();
            for (int k = before; k < text.size(); k++) {
                sb.append(text.get(k));
            }
            for (String line : sb.toString().split("\n")) {
                if (!line.isBlank()) {
                    groups.get(groups.size() - 1).add(line.stripTrailing().replaceFirst("^    ", ""));
                }
            }
        }
        return groups;
    }

    private static int constant(AbstractInsnNode n) {
        if (n instanceof InsnNode && n.getOpcode() >= Opcodes.ICONST_M1 && n.getOpcode() <= Opcodes.ICONST_5) {
            return n.getOpcode() - Opcodes.ICONST_0;
        }
        if (n instanceof IntInsnNode && (n.getOpcode() == Opcodes.BIPUSH || n.getOpcode() == Opcodes.SIPUSH)) {
            return ((IntInsnNode) n).operand;
        }
        return Integer.MIN_VALUE;
    }
}
