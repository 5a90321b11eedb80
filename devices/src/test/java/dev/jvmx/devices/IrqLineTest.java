package dev.jvmx.devices;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IrqLineTest {
    /**
     * The devices' interrupt lines are lambdas of this interface, made at every start. The start-up
     * cache holds no lambda of an interface with a static initialiser, which a constant of the
     * interface gives it: with one (an {@code IrqLine NONE = level -> { }}) every start spun them.
     */
    @Test
    void hasNoConstantsSoItsLambdasAreCached() {
        assertEquals(0, IrqLine.class.getDeclaredFields().length);
    }

    @Test
    void pulseIsHighThenLow() {
        List<Boolean> seen = new ArrayList<>();
        IrqLine line = seen::add;
        line.pulse();
        assertEquals(List.of(true, false), seen);
    }
}
