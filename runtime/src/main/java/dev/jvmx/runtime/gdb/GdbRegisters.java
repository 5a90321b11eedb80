package dev.jvmx.runtime.gdb;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.fpu.FpuState;

/**
 * The guest's registers as gdb numbers them for i386 ({@link TargetDescription}): values in
 * target byte order (little-endian) as hex. st0-st7 are the stack registers ST(0)-ST(7), 80
 * bits each (64-bit significand, then sign and exponent); ftag is the full tag word, fiseg/fioff
 * the last instruction's CS:EIP, foseg/fooff its operand's DS:offset, fop its opcode.
 */
final class GdbRegisters {
    static final int EIP = 8, EFLAGS = 9, CS = 10, SS = 11, DS = 12, ES = 13, FS = 14, GS = 15, ST0 = 16,
            FCTRL = 24, FSTAT = 25, FTAG = 26, FISEG = 27, FIOFF = 28, FOSEG = 29, FOOFF = 30, FOP = 31;
    static final int COUNT = 32;
    static final String[] NAME = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs", "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7",
        "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
    static final int[] SIZE = new int[COUNT];
    static final String[] TYPE = new String[COUNT];
    /** gdb's order of the segment registers, as indexes of {@code cpu.seg}. */
    private static final int[] SEG = {Seg.CS, Seg.SS, Seg.DS, Seg.ES, Seg.FS, Seg.GS};

    static {
        for (int r = 0; r < COUNT; r++) {
            SIZE[r] = r >= ST0 && r < FCTRL ? 10 : 4;
            TYPE[r] = r >= ST0 && r < FCTRL ? "i387_ext" : "int32";
        }
        TYPE[4] = TYPE[5] = "data_ptr"; // esp, ebp
        TYPE[EIP] = "code_ptr";
        TYPE[EFLAGS] = "i386_eflags";
    }

    private GdbRegisters() { }

    /** Register {@code r} in hex (the p packet); null for a number gdb does not know. */
    static String read(Cpu cpu, int r) {
        if (r < 0 || r >= COUNT) {
            return null;
        }
        FpuState f = cpu.fpu;
        if (r >= ST0 && r < FCTRL) {
            return Rsp.hexLe(f.m(r - ST0), 8) + Rsp.hexLe(f.se(r - ST0), 2);
        }
        return Rsp.hexLe(value32(cpu, r) & 0xFFFFFFFFL, 4);
    }

    private static int value32(Cpu cpu, int r) {
        FpuState f = cpu.fpu;
        if (r < EIP) {
            return cpu.regs[r];
        }
        switch (r) {
            case EIP: return cpu.eip;
            case EFLAGS: return cpu.getEflags();
            case FCTRL: return f.cw;
            case FSTAT: return f.statusWord();
            case FTAG: return f.tagWord();
            case FISEG: return f.fcs;
            case FIOFF: return f.fip;
            case FOSEG: return f.fds;
            case FOOFF: return f.fdp;
            case FOP: return f.fop;
            default: return cpu.seg[SEG[r - CS]].selector;
        }
    }

    /** Every register in order (the g packet). */
    static String readAll(Cpu cpu) {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < COUNT; r++) {
            b.append(read(cpu, r));
        }
        return b.toString();
    }

    /**
     * Writes register {@code r} from {@code 2 * SIZE[r]} hex digits at {@code off}. A segment
     * register takes a new selector only outside protected mode (base = selector * 16, as a
     * real-mode load); in protected mode it would need a descriptor load, so only its current
     * value is accepted. Returns an error text, or null.
     */
    static String write(Cpu cpu, int r, String hex, int off) {
        String err = check(cpu, r, hex, off);
        if (err != null) {
            return err;
        }
        FpuState f = cpu.fpu;
        if (r >= ST0 && r < FCTRL) {
            int p = f.phys(r - ST0);
            f.mant[p] = Rsp.parseLe(hex, off, 8);
            f.sexp[p] = (int) Rsp.parseLe(hex, off + 16, 2);
            return null;
        }
        int v = (int) Rsp.parseLe(hex, off, 4);
        if (r < EIP) {
            cpu.regs[r] = v;
            return null;
        }
        switch (r) {
            case EIP: cpu.eip = v; return null;
            case EFLAGS: cpu.setEflags(v); return null;
            case FCTRL: f.loadControlWord(v); return null;
            case FSTAT: f.loadStatusWord(v); f.updateSummary(); return null;
            case FTAG: f.loadTagWord(v); return null;
            case FISEG: f.fcs = v & 0xFFFF; return null;
            case FIOFF: f.fip = v; return null;
            case FOSEG: f.fds = v & 0xFFFF; return null;
            case FOOFF: f.fdp = v; return null;
            case FOP: f.fop = v & 0x7FF; return null;
            default:
                var s = cpu.seg[SEG[r - CS]];
                if (v != s.selector) {
                    s.set(v, v << 4, s.limit, s.access);
                }
                return null;
        }
    }

    /** Why register {@code r} cannot take the value at {@code off}, or null when it can. */
    static String check(Cpu cpu, int r, String hex, int off) {
        if (r < 0 || r >= COUNT) {
            return "no register " + r;
        }
        if (hex.length() - off < 2 * SIZE[r]) {
            return "short value";
        }
        for (int i = 0; i < SIZE[r]; i++) {
            Rsp.parseByte(hex, off + 2 * i); // hex digits only
        }
        if (r >= CS && r <= GS) {
            int v = (int) Rsp.parseLe(hex, off, 4);
            if (v != cpu.seg[SEG[r - CS]].selector) {
                if (cpu.protectedMode() && !cpu.v86()) {
                    return "a segment register takes a new selector only outside protected mode";
                }
                if ((v >>> 16) != 0) {
                    return "a selector has 16 bits";
                }
            }
        }
        return null;
    }
}
