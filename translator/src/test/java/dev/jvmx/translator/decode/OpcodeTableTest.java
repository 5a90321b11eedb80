package dev.jvmx.translator.decode;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The opcode maps a start reads from the build's packed table are the ones the rows' text gives. */
class OpcodeTableTest {
    @Test
    void theBuildWroteThePackedFormOfTodaysRows() {
        assertNotNull(OpcodeTable.PACKED, "OpcodeTableWriter did not run (mvn process-classes)");
        assertEquals(OpcodeMapBuilder.pack(OpcodeMapBuilder.parseAll()), OpcodeTable.PACKED,
                "OpcodeTable.class is stale: run mvn process-classes");
    }

    @Test
    void packedAndParsedMapsAreTheSame() {
        OpcodeMapBuilder.Maps text = OpcodeMapBuilder.Maps.fromText();
        OpcodeMapBuilder.Maps packed = OpcodeMapBuilder.Maps.fromPacked(OpcodeTable.PACKED);
        assertNotNull(packed);
        assertEquals(describe(text.oneByte), describe(packed.oneByte));
        assertEquals(describe(text.twoByte), describe(packed.twoByte));
        for (int p = 0; p < 4; p++) {
            assertEquals(describe(text.mandatory[p]), describe(packed.mandatory[p]), "mandatory prefix map " + p);
        }
        assertEquals(describe(text.oneByte), describe(OpcodeMaps.ONE_BYTE), "the decoder's map");
        assertEquals(describe(text.twoByte), describe(OpcodeMaps.TWO_BYTE), "the decoder's map");
    }

    @Test
    void aTableForOtherRowsIsNotUsed() {
        String packed = OpcodeTable.PACKED;
        String otherRows = (char) (packed.charAt(0) ^ 1) + packed.substring(1);
        assertNull(OpcodeMapBuilder.Maps.fromPacked(otherRows));
        String otherKinds = packed.substring(0, 2) + (char) (packed.charAt(2) + 1) + packed.substring(3);
        assertNull(OpcodeMapBuilder.Maps.fromPacked(otherKinds));
        String otherText = packed.substring(0, 6) + (char) (packed.charAt(6) ^ 1) + packed.substring(7);
        assertNull(OpcodeMapBuilder.Maps.fromPacked(otherText), "rows whose names or encodings changed");
    }

    private static String describe(OpcodeRow[] map) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < map.length; i++) {
            b.append(String.format("%02X ", i)).append(describe(map[i])).append('\n');
        }
        return b.toString();
    }

    private static String describe(OpcodeRow r) {
        if (r == null) {
            return "-";
        }
        if (r.group != null) {
            StringBuilder b = new StringBuilder("group[");
            for (OpcodeRow m : r.group) {
                b.append(describe(m)).append(';');
            }
            b.append(" registers ");
            for (OpcodeRow m : r.registers) {
                b.append(describe(m)).append(';');
            }
            return b.append(']').toString();
        }
        return r.mnemonic + Arrays.toString(r.operands) + "/" + r.fixedSize;
    }
}
