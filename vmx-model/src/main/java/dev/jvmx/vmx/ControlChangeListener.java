package dev.jvmx.vmx;

/**
 * Told when an execution control changes, so that translations that baked an exit decision in
 * (I/O bitmap, HLT exiting ...) can be dropped.
 */
@FunctionalInterface
public interface ControlChangeListener {
    /** Which part of the controls changed. */
    enum ChangeKind {
        PIN_BASED, PRIMARY_PROCESSOR, SECONDARY_PROCESSOR, EXCEPTION_BITMAP, CR_MASKS_AND_SHADOWS,
        IO_BITMAP, MSR_BITMAP,
        /** "Interrupt-window exiting" alone, which no translation depends on. */
        INTERRUPT_WINDOW
    }

    void controlsChanged(ChangeKind kind);
}
