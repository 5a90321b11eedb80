package dev.jvmx.devices;

import java.util.ArrayList;
import java.util.List;

/** A MachineControl that records what devices asked for. */
public final class RecordingMachine implements MachineControl {
    public final List<Integer> exits = new ArrayList<>();
    public final List<String> resets = new ArrayList<>();
    public final List<Boolean> a20 = new ArrayList<>();

    @Override public void requestExit(int exitCode, String reason) { exits.add(exitCode); }
    @Override public void requestReset(String reason) { resets.add(reason); }
    @Override public void setA20(boolean enabled) { a20.add(enabled); }
}
