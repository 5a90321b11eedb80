package dev.jvmx.runtime.board;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerWakerTest {
    /** Host times at which the waker asked. */
    private final BlockingQueue<Long> asked = new ArrayBlockingQueue<>(100);
    private final TimerWaker waker = new TimerWaker(() -> asked.add(System.nanoTime()));

    @Test
    void asksOnceWhenTheEventIsDueAndNotBefore() throws InterruptedException {
        long t0 = System.nanoTime();
        waker.dueIn(TimeUnit.MILLISECONDS.toNanos(20));
        Long at = asked.poll(5, TimeUnit.SECONDS);
        assertNotNull(at, "no request within 5 s of an event due in 20 ms");
        assertTrue(at - t0 >= TimeUnit.MILLISECONDS.toNanos(20), (at - t0) + " ns: asked before the event was due");
        assertNull(asked.poll(100, TimeUnit.MILLISECONDS), "asked again with no new event");
        assertEquals(1, waker.requests());
        waker.close();
    }

    @Test
    void anEventMovedSoonerWakesTheWaker() throws InterruptedException {
        waker.dueIn(TimeUnit.SECONDS.toNanos(60));
        waker.dueIn(TimeUnit.MILLISECONDS.toNanos(60_000)); // the same event again: no wake-up needed
        Thread.sleep(20);
        waker.dueIn(TimeUnit.MILLISECONDS.toNanos(10));
        assertNotNull(asked.poll(5, TimeUnit.SECONDS), "a sleeping waker was not woken for a sooner event");
        waker.close();
    }

    @Test
    void noEventNoRequest() throws InterruptedException {
        waker.dueIn(TimeUnit.MILLISECONDS.toNanos(5));
        assertNotNull(asked.poll(5, TimeUnit.SECONDS));
        waker.dueIn(Long.MAX_VALUE);
        assertNull(asked.poll(200, TimeUnit.MILLISECONDS), "asked with no timer armed");
        waker.close();
    }

    @Test
    void anEventAlreadyDueIsAskedForAfterAShortWaitNotInALoop() throws InterruptedException {
        long t0 = System.nanoTime();
        waker.dueIn(-1_000_000);
        Long at = asked.poll(5, TimeUnit.SECONDS);
        assertNotNull(at);
        assertTrue(at - t0 >= TimerWaker.MIN_WAIT_NANOS, "asked at once: a timer that stays due would spin the thread");
        assertNull(asked.poll(100, TimeUnit.MILLISECONDS));
        waker.close();
    }

    @Test
    void closedItAsksNoMore() throws InterruptedException {
        waker.dueIn(TimeUnit.SECONDS.toNanos(1));
        waker.close();
        waker.dueIn(TimeUnit.MILLISECONDS.toNanos(1));
        assertNull(asked.poll(1500, TimeUnit.MILLISECONDS), "asked after close");
    }
}
