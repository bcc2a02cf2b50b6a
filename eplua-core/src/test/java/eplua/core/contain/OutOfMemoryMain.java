package eplua.core.contain;

import eplua.core.Engine;
import org.luaj.vm2.Varargs;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@link OutOfMemoryInAChildJvm}, run with a small heap: runs a task out of memory twice (one
 * huge allocation, then a table grown until the heap is full), catches one with pcall, and checks that the same
 * engine and a new one still work. Prints one line per step.
 */
public final class OutOfMemoryMain {
    public static void main(String[] args) throws Exception {
        Engine e = Engine.builder().keepJvmAlive(false).build();
        try {
            e.eval("local s = string.rep('x', 2^27) return #s", "huge.lua").get(60, TimeUnit.SECONDS);
            System.out.println("huge: no error");
        } catch (ExecutionException x) {
            System.out.println("huge: " + x.getCause().getMessage());
        }
        try {
            e.eval("local t = {} for i = 1, 1e9 do t[i] = {i} end", "grow.lua").get(60, TimeUnit.SECONDS);
            System.out.println("grow: no error");
        } catch (ExecutionException x) {
            System.out.println("grow: " + x.getCause().getMessage());
        }
        Varargs r = e.eval("return pcall(string.rep, 'xx', 2^26)", "pcall.lua").get(60, TimeUnit.SECONDS);
        System.out.println("pcall: " + r.arg(1) + " " + r.arg(2));
        System.out.println("same engine: " + e.eval("return 1 + 1", "after.lua").get(10, TimeUnit.SECONDS).arg1());
        try (Engine fresh = Engine.builder().keepJvmAlive(false).build()) {
            System.out.println("new engine: " + fresh.eval("return 2 + 2", "new.lua").get(10, TimeUnit.SECONDS).arg1());
        }
        e.close();
        System.out.println("done");
    }
}
