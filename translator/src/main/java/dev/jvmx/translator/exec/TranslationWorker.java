package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.cpu.Cpu;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Translation off the guest's thread (issue: "translation off the critical path"): a job
 * compiles a block or region into a class on a daemon thread while the guest goes on in the
 * first tier, and hands back an installer that the execution loop runs at a block boundary
 * (it asks for one through {@link Cpu#interruptRequest}). Installing checks that what was
 * translated is still valid. In synchronous mode (tests, deterministic measurements) a job runs
 * and installs at once.
 *
 * <p>While C2 is held back ({@link C2Hold}: a young boot) the thread runs at Java's lowest
 * priority, which the launcher maps to nice 15, below HotSpot's compilers at 10: the guest then
 * waits for C1's compiles of the first tier's handlers more than for translations (which wait
 * for C1 too before they go in place), and at nice 0 the worker took the core C1 shares with
 * it (SeaBIOS 5-9% faster). Afterwards it runs at the guest's priority: a Linux boot waits for
 * its translations, and was 4% slower to its prompt with the worker at nice 15 throughout.
 */
final class TranslationWorker {
    /** Jobs waiting; past this many, a request is declined and made again at a later execution. */
    static final int QUEUE = 256;

    private final Cpu cpu;
    /** Jobs for blocks that wait in the first tier, which go first, and the rest (see {@link #submit}). */
    private final ConcurrentLinkedQueue<Callable<Runnable>> blockJobs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Callable<Runnable>> otherJobs = new ConcurrentLinkedQueue<>();
    /** One permit per job queued: the worker takes one before each job. */
    private final Semaphore queued = new Semaphore(0);
    private final ConcurrentLinkedQueue<Runnable> done = new ConcurrentLinkedQueue<>();
    private volatile boolean synchronous;
    /** Jobs wait in the queue unrun (tests: a worker that has fallen far behind). */
    private volatile boolean held;
    private Thread thread;
    /** A job threw: the exception, thrown again on the guest's thread. */
    private volatile Throwable failure;

    TranslationWorker(Cpu cpu) {
        this.cpu = cpu;
    }

    void setSynchronous(boolean on) {
        synchronous = on;
    }

    /**
     * Whether a translation goes in place only once HotSpot has compiled it (HotSpotCompiles):
     * not in synchronous mode, whose translations must land at the same points every run.
     */
    boolean waitsForCompiler() {
        return !synchronous && HotSpotCompiles.available();
    }

    /**
     * Queues a finished translation's method for C1 when translations wait for the compiler
     * ({@link #waitsForCompiler}); the method to wait for (PendingInstall), or null to put the
     * translation in place at once. {@code blockWaits}: a block's translation, whose block runs in
     * the first tier until then, which goes ahead of regions ({@link HotSpotCompiles#request}).
     */
    Method compileRequest(CompiledBlock code, boolean blockWaits) {
        return waitsForCompiler() ? HotSpotCompiles.request(code, blockWaits) : null;
    }

    /** While {@code on}, queued jobs wait (for tests of a worker that has fallen behind); off starts them. */
    void hold(boolean on) {
        held = on;
        if (!on && waiting() > 0) {
            start();
        }
    }

    /** Jobs waiting to run. */
    int waiting() {
        return queued.availablePermits();
    }

    /** The queue is full: a submit now would be declined. */
    boolean full() {
        return !synchronous && waiting() >= QUEUE;
    }

    /** Queues a job behind the others; false when the queue is full (try again later). */
    boolean submit(Callable<Runnable> job) {
        return submit(job, false);
    }

    /**
     * Queues a job; with {@code blockWaits}, ahead of every region queued before it (blocks keep
     * their order among themselves). A block's translation is what its block waits for in the
     * first tier, while a region replaces code already translated and takes the worker several
     * times as long; C1 takes them in the same order ({@link HotSpotCompiles#request}). False
     * when the queue is full (try again later).
     */
    boolean submit(Callable<Runnable> job, boolean blockWaits) {
        if (synchronous) {
            call(job).run();
            return true;
        }
        if (!held) {
            start();
        }
        if (full()) {
            return false;
        }
        (blockWaits ? blockJobs : otherJobs).add(job);
        queued.release();
        return true;
    }

    private void start() {
        if (thread == null) {
            thread = new Thread(this::work, "jvmx-translator");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void work() {
        boolean below = false;
        while (true) {
            Callable<Runnable> job;
            try {
                queued.acquire();
                job = blockJobs.poll();
                if (job == null) {
                    job = otherJobs.poll();
                }
                if (job == null) {
                    continue; // close() emptied the queues after the permit was taken
                }
            } catch (InterruptedException e) {
                return;
            }
            if (below != C2Hold.held()) {
                below = !below;
                Thread.currentThread().setPriority(below ? Thread.MIN_PRIORITY : Thread.NORM_PRIORITY);
            }
            try {
                done.add(call(job));
            } catch (RuntimeException | Error e) {
                // An Error too (out of heap while making a class): the guest's thread ends the run
                // with it; a worker that died here would leave its queue waiting forever.
                failure = e;
            }
            cpu.request(ExecutionLoop.REQUEST_INSTALL);
        }
    }

    private static Runnable call(Callable<Runnable> job) {
        try {
            return job.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends the worker thread: it holds the CPU, and through it the machine's RAM, for as long as
     * it waits for jobs. A later {@link #submit} starts a new one.
     */
    void close() {
        Thread t = thread;
        thread = null;
        queued.drainPermits();
        blockJobs.clear();
        otherJobs.clear();
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs the installers of the translations finished so far (on the guest's thread). */
    void installFinished() {
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) f;
        }
        for (Runnable r; (r = done.poll()) != null; ) {
            r.run();
        }
    }
}
