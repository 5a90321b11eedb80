package dev.jvmx.translator.cpu;

/** Told of every interrupt and exception the CPU starts to deliver (for QEMU's {@code -d int} log). */
@FunctionalInterface
public interface InterruptListener {
    /**
     * Called before the delivery of {@code vector}, with the state of the interrupted
     * instruction in {@code cpu}. {@code kind} is one of Interrupts.EXTERNAL, EXCEPTION,
     * SOFTWARE, SOFTWARE_EXCEPTION.
     */
    void delivering(Cpu cpu, int vector, int kind, boolean hasErrorCode, int errorCode);
}
