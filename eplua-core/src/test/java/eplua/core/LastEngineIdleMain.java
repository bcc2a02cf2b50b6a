package eplua.core;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM program for {@link JvmExitsWhenTheLastEngineIsIdle}: makes several engines with pending timers (and one
 * task asleep), none closed, and returns from main at once. Each timer prints a line when it fires; one engine holds
 * only a background ({@code system = true}) timer, which must not keep the JVM alive; one holds nothing.
 */
public final class LastEngineIdleMain {
    public static void main(String[] args) {
        int engines = Integer.parseInt(args[0]);
        List<Engine> timed = new ArrayList<>();
        for (int i = 0; i < engines + 3; i++) timed.add(Engine.create()); // first all engines, then their timers
        Engine.create(); // nothing pending at all
        for (Engine e : timed) install(e);
        for (int i = 0; i < engines; i++) {
            Engine e = timed.get(i);
            e.join(e.eval("setTimeout(function() say('fired " + i + "') end, " + (300 + 40 * i) + ")", "timer.lua"));
        }
        Engine chain = timed.get(engines); // the last line: a timer that sets the next one, 1 s later
        chain.join(chain.eval("setTimeout(function() say('chain 1')\n"
                + "  setTimeout(function() say('chain 2') end, 1000) end, " + (350 + 40 * engines) + ")", "chain.lua"));
        Engine sleeper = timed.get(engines + 1);
        sleeper.join(sleeper.eval("spawn(function() sleep(0.3) say('task woke') end)", "task.lua"));
        Engine background = timed.get(engines + 2);
        background.join(background.eval("setTimeout(function() say('background fired') end, 60000, {system = true})",
                "background.lua"));
        say("main returns");
    }

    private static void install(Engine e) {
        e.call(() -> {
            e.globals().set("say", new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue line) {
                    say(line.tojstring());
                    return NONE;
                }
            });
            return null;
        });
    }

    private static synchronized void say(String line) {
        System.out.println(line + " " + System.nanoTime());
        System.out.flush();
    }
}
