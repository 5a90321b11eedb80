package dev.jvmx.translator.exec;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.helpers.Interrupts;
import dev.jvmx.translator.helpers.SystemOps;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.function.IntSupplier;

/**
 * The dispatcher: runs blocks one after another, each in its tier. A block returns the chain
 * slot it left through; the successor cached in that slot is entered without a hash lookup
 * (DESIGN.md rule 4). A block runs in the first tier (its instructions' shared handlers) until
 * it has run {@link #TRANSLATE_THRESHOLD} times, then as translated code; once translated and
 * past {@link #REGION_THRESHOLD} runs it is retranslated with its successors as a region. Interrupts and
 * device time are looked at between blocks only, by reading a plain field (rule 7). Guest faults
 * arrive as the CPU's preallocated {@link GuestFault} with the state of the faulting instruction
 * restored (rule 6).
 */
public final class ExecutionLoop {
    /** Bits of {@link Cpu#interruptRequest} (and {@link Cpu#REQUEST_EVENT_WINDOW}, which instructions set). */
    public static final int REQUEST_STOP = 1, REQUEST_IRQ = 2, REQUEST_SERVICE = 4, REQUEST_INSTALL = 8;
    /** Set for the run of a region that profiles its request check only (see {@link #PROFILE_EXITS_MASK}). */
    static final int REQUEST_PROFILE = 32;

    /**
     * Executions after which a first-tier block is translated (-Djvmx.translateThreshold=N).
     * A translation costs far more than its bytecode generation: HotSpot then interprets,
     * profiles and compiles the class (C1 and C2 took 40-45 s of CPU in one Linux boot), on the
     * same two cores as the guest. Debian's Linux booting and starting 260 processes
     * (/bin/true in a loop) took 114 s at 200, 84 s at 1000, 57 s at 5000 and 43 s at 20000
     * (bench/RESULTS.md); the guest suite's hot loops pass 20000 within milliseconds. (1000
     * once showed a region bug that 50 hid, since fixed: see
     * RegionTest.aFaultAfterAMemberWithADeadTailReportsItsOwnInstruction.)
     */
    public static final int TRANSLATE_THRESHOLD = Integer.getInteger("jvmx.translateThreshold", 20000);
    private int translateThreshold = TRANSLATE_THRESHOLD;
    /**
     * Executions after which a translated block is retranslated as a region with its successors
     * (-Djvmx.regionThreshold=N). Below the translation threshold, as by default, a block asks
     * for its region right after its translation is installed.
     */
    public static final int REGION_THRESHOLD = Integer.getInteger("jvmx.regionThreshold", 2000);

    /**
     * Most instructions one call of a block may run, even with no event due for longer. A region
     * then leaves through its budget check every 64K instructions (a few tens of microseconds),
     * often enough that HotSpot sees that way out taken while it profiles the region, so C2
     * compiles it instead of a trap that would deoptimise the region (see BlockCompiler).
     */
    static final int BUDGET_CHUNK = 1 << 16;

    /**
     * One run in 64 of each region takes a way out of its loops that a profile would otherwise
     * not see before C2 compiles it: every other such run starts with an empty budget, the rest
     * with {@link #REQUEST_PROFILE} set, so the region leaves at its first back edge through one
     * branch of the check or the other (BlockCompiler.budgetCheck). HotSpot then profiles both
     * taken, and C2 compiles them instead of traps that deoptimised the region the first time one
     * of its loops ran a whole budget or an interrupt arrived during a loop (4 and 6 of 55 region
     * deoptimisations in a Linux boot). The cost is one more pass through this loop per 64 runs.
     */
    static final int PROFILE_EXITS_MASK = 63;

    static {
        // Before the first translation would: C2 compiles the call of CompiledBlock.execute as a
        // trap while the class is not initialised, and the loop is compiled long before that.
        try {
            MethodHandles.lookup().ensureInitialized(CompiledBlock.class);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private final Cpu cpu;
    private final CodeCache cache;
    private final RegionFormer regions;
    private final TranslationWorker worker;
    private final Platform platform;
    /** The platform's interrupt-acknowledge cycle, as {@link Interrupts#takeExternal} takes it. */
    private final IntSupplier acknowledge;
    /** A debugger's breakpoints and watchpoints (see {@link DebugControl}). */
    private final DebugControl debug;
    private volatile StopReason stopRequest;
    private Block lastBlock;
    /** Instructions retired in the first tier (the rest ran translated). */
    private long interpreted;
    /** The processors this loop runs in turn, or null for a machine with one. */
    private VcpuScheduler scheduler;

    public ExecutionLoop(Cpu cpu, CodeCache cache, Platform platform) {
        this.cpu = cpu;
        this.cache = cache;
        this.worker = new TranslationWorker(cpu);
        this.platform = platform;
        this.acknowledge = platform::acknowledgeInterrupt;
        this.debug = new DebugControl(cache, cpu.mmu);
        this.regions = new RegionFormer(cache, debug);
        // Binds HotSpot's compile functions now, not at the first translation: that also turns
        // HotSpot's console output back on, which the launcher starts with off (HotSpotCompiles).
        HotSpotCompiles.available();
        cpu.memory.onGrowWanted(() -> cpu.request(REQUEST_SERVICE)); // see boundary()
    }

    /** Runs several processors in turn on this loop's Cpu (set before {@link #run}; null: one processor). */
    public void setScheduler(VcpuScheduler s) {
        scheduler = s;
    }

    /** The debugger's controls: breakpoints and watchpoints (change them only while the loop is stopped). */
    public DebugControl debugControl() {
        return debug;
    }

    /**
     * Executions after which a block leaves the first tier: 1 translates every block before it
     * first runs (as jvmx did before it had a first tier), {@link Integer#MAX_VALUE} never does.
     */
    public void setTranslateThreshold(int n) {
        translateThreshold = Math.max(1, n);
    }

    /**
     * Translates on the guest's thread, installing at once, instead of on the translation
     * worker's (for tests and deterministic measurements: the guest sees the same either way).
     */
    public void setSynchronousTranslation(boolean on) {
        worker.setSynchronous(on);
    }

    TranslationWorker worker() {
        return worker;
    }

    RegionFormer regions() {
        return regions;
    }

    /** Ends the translation worker's thread (the machine is done with this loop). */
    public void close() {
        worker.close();
    }

    /**
     * Asks the loop to stop at the next block boundary (any thread). The first request wins, but
     * a debugger's stop yields to any other (the guest's exit must not be lost to an interrupt).
     */
    public void requestStop(StopReason reason) {
        StopReason r = stopRequest;
        if (r == null || r.kind == StopReason.Kind.DEBUG && reason.kind != StopReason.Kind.DEBUG) {
            stopRequest = reason;
        }
        cpu.request(REQUEST_STOP);
    }

    /** The stop asked for since {@link #clearStop} or the last run, or null (a machine asleep polls it). */
    public StopReason requestedStop() {
        StopReason r = stopRequest;
        return (cpu.interruptRequest & REQUEST_STOP) != 0 && r != null ? debugRequest(r) : null;
    }

    /** Forgets the stop the last run ended with, so that {@link #requestedStop} sees only new ones. */
    public void clearStop() {
        stopRequest = null;
        cpu.withdraw(REQUEST_STOP);
    }

    /** The block that ran last (for tools). */
    public Block lastBlock() {
        return lastBlock;
    }

    /** Translations put in place once HotSpot had compiled them, and their blocks' runs meanwhile. */
    private long waitedForCompiler, runsWaitingForCompiler;

    public long waitedForCompiler() {
        return waitedForCompiler;
    }

    public long runsWaitingForCompiler() {
        return runsWaitingForCompiler;
    }

    /** Regions compiled but not installed (a member changed meanwhile, or no room). */
    public long regionsDiscarded() {
        return regions.discarded;
    }

    /** Guest instructions retired when RAM on demand was taken into the array; -1 while it has not been. */
    public long ramTakenInAt = -1;

    /** Guest instructions retired in the first tier so far. */
    public long interpretedInstructions() {
        return interpreted;
    }

    public StopReason run() {
        stopRequest = null;
        cpu.withdraw(REQUEST_STOP);
        Block prev = null;
        int slot = CompiledBlock.UNCHAINED;
        long deadline = platform.nextDeadline();
        while (true) {
            if (cpu.interruptRequest != 0 || cpu.instructions >= deadline || cpu.halted) {
                StopReason r = boundary();
                if (r != null) {
                    return r;
                }
                deadline = platform.nextDeadline();
                prev = null; // an interrupt may have moved EIP
            }
            Block b = prev == null ? null : successor(prev, slot);
            if (b == null) {
                b = enter(prev, slot);
                if (b == null) {
                    StopReason r = enterStop;
                    if (r != null) {
                        enterStop = null;
                        return r;
                    }
                    prev = null;
                    continue;
                }
            }
            if (debug.armed) {
                StopReason r = debugBlockStart(b);
                if (r != null) {
                    return r;
                }
                if (debug.watching()) {
                    r = debugInstruction();
                    if (r != null) {
                        return r;
                    }
                    prev = null;
                    continue;
                }
            }
            b = tierUp(b);
            cache.setRunning(b);
            lastBlock = b;
            long left = deadline - cpu.instructions;
            int budget = left > BUDGET_CHUNK ? BUDGET_CHUNK : (int) left;
            boolean profiling = false;
            if ((b.execCount & PROFILE_EXITS_MASK) == 0 && b.region) {
                if ((b.execCount & (PROFILE_EXITS_MASK + 1)) == 0) {
                    budget = 0;
                } else {
                    profileRequest(true);
                    profiling = true;
                }
            }
            cpu.budget = budget;
            try {
                CompiledBlock code = b.code;
                slot = code != null ? translated(code) : interpret(b);
                prev = b;
                if (cpu.interruptShadow) {
                    // Look at the boundary after this block, so the shadow lasts exactly one block
                    // (the deadline, not a request: no atomic update on the guest's own thread).
                    deadline = cpu.instructions;
                }
            } catch (GuestFault f) {
                prev = null;
                StopReason r = faulted(b, f);
                if (r != null) {
                    return r;
                }
            } finally {
                cache.setRunning(null);
                if (profiling) {
                    profileRequest(false);
                }
            }
        }
    }

    /**
     * Runs a block's translated code. Out of the loop's compiled code (the launcher's dontinline):
     * C2 compiled this call from a profile that had seen one or two translated classes, as a test
     * of the class, and the third class deoptimised the whole loop (0.9 s into a Linux boot, the
     * loop then on C1's code until 1.3 s). Here only this method is compiled again.
     */
    private int translated(CompiledBlock code) {
        return code.execute(cpu);
    }

    /**
     * Sets or clears {@link #REQUEST_PROFILE}, out of the loop's compiled code as well: the atomic
     * update retries when another thread changed the requests meanwhile, a branch a profile
     * rarely sees, and that one race deoptimised the loop (6.6 s into a Linux boot).
     */
    private void profileRequest(boolean on) {
        if (on) {
            cpu.request(REQUEST_PROFILE);
        } else {
            cpu.withdraw(REQUEST_PROFILE);
        }
    }

    /**
     * The block at CS:EIP when neither a chain link nor a target cache had it: from the cache,
     * else decoded, and linked from the block before it. When fetching it faults, the fault is
     * delivered and the block at the handler is returned instead (not linked: the link is for the
     * address that faulted). Null when the run is to stop ({@link #enterStop}) or the handler's
     * own fetch faults too, which the loop then delivers after its boundary checks.
     *
     * <p>Out of line in compiled code (the launcher keeps HotSpot from inlining it): its branches
     * depend on the guest's mode, and a first use of one of them would otherwise deoptimise the
     * whole execution loop (bench/RESULTS.md).
     */
    private Block enter(Block prev, int slot) {
        Block b;
        try {
            b = cache.lookup();
        } catch (GuestFault f) {
            enterStop = deliverFault(f);
            if (enterStop != null) {
                return null;
            }
            try {
                return found(cache.lookup());
            } catch (GuestFault again) {
                enterStop = deliverFault(again);
                return null;
            }
        }
        found(b);
        if (prev != null) {
            link(prev, slot, b);
        }
        return b;
    }

    /**
     * Records that {@code b} was looked up at the CPU's CS:EIP now: links to it hold while its
     * epoch lasts, which an INVLPG of one of its code pages moves (Mmu.noteCode).
     */
    private Block found(Block b) {
        int e = linkEpoch(b);
        b.foundEpoch = e;
        boolean global = (e & GLOBAL_LINK) != 0;
        cpu.mmu.noteCode(b.csBase + b.eip, global);
        if (b.mappings != null) {
            for (long m : b.mappings) {
                cpu.mmu.noteCode(Block.linearOf(m), global);
            }
        }
        b.lookups++;
        return b;
    }

    /** Why the run stops, when {@link #enter} returned null for a stop (a triple fault). */
    private StopReason enterStop;

    /**
     * Takes a fault raised by block {@code b}, run in either tier, at the instruction whose index
     * it left in {@code cpu.faultIndex}: counts the instructions before it, puts EIP back on it and
     * delivers the fault (or restarts after a write into the block's own code, or resumes a REP
     * INS/OUTS). Returns why the run stops, or null. Out of line, as {@link #enter}.
     */
    private StopReason faulted(Block b, GuestFault f) {
        // Delivery below writes guest memory: it must not count as a write into this block.
        cache.setRunning(null);
        int i = cpu.faultIndex;
        cpu.instructions += i - b.blockStartOf[i];
        if (b.code == null) {
            interpreted += i;
        }
        cpu.eip = b.insnEip(i);
        if (f.vector == GuestFault.SMC_RESTART) {
            return stepAlone();
        }
        if (f.vector == GuestFault.RESUME) {
            cpu.instructions++; // a chunk of a REP INS/OUTS counts as a REP MOVS chunk does
            return null;
        }
        return deliverFault(f);
    }

    /**
     * Counts an execution of {@code b} and asks for its next tier once it has proven hot: its
     * translation, then its region, made by the translation worker. Returns the block to run
     * (another one when a synchronous translation replaced {@code b}).
     */
    private Block tierUp(Block b) {
        long n = ++b.execCount;
        if (b.pending != null) {
            return (n & PENDING_POLL_MASK) != 0 ? b : pending(b, n);
        }
        if (b.code == null) {
            if (n >= translateThreshold && !b.untranslatable) {
                // A block that heads a region goes straight to it: translated alone first, it
                // would cost HotSpot a class to interpret, profile and compile for the moments
                // until its region replaced it. Blocks that form none are translated alone.
                if (!b.regionTried && !debug.armed) {
                    regions.request(b, worker);
                }
                int generation = cpu.controls.generation();
                if (b.regionPending) {
                    if (n - translateThreshold < WAIT_FOR_WORKER) {
                        return b;
                    }
                    // The worker is behind with the region: the block is translated here
                    // meanwhile, as below, and the region still replaces it when it comes.
                    return translateHere(b, generation);
                }
                if (!b.queued && !worker.full()) {
                    b.queued = worker.submit(() -> {
                        BlockTranslator.Translation t = cache.translator.compile(b, generation);
                        Method compiling = worker.compileRequest(t.code(), true);
                        return () -> installCompiled(t, compiling);
                    }, true);
                    b.queuedAt = n;
                } else if (n - (b.queued ? b.queuedAt : translateThreshold) >= WAIT_FOR_WORKER) {
                    // The worker is behind (a busy machine, a cold code generator, a full queue):
                    // by now the block has lost about what translating it costs, so the guest's
                    // thread does it.
                    return translateHere(b, generation);
                }
            }
        } else if (n >= REGION_THRESHOLD && !b.regionTried && !debug.armed) {
            regions.request(b, worker);
        } else if ((n & PROMOTE_POLL_MASK) == 0 && b.promotable) {
            promote(b, n);
        }
        return b.valid ? b : cache.lookup();
    }

    /**
     * Runs of a block's translation at C1's tier 1, where it goes in place (HotSpotCompiles.request),
     * after which a block that still runs, no region having taken its place, has its translation
     * asked at tier 3, from where HotSpot takes it to C2 (-Djvmx.promoteRuns=N). Left at tier 1,
     * the guest suite's interpreter loop took 1.6 times as long for its rounds.
     */
    public static final long PROMOTE_RUNS = Long.getLong("jvmx.promoteRuns", 50_000);
    /** A block at tier 1 looks at its runs since then every 4096 runs. */
    private static final long PROMOTE_POLL_MASK = 4095;

    /** Asks for {@code b}'s translation at tier 3 once it has run {@link #PROMOTE_RUNS} times at tier 1. */
    private void promote(Block b, long n) {
        if (n - b.installedAt >= PROMOTE_RUNS && HotSpotCompiles.promote(b.code)) {
            b.promotable = false;
            promoted++;
        }
    }

    /** Translations asked at tier 3 after running at tier 1 ({@link #promote}). */
    private long promoted;

    public long promotedTranslations() {
        return promoted;
    }

    /**
     * Puts {@code b}'s pending translation in place once HotSpot has compiled it (or it has
     * waited too long); returns the block to run. Out of {@link #tierUp}, which stays small
     * enough to be inlined into the loop.
     */
    private Block pending(Block b, long n) {
        PendingInstall p = b.pending;
        if (!HotSpotCompiles.compiled(p.method()) && n - p.since() < PENDING_LIMIT) {
            return b;
        }
        b.pending = null;
        waitedForCompiler++;
        runsWaitingForCompiler += n - p.since();
        p.install().run();
        return b.valid ? b : cache.lookup();
    }

    /** Translates {@code b} on the guest's thread; returns the block to run. */
    private Block translateHere(Block b, int generation) {
        long t0 = System.nanoTime();
        BlockTranslator.Translation t = cache.translator.compile(b, generation);
        installCompiled(t, worker.compileRequest(t.code(), true));
        cache.translator.guestTranslateNanos += System.nanoTime() - t0;
        cache.translator.guestTranslations++;
        return b.valid ? b : cache.lookup();
    }

    /**
     * Executions a block waits in the first tier for the worker's translation before the guest's
     * thread translates it itself (-Djvmx.waitForWorker=N). 2000 was about 1 ms of first-tier
     * time, what a translation costs. Since a translation also waits for C1 before it goes in
     * place (tens of milliseconds: {@link #pending}), translating early on the guest's thread
     * gains less than it costs there: at 8000, Linux to its prompt 0.97-0.98, SeaBIOS 0.96, busybox
     * 0.89 and the suite unchanged in alternating rounds (bench/RESULTS.md).
     */
    static final int WAIT_FOR_WORKER = Integer.getInteger("jvmx.waitForWorker", 8000);

    /** A block with a translation waiting for HotSpot asks whether it is compiled every 64 runs (a question costs about 80 ns). */
    private static final int PENDING_POLL_MASK = 63;
    /**
     * Runs after which the translation is put in place compiled or not: HotSpot may leave a
     * compile undone (a bail-out, a full code cache), and the block would never leave its tier.
     */
    private static final long PENDING_LIMIT = 1 << 20;

    /**
     * Puts a finished translation in place once HotSpot has compiled {@code compiling}, its
     * method queued for C1 ({@link TranslationWorker#compileRequest}, null when not); the block
     * stays in the first tier meanwhile.
     */
    private void installCompiled(BlockTranslator.Translation t, Method compiling) {
        Block b = t.block();
        boolean atTier1 = compiling != null;
        if (!b.valid || !PendingInstall.await(b, compiling, () -> install(t, atTier1), () -> { })) {
            install(t, atTier1);
        }
    }

    /**
     * Puts a finished translation in place (on the guest's thread, at a block boundary);
     * {@code atTier1}: HotSpot was asked to compile it at C1's tier 1, to be promoted if it stays hot.
     */
    private void install(BlockTranslator.Translation t, boolean atTier1) {
        Block b = t.block();
        b.queued = false;
        Block target = cache.translator.install(t);
        if (target == null) {
            return;
        }
        target.promotable = atTier1;
        target.installedAt = b.execCount;
        if (target != b) {
            target.takeCountsFrom(b);
            cache.replace(b, target);
        } else {
            cache.translated(b, b.classBytes.length);
        }
    }

    /**
     * The first tier: runs the block's instructions through their handlers. Each instruction's
     * index is in {@code cpu.faultIndex} while it runs, where a fault leaves it as translated code
     * does ({@link #faulted} counts what ran before it). Without a handler of its own: this loop
     * is compiled into the execution loop, which a first fault would deoptimise otherwise.
     */
    private int interpret(Block b) {
        Cpu cpu = this.cpu;
        Step s = b.steps;
        do {
            cpu.eip = s.address;
            cpu.faultIndex = s.index;
            int r = s.handler.run(cpu, s.insn);
            if (r != Handler.CONTINUE) {
                int n = s.index + 1;
                cpu.instructions += n;
                interpreted += n;
                return r;
            }
            s = s.next;
        } while (s != null);
        Insn[] insns = b.insns;
        int n = insns.length;
        // The block was cut at its length bound or a page: it falls through to the next instruction.
        cpu.eip = insns[n - 1].next;
        cpu.instructions += n;
        interpreted += n;
        return CompiledBlock.FALLTHROUGH;
    }

    /**
     * The block to run after {@code prev} left through {@code slot}, found without a hash
     * lookup: a chain link for direct exits, the per-site target cache for near indirect
     * ones. Null when nothing valid is cached.
     */
    private Block successor(Block prev, int slot) {
        if (slot != CompiledBlock.UNCHAINED && slot != CompiledBlock.INDIRECT) {
            Block b = prev.successor(slot);
            return b != null && b.valid && current(b.foundEpoch) && b.eip == cpu.eip ? b : null;
        }
        if (slot == CompiledBlock.INDIRECT && prev.indirect != null) {
            int eip = cpu.eip;
            Block b = prev.indirect[Block.indirectWay(eip)];
            if (b != null && b.eip == eip && b.valid && current(b.foundEpoch)) {
                return b;
            }
        }
        return null;
    }

    /** A link's epoch has this bit when its target's code is on a global page (see {@link #linkEpoch}). */
    private static final int GLOBAL_LINK = 0x80000000;

    /**
     * The TLB epoch links to {@code b} depend on: a page-table change can move the target of a
     * link only if it may have changed the mapping of the target's code page, and CR3 loads and
     * most INVLPGs leave global pages (the kernel's) alone. It is the target's, not each link's
     * (a block's linear address is fixed, so one lookup that finds it there in this epoch
     * confirms every link to it), which leaves the chained path one array fewer to read.
     */
    private int linkEpoch(Block b) {
        return onGlobalPages(b) ? GLOBAL_LINK | (cpu.mmu.globalEpoch & ~GLOBAL_LINK) : cpu.mmu.localEpoch & ~GLOBAL_LINK;
    }

    /**
     * Whether all of the block's code is on global pages (as the lookup that found it left them
     * in the TLB): a block or region with code on one page that is not must follow the epoch
     * that CR3 loads move.
     */
    private boolean onGlobalPages(Block b) {
        if (!cpu.mmu.fetchGlobal(b.csBase + b.eip)) {
            return false;
        }
        if (b.mappings != null) {
            for (long m : b.mappings) {
                if (!cpu.mmu.fetchGlobal(Block.linearOf(m))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a link made in epoch {@code e} still holds. Without a branch on the kind of link:
     * the dispatcher's compiled code would otherwise leave out the global side until a guest
     * first maps global pages, and be deoptimised then (Linux does at about 5 s of its boot).
     */
    private boolean current(int e) {
        int global = e >> 31; // all ones for a link to a global page
        int want = (GLOBAL_LINK | cpu.mmu.globalEpoch) & global | cpu.mmu.localEpoch & ~GLOBAL_LINK & ~global;
        return e == want;
    }

    private void link(Block prev, int slot, Block b) {
        if (slot != CompiledBlock.UNCHAINED && slot != CompiledBlock.INDIRECT) {
            if (slot < prev.next.length) {
                prev.next[slot] = b;
            }
        } else if (slot == CompiledBlock.INDIRECT && b.mode == prev.mode && b.csBase == prev.csBase) {
            if (prev.indirect == null) {
                prev.indirect = new Block[Block.INDIRECT_WAYS];
            }
            prev.indirect[Block.indirectWay(b.eip)] = b;
        }
    }

    /** At a block start with a debugger's breakpoints or watchpoints set: stops at a breakpoint. */
    private StopReason debugBlockStart(Block b) {
        return debuggerBreakpoint(b.csBase + b.eip);
    }

    /** The debugger's stop at an instruction about to run at linear {@code lin}, or null if it set no breakpoint there. */
    private StopReason debuggerBreakpoint(int lin) {
        if (debug.hasBreakpoint(lin)) {
            return debug.stop(DebugControl.Cause.BREAKPOINT, String.format("breakpoint at %04x:%08x",
                    cpu.seg[Seg.CS].selector, cpu.eip));
        }
        return null;
    }

    /** The debugger's stop after the instruction at {@code eip} touched a watched byte. */
    private StopReason watchpointStop(int eip) {
        return debug.stop(DebugControl.Cause.WATCHPOINT, String.format("watchpoint hit by the instruction at %08x", eip));
    }

    /** With watchpoints set: runs one instruction, and stops after it if it touched a watched byte. */
    private StopReason debugInstruction() {
        debug.clearHit();
        int eip = cpu.eip;
        StopReason r = stepAlone();
        if (r != null) {
            return r;
        }
        if (cpu.interruptShadow) {
            cpu.request(REQUEST_SERVICE); // the shadow covers the next instruction only
        }
        if (debug.watchHitPending()) {
            return watchpointStop(eip);
        }
        return null;
    }

    /**
     * A debugger's single step: runs the instruction at CS:EIP alone and stops after it (a fault
     * it raises is delivered, so the step ends at the handler's first instruction). No interrupt
     * is taken before it, as QEMU's gdb stub steps by default; a halted CPU waits for one first
     * and the step ends where its handler starts.
     */
    public StopReason singleStep() {
        stopRequest = null;
        cpu.interruptRequest &= ~REQUEST_STOP;
        debuggerStepping = true;
        try {
            while (cpu.halted) {
                StopReason r = boundary();
                if (r != null) {
                    return r;
                }
                if (!cpu.halted) {
                    return debug.stop(DebugControl.Cause.STEP, "step: an interrupt woke the CPU");
                }
            }
        } finally {
            debuggerStepping = false;
        }
        debug.clearHit();
        // The guest's own breakpoints still fire on the stepped instruction (the step then ends at
        // the #DB handler, as with any fault); the debugger's own are not looked at, as gdb steps.
        StopReason r = cpu.breakpoints.armed ? breakpointStep(false) : stepAlone();
        if (r != null) {
            return r;
        }
        if (cpu.interruptShadow) {
            cpu.request(REQUEST_SERVICE);
        }
        if (debug.watching() && debug.watchHitPending()) {
            return debug.stop(DebugControl.Cause.WATCHPOINT, "watchpoint hit by a single step");
        }
        return debug.stop(DebugControl.Cause.STEP, "single step");
    }

    /** Stops the loop for a debugger at the next block boundary (any thread): an interrupt from gdb, its attach. */
    public void requestDebugStop(String why) {
        requestStop(new StopReason(StopReason.Kind.DEBUG, 0, why));
    }

    /** Runs the instruction at EIP alone through its handler (after a write into the running block). */
    private StopReason stepAlone() {
        Block one;
        try {
            one = cache.decodeOne();
        } catch (GuestFault f) {
            return deliverFault(f);
        }
        return runAlone(one);
    }

    /** A halted CPU at a boundary with nothing taken: waits for an interrupt, or stops when none can come. */
    private StopReason waitHalted() {
        if ((cpu.eflags & Eflags.IF) == 0 && (scheduler == null || !scheduler.othersMayRun())) {
            return StopReason.of(StopReason.Kind.HALTED, String.format(
                    "guest halted with interrupts disabled at %04x:%08x", cpu.seg[Seg.CS].selector, cpu.eip));
        }
        StopReason r = platform.waitForInterrupt(cpu);
        if (r != null) {
            return r;
        }
        cpu.request(REQUEST_SERVICE);
        return null;
    }

    /** A debugger's single step is waiting for a halted CPU to wake: the boundary steps no instruction itself. */
    private boolean debuggerStepping;
    /** DR6 bits of debug traps a MOV SS / POP SS raised: delivered after the next instruction (SDM Vol. 3A, 6.8.3). */
    private int heldDebugTraps;
    /** The last instruction loaded SS: the next one runs with MOV-SS blocking (no instruction breakpoint, no event). */
    private boolean afterSsLoad;

    /**
     * One instruction while the guest's debug registers enable a breakpoint (SDM Vol. 3B, 18.3):
     * an instruction breakpoint at it is a #DB fault before it runs, unless RF is set, MOV-SS
     * blocking holds (the instruction after MOV SS / POP SS, as on Intel processors), or it is a
     * REP string instruction resuming; then RF clears, and once it has completed (or a REP
     * iteration has) the data breakpoints it hit and a single step (EFLAGS.TF) make one #DB trap.
     * A debugger's breakpoints and watchpoints are checked around it as in its own stepping.
     */
    private StopReason breakpointStep(boolean debuggerBreakpoints) {
        int lin = cpu.linearEip();
        StopReason atBreakpoint = debuggerBreakpoints && debug.armed ? debuggerBreakpoint(lin) : null;
        if (atBreakpoint != null) {
            return atBreakpoint;
        }
        boolean ssBlocking = afterSsLoad;
        afterSsLoad = false;
        try {
            if ((cpu.eflags & Eflags.RF) == 0 && !ssBlocking && !cpu.repUnfinished) {
                int hits = cpu.breakpoints.codeHits(lin);
                if (hits != 0) {
                    heldDebugTraps = 0;
                    Interrupts.instructionBreakpoint(cpu, hits);
                    cpu.halted = false;
                    return null;
                }
            }
            cpu.eflags &= ~Eflags.RF;
            boolean tf = (cpu.eflags & Eflags.TF) != 0;
            cpu.breakpoints.takeDataHits();
            debug.clearHit();
            Block one;
            try {
                one = cache.decodeOne();
            } catch (GuestFault f) {
                heldDebugTraps = 0;
                return deliverFault(f); // a fetch fault: no instruction completed, so no trap
            }
            StopReason r = runAlone(one);
            int hits = cpu.breakpoints.takeDataHits();
            if (r != null) {
                return r;
            }
            if (!stepCompleted && !cpu.repUnfinished) {
                heldDebugTraps = 0; // it faulted: the fault was delivered, no trap
                return null;
            }
            if (debug.watching() && debug.watchHitPending()) {
                return watchpointStop(one.insnEip(0));
            }
            int payload = hits | heldDebugTraps | (tf && stepCompleted ? SystemOps.DR6_BS : 0) | cpu.pendingDebugTraps;
            cpu.pendingDebugTraps = 0;
            if (stepCompleted && loadsSs(one.insns[0])) {
                heldDebugTraps = payload;
                afterSsLoad = true;
                return null;
            }
            heldDebugTraps = 0;
            if (payload != 0) {
                Interrupts.debugTrap(cpu, payload);
                cpu.halted = false;
            }
            return null;
        } catch (Interrupts.TripleFault t) {
            return StopReason.of(StopReason.Kind.TRIPLE_FAULT, t.getMessage());
        }
    }

    /**
     * EFLAGS.TF (SDM Vol. 3A, "Single-Step Exception Condition"): the instruction at CS:EIP runs
     * alone and, when it completes, the single-step trap follows (after an INT n, at the handler it
     * entered with TF clear). One that faults takes its fault instead. MOV SS and POP SS hold the
     * trap back until after the next instruction.
     */
    private StopReason traceStep() {
        Block one;
        try {
            one = cache.decodeOne();
        } catch (GuestFault f) {
            return deliverFault(f); // a fetch fault: no instruction completed, so no trap
        }
        StopReason r = runAlone(one);
        if (r != null || !stepCompleted || loadsSs(one.insns[0])) {
            return r;
        }
        try {
            Interrupts.singleStepTrap(cpu);
        } catch (Interrupts.TripleFault t) {
            return StopReason.of(StopReason.Kind.TRIPLE_FAULT, t.getMessage());
        }
        cpu.halted = false; // a HLT that was traced: its trap's handler runs
        return null;
    }

    private static boolean loadsSs(Insn i) {
        return (i.mnemonic == Mnemonic.MOV_SEG_LOAD && i.operands[0].reg == Seg.SS)
                || (i.mnemonic == Mnemonic.POP_SEG && i.operands[0].reg == Seg.SS);
    }

    /** Set by {@link #runAlone}: the instruction completed (no fault, not a chunk of a REP to resume). */
    private boolean stepCompleted;

    private StopReason runAlone(Block one) {
        stepCompleted = false;
        cache.setRunning(one);
        try {
            interpret(one);
        } catch (GuestFault f) {
            cache.setRunning(null);
            cpu.eip = one.insnEip(0);
            if (f.vector == GuestFault.RESUME) {
                cpu.instructions++;
                return null;
            }
            return deliverFault(f);
        } finally {
            cache.setRunning(null);
        }
        stepCompleted = true;
        return null;
    }

    private StopReason deliverFault(GuestFault f) {
        // The faulting instruction counts, so that time (and the service deadline) moves on in a
        // loop of faults that retires nothing, and --clock virtual stays repeatable.
        cpu.instructions++;
        try {
            Interrupts.deliverException(cpu, f);
            cpu.halted = false;
            return null;
        } catch (Interrupts.TripleFault t) {
            return StopReason.of(StopReason.Kind.TRIPLE_FAULT,
                    t.getMessage() + String.format(" at %04x:%08x", cpu.seg[Seg.CS].selector, cpu.eip));
        }
    }

    /** A requested stop; a debugger's is recorded as its cause. */
    private StopReason debugRequest(StopReason r) {
        return r.kind == StopReason.Kind.DEBUG ? debug.stop(DebugControl.Cause.REQUEST, r.message) : r;
    }

    /**
     * An NMI that is not blocked, an interrupt request that IF (or external-interrupt exiting)
     * lets through, or an interrupt window that exits.
     */
    private boolean eventWaiting() {
        return (platform.nmiPending() && !cpu.nmiBlocked)
                || (Interrupts.externalInterruptOpen(cpu) && platform.interruptPending())
                || Interrupts.interruptWindowExits(cpu);
    }

    /**
     * Between blocks, when something asked for a look or the device deadline passed: takes
     * requests, services devices, delivers events. While the CPU is halted, or single-stepping
     * with EFLAGS.TF or with a debug-register breakpoint enabled (whose instructions
     * {@link #boundaryOnce} runs one by one), it goes on here
     * instead of returning to a loop that would run no block: in the loop that would be a branch
     * no guest takes until it first idles, and its first use would deoptimise the loop.
     */
    private StopReason boundary() {
        StopReason r;
        do {
            r = boundaryOnce();
        } while (r == null && (cpu.halted || (cpu.eflags & Eflags.TF) != 0 || cpu.breakpoints.armed && !debuggerStepping));
        return r;
    }

    private StopReason boundaryOnce() {
        if ((cpu.interruptRequest & REQUEST_STOP) != 0 && stopRequest != null) {
            return debugRequest(stopRequest);
        }
        cpu.takeRequests();
        C2Hold.check(cpu.instructions);
        if (cpu.memory.growWanted()) {
            // RAM on demand is used enough: take it into the array while no block holds the old one
            // (the code cache drops every translation, which holds it: see CodeCache).
            cpu.memory.grow();
            ramTakenInAt = cpu.instructions;
        }
        worker.installFinished();
        StopReason r = platform.service(cpu);
        if (r != null) {
            return r;
        }
        if (stopRequest != null) {
            return debugRequest(stopRequest);
        }
        if (scheduler != null) {
            scheduler.schedule(cpu); // what follows looks at the events of the processor now in cpu
        }
        if (cpu.pendingDebugTraps != 0) {
            // A task switch to a TSS with its T flag: #DB before the new task's first instruction.
            int traps = cpu.pendingDebugTraps;
            cpu.pendingDebugTraps = 0;
            try {
                Interrupts.debugTrap(cpu, traps);
            } catch (Interrupts.TripleFault t) {
                return StopReason.of(StopReason.Kind.TRIPLE_FAULT, t.getMessage());
            }
            cpu.halted = false;
        }
        if (cpu.interruptShadow) {
            // The block that just ran ended with STI / MOV SS / POP SS (they end their block):
            // the next instruction runs before any interrupt is taken, and only that one.
            cpu.interruptShadow = false;
            if (cpu.breakpoints.armed && !debuggerStepping) {
                return breakpointStep(true);
            }
            if (!eventWaiting()) {
                cpu.request(REQUEST_SERVICE);
                return null;
            }
            cpu.eflags &= ~Eflags.RF; // no instruction breakpoint to check: RF clears as the instruction starts
            r = (cpu.eflags & Eflags.TF) != 0 ? traceStep() : stepAlone();
            if (r != null) {
                return r;
            }
            if (cpu.interruptShadow) {
                cpu.request(REQUEST_SERVICE); // it opened a shadow of its own
                return null;
            }
        }
        if (platform.nmiPending()) {
            if (!cpu.nmiBlocked) {
                // NMI: vector 2 whatever IF says; NMIs stay blocked until the handler's IRET.
                platform.acknowledgeNmi();
                cpu.nmiBlocked = true;
                try {
                    Interrupts.deliverNmi(cpu);
                } catch (Interrupts.TripleFault t) {
                    return StopReason.of(StopReason.Kind.TRIPLE_FAULT, t.getMessage());
                }
                cpu.halted = false;
                cpu.request(REQUEST_SERVICE);
                return null;
            }
            // Blocked until the handler's IRET, which asks for a look (Cpu.REQUEST_EVENT_WINDOW).
        }
        try {
            // VMX: an interrupt window that exits goes before an external interrupt (SDM Vol. 3C).
            if (Interrupts.interruptWindowExits(cpu)) {
                Interrupts.exitForInterruptWindow(cpu);
            } else if (Interrupts.externalInterruptOpen(cpu) && platform.interruptPending()) {
                Interrupts.takeExternal(cpu, acknowledge);
            }
        } catch (Interrupts.TripleFault t) {
            return StopReason.of(StopReason.Kind.TRIPLE_FAULT, t.getMessage());
        }
        // A request IF holds back waits: STI opens a shadow (see above); POPF, IRET and task
        // switches that set IF while one waits end their block and ask for a look
        // (Cpu.REQUEST_EVENT_WINDOW). An interrupt window that exits waits so too.
        cpu.eventHeld = (cpu.eflags & Eflags.IF) == 0
                && (platform.interruptPending() || cpu.controls.interruptWindowExits());
        if (cpu.breakpoints.armed && !debuggerStepping) {
            if (cpu.halted) {
                return waitHalted();
            }
            return breakpointStep(true);
        }
        // RF (set by an IRET or a task switch) stood for the next instruction's breakpoint check,
        // and an event taken above pushed it; with no breakpoint armed it clears as that instruction starts.
        cpu.eflags &= ~Eflags.RF;
        if (cpu.halted) {
            return waitHalted();
        } else if ((cpu.eflags & Eflags.TF) != 0) {
            r = traceStep();
            if (r != null) {
                return r;
            }
            cpu.request(REQUEST_SERVICE); // back here for the next one: run() runs no block while TF is set
        }
        return null;
    }
}
