package dev.jvmx.devices.apic;

import dev.jvmx.devices.timer.TimeStampCounter;
import dev.jvmx.devices.timer.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.jvmx.devices.apic.LocalApic.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected values worked from the SDM Vol. 3A, chapter 11 (Advanced Programmable Interrupt
 * Controller): the reset state (11.4.7.1), priorities (11.8.3.1), the ESR's write-before-read
 * rule (11.5.3), the timer (11.5.4), the ICR (11.6.1) and IA32_APIC_BASE (11.4.4).
 */
class LocalApicTest {
    final VirtualClock clock = new VirtualClock();
    final FakeTsc tsc = new FakeTsc();
    LocalApic apic;
    int intrCalls;
    final List<Integer> eois = new ArrayList<>();

    static final class FakeTsc implements TimeStampCounter {
        long now;

        @Override
        public long read() {
            return now;
        }

        @Override
        public long nanosAt(long value) {
            return value; // one count per nanosecond from time 0, as the virtual clock here
        }
    }

    static final class FakePic implements ExtIntSource {
        boolean intr;
        int vector = 0x08;
        int acks;

        @Override
        public boolean intr() {
            return intr;
        }

        @Override
        public int acknowledge() {
            acks++;
            intr = false;
            return vector;
        }
    }

    @BeforeEach
    void setUp() {
        apic = new LocalApic(clock, tsc, 0, false);
        apic.setIntrListener(() -> intrCalls++);
        apic.setEoiListener(eois::add);
    }

    void enable() {
        apic.write(SVR, 0x1FF);
    }

    int esr() {
        apic.write(ESR, 0); // 11.5.3: write, then read
        return apic.read(ESR);
    }

    @Test
    void resetState() {
        // 11.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, timer registers 0; DFR all ones; LVT masked; SVR FFh.
        assertEquals(0xFEE00900L, apic.readBaseMsr()); // base FEE00000, BSP, global enable
        assertEquals(0, apic.read(ID));
        assertEquals(0x00050014, apic.read(VERSION)); // version 14h, max LVT entry 5
        assertEquals(0, apic.read(TPR));
        assertEquals(0, apic.read(PPR));
        assertEquals(0, apic.read(LDR));
        assertEquals(0xFFFFFFFF, apic.read(DFR));
        assertEquals(0xFF, apic.read(SVR));
        for (int r = LVT_TIMER; r <= LVT_ERROR; r += 0x10) {
            assertEquals(0x00010000, apic.read(r), Integer.toHexString(r));
        }
        for (int r = 0; r < 0x80; r += 0x10) {
            assertEquals(0, apic.read(ISR + r));
            assertEquals(0, apic.read(TMR + r));
            assertEquals(0, apic.read(IRR + r));
        }
        assertEquals(0, apic.read(TIMER_INITIAL));
        assertEquals(0, apic.read(TIMER_CURRENT));
        assertEquals(0, apic.read(TIMER_DIVIDE));
        assertEquals(0, apic.read(ICR_LOW));
        assertFalse(apic.softwareEnabled());
        assertTrue(apic.globallyEnabled());
    }

    @Test
    void highestPriorityClassIsTakenFirstAndEoiRetiresIt() {
        enable();
        apic.accept(FIXED, 0x31, false);
        apic.accept(FIXED, 0x45, false);
        assertEquals(0x00020000, apic.read(IRR + 0x10)); // vector 31h: word 1, bit 17
        assertEquals(0x00000020, apic.read(IRR + 0x20)); // vector 45h: word 2, bit 5
        assertTrue(apic.intr());
        assertEquals(0x45, apic.acknowledge());
        assertEquals(0x00000020, apic.read(ISR + 0x20));
        assertEquals(0, apic.read(IRR + 0x20));
        // PPR = ISRV[7:4]:0 = 40h because TPR[7:4] (0) < 4; class 3 is not above it.
        assertEquals(0x40, apic.read(PPR));
        assertFalse(apic.intr());
        apic.write(EOI, 0);
        assertEquals(0, apic.read(ISR + 0x20));
        assertEquals(0, apic.read(PPR));
        assertTrue(apic.intr());
        assertEquals(0x31, apic.acknowledge());
        assertTrue(eois.isEmpty(), "edge-triggered vectors are not broadcast");
    }

    @Test
    void sameClassWaitsForTheOneInService() {
        enable();
        apic.accept(FIXED, 0x42, false);
        assertEquals(0x42, apic.acknowledge());
        apic.accept(FIXED, 0x48, false); // higher vector, same class 4
        assertFalse(apic.intr(), "only a class above PPR[7:4] interrupts");
        apic.accept(FIXED, 0x50, false);
        assertTrue(apic.intr());
        assertEquals(0x50, apic.acknowledge());
    }

    @Test
    void tprHoldsBackClassesAtOrBelowIt() {
        enable();
        apic.write(TPR, 0x5A);
        assertEquals(0x5A, apic.read(PPR)); // TPR[7:4] >= ISRV[7:4] (0): PPR = TPR
        apic.accept(FIXED, 0x5F, false);
        assertFalse(apic.intr());
        apic.write(TPR, 0x40);
        assertTrue(apic.intr());
        assertEquals(0x5F, apic.acknowledge());
        // In service 5Fh with TPR 40h: PPR = 50h. TPR raised to 70h: PPR = 70h.
        assertEquals(0x50, apic.read(PPR));
        apic.write(TPR, 0x70);
        assertEquals(0x70, apic.read(PPR));
        apic.write(TPR, 0x1FF);
        assertEquals(0xFF, apic.read(TPR), "TPR bits 31:8 are reserved");
    }

    @Test
    void arbitrationPriority() {
        enable();
        // 11.6.2.4: TPR[7:4] >= IRRV[7:4] and > ISRV[7:4]: APR = TPR.
        apic.write(TPR, 0x35);
        assertEquals(0x35, apic.read(APR));
        // Else the highest of the three classes, low nibble 0.
        apic.accept(FIXED, 0x61, false);
        assertEquals(0x60, apic.read(APR));
    }

    @Test
    void softwareDisableMasksTheLvtAndHoldsInterrupts() {
        enable();
        apic.write(LVT_LINT0, 0x700);
        apic.write(LVT_TIMER, 0x30);
        apic.accept(FIXED, 0x80, false);
        apic.write(SVR, 0x0FF); // 11.4.7.2: every LVT mask set, and it cannot be cleared
        assertEquals(0x10700, apic.read(LVT_LINT0));
        assertEquals(0x10030, apic.read(LVT_TIMER));
        apic.write(LVT_TIMER, 0x31);
        assertEquals(0x10031, apic.read(LVT_TIMER));
        assertFalse(apic.intr(), "a software-disabled APIC delivers nothing");
        assertEquals(0x00000001, apic.read(IRR + 0x40), "the pending request is held");
        apic.write(SVR, 0x1FF);
        assertTrue(apic.intr());
        assertEquals(0x80, apic.acknowledge());
    }

    @Test
    void spuriousVectorWhenNothingIsDeliverable() {
        enable();
        apic.write(SVR, 0x1EF);
        assertEquals(0xEF, apic.acknowledge());
        assertEquals(0, apic.read(ISR + 0x70), "a spurious interrupt sets no ISR bit");
    }

    @Test
    void esrIsWrittenBeforeItIsRead() {
        enable();
        apic.write(ICR_LOW, (SHORTHAND_SELF << ICR_SHORTHAND_SHIFT) | 0x05); // vector 5: illegal
        assertEquals(0, apic.read(ESR), "errors appear only after a write to the ESR");
        apic.write(ESR, 0);
        assertEquals(ESR_SEND_ILLEGAL_VECTOR | ESR_RECEIVE_ILLEGAL_VECTOR, apic.read(ESR));
        assertEquals(0, apic.read(IRR), "an illegal vector is not accepted");
        apic.write(ESR, 0);
        assertEquals(0, apic.read(ESR), "the write cleared the errors logged before it");
    }

    @Test
    void reservedRegisterIsAnIllegalRegisterAddress() {
        enable();
        assertEquals(0, apic.read(0x040));
        assertEquals(ESR_ILLEGAL_REGISTER, esr());
        apic.write(0x2F0, 0x10); // CMCI: absent with max LVT entry 5
        assertEquals(ESR_ILLEGAL_REGISTER, esr());
    }

    @Test
    void errorInterruptThroughTheErrorLvt() {
        enable();
        apic.write(LVT_ERROR, 0xFE);
        apic.read(0x050);
        assertEquals(0xFE, apic.acknowledge());
    }

    @Test
    void registerByteReadsAndDroppedNarrowWrites() {
        apic.write(SVR, 0x1FF);
        assertEquals(0x01, apic.readBytes(SVR + 1, 1));
        assertEquals(0xFF, apic.readBytes(SVR, 1));
        apic.writeBytes(TPR, 1, 0x20);
        assertEquals(0, apic.read(TPR), "only aligned 32-bit writes reach a register");
    }

    @Test
    void selfIpiAndPhysicalDestinations() {
        enable();
        apic.write(ICR_LOW, (SHORTHAND_SELF << ICR_SHORTHAND_SHIFT) | 0x40);
        assertEquals(0, apic.read(ICR_LOW) & DELIVERY_STATUS, "delivery status idle");
        assertEquals(0x40, apic.acknowledge());
        apic.write(EOI, 0);
        apic.write(ICR_HIGH, 0x00000000);
        apic.write(ICR_LOW, 0x41); // physical destination 0: this APIC
        assertEquals(0x41, apic.acknowledge());
        apic.write(EOI, 0);
        apic.write(ICR_HIGH, 0x05000000);
        apic.write(ICR_LOW, 0x42); // APIC ID 5: nobody on this machine
        assertFalse(apic.intr());
        apic.write(ICR_HIGH, 0xFF000000);
        apic.write(ICR_LOW, 0x43); // broadcast
        assertEquals(0x43, apic.acknowledge());
        apic.write(EOI, 0);
        apic.write(ICR_LOW, (SHORTHAND_OTHERS << ICR_SHORTHAND_SHIFT) | 0x44);
        assertFalse(apic.intr());
        apic.write(ICR_LOW, (SHORTHAND_ALL << ICR_SHORTHAND_SHIFT) | 0x45);
        assertEquals(0x45, apic.acknowledge());
        assertEquals(0x00080045, apic.read(ICR_LOW), "the ICR keeps what was sent");
    }

    @Test
    void initAndStartupToOthersCompleteAtOnce() {
        enable();
        apic.write(ICR_LOW, 0x000C4500); // INIT, level assert, all excluding self
        assertEquals(0x000C4500, apic.read(ICR_LOW));
        apic.write(ICR_LOW, 0x000C4610); // SIPI vector 10h
        assertEquals(0, apic.read(ICR_LOW) & DELIVERY_STATUS);
        assertFalse(apic.intr());
        assertEquals(0, esr());
    }

    @Test
    void logicalDestinationsFlatAndCluster() {
        enable();
        apic.write(LDR, 0x02000000);
        assertTrue(apic.matchesDestination(true, 0x02));
        assertTrue(apic.matchesDestination(true, 0x06));
        assertFalse(apic.matchesDestination(true, 0x01));
        assertTrue(apic.matchesDestination(true, 0xFF));
        apic.write(DFR, 0x0FFFFFFF); // cluster model
        assertEquals(0x0FFFFFFF, apic.read(DFR));
        apic.write(LDR, 0x31000000); // cluster 3, member bit 0
        assertTrue(apic.matchesDestination(true, 0x31));
        assertTrue(apic.matchesDestination(true, 0x33));
        assertFalse(apic.matchesDestination(true, 0x21));
        assertFalse(apic.matchesDestination(true, 0x32));
    }

    @Test
    void nmiByIcr() {
        enable();
        apic.write(ICR_LOW, (SHORTHAND_SELF << ICR_SHORTHAND_SHIFT) | (NMI << DELIVERY_MODE_SHIFT) | ICR_LEVEL_ASSERT);
        assertTrue(apic.nmiPending());
        assertTrue(apic.takeNmi());
        assertFalse(apic.nmiPending());
    }

    @Test
    void levelTriggeredEoiIsBroadcast() {
        enable();
        apic.accept(FIXED, 0x61, true);
        assertEquals(0x00000002, apic.read(TMR + 0x30)); // vector 61h: word 3, bit 1
        assertEquals(0x61, apic.acknowledge());
        apic.write(EOI, 0);
        assertEquals(List.of(0x61), eois);
    }

    @Test
    void virtualWireLint0PassesThe8259() {
        FakePic pic = new FakePic();
        apic.setExtIntSource(pic);
        assertFalse(apic.intr());
        pic.intr = true;
        assertFalse(apic.intr(), "LINT0 masked at reset");
        apic.setVirtualWireMode();
        assertTrue(apic.intr());
        assertEquals(0x08, apic.acknowledge());
        assertEquals(1, pic.acks);
        // A fixed interrupt the APIC accepted goes first (the 8259's vector is read only if it is taken).
        enable();
        pic.intr = true;
        apic.accept(FIXED, 0x90, false);
        assertEquals(0x90, apic.acknowledge());
        assertEquals(1, pic.acks);
    }

    @Test
    void globallyDisabledApicIsBypassed() {
        FakePic pic = new FakePic();
        apic.setExtIntSource(pic);
        enable();
        assertTrue(apic.writeBaseMsr(0xFEE00100L)); // EN clear
        assertFalse(apic.globallyEnabled());
        assertFalse(apic.mmioEnabled());
        pic.intr = true;
        assertTrue(apic.intr(), "without an APIC the 8259's INTR is the processor's");
        assertEquals(0x08, apic.acknowledge());
        apic.accept(FIXED, 0x70, false);
        assertEquals(0, apic.read(IRR + 0x30), "a disabled APIC takes no messages");
        assertTrue(apic.writeBaseMsr(0xFEE00900L));
        assertTrue(apic.mmioEnabled());
    }

    @Test
    void apicBaseMsr() {
        assertTrue(apic.writeBaseMsr(0x0_FEC0_1800L | 0x100));
        assertEquals(0xFEC01000L, apic.mmioBase());
        assertFalse(apic.writeBaseMsr(0xFEE00900L | 1), "bits 0-7 are reserved");
        assertFalse(apic.writeBaseMsr(0xFEE00900L | (1L << 36)), "above MAXPHYADDR (36)");
        assertFalse(apic.writeBaseMsr(0xFEE00D00L), "EXTD without x2APIC support");
        assertTrue(apic.writeBaseMsr(0xFEE00800L));
        assertEquals(0xFEE00900L, apic.readBaseMsr(), "BSP is the processor's, not software's");
    }

    @Test
    void oneShotTimerCountsDownAtTheDividedBusClock() {
        enable();
        apic.write(LVT_TIMER, 0x30);
        apic.write(TIMER_DIVIDE, 0xB); // 1011b: divide by 1
        clock.advanceTo(1000);
        apic.write(TIMER_INITIAL, 500);
        assertEquals(500, apic.read(TIMER_CURRENT));
        assertEquals(1500, apic.nextEventNanos());
        clock.advanceTo(1200);
        assertEquals(300, apic.read(TIMER_CURRENT));
        apic.update();
        assertFalse(apic.intr());
        clock.advanceTo(1500);
        assertEquals(0, apic.read(TIMER_CURRENT));
        apic.update();
        assertEquals(0x30, apic.acknowledge());
        assertEquals(Long.MAX_VALUE, apic.nextEventNanos(), "one-shot: counts to 0 and stops");
        clock.advanceTo(5000);
        apic.update();
        assertFalse(apic.intr());
    }

    @Test
    void divideConfigurationValues() {
        enable();
        int[] dcr = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
        int[] divisor = {2, 4, 8, 16, 32, 64, 128, 1};
        for (int i = 0; i < dcr.length; i++) {
            apic.write(TIMER_DIVIDE, dcr[i]);
            long t0 = clock.nanos();
            apic.write(TIMER_INITIAL, 10);
            assertEquals(t0 + 10L * divisor[i], apic.nextEventNanos(), "DCR " + dcr[i]);
            clock.advance(divisor[i] * 3L);
            assertEquals(7, apic.read(TIMER_CURRENT), "DCR " + dcr[i]);
            apic.write(TIMER_INITIAL, 0); // stops the timer
            assertEquals(Long.MAX_VALUE, apic.nextEventNanos());
        }
        apic.write(TIMER_DIVIDE, 0xFF);
        assertEquals(0xB, apic.read(TIMER_DIVIDE), "bits 0, 1, 3 only");
    }

    @Test
    void periodicTimerReloads() {
        enable();
        apic.write(LVT_TIMER, (TIMER_PERIODIC << TIMER_MODE_SHIFT) | 0x31);
        apic.write(TIMER_DIVIDE, 0x0); // divide by 2
        apic.write(TIMER_INITIAL, 100); // period 200 ns
        clock.advanceTo(200);
        apic.update();
        assertEquals(0x31, apic.acknowledge());
        apic.write(EOI, 0);
        assertEquals(400, apic.nextEventNanos());
        clock.advanceTo(250);
        assertEquals(75, apic.read(TIMER_CURRENT));
        // Several periods late: one interrupt, and the schedule keeps its phase.
        clock.advanceTo(1030);
        apic.update();
        assertEquals(0x31, apic.acknowledge());
        apic.write(EOI, 0);
        apic.update();
        assertFalse(apic.intr());
        assertEquals(1200, apic.nextEventNanos());
    }

    @Test
    void maskedTimerCountsWithoutInterrupting() {
        enable();
        apic.write(LVT_TIMER, MASKED | 0x30);
        apic.write(TIMER_DIVIDE, 0xB);
        apic.write(TIMER_INITIAL, 10);
        clock.advanceTo(20);
        apic.update();
        assertFalse(apic.intr());
        assertEquals(0, apic.read(TIMER_CURRENT));
    }

    @Test
    void tscDeadlineTimer() {
        enable();
        apic.writeTscDeadline(5000);
        assertEquals(0, apic.readTscDeadline(), "ignored and read as 0 outside TSC-deadline mode");
        apic.write(LVT_TIMER, (TIMER_TSC_DEADLINE << TIMER_MODE_SHIFT) | 0x32);
        apic.write(TIMER_INITIAL, 100);
        assertEquals(0, apic.read(TIMER_INITIAL), "the initial count is ignored in TSC-deadline mode");
        tsc.now = 1000;
        apic.writeTscDeadline(5000);
        assertEquals(5000, apic.readTscDeadline());
        assertEquals(5000, apic.nextEventNanos());
        tsc.now = 4999;
        apic.update();
        assertFalse(apic.intr());
        tsc.now = 5000;
        apic.update();
        assertEquals(0x32, apic.acknowledge());
        assertEquals(0, apic.readTscDeadline(), "disarmed once it fired");
        apic.write(EOI, 0);
        apic.writeTscDeadline(3000); // already passed: fires at once
        assertEquals(0x32, apic.acknowledge());
        apic.write(EOI, 0);
        apic.writeTscDeadline(9000);
        apic.writeTscDeadline(0); // disarm
        tsc.now = 10000;
        apic.update();
        assertFalse(apic.intr());
        // Leaving TSC-deadline mode disarms it.
        apic.writeTscDeadline(20000);
        apic.write(LVT_TIMER, 0x32);
        apic.write(LVT_TIMER, (TIMER_TSC_DEADLINE << TIMER_MODE_SHIFT) | 0x32);
        assertEquals(0, apic.readTscDeadline());
    }

    @Test
    void lint1NmiOnRisingEdge() {
        enable();
        apic.setVirtualWireMode();
        apic.setLint(1, true);
        assertTrue(apic.takeNmi());
        apic.setLint(1, true);
        assertFalse(apic.takeNmi(), "no new edge");
        apic.setLint(1, false);
        apic.setLint(1, true);
        assertTrue(apic.takeNmi());
    }

    @Test
    void thermalAndPerformanceEntriesDeliverFixedAndNmi() {
        enable();
        apic.write(LVT_THERMAL, 0x51);
        apic.write(LVT_PERF, NMI << DELIVERY_MODE_SHIFT);
        assertEquals(0x51, apic.read(LVT_THERMAL));
        apic.raiseLocal(LVT_THERMAL);
        assertEquals(0x51, apic.acknowledge());
        apic.raiseLocal(LVT_PERF);
        assertTrue(apic.takeNmi());
    }

    @Test
    void idAndLdrAreWritableInXapicMode() {
        apic.write(ID, 0x0312ABCD);
        assertEquals(0x03000000, apic.read(ID));
        apic.write(LDR, 0x80FFFFFF);
        assertEquals(0x80000000, apic.read(LDR));
    }

    // ---- x2APIC (11.12)

    LocalApic x2() {
        LocalApic a = new LocalApic(clock, tsc, 0, true);
        return a;
    }

    @Test
    void x2apicModeTransitions() {
        LocalApic a = x2();
        assertFalse(a.x2apicWrite(0x808, 0), "x2APIC MSRs #GP outside x2APIC mode");
        assertTrue(a.writeBaseMsr(0xFEE00D00L)); // xAPIC -> x2APIC
        assertTrue(a.x2apicMode());
        assertFalse(a.mmioEnabled(), "no xAPIC window in x2APIC mode");
        assertFalse(a.writeBaseMsr(0xFEE00900L), "x2APIC -> xAPIC is invalid");
        assertFalse(a.writeBaseMsr(0xFEE00500L), "EXTD without EN is invalid");
        assertTrue(a.writeBaseMsr(0xFEE00100L)); // -> disabled
        assertFalse(a.writeBaseMsr(0xFEE00D00L), "disabled -> x2APIC is invalid");
        assertTrue(a.writeBaseMsr(0xFEE00900L));
    }

    @Test
    void x2apicRegisters() {
        LocalApic a = new LocalApic(clock, tsc, 0x13, true);
        assertTrue(a.writeBaseMsr(0xFEE00D00L));
        assertEquals(0x13, a.x2apicRead(0x802), "32-bit x2APIC ID");
        assertEquals(0x00010008, a.x2apicRead(0x80D), "LDR: cluster ID[19:4] << 16 | 1 << ID[3:0]");
        assertFalse(a.x2apicReadable(0x80E), "no DFR");
        assertFalse(a.x2apicReadable(0x80B), "EOI is write-only");
        assertFalse(a.x2apicWrite(0x802, 0), "ID is read-only");
        assertFalse(a.x2apicWrite(0x80B, 1), "EOI takes 0 only");
        assertFalse(a.x2apicWrite(0x808, 0x100), "TPR reserved bits");
        assertFalse(a.x2apicWrite(0x808, 1L << 32), "upper half reserved");
        assertTrue(a.x2apicWrite(0x80F, 0x1FF));
        assertTrue(a.x2apicWrite(0x83F, 0x55)); // SELF IPI
        assertEquals(0x55, a.acknowledge());
        assertTrue(a.x2apicWrite(0x80B, 0));
        assertTrue(a.x2apicWrite(0x830, 0x13L << 32 | 0x56)); // physical destination 13h: itself
        assertEquals(0x13L << 32 | 0x56, a.x2apicRead(0x830));
        assertEquals(0x56, a.acknowledge());
        assertFalse(a.x2apicWrite(0x828, 1), "ESR takes 0 only");
    }
}
