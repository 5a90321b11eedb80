package dev.jvmx.translator.arch;

/** Exception vectors (SDM Vol. 3A, Table 6-1). */
public final class Vector {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7;
    public static final int DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    private static final String[] NAMES = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
        "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM"};

    /** Exceptions that push an error code. */
    public static boolean hasErrorCode(int v) {
        return v == DF || (v >= TS && v <= PF) || v == AC;
    }

    /** Contributory exceptions for the double-fault rule (SDM Vol. 3A, Table 6-4). */
    public static boolean contributory(int v) {
        return v == DE || (v >= TS && v <= GP);
    }

    /**
     * A second exception {@code v2} while delivering exception {@code v1} makes a double fault
     * (SDM Vol. 3A, Table 6-5): contributory then contributory, or #PF then contributory or #PF.
     */
    public static boolean doubleFault(int v1, int v2) {
        return (contributory(v1) && contributory(v2)) || (v1 == PF && (contributory(v2) || v2 == PF));
    }

    public static String name(int v) {
        return v >= 0 && v < NAMES.length ? NAMES[v] : "vector " + v;
    }

    private Vector() { }
}
