package dev.jvmx.translator.exec;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.PrimaryProcessorControls;
import dev.jvmx.vmx.SecondaryProcessorControls;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A first-tier handler serves every set of VM-execution controls: it asks them when the
 * instruction runs (SDM Vol. 3C 25.1.3, instructions that exit conditionally), so the same
 * handlers give the exits of either setting, and a change of controls makes no handler anew.
 */
class HandlersAskControlsTest {
    private static final String CODE = "mov ecx, 0x10\nrdtsc\nwbinvd\nmov dr7, ecx\nhlt\n";

    @Test
    void oneHandlerExitsOrNotAsTheControlsSayWhenItRuns() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        byte[] code = Asm.assemble32(CODE);
        BareMachine m = BareMachine.flat32();
        m.useTier(1);
        m.cpu.controls.setPrimary(PrimaryProcessorControls.HLT_EXITING | PrimaryProcessorControls.RDTSC_EXITING
                | PrimaryProcessorControls.MOV_DR_EXITING | PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        m.cpu.controls.setSecondary(SecondaryProcessorControls.WBINVD_EXITING);
        m.run(code);
        assertEquals(List.of(ExitReason.RDTSC, ExitReason.WBINVD, ExitReason.MOV_DR, ExitReason.HLT), m.exits);
        CodeCache.Statistics first = m.cache.statistics();

        m.resetFlat32(BareMachine.CODE_BASE, BareMachine.STACK_TOP);
        m.cpu.controls.setPrimary(0);
        m.cpu.controls.setSecondary(0);
        m.run(code);
        assertEquals(List.of(), m.exits, "no control asks for an exit: the instructions run in place");
        assertEquals(0x10, m.cpu.dr[7] & 0xFF, "MOV DR7 ran without an exit");
        CodeCache.Statistics second = m.cache.statistics();
        assertEquals(first.handlersMade() + first.handlersLoaded(), second.handlersMade() + second.handlersLoaded(),
                "the same handlers served the second set of controls");
    }
}
