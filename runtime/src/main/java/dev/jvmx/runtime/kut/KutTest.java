package dev.jvmx.runtime.kut;

import java.util.List;

/**
 * One entry of kvm-unit-tests' x86/unittests.cfg: a test name and its keys (file, smp,
 * qemu_params / extra_params, test_args, arch, groups, timeout, accel, check).
 */
public record KutTest(String name, String file, int smp, List<String> params, String testArgs, String arch,
                      List<String> groups, double timeoutSeconds, String accel, String check) {
    /** run_tests.sh's default timeout. */
    public static final double DEFAULT_TIMEOUT = 90;
}
