package dev.jvmx.translator.exec;

import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a debugger asks of the execution loop: code breakpoints and watchpoints, by linear
 * address (as the debug registers take them). Changed on the guest's thread while the loop is
 * stopped; while nothing is set the loop pays one field read per block.
 *
 * <p>Breakpoints: a block never runs past a breakpoint address (decoding ends a block before
 * one), so the loop checks breakpoints at block starts only, chained entries included. Blocks
 * and regions made before a breakpoint was set may hold its address inside them, so adding an
 * address that the cached code does not already end its blocks at flushes the cache; regions
 * (whose internal jumps do not come back to the loop) are neither formed nor installed while
 * anything is set. A debugger removes and re-inserts its breakpoints at every stop: addresses
 * once honoured stay honoured until a region is installed, so that costs no flush.
 *
 * <p>Watchpoints: while any is set the loop runs one instruction at a time, and the pages a
 * watchpoint covers stay out of the software TLB, so each data access to them takes the MMU's
 * slow path, which reports it here ({@link Mmu.AccessWatch}); the loop stops after the
 * instruction that made a matching access, as the debug registers do.
 */
public final class DebugControl implements Mmu.AccessWatch {
    /** Watchpoint kinds, as gdb numbers them in Z2/Z3/Z4. */
    public static final int WATCH_WRITE = 2, WATCH_READ = 3, WATCH_ACCESS = 4;

    /** One watched range. */
    public record Watch(int address, int length, int kind) {
        boolean matches(int lin, int size, int access) {
            boolean write = access == Mmu.ACCESS_WRITE;
            if (kind == WATCH_WRITE && !write || kind == WATCH_READ && write) {
                return false;
            }
            long a = lin & 0xFFFFFFFFL, w = address & 0xFFFFFFFFL;
            return a < w + length && w < a + size;
        }
    }

    /** What stopped the loop for the debugger last: a breakpoint, a watchpoint, a step or a request. */
    public enum Cause { BREAKPOINT, WATCHPOINT, STEP, REQUEST }

    private final CodeCache cache;
    private final Mmu mmu;
    private final Set<Integer> breakpoints = new HashSet<>();
    /** Addresses at which every cached block starts rather than runs through (a superset of the breakpoints). */
    private final Set<Integer> honoured = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();
    /** Watched linear pages (page numbers), for the TLB's fill. */
    private final Set<Integer> watchedPages = new HashSet<>();
    /** Something is set: the loop looks here at each block start. */
    boolean armed;
    /** The watchpoint hit by the instruction that just ran, and the address it accessed. */
    private Watch hit;
    private int hitAddress;
    private Cause cause = Cause.REQUEST;

    DebugControl(CodeCache cache, Mmu mmu) {
        this.cache = cache;
        this.mmu = mmu;
    }

    // ---- breakpoints

    /** Sets a code breakpoint at linear address {@code lin}: the loop stops before the instruction there. */
    public void addBreakpoint(int lin) {
        breakpoints.add(lin);
        if (!honoured.contains(lin)) {
            honoured.addAll(breakpoints);
            cache.translator.splitBefore = honoured::contains;
            cache.flush();
        }
        update();
    }

    public boolean removeBreakpoint(int lin) {
        boolean had = breakpoints.remove(lin);
        update();
        return had;
    }

    public boolean hasBreakpoint(int lin) {
        return breakpoints.contains(lin);
    }

    /** Removes every breakpoint and watchpoint (the debugger went away). */
    public void clear() {
        breakpoints.clear();
        boolean hadWatches = !watches.isEmpty();
        watches.clear();
        watchedPages.clear();
        if (hadWatches) {
            mmu.setAccessWatch(null);
        }
        update();
    }

    // ---- watchpoints

    /** Watches {@code length} bytes at linear {@code lin} for writes, reads or both ({@link #WATCH_WRITE}...). */
    public void addWatch(int lin, int length, int kind) {
        if (length < 1 || kind < WATCH_WRITE || kind > WATCH_ACCESS) {
            throw new IllegalArgumentException("bad watchpoint: length " + length + ", kind " + kind);
        }
        watches.add(new Watch(lin, length, kind));
        rebuildPages();
        update();
    }

    public boolean removeWatch(int lin, int length, int kind) {
        boolean had = watches.remove(new Watch(lin, length, kind));
        rebuildPages();
        update();
        return had;
    }

    private void rebuildPages() {
        watchedPages.clear();
        for (Watch w : watches) {
            for (long p = (w.address & 0xFFFFFFFFL) >>> PhysicalMemory.PAGE_SHIFT;
                 p <= ((w.address & 0xFFFFFFFFL) + w.length - 1) >>> PhysicalMemory.PAGE_SHIFT; p++) {
                watchedPages.add((int) p);
            }
        }
        // Installing (or removing) the hook drops the TLB, so no entry for a watched page survives.
        mmu.setAccessWatch(watches.isEmpty() ? null : this);
    }

    boolean watching() {
        return !watches.isEmpty();
    }

    @Override
    public boolean watchesPage(int lin) {
        return watchedPages.contains(lin >>> PhysicalMemory.PAGE_SHIFT);
    }

    @Override
    public void accessed(int lin, int size, int access) {
        if (hit != null) {
            return;
        }
        for (Watch w : watches) {
            if (w.matches(lin, size, access)) {
                hit = w;
                hitAddress = lin;
                return;
            }
        }
    }

    @Override
    public boolean triggered() {
        return hit != null;
    }

    /** The watchpoint that stopped the loop last (null if it was not a watchpoint). */
    public Watch watchHit() {
        return cause == Cause.WATCHPOINT ? hit : null;
    }

    /** The address of the access that hit {@link #watchHit()}. */
    public int watchHitAddress() {
        return hitAddress;
    }

    /** Why the loop last stopped for the debugger. */
    public Cause cause() {
        return cause;
    }

    // ---- for the loop

    private void update() {
        armed = !breakpoints.isEmpty() || !watches.isEmpty();
    }

    /** Whether decoding must end a block before linear {@code lin}. */
    boolean splitsBefore(int lin) {
        return honoured.contains(lin);
    }

    /** A region is about to be installed (only when nothing is set): the honoured addresses no longer hold. */
    void regionInstalled() {
        honoured.clear();
        cache.translator.splitBefore = null;
    }

    /** Clears the last watch hit before an instruction runs. */
    void clearHit() {
        hit = null;
    }

    boolean watchHitPending() {
        return hit != null;
    }

    StopReason stop(Cause c, String message) {
        cause = c;
        return StopReason.of(StopReason.Kind.DEBUG, message);
    }
}
