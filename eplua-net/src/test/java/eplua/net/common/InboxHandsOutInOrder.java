package eplua.net.common;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared inbox: order, timeouts, backpressure or dropping the oldest, and what a close leaves. */
class InboxHandsOutInOrder {
    private final EventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Runs on the executor, as the baton holder would. */
    private <T> T on(java.util.concurrent.Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    private static String failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause().getMessage();
    }

    @Test
    void itemsGoToWaitersInOrderAndAWaitTimesOutWithTheBareWord() throws Exception {
        Inbox<String> in = new Inbox<>(loop, 10, 5, null);
        CompletableFuture<String> first = on(() -> in.take(0));
        CompletableFuture<String> second = on(() -> in.take(0));
        on(() -> {
            in.put("a");
            in.put("b");
            in.put("c");
            return null;
        });
        assertEquals("a", first.get(5, TimeUnit.SECONDS));
        assertEquals("b", second.get(5, TimeUnit.SECONDS));
        assertEquals("c", on(() -> in.take(0)).get(5, TimeUnit.SECONDS));
        assertEquals("timeout", failure(on(() -> in.take(20))));
        on(() -> {
            in.put("d"); // a timed-out waiter is gone: the item waits for the next take
            return null;
        });
        assertEquals("d", on(() -> in.take(0)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFlowPausesAtHighAndResumesAtLow() throws Exception {
        List<Boolean> reading = new ArrayList<>();
        Inbox<Integer> in = new Inbox<>(loop, 4, 1, reading::add);
        on(() -> {
            for (int i = 0; i < 6; i++) in.put(i);
            return null;
        });
        assertEquals(List.of(false), reading, "paused once, at 4 queued");
        for (int i = 0; i < 5; i++) on(() -> in.take(0));
        assertEquals(List.of(false, true), reading, "resumed once, at 1 queued");
        assertEquals(5, on(() -> in.take(0)).get(5, TimeUnit.SECONDS), "nothing was dropped");
    }

    @Test
    void withoutAFlowTheOldestGivesWay() throws Exception {
        Inbox<Integer> in = new Inbox<>(loop, 3, 0, null);
        on(() -> {
            for (int i = 0; i < 5; i++) in.put(i);
            return null;
        });
        assertEquals(2, on(() -> in.take(0)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void afterACloseTakesGetWhatIsQueuedThenTheCloseError() throws Exception {
        Inbox<String> in = new Inbox<>(loop, 10, 5, null);
        CompletableFuture<String> waiting = on(() -> in.take(0));
        on(() -> {
            in.close(NetError.closed("peer went away"));
            return null;
        });
        assertEquals("closed: peer went away", failure(waiting));
        Inbox<String> full = new Inbox<>(loop, 10, 5, null);
        on(() -> {
            full.put("last");
            full.close(NetError.closed(null));
            return null;
        });
        assertTrue(full.isClosed());
        assertEquals("last", on(() -> full.take(0)).get(5, TimeUnit.SECONDS));
        assertEquals("closed", failure(on(() -> full.take(0))));
        assertFalse(on(() -> full.remove("last")));
    }
}
