package dev.jvmx.translator.cpu;

import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * The breakpoints DR0-DR3 set as DR7 enables them (SDM Vol. 3B, 18.2.4 "Debug Control Register
 * (DR7)"): for each, L or G enables it, R/W says when it fires (00 instruction execution, 01
 * data writes, 11 data reads and writes, 10 I/O reads and writes when CR4.DE is set, undefined
 * and ignored when it is not) and LEN how many bytes or ports it covers (00 1, 01 2, 11 4, 10 8),
 * DRn's low bits ignored to that alignment. An instruction breakpoint is a fault before the
 * instruction at its linear address; a data or I/O breakpoint a trap after the instruction that
 * accessed one of its bytes or ports. Kept up to date by {@link #update} on
 * every write of DR0-DR3, DR7 or CR4; while none is enabled ({@link #armed} false) the execution
 * loop runs as if they did not exist, and while one is, it runs one instruction at a time with
 * the checks around each.
 *
 * <p>Data accesses are seen as a debugger's watchpoints are: the pages a data breakpoint covers
 * stay out of the TLB, so each access to them takes the MMU's slow path, which reports it here.
 */
public final class HardwareBreakpoints implements Mmu.AccessWatch {
    static final int RW_EXECUTE = 0, RW_WRITE = 1, RW_IO = 2, RW_READ_WRITE = 3;

    /** Some breakpoint is enabled: the loop checks every instruction. */
    public boolean armed;
    /** Enabled breakpoints by kind, as bit masks of DR0-DR3. */
    private int execute, write, readWrite;
    /** Enabled I/O breakpoints (R/W 10 with CR4.DE): the I/O paths call {@link #ioAccessed} while it is not 0. */
    public int io;
    private final int[] address = new int[4];
    private final int[] length = new int[4];
    /** Linear pages holding a byte of an enabled data breakpoint (4 at most, 2 pages each), -1 when unused. */
    private final int[] pages = new int[8];
    /** DR6 B0-B3 bits of the data breakpoints the current instruction has hit. */
    private int dataHits;

    HardwareBreakpoints() {
        java.util.Arrays.fill(pages, -1);
    }

    /**
     * Reads {@code cpu}'s DR0-DR3, DR7 and CR4.DE again (after a write to one of them, a task
     * switch, a reset or a processor switch); while a breakpoint is enabled the loop is asked to
     * look, so that it checks from the next instruction on.
     */
    public void update(Cpu cpu) {
        int[] dr = cpu.dr;
        int dr7 = dr[7];
        boolean ioBreakpoints = (cpu.cr4 & Cr4.DE) != 0;
        execute = write = readWrite = io = 0;
        java.util.Arrays.fill(pages, -1);
        for (int n = 0; n < 4; n++) {
            if ((dr7 & (3 << (2 * n))) == 0) {
                continue;
            }
            int rw = (dr7 >>> (16 + 4 * n)) & 3;
            int len = switch ((dr7 >>> (18 + 4 * n)) & 3) {
                case 0 -> 1;
                case 1 -> 2;
                case 2 -> 8;
                default -> 4;
            };
            if (rw == RW_EXECUTE) {
                len = 1; // an instruction breakpoint's LEN must be 00 (SDM): its address is the instruction's first byte
            }
            address[n] = dr[n] & -len;
            length[n] = len;
            int bit = 1 << n;
            if (rw == RW_EXECUTE) {
                execute |= bit;
            } else if (rw == RW_WRITE) {
                write |= bit;
            } else if (rw == RW_READ_WRITE) {
                readWrite |= bit;
            } else if (ioBreakpoints) {
                io |= bit;
                address[n] &= 0xFFFF;
            }
            if (rw == RW_WRITE || rw == RW_READ_WRITE) {
                pages[2 * n] = address[n] >>> PhysicalMemory.PAGE_SHIFT;
                pages[2 * n + 1] = (address[n] + len - 1) >>> PhysicalMemory.PAGE_SHIFT;
            }
        }
        boolean data = (write | readWrite) != 0;
        armed = (execute | write | readWrite | io) != 0;
        dataHits = 0;
        // Installing or removing the watch empties the TLB: no entry of a watched page survives.
        cpu.mmu.setGuestWatch(data ? this : null);
        if (armed) {
            cpu.request(Cpu.REQUEST_EVENT_WINDOW);
        }
    }

    /** DR6 B0-B3 bits of the enabled instruction breakpoints at linear {@code lin}. */
    public int codeHits(int lin) {
        int hits = 0;
        for (int m = execute; m != 0; m &= m - 1) {
            int n = Integer.numberOfTrailingZeros(m);
            if (address[n] == lin) {
                hits |= 1 << n;
            }
        }
        return hits;
    }

    /** The data breakpoints hit since the last call, as DR6 B0-B3 bits; clears them. */
    public int takeDataHits() {
        int h = dataHits;
        dataHits = 0;
        return h;
    }

    @Override
    public boolean watchesPage(int lin) {
        int page = lin >>> PhysicalMemory.PAGE_SHIFT;
        for (int p : pages) {
            if (p == page) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void accessed(int lin, int size, int access) {
        int candidates = access == Mmu.ACCESS_WRITE ? write | readWrite : readWrite;
        long a = lin & 0xFFFFFFFFL;
        for (int m = candidates; m != 0; m &= m - 1) {
            int n = Integer.numberOfTrailingZeros(m);
            long b = address[n] & 0xFFFFFFFFL;
            if (a < b + length[n] && b < a + size) {
                dataHits |= 1 << n;
            }
        }
    }

    /** An IN, OUT, INS or OUTS element of {@code size} bytes at {@code port}: the I/O breakpoints it hits. */
    public void ioAccessed(int port, int size) {
        for (int m = io; m != 0; m &= m - 1) {
            int n = Integer.numberOfTrailingZeros(m);
            if (port < address[n] + length[n] && address[n] < port + size) {
                dataHits |= 1 << n;
            }
        }
    }

    @Override
    public boolean triggered() {
        return dataHits != 0;
    }
}
