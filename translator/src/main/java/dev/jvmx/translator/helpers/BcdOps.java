package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.flags.LazyFlags;

/**
 * DAA, DAS, AAA, AAS, AAM, AAD as the SDM Vol. 2 pseudo-code states them. Each takes AX and
 * the six status flags (EFLAGS positions) and returns the new AX in bits 0..15 and the new
 * six flags in bits 16..27. Flags the SDM leaves undefined are documented per method.
 */
public final class BcdOps {
    private BcdOps() { }

    private static int pack(int ax, int flags) {
        return (ax & 0xFFFF) | (flags << 16);
    }

    /** DAA. OF (undefined) is 0. */
    public static int daa(int ax, int fl) {
        int al = ax & 0xFF;
        int oldAl = al;
        int oldCf = fl & Eflags.CF;
        int cf = 0;
        int af;
        if ((al & 0x0F) > 9 || (fl & Eflags.AF) != 0) {
            int sum = al + 6;
            cf = oldCf | (sum > 0xFF ? 1 : 0);
            al = sum & 0xFF;
            af = Eflags.AF;
        } else {
            af = 0;
        }
        if (oldAl > 0x99 || oldCf != 0) {
            al = (al + 0x60) & 0xFF;
            cf = 1;
        } else {
            cf = 0;
        }
        return pack((ax & 0xFF00) | al, cf | af | LazyFlags.szp(al, 1));
    }

    /** DAS. OF (undefined) is 0. */
    public static int das(int ax, int fl) {
        int al = ax & 0xFF;
        int oldAl = al;
        int oldCf = fl & Eflags.CF;
        int cf = 0;
        int af;
        if ((al & 0x0F) > 9 || (fl & Eflags.AF) != 0) {
            cf = oldCf | (al < 6 ? 1 : 0);
            al = (al - 6) & 0xFF;
            af = Eflags.AF;
        } else {
            af = 0;
        }
        if (oldAl > 0x99 || oldCf != 0) {
            al = (al - 0x60) & 0xFF;
            cf = 1;
        }
        return pack((ax & 0xFF00) | al, cf | af | LazyFlags.szp(al, 1));
    }

    /** AAA. OF, SF, ZF, PF (undefined): SF, ZF, PF from the final AL, OF 0. */
    public static int aaa(int ax, int fl) {
        int cfaf;
        if ((ax & 0x0F) > 9 || (fl & Eflags.AF) != 0) {
            ax = ax + 0x106;
            cfaf = Eflags.AF | Eflags.CF;
        } else {
            cfaf = 0;
        }
        ax &= 0xFF0F;
        return pack(ax, cfaf | LazyFlags.szp(ax & 0xFF, 1));
    }

    /** AAS. OF, SF, ZF, PF (undefined): SF, ZF, PF from the final AL, OF 0. */
    public static int aas(int ax, int fl) {
        int cfaf;
        if ((ax & 0x0F) > 9 || (fl & Eflags.AF) != 0) {
            // SDM: AX := AX - 6 (a borrow out of AL reaches AH), then AH := AH - 1.
            ax = (ax - 6 - 0x100) & 0xFFFF;
            cfaf = Eflags.AF | Eflags.CF;
        } else {
            cfaf = 0;
        }
        ax &= 0xFF0F;
        return pack(ax, cfaf | LazyFlags.szp(ax & 0xFF, 1));
    }

    /** AAM imm8 ({@code base} non-zero; the caller raises #DE for 0). OF, AF, CF (undefined): 0. */
    public static int aam(int ax, int base) {
        int al = ax & 0xFF;
        int nal = al % base;
        return pack(((al / base) << 8) | nal, LazyFlags.szp(nal, 1));
    }

    /**
     * AAD imm8. OF, AF, CF (undefined): those of the 8-bit addition AL + (AH * imm8) that makes
     * the new AL, as the reference host (Intel) produces them.
     */
    public static int aad(int ax, int base) {
        int a = ax & 0xFF;
        int b = (((ax >>> 8) & 0xFF) * base) & 0xFF;
        int sum = a + b;
        int al = sum & 0xFF;
        int cf = sum >>> 8;
        int af = (a ^ b ^ al) & Eflags.AF;
        int of = (((a ^ al) & (b ^ al)) >>> 7) & 1;
        return pack(al, cf | af | (of << 11) | LazyFlags.szp(al, 1));
    }
}
