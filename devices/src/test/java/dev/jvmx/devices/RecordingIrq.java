package dev.jvmx.devices;

/** An IrqLine that remembers its level and counts rising edges. */
public final class RecordingIrq implements IrqLine {
    public boolean level;
    public int risingEdges;

    @Override
    public void set(boolean l) {
        if (l && !level) {
            risingEdges++;
        }
        level = l;
    }
}
