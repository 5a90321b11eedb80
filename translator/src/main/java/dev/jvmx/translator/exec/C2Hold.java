package dev.jvmx.translator.exec;

/**
 * HotSpot's C2 held back while a boot is young: its tiers stop at C1 with counters only
 * ({@code TieredStopAtLevel} 2, set through WhiteBox, {@link HotSpotCompiles}) until the guest has
 * retired {@link #INSTRUCTIONS} instructions on one processor; then C2 takes over as usual.
 *
 * <p>Why: in the first half second of a run the start-up cache's training replay and jvmx's own
 * warm-up queue hundreds of compiles, and the two compilers share the one core the guest's thread
 * leaves them. C2's compiles of the JVM's and jvmx's start-up code (0.5 s of its thread's wall
 * time in a SeaBIOS boot, by JFR) pay back only in a long run, and meanwhile C1 has half a core
 * for the first tier's handlers and the first translations, which the guest waits for. Held
 * back, SeaBIOS boots in 0.86 of the time, and Linux's boot and the suite are no slower
 * (bench/RESULTS.md).
 *
 * <p>A region in place no longer lets C2 in: since regions take only hot blocks (RegionFormer)
 * SeaBIOS's memset loop is one within about 10 K runs, and C2 then compiled jvmx's code for
 * 57 ms of the core C1 needed; held to the count, SeaBIOS boots in 0.87 of the time, and Linux,
 * whose first region and the count both come about a second after the JVM's start, is unchanged.
 *
 * <p>Held once per JVM, for a guest's run ({@link #beginInBackground}, from {@code jvmx boot}'s
 * main), and only when HotSpot runs its usual tiers up to C2 (not under
 * {@code -XX:TieredStopAtLevel} or {@code -XX:-TieredCompilation}); {@code -Djvmx.c2Hold=0} turns
 * it off, {@code -Djvmx.c2Hold=N} releases it after N instructions instead.
 */
public final class C2Hold {
    /** Instructions one processor retires before C2 is let in even without a region. */
    static final long INSTRUCTIONS = Long.getLong("jvmx.c2Hold", 10_000_000L);
    /** HotSpot's tier while held: C1 with invocation and back-edge counters, no profile. */
    static final int LIMIT = 2;
    /** HotSpot's highest tier, C2: the hold begins only from there, and sets it back on release. */
    private static final long C2 = 4;

    private static volatile boolean held;
    /** Begun, or released before it began (then it does not). */
    private static volatile boolean begun;

    private C2Hold() { }

    /**
     * Holds C2 back, once per JVM (once released it stays so); nothing without the WhiteBox
     * interface or with {@code -Djvmx.c2Hold=0}.
     */
    public static synchronized void begin() {
        if (begun || INSTRUCTIONS <= 0) {
            return;
        }
        begun = true;
        hold();
    }

    /**
     * {@link #begin} on a thread of its own: binding the WhiteBox functions takes about 10 ms
     * (method handles spun for each), which the guest's start need not wait for.
     */
    public static void beginInBackground() {
        if (INSTRUCTIONS <= 0) {
            return;
        }
        beginner().start();
    }

    /**
     * The thread {@link #beginInBackground} starts, not started: the start-up cache's training
     * run makes one so that the cache holds its lambda, which a start otherwise spun (1-2 ms).
     */
    public static Thread beginner() {
        Thread t = new Thread(C2Hold::begin, "jvmx-c2-hold");
        t.setDaemon(true);
        return t;
    }

    /** Holds C2 back now, if HotSpot's tiers reach it (tests: {@link #begin} does it once per JVM). */
    static synchronized void hold() {
        Long top = HotSpotCompiles.intxFlag("TieredStopAtLevel");
        held = top != null && top == C2 && Boolean.TRUE.equals(HotSpotCompiles.booleanFlag("TieredCompilation"))
                && HotSpotCompiles.setIntxFlag("TieredStopAtLevel", LIMIT);
    }

    /** Whether C2 is held back now. */
    static boolean held() {
        return held;
    }

    /** Releases the hold once a processor has retired {@code instructions}. */
    static void check(long instructions) {
        if (held && instructions >= INSTRUCTIONS) {
            release();
        }
    }

    /** Lets C2 in: the guest has run long enough (and tests). */
    static void release() {
        if (held || !begun) {
            releaseNow();
        }
    }

    private static synchronized void releaseNow() {
        begun = true; // a hold begun in the background after this would come too late
        if (held) {
            held = false;
            HotSpotCompiles.setIntxFlag("TieredStopAtLevel", C2);
        }
    }
}
