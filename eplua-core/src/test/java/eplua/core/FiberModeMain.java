package eplua.core;

import org.luaj.vm2.Varargs;

/**
 * Child-JVM program for {@link FiberModeIsChosenAtStart}: prints the mode new engines get, then starts two engines
 * (asking for the mode named by the first argument, if any) and prints the mode each got and what a task and a
 * coroutine computed on it.
 */
public final class FiberModeMain {
    public static void main(String[] args) throws Exception {
        FiberMode asked = args.length > 0 ? FiberMode.valueOf(args[0]) : null;
        System.out.println("new " + FiberMode.forNewEngines());
        for (int i = 0; i < 2; i++) {
            try (Engine e = Engine.builder().keepJvmAlive(false).discoverModules(false).fiberMode(asked).build()) {
                Varargs v = e.join(e.eval("local t = spawn(function() sleep(0) return 20 end)\n"
                        + "local co = coroutine.wrap(function() coroutine.yield(1) end)\n"
                        + "return await(t) + co() + 21", "mode.lua"));
                System.out.println("engine " + e.fiberMode() + " " + v.arg1().toint());
            }
        }
    }
}
