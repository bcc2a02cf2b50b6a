package eplua.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The LuaLS definition files of eplua's Lua API ({@code ---@meta}), shipped in the jar under {@code eplua/types/}
 * (copied there from the repository's {@code dev/types} by the build), written out by {@code --types DIR}.
 */
final class DefinitionFiles {
    static final String ROOT = "eplua/types/";
    /** A file every copy has: it finds the folder, in a jar or on disk. */
    private static final String MARKER = ROOT + "README.md";

    private DefinitionFiles() {}

    /** Copies every definition file into {@code dir} (made if missing), keeping their folders; returns the files. */
    static List<Path> writeTo(Path dir) throws IOException {
        URL marker = DefinitionFiles.class.getClassLoader().getResource(MARKER);
        if (marker == null) throw new IOException("the definition files are not in this build (" + MARKER + ")");
        URI uri;
        try {
            uri = marker.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (uri.getScheme().equals("jar")) {
            FileSystem jar;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                return copy(FileSystems.getFileSystem(uri).getPath("/" + ROOT), dir); // someone else's: left open
            }
            try (jar) {
                return copy(jar.getPath("/" + ROOT), dir);
            }
        }
        return copy(Path.of(uri).getParent(), dir);
    }

    private static List<Path> copy(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        List<Path> written = new ArrayList<>();
        for (Path f : files) {
            // resolve by name: the source may be in a jar's file system, the target on the default one
            Path target = to;
            for (Path part : from.relativize(f)) target = target.resolve(part.toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            written.add(target);
        }
        return written;
    }
}
