package dev.jvmx.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one console line for every skipped test, with its reason: a test whose assumption
 * failed (a missing tool or data set) or that is disabled. Surefire counts both as
 * "Skipped" and keeps the reasons only in its XML reports; this makes them visible where the
 * build is read. Registered through {@code META-INF/services}, so every module whose test
 * classpath has this jar (all of them, through jvmx-parent) prints its skips.
 *
 * <p>Line format, for people and for .ci/run's summary alike:
 * {@code SKIPPED dev.jvmx.x.FooTest#method: reason}.
 */
public final class SkipReasons implements TestExecutionListener {
    private static final String ASSUMPTION = "Assumption failed: ";

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String why = result.getThrowable().map(Throwable::getMessage).orElse(null);
            print(test, why == null ? "aborted" : why.startsWith(ASSUMPTION) ? why.substring(ASSUMPTION.length()) : why);
        }
    }

    private static void print(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + name(test) + ": " + (reason == null || reason.isBlank() ? "(no reason given)" : reason));
        System.out.flush();
    }

    static String name(TestIdentifier test) {
        TestSource s = test.getSource().orElse(null);
        if (s instanceof MethodSource) {
            MethodSource m = (MethodSource) s;
            return m.getClassName() + "#" + m.getMethodName();
        }
        if (s instanceof ClassSource) {
            return ((ClassSource) s).getClassName();
        }
        return test.getDisplayName();
    }
}
