package eplua.core;

/**
 * Child-JVM program for {@link JvmExitsWithAbandonedCoroutinesTest}: leaves coroutines suspended forever, then
 * either returns from main with the engine idle ("idle") or closes an engine whose tasks wait forever ("close").
 */
public final class AbandonedCoroutinesMain {
    public static void main(String[] args) throws Exception {
        Engine e = Engine.create();
        e.join(e.eval("for i = 1, 3 do\n"
                + "  local co = coroutine.create(function() coroutine.yield() end)\n"
                + "  coroutine.resume(co)\n"
                + "end\n"
                + "local gen = coroutine.wrap(function() while true do coroutine.yield(1) end end)\n"
                + "gen()\n", "abandon.lua"));
        if (args.length > 0 && args[0].equals("close")) {
            e.join(e.eval("spawn(function() sleep(1e9) end)\n"
                    + "spawn(function() local co = coroutine.create(function() sleep(1e9) end) coroutine.resume(co) end)",
                    "forever.lua"));
            e.close();
        } else if (!e.awaitIdle(java.time.Duration.ofSeconds(5))) {
            System.out.println("not idle");
        }
        System.out.println("done " + System.nanoTime());
        System.out.flush();
    }
}
