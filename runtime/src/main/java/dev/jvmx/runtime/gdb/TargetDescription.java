package dev.jvmx.runtime.gdb;

/**
 * The target description gdb reads with qXfer:features:read (gdb manual, "Target
 * Descriptions"): architecture i386 and the feature org.gnu.gdb.i386.core, which gdb requires
 * of an i386 target with these registers in this order (its register numbers 0-31): the eight
 * general registers, eip, eflags, the six segment registers, st0-st7 and the x87 control
 * registers. The EFLAGS field names are the SDM's (Vol. 1, 3.4.3).
 */
final class TargetDescription {
    private TargetDescription() { }

    static final String XML = build();

    private static String build() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("  <architecture>i386</architecture>\n");
        x.append("  <feature name=\"org.gnu.gdb.i386.core\">\n");
        x.append("    <flags id=\"i386_eflags\" size=\"4\">\n");
        String[][] flags = {{"CF", "0"}, {"PF", "2"}, {"AF", "4"}, {"ZF", "6"}, {"SF", "7"}, {"TF", "8"},
            {"IF", "9"}, {"DF", "10"}, {"OF", "11"}, {"NT", "14"}, {"RF", "16"}, {"VM", "17"}, {"AC", "18"},
            {"VIF", "19"}, {"VIP", "20"}, {"ID", "21"}};
        for (String[] f : flags) {
            x.append("      <field name=\"").append(f[0]).append("\" start=\"").append(f[1]).append("\" end=\"")
                    .append(f[1]).append("\"/>\n");
        }
        x.append("    </flags>\n");
        for (int r = 0; r < GdbRegisters.COUNT; r++) {
            x.append("    <reg name=\"").append(GdbRegisters.NAME[r]).append("\" bitsize=\"")
                    .append(8 * GdbRegisters.SIZE[r]).append("\" type=\"").append(GdbRegisters.TYPE[r])
                    .append("\" regnum=\"").append(r).append('"');
            if (r >= GdbRegisters.FCTRL) {
                x.append(" group=\"float\"");
            }
            x.append("/>\n");
        }
        x.append("  </feature>\n</target>\n");
        return x.toString();
    }
}
