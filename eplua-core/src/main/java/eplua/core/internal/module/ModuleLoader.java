package eplua.core.internal.module;

import eplua.core.spi.LuaModule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Finds {@link LuaModule}s with {@link ServiceLoader}, validates them and puts them in install order. */
public final class ModuleLoader {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

    private ModuleLoader() {}

    /**
     * The modules visible to {@code loader}, as found; {@link #order} validates and orders them together with any
     * others (the core). Discovery failures are passed to {@code problems} and skipped.
     */
    public static List<LuaModule> discover(ClassLoader loader, Consumer<String> problems) {
        List<LuaModule> found = new ArrayList<>();
        Iterator<LuaModule> it = ServiceLoader.load(LuaModule.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                problems.accept("eplua: a Lua module could not be loaded: " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * Validates and orders modules: duplicate ids and cyclic requirements are errors; a module whose requirement
     * is missing is passed to {@code problems} and skipped.
     */
    public static List<LuaModule> order(List<LuaModule> modules, Consumer<String> problems) {
        Map<String, LuaModule> byId = new LinkedHashMap<>();
        for (LuaModule m : modules) {
            String id = m.id();
            if (id == null || !ID.matcher(id).matches())
                throw new IllegalStateException("Lua module " + m.getClass().getName() + " has an invalid id '" + id
                        + "' (lowercase letters, digits, _)");
            LuaModule other = byId.putIfAbsent(id, m);
            if (other != null && other.getClass() != m.getClass())
                throw new IllegalStateException("two Lua modules with id '" + id + "': " + other.getClass().getName()
                        + " and " + m.getClass().getName());
        }
        List<LuaModule> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparingInt(LuaModule::order).thenComparing(LuaModule::id));
        List<LuaModule> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (LuaModule m : sorted) {
            String missing = missing(m, byId, new HashSet<>());
            if (missing != null) {
                problems.accept("eplua: Lua module '" + m.id() + "' skipped: it requires module '" + missing
                        + "', which is not on the class path");
                continue;
            }
            visit(m, byId, done, new HashSet<>(), out);
        }
        return out;
    }

    /** A requirement of {@code m} (or of its requirements) that is not there, or null. */
    private static String missing(LuaModule m, Map<String, LuaModule> byId, Set<String> seen) {
        if (!seen.add(m.id())) return null;
        for (String r : m.requires()) {
            LuaModule dep = byId.get(r);
            if (dep == null) return r;
            String deeper = missing(dep, byId, seen);
            if (deeper != null) return deeper;
        }
        return null;
    }

    private static void visit(LuaModule m, Map<String, LuaModule> byId, Set<String> done, Set<String> path,
                              List<LuaModule> out) {
        if (done.contains(m.id())) return;
        if (!path.add(m.id())) throw new IllegalStateException("Lua modules require each other in a cycle: " + path);
        for (String r : m.requires()) {
            LuaModule dep = byId.get(r);
            if (dep == null)
                throw new IllegalStateException("Lua module '" + m.id() + "' requires module '" + r
                        + "', which is not on the class path");
            visit(dep, byId, done, path, out);
        }
        path.remove(m.id());
        done.add(m.id());
        out.add(m);
    }
}
