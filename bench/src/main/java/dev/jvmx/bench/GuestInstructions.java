package dev.jvmx.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Guest instructions retired, reported per second by JMH beside a benchmark's own score. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class GuestInstructions {
    public long guestInstructions;

    @Setup(Level.Iteration)
    public void clear() {
        guestInstructions = 0;
    }
}
