package eplua.core.internal.module;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.Prototype;

import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua files the core and modules run at install, compiled once per JVM: each engine makes its own closure of a
 * shared {@link Prototype}. LuaJ writes a Prototype only while compiling or undumping it (the VM and the debug
 * library only read it), so one may be shared by engines on any threads. Keyed by class loader (weakly: a module
 * jar's loader can go; a Prototype holds only Lua values, never a class) and resource name.
 */
public final class CompiledFiles {
    private static final Map<ClassLoader, Map<String, Prototype>> BY_LOADER = new WeakHashMap<>();

    private CompiledFiles() {}

    /**
     * The function of Lua resource {@code resource} of {@code loader}, bound to {@code globals} as its environment;
     * compiled by the first engine that asks for it. Null if there is no such resource. Lua thread of {@code globals}.
     */
    public static LuaFunction load(ClassLoader loader, String resource, Globals globals) throws Exception {
        Prototype p = prototype(loader, resource, globals);
        return p == null ? null : globals.loader.load(p, resource, globals);
    }

    /** The shared Prototype of {@code resource}, compiled with {@code compiler}'s compiler if not yet; or null. */
    static Prototype prototype(ClassLoader loader, String resource, Globals compiler) throws Exception {
        Map<String, Prototype> files;
        synchronized (BY_LOADER) {
            files = BY_LOADER.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        Prototype p = files.get(resource);
        if (p != null) return p;
        try (InputStream s = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (s == null) return null;
            p = compiler.loadPrototype(s, resource, "t");
        } catch (LuaError e) {
            throw e;
        } catch (Exception e) {
            throw new LuaError("load " + resource + ": " + e); // as Globals.load reports it
        }
        // two engines compiling at once: both use the first one stored
        Prototype first = files.putIfAbsent(resource, p);
        return first != null ? first : p;
    }
}
