package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.cpu.Cpu;

import java.lang.reflect.Method;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;

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
    private final BlockingQueue<Callable<Runnable>> jobs = new ArrayBlockingQueue<>(QUEUE);
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
     * translation in place at once.
     */
    Method compileRequest(CompiledBlock code) {
        return waitsForCompiler() ? HotSpotCompiles.request(code) : null;
    }

    /** While {@code on}, queued jobs wait (for tests of a worker that has fallen behind); off starts them. */
    void hold(boolean on) {
        held = on;
        if (!on && !jobs.isEmpty()) {
            start();
        }
    }

    /** Jobs waiting to run. */
    int waiting() {
        return jobs.size();
    }

    /** The queue is full: a submit now would be declined. */
    boolean full() {
        return !synchronous && jobs.remainingCapacity() == 0;
    }

    /** Queues a translation; false when the queue is full (try again later). */
    boolean submit(Callable<Runnable> job) {
        if (synchronous) {
            call(job).run();
            return true;
        }
        if (!held) {
            start();
        }
        return jobs.offer(job);
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
                job = jobs.take();
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
        jobs.clear();
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
