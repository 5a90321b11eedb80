package dev.jvmx.devices;

/** What a device may ask of the machine it sits in, without knowing the CPU. */
public interface MachineControl {
    /** Ends the run with the given process exit code (isa-debug-exit, ...). */
    void requestExit(int exitCode, String reason);

    /** Resets the machine (8042 command 0xFE, port 0x92 bit 0, port 0xCF9). */
    void requestReset(String reason);

    /** Turns the machine off (ACPI soft off): the run ends with exit code 0. */
    default void requestPowerOff(String reason) {
        requestExit(0, "guest powered off (" + reason + ")");
    }

    /**
     * Puts the machine to sleep (ACPI S3, suspend to RAM): the CPU stops after the current
     * instruction, RAM keeps its contents, and the machine resumes on a wake event.
     */
    default void requestSuspend(String reason) { }

    /** Sets the A20 gate (8042 output port bit 1, port 0x92 bit 1). */
    void setA20(boolean enabled);

    MachineControl NONE = new MachineControl() {
        @Override public void requestExit(int exitCode, String reason) { }
        @Override public void requestReset(String reason) { }
        @Override public void setA20(boolean enabled) { }
    };
}
