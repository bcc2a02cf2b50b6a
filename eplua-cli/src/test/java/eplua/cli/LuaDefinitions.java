package eplua.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names the LuaLS definition files in {@code dev/types} declare, read with a few line patterns (the files are
 * written in one plain style; see {@code dev/types/README.md}):
 * <ul>
 *   <li>{@code ---@class Name[: Parent, ...]} opens a class; the {@code ---@field name type} lines of its comment
 *       block are its members; the statement right after the block ({@code local X = {}} or {@code a.b = {}}) is
 *       bound to the class;</li>
 *   <li>{@code function X:m(} / {@code function X.m(} declare a member of the class bound to {@code X}, or the global
 *       path {@code X.m}; {@code function f(} and {@code f = ...} declare a global;</li>
 *   <li>{@code -- lua52: name} lines list standard functions eplua replaces without changing their contract.</li>
 * </ul>
 * A global path resolves through classes: {@code mqtt.Client.publish} is declared when {@code mqtt} is bound to a
 * class whose field {@code Client} has a class type with a member {@code publish}.
 */
final class LuaDefinitions {
    private static final Pattern CLASS = Pattern.compile("^---@class\\s+([\\w.]+)\\s*(?::\\s*([\\w.,\\s]+))?");
    private static final Pattern FIELD = Pattern.compile(
            "^---@field\\s+(?:(?:public|private|protected|package)\\s+)?([A-Za-z_]\\w*)\\??\\s+([\\w.]+)?");
    private static final Pattern FUNCTION = Pattern.compile("^function\\s+([\\w.]+?)(?:([.:])(\\w+))?\\s*\\(");
    private static final Pattern LOCAL = Pattern.compile("^local\\s+(\\w+)\\s*=");
    private static final Pattern ASSIGN = Pattern.compile("^([A-Za-z_][\\w.]*)\\s*=");
    private static final Pattern LUA52 = Pattern.compile("^--\\s*lua52:\\s*([\\w.]+)");

    /** One declared class: its parents, its members (name -> declared type, null for functions), its methods. */
    static final class ClassDecl {
        final String name;
        final String file;
        final List<String> parents = new ArrayList<>();
        final Map<String, String> members = new LinkedHashMap<>();
        final Set<String> functions = new LinkedHashSet<>();

        ClassDecl(String name, String file) {
            this.name = name;
            this.file = file;
        }
    }

    final Map<String, ClassDecl> classes = new LinkedHashMap<>();
    /** Global paths declared by a function or an assignment, and the file each is in. */
    final Map<String, String> globals = new LinkedHashMap<>();
    /** Global paths bound to a class (the statement after its ---@class block). */
    final Map<String, String> boundGlobals = new LinkedHashMap<>();
    /** Standard functions replaced with Lua 5.2's contract (the {@code -- lua52:} lines). */
    final Set<String> lua52 = new TreeSet<>();
    final List<Path> files = new ArrayList<>();

    static LuaDefinitions read(Path dir) {
        LuaDefinitions d = new LuaDefinitions();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".lua")).sorted().collect(Collectors.toList())) {
                d.files.add(p);
                d.parse(dir.relativize(p).toString(), Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    private void parse(String file, List<String> lines) {
        Map<String, String> locals = new HashMap<>(); // local variable -> class, per file
        ClassDecl open = null;  // the class of the current comment block
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m;
            if ((m = LUA52.matcher(line)).find()) {
                lua52.add(m.group(1));
                continue;
            }
            if (line.startsWith("---")) {
                if ((m = CLASS.matcher(line)).find()) {
                    open = classes.computeIfAbsent(m.group(1), n -> new ClassDecl(n, file));
                    if (m.group(2) != null)
                        for (String p : m.group(2).split(",")) if (!p.isBlank()) open.parents.add(p.strip());
                } else if (open != null && (m = FIELD.matcher(line)).find()) {
                    open.members.put(m.group(1), m.group(2));
                }
                continue;
            }
            if (line.isEmpty() || line.startsWith("--")) {
                if (line.isEmpty()) open = null;
                continue;
            }
            String bound = open != null ? open.name : null;
            open = null;
            if (Character.isWhitespace(raw.charAt(0))) continue; // inside a statement: declarations start a line
            if ((m = FUNCTION.matcher(line)).find()) {
                String owner = m.group(3) == null ? null : m.group(1);
                String name = m.group(3) == null ? m.group(1) : m.group(3);
                if (owner == null) {
                    globals.put(name, file);
                } else if (locals.containsKey(owner)) {
                    ClassDecl c = classes.get(locals.get(owner));
                    c.members.put(name, null);
                    c.functions.add(name);
                } else {
                    globals.put(owner + "." + name, file);
                    String cls = classOf(owner);
                    if (cls != null) {
                        classes.get(cls).members.putIfAbsent(name, null);
                        classes.get(cls).functions.add(name);
                    }
                }
            } else if ((m = LOCAL.matcher(line)).find()) {
                if (bound != null) locals.put(m.group(1), bound);
            } else if ((m = ASSIGN.matcher(line)).find()) {
                globals.put(m.group(1), file);
                if (bound != null) boundGlobals.put(m.group(1), bound);
            }
        }
    }

    /** The class a global path is bound to, directly or through the class types of fields; null if none. */
    String classOf(String path) {
        String c = boundGlobals.get(path);
        if (c != null) return c;
        int dot = path.lastIndexOf('.');
        if (dot < 0) return null;
        String owner = classOf(path.substring(0, dot));
        if (owner == null) return null;
        String type = memberType(owner, path.substring(dot + 1), new TreeSet<>());
        return type != null && classes.containsKey(type) ? type : null;
    }

    /** Whether a class (or a parent) declares {@code member}. */
    boolean hasMember(String cls, String member) {
        return allMembers(cls).containsKey(member);
    }

    /** The members of a class and its parents. */
    Map<String, String> allMembers(String cls) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(cls, out, new TreeSet<>());
        return out;
    }

    private void collect(String cls, Map<String, String> out, Set<String> seen) {
        ClassDecl c = classes.get(cls);
        if (c == null || !seen.add(cls)) return;
        c.members.forEach(out::putIfAbsent);
        for (String p : c.parents) collect(p, out, seen);
    }

    /** Methods declared with {@code function} in a class and its parents. */
    Set<String> allFunctions(String cls) {
        Set<String> out = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(cls));
        while (!todo.isEmpty()) {
            ClassDecl c = classes.get(todo.remove(0));
            if (c == null || !seen.add(c.name)) continue;
            out.addAll(c.functions);
            todo.addAll(c.parents);
        }
        return out;
    }

    private String memberType(String cls, String member, Set<String> seen) {
        ClassDecl c = classes.get(cls);
        if (c == null || !seen.add(cls)) return null;
        if (c.members.containsKey(member)) return c.members.get(member);
        for (String p : c.parents) {
            String t = memberType(p, member, seen);
            if (t != null) return t;
        }
        return null;
    }

    /** Whether a global path is declared: directly, or as a member of the class its owner resolves to. */
    boolean declaresGlobal(String path) {
        if (globals.containsKey(path)) return true;
        int dot = path.lastIndexOf('.');
        if (dot < 0) return false;
        String owner = classOf(path.substring(0, dot));
        return owner != null && hasMember(owner, path.substring(dot + 1));
    }

    /**
     * Every global path the files promise exists: declared globals, and the members of classes bound to global
     * paths (recursively through fields whose type is a class). Names starting with '_' are internal: left out.
     */
    Map<String, String> promisedGlobals() {
        Map<String, String> out = new LinkedHashMap<>();
        globals.forEach((path, file) -> {
            if (!internal(path)) out.put(path, file);
        });
        for (Map.Entry<String, String> b : boundGlobals.entrySet()) promise(b.getKey(), b.getValue(), out, 0);
        return out;
    }

    private void promise(String path, String cls, Map<String, String> out, int depth) {
        if (depth > 4) return;
        for (Map.Entry<String, String> m : allMembers(cls).entrySet()) {
            if (internal(m.getKey())) continue;
            String p = path + "." + m.getKey();
            out.putIfAbsent(p, classes.get(cls).file);
            if (m.getValue() != null && classes.containsKey(m.getValue())) promise(p, m.getValue(), out, depth + 1);
        }
    }

    static boolean internal(String path) {
        for (String part : path.split("\\.")) if (part.startsWith("_")) return true;
        return false;
    }
}
