package dev.jvmx.runtime.kut;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite's configuration format and how its parameters map to jvmx (or make a test SKIP). */
class UnitTestsCfgTest {
    static final List<String> CFG = List.of(
            "# comment",
            "[x2apic]",
            "file = apic.flat",
            "smp = 2",
            "qemu_params = -cpu qemu64,+x2apic,+tsc-deadline",
            "arch = x86_64",
            "timeout = 30",
            "groups = apic",
            "",
            "[vmexit_cpuid]",
            "file = vmexit.flat",
            "test_args = 'cpuid'",
            "groups = vmexit",
            "[asyncpf]",
            "file = asyncpf.flat",
            "qemu_params = -cpu host -m 2048",
            "[svm]",
            "file = svm.flat",
            "test_args = \"-pause_filter_test -svm_x\"",
            "qemu_params = -cpu max,+svm -m 4g",
            "[sieve]",
            "file = sieve.flat",
            "timeout = 3m",
            "[ipi]",
            "file = vmexit.flat",
            "qemu_params = -machine pit=off",
            "[msr]",
            "file = msr.flat",
            "qemu_params = -cpu max,vendor=GenuineIntel -m 256",
            "[manual]",
            "file = vmexit.flat",
            "groups = vmx nodefault",
            "[smptest3]",
            "file = smptest.flat",
            "smp = 3",
            "[kvmclock_max]",
            "file = smptest.flat",
            "smp = $MAX_SMP");

    @Test
    void parsesSectionsAndKeys() {
        List<KutTest> t = UnitTestsCfg.parse(CFG);
        assertEquals(10, t.size());
        KutTest x2 = t.get(0);
        assertEquals("x2apic", x2.name());
        assertEquals("apic.flat", x2.file());
        assertEquals(2, x2.smp());
        assertEquals(List.of("-cpu", "qemu64,+x2apic,+tsc-deadline"), x2.params());
        assertEquals("x86_64", x2.arch());
        assertEquals(30.0, x2.timeoutSeconds());
        assertEquals("cpuid", t.get(1).testArgs());
        assertEquals(KutTest.DEFAULT_TIMEOUT, t.get(1).timeoutSeconds());
        assertEquals("-pause_filter_test -svm_x", t.get(3).testArgs());
        assertEquals(180.0, t.get(4).timeoutSeconds());
        assertEquals(List.of("vmx", "nodefault"), t.get(7).groups());
    }

    @Test
    void jvmxPlans() {
        Path suite = Path.of("/nonexistent");
        List<KutTest> t = UnitTestsCfg.parse(CFG);
        assertEquals("x86_64 only", KutPlan.forJvmx(t.get(0), suite).skip);
        assertEquals("test marked as manual run only", KutPlan.forJvmx(t.get(7), suite).skip);
        assertEquals("Test file 'x86/vmexit.flat' not found", KutPlan.forJvmx(t.get(1), suite).skip);
    }

    @Test
    void vmexitBenchmarksRunOnTheHostClock() {
        List<KutTest> t = UnitTestsCfg.parse(CFG);
        assertTrue(KutPlan.needsHostClock(t.get(1)), "vmexit_cpuid times exits in TSC ticks");
        assertFalse(KutPlan.needsHostClock(t.get(4)), "sieve");
        assertFalse(KutPlan.needsHostClock(t.get(6)), "ipi: vmexit.flat, but not in the vmexit group");
    }

    @Test
    void parameterMapping(@TempDir Path suite) throws Exception {
        java.nio.file.Files.createDirectories(suite.resolve("x86"));
        for (String f : List.of("vmexit.flat", "asyncpf.flat", "svm.flat", "sieve.flat", "msr.flat", "smptest.flat")) {
            java.nio.file.Files.write(suite.resolve("x86").resolve(f), new byte[0]);
        }
        List<KutTest> t = UnitTestsCfg.parse(CFG);
        KutPlan cpuid = KutPlan.forJvmx(t.get(1), suite);
        assertNull(cpuid.skip);
        assertEquals(List.of("--device", "pc-testdev", "--device", "pci-testdev", "--append", "cpuid"), cpuid.args);
        assertEquals("-cpu host needs KVM", KutPlan.forJvmx(t.get(2), suite).skip);
        KutPlan ipi = KutPlan.forJvmx(t.get(5), suite);
        assertNull(ipi.skip);
        assertEquals(List.of("--device", "pc-testdev", "--device", "pci-testdev", "-machine", "pit=off"), ipi.args);
        KutPlan smp = KutPlan.forJvmx(t.get(8), suite);
        assertNull(smp.skip);
        assertEquals(List.of("--device", "pc-testdev", "--device", "pci-testdev", "-smp", "3"), smp.args);
        assertEquals("needs as many CPUs as the host has ($MAX_SMP)", KutPlan.forJvmx(t.get(9), suite).skip);
        KutPlan msr = KutPlan.forJvmx(t.get(6), suite);
        assertEquals(List.of("--device", "pc-testdev", "--device", "pci-testdev", "-m", "256"), msr.args);
        assertEquals(4096, KutPlan.mebibytes("4g"));
        assertEquals(2048, KutPlan.mebibytes("2048"));
        // The test whose code uses SSE2 without asking CPUID needs no -cpu: the default model has SSE2.
        java.nio.file.Files.write(suite.resolve("x86").resolve("emulator.flat"), new byte[0]);
        KutTest emulator = new KutTest("emulator", "emulator.flat", 1, List.of(), "", "", List.of(), 90, "", "");
        assertEquals(List.of("--device", "pc-testdev", "--device", "pci-testdev"), KutPlan.forJvmx(emulator, suite).args);
        KutPlan q = KutPlan.forQemu(t.get(1), suite);
        assertEquals("-append", q.args.get(q.args.size() - 2));
        assertEquals("cpuid", q.args.get(q.args.size() - 1));
    }

    @Test
    void outcomeFromExitStatusAndReportLines() {
        String log = "PASS: a\r\nFAIL: b\nSKIP: c\nXFAIL: d\nSUMMARY: 4 tests, 1 unexpected failures, 1 expected failures, 1 skipped\n";
        KutOutcome o = KutOutcome.of(3, log, 90);
        assertEquals(KutOutcome.Status.FAIL, o.status());
        assertEquals(1, o.pass());
        assertEquals(1, o.fail());
        assertEquals(1, o.skip());
        assertEquals(1, o.xfail());
        assertEquals("4 tests, 1 unexpected failures, 1 expected failures, 1 skipped", o.detail());
        assertEquals(KutOutcome.Status.PASS, KutOutcome.of(1, "PASS: x\n", 90).status());
        assertEquals(KutOutcome.Status.SKIP, KutOutcome.of(77, "", 90).status());
        assertEquals("timeout; duration=90s", KutOutcome.of(124, "", 90).detail());
    }

    @Test
    void regressionRules() {
        KutExpected e = KutExpected.parse(List.of("# name status pass fail skip", "a PASS 5 0 0", "b FAIL 3 1 0"));
        KutTest ta = new KutTest("a", "a.flat", 1, List.of(), "", "", List.of(), 90, "", "");
        KutTest tb = new KutTest("b", "b.flat", 1, List.of(), "", "", List.of(), 90, "", "");
        List<KutRunner.Row> same = List.of(new KutRunner.Row(ta, new KutOutcome(KutOutcome.Status.PASS, 5, 0, 0, 0, 0, ""), null),
                new KutRunner.Row(tb, new KutOutcome(KutOutcome.Status.FAIL, 4, 0, 0, 0, 0, ""), null));
        assertEquals(List.of(), e.regressions(same));
        assertEquals(List.of("b: now FAIL [4 pass, 0 fail, 0 skip]"), e.improvements(same));
        List<KutRunner.Row> worse = List.of(new KutRunner.Row(ta, new KutOutcome(KutOutcome.Status.FAIL, 5, 1, 0, 0, 0, ""), null),
                new KutRunner.Row(tb, new KutOutcome(KutOutcome.Status.FAIL, 2, 1, 0, 0, 0, ""), null));
        assertEquals(2, e.regressions(worse).size());
    }
}
