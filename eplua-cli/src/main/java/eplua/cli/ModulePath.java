package eplua.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the command finds third-party Lua modules besides its own class path: the jars in {@code --modules} folders,
 * the entries of {@code -cp}, then those of {@code $EPLUA_MODULES}. {@code java -jar} ignores the class path the
 * user gives Java, so these are loaded by a class loader of their own, whose parent is the command's; the engine's
 * ServiceLoader looks there.
 */
final class ModulePath {
    /** The environment variable with more module jars and folders, separated as a class path is. */
    static final String ENV = "EPLUA_MODULES";

    private ModulePath() {}

    /** A path the user gave that names nothing usable; the message says which and where it came from. */
    static final class BadEntry extends Exception {
        private static final long serialVersionUID = 1L;

        BadEntry(String message) {
            super(message);
        }
    }

    /**
     * The jars and folders to load modules from, in order: each {@code --modules} folder's {@code *.jar} files (by
     * name), the {@code -cp} entries, the {@code EPLUA_MODULES} entries ({@code env} may be null).
     */
    static List<Path> entries(Options o, String env) throws BadEntry {
        List<Path> out = new ArrayList<>();
        for (String dir : o.moduleDirs) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) throw new BadEntry("--modules " + dir + ": not a folder");
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.jar")) {
                for (Path p : s) if (Files.isRegularFile(p)) jars.add(p);
            } catch (IOException e) {
                throw new BadEntry("--modules " + dir + ": " + e.getMessage());
            }
            jars.sort(null);
            out.addAll(jars);
        }
        for (String e : o.classPath) out.add(existing(e, "-cp"));
        if (env != null) for (String e : Options.entries(env)) out.add(existing(e, ENV));
        return out;
    }

    private static Path existing(String entry, String from) throws BadEntry {
        Path p = Path.of(entry);
        if (!Files.exists(p)) throw new BadEntry(from + ": no such jar or folder: " + entry);
        return p;
    }

    /** A class loader over {@code entries} whose parent is {@code parent}; {@code parent} itself when there are none. */
    static ClassLoader loader(List<Path> entries, ClassLoader parent) {
        if (entries.isEmpty()) return parent;
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toAbsolutePath().toUri().toURL(); // a folder's URL ends with '/'
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(entries.get(i).toString(), e);
            }
        }
        return new URLClassLoader("eplua-modules", urls, parent);
    }
}
