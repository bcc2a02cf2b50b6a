package eplua.jsr223;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InvokeFromManyThreadsIsExact {
    @Test
    void eightThreadsTimesAThousandCalls() throws Exception {
        int threads = 8, calls = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (EpluaScriptEngine engine = Engines.create()) {
            // LuaJ's VM is not thread-safe: unless every call is serialised on the loop, increments get lost (or worse)
            engine.eval("count = 0 function bump() local c = count count = c + 1 return count end");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < calls; i++) engine.invokeFunction("bump");
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) f.get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(threads * calls, engine.eval("return count"));
            assertEquals(threads * calls, engine.get("count"));
            System.out.println("InvokeFromManyThreadsIsExact: " + threads * calls + " invokeFunction calls in " + ms + " ms");
        } finally {
            pool.shutdownNow();
        }
    }
}
