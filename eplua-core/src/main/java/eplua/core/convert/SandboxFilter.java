package eplua.core.convert;

import eplua.core.internal.task.Guard;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

import java.util.Set;

/**
 * What a sandboxed script may not reach through the host objects it is given: {@code getClass} (and the
 * {@code class} property), and so reflection; the monitor methods ({@code wait} would block the engine's thread);
 * and every member of classes, class loaders, reflection and method handles, threads, the runtime, the system and
 * processes. The host's objects otherwise keep all their public members: the host chose to expose them.
 */
final class SandboxFilter {
    private static final Set<LuaString> NAMES = Set.of(LuaString.valueOf("getClass"), LuaString.valueOf("class"),
            LuaString.valueOf("wait"), LuaString.valueOf("notify"), LuaString.valueOf("notifyAll"));
    private static final Set<String> PACKAGES = Set.of("java.lang.reflect", "java.lang.invoke", "sun.misc",
            "jdk.internal.misc", "jdk.internal.reflect", "sun.reflect");
    private static final Class<?>[] TYPES = {Class.class, ClassLoader.class, Thread.class, ThreadGroup.class,
            Runtime.class, System.class, ProcessBuilder.class, Process.class, ProcessHandle.class, Module.class,
            ModuleLayer.class, StackWalker.class, java.security.ProtectionDomain.class};

    private SandboxFilter() {}

    /** True for a type none of whose members a sandboxed script may use. */
    static boolean hostOnly(Class<?> type) {
        for (Class<?> t : TYPES) if (t.isAssignableFrom(type)) return true;
        Package p = type.getPackage();
        return p != null && PACKAGES.contains(p.getName());
    }

    /** Raises {@code "denied: ..."} when the calling engine is sandboxed and {@code key} is not for it. */
    static void check(JavaClassInfo info, boolean hostOnly, LuaValue key) {
        if (!Guard.anySandbox()) return; // no sandbox in this JVM: no thread-local lookup either
        if (!hostOnly && !NAMES.contains(key)) return;
        if (!Guard.current().sandboxed()) return;
        throw new LuaError("denied: " + info.type.getName() + "." + key.tojstring()
                + " is not available in the sandbox profile");
    }
}
