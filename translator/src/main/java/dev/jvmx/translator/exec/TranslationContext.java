package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exit.ExitContext;
import dev.jvmx.vmx.ControlChangeListener.ChangeKind;
import dev.jvmx.vmx.ExecutionControls;

/**
 * The execution controls the code generator consults while it translates a block (the
 * emitters do not hold the Cpu). They are bound per thread: the thread that translates is
 * the thread that runs the guest. With nothing bound, translation uses
 * {@link ExitContext#exitEverything()}, under which every sensitive instruction exits.
 *
 * <p>{@link #attach} binds a CPU's controls and makes each change of a control that the
 * translator bakes into code (primary and secondary processor-based controls, I/O bitmaps)
 * flush the translation cache. CR0/CR4 masks and shadows, the MSR bitmaps, CR3 targets and
 * the exception bitmap are read at run time and need no flush.
 */
public final class TranslationContext {
    private static final ExecutionControls EXIT_EVERYTHING = ExitContext.exitEverything();
    private static final ThreadLocal<ExecutionControls> BOUND = new ThreadLocal<>();

    private TranslationContext() { }

    /** The controls for the translation under way on this thread. */
    public static ExecutionControls current() {
        ExecutionControls c = BOUND.get();
        return c != null ? c : EXIT_EVERYTHING;
    }

    /** Binds {@code controls} for translations on this thread. */
    public static void bind(ExecutionControls controls) {
        BOUND.set(controls);
    }

    /** Back to the exit-everything default on this thread. */
    public static void unbind() {
        BOUND.remove();
    }

    /** True when a change of this kind alters code already translated. */
    public static boolean affectsTranslations(ChangeKind kind) {
        switch (kind) {
            case PRIMARY_PROCESSOR:
            case SECONDARY_PROCESSOR:
            case IO_BITMAP:
                return true;
            default:
                return false;
        }
    }

    /**
     * Binds the CPU's controls on this thread and, the first time for this CPU, registers the
     * listener that flushes {@code cache} when a control the translations depend on changes.
     * If the controls were changed before they were attached while blocks were already
     * translated (under the default), those blocks are flushed now.
     */
    public static void attach(Cpu cpu, TranslationCache cache) {
        ExitContext x = cpu.exitContext;
        ExecutionControls c = x.controls;
        bind(c);
        if (x.flushTarget == cache) {
            return;
        }
        x.flushTarget = cache;
        c.addListener(kind -> {
            if (affectsTranslations(kind)) {
                cache.flush();
            }
        });
        if (c.generation() != x.initialGeneration && cache.size() > 0) {
            cache.flush();
        }
    }
}
