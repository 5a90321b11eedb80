package dev.jvmx.bench.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and geometric means of timings. */
final class Stats {
    private Stats() { }

    static long median(List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double medianOfDoubles(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** {@code a[i] / b[i]} for each round i (the shorter list bounds the rounds). */
    static List<Double> pairedRatios(List<Long> a, List<Long> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            r.add((double) a.get(i) / b.get(i));
        }
        return r;
    }

    /** Geometric mean of the positive values; NaN if there are none. */
    static double geomean(List<Double> values) {
        double logSum = 0;
        int n = 0;
        for (double x : values) {
            if (x > 0 && !Double.isNaN(x)) {
                logSum += Math.log(x);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logSum / n);
    }

    /**
     * The two-sided sign test's p-value for {@code k} of {@code n} paired runs going one way when
     * either way is equally likely: the chance of a split at least that uneven. Ties are left out
     * by the caller.
     */
    static double signTest(int k, int n) {
        int tail = Math.min(k, n - k);
        double p = 0;
        for (int i = 0; i <= tail; i++) {
            p += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return Math.min(1.0, 2 * p);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
