package dev.jvmx.cputest;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which x87 escapes the 286 data can check (it recorded no change for any of them). */
class SkipRulesTest {
    private static SkipRules.Rule rule(int... bytes) {
        Insn insn = Decoder.decode(off -> off < bytes.length ? bytes[off] : 0x90, 0, false);
        return SkipRules.match(String.format("%02X", bytes[0]), "fpu", insn.length, -1, insn);
    }

    @Test
    void escapesThatChangeNothingRecordedAreCompared() {
        assertNull(rule(0xD8, 0x07));       // FADD m32fp [bx]
        assertNull(rule(0xD8, 0xC1));       // FADD ST(0), ST(1)
        assertNull(rule(0xD8, 0x1F));       // FCOMP m32fp: C0-C3 only
        assertNull(rule(0xDD, 0x07));       // FLD m64fp
        assertNull(rule(0xDD, 0xD9));       // FSTP ST(1): a register of the FPU
        assertNull(rule(0xD9, 0xE8));       // FLD1
        assertNull(rule(0xDB, 0xE3));       // FNINIT
    }

    @Test
    void escapesThatWriteMemoryAxOrEflagsOrFaultAreSkipped() {
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xDD, 0x1F));   // FSTP m64fp
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xD9, 0x3F));   // FNSTCW
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xDF, 0xE0));   // FNSTSW AX
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xDB, 0xF1));   // FCOMI: EFLAGS
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xD9, 0xD1));   // #UD on IA-32
        assertEquals(SkipRules.Rule.NO_FPU, rule(0xDB, 0x0F));   // FISTTP: #UD without SSE3
    }
}
