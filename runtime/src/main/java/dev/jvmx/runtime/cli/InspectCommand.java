package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.inspect.CacheSnapshot;
import dev.jvmx.runtime.inspect.InspectReport;
import dev.jvmx.runtime.inspect.SymbolTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `jvmx inspect`: the translation cache of a run, from a dump written by `jvmx boot --dump-cache`. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        header = "Shows the translated blocks of a run (from 'jvmx boot --dump-cache').",
        description = {"Shows which blocks were translated, how hot they are, how they are chained, the VM exits they"
                + " take, and one block's guest code beside its bytecode. Write the dump with: jvmx boot --dump-cache"
                + " FILE ...  (or see it live with jvmx boot --inspect).",
            "",
            InspectReport.COLUMNS})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DUMP", description = "A file written by 'jvmx boot --dump-cache'.")
    Path dump;

    @Option(names = "--block", paramLabel = "ADDR", description = "Show one block in detail: its guest instructions, each beside the JVM bytecode translated from it (hex linear address or EIP; where a region starts at a block, the region).")
    String block;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "exec", description = "Order of the table: exec (hottest first), addr, size (bytecode), exits (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--first-tier", description = "Instead of the block table, show where the first tier's instructions went, by block start: blocks since evicted, invalidated or translated included (in dumps of this jvmx).")
    boolean firstTier;

    @Option(names = "--top", paramLabel = "N", defaultValue = "30", description = "Rows in the table; 0 for all (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--symbols", paramLabel = "FILE", description = "Name each block after the guest function it starts in, from a symbol table as System.map, nm or /proc/kallsyms write it (ADDRESS TYPE NAME); the first-tier report then also sums its instructions by function.")
    Path symbols;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(dump)) {
            System.err.println("jvmx: dump file not found: " + dump);
            return Main.EXIT_USAGE;
        }
        if (!sort.matches("exec|addr|size|exits")) {
            System.err.println("jvmx: --sort must be exec, addr, size or exits, got '" + sort + "'");
            return Main.EXIT_USAGE;
        }
        CacheSnapshot s;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dump))) {
            s = CacheSnapshot.read(in);
        } catch (IOException e) {
            System.err.println("jvmx: cannot read " + dump + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        SymbolTable table = null;
        if (symbols != null) {
            try (Reader r = Files.newBufferedReader(symbols, StandardCharsets.ISO_8859_1)) {
                table = SymbolTable.read(r);
            } catch (NoSuchFileException e) {
                System.err.println("jvmx: symbol file not found: " + symbols);
                return Main.EXIT_USAGE;
            } catch (IOException e) {
                System.err.println("jvmx: cannot read symbols from " + symbols + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        }
        if (block != null) {
            int addr;
            try {
                addr = (int) Long.parseLong(block.replaceFirst("^0[xX]", ""), 16);
            } catch (NumberFormatException e) {
                System.err.println("jvmx: --block expects a hex address, got '" + block + "'");
                return Main.EXIT_USAGE;
            }
            CacheSnapshot.BlockInfo b = InspectReport.find(s, addr);
            if (b == null) {
                System.err.printf("jvmx: no block at %08x in %s%n", addr, dump);
                return 1;
            }
            InspectReport.detail(b, System.out);
            return 0;
        }
        if (firstTier) {
            InspectReport.firstTier(s, System.out, top, table);
            return 0;
        }
        InspectReport.table(s, System.out, sort, top, table);
        return 0;
    }
}
