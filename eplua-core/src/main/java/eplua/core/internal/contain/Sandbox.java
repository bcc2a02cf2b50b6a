package eplua.core.internal.contain;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard library of a sandboxed engine, made from a trusted one in place (after its modules are installed, so
 * their Lua files kept what they captured): no {@code luajava}; {@code io} only on the engine's own streams; no
 * processes, file changes or exit in {@code os}; text chunks only in {@code load}; no {@code loadfile}/{@code dofile};
 * {@code debug} reduced to {@code traceback}; {@code require} of Lua files under the allowed roots only, and no
 * {@code package.loadlib}. Every capability taken away is a function that raises {@code "denied: ..."}, so a script
 * learns why at once.
 */
public final class Sandbox {
    private Sandbox() {}

    /** Restricts {@code g} as described above; {@code roots} are where {@code require} may read Lua files. */
    public static void apply(Globals g, List<Path> roots) {
        LuaTable denied = new LuaTable();
        for (String f : new String[] {"bindClass", "newInstance", "new", "createProxy", "loadLib"})
            denied.rawset(f, deny("luajava." + f));
        g.rawset("luajava", denied);
        LuaValue loaded = g.get("package").get("loaded");
        if (loaded.istable()) loaded.rawset("luajava", denied);

        LuaValue io = g.get("io");
        if (io.istable()) {
            for (String f : new String[] {"open", "popen", "tmpfile"}) io.rawset(f, deny("io." + f));
            // no arguments: the engine's own streams; a file name: a file of the host
            io.rawset("lines", noFileName(io.rawget("lines"), "io.lines"));
            io.rawset("input", noFileName(io.rawget("input"), "io.input"));
            io.rawset("output", noFileName(io.rawget("output"), "io.output"));
        }
        LuaValue os = g.get("os");
        if (os.istable())
            for (String f : new String[] {"execute", "remove", "rename", "tmpname", "exit"}) os.rawset(f, deny("os." + f));
        g.rawset("loadfile", deny("loadfile"));
        g.rawset("dofile", deny("dofile"));
        g.rawset("load", textOnly(g.get("load")));

        LuaValue debug = g.get("debug");
        if (debug.istable()) {
            List<LuaValue> names = new ArrayList<>();
            for (LuaValue k = ((LuaTable) debug).next(LuaValue.NIL).arg1(); !k.isnil();
                 k = ((LuaTable) debug).next(k).arg1()) names.add(k);
            for (LuaValue k : names)
                if (!k.tojstring().equals("traceback")) debug.rawset(k, deny("debug." + k.tojstring()));
        }

        LuaValue pkg = g.get("package");
        if (pkg.istable()) {
            pkg.rawset("loadlib", deny("package.loadlib"));
            pkg.rawset("cpath", LuaValue.valueOf(""));
            LuaTable searchers = new LuaTable();
            LuaValue preload = pkg.get("searchers").get(1);
            if (preload.isfunction()) searchers.rawset(1, preload);
            LuaValue rooted = rootedSearcher(g, (LuaTable) pkg, roots);
            searchers.rawset(searchers.length() + 1, rooted);
            pkg.rawset("searchers", searchers);
            pkg.rawset("searchpath", new SearchPath(roots));
        }
    }

    /** A function that raises {@code "denied: what ..."}. */
    static LuaValue deny(String what) {
        return new VarArgFunction() {
            {
                name = what;
            }

            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("denied: " + what + " is not available in the sandbox profile");
            }
        };
    }

    /** {@code fn} without a file name for its first argument (the engine's streams pass). */
    private static LuaValue noFileName(LuaValue fn, String what) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.arg1().type() == TSTRING)
                    throw new LuaError("denied: " + what + " of a file is not available in the sandbox profile");
                return fn.invoke(args);
            }
        };
    }

    /** {@code load} with the mode forced to text: no binary chunks (they can break the VM's assumptions). */
    private static LuaValue textOnly(LuaValue load) {
        return new VarArgFunction() {
            {
                name = "load";
            }

            @Override
            public Varargs invoke(Varargs args) {
                LuaValue mode = args.arg(3);
                if (!mode.isnil() && mode.type() != TSTRING) return load.invoke(args); // its own argument error
                if (!mode.isnil() && mode.tojstring().indexOf('t') < 0)
                    return varargsOf(NIL, valueOf("denied: binary chunks are not available in the sandbox profile"));
                return load.invoke(varargsOf(new LuaValue[] {args.arg(1), args.arg(2), valueOf("t")}, args.subargs(4)));
            }
        };
    }

    /** The file {@code path} if it is under one of {@code roots} (symbolic links resolved), else null. */
    static Path underRoots(List<Path> roots, String path) {
        Path p;
        try {
            p = Path.of(path).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) return null;
            Path real = p.toRealPath();
            for (Path r : roots) {
                Path root = Files.isDirectory(r) ? r.toRealPath() : null;
                if (root != null && real.startsWith(root)) return real;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** package.path's templates for {@code name}: "a.b" under "./?.lua;..." is "./a/b.lua", ... */
    private static List<String> candidates(LuaValue path, String name) {
        List<String> out = new ArrayList<>();
        if (!path.isstring()) return out;
        String file = name.replace('.', '/');
        for (String template : path.tojstring().split(";")) if (!template.isEmpty()) out.add(template.replace("?", file));
        return out;
    }

    /** package.searchers' file searcher in the sandbox: Lua text files under the roots only. */
    private static LuaValue rootedSearcher(Globals g, LuaTable pkg, List<Path> roots) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String name = args.checkjstring(1);
                StringBuilder tried = new StringBuilder();
                for (String f : candidates(pkg.get("path"), name)) {
                    Path file = underRoots(roots, f);
                    if (file == null) {
                        tried.append("\n\tno file '").append(f).append("' under the sandbox's require roots");
                        continue;
                    }
                    byte[] code;
                    try {
                        code = Files.readAllBytes(file);
                    } catch (IOException e) {
                        tried.append("\n\tcannot read '").append(f).append("'");
                        continue;
                    }
                    try {
                        return varargsOf(g.load(new ByteArrayInputStream(code), "@" + f, "t", g), valueOf(f));
                    } catch (LuaError e) {
                        throw new LuaError("error loading module '" + name + "' from file '" + f + "':\n\t"
                                + e.getMessage());
                    }
                }
                return LuaString.valueOf(tried.toString());
            }
        };
    }

    /** package.searchpath(name, path): the first template that names a file under the roots. */
    private static final class SearchPath extends VarArgFunction {
        private final List<Path> roots;

        SearchPath(List<Path> roots) {
            this.roots = roots;
            this.name = "searchpath";
        }

        @Override
        public Varargs invoke(Varargs args) {
            String name = args.checkjstring(1);
            StringBuilder tried = new StringBuilder();
            for (String f : candidates(args.checkstring(2), name)) {
                if (underRoots(roots, f) != null) return valueOf(f);
                tried.append("\n\tno file '").append(f).append("'");
            }
            return varargsOf(NIL, valueOf(tried.toString()));
        }
    }
}
