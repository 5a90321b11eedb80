package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.Vmcs;
import dev.jvmx.translator.helpers.Segmentation;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both tiers' code for every encoding: every instruction the decoder can produce (each opcode
 * with register and memory ModRM forms, with and without an operand-size prefix, and the 0F map
 * with the SSE prefixes F2 and F3) compiles to a first-tier handler and to a translated block that
 * the JVM's verifier accepts, in real mode, flat 32-bit protected mode at CPL 0 and 3, and
 * virtual-8086 mode. The sweep reaches every mnemonic, so one without an emitter fails it.
 */
class EmittersTest {
    private static final int REAL16 = 0;
    private static final int FLAT32_CPL0 = BlockMode.CODE32 | BlockMode.STACK32 | BlockMode.PE | zeroBases();
    private static final int FLAT32_CPL3 = FLAT32_CPL0 | 3 << BlockMode.CPL_SHIFT;
    private static final int V86 = BlockMode.PE | BlockMode.VM | 3 << BlockMode.CPL_SHIFT;

    private static int zeroBases() {
        return 0x3F << Segmentation.MODE_ZERO_BASE_SHIFT;
    }

    @Test
    void everyEncodingCompilesInBothTiersAndVerifies() throws Exception {
        MethodHandles.Lookup lookup = BlockLoader.lookup();
        ExecutionControls controls = ExecutionControls.exitEverything(new Vmcs());
        Set<Mnemonic> seen = EnumSet.noneOf(Mnemonic.class);
        Set<String> done = new java.util.HashSet<>();
        int compiled = 0;
        for (int[] bytes : encodings()) {
            for (int mode : new int[] {REAL16, FLAT32_CPL0, FLAT32_CPL3, V86}) {
                Insn insn = Decoder.decode(off -> off - 0x1000 < bytes.length ? bytes[off - 0x1000] : 0, 0x1000,
                        (mode & BlockMode.CODE32) != 0);
                seen.add(insn.mnemonic);
                // One of each form per mode: the others compile to the same code.
                if (!done.add(insn.form() + mode)) {
                    continue;
                }
                String what = insn + " in mode " + BlockMode.describe(mode);
                try {
                    HandlerCompiler.Result h = new HandlerCompiler(mode).compile(insn);
                    lookup.defineHiddenClass(h.classBytes(), true);
                    BlockCompiler.Result b = new BlockCompiler(mode, controls).compile(List.of(insn));
                    lookup.defineHiddenClass(b.classBytes, true);
                    compiled++;
                } catch (RuntimeException | LinkageError | IllegalAccessException e) {
                    throw new AssertionError(what + ": " + e, e);
                }
            }
        }
        Set<Mnemonic> missing = EnumSet.complementOf(EnumSet.copyOf(seen));
        assertEquals(Set.of(), missing, "mnemonics the sweep did not reach");
        System.out.println("EmittersTest: " + compiled + " forms compiled");
        assertTrue(compiled > 2000, "compiled " + compiled);
    }

    /**
     * Every one- and two-byte opcode with a register and several memory ModRM bytes, with and
     * without 66 (and REP; F2 and F3 before 0F); every x87 register form and every register form of group 0F 01.
     */
    private static List<int[]> encodings() {
        int[] modrms = {0xC1, 0x03, 0x44, 0x06};
        List<int[]> list = new ArrayList<>();
        for (int prefix : new int[] {-1, 0x66, 0xF3, 0xF2}) {
            for (int twoByte = 0; twoByte < 2; twoByte++) {
                for (int op = 0; op < 256; op++) {
                    boolean repeatable = twoByte == 0 && (op >= 0xA4 && op <= 0xAF || op >= 0x6C && op <= 0x6F);
                    if (prefix >= 0xF2 && !repeatable && twoByte == 0) {
                        continue; // REP changes only the string instructions; F2 and F3 select SSE rows in 0F
                    }
                    for (int reg = 0; reg < 8; reg++) {
                        for (int m : modrms) {
                            List<Integer> b = new ArrayList<>();
                            if (prefix >= 0) {
                                b.add(prefix);
                            }
                            if (twoByte == 1) {
                                b.add(0x0F);
                            }
                            b.add(op);
                            b.add((m & 0xC7) | reg << 3);
                            // SIB, displacement and immediates: plenty of bytes for any form.
                            for (int k = 0; k < 10; k++) {
                                b.add(0x11 * (k + 1) & 0xFF);
                            }
                            list.add(b.stream().mapToInt(Integer::intValue).toArray());
                        }
                    }
                }
            }
        }
        // The x87 escapes select register forms by the whole ModRM byte: every one of them.
        for (int prefix : new int[] {-1, 0x66}) {
            for (int op = 0xD8; op <= 0xDF; op++) {
                for (int modrm = 0xC0; modrm <= 0xFF; modrm++) {
                    list.add(prefix < 0 ? new int[] {op, modrm} : new int[] {prefix, op, modrm});
                }
            }
        }
        // So does group 0F 01 (RDTSCP, CLAC, STAC beside SMSW and LMSW): every one of them.
        for (int modrm = 0xC0; modrm <= 0xFF; modrm++) {
            list.add(new int[] {0x0F, 0x01, modrm});
        }
        // F3 90 is PAUSE; 0F 0B is UD2.
        list.add(new int[] {0xF3, 0x90});
        list.add(new int[] {0x0F, 0x0B});
        return list;
    }
}
