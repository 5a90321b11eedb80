package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exit.ExitBridge;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.InsOutsInfo;
import dev.jvmx.vmx.IoQualification;

import java.util.Arrays;

import static dev.jvmx.translator.mem.PhysicalMemory.PAGE_SIZE;

/**
 * REP string instructions and INS/OUTS (SDM Vol. 2, MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS and
 * REP/REPE/REPNE). Called with the guest state in the {@link Cpu} object: the registers are
 * updated after every element (or every bulk chunk), so a fault in the middle leaves
 * (E)CX/(E)SI/(E)DI at the architectural progress and the instruction restarts there.
 *
 * <p>REP MOVS (either direction) and REP STOS with DF = 0 copy or fill RAM page chunk by page
 * chunk with {@code System.arraycopy}/{@code Arrays.fill}, a chunk whose first and last
 * elements pass the segment checks (the valid offsets of a segment are one interval); MMIO, ROM,
 * pages holding translated code, elements crossing a page or a segment limit, and overlaps that
 * replicate data go element by element through the TLB or the MMU's slow path (which keeps
 * self-modifying-code detection working).
 */
public final class StringOps {
    /** Instruction kinds, as the code generator passes them. */
    public static final int MOVS = 0, CMPS = 1, STOS = 2, LODS = 3, SCAS = 4;
    /** Repeat modes: REP (count only), REPE/REPZ, REPNE/REPNZ (CMPS and SCAS only). */
    public static final int REP = 0, REPE = 1, REPNE = 2;
    /**
     * Elements one call processes at most; then it returns with the instruction unfinished so
     * that the dispatcher can look at interrupts (the instruction restarts where it left off).
     */
    public static final int BUDGET = 1 << 16;
    /**
     * Elements one call of REP INS/OUTS runs at most (each is an I/O exit, a device access
     * of up to a microsecond or so): a few milliseconds between two looks at stop requests.
     */
    public static final int IO_CHUNK = 4096;

    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private StringOps() { }

    /**
     * One run of a REP-prefixed MOVS/CMPS/STOS/LODS/SCAS. Returns true when the instruction
     * completed (count exhausted or REPE/REPNE condition met), false when it stopped after
     * {@link #BUDGET} elements with work left.
     */
    public static boolean rep(Cpu cpu, int kind, int size, int addressSize, int srcSeg, int repMode) {
        int amask = addressSize == 4 ? -1 : 0xFFFF;
        if ((cpu.regs[Cpu.ECX] & amask) == 0) {
            cpu.repUnfinished = false;
            return true;
        }
        boolean up = (cpu.eflags & Eflags.DF) == 0;
        boolean done;
        if (kind == MOVS) {
            done = movs(cpu, size, amask, srcSeg, up);
        } else if (up && kind == STOS) {
            done = stosUp(cpu, size, amask);
        } else {
            done = elements(cpu, kind, size, amask, srcSeg, repMode, BUDGET);
        }
        cpu.repUnfinished = !done;
        return done;
    }

    /**
     * Processes up to {@code budget} elements one by one, SDM order: read source(s), write
     * destination, then step the index registers and the count. Returns true when done.
     */
    private static boolean elements(Cpu cpu, int kind, int size, int amask, int srcSeg, int repMode, int budget) {
        int delta = (cpu.eflags & Eflags.DF) != 0 ? -size : size;
        int srcBase = cpu.seg[srcSeg].base;
        int dstBase = cpu.seg[Seg.ES].base;
        int vmask = size == 4 ? -1 : (1 << (8 * size)) - 1;
        int count = cpu.regs[Cpu.ECX] & amask;
        while (count != 0 && budget > 0) {
            int si = cpu.regs[Cpu.ESI], di = cpu.regs[Cpu.EDI];
            int res = 1;
            switch (kind) {
                case MOVS:
                    check(cpu, srcSeg, si & amask, size, false);
                    check(cpu, Seg.ES, di & amask, size, true);
                    write(cpu, size, dstBase + (di & amask), read(cpu, size, srcBase + (si & amask)));
                    cpu.regs[Cpu.ESI] = step(si, delta, amask);
                    cpu.regs[Cpu.EDI] = step(di, delta, amask);
                    break;
                case STOS:
                    check(cpu, Seg.ES, di & amask, size, true);
                    write(cpu, size, dstBase + (di & amask), cpu.regs[Cpu.EAX] & vmask);
                    cpu.regs[Cpu.EDI] = step(di, delta, amask);
                    break;
                case LODS: {
                    check(cpu, srcSeg, si & amask, size, false);
                    int v = read(cpu, size, srcBase + (si & amask));
                    cpu.regs[Cpu.EAX] = (cpu.regs[Cpu.EAX] & ~vmask) | v;
                    cpu.regs[Cpu.ESI] = step(si, delta, amask);
                    break;
                }
                case CMPS: {
                    check(cpu, srcSeg, si & amask, size, false);
                    check(cpu, Seg.ES, di & amask, size, false);
                    int a = read(cpu, size, srcBase + (si & amask));
                    int b = read(cpu, size, dstBase + (di & amask));
                    res = compare(cpu, size, a, b, vmask);
                    cpu.regs[Cpu.ESI] = step(si, delta, amask);
                    cpu.regs[Cpu.EDI] = step(di, delta, amask);
                    break;
                }
                default: { // SCAS
                    check(cpu, Seg.ES, di & amask, size, false);
                    int a = cpu.regs[Cpu.EAX] & vmask;
                    int b = read(cpu, size, dstBase + (di & amask));
                    res = compare(cpu, size, a, b, vmask);
                    cpu.regs[Cpu.EDI] = step(di, delta, amask);
                    break;
                }
            }
            count--;
            cpu.regs[Cpu.ECX] = (cpu.regs[Cpu.ECX] & ~amask) | (count & amask);
            budget--;
            // REPE stops when ZF = 0 (result non-zero), REPNE when ZF = 1.
            if ((repMode == REPE && res != 0) || (repMode == REPNE && res == 0)) {
                return true;
            }
            if (cpu.mmu.watchTriggered()) {
                break; // a data breakpoint or watchpoint traps after this iteration
            }
        }
        return count == 0;
    }

    /**
     * The segment check of one element access at offset {@code off}: real/V86 16-bit
     * offsets may not run past the limit (#GP(0), #SS for SS); protected-mode segments get
     * the limit and type checks.
     */
    private static void check(Cpu cpu, int s, int off, int size, boolean write) {
        if (!cpu.protectedMode() || cpu.v86()) {
            Segmentation.checkRealLimit(cpu, s, off, size);
        } else {
            Segmentation.checkAccess(cpu, s, off, size, write);
        }
    }

    /** CMP semantics a - b: records the lazy flags, returns the masked result. */
    private static int compare(Cpu cpu, int size, int a, int b, int vmask) {
        int res = (a - b) & vmask;
        cpu.flagOp = LazyFlags.op(LazyFlags.OP_SUB, size);
        cpu.flagRes = res;
        cpu.flagA = a;
        cpu.flagB = b;
        return res;
    }

    private static int step(int reg, int delta, int amask) {
        return (reg & ~amask) | ((reg + delta) & amask);
    }

    /**
     * Elements of {@code size} from offset {@code off} on, in the direction of the copy, before
     * the offset wraps (or an element would straddle the wrap): up to the top of the address
     * size, or down to offset 0.
     */
    private static int beforeWrap(int off, int amask, int size, boolean up) {
        long o = off & 0xFFFFFFFFL;
        long n = up ? ((amask & 0xFFFFFFFFL) - o + 1) / size : o + size - 1 > (amask & 0xFFFFFFFFL) ? 0 : o / size + 1;
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * Elements of {@code size} from linear {@code lin} on, in the direction of the copy, that stay
     * on its page: 0 when the first one already straddles the page's end.
     */
    private static int onPage(int lin, int size, boolean up) {
        int o = lin & PAGE_MASK;
        if (o + size > PAGE_SIZE) {
            return 0;
        }
        return up ? (PAGE_SIZE - o) / size : o / size + 1;
    }

    /** Whether an element at offset {@code off} passes {@link #check} (without raising its fault). */
    private static boolean passes(Cpu cpu, int s, int off, int size, boolean write) {
        SegmentCache c = cpu.seg[s];
        if (!cpu.protectedMode() || cpu.v86()) {
            return (off & 0xFFFFFFFFL) + size - 1 <= (c.limit & 0xFFFFFFFFL);
        }
        return Segmentation.accessOk(c.access, c.limit, off, size, write);
    }

    /** REP MOVS: DF = 0 upwards, DF = 1 downwards. */
    private static boolean movs(Cpu cpu, int size, int amask, int srcSeg, boolean up) {
        byte[] ram = cpu.memory.array;
        int srcBase = cpu.seg[srcSeg].base;
        int dstBase = cpu.seg[Seg.ES].base;
        int budget = BUDGET;
        int count = cpu.regs[Cpu.ECX] & amask;
        while (count != 0 && budget > 0) {
            int si = cpu.regs[Cpu.ESI] & amask, di = cpu.regs[Cpu.EDI] & amask;
            int ls = srcBase + si, ld = dstBase + di;
            int n = count < 0 ? budget : Math.min(count, budget);
            n = Math.min(n, Math.min(onPage(ls, size, up), onPage(ld, size, up)));
            n = Math.min(n, Math.min(beforeWrap(si, amask, size, up), beforeWrap(di, amask, size, up)));
            int so = -1, dOff = -1;
            // The chunk's offsets run from the first element's to the last's without wrapping.
            int span = (n - 1) * size;
            int siLast = up ? si + span : si - span, diLast = up ? di + span : di - span;
            if (n > 0 && passes(cpu, srcSeg, si, size, false) && passes(cpu, srcSeg, siLast, size, false)
                    && passes(cpu, Seg.ES, di, size, true) && passes(cpu, Seg.ES, diLast, size, true)) {
                // Source first: the first element reads before it writes.
                so = ramForRead(cpu, ls);
                if (so >= 0) {
                    dOff = ramForWrite(cpu, ld);
                }
            }
            if (so < 0 || dOff < 0) {
                elements(cpu, MOVS, size, amask, srcSeg, REP, 1);
                count = cpu.regs[Cpu.ECX] & amask;
                budget--;
                if (cpu.mmu.watchTriggered()) {
                    break; // a data breakpoint or watchpoint traps after this iteration
                }
                continue;
            }
            int bytes = n * size;
            if (up) {
                if (dOff > so && dOff - so < bytes) {
                    // Forward element-by-element copy over an overlap replicates data: keep it.
                    forwardOverlap(ram, so, dOff, n, size);
                } else {
                    System.arraycopy(ram, so, ram, dOff, bytes);
                }
            } else {
                // The chunk is the n elements ending with the current one.
                int s0 = so - span, d0 = dOff - span;
                if (d0 < s0 && s0 - d0 < bytes) {
                    // Downward, a destination just below the source replicates data: one by one.
                    backwardOverlap(ram, so, dOff, n, size);
                } else {
                    System.arraycopy(ram, s0, ram, d0, bytes);
                }
            }
            int step = up ? bytes : -bytes;
            cpu.regs[Cpu.ESI] = step(cpu.regs[Cpu.ESI], step, amask);
            cpu.regs[Cpu.EDI] = step(cpu.regs[Cpu.EDI], step, amask);
            count -= n;
            cpu.regs[Cpu.ECX] = (cpu.regs[Cpu.ECX] & ~amask) | (count & amask);
            budget -= n;
        }
        return count == 0;
    }

    /** Elements copied one by one from the top down, from array offsets {@code so} and {@code dOff}. */
    private static void backwardOverlap(byte[] ram, int so, int dOff, int n, int size) {
        for (int k = 0; k < n; k++) {
            copyElement(ram, so - k * size, dOff - k * size, size);
        }
    }

    private static void forwardOverlap(byte[] ram, int so, int dOff, int n, int size) {
        for (int k = 0; k < n; k++) {
            copyElement(ram, so + k * size, dOff + k * size, size);
        }
    }

    private static void copyElement(byte[] ram, int s, int d, int size) {
        if (size == 1) {
            ram[d] = ram[s];
        } else if (size == 2) {
            PhysicalMemory.setRam16(ram, d, PhysicalMemory.ram16(ram, s));
        } else {
            PhysicalMemory.setRam32(ram, d, PhysicalMemory.ram32(ram, s));
        }
    }

    /** REP STOS with DF = 0. */
    private static boolean stosUp(Cpu cpu, int size, int amask) {
        byte[] ram = cpu.memory.array;
        int dstBase = cpu.seg[Seg.ES].base;
        int vmask = size == 4 ? -1 : (1 << (8 * size)) - 1;
        int v = cpu.regs[Cpu.EAX] & vmask;
        int b0 = v & 0xFF;
        boolean uniform = size == 1 || (size == 2 ? v == (b0 * 0x0101) : v == b0 * 0x01010101);
        int budget = BUDGET;
        int count = cpu.regs[Cpu.ECX] & amask;
        while (count != 0 && budget > 0) {
            int di = cpu.regs[Cpu.EDI] & amask;
            int ld = dstBase + di;
            int n = count < 0 ? budget : Math.min(count, budget);
            n = Math.min(n, Math.min(onPage(ld, size, true), beforeWrap(di, amask, size, true)));
            int dOff = n > 0 && passes(cpu, Seg.ES, di, size, true) && passes(cpu, Seg.ES, di + (n - 1) * size, size, true)
                    ? ramForWrite(cpu, ld) : -1;
            if (dOff < 0) {
                elements(cpu, STOS, size, amask, Seg.DS, REP, 1);
                count = cpu.regs[Cpu.ECX] & amask;
                budget--;
                if (cpu.mmu.watchTriggered()) {
                    break; // a data breakpoint or watchpoint traps after this iteration
                }
                continue;
            }
            int bytes = n * size;
            if (uniform) {
                Arrays.fill(ram, dOff, dOff + bytes, (byte) b0);
            } else if (size == 2) {
                for (int k = 0; k < bytes; k += 2) {
                    PhysicalMemory.setRam16(ram, dOff + k, v);
                }
            } else {
                for (int k = 0; k < bytes; k += 4) {
                    PhysicalMemory.setRam32(ram, dOff + k, v);
                }
            }
            cpu.regs[Cpu.EDI] = step(cpu.regs[Cpu.EDI], bytes, amask);
            count -= n;
            cpu.regs[Cpu.ECX] = (cpu.regs[Cpu.ECX] & ~amask) | (count & amask);
            budget -= n;
        }
        return count == 0;
    }

    /** Array offset of linear {@code lin} for reading RAM or ROM, or -1 (MMIO, unmapped, a page a debugger watches). */
    private static int ramForRead(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbRead, lin, 1);
        if (off >= 0) {
            return off;
        }
        int phys = cpu.mmu.translate(lin, Mmu.ACCESS_READ);
        int e = cpu.memory.pageEntry(phys);
        if (e < 0 || cpu.mmu.watched(lin)) { // MMIO, nothing, or RAM on demand
            return -1;
        }
        return (e & ~PAGE_MASK) + (phys & PAGE_MASK);
    }

    /**
     * Array offset of linear {@code lin} for writing plain RAM, or -1 (MMIO, ROM, a page
     * holding translated code, a page a debugger watches: those take the MMU's slow path).
     */
    private static int ramForWrite(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbWrite, lin, 1);
        if (off >= 0) {
            return off;
        }
        int phys = cpu.mmu.translate(lin, Mmu.ACCESS_WRITE);
        int e = cpu.memory.pageEntry(phys);
        if (e < 0 || (e & PhysicalMemory.MAP_READONLY) != 0 || cpu.memory.isCodePage(phys)
                || cpu.mmu.watched(lin)) {
            return -1;
        }
        return (e & ~PAGE_MASK) + (phys & PAGE_MASK);
    }

    /** A guest read of {@code size} bytes (1, 2 or 4). */
    private static int read(Cpu cpu, int size, int lin) {
        return size == 1 ? DataAccess.read8(cpu, lin) : size == 2 ? DataAccess.read16(cpu, lin) : DataAccess.read32(cpu, lin);
    }

    /** A guest write of {@code size} bytes (1, 2 or 4). */
    private static void write(Cpu cpu, int size, int lin, int v) {
        if (size == 1) {
            DataAccess.write8(cpu, lin, v);
        } else if (size == 2) {
            DataAccess.write16(cpu, lin, v);
        } else {
            DataAccess.write32(cpu, lin, v);
        }
    }

    /** Checks that a write of {@code size} bytes at {@code lin} would not fault (before a port is read). */
    private static void probeWrite(Cpu cpu, int lin, int size) {
        if (Mmu.hit(cpu.tlbWrite, lin, size) >= 0) {
            return;
        }
        cpu.mmu.translate(lin, Mmu.ACCESS_WRITE);
        int last = lin + size - 1;
        if (((last ^ lin) & ~PAGE_MASK) != 0) {
            cpu.mmu.translate(last, Mmu.ACCESS_WRITE);
        }
    }

    /** The length of the instruction at EIP from where the next one starts (16-bit code wraps). */
    private static int length(Cpu cpu, int nextEip) {
        return (nextEip - cpu.eip) & 0xF;
    }

    /**
     * INS / REP INS: each element is one I/O exit. The destination ES:(E)DI is checked before
     * the port is read, so a page fault does not lose the data of a device FIFO. A REP INS
     * runs at most {@link #IO_CHUNK} elements a call, and stops after any element whose I/O
     * raised a request (a stop, an interrupt), by {@link #resume}: the loop looks at it, then
     * runs the instruction again from where it stopped.
     */
    public static void ins(Cpu cpu, long qualification, int port, int size, int addressSize, int segOverride,
            int nextEip) {
        cpu.repUnfinished = false;
        long q = qualification | ((long) (port & 0xFFFF) << 16);
        int amask = addressSize == 4 ? -1 : 0xFFFF;
        boolean rep = IoQualification.isRep(qualification);
        int delta = (cpu.eflags & Eflags.DF) != 0 ? -size : size;
        int vmask = size == 4 ? -1 : (1 << (8 * size)) - 1;
        int dstBase = cpu.seg[Seg.ES].base;
        int count = rep ? cpu.regs[Cpu.ECX] & amask : 1;
        int budget = IO_CHUNK;
        while (count != 0) {
            if (budget-- == 0) {
                throw resume(cpu);
            }
            check(cpu, Seg.ES, cpu.regs[Cpu.EDI] & amask, size, true);
            int lin = dstBase + (cpu.regs[Cpu.EDI] & amask);
            probeWrite(cpu, lin, size);
            ExitBridge.ioBreakpoints(cpu, port, size);
            cpu.recordExit(ExitReason.IO_INSTRUCTION, q, length(cpu, nextEip));
            cpu.exit.instructionInfo(InsOutsInfo.encode(addressSize == 4 ? InsOutsInfo.ADDRESS_SIZE_32
                    : InsOutsInfo.ADDRESS_SIZE_16, Seg.ES)).guestLinearAddress(lin & 0xFFFFFFFFL);
            int v = cpu.exitHandler.ioIn(cpu) & vmask;
            write(cpu, size, lin, v);
            cpu.regs[Cpu.EDI] = step(cpu.regs[Cpu.EDI], delta, amask);
            count--;
            if (rep) {
                cpu.regs[Cpu.ECX] = (cpu.regs[Cpu.ECX] & ~amask) | (count & amask);
                if (count != 0 && (cpu.interruptRequest != 0 || cpu.mmu.watchTriggered() || cpu.breakpoints.triggered())) {
                    throw resume(cpu);
                }
            }
        }
    }

    /** OUTS / REP OUTS: each element is one I/O exit; the source DS:(E)SI may be overridden. Chunked as {@link #ins}. */
    public static void outs(Cpu cpu, long qualification, int port, int size, int addressSize, int segOverride,
            int nextEip) {
        cpu.repUnfinished = false;
        long q = qualification | ((long) (port & 0xFFFF) << 16);
        int amask = addressSize == 4 ? -1 : 0xFFFF;
        boolean rep = IoQualification.isRep(qualification);
        int delta = (cpu.eflags & Eflags.DF) != 0 ? -size : size;
        int srcBase = cpu.seg[segOverride >= 0 ? segOverride : Seg.DS].base;
        int count = rep ? cpu.regs[Cpu.ECX] & amask : 1;
        int srcSeg = segOverride >= 0 ? segOverride : Seg.DS;
        int budget = IO_CHUNK;
        while (count != 0) {
            if (budget-- == 0) {
                throw resume(cpu);
            }
            check(cpu, srcSeg, cpu.regs[Cpu.ESI] & amask, size, false);
            int lin = srcBase + (cpu.regs[Cpu.ESI] & amask);
            int v = read(cpu, size, lin);
            ExitBridge.ioBreakpoints(cpu, port, size);
            cpu.recordExit(ExitReason.IO_INSTRUCTION, q, length(cpu, nextEip));
            cpu.exit.instructionInfo(InsOutsInfo.encode(addressSize == 4 ? InsOutsInfo.ADDRESS_SIZE_32
                    : InsOutsInfo.ADDRESS_SIZE_16, srcSeg)).guestLinearAddress(lin & 0xFFFFFFFFL);
            cpu.exitHandler.ioOut(cpu, v);
            cpu.regs[Cpu.ESI] = step(cpu.regs[Cpu.ESI], delta, amask);
            count--;
            if (rep) {
                cpu.regs[Cpu.ECX] = (cpu.regs[Cpu.ECX] & ~amask) | (count & amask);
                if (count != 0 && (cpu.interruptRequest != 0 || cpu.mmu.watchTriggered() || cpu.breakpoints.triggered())) {
                    throw resume(cpu);
                }
            }
        }
    }

    /**
     * The unfinished REP INS/OUTS leaves through the fault path with its registers (kept in the
     * Cpu object by the helper call) at the progress made; EIP stays at the instruction.
     */
    private static GuestFault resume(Cpu cpu) {
        cpu.repUnfinished = true;
        return cpu.fault(GuestFault.RESUME, 0, false);
    }
}
